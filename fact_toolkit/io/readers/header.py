"""Find the header row below banner rows (a date range, a shop name, a blank row); name the columns.

:func:`find_header_row` is shared by every format; the banner rows above the header are
kept as text (:func:`_banner`), and header cells become unique frame column names
(:func:`_column_names`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .cell_text import _cell_text

__all__ = ["HeaderScore", "find_header_row", "_SAMPLE_RECORDS", "_clean_header", "_column_names", "_banner"]

HeaderScore = Callable[[list[str]], int]
_MAX_SCAN = 30                       # rows searched for the header
_SAMPLE_RECORDS = _MAX_SCAN + 50     # CSV records parsed in Python (header + width sample)


def _clean_header(text: str) -> str:
    return text.strip().strip("\ufeff").strip()


def _column_names(headers: Sequence[str]) -> list[str]:
    """Frame column names: ``Unnamed: i`` for empty cells, pandas-style ``.1`` dedup."""
    names = [h if h else f"Unnamed: {i}" for i, h in enumerate(headers)]
    counts: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        cur = counts.get(name, 0)
        while cur > 0:
            counts[name] = cur + 1
            name = f"{name}.{cur}"
            cur = counts.get(name, 0)
        counts[name] = cur + 1
        out.append(name)
    return out


def _banner(rows: Sequence[Sequence[Any]]) -> list[str]:
    out = []
    for r in rows:
        cells = [_cell_text(c).strip() for c in r]
        cells = [c for c in cells if c]
        if cells:
            out.append(" ".join(cells))
    return out


def find_header_row(rows: list[list], header_score: HeaderScore | None = None,
                    max_scan: int = _MAX_SCAN) -> int:
    """Return the 0-based index of the header row among the first rows.

    Parameters
    ----------
    rows : list of list
        The first rows of a table, cells of any type (``None`` = empty).
    header_score : callable, optional
        ``header_score(cells) -> int``: how many of a row's cells (stripped strings,
        ``""`` for empty) are recognised header names.
    max_scan : int, default 30
        Number of leading rows searched.

    Returns
    -------
    int
        With a scorer whose best score among the first ``max_scan`` rows is ≥ 2: the
        earliest row with the best score. Otherwise the first row that has ≥ 2 non-empty
        cells and at least as many non-empty cells as the next non-empty row below it
        (so one-cell banners, blank rows and a short banner followed by a blank row are
        skipped). Failing that, the first non-empty row.

    Raises
    ------
    ValueError
        If every row is empty.
    """
    texts = [[_cell_text(c).strip() for c in r] for r in rows]
    counts = [sum(1 for c in r if c) for r in texts]
    scan = range(min(max_scan, len(texts)))
    if header_score is not None:
        scores = [int(header_score(texts[i])) for i in scan]
        if scores and max(scores) >= 2:
            return scores.index(max(scores))
    for i in scan:
        if counts[i] < 2:
            continue
        following = next((c for c in counts[i + 1:] if c), 0)
        if counts[i] >= following:
            return i
    for i, c in enumerate(counts):
        if c:
            return i
    raise ValueError("every row is empty")
