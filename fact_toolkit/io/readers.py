"""Turn one export file on disk into raw tables of cells.

The readers find the header row below any banner rows (a date range, a shop name, a
blank row), keep every cell as the text (CSV, HTML) or the typed value (xlsx, parquet)
that is in the file, and remember where each data row is in the file so that later
problems can be reported as "row 1234" the way an analyst sees it in Excel.

They do NOT map headers to canonical names and do NOT parse values.

Supported shapes
----------------
* CSV / TSV / TXT in UTF-8, UTF-8 with BOM, GB18030/GBK (others by detection),
  comma, tab or semicolon separated, CRLF or LF, multi-line quoted cells.
* ``.xlsx`` / ``.xlsm`` (and binary BIFF ``.xls``) through python-calamine.
* ``.xls`` files that are really HTML tables (Douyin Compass exports).
* ``.parquet`` through pyarrow.

The file's content decides the reader when it contradicts the suffix (an ``.xls`` that
is an xlsx ZIP, HTML or plain text is read as what it is).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as _dt
import io
import mmap
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import FactInputError

__all__ = ["RawTable", "read_raw", "sniff_encoding", "find_header_row", "SUPPORTED_SUFFIXES", "STRING_DTYPE",
           "CsvHeadLayout", "csv_head_layout"]

#: File suffixes :func:`read_raw` accepts (case-insensitive).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".parquet")

#: dtype of every text column produced by the readers (arrow-backed, missing = ``pd.NA``).
STRING_DTYPE = pd.StringDtype("pyarrow")

HeaderScore = Callable[[list[str]], int]

_MAX_SCAN = 30                       # rows searched for the header
_SAMPLE_RECORDS = _MAX_SCAN + 50     # CSV records parsed in Python (header + width sample)
_HEAD_BYTES = 1 << 20                # bytes used for encoding detection / header search
_TAIL_BYTES = 64 << 10
_MAX_HEAD_BYTES = 64 << 20
_LSTR = pa.large_string()           # text columns (pandas' str arrays are large_string: no cast)
_BLOCK_SIZE = 4 << 20                # pyarrow CSV block size (measured: 1-4 MB is fastest)
_MAX_BLOCK_SIZE = 1 << 30
_MAX_INVALID_ROWS = 100              # ragged rows collected before giving up on pyarrow

_UTF8_BOM = codecs.BOM_UTF8
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARQUET_MAGIC = b"PAR1"
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|table|meta|head|body|!--|style|div|tr)\b",
                         re.IGNORECASE)
_SPREADSHEET_ML = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet", re.IGNORECASE)
# Encodings in which the bytes of '\n', '\r', '"', ',', '\t' and ';' never occur inside
# a multi-byte character: records can be cut at byte level.
_ASCII_SAFE = {
    "utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950",
    "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "ascii", "latin-1", "iso8859-1",
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
}
_FIX_ENCODING = "save the file as UTF-8 or GB18030 (in Excel: Save As → CSV UTF-8)"
_FIX_XLSX = "re-download the export; do not open and save it while the download is incomplete"
_FIX_REDOWNLOAD = "re-download the export"
_FIX_RAGGED = "a cell probably contains an unquoted separator; re-export the file from the platform"


@dataclass
class RawTable:
    """One table of cells read from a file, data rows only.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    frame : pandas.DataFrame
        One column per header cell, data rows only (no banner, no header), default
        ``RangeIndex``. CSV/HTML columns are ``string[pyarrow]`` (missing = ``pd.NA``);
        xlsx columns are float64, datetime64 or ``string[pyarrow]``; parquet as stored.
    headers : list of str
        The header cells as in the file (stripped), before de-duplication; same length
        and order as ``frame.columns``.
    row_numbers : numpy.ndarray
        int64, 1-based row number of each data row as an analyst sees it in Excel.
    header_row : int
        1-based row number of the header (0 for parquet: no header row).
    encoding : str or None
        Text encoding of CSV/HTML files, ``None`` for xlsx/parquet.
    format : str
        ``"csv"``, ``"xlsx"``, ``"html"`` or ``"parquet"``.
    sheet : str or None
        Worksheet name (xlsx), ``"table N"`` for an HTML file with several tables.
    banner : list of str
        Text of the non-empty rows above the header (cells joined with a space).
    """

    path: Path
    frame: pd.DataFrame
    headers: list[str]
    row_numbers: np.ndarray
    header_row: int
    encoding: str | None
    format: str
    sheet: str | None = None
    banner: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _cell_text(value: Any) -> str:
    """Text of a cell for header search: ``None`` → ``""``, numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _format_value(value)


