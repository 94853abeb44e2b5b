"""Read a CSV/TSV/TXT file: its data records with pyarrow, ragged files exactly in Python.

The header and the first data byte come from :func:`.csv_head.csv_head_layout`; every cell
is kept as text (``string[pyarrow]``).
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ...errors import FactInputError
from .csv_head import _MAX_BLOCK_SIZE, _long_fields, csv_head_layout
from .encoding import _ASCII_SAFE, _FIX_ENCODING, _HEAD_BYTES, _UTF8_BOM, _looks_binary, sniff_encoding
from .header import HeaderScore, _banner, _column_names
from .table import _FIX_REDOWNLOAD, _LSTR, STRING_DTYPE, RawTable

__all__ = ["_read_csv", "_BLOCK_SIZE", "_FIX_RAGGED"]

_BLOCK_SIZE = 4 << 20                # pyarrow CSV block size (measured: 1-4 MB is fastest)
_MAX_INVALID_ROWS = 100              # ragged rows collected before giving up on pyarrow
_FIX_RAGGED = "a cell probably contains an unquoted separator; re-export the file from the platform"


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
