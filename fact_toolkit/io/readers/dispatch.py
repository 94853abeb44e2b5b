""":func:`read_raw`: check the file, tell its format by its content (not only its suffix), read it.

An ``.xls`` that is an xlsx ZIP, HTML or plain text is read as what it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ...errors import FactInputError
from .csv_body import _read_csv
from .encoding import _UTF8_BOM
from .header import HeaderScore
from .html_tables import _HTML_START, _SPREADSHEET_ML, _read_html
from .parquet import _PARQUET_MAGIC, _read_parquet
from .table import _FIX_REDOWNLOAD, RawTable
from .workbook import _FIX_XLSX, _OLE_MAGIC, _ZIP_MAGIC, _read_workbook

__all__ = ["read_raw", "SUPPORTED_SUFFIXES"]

#: File suffixes :func:`read_raw` accepts (case-insensitive).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".parquet")


def read_raw(path: str | os.PathLike[str], *, header_score: HeaderScore | None = None,
             sheet: str | int | None = None, encoding: str | None = None,
             while_reading: Callable[[], None] | None = None) -> list[RawTable]:
    """Read one export file into raw tables of cells.

    Parameters
    ----------
    path : str or os.PathLike
        The file. Suffix must be one of :data:`SUPPORTED_SUFFIXES`.
    header_score : callable, optional
        ``header_score(cells) -> int`` counting recognised header names in a row; used
        to find the header below banner rows (see :func:`find_header_row`).
    sheet : str or int, optional
        xlsx: read only this worksheet (name, or 0-based index). HTML: 0-based table
        index. Ignored for CSV and parquet.
    encoding : str, optional
        Text encoding of a CSV/HTML file; detected with :func:`sniff_encoding` if omitted.
    while_reading : callable, optional
        Work for the calling thread while a workbook's first sheet is decoded (calamine
        releases the GIL; only calamine runs in the worker thread). Called exactly once
        for a workbook, never for other formats.

    Returns
    -------
    list of RawTable
        One table for CSV/HTML/parquet files; one per non-empty worksheet for workbooks.

    Raises
    ------
    FactInputError
        Missing, empty, unreadable, binary or ragged files (one-line message naming the
        file and, where known, the row).

    Notes
    -----
    Fully empty data rows are dropped (``row_numbers`` keep the true positions).
    Columns at the left or right edge that have neither a header cell nor any data
    (trailing commas, unused Excel columns) are dropped. Parquet is read as stored.
    The file is only ever opened for reading.
    """
    p = Path(path)
    if not p.exists():
        raise FactInputError(p, "file not found", fix="check the path")
    if p.is_dir():
        raise FactInputError(p, "this is a folder, not a file", fix="name a file inside it")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise FactInputError(p, f"unsupported file type {p.suffix or '(no suffix)'!r}",
                             fix="export as one of " + ", ".join(SUPPORTED_SUFFIXES))
    size = p.stat().st_size
    with open(p, "rb") as f:
        head = f.read(4096)
    stripped = head.removeprefix(_UTF8_BOM).strip()
    if size == 0 or (size <= len(head) and not stripped):
        raise FactInputError(p, "the file is empty", fix=_FIX_REDOWNLOAD)

    if head.startswith(_PARQUET_MAGIC) or (suffix == ".parquet" and not head.startswith(_ZIP_MAGIC)):
        return [_read_parquet(p)]
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        if suffix in (".csv", ".txt", ".tsv"):
            try:
                return _read_workbook(p, header_score, sheet, while_reading)
            except FactInputError:
                raise FactInputError(p, "not a text CSV file (binary content)",
                                     fix="export the report as CSV or Excel again") from None
        return _read_workbook(p, header_score, sheet, while_reading)
    if _HTML_START.match(head.removeprefix(_UTF8_BOM)):
        if _SPREADSHEET_ML.search(head):
            raise FactInputError(p, "Excel 2003 XML spreadsheets are not supported",
                                 fix="open the file in Excel and save it as .xlsx")
        return _read_html(p, header_score, sheet, encoding)
    if suffix in (".xlsx", ".xlsm"):
        raise FactInputError(p, "not a readable xlsx workbook (not a ZIP container)", fix=_FIX_XLSX)
    # plain text: .csv/.txt/.tsv, or an .xls that is really tab/comma separated text
    return [_read_csv(p, header_score, encoding, suffix)]
