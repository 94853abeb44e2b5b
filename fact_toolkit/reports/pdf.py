"""``fact-toolkit report --pdf``: a PDF beside each rendered page, printed by headless Chromium.

The page's print stylesheet (:data:`fact_toolkit.reports.summary.PAGE_CSS`) keeps tables
and charts whole on A4. Chromium is found by :func:`fact_toolkit.browser.find_chromium`
and started with the bundled CJK font (:func:`fact_toolkit.browser.chromium_env`); each
PDF is written to a temporary name and renamed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..browser import CHROMIUM_ARGS, chromium_env, find_chromium

__all__ = ["PdfUnavailable", "html_to_pdf", "NO_CHROMIUM"]

#: what the command says when there is no browser to print with
NO_CHROMIUM = ("--pdf: no Chromium found, so no PDF was written (the HTML pages were). Install it "
               "(Debian/Ubuntu: apt-get install chromium) or point FT_CHROMIUM at a Chromium binary.")


class PdfUnavailable(RuntimeError):
    """No headless Chromium to print with (the message says how to get one)."""


def html_to_pdf(page: Path, target: Path | None = None, *, timeout: float = 120.0) -> Path:
    """Print ``page`` (an HTML file) to ``target`` (default: beside it, ``.pdf``).

    Raises
    ------
    PdfUnavailable
        When no Chromium is installed.
    RuntimeError
        When Chromium ran but wrote no PDF (its stderr's last line is in the message).
    """
    chromium = find_chromium()
    if chromium is None:
        raise PdfUnavailable(NO_CHROMIUM)
    page = Path(page).resolve()
    target = Path(target) if target is not None else page.with_suffix(".pdf")
    tmp = target.with_name(f".{target.name}.tmp")
    with tempfile.TemporaryDirectory(prefix="fact_toolkit_chromium_") as profile:
        proc = subprocess.run(
            [str(chromium), *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
             "--run-all-compositor-stages-before-draw", f"--print-to-pdf={tmp}", page.as_uri()],
            env=chromium_env(), capture_output=True, text=True, timeout=timeout, check=False)
    if not tmp.is_file() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        raise RuntimeError(f"Chromium wrote no PDF for {page} (exit {proc.returncode}): {last}")
    os.replace(tmp, target)
    return target