def _format_value(value: Any) -> str:
    """Format a non-string xlsx cell faithfully as text.

    Integral floats are written without ``.0`` (Excel stores every number as a float;
    ``1200`` in the sheet is ``1200.0`` from the reader), other floats with ``repr``.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        total = value.total_seconds()
        sign = "-" if total < 0 else ""
        total = abs(total)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        sec = f"{int(seconds):02d}" if float(seconds).is_integer() else f"{seconds:06.3f}"
        return f"{sign}{int(hours)}:{int(minutes):02d}:{sec}"
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_header(text: str) -> str:
    return text.strip().strip("\ufeff").strip()


def _count_nonempty(cells: Sequence[Any]) -> int:
    return sum(1 for c in cells if not _is_empty(c))


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


# --------------------------------------------------------------------------- public API


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


def sniff_encoding(path_or_bytes: str | os.PathLike[str] | bytes | bytearray | memoryview) -> str:
    """Detect the text encoding of a CSV file.

    Parameters
    ----------
    path_or_bytes : path or bytes
        A file (its first ~1 MB and last 64 KB are examined) or its bytes.

    Returns
    -------
    str
        ``"utf-8-sig"`` (UTF-8 BOM), ``"utf-16"``/``"utf-32"`` (their BOMs, e.g. Excel
        "Unicode Text"), ``"utf-8"`` if valid UTF-8, ``"gb18030"`` if valid GB18030
        (covers GBK/GB2312), else charset-normalizer's best confident guess.

    Raises
    ------
    FactInputError
        If no encoding fits.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        label: str | os.PathLike[str] = "<bytes>"
        chunks = [(bytes(path_or_bytes), True)]
    else:
        label = path_or_bytes
        chunks = _sample_chunks(Path(path_or_bytes))
    head = chunks[0][0]
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for candidate in ("utf-8", "gb18030"):
        if all(_decodes(data, candidate, final) for data, final in chunks):
            return candidate
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head[:256 << 10]).best()
    except Exception:  # pragma: no cover - defensive: detection must not crash the reader
        best = None
    if best is not None and best.encoding:
        return best.encoding
    raise FactInputError(label, "unknown text encoding", fix=_FIX_ENCODING)


def _sample_chunks(path: Path) -> list[tuple[bytes, bool]]:
    """First ``_HEAD_BYTES`` and (cut at a line start) last ``_TAIL_BYTES`` of a file."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(_HEAD_BYTES)
        if size <= len(head):
            return [(head, True)]
        f.seek(max(len(head), size - _TAIL_BYTES))
        tail = f.read()
    # '\n' never occurs inside a UTF-8 or GB18030 character: start the tail after one
    nl = tail.find(b"\n")
    tail = tail[nl + 1:] if nl >= 0 else b""
    return [(head, False), (tail, True)]


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    """True if ``data`` decodes; an incomplete character at the end is allowed unless final."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


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


# --------------------------------------------------------------------------- CSV


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False  # UTF-16/32 with BOM
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 100)


def _record_ends(buf: bytes, delim: int, limit: int, at_eof: bool) -> list[int]:
    """End offsets (exclusive, after the line break) of the first CSV records in ``buf``.

    A quote opens a quoted field only at the start of a field (as in Python's csv
    module and pyarrow); ``""`` inside quotes is an escaped quote. A record ends at an
    unquoted LF, CRLF or lone CR. A final record without line break counts if ``at_eof``.
    """
    ends: list[int] = []
    n = len(buf)
    i = 0
    in_quotes = False
    field_start = True
    start = 0
    quote, lf, cr = 0x22, 0x0A, 0x0D
    while i < n and len(ends) < limit:
        c = buf[i]
        if in_quotes:
            if c == quote:
                if i + 1 < n and buf[i + 1] == quote:
                    i += 2
                    continue
                in_quotes = False
            i += 1
            continue
        if c == lf or c == cr:
            if c == cr and i + 1 < n and buf[i + 1] == lf:
                i += 1
            elif c == cr and i + 1 == n and not at_eof:
                break  # cannot tell CR from CRLF yet
            i += 1
            ends.append(i)
            start = i
            field_start = True
            continue
        if c == quote and field_start:
            in_quotes = True
        field_start = c == delim
        i += 1
    if at_eof and len(ends) < limit and start < n and i >= n:
        ends.append(n)
    return ends


