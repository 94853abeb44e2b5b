"""Findings a report page puts in its executive summary.

A notebook output that carries a finding has, in its display metadata under
:data:`METADATA_KEY`, ``{"text", "stake", "anchor"}``: one sentence with its number, the
GMV at stake (main currency; what the summary orders by) and the id of the element the
summary links to. :class:`Finding` displays a sentence that way; a diagnosis
:class:`~fact_toolkit.diagnosis._base.Section` does the same for its first sentence.
The report renderer collects them (:func:`fact_toolkit.reports.summary.collect_findings`).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["METADATA_KEY", "Finding", "headline", "sentences", "finding_metadata"]

#: key of the display metadata holding a finding
METADATA_KEY = "fact_toolkit_finding"
_SENTENCE = re.compile(r"(.+?[。！？]|.+?[.!?](?=\s|$))")


def sentences(text: str) -> list[str]:
    """A paragraph cut into sentences (Chinese or English punctuation).

    Examples
    --------
    >>> sentences("共 3 场。最好的一场 GPM 1,501。"), sentences("3 sessions. The best: GPM 1,501.")
    (['共 3 场。', '最好的一场 GPM 1,501。'], ['3 sessions.', 'The best: GPM 1,501.'])
    """
    return [m.strip() for m in _SENTENCE.findall((text or "").strip()) if m.strip()] or \
        ([text.strip()] if text and text.strip() else [])


def headline(text: str) -> str:
    """The first sentence of a paragraph (Chinese or English).

    Examples
    --------
    >>> headline("F 最大。其次是 A。"), headline("F sells most: 1.2M. Then A.")
    ('F 最大。', 'F sells most: 1.2M.')
    """
    text = (text or "").strip()
    m = _SENTENCE.match(text)
    return (m.group(1) if m else text).strip()


def finding_metadata(text: str, stake: float | None, anchor: str) -> dict[str, Any]:
    """The display metadata of a finding (empty when there is no number at stake)."""
    if stake is None or not isinstance(stake, (int, float)) or not math.isfinite(stake) or not text:
        return {}
    return {METADATA_KEY: {"text": text, "stake": float(abs(stake)), "anchor": anchor}}


@dataclass
class Finding:
    """One sentence with its number, shown in the page and collected for its summary.

    Parameters
    ----------
    text : str
        The sentence (markdown is not interpreted: it is shown as text).
    stake : float
        GMV at stake, in the main currency.
    anchor : str
        Id of this output in the page (the summary links to ``#anchor``).
    """

    text: str
    stake: float
    anchor: str

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        data = {"text/html": f'<p id="{html.escape(self.anchor)}" class="ft-finding">{html.escape(self.text)}</p>',
                "text/markdown": self.text, "text/plain": self.text}
        return data, finding_metadata(self.text, self.stake, self.anchor)
