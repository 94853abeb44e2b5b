"""What an analyst would object to in a rendered page (used by tests/test_report_pages.py).

:func:`page_problems` reads one HTML page and lists, in words, every table cell in
scientific notation or reading NaN/None/True/False, every header cell that is a code
identifier, every table whose rows are labelled 0, 1, 2 …, and every paragraph in the
other language than the page's.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["page_problems", "parse_page"]

_SCI = re.compile(r"^[-+]?\d+(\.\d+)?[eE][-+]?\d+$")
_RAW = {"nan", "none", "true", "false", "nat", "<na>"}
_IDENT = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.paragraphs: list[str] = []
        self.lang = ""
        self._cell: list[str] | None = None
        self._p: list[str] | None = None
        self._skip = 0
        self._tag: str = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        if tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        if tag in ("td", "th") and self.tables:
            self._cell, self._tag = [], tag
        if tag == "p":
            self._p = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None and self.tables:
            text = "".join(self._cell).strip()
            t = self.tables[-1]
            if t["rows"]:
                t["rows"][-1].append((self._tag, text))
            self._cell = None
        if tag == "p" and self._p is not None:
            self.paragraphs.append("".join(self._p).strip())
            self._p = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._p is not None:
            self._p.append(data)


def parse_page(text: str) -> _Page:
    """The page's tables (rows of (tag, text) cells), paragraphs and ``<html lang>``."""
    p = _Page()
    p.feed(text)
    return p


def _english(par: str) -> bool:
    return not _HAN.search(par) and len(_LATIN_WORD.findall(par)) >= 3


def _chinese(par: str, data_names: set[str]) -> bool:
    rest = par
    for name in data_names:
        rest = rest.replace(name, "")
    return len(_HAN.findall(rest)) >= 4


def page_problems(text: str, lang: str, data_names: set[str] = frozenset()) -> list[str]:
    """Everything wrong with a page in words (empty list: the page reads well).

    ``data_names`` are names from the data (brand, accounts, campaign and tag names),
    allowed in Chinese on an English page.
    """
    page = parse_page(text)
    out = []
    for i, t in enumerate(page.tables):
        row_labels = []
        for row in t["rows"]:
            for tag, cell in row:
                if _SCI.match(cell):
                    out.append(f"table {i}: scientific notation {cell!r}")
                if cell.lower() in _RAW:
                    out.append(f"table {i}: raw value {cell!r}")
                if tag == "th" and _IDENT.match(cell):
                    out.append(f"table {i}: code identifier header {cell!r}")
            if row and row[0][0] == "th" and any(tag == "td" for tag, _ in row):
                row_labels.append(row[0][1])
        if len(row_labels) >= 2 and row_labels[:3] == [str(k) for k in range(min(3, len(row_labels)))]:
            out.append(f"table {i}: rows labelled 0, 1, 2 …")
    for par in page.paragraphs:
        if lang == "zh" and _english(par):
            out.append(f"English paragraph on a Chinese page: {par[:80]!r}")
        if lang == "en" and _chinese(par, set(data_names)):
            out.append(f"Chinese paragraph on an English page: {par[:80]!r}")
    return out