@contextlib.contextmanager
def _long_fields() -> Iterator[None]:
    """Let Python's csv module read cells of any length (its default limit is 131,072
    characters; pyarrow, which reads the body, has none), restoring the limit after."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, _MAX_BLOCK_SIZE))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _parse_record(text: str, delim: str) -> list[str]:
    text = text.rstrip("\r\n")
    if not text:
        return []
    with _long_fields():
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False))
    return [cell for row in rows for cell in row]


@dataclass
class _Top:
    delim: str
    rows: list[list[str]]
    ends: list[int]
    header_idx: int


def _top_records(buf: bytes, bom: int, encoding: str, delim: str, at_eof: bool) -> _Top:
    ends = [e + bom for e in _record_ends(buf[bom:], ord(delim), _SAMPLE_RECORDS, at_eof)]
    rows: list[list[str]] = []
    prev = bom
    for e in ends:
        rows.append(_parse_record(buf[prev:e].decode(encoding, errors="replace"), delim))
        prev = e
    return _Top(delim, rows, ends, -1)


def _choose_delimiter(buf: bytes, bom: int, encoding: str, at_eof: bool, suffix: str,
                      header_score: HeaderScore | None) -> _Top:
    """Parse the top records with ',', tab and ';' and keep the most consistent split."""
    order = ["\t", ",", ";"] if suffix in (".tsv", ".txt", ".xls") else [",", "\t", ";"]
    best: tuple | None = None
    chosen: _Top | None = None
    for rank, delim in enumerate(order):
        if delim != order[0] and delim.encode() not in buf:
            continue
        top = _top_records(buf, bom, encoding, delim, at_eof)
        try:
            top.header_idx = find_header_row(top.rows, header_score)
        except ValueError:
            continue
        header = top.rows[top.header_idx]
        width = len(header)
        score = int(header_score([_clean_header(c) for c in header])) if header_score else 0
        below = [r for r in top.rows[top.header_idx + 1:] if r]
        consistent = sum(1 for r in below if len(r) == width)
        key = (score, width >= 2, consistent, -rank)
        if best is None or key > best:
            best, chosen = key, top
    if chosen is None:
        raise ValueError("every row is empty")
    return chosen


def _read_csv(path: Path, header_score: HeaderScore | None, encoding: str | None,
              suffix: str) -> RawTable:
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(_HEAD_BYTES)
    if encoding is None and _looks_binary(head[:4096]):
        raise FactInputError(path, "not a text CSV file (binary content)",
                             fix="export the report as CSV or Excel again")
    if encoding is None:
        try:
            encoding = sniff_encoding(path)
        except FactInputError:
            if _looks_binary(head[:65536]):
                raise FactInputError(path, "not a text CSV file (binary content)",
                                     fix="export the report as CSV or Excel again") from None
            raise
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise FactInputError(path, f"unknown text encoding {encoding!r}", fix=_FIX_ENCODING) from None

    source: Path | bytes = path
    work_enc = encoding
    if codec not in _ASCII_SAFE:
        # e.g. UTF-16 "Unicode Text": transcode once to UTF-8 in memory
        try:
            source = path.read_bytes().decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            raise FactInputError(path, f"the file is not valid {encoding}", fix=_FIX_ENCODING) from None
        size = len(source)
        head = source[:_HEAD_BYTES]
        work_enc = "utf-8"
        codec = "utf-8"

    bom = len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0
    if not head[bom:].strip() and size <= len(head):
        raise FactInputError(path, "the file is empty", fix=_FIX_REDOWNLOAD)

    layout = csv_head_layout(source, head, size, bom, work_enc, suffix, header_score)
    if layout is None:
        raise FactInputError(path, "the file is empty", fix=_FIX_REDOWNLOAD)
    top, h, raw_header, width, header_cells = (layout.top, layout.header_idx, layout.raw_header,
                                               layout.width, layout.header_cells)
    header_row = h + 1
    data_offset = layout.data_offset

    table = _csv_body(path, source, data_offset, size, work_enc, top.delim, width, header_row)
    for j in range(len(raw_header), width):  # cells right of the header must be empty
        column = table.column(j)
        if column.null_count < table.num_rows:
            first = int(np.flatnonzero(column.is_valid().to_numpy(zero_copy_only=False))[0])
            raise FactInputError(path, f"this row has more cells than the header ({len(raw_header)})",
                                 row=header_row + 1 + first, fix=_FIX_RAGGED)
    _check_swallowed_records(path, table, raw_header, top.delim, header_row + 1)
    frame, headers, row_numbers = _finish_text(table, header_cells, header_row + 1)
    return RawTable(path=path, frame=frame, headers=headers, row_numbers=row_numbers,
                    header_row=header_row, encoding=encoding, format="csv",
                    banner=_banner(top.rows[:h]))


@dataclass
class CsvHeadLayout:
    """Where a CSV's header and data start, as found in its first records."""

    top: Any                 # the parsed first records (rows, record ends, delimiter)
    head: bytes              # the bytes read to find them
    at_eof: bool             # ``head`` is the whole file
    header_idx: int          # 0-based record index of the header
    raw_header: list[str]    # the header cells, cleaned
    width: int               # columns of the data (the header may have trailing empty cells)
    header_cells: list[str]  # ``raw_header`` padded or cut to ``width``
    data_offset: int         # byte offset of the first data record


