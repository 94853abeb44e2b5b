"""The top of a CSV: its first records (byte-level record ends, quotes), the delimiter and the header.

:func:`csv_head_layout` is shared by the pandas reader (:mod:`.csv_body`) and the DuckDB
engine, so both find the same header and the same first data byte.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .header import _SAMPLE_RECORDS, HeaderScore, _clean_header, find_header_row

__all__ = ["CsvHeadLayout", "csv_head_layout", "_MAX_BLOCK_SIZE", "_long_fields", "_read_prefix"]

_MAX_HEAD_BYTES = 64 << 20          # the most bytes read to find the header and the first records
_MAX_BLOCK_SIZE = 1 << 30           # the largest pyarrow CSV block (csv_body); the longest cell _long_fields allows


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
