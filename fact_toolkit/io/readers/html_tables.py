"""Read an ``.xls`` that is really an HTML page of tables (Douyin Compass exports)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ...errors import FactInputError
from .cell_text import _count_nonempty
from .encoding import _FIX_ENCODING, sniff_encoding
from .grid import _table_from_cells
from .header import HeaderScore
from .table import _FIX_REDOWNLOAD, RawTable

__all__ = ["_read_html", "_HTML_START", "_SPREADSHEET_ML"]

_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|table|meta|head|body|!--|style|div|tr)\b",
                         re.IGNORECASE)
_SPREADSHEET_ML = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet", re.IGNORECASE)


class _TableParser(HTMLParser):
    """Collect the text of every ``<table>``'s ``<tr>``/``<td>``/``<th>`` cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1
        self._skip = 0

    def _close_cell(self) -> None:
        if self._cell is not None and self._stack:
            text = "".join(self._cell)
            text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
            row = self._current_row()
            row.append(text)
            row.extend([""] * (self._span - 1))
        self._cell = None

    def _current_row(self) -> list[str]:
        table = self._stack[-1]
        if not table:
            table.append([])
        return table[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._close_cell()
            self._stack.append([])
        elif not self._stack:
            return
        elif tag == "tr":
            self._close_cell()
            self._stack[-1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.strip().isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._stack:
            self._close_cell()
            table = self._stack.pop()
            self.tables.append(table)
        elif tag in ("td", "th", "tr"):
            self._close_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)

    def close(self) -> None:
        super().close()
        self._close_cell()
        while self._stack:
            self.tables.append(self._stack.pop())


def _read_html(path: Path, header_score: HeaderScore | None, sheet: str | int | None,
               encoding: str | None) -> list[RawTable]:
    data = path.read_bytes()
    if encoding is None:
        encoding = sniff_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise FactInputError(path, f"the file is not valid {encoding}", fix=_FIX_ENCODING) from None
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    found = [t for t in parser.tables if any(_count_nonempty(r) for r in t)]
    if not found:
        raise FactInputError(path, "the HTML file holds no table with data", fix=_FIX_REDOWNLOAD)
    indices = list(range(len(found)))
    if sheet is not None:
        if not isinstance(sheet, int) or not -len(found) <= sheet < len(found):
            raise FactInputError(path, f"no table {sheet!r} (the file has {len(found)} tables)",
                                 fix="pass a 0-based table index")
        indices = [indices[sheet]]
    tables = []
    for i in indices:
        rows = found[i]
        name = f"table {i + 1}" if len(found) > 1 else None
        table = _table_from_cells(path, rows, range(1, len(rows) + 1), header_score,
                                  typed=False, fmt="html", encoding=encoding, sheet=name)
        if table is not None:
            tables.append(table)
    return tables