def csv_head_layout(source: Path | bytes, head: bytes, size: int, bom: int, encoding: str, suffix: str,
                    header_score: HeaderScore | None) -> CsvHeadLayout | None:
    """Read records from the top of a CSV until the header is found; None for no records.

    Shared by the pandas reader and the DuckDB engine so both find the same header.
    """
    # grow the head until it holds enough complete records (or the whole file)
    while True:
        at_eof = size <= len(head)
        try:
            top = _choose_delimiter(head, bom, encoding, at_eof, suffix, header_score)
        except ValueError:
            top = None
        enough = top is not None and len(top.ends) >= _SAMPLE_RECORDS
        if at_eof or enough or len(head) >= _MAX_HEAD_BYTES:
            break
        head = _read_prefix(source, len(head) * 4)
    if top is None or not top.ends:
        return None
    h = top.header_idx
    raw_header = [_clean_header(c) for c in top.rows[h]]
    sample = [r for r in top.rows[h + 1:] if r]
    width = len(raw_header)
    if sample:
        widest = max(len(r) for r in sample)
        if widest > width:
            width = widest
        elif widest < width and not any(raw_header[widest:]):
            width = widest  # header has trailing empty cells the data rows do not have
    header_cells = (raw_header + [""] * width)[:width]
    return CsvHeadLayout(top, head, at_eof, h, raw_header, width, header_cells, top.ends[h])


def _read_prefix(source: Path | bytes, n: int) -> bytes:
    if isinstance(source, bytes):
        return source[:n]
    with open(source, "rb") as f:
        return f.read(n)


def _has_quote(source: Path | bytes, start: int) -> bool:
    if isinstance(source, bytes):
        return source.find(b'"', start) >= 0
    with open(source, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b'"', start) >= 0


