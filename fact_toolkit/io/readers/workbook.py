"""Read an ``.xlsx`` / ``.xlsm`` / binary ``.xls`` workbook with python-calamine, one table a sheet."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ...errors import FactInputError
from .grid import _table_from_cells
from .header import HeaderScore
from .table import _FIX_REDOWNLOAD, RawTable

__all__ = ["_read_workbook", "_ZIP_MAGIC", "_OLE_MAGIC", "_FIX_XLSX"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FIX_XLSX = "re-download the export; do not open and save it while the download is incomplete"


def _read_workbook(path: Path, header_score: HeaderScore | None, sheet: str | int | None,
                   while_reading: Callable[[], None] | None = None) -> list[RawTable]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with open(path, "rb") as f:
            book = CalamineWorkbook.from_filelike(f)
    except (CalamineError, OSError, ValueError) as err:
        reason = _short_reason(err, path)
        raise FactInputError(path, f"not a readable xlsx workbook ({reason})", fix=_FIX_XLSX) from None
    try:
        names = [m.name for m in book.sheets_metadata if "worksheet" in str(m.typ).lower()]
        if not names:
            names = list(book.sheet_names)
        if sheet is not None:
            if isinstance(sheet, int) and not isinstance(sheet, bool):
                if not -len(names) <= sheet < len(names):
                    raise FactInputError(path, f"no sheet number {sheet} (the workbook has "
                                         f"{len(names)} sheets: {', '.join(names)})",
                                         fix="pass a 0-based sheet index or a sheet name")
                names = [names[sheet]]
            elif str(sheet) in names:
                names = [str(sheet)]
            else:
                raise FactInputError(path, f"no sheet named {sheet!r} (sheets: {', '.join(names)})",
                                     fix="pass one of the sheet names")
        fmt = "xlsx"
        tables: list[RawTable] = []
        for name in names:
            try:
                if while_reading is None:
                    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                else:
                    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fact_toolkit-xlsx") as pool:
                        job = pool.submit(lambda n=name: book.get_sheet_by_name(n).to_python(skip_empty_area=False))
                        hook, while_reading = while_reading, None
                        hook()
                        rows = job.result()
            except CalamineError as err:
                reason = _short_reason(err, path)
                raise FactInputError(path, f"not a readable xlsx workbook ({reason})",
                                     fix=_FIX_XLSX) from None
            table = _table_from_cells(path, rows, range(1, len(rows) + 1), header_score,
                                      typed=True, fmt=fmt, encoding=None, sheet=name)
            if table is not None:
                tables.append(table)
    finally:
        book.close()
    if not tables:
        raise FactInputError(path, "the file is empty (no sheet has any cells)", fix=_FIX_REDOWNLOAD)
    return tables


def _short_reason(err: BaseException, path: Path) -> str:
    msg = " ".join(str(err).split()) or type(err).__name__
    if "detect file format" in msg:
        with open(path, "rb") as f:
            magic = f.read(4)
        msg = "truncated or damaged ZIP container" if magic == _ZIP_MAGIC else msg
    return msg[:160]
