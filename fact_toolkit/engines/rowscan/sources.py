"""Which input files the DuckDB engine scans, and how DuckDB reads each of them.

A file's kind and columns are recognised from its header with the normal readers and header
matching; UTF-8 CSV and Parquet are then read by DuckDB directly (GB18030 is transcoded
once, streaming, to a temporary UTF-8 copy), anything else (workbooks, HTML, ragged or
rejected CSV) is read by the normal readers and handed over as Arrow. Also here: the
row-numbering questions a parallel CSV scan cannot answer (blank lines between records,
total rows at the edges), and the currency of a file's money columns.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ...errors import FactInputError
from ...io.convert import CURRENCY_SYMBOLS
from ...io.convert import _carrier_blocks
from ...io.headers import KindMatch, header_score, match_kind
from ...io.readers import (
    _ASCII_SAFE,
    _FIX_ENCODING,
    _HEAD_BYTES,
    _PARQUET_MAGIC,
    _UTF8_BOM,
    _ZIP_MAGIC,
    _banner,
    _column_names,
    _looks_binary,
    _read_prefix,
    csv_head_layout,
    read_raw,
    sniff_encoding,
)
from ...io.sql import ident, lit, summary_row_sql
from ...reconcile import Check
from ...report import FileReport
from ...schema import TABLES

__all__ = ['ENGINE_TABLES', 'PANDAS_KINDS_PREFIX', '_engine_match', '_NO_DATA', '_CSV_MAX_LINE', '_BLANK_BLOCK', '_Reread', '_FIX_NO_DATA', '_Source', '_Ctx', '_route', '_csv_layout', '_has_blank_record', '_last_non_space', '_transcode', '_csv_relation', '_fresh_name', '_register', '_fetch_arrow', '_sources_for_file', '_probe_header_kind', '_match', '_raw_sources', '_detect_currency', '_parquet_edge_summary', '_csv_edge_totals', '_csv_tail', '_number_csv_edges', '_blank_record_sources']


#: canonical tables the engine aggregates in DuckDB; files of other tables use the pandas path
ENGINE_TABLES: tuple[str, ...] = ("content", "products", "orders")
#: file kinds whose rules run on whole rows after loading (own-account videos, GMV Max spend
#: onto its LIVE sessions, period rows, the zone from the currency): TikTok Seller Center
#: lists, a shop's few thousand rows at most, always go through the pandas path whole
PANDAS_KINDS_PREFIX = "tiktok_"


def _engine_match(match: KindMatch | None) -> bool:
    """Whether DuckDB scans a file of this kind (else the pandas path loads it)."""
    return match is not None and match.table in ENGINE_TABLES and not match.kind.startswith(PANDAS_KINDS_PREFIX)


_NO_DATA = "the file has a header but no data rows"


#: DuckDB's CSV line limit (its default). The reader's buffers grow with it — outside the
#: memory limit: 16 MiB made a 20M-row CSV load peak at ~2 GB. A longer record makes DuckDB
#: reject the file, which then goes through the normal reader (``_run_with_fallback``).
_CSV_MAX_LINE = 2 << 20


#: block size of the blank-line search
_BLANK_BLOCK = 16 << 20


class _Reread(Exception):
    """These CSV sources must be read by the normal reader (their row numbers are needed)."""

    def __init__(self, sources: list[Any]) -> None:
        super().__init__("re-read with the normal reader")
        self.sources = sources


_FIX_NO_DATA = "export a date range that has data"


@dataclass
class _Source:
    """One file (or sheet) of an engine table, as DuckDB will see it."""

    idx: int
    path: Path
    report: FileReport
    match: KindMatch
    names: list[str]                 # frame column names (deduplicated headers)
    cols: list[str]                  # SQL column names in the relation, same order
    routes: dict[str, str]           # frame column -> parse route (VARCHAR, NUMBER …)
    relation: str                    # FROM clause of the parallel scan
    numbered: str                    # FROM clause with "__row" (record number in the file)
    empty_rows: bool                 # CSV/HTML: fully empty records are dropped
    currency: str = "CNY"
    scan_path: Path | None = None    # the file DuckDB reads (a UTF-8 copy for GB18030)
    #: SQL predicate true on the first two and last two data rows (the only rows that can be
    #: export totals, as ``convert._summary_mask``); None for a parallel CSV scan, whose
    #: total rows are checked against its edge records (:func:`_csv_edges_ok`)
    edge: str | None = None
    layout: dict[str, Any] | None = None
    #: reconciliation of the file's platform-reported metrics (:mod:`fact_toolkit.reconcile`)
    checks: list[Check] = field(default_factory=list)
    #: a CSV scanned in parallel whose ``numbered`` form is a streaming ``row_number()`` (which
    #: runs the whole pipeline on one thread): record ``i`` (0-based, in the order the parallel
    #: scan yields them) is file row ``i + 1 + row_offset``. None for other sources, whose
    #: numbering is free (Parquet's ``file_row_number``, the readers' row numbers)
    row_offset: int | None = None
    #: ``numbered`` holds only this source's repeat candidates (:func:`~.repeats._picked_candidates`)
    picked: bool = False


@dataclass
class _Ctx:
    con: duckdb.DuckDBPyConnection
    tmp: Path
    locale: str | None
    tz: str
    kind: str | None
    currency: str | None
    registered: int = 0
    warnings: list[str] = field(default_factory=list)
    #: a higher memory limit for a work table that does not fit under the engine's (set once,
    #: for the rest of the load, by :func:`~.repeats._work_table`); None: none to raise to
    more_memory: str | None = None


def _route(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "VARCHAR"
    if pa.types.is_integer(t):
        return "INTEGER"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "NUMBER"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ" if t.tz else "TIMESTAMP"
    if pa.types.is_date(t):
        return "DATE"
    if pa.types.is_duration(t):
        return "INTERVAL"
    return "OTHER"


def _csv_layout(path: Path, encoding: str) -> dict[str, Any] | None:
    """Header row, delimiter and data offset of a UTF-8 CSV, as the normal reader finds them.

    Returns None when the file needs the normal reader (no records, blank lines between
    records, a header spanning lines).
    """
    size = path.stat().st_size
    head = _read_prefix(path, _HEAD_BYTES)
    bom = len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0
    layout = csv_head_layout(path, head, size, bom, "utf-8", path.suffix.lower(), header_score)
    if layout is None:
        return None
    if layout.width != len(layout.raw_header):
        return None  # cells right of the header, or a short header: the normal reader decides
    top, h, head, at_eof = layout.top, layout.header_idx, layout.head, layout.at_eof
    header_cells, data_offset = layout.header_cells, layout.data_offset
    prefix = head[:data_offset]
    nl = b"\n" if b"\n" in prefix else b"\r"
    if prefix.count(nl) != h + 1:  # a quoted line break in the banner/header
        return None
    # a blank line between records shifts the normal reader's row numbers (DuckDB skips it):
    # checked only when row numbers are needed (``_blank_record_sources``)
    # edge columns without header and data are dropped by the normal reader: keep the
    # frame's column set identical by trimming headerless edges only when they are unnamed
    return {"delim": top.delim, "header_cells": header_cells, "header_row": h + 1, "skip": h + 1,
            "banner": _banner(top.rows[:h]), "data_offset": data_offset,
            "sample": [list(r) for r in top.rows[h + 1:]], "at_eof": at_eof}


def _has_blank_record(path: Path, start: int) -> bool:
    """A blank line between records (not at the end): the normal reader counts it as a record.

    Streams the file in blocks (a memory map of a multi-GB export made its pages count in the
    process's RSS) and finds ``\\n\\n``, ``\\n\\r\\n`` or ``\\r\\r`` with numpy, from the header's
    line break on; only one before the last non-whitespace byte counts.
    """
    size = path.stat().st_size
    if size <= start:
        return False
    last = _last_non_space(path, size)
    pos = max(start - 1, 0)
    if last <= pos:
        return False
    with open(path, "rb") as f:
        f.seek(pos)
        carry = b""
        while pos < last:
            chunk = f.read(_BLANK_BLOCK)
            if not chunk:
                break
            buf = carry + chunk
            off = pos - len(carry)  # file offset of buf[0]
            a = np.frombuffer(buf, np.uint8)
            hits: list[int] = []
            nl = np.flatnonzero(a == 10)
            if nl.size > 1:
                gap = np.diff(nl)
                hits += nl[:-1][gap == 1][:1].tolist()
                two = nl[:-1][gap == 2]
                hits += two[a[two + 1] == 13][:1].tolist()
            cr = np.flatnonzero(a == 13)
            if cr.size > 1:
                hits += cr[:-1][np.diff(cr) == 1][:1].tolist()
            if hits and off + min(hits) < last:
                return True
            pos += len(chunk)
            carry = buf[-2:]
    return False


def _last_non_space(path: Path, size: int) -> int:
    """Offset of the file's last byte that ``bytes.strip`` keeps (-1: none)."""
    end = size
    with open(path, "rb") as f:
        while end > 0:
            n = min(end, 1 << 16)
            f.seek(end - n)
            data = f.read(n)
            kept = data.rstrip()
            if kept:
                return end - n + len(kept) - 1
            end -= n
    return -1


def _transcode(path: Path, encoding: str, tmp: Path) -> Path:
    """Stream a non-UTF-8 text file into a UTF-8 copy in ``tmp`` (the input is untouched)."""
    target = tmp / f"{len(list(tmp.iterdir()))}_{path.stem}.csv"
    dec = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(8 << 20):
                dst.write(dec.decode(chunk).encode("utf-8"))
            dst.write(dec.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        raise FactInputError(path, f"the file is not valid {encoding} throughout (mixed encodings?)",
                             fix=_FIX_ENCODING) from None
    return target


def _csv_relation(path: Path, layout: dict[str, Any], width: int, parallel: bool) -> str:
    cols = "{" + ", ".join(f"{lit(f'c{j}')}: 'VARCHAR'" for j in range(width)) + "}"
    return (f"read_csv({lit(str(path))}, skip={layout['skip']}, header=false, auto_detect=false, "
            f"delim={lit(layout['delim'])}, quote='\"', escape='\"', columns={cols}, "
            f"null_padding=false, strict_mode=true, parallel={'true' if parallel else 'false'}, "
            f"max_line_size={_CSV_MAX_LINE}, encoding='utf-8')")


def _fresh_name(ctx: _Ctx, prefix: str) -> str:
    """A name not used before on this load's connection (``__<prefix>_<n>``)."""
    name = f"__{prefix}_{ctx.registered}"
    ctx.registered += 1
    return name


def _register(ctx: _Ctx, table: pa.Table) -> str:
    name = _fresh_name(ctx, "arrow")
    ctx.con.register(name, table)
    return name


def _fetch_arrow(ctx: _Ctx, query: str) -> pa.Table:
    """A query's whole result as one Arrow table (DuckDB may hand back a batch reader)."""
    got = ctx.con.sql(query).arrow()
    return got.read_all() if isinstance(got, pa.RecordBatchReader) else got


def _sources_for_file(path: Path, ctx: _Ctx, start: int) -> list[_Source] | None:
    """Recognise one file from its header; None when it belongs to a pandas-path table."""
    with open(path, "rb") as f:
        head = f.read(4096)
    suffix = path.suffix.lower()
    is_parquet = head.startswith(_PARQUET_MAGIC) or (suffix == ".parquet" and not head.startswith(_ZIP_MAGIC))
    is_text = (suffix in (".csv", ".txt", ".tsv") and head.removeprefix(_UTF8_BOM).strip()
               and not head.startswith((_ZIP_MAGIC, b"\xd0\xcf")) and not _looks_binary(head)
               and not head.lstrip().startswith(b"<"))
    if is_parquet:
        try:
            schema = pq.read_schema(path)
        except (pa.ArrowException, OSError):
            return _raw_sources(path, ctx, start)  # the normal reader raises the error
        names = [str(n) for n in schema.names]
        match = _match(path, names, names, ctx)
        if not _engine_match(match):
            return None
        assert match is not None
        rel = f"read_parquet({lit(str(path))}, file_row_number=true)"
        fr = FileReport(file=str(path), format="parquet", encoding=None, header_row=0)
        try:
            nrows = int(pq.read_metadata(path).num_rows)
        except (pa.ArrowException, OSError):  # pragma: no cover - read_schema just worked
            nrows = -1
        src = _Source(start, path, fr, match, names, names, {n: _route(schema.field(n).type) for n in names},
                      rel, f"(SELECT *, file_row_number + 1 AS __row FROM {rel})", empty_rows=False)
        src.edge = (f"(file_row_number < 2 OR file_row_number >= {nrows - 2})" if nrows >= 0
                    else "TRUE")
        return [src]
    if is_text:
        try:
            encoding = sniff_encoding(path)
            codec = codecs.lookup(encoding).name
        except (FactInputError, LookupError):
            return _raw_sources(path, ctx, start)
        if codec not in _ASCII_SAFE:
            return _raw_sources(path, ctx, start)  # UTF-16 and the like: small, read normally
        scan = path if codec in ("utf-8", "utf-8-sig") else None
        if scan is None:
            # decide the table from the header first: only engine tables are transcoded
            probe = _probe_header_kind(path, ctx)
            if probe is None:
                return None
            scan = _transcode(path, encoding, ctx.tmp)
        layout = _csv_layout(scan, "utf-8")
        if layout is None:
            return _raw_sources(path, ctx, start)
        cells = layout["header_cells"]
        names = _column_names(cells)
        match = _match(path, names, cells, ctx)
        if not _engine_match(match):
            return None
        assert match is not None
        width = len(cells)
        cols = [f"c{j}" for j in range(width)]
        fr = FileReport(file=str(path), format="csv", encoding=encoding, header_row=layout["header_row"],
                        banner=layout["banner"])
        rel = _csv_relation(scan, layout, width, parallel=True)
        # DuckDB numbers the records of its parallel reader in file order (a streaming
        # window over an order-preserving scan; the connection keeps insertion order)
        numbered = f"(SELECT *, row_number() OVER () + {layout['header_row']} AS __row FROM {rel})"
        src = _Source(start, path, fr, match, names, cols, {n: "VARCHAR" for n in names}, rel, numbered,
                      empty_rows=True)
        src.scan_path = scan
        src.layout = layout
        src.row_offset = int(layout["header_row"])
        return [src]
    return _raw_sources(path, ctx, start)


def _probe_header_kind(path: Path, ctx: _Ctx) -> KindMatch | None:
    tables = read_raw(path, header_score=header_score) if path.stat().st_size < (8 << 20) else None
    if tables is None:
        # large non-UTF-8 file: transcode anyway (only the header decides, read after)
        return KindMatch("", "content", {})
    m = _match(path, list(tables[0].frame.columns), tables[0].headers, ctx)
    return m if _engine_match(m) else None


def _match(path: Path, names: list[str], headers: list[str], ctx: _Ctx) -> KindMatch | None:
    if ctx.kind in (None, "tiktok_product_list") and _carrier_blocks(list(headers)) is not None:
        # Seller Center's product list by channel: one block of columns per carrier, unstacked
        # by the pandas path's reader (``io.convert``), which therefore loads the file
        return KindMatch("tiktok_product_list", "products", {})
    try:
        return match_kind(path, names, headers, kind=ctx.kind)
    except FactInputError:
        return None  # the pandas path raises the same error for this file


def _raw_sources(path: Path, ctx: _Ctx, start: int) -> list[_Source] | None:
    """Files DuckDB does not scan: read with the normal readers, hand over as Arrow."""
    tables = read_raw(path, header_score=header_score)
    out: list[_Source] = []
    for k, raw in enumerate(tables):
        names = list(raw.frame.columns)
        match = _match(path, names, raw.headers, ctx)
        if match is not None and match.kind.startswith(PANDAS_KINDS_PREFIX):
            return None  # the whole workbook goes through the pandas path
        if not _engine_match(match):
            if len(tables) == 1:
                return None
            continue
        assert match is not None
        if raw.frame.empty:
            raise FactInputError(path, _NO_DATA + (f" (sheet {raw.sheet})" if raw.sheet else ""),
                                 fix=_FIX_NO_DATA)
        cols = [f"c{j}" for j in range(len(names))]
        frame = raw.frame.copy()
        frame.columns = cols
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.append_column("__row", pa.array(raw.row_numbers, pa.int64()))
        table = table.append_column("__i", pa.array(np.arange(len(frame), dtype=np.int64)))
        rel = _register(ctx, table)
        fr = FileReport(file=str(path), format=raw.format, encoding=raw.encoding, sheet=raw.sheet,
                        header_row=int(raw.header_row), banner=list(raw.banner))
        routes = {n: _route(table.schema.field(c).type) for n, c in zip(names, cols, strict=True)}
        src = _Source(start + k, path, fr, match, names, cols, routes, rel, rel, empty_rows=False)
        src.edge = f"(__i < 2 OR __i >= {len(frame) - 2})"
        out.append(src)
    return out or None


def _detect_currency(src: _Source, ctx: _Ctx, table: str) -> str | None:
    """``convert._detect_currency``: symbols in the first 2,000 cells of a money column."""
    spec = TABLES[table]
    first3 = [ident(c) for c, n in list(zip(src.cols, src.names, strict=True))[:3] if src.routes[n] == "VARCHAR"]
    summary = summary_row_sql(first3)
    for name, canon in src.match.mapping.items():
        if spec.column(canon).kind != "money" or src.routes[name] != "VARCHAR":
            continue
        c = ident(src.cols[src.names.index(name)])
        sample = ctx.con.sql(f"SELECT {c} FROM {src.relation} WHERE {c} IS NOT NULL AND NOT {summary} "
                             f"LIMIT 2000").fetchall()
        text = "".join(str(r[0]) for r in sample)
        for sym, code in CURRENCY_SYMBOLS.items():  # the normal path's table, longest symbols first
            if sym in text:
                return code
    return None


def _parquet_edge_summary(src: _Source, columns: list[str], ctx: _Ctx) -> list[int] | None:
    """File row numbers (0-based) among a Parquet file's first two and last two rows whose
    ``columns`` hold an export total label; None when the source is not a Parquet file.

    Reads just those rows' cells (the row groups holding them, only these columns).
    """
    if src.report.format != "parquet" or not src.relation.startswith("read_parquet("):
        return None
    pf = pq.ParquetFile(src.path)
    md = pf.metadata
    n = md.num_rows
    want = sorted({i for i in (0, 1, n - 2, n - 1) if 0 <= i < n})
    starts = np.cumsum([0] + [md.row_group(g).num_rows for g in range(md.num_row_groups)])
    rows: list[tuple[int, list[Any]]] = []
    cache: dict[int, pa.Table] = {}
    for i in want:
        g = int(np.searchsorted(starts, i, side="right")) - 1
        if g not in cache:
            cache[g] = pf.read_row_group(g, columns=columns)
        rec = cache[g].slice(i - int(starts[g]), 1).to_pylist()[0]
        rows.append((i, [rec[c] for c in columns]))
    if not rows:
        return []
    cols = [f"c{j}" for j in range(len(columns))]
    values = ", ".join("(" + ", ".join([str(i), *(lit(v) if v is not None else "CAST(NULL AS VARCHAR)"
                                                  for v in vals)]) + ")" for i, vals in rows)
    test = summary_row_sql([ident(c) for c in cols])
    q = f"SELECT __i FROM (VALUES {values}) t(__i, {', '.join(ident(c) for c in cols)}) WHERE {test}"
    return [int(r[0]) for r in ctx.con.sql(q).fetchall()]


def _csv_edge_totals(src: _Source, ctx: _Ctx) -> int | None:
    """How many of the CSV's first two and last two data records are total rows (None: unknown)."""
    layout = src.layout
    if layout is None or src.scan_path is None:
        return None
    tail = _csv_tail(src.scan_path, layout)
    if tail is None:
        return None
    records, complete = tail
    if complete:
        rows = records if len(records) <= 4 else records[:2] + records[-2:]
    else:
        head = [r for r in layout["sample"] if any(c != "" for c in r)]
        if len(head) < 5:  # too few sampled records to tell the first two from the last two
            return None
        rows = head[:2] + records
    first3 = [j for j, n in enumerate(src.names) if src.routes[n] == "VARCHAR"][:3]
    if not rows or not first3:
        return 0
    cols = [f"c{j}" for j in first3]
    values = ", ".join("(" + ", ".join(lit(r[j]) if j < len(r) and r[j] != "" else "CAST(NULL AS VARCHAR)"
                                       for j in first3) + ")" for r in rows)
    test = summary_row_sql([ident(c) for c in cols])
    q = f"SELECT count(*) FROM (VALUES {values}) t({', '.join(ident(c) for c in cols)}) WHERE {test}"
    return int(ctx.con.sql(q).fetchall()[0][0])


def _csv_tail(path: Path, layout: dict[str, Any]) -> tuple[list[list[str]], bool] | None:
    """The last two non-empty records of a UTF-8 CSV (all of them, ``True``, when the data are short).

    Read backwards from the last 64 KiB, line by line: a line holding an even number of
    quote characters, followed only by such lines, cannot begin inside a quoted cell (the
    last line ends outside one, and a line continuing a quoted cell holds its odd closing
    quote), so its line break is a record boundary. None when that cannot be decided (the
    numbered scan decides then).
    """
    size = path.stat().st_size
    start = int(layout["data_offset"])
    n = min(size - start, 1 << 16)
    with open(path, "rb") as f:
        f.seek(size - n)
        chunk = f.read(n)
    complete = size - n <= start
    nl = b"\n" if b"\n" in chunk else b"\r"
    lines = chunk.split(nl)
    taken: list[list[str]] = []
    for i in range(len(lines) - 1, -1, -1):
        if i == 0 and not complete:
            return None  # the first line of the chunk may be cut
        line = lines[i].rstrip(b"\r")
        if line.count(b'"') % 2:
            return None  # an odd count: the line may continue a quoted cell
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            return None
        cells = next(csv.reader([text], delimiter=layout["delim"], quotechar='"', doublequote=True), [])
        if '"' in text and any(c.startswith('"') for c in cells):
            return None  # a quote the reader did not pair as DuckDB would
        if any(c != "" for c in cells):
            taken.append(cells)
            if len(taken) == 2 and not complete:
                break
    taken.reverse()
    if complete:
        return taken, True
    return (taken, False) if len(taken) == 2 else None


def _number_csv_edges(src: _Source, nrows: int) -> None:
    """Switch a CSV source to a numbered scan so its edges are exact."""
    assert src.layout is not None and src.scan_path is not None
    seq = _csv_relation(src.scan_path, src.layout, len(src.cols), parallel=True)
    full = " AND ".join(f"{ident(c)} IS NULL" for c in src.cols)
    src.relation = f"(SELECT *, row_number() OVER () - 1 AS __i FROM {seq} WHERE NOT ({full}))"
    src.numbered = (f"(SELECT *, row_number() OVER () - 1 AS __i FROM "
                    f"(SELECT *, row_number() OVER () + {src.layout['header_row']} AS __row FROM {seq}) "
                    f"WHERE NOT ({full}))")
    src.edge = f"(__i < 2 OR __i >= {nrows - 2})"
    src.row_offset = None


def _blank_record_sources(sources: list[_Source]) -> list[_Source]:
    """The DuckDB-scanned CSV sources with a blank line between records (checked once each).

    DuckDB skips such a line, the normal reader counts it in its row numbers: those files
    are re-read by the normal reader when row numbers are needed (a quarantine, a repeat).
    """
    out = []
    for s in sources:
        if s.layout is None or s.scan_path is None or s.layout.get("blank_checked"):
            continue
        s.layout["blank_checked"] = True
        if _has_blank_record(s.scan_path, int(s.layout["data_offset"])):
            out.append(s)
    return out