def _csv_body(path: Path, source: Path | bytes, offset: int, size: int, encoding: str,
              delim: str, width: int, header_row: int) -> pa.Table:
    """Read the data records after the header with pyarrow (all columns as strings)."""
    names = [f"c{i}" for i in range(width)]
    if offset >= size:
        return pa.table({n: pa.array([], _LSTR) for n in names})
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row.actual_columns)
        return "skip" if len(invalid) < _MAX_INVALID_ROWS else "error"

    codec = codecs.lookup(encoding).name
    arrow_enc = "utf8" if codec in ("utf-8", "utf-8-sig") else encoding
    newlines = _has_quote(source, offset)
    block = _BLOCK_SIZE
    while True:
        invalid.clear()
        read_opts = pacsv.ReadOptions(column_names=names, encoding=arrow_enc, block_size=block,
                                      use_threads=True)
        parse_opts = pacsv.ParseOptions(delimiter=delim, quote_char='"', double_quote=True,
                                        newlines_in_values=newlines, ignore_empty_lines=False,
                                        invalid_row_handler=on_invalid)
        conv_opts = pacsv.ConvertOptions(column_types={n: _LSTR for n in names},
                                         null_values=[""], strings_can_be_null=True,
                                         quoted_strings_can_be_null=True)
        stream: Any = (pa.BufferReader(source) if isinstance(source, bytes)
                       else pa.PythonFile(open(source, "rb"), mode="r"))
        try:
            stream.seek(offset)
            table = pacsv.read_csv(stream, read_options=read_opts, parse_options=parse_opts,
                                   convert_options=conv_opts)
            break
        except (pa.ArrowInvalid, UnicodeDecodeError) as err:
            msg = str(err)
            if invalid:
                break  # ragged rows: handled by the exact (slow) path below
            if "straddl" in msg and block < _MAX_BLOCK_SIZE:
                block *= 16  # a single record larger than the block
                continue
            if isinstance(err, UnicodeDecodeError) or "UTF8" in msg or "utf8" in msg.lower():
                raise FactInputError(path, f"the file is not valid {encoding} throughout "
                                     "(mixed encodings?)", fix=_FIX_ENCODING) from None
            raise FactInputError(path, f"cannot parse the CSV ({msg.splitlines()[0][:200]})",
                                 fix=_FIX_REDOWNLOAD) from None
        finally:
            stream.close()
    if invalid:
        return _csv_body_python(path, source, offset, encoding, delim, width, header_row)
    return table


def _has_newline(column: pa.ChunkedArray) -> bool:
    """Whether any cell of a text column holds a line break: a scan of the raw bytes."""
    for chunk in column.chunks:
        data = chunk.buffers()[2] if chunk.type in (pa.string(), _LSTR) else None
        if data is None:
            if pc.any(pc.match_substring(chunk, "\n")).as_py():
                return True
        elif (np.frombuffer(data, dtype=np.uint8) == 10).any():
            return True
    return False


def _check_swallowed_records(path: Path, table: pa.Table, header: list[str], delim: str,
                             first_row: int) -> None:
    """A quote that is never closed turns the rest of the file into one cell: refuse it.

    A cell may hold line breaks (a multi-line title), but not two or more lines that are
    whole records themselves (as many separators as the header). Only cells with a line
    break are looked at.
    """
    need = max(len(header) - 1, 1)
    for j, column in enumerate(table.columns):
        if not _has_newline(column):
            continue
        multi = pc.fill_null(pc.greater_equal(pc.count_substring(column, "\n"), 2), False)
        if not pc.any(multi).as_py():
            continue
        for i in np.flatnonzero(np.asarray(multi.to_numpy(zero_copy_only=False), dtype=bool)):
            lines = str(column[int(i)].as_py()).splitlines()[1:]
            whole = sum(1 for line in lines if line.count(delim) >= need)
            if whole >= 2:
                name = header[j] if j < len(header) and header[j] else f"column {j + 1}"
                raise FactInputError(
                    path, f"a quote (\") opened in this cell is never closed, so {len(lines)} more lines of "
                    "the file were read as part of it", row=first_row + int(i), column=name,
                    fix="close the quote in that cell, or re-export the file from the platform")


def _csv_body_python(path: Path, source: Path | bytes, offset: int, encoding: str, delim: str,
                     width: int, header_row: int) -> pa.Table:
    """Exact but slow reading of ragged files: pad short rows, reject long ones."""
    columns: list[list[str | None]] = [[] for _ in range(width)]
    raw = (io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb"))
    with raw, _long_fields():
        raw.seek(offset)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            for k, record in enumerate(csv.reader(text, delimiter=delim, strict=False)):
                if len(record) > width:
                    if any(c.strip() for c in record[width:]):
                        raise FactInputError(
                            path, f"this row has {len(record)} cells but the header has {width}",
                            row=header_row + 1 + k, fix=_FIX_RAGGED)
                    record = record[:width]
                for j in range(width):
                    value = record[j] if j < len(record) else ""
                    columns[j].append(value if value != "" else None)
        except UnicodeDecodeError:
            raise FactInputError(path, f"the file is not valid {encoding} throughout "
                                 "(mixed encodings?)", fix=_FIX_ENCODING) from None
        finally:
            text.detach()
    return pa.table({f"c{j}": pa.array(col, _LSTR) for j, col in enumerate(columns)})


def _finish_text(table: pa.Table, header_cells: list[str], first_row: int
                 ) -> tuple[pd.DataFrame, list[str], np.ndarray]:
    """Drop edge columns without header and data, drop empty rows, convert to pandas."""
    n = table.num_rows

    def blank(j: int) -> bool:
        return header_cells[j] == "" and table.column(j).null_count == n

    lo, hi = 0, len(header_cells)
    while lo < hi and blank(lo):
        lo += 1
    while hi > lo and blank(hi - 1):
        hi -= 1
    if (lo, hi) != (0, len(header_cells)):
        table = table.select(list(range(lo, hi)))
    headers = header_cells[lo:hi]
    row_numbers = np.arange(first_row, first_row + n, dtype=np.int64)
    if n and table.num_columns and all(c.null_count for c in table.columns):
        empty = table.column(0).is_null()
        for col in table.columns[1:]:
            empty = pc.and_(empty, col.is_null())
        if pc.any(empty).as_py():
            keep = pc.invert(empty)
            table = table.filter(keep)
            row_numbers = row_numbers[keep.to_numpy(zero_copy_only=False)]
    table = table.rename_columns(_column_names(headers))
    frame = table.to_pandas(types_mapper={pa.string(): STRING_DTYPE,
                                          _LSTR: STRING_DTYPE}.get)
    return frame, headers, row_numbers


# --------------------------------------------------------------------------- cell tables


_NUM_TYPES = [int, float, np.float64, np.int64]
_TYPE_OF = np.frompyfunc(type, 1, 1)  # each cell's Python type, without a Python-level loop
_DATE_CELL_TYPES = [_dt.datetime, _dt.date, pd.Timestamp]


def _cell_columns(data: list[list[Any]], width: int) -> list[pd.Series]:
    """Rows of cells → one object Series per column (ragged rows padded with None)."""
    if any(len(r) != width for r in data):
        data = [list(r[:width]) + [None] * (width - len(r)) for r in data]
    if not data:
        return [pd.Series([], dtype=object) for _ in range(width)]
    frame = pd.DataFrame(data, columns=range(width), dtype=object)
    return [frame[j] for j in range(width)]


def _cell_kinds(col: pd.Series) -> tuple[np.ndarray, ...]:
    """Masks of (empty, string, number, date) cells, each cell's Python type, float values.

    Whitespace-only strings are empty. The last array holds the value of every Python
    ``float`` cell (0 elsewhere), so callers need not convert the cells again.
    """
    values = col.to_numpy(dtype=object)
    n = len(values)
    floats = np.zeros(n)
    if n and pd.api.types.infer_dtype(values, skipna=False) == "string":  # C scan: a text column
        types = np.full(n, str, dtype=object)
        is_str = np.ones(n, dtype=bool)
        empty = np.zeros(n, dtype=bool)
        is_num = np.zeros(n, dtype=bool)
        is_date = np.zeros(n, dtype=bool)
    else:
        types = np.asarray(_TYPE_OF(values), dtype=object)
        is_str = np.array(types == str, dtype=bool)
        is_float = np.array(types == float, dtype=bool)
        if int(is_str.sum()) + int(is_float.sum()) == n:  # the usual export column: text and numbers
            is_int, empty = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        else:
            is_int = np.array(types == int, dtype=bool)
            empty = np.array(types == type(None), dtype=bool)
        if is_float.any():
            floats[is_float] = values[is_float].astype(np.float64)
            empty[is_float] = np.isnan(floats[is_float])
        # other types (numpy scalars, dates, NaT, pd.NA ...) are few: look at them one kind at a time
        odd = np.flatnonzero(~(is_str | is_float | is_int | empty))
        is_num = is_float | is_int
        is_date = np.zeros(n, dtype=bool)
        if len(odd):
            empty[odd] = pd.isna(values[odd])
            odd_types = pd.Series(types[odd], dtype=object)
            is_num[odd] = odd_types.isin(_NUM_TYPES).to_numpy(dtype=bool)
            is_date[odd] = odd_types.isin(_DATE_CELL_TYPES).to_numpy(dtype=bool)
    if is_str.any():
        text = pa.array(values[is_str], type=_LSTR)
        blank = np.zeros(n, dtype=bool)
        blank[is_str] = np.asarray(pc.equal(pc.utf8_trim_whitespace(text), "").to_numpy(zero_copy_only=False),
                                   dtype=bool)
        empty |= blank
        is_str &= ~blank
    is_num &= ~empty
    is_date &= ~empty
    return empty, is_str, is_num, is_date, types, floats


def _typed_column(col: pd.Series, kinds: tuple[np.ndarray, ...]) -> pd.Series:
    """xlsx column: float64 if all numbers, datetime64 if all dates, else strings."""
    empty, is_str, is_num, is_date, _, _ = kinds
    present = ~empty
    if present.any() and (is_num == present).all():
        out = np.full(len(col), np.nan)
        out[is_num] = col[is_num].to_numpy(dtype=np.float64)
        return pd.Series(out)
    if present.any() and (is_date == present).all():
        stamps = col.where(present, None).map(
            lambda v: v if v is None or isinstance(v, _dt.datetime) else _dt.datetime(v.year, v.month, v.day))
        return pd.Series(pd.to_datetime(stamps.map(
            lambda v: v.replace(tzinfo=None) if v is not None and v.tzinfo else v)))
    return _text_column(col, kinds)


def _text_column(col: pd.Series, kinds: tuple[np.ndarray, ...]) -> pd.Series:
    """Strings as they are; other cells formatted faithfully (see ``_format_value``).

    Built in Arrow: the text cells, the formatted numbers and the empty cells are three
    arrays put back in cell order with one ``take`` (no Python string per number).
    """
    empty, is_str, _, _, types, floats = kinds
    values = col.to_numpy(dtype=object)
    other = ~empty & ~is_str
    pieces: list[pa.Array] = []
    where: list[np.ndarray] = []
    for mask, make in ((is_str, lambda m: pa.array(values[m], type=_LSTR)),
                       (other, lambda m: _format_arrow(values[m], types[m], floats[m])),
                       (empty, lambda m: pa.nulls(int(m.sum()), _LSTR))):
        if mask.any():
            pieces.append(make(mask))
            where.append(np.flatnonzero(mask))
    return pd.Series(pd.arrays.ArrowStringArray(_in_cell_order(pieces, where, len(values))))


def _in_cell_order(pieces: list[pa.Array], where: list[np.ndarray], n: int) -> pa.Array:
    """Text pieces, each for the cell positions in ``where``, as one array in cell order (one ``take``)."""
    if not pieces:
        return pa.array([], type=_LSTR)
    if len(pieces) == 1:
        return pieces[0]
    order = np.empty(n, dtype=np.int64)
    order[np.concatenate(where)] = np.arange(n, dtype=np.int64)
    return pa.concat_arrays(pieces).take(pa.array(order))


def _format_arrow(values: np.ndarray, types: np.ndarray, floats: np.ndarray | None = None) -> pa.Array:
    """:func:`_format_value` for many non-empty cells, as an Arrow string array.

    Floats are formatted vectorised: integral ones as integers, the others with Arrow's
    shortest round-trip digits, which are repr's where neither uses an exponent (repr:
    1e-4 <= |x| < 1e16); the remaining floats by numpy (also repr's text) and every other
    type one by one. ``floats``: the float cells' values, when the caller has them.
    """
    n = len(values)
    is_float = np.array(types == float, dtype=bool)
    if floats is None:
        f = np.zeros(n)
        f[is_float] = values[is_float].astype(np.float64)
    else:
        f = floats
    with np.errstate(invalid="ignore"):
        integral = is_float & np.isfinite(f) & (f == np.trunc(f)) & (np.abs(f) < 2**53)
        plain = is_float & ~integral & (np.abs(f) >= 1e-4) & (np.abs(f) < 1e16)
    pieces: list[pa.Array] = []
    where: list[np.ndarray] = []
    if integral.any():
        pieces.append(pc.cast(pa.array(f[integral].astype(np.int64)), _LSTR))
        where.append(np.flatnonzero(integral))
    if plain.any():
        at = np.flatnonzero(plain)
        text = pc.cast(pa.array(f[at]), _LSTR)
        exp = np.asarray(pc.match_substring(text, "e").to_numpy(zero_copy_only=False), dtype=bool)
        pieces.append(text.filter(pa.array(~exp)))
        where.append(at[~exp])
        plain[at[exp]] = False
    rest = ~integral & ~plain
    if rest.any():
        at = np.flatnonzero(rest)
        floats = is_float[at]
        text_rest = np.empty(len(at), dtype=object)
        text_rest[floats] = f[at[floats]].astype(str)  # numpy's str is the shortest round-trip form, as repr
        text_rest[~floats] = [_format_value(v) for v in values[at[~floats]]]
        pieces.append(pa.array(text_rest, type=_LSTR))
        where.append(at)
    return _in_cell_order(pieces, where, n)


def _table_from_cells(path: Path, rows: list[list[Any]], row_numbers: Sequence[int],
                      header_score: HeaderScore | None, *, typed: bool, fmt: str,
                      encoding: str | None, sheet: str | None) -> RawTable | None:
    """Build a RawTable from rows of cell values; ``None`` if every cell is empty.

    Column-wise and vectorised: cells are classified per column (empty / text / number /
    date) with array operations, not one Python call per cell.
    """
    first = next((i for i, r in enumerate(rows) if _count_nonempty(r)), None)
    if first is None:
        return None
    top = rows[: _SAMPLE_RECORDS + first]
    h = find_header_row(top, header_score)
    raw_header = [_clean_header(_cell_text(c)) for c in rows[h]]
    data = rows[h + 1:]
    width = max([len(raw_header)] + [len(r) for r in data])
    header_cells = (raw_header + [""] * width)[:width]
    columns = _cell_columns(data, width)
    kinds = [_cell_kinds(c) for c in columns]
    nonempty_row = np.zeros(len(data), dtype=bool)
    for k in kinds:
        nonempty_row |= ~k[0]
    keep = np.flatnonzero(nonempty_row)

    def blank(j: int) -> bool:
        return header_cells[j] == "" and bool(kinds[j][0].all())

    lo, hi = 0, width
    while lo < hi and blank(lo):
        lo += 1
    while hi > lo and blank(hi - 1):
        hi -= 1
    headers = header_cells[lo:hi]
    names = _column_names(headers)
    make = _typed_column if typed else _text_column
    out: dict[str, pd.Series] = {}
    every = len(keep) == len(data)  # no empty rows: nothing to take
    for name, j in zip(names, range(lo, hi), strict=True):
        col = columns[j] if every else columns[j].iloc[keep].reset_index(drop=True)
        sub = kinds[j] if every else tuple(k[keep] for k in kinds[j])
        out[name] = make(col, sub).reset_index(drop=True)
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(keep)), copy=False)
    numbers = np.asarray(row_numbers, dtype=np.int64)[h + 1:][keep] if len(data) else np.array([], dtype=np.int64)
    return RawTable(path=path, frame=frame, headers=headers,
                    row_numbers=numbers.astype(np.int64),
                    header_row=int(row_numbers[h]), encoding=encoding, format=fmt, sheet=sheet,
                    banner=_banner(rows[:h]))


# --------------------------------------------------------------------------- xlsx / xls


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


# --------------------------------------------------------------------------- HTML


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


# --------------------------------------------------------------------------- parquet


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as err:
        reason = " ".join(str(err).split())[:160]
        raise FactInputError(path, f"not a readable parquet file ({reason})",
                             fix=_FIX_REDOWNLOAD) from None
    frame = table.to_pandas(types_mapper={pa.string(): STRING_DTYPE,
                                          _LSTR: STRING_DTYPE}.get)
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    elif not frame.index.equals(pd.RangeIndex(len(frame))):
        frame = frame.reset_index(drop=True)
    headers = [str(c) for c in frame.columns]
    return RawTable(path=path, frame=frame, headers=headers,
                    row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64), header_row=0,
                    encoding=None, format="parquet")
