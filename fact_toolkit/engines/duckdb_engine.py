"""Load large exports through DuckDB: parse, validate, classify and aggregate in SQL.

The normal loader materialises every raw row in pandas. This engine reads only the header
of each file with the normal readers (:mod:`fact_toolkit.io.readers`) and recognises its
kind and columns with the normal header matching (:mod:`fact_toolkit.io.headers`); then
DuckDB reads the rows, parses every mapped column with the same grammar rendered as SQL
(:mod:`fact_toolkit.io.sql`), sets summary rows aside, applies the same validation rules
(non-negative, required; identical repeats kept once, conflicting repeats all set aside),
classifies the FACT channel with the rules of :func:`fact_toolkit.channels.classify`,
overlays campaigns and aggregates to the daily panel — returning only aggregates, the
quarantine list and exact row counts.

Queries per canonical table (``content``, ``products``, ``orders``):

1. *keys*: one narrow scan per file of the key column(s), giving key codes that occur
   more than once (usually none) — candidates for duplicates — and whether every ID of the
   file is *plain* (digits; then the main scan does not validate IDs again);
2. *main*: one parallel scan of all the table's files that groups the rows on the raw
   account cells (id, name, type …), the day and the per-row flags, with only measures,
   times, keys and flags computed per row; the ~panel-sized groups are then parsed,
   checked, classified, overlaid and summed to file × status × panel keys, from which the
   panel and the per-file row accounting come;
3. *details* (only when some row is quarantined or a key repeats): a single-threaded
   scan numbering the records, returning just the problem rows with their file row
   numbers, from which the quarantine entries are built and duplicates resolved.

Files the engine cannot scan directly are read by the normal readers and handed to DuckDB
as Arrow tables, so they still take part (cross-file duplicates included): workbooks and
HTML, CSV with blank lines between records, ragged CSV, or CSV DuckDB rejects. Non-UTF-8
CSV (GB18030 …) is transcoded once, streaming, to a temporary UTF-8 file. Files of the
other tables (talents, ads, campaigns, benchmarks, daily overviews) are small: they go
through :func:`fact_toolkit.load` unchanged.
"""

from __future__ import annotations

import codecs
import csv
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..channels import ChannelRules, classify_tables
from ..dataset import ROWS, Dataset, fact_rows, panel, present
from ..errors import FactInputError
from ..io.convert import CURRENCY_SYMBOLS
from ..io.headers import KindMatch, header_score, match_kind
from ..io.readers import (
    _ASCII_SAFE,
    _FIX_ENCODING,
    _FIX_REDOWNLOAD,
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
from ..io.parse import _FAST_DT_FORMATS, _dotted_locale
from ..io.sql import _SENTINEL, TWO53, _fast_double, ident, lit, parse_sql, summary_row_sql
from ..reconcile import Check, checks, mismatched_sql, recomputed_sql
from ..report import FileReport, LoadReport, Mismatch, QuarantinedRow
from ..schema import FILE_KINDS, TABLES
from ..validate import DTYPES, version_columns
from .panel import conform_panel, panel_keys, panel_measures

__all__ = ["load_duckdb", "ENGINE_TABLES", "accounts_table"]

#: canonical tables the engine aggregates in DuckDB; files of other tables use the pandas path
ENGINE_TABLES: tuple[str, ...] = ("content", "products", "orders")

#: DuckDB's memory limit unless ``memory_limit=`` is given: aggregates spill to disk beyond it
DEFAULT_MEMORY_LIMIT = "600MB"
#: the retry's limit when a step that cannot spill ran out of memory under the default
FALLBACK_MEMORY_LIMIT = f"{int(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') * 0.75) >> 20}MB"

_NO_DATA = "the file has a header but no data rows"
#: the end of the loader's warning about mismatches (one warning for all files)
_MISMATCH_TAIL = "recomputed from the same row beyond rounding (see mismatches)"
#: DuckDB's CSV line limit (its default). The reader's buffers grow with it — outside the
#: memory limit: 16 MiB made a 20M-row CSV load peak at ~2 GB. A longer record makes DuckDB
#: reject the file, which then goes through the normal reader (``_run_with_fallback``).
_CSV_MAX_LINE = 2 << 20
#: block size of the blank-line search
_BLANK_BLOCK = 16 << 20


class _OutOfMemory(RuntimeError):
    """DuckDB ran out of memory under the engine's limit."""


class _Reread(Exception):
    """These CSV sources must be read by the normal reader (their row numbers are needed)."""

    def __init__(self, sources: list[Any]) -> None:
        super().__init__("re-read with the normal reader")
        self.sources = sources
_FIX_NO_DATA = "export a date range that has data"


# ------------------------------------------------------------------ sources


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


def _register(ctx: _Ctx, table: pa.Table) -> str:
    name = f"__arrow_{ctx.registered}"
    ctx.registered += 1
    ctx.con.register(name, table)
    return name


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
        if match is None or match.table not in ENGINE_TABLES:
            return None
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
        if match is None or match.table not in ENGINE_TABLES:
            return None
        width = len(cells)
        cols = [f"c{j}" for j in range(width)]
        fr = FileReport(file=str(path), format="csv", encoding=encoding, header_row=layout["header_row"],
                        banner=layout["banner"])
        rel = _csv_relation(scan, layout, width, parallel=True)
        seq = _csv_relation(scan, layout, width, parallel=False)
        numbered = f"(SELECT *, row_number() OVER () + {layout['header_row']} AS __row FROM {seq})"
        src = _Source(start, path, fr, match, names, cols, {n: "VARCHAR" for n in names}, rel, numbered,
                      empty_rows=True)
        src.scan_path = scan
        src.layout = layout
        return [src]
    return _raw_sources(path, ctx, start)


def _probe_header_kind(path: Path, ctx: _Ctx) -> KindMatch | None:
    tables = read_raw(path, header_score=header_score) if path.stat().st_size < (8 << 20) else None
    if tables is None:
        # large non-UTF-8 file: transcode anyway (only the header decides, read after)
        return KindMatch("", "content", {})
    m = _match(path, list(tables[0].frame.columns), tables[0].headers, ctx)
    return m if m is not None and m.table in ENGINE_TABLES else None


def _match(path: Path, names: list[str], headers: list[str], ctx: _Ctx) -> KindMatch | None:
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
        if match is None or match.table not in ENGINE_TABLES:
            if len(tables) == 1:
                return None
            continue
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


# ------------------------------------------------------------------ SQL


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


def _source_select(src: _Source, table: str, union_cols: list[str], ctx: _Ctx, numbered: bool,
                   where: str | None = None) -> str:
    spec = TABLES[table]
    fk = FILE_KINDS[src.match.kind]
    parts = [f"{src.idx} AS __src"]
    inner = ["*"]
    if numbered:
        parts.append("__row")
    col_of = dict(zip(src.names, src.cols, strict=True))
    mapped = set()
    for name, canon in src.match.mapping.items():
        col = spec.column(canon)
        raw = ident(col_of[name])
        p = parse_sql(raw, col.kind, source=src.routes[name], column=canon,
                      unit=src.match.units.get(canon, ""), locale=ctx.locale, tz=ctx.tz)
        v = ident("__v__" + canon)
        inner.append(f"{p.value} AS {v}")
        value = v
        if canon in fk.defaults and canon != "currency":
            value = f"coalesce({v}, {lit(fk.defaults[canon])})"
        if canon == "currency":
            value = f"coalesce({v}, {lit(src.currency)})"
        parts.append(f"{value} AS {ident(canon)}")
        parts.append(f"{p.invalid_given(v)} AS {ident('__inv__' + canon)}")
        if numbered:
            parts.append(f"CAST({raw} AS VARCHAR) AS {ident('__raw__' + canon)}")
        mapped.add(canon)
    for canon, default in fk.defaults.items():
        if canon not in mapped and canon != "currency":
            parts.append(f"{lit(default)} AS {ident(canon)}")
    if "currency" not in mapped:
        parts.append(f"{lit(src.currency)} AS currency")
    first3 = [ident(c) for c, n in list(zip(src.cols, src.names, strict=True))[:3]
              if src.routes[n] == "VARCHAR"]
    test = summary_row_sql(first3)
    if src.edge is not None and test != "FALSE":
        test = f"(CASE WHEN {src.edge} THEN {test} ELSE FALSE END)"
    parts.append(f"{test} AS __summary")
    if src.empty_rows:
        cells = " AND ".join(f"{ident(c)} IS NULL" for c in src.cols)
        parts.append(f"({cells}) AS __empty")
    else:
        parts.append("FALSE AS __empty")
    rel = src.numbered if numbered else src.relation
    if where:
        rel = f"(SELECT * FROM {rel} WHERE {where})"
    sel = f"SELECT {', '.join(parts)} FROM (SELECT {', '.join(inner)} FROM {rel})"
    cols = []
    for chk in src.checks:
        m = chk.metric
        cols += [f"{mismatched_sql(chk, table)} AS {ident('__bad__' + m)}",
                 f"CAST({ident(chk.reported)} AS DOUBLE) AS {ident('__rep__' + m)}",
                 f"{recomputed_sql(chk)} AS {ident('__rec__' + m)}"]
    mis = " OR ".join(mismatched_sql(chk, table) for chk in src.checks) or "FALSE"
    return f"SELECT *, {''.join(c + ', ' for c in cols)}({mis}) AS __mis FROM ({sel})"


def _key_cols(table: str, union: list[str]) -> list[str]:
    key = list(TABLES[table].key)
    return key if key and all(k in union for k in key) else []


def _synthetic_id_sql(start: str, owners: list[str]) -> str:
    """The content ID ``loader._derive`` gives a row without one: ``<account>@<start, %Y%m%d%H%M%S>``.

    ``start`` and ``owners`` (account id, then name; the first present is used, else ``?``)
    are SQL expressions; NULL when the start time is.
    """
    who = "coalesce(" + ", ".join([*owners, "'?'"]) + ")"
    return f"(CASE WHEN {start} IS NOT NULL THEN {who} || '@' || strftime({start}, '%Y%m%d%H%M%S') END)"


def _derived(table: str, union: list[str], mapped: set[str]) -> list[str]:
    """Columns computed as ``loader._derive`` does."""
    out = []
    if table == "content" and "start_time" in union:
        out.append("date_trunc('day', start_time) AS date")
        synthetic = _synthetic_id_sql("start_time", [ident(c) for c in ("account_id", "account_name") if c in mapped])
        cid = f"coalesce(content_id, {synthetic})" if "content_id" in mapped else synthetic
        out.append(f"{cid} AS content_id")
    elif table == "orders" and "pay_time" in union:
        out.append("date_trunc('day', pay_time) AS date")
    return out


def _union_columns(table: str, sources: list[_Source]) -> list[str]:
    present: set[str] = set()
    for s in sources:
        present.update(s.match.mapping.values())
        present.update(k for k in FILE_KINDS[s.match.kind].defaults)
        present.add("currency")
    if table == "content":
        present |= {"content_id", "date"}
    if table == "orders":
        present |= {"date"}
    present.discard("source_file")
    present.discard("source_row")
    return [c for c in TABLES[table].names if c in present]


def _base_sql(table: str, sources: list[_Source], union: list[str], ctx: _Ctx, numbered: bool,
              candidates: str | None, prefilter: dict[int, str] | None = None) -> str:
    """All rows of a table: parsed, derived, with __status (``prefilter``: a condition on each
    source's raw rows, by source, applied before parsing)."""
    selects = [_source_select(s, table, union, ctx, numbered, (prefilter or {}).get(s.idx)) for s in sources]
    u = " UNION ALL BY NAME ".join(f"({s})" for s in selects)
    spec = TABLES[table]
    mapped_all = {c for s in sources for c in s.match.mapping.values()}
    derived = _derived(table, union, mapped_all)
    replaced = {d.rsplit(" AS ", 1)[1] for d in derived}
    keep = [ident(c) for c in union if c not in replaced]
    inv_cols = [f"coalesce({ident('__inv__' + c)}, FALSE)" for c in union
                if any(c in s.match.mapping.values() for s in sources)]
    parse_bad = " OR ".join(inv_cols) or "FALSE"
    checks = []
    for c in union:
        col = spec.column(c)
        if col.nonneg:
            checks.append(f"coalesce({ident(c)} < 0, FALSE)")
        if col.required:
            checks.append(f"{ident(c)} IS NULL")
    val_bad = " OR ".join(checks) or "FALSE"
    key = _key_cols(table, union)
    extra = ["__src", "__summary", "__mis", *(["__row"] if numbered else [])]
    extra += [ident(p + m) for m in dict.fromkeys(c.metric for s in sources for c in s.checks)
              for p in ("__bad__", "__rep__", "__rec__")]
    extra += [ident("__inv__" + c) for c in union if any(c in s.match.mapping.values() for s in sources)]
    if numbered:
        extra += [ident("__raw__" + c) for c in union if any(c in s.match.mapping.values() for s in sources)]
    d = (f"SELECT {', '.join([*keep, *derived, *extra])}, ({parse_bad}) AS __parse_bad, "
         f"({val_bad}) AS __val_bad FROM ({u}) WHERE NOT __empty")
    if candidates and key:
        d = f"SELECT *, coalesce({_key_code(key)} IN (SELECT __kv FROM {candidates}), FALSE) AS __cand FROM ({d})"
    else:
        d = f"SELECT *, FALSE AS __cand FROM ({d})"
    status = ("CASE WHEN __summary THEN 'summary' WHEN __parse_bad THEN 'quarantined' "
              "WHEN __cand THEN 'candidate' WHEN __val_bad THEN 'quarantined' ELSE 'loaded' END")
    return f"SELECT *, {status} AS __status FROM ({d})"


def _key_code(key: list[str]) -> str:
    """A 64-bit code of the key: equal keys give equal codes (unequal keys rarely do).

    A lone text key made of digits (video, order IDs) is its number — usually ascending in
    an export, so the repeat check needs no sort — anything else its hash. Codes only pick
    *candidates*; the details pass compares the real key values.
    """
    if len(key) == 1:
        return _key_code_of(ident(key[0]))
    return f"hash({', '.join(ident(k) for k in key)})"


def _plain_key_col(src: _Source, table: str, key: list[str]) -> str | None:
    """The raw column of a lone text ID key (the key scan's cheap path), else None."""
    if len(key) != 1 or TABLES[table].column(key[0]).kind != "id":
        return None
    name = next((n for n, c in src.match.mapping.items() if c == key[0]), None)
    if name is None or src.routes[name] != "VARCHAR":
        return None
    return src.cols[src.names.index(name)]


_NULL_OF_KIND = {"id": "VARCHAR", "text": "VARCHAR", "category": "VARCHAR", "datetime": "TIMESTAMP",
                 "date": "TIMESTAMP", "int": "BIGINT"}


def _row_value(src: _Source, table: str, c: str, ctx: _Ctx) -> str:
    """Column ``c`` of one source row as ``_source_select`` gives it, one inline expression."""
    spec = TABLES[table]
    fk = FILE_KINDS[src.match.kind]
    mapped = {canon: n for n, canon in src.match.mapping.items()}
    if c not in mapped:
        if c == "currency":
            return lit(src.currency)
        if c in fk.defaults:
            return lit(fk.defaults[c])
        return f"CAST(NULL AS {_NULL_OF_KIND.get(spec.column(c).kind, 'DOUBLE')})"
    n = mapped[c]
    p = parse_sql(ident(src.cols[src.names.index(n)]), spec.column(c).kind, source=src.routes[n], column=c,
                  unit=src.match.units.get(c, ""), locale=ctx.locale, tz=ctx.tz)
    if c == "currency":
        return f"coalesce({p.value}, {lit(src.currency)})"
    return f"coalesce({p.value}, {lit(fk.defaults[c])})" if c in fk.defaults else p.value


def _synthetic_key(src: _Source, table: str, union: list[str], ctx: _Ctx, cid: str | None) -> str:
    """The content ID as ``_derived`` gives it, one inline expression over the raw columns.

    ``cid`` is the parsed ID (an expression) or None when the source has none. Parsing inside
    ``coalesce``/``CASE`` runs only for the rows that need it (a missing ID).
    """
    if table != "content" or "start_time" not in union:
        return cid or "CAST(NULL AS VARCHAR)"
    mapped = set(src.match.mapping.values())
    st = _row_value(src, table, "start_time", ctx)
    synthetic = _synthetic_id_sql(st, [_row_value(src, table, c, ctx) for c in ("account_id", "account_name")
                                       if c in mapped])
    return f"coalesce({cid}, {synthetic})" if cid is not None else synthetic


def _key_code_sql(src: _Source, table: str, union: list[str], ctx: _Ctx) -> str:
    """``_key_code`` of one source's rows, inline over the raw columns; NULL when a key part is."""
    key = _key_cols(table, union)
    mapped = set(src.match.mapping.values())
    if len(key) == 1:
        k = key[0]
        value = _row_value(src, table, k, ctx) if k in mapped else None
        if k == "content_id" and table == "content" and "start_time" in union:
            value = _synthetic_key(src, table, union, ctx, value)
        return _key_code_of(value or "CAST(NULL AS VARCHAR)")
    parts = [_row_value(src, table, k, ctx) for k in key]
    notnull = " AND ".join(f"({v}) IS NOT NULL" for v in parts)
    return f"(CASE WHEN {notnull} THEN hash({', '.join(parts)}) END)"


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


def _repeat_candidates(table: str, sources: list[_Source], union: list[str],
                       ctx: _Ctx) -> tuple[str | None, set[int]]:
    """Key codes occurring more than once (usually none), registered as a table ``__kv``.

    Returns the table name (None: no repeats) and the sources whose every ID is *plain*
    (digits DuckDB casts to a number, no exponent): their IDs need no validation in the
    main scan. One narrow scan per source: a plain ID's code is its number, computed from
    the raw cell; only other IDs (and missing ones, which get the synthetic key) are parsed.
    The codes come back as Arrow and are checked with numpy — in order (a strictly ascending
    run has no repeats), else sorted once. Summary and unparseable rows are not excluded
    here: extra candidates only send rows through the exact details pass.
    """
    key = _key_cols(table, union)
    if not key:
        return None, set()
    chunks: list[np.ndarray] = []
    ascending = True
    last: int | None = None
    plain_sources: set[int] = set()
    for s in sources:
        raw = _plain_key_col(s, table, key)
        if raw is None:
            q = (f"SELECT __kv, FALSE AS __plain FROM (SELECT {_key_code_sql(s, table, union, ctx)} AS __kv "
                 f"FROM {s.relation}) WHERE __kv IS NOT NULL")
        else:
            r = ident(raw)
            full = _key_code_sql(s, table, union, ctx)
            # the cast once (inner projection); the full parse only for the other IDs
            plain = f"(__c IS NOT NULL AND NOT contains({r}, 'e') AND NOT contains({r}, 'E'))"
            q = (f"SELECT __kv, __plain FROM (SELECT CASE WHEN __p THEN __c ELSE {full} END AS __kv, "
                 f"({r} IS NULL OR __p) AS __plain FROM (SELECT *, {plain} AS __p FROM "
                 f"(SELECT *, TRY_CAST({r} AS UBIGINT) AS __c FROM {s.relation}))) "
                 f"WHERE __kv IS NOT NULL OR NOT __plain")
        reader = ctx.con.sql(q).arrow()
        batches = reader if isinstance(reader, pa.RecordBatchReader) else reader.to_batches()
        all_plain = raw is not None
        for batch in batches:
            if batch.num_rows == 0:
                continue
            if all_plain:
                all_plain = bool(pc.all(batch.column(1)).as_py())
            col = batch.column(0)
            if col.null_count:  # an unparseable ID's row, kept above only for its plain flag
                col = pc.drop_null(col)
                if len(col) == 0:
                    continue
            a = col.to_numpy(zero_copy_only=False).astype(np.uint64, copy=False)
            if ascending:
                ascending = bool((a[1:] > a[:-1]).all()) and (last is None or int(a[0]) > last)
                last = int(a[-1])
            chunks.append(a)
        if all_plain:
            plain_sources.add(s.idx)
    if ascending or not chunks:
        return None, plain_sources
    codes = np.concatenate(chunks)
    del chunks
    codes.sort()
    same = codes[1:] == codes[:-1]
    if not same.any():
        return None, plain_sources
    repeated = np.unique(codes[1:][same])
    del codes, same
    return _register(ctx, pa.table({"__kv": pa.array(repeated, pa.uint64())})), plain_sources


#: columns the panel and the classification read after the scan (besides ``date``)
_AFTER_COLS = ("account_id", "account_name", "account_type", "carrier", "fact_channel", "campaign_id", "currency",
               "content_type")
#: kinds whose parse is a function of the raw cell alone and needs no per-row number
_DIM_KINDS = ("id", "text", "category")


def _grouped_select(src: _Source, table: str, union: list[str], after: list[str], ctx: _Ctx,
                    cand_name: str | None, plain: bool) -> str:
    """One source's rows as groups: per-row work only for measures, times, keys and flags.

    The columns the panel and the classification read (account id, name, type …; see
    :data:`_AFTER_COLS`) are grouped on their *raw* cells, together with the day, the
    per-row flags (summary, unparseable, candidate, invalid) and ``__edge``; the groups
    (about the panel's size) are then parsed, checked and given their ``__status`` exactly
    as ``_source_select`` + ``_base_sql`` do row by row (the same precedence: summary,
    unparseable, candidate, invalid, loaded). ``plain``: the key scan found every ID of this
    source plain (digits DuckDB casts, no exponent), so the IDs are not validated again. Returns rows with
    ``__src``, ``__status``, ``__cnt`` (rows in the group), the union columns the panel and
    the classification need, and the measures summed per group.
    """
    spec = TABLES[table]
    fk = FILE_KINDS[src.match.kind]
    key = _key_cols(table, union)
    col_of = dict(zip(src.names, src.cols, strict=True))
    mapped = {c: n for n, c in src.match.mapping.items()}
    needed = [c for c in union if (c in _AFTER_COLS or c in panel_keys(after)) and c != "date"]
    dims = [c for c in needed if c in mapped and c not in key and spec.column(c).kind in _DIM_KINDS]
    rowcols = [c for c in union if c not in dims]
    measures = [m for m in panel_measures(after) if m in union]
    derived = {d.rsplit(" AS ", 1)[1]: d.rsplit(" AS ", 1)[0] for d in _derived(table, union, set(mapped))}
    plain_key = plain and _plain_key_col(src, table, key) is not None

    def parsed(c: str, raw: str) -> Any:
        n = mapped[c]
        return parse_sql(raw, spec.column(c).kind, source=src.routes[n], column=c,
                         unit=src.match.units.get(c, ""), locale=ctx.locale, tz=ctx.tz)

    def finish(c: str, v: str) -> str:
        if c == "currency":
            return f"coalesce({v}, {lit(src.currency)})"
        if c in fk.defaults:
            return f"coalesce({v}, {lit(fk.defaults[c])})"
        return v

    def unmapped(c: str) -> str:
        if c == "currency":
            return lit(src.currency)
        if c in fk.defaults:
            return lit(fk.defaults[c])
        return "CAST(NULL AS VARCHAR)" if spec.column(c).kind in _DIM_KINDS else "NULL"

    # -- per row (level 1): parse the row columns once (inner projection), flags, candidates
    inner = ["*"]
    pre0: list[str] = []
    pre1: list[str] = []
    l1: list[str] = []
    inv: list[str] = []
    value_of: dict[str, str] = {}      # row column -> its value as an expression over ``inner``
    checks: list[str] = []             # validation of the row columns, over level 1's output
    for c in rowcols:
        col = spec.column(c)
        if c not in mapped:
            value_of[c] = unmapped(c)
            if c not in derived:
                l1.append(f"{value_of[c]} AS {ident(c)}")
        elif plain_key and c == key[0]:
            # every ID of this source is plain (the key scan saw them all): valid and present
            # whenever the cell is; only its code is needed, which the raw cell gives
            raw = ident(col_of[mapped[c]])
            value_of[c] = raw
            if col.required:
                l1.append(f"({raw} IS NULL) AS {ident('__miss__' + c)}")
                checks.append(ident("__miss__" + c))
            continue
        else:
            raw = ident(col_of[mapped[c]])
            p = parsed(c, raw)
            v = ident("__v__" + c)
            pre = _prefast(src, c, col.kind, raw, ctx)
            if pre is None:
                inner.append(f"{p.value} AS {v}")
            else:
                # the common clean cell in two cheap steps; the full grammar for the rest
                f, q = ident("__f__" + c), ident("__q__" + c)
                pre0.append(f"{pre[0]} AS {f}")
                pre1.append(f"{pre[1].replace(_F, f)} AS {q}")
                inner.append(f"(CASE WHEN {q} IS NOT NULL THEN {q} ELSE {p.value} END) AS {v}")
            inv.append(p.invalid_given(v))
            value_of[c] = finish(c, v)
            if c not in derived:
                l1.append(f"{value_of[c]} AS {ident(c)}")
        if c in derived and c != "date":
            continue  # the derived content ID: only the duplicate check reads it (below)
        if col.nonneg:
            checks.append(f"coalesce({ident(c)} < 0, FALSE)")
        if col.required:
            checks.append(f"{ident(c)} IS NULL")
    for c in dims:
        l1.append(f"{ident(col_of[mapped[c]])} AS {ident('__raw__' + c)}")
    first3 = [c for c, n in list(zip(src.cols, src.names, strict=True))[:3] if src.routes[n] == "VARCHAR"]
    dim_raw = {col_of[mapped[c]]: c for c in dims}
    # a plain ID (digits) is never a total label: a plain source's ID column is not tested
    plain_raw = _plain_key_col(src, table, key) if plain_key else None
    row_first = [c for c in first3 if c not in dim_raw and c != plain_raw]
    row_test = summary_row_sql([ident(c) for c in row_first])
    flags: dict[str, str] = {}         # flag -> expression (constants are not grouped on)
    edge_rows = _parquet_edge_summary(src, first3, ctx) if src.edge is not None and first3 else None
    if edge_rows is not None:
        # a Parquet file: the total-label test is done once on its four edge rows, so the main
        # scan reads neither those columns (an ID column is costly to read) nor row numbers
        row_test = f"(file_row_number IN ({', '.join(map(str, edge_rows))}))" if edge_rows else "FALSE"
        dim_raw_tested: dict[str, str] = {}
        flags["__edge"] = "TRUE"
    elif src.edge is not None:
        dim_raw_tested = dim_raw
        flags["__edge"] = src.edge
        if row_test != "FALSE":
            row_test = f"(CASE WHEN {src.edge} THEN {row_test} ELSE FALSE END)"
    else:
        dim_raw_tested = dim_raw
        flags["__edge"] = "TRUE"
    flags["__srow"] = row_test
    inv = [i for i in inv if i != "coalesce(FALSE, FALSE)"]
    flags["__pbad"] = f"({' OR '.join(inv)})" if inv else "FALSE"
    if cand_name and key:
        if plain_key:
            k = value_of[key[0]]
            code = (f"(CASE WHEN {k} IS NOT NULL THEN CAST({k} AS UBIGINT) ELSE "
                    f"{_key_code_of(_synthetic_key(src, table, union, ctx, None))} END)")
        else:
            code = _key_code_sql(src, table, union, ctx)
        flags["__cand"] = f"coalesce({code} IN (SELECT __kv FROM {cand_name}), FALSE)"
    else:
        flags["__cand"] = "FALSE"
    consts = {f: e for f, e in flags.items() if e in ("TRUE", "FALSE")}
    l1 += [f"{e} AS {f}" for f, e in flags.items() if f not in consts]
    where = ""
    if src.empty_rows:
        where = " WHERE NOT (" + " AND ".join(f"{ident(c)} IS NULL" for c in src.cols) + ")"
    rel = src.relation
    if pre0:
        rel = f"(SELECT *, {', '.join(pre1)} FROM (SELECT *, {', '.join(pre0)} FROM {rel}))"
    if len(inner) > 1:
        rel = f"(SELECT {', '.join(inner)} FROM {rel})"
    level1 = f"SELECT {', '.join(l1)} FROM {rel}{where}"

    # -- per row (level 2): the day, validation
    l2 = ["*"]
    day = derived.get("date")
    trunc = day is not None and day.startswith("date_trunc('day', ") and day.endswith(")")
    if trunc:
        # group on the DATE (4 bytes, a cheaper cast); made the day's TIMESTAMP per group —
        # for a naive TIMESTAMP, CAST(CAST(t AS DATE) AS TIMESTAMP) = date_trunc('day', t)
        ts = day[len("date_trunc('day', "):-1]
        l2.append(f"CAST({ts} AS DATE) AS __day")
    elif day is not None:
        l2.append(f"{day} AS date")
    l2.append(f"({' OR '.join(checks) or 'FALSE'}) AS __vbad")
    mis = " OR ".join(mismatched_sql(chk, table) for chk in src.checks)
    if mis:
        l2.append(f"({mis}) AS __mis")
    else:
        consts["__mis"] = "FALSE"
    level2 = f"SELECT {', '.join(l2)} FROM ({level1})"

    # -- groups: flags, raw dims, the row-grain columns the panel needs, the day
    # (constants — the source, flags known for the whole file, unmapped columns — are not
    # grouped on: they are put back on the groups)
    for c in needed:
        if c not in dims and c not in mapped and c not in derived:
            consts[c] = value_of[c]
    gkeys = [*(f for f in ("__edge", "__srow", "__pbad", "__cand", "__mis") if f not in consts), "__vbad",
             *(ident("__raw__" + c) for c in dims), *(ident(c) for c in needed if c not in dims and c not in consts),
             *((["__day"] if trunc else ["date"]) if "date" in union else [])]
    sums = [f"SUM({ident(m)}) AS {ident(m)}, COUNT({ident(m)}) AS {ident(present(m))}" for m in measures]
    grouped = (f"SELECT {', '.join(gkeys)}, {', '.join([*sums, 'COUNT(*) AS __cnt'])} FROM ({level2}) "
               f"GROUP BY {', '.join(gkeys)}")

    # -- per group: parse the dims, finish the flags, the status
    ginner = ["*"]
    gout = [f"{src.idx} AS __src", "__cnt",
            *((["CAST(__day AS TIMESTAMP) AS date"] if trunc else ["date"]) if "date" in union else []),
            *(ident(c) for c in needed if c not in dims and c not in consts), *(ident(m) for m in measures),
            *(ident(present(m)) for m in measures), "__mis"]
    ginner += [f"{e} AS {ident(f)}" for f, e in consts.items()]
    gout += [ident(c) for c in needed if c in consts]
    ginv: list[str] = []
    gchecks: list[str] = []
    for c in dims:
        p = parsed(c, ident("__raw__" + c))
        v = ident("__v__" + c)
        ginner.append(f"{p.value} AS {v}")
        gout.append(f"{finish(c, v)} AS {ident(c)}")
        ginv.append(p.invalid_given(v))
        if spec.column(c).required:
            gchecks.append(f"{finish(c, v)} IS NULL")
    dim_test = summary_row_sql([ident("__raw__" + dim_raw[c]) for c in first3 if c in dim_raw_tested])
    summary = f"(__srow OR (__edge AND {dim_test}))" if dim_test != "FALSE" else "__srow"
    pbad = " OR ".join(["__pbad", *ginv])
    vbad = " OR ".join(["__vbad", *gchecks])
    status = (f"CASE WHEN {summary} THEN 'summary' WHEN {pbad} THEN 'quarantined' "
              f"WHEN __cand THEN 'candidate' WHEN {vbad} THEN 'quarantined' ELSE 'loaded' END")
    return f"SELECT {', '.join(gout)}, {status} AS __status FROM (SELECT {', '.join(ginner)} FROM ({grouped}))"


_F = "\x00fast\x00"


def _prefast(src: _Source, c: str, kind: str, raw: str, ctx: _Ctx) -> tuple[str, str] | None:
    """A cheap exact value for the common clean text cell of a number or time column.

    Returns ``(step0, step1)``: ``step0`` a cast of the raw cell, ``step1`` (over ``step0``'s
    result, written ``_F``) the value — equal to :func:`~fact_toolkit.io.sql.parse_sql`'s
    wherever it is not NULL (the fast path of ``number_sql``/``int_sql``/``datetime_sql``
    without their ``CASE`` around the slow grammar, which the caller keeps for the NULLs).
    None when the column has no such path (other kinds, typed columns, dotted locales).
    """
    name = next(n for n, canon in src.match.mapping.items() if canon == c)
    if src.routes[name] != "VARCHAR":
        return None
    if kind in ("float", "money", "rate", "int"):
        if kind != "rate" and _dotted_locale(ctx.locale):
            return None
        step0 = _fast_double(raw)
        if kind == "int":
            return step0, (f"(CASE WHEN isfinite({_F}) AND {_F} = trunc({_F}) AND abs({_F}) < {TWO53} "
                           f"AND {_F} <> {_SENTINEL} THEN CAST({_F} AS BIGINT) END)")
        return step0, f"(CASE WHEN isfinite({_F}) AND {_F} <> {_SENTINEL} THEN {_F} END)"
    if kind == "datetime":
        fmt = _sample_time_format(src, raw, ctx)
        if fmt is None:
            return None
        return f"TRY_STRPTIME({raw}, {lit(fmt)})", f"(CASE WHEN year({_F}) BETWEEN 1678 AND 2261 THEN {_F} END)"
    return None


def _sample_time_format(src: _Source, raw: str, ctx: _Ctx) -> str | None:
    """The first of ``datetime_sql``'s fast formats that reads the column's first 200 cells.

    Any of them gives the fast path's value (a cell fits at most one of these formats); the
    sample only picks the one that usually succeeds.
    """
    sample = [str(r[0]) for r in ctx.con.sql(f"SELECT {raw} FROM {src.relation} WHERE {raw} IS NOT NULL "
                                                 f"LIMIT 200").fetchall()]
    if not sample:
        return None
    cells = ", ".join(f"({lit(v)})" for v in sample)
    for fmt in _FAST_DT_FORMATS:
        q = f"SELECT count(*) FROM (VALUES {cells}) t(x) WHERE TRY_STRPTIME(x, {lit(fmt)}) IS NULL"
        if int(ctx.con.sql(q).fetchall()[0][0]) == 0:
            return fmt
    return None


def _key_code_of(expr: str) -> str:
    """``_key_code`` of a lone key given as an expression (NULL for a NULL key)."""
    return f"(CASE WHEN ({expr}) IS NOT NULL THEN coalesce(TRY_CAST({expr} AS UBIGINT), hash({expr})) END)"


# ------------------------------------------------------------------ per-table run


@dataclass
class _TableResult:
    """A table's loaded rows, grouped on every column the classification, the fact rule and
    the panel read (:data:`~fact_toolkit.dataset.ROWS` rows per line, per measure its sum
    and :func:`~fact_toolkit.dataset.present` count): panel-sized, ready for the pandas code."""

    table: str
    lines: pd.DataFrame


def _present_columns(src: _Source, table: str, ctx: _Ctx) -> set[str]:
    """The numeric canonical columns of a file that hold at least one value (parsed).

    Run only for files with a platform-reported metric: which checks the file gets depends
    on which columns have values (``reconcile.checks``), as on the pandas path.
    """
    spec = TABLES[table]
    cols = [(canon, n) for n, canon in src.match.mapping.items()
            if spec.column(canon).kind in ("int", "float", "money", "rate")]
    if not cols:
        return set()
    exprs = []
    for canon, n in cols:
        p = parse_sql(ident(src.cols[src.names.index(n)]), spec.column(canon).kind, source=src.routes[n],
                      column=canon, unit=src.match.units.get(canon, ""), locale=ctx.locale, tz=ctx.tz)
        exprs.append(f"count({p.value}) > 0")
    row = ctx.con.sql(f"SELECT {', '.join(exprs)} FROM {src.relation}").fetchall()[0]
    return {canon for (canon, _), ok in zip(cols, row, strict=True) if ok}


def _lines(table: str, frame: pd.DataFrame, dims: list[str], measures: list[str]) -> pd.DataFrame:
    """Grouped lines in the dtypes of the pandas path's tables (``validate.DTYPES``)."""
    spec = TABLES[table]
    out: dict[str, pd.Series] = {}
    for c in dims:
        s = frame[c]
        out[c] = (pd.to_datetime(s).astype("datetime64[ns]") if spec.column(c).kind in ("date", "datetime")
                  else s.astype("string"))
    for m in measures:
        out[m] = frame[m].astype(DTYPES[spec.column(m).kind])
        out[present(m)] = frame[present(m)].astype("Int64")
    out[ROWS] = frame[ROWS].astype("Int64")
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _run_table(table: str, sources: list[_Source], ctx: _Ctx, report: LoadReport) -> _TableResult:
    con = ctx.con
    for s in sources:
        s.currency = ctx.currency or _detect_currency(s, ctx, table) or str(
            FILE_KINDS[s.match.kind].defaults.get("currency", "CNY"))
        if any(c.startswith("reported_") for c in s.match.mapping.values()):
            have = _present_columns(s, table, ctx)
            s.checks = checks(s.match.kind, have.__contains__)
    union = _union_columns(table, sources)
    after = list(dict.fromkeys([*union, "fact_channel", *(["campaign_id"] if "date" in union else [])]))

    # 1. candidate duplicate keys (a narrow scan of the key columns)
    cand_name, plain = _repeat_candidates(table, sources, union, ctx)

    # 2. main scan: rows grouped on raw dimension cells, then summed to file × status × the
    #    columns the classification, the fact rule and the panel read (about the panel's size)
    groups = " UNION ALL BY NAME ".join(
        f"({_grouped_select(s, table, union, after, ctx, cand_name, s.idx in plain)})" for s in sources)
    dims = [c for c in union if c in _AFTER_COLS or c in panel_keys(after)]
    measures = [m for m in panel_measures(after) if m in union]
    spec = TABLES[table]

    def total(m: str) -> str:
        cast = "BIGINT" if spec.column(m).kind == "int" else "DOUBLE"
        return f"CAST(SUM({ident(m)}) AS {cast}) AS {ident(m)}, CAST(SUM({ident(present(m))}) AS BIGINT) AS " \
               f"{ident(present(m))}"

    q = (f"SELECT __src, __status, __mis, {''.join(ident(c) + ', ' for c in dims)}"
         f"{''.join(total(m) + ', ' for m in measures)}CAST(SUM(__cnt) AS BIGINT) AS {ident(ROWS)} "
         f"FROM ({groups}) GROUP BY ALL")
    fine = con.sql(q).arrow()
    fine = fine.read_all() if isinstance(fine, pa.RecordBatchReader) else fine
    fine = fine.to_pandas()
    acct = fine.groupby(["__src", "__status"], sort=False)[ROWS].sum()
    counts: dict[tuple[int, str], int] = {(int(a), str(b)): int(n) for (a, b), n in acct.items()}
    problems = sum(n for (_, st), n in counts.items() if st in ("quarantined", "candidate"))
    mismatches = bool((fine["__mis"].astype(bool) & (fine["__status"] != "summary")).any())
    # a parallel CSV scan cannot number its rows: its total-row labels must all be on edge records
    stray = [s for s in sources if s.edge is None and counts.get((s.idx, "summary"), 0)
             and counts[(s.idx, "summary")] != _csv_edge_totals(s, ctx)]
    if stray:
        for s in stray:
            _number_csv_edges(s, sum(n for (i, _), n in counts.items() if i == s.idx))
        return _run_table(table, sources, ctx, report)
    loaded = fine.loc[fine["__status"] == "loaded"].reset_index(drop=True)
    del fine
    lines = [_lines(table, loaded, dims, measures)]

    kept_by_src: dict[int, int] = {}
    bad_by_src: dict[int, int] = {}
    if problems or mismatches:
        blank = _blank_record_sources(sources)
        if blank:
            raise _Reread(blank)
        quarantined = sum(n for (_, st), n in counts.items() if st == "quarantined")
        kept, kept_by_src, bad_by_src = _details(table, sources, union, ctx, cand_name, report,
                                                 only_candidates=not quarantined and not mismatches)
        if kept is not None and len(kept):
            for m in measures:
                kept[present(m)] = kept[m].notna().astype("int64")
            kept[ROWS] = 1
            lines.append(_lines(table, kept, dims, measures))

    for s in sources:
        read = sum(n for (i, _), n in counts.items() if i == s.idx)
        if read == 0:
            raise FactInputError(s.path, _NO_DATA + (f" (sheet {s.report.sheet})" if s.report.sheet else ""),
                                 fix=_FIX_NO_DATA)
        fr = s.report
        fr.kind, fr.table = s.match.kind, s.match.table
        fr.columns = dict(s.match.mapping)
        fr.ignored_columns = list(s.match.ignored) + list(s.match.duplicates)
        if s.match.duplicates:
            fr.warnings.append("columns also matching an earlier header were ignored: "
                               + ", ".join(s.match.duplicates))
        fr.rows_read = read
        fr.rows_summary = counts.get((s.idx, "summary"), 0)
        fr.rows_loaded = counts.get((s.idx, "loaded"), 0) + kept_by_src.get(s.idx, 0)
        fr.rows_quarantined = counts.get((s.idx, "quarantined"), 0) + bad_by_src.get(s.idx, 0)
    whole = pd.concat(lines, ignore_index=True) if len(lines) > 1 else lines[0]
    return _TableResult(table, whole)


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
    """Switch a CSV source to a numbered (single-threaded) scan so its edges are exact."""
    assert src.layout is not None and src.scan_path is not None
    seq = _csv_relation(src.scan_path, src.layout, len(src.cols), parallel=False)
    full = " AND ".join(f"{ident(c)} IS NULL" for c in src.cols)
    src.relation = f"(SELECT *, row_number() OVER () - 1 AS __i FROM {seq} WHERE NOT ({full}))"
    src.numbered = (f"(SELECT *, row_number() OVER () - 1 AS __i FROM "
                    f"(SELECT *, row_number() OVER () + {src.layout['header_row']} AS __row FROM {seq}) "
                    f"WHERE NOT ({full}))")
    src.edge = f"(__i < 2 OR __i >= {nrows - 2})"


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


def _run_with_fallback(table: str, by_table: dict[str, list[_Source]], ctx: _Ctx,
                       report: LoadReport) -> _TableResult:
    """Run a table; a CSV DuckDB rejects (ragged rows, stray quotes) is re-read by the normal reader,
    as is one with blank lines between records when row numbers are needed."""
    while True:
        mark = len(report.quarantine), len(report.warnings), len(report.mismatches)
        try:
            return _run_table(table, by_table[table], ctx, report)
        except duckdb.OutOfMemoryException:
            raise
        except _Reread as again:
            del report.quarantine[mark[0]:]
            del report.warnings[mark[1]:]
            del report.mismatches[mark[2]:]
            for culprit in again.sources:
                replacement = _raw_sources(culprit.path, ctx, culprit.idx) or []
                i = by_table[table].index(culprit)
                by_table[table][i:i + 1] = replacement
            continue
        except duckdb.Error as err:
            del report.quarantine[mark[0]:]
            del report.warnings[mark[1]:]
            del report.mismatches[mark[2]:]
            text = str(err)
            culprit = next((s for s in by_table[table] if s.report.format == "csv" and s.scan_path
                            and str(s.scan_path) in text), None)
            if culprit is None:
                raise
            replacement = _raw_sources(culprit.path, ctx, culprit.idx) or []
            by_table[table] = [r if r is not culprit else None for r in by_table[table]]  # type: ignore[misc]
            i = by_table[table].index(None)  # type: ignore[arg-type]
            by_table[table][i:i + 1] = replacement


def _details(table: str, sources: list[_Source], union: list[str], ctx: _Ctx, cand_name: str | None,
             report: LoadReport, only_candidates: bool = False
             ) -> tuple[pd.DataFrame | None, dict[int, int], dict[int, int]]:
    """Single-threaded numbered scan of the problem rows: quarantine entries, duplicates, mismatches.

    ``only_candidates``: the main scan found no other problem (nothing unparseable or
    invalid, no mismatch), so only rows whose key code repeats are parsed and returned —
    the scan filters on the key code before parsing the other columns. Returns the
    repeated rows kept (one per key; the union columns), and per source the rows kept and
    set aside among the candidates.
    """
    con = ctx.con
    spec = TABLES[table]
    prefilter = None
    if only_candidates and cand_name:
        prefilter = {s.idx: f"{_key_code_sql(s, table, union, ctx)} IN (SELECT __kv FROM {cand_name})"
                     for s in sources}
    base = _base_sql(table, sources, union, ctx, numbered=True, candidates=cand_name, prefilter=prefilter)
    mapped = [c for c in union if any(c in s.match.mapping.values() for s in sources)]
    hash_cols = ", ".join(ident(c) for c in union)
    key = _key_cols(table, union)
    versions = [ident(c) for c in version_columns(table, union, key)]
    version = f"hash({', '.join(versions)})" if versions else "CAST(0 AS UBIGINT)"
    metrics = list(dict.fromkeys(c.metric for s in sources for c in s.checks))
    mis_cols = "".join(f", {ident('__bad__' + m)}, {ident('__rep__' + m)}, {ident('__rec__' + m)}" for m in metrics)
    q = (f"SELECT __src, __row, __status, __parse_bad, __val_bad, __mis{mis_cols}, "
         f"{', '.join(ident('__inv__' + c) for c in mapped)}, {', '.join(ident('__raw__' + c) for c in mapped)}, "
         f"{hash_cols}, {version} AS __h "
         f"FROM ({base}) WHERE __status IN ('quarantined', 'candidate') OR (__mis AND __status <> 'summary')")
    threads = con.sql("SELECT current_setting('threads')").fetchall()[0][0]
    con.sql("SET threads = 1")
    try:
        rows = con.sql(q).df()
    finally:
        con.sql(f"SET threads = {int(threads)}")
    rows = rows.sort_values(["__src", "__row"], kind="stable").reset_index(drop=True)
    files = {s.idx: str(s.path) for s in sources}
    _mismatches(rows, sources, metrics, report)
    rows = rows.loc[rows["__status"].isin(["quarantined", "candidate"]).to_numpy(dtype=bool)].reset_index(drop=True)
    at_src = rows["__src"].to_numpy(dtype=np.int64)
    at_row = rows["__row"].to_numpy(dtype=np.int64)
    entries: list[tuple[int, int, QuarantinedRow]] = []  # (source, row, entry); sorted stably at the end

    def flag(col: str) -> np.ndarray:
        return rows[col].astype("boolean").fillna(False).to_numpy(dtype=bool)

    # cells that do not parse
    inv_source = {(s.idx, canon): name for s in sources for name, canon in s.match.mapping.items()}
    for c in mapped:
        col = spec.column(c)
        raw = rows["__raw__" + c]
        for pos in np.flatnonzero(flag("__inv__" + c)):
            i, row = int(at_src[pos]), int(at_row[pos])
            value = raw.iloc[pos]
            reason = (f"{col.name}: Excel turned this ID into a number in scientific notation; "
                      "re-export with the column formatted as text") if col.kind == "id" else (
                      f"{col.name}: cannot read {value!r} as {col.kind}; fix the cell or blank it")
            entries.append((i, row, QuarantinedRow(files[i], row, str(inv_source.get((i, c), c)), _cell_str(value),
                                                   f"parse_{col.kind}", reason)))
    parsed = ~flag("__parse_bad")
    val_bad = flag("__val_bad")
    # repeats among the candidates (parse survivors by construction): one version kept once,
    # different versions all set aside
    cand = parsed & (rows["__status"] == "candidate").to_numpy(dtype=bool)
    dup = np.zeros(len(rows), dtype=bool)
    keyname = "+".join(key)
    if cand.any() and key:
        c_rows = rows.loc[cand]
        g = c_rows.groupby(key, dropna=False, sort=False)
        size = g["__h"].transform("size").to_numpy()
        nver = g["__h"].transform("nunique").to_numpy()
        first = (g.cumcount() == 0).to_numpy()
        f_src = g["__src"].transform("first").to_numpy()
        f_row = g["__row"].transform("first").to_numpy()
        is_dup = (size > 1) & ((nver > 1) | ~first)
        positions = np.flatnonzero(cand)
        dup[positions[is_dup]] = True
        keyvals = c_rows[key]
        for j in np.flatnonzero(is_dup):
            pos = positions[j]
            i, row = int(at_src[pos]), int(at_row[pos])
            keyval = "/".join(str(v) for v in keyvals.iloc[j])
            if nver[j] == 1:
                rule = "duplicate"
                reason = (f"{keyname} {keyval} repeats {files[int(f_src[j])]} row {int(f_row[j])} with identical "
                          "values; kept once")
            else:
                rule = "conflicting_duplicate"
                reason = (f"{keyname} {keyval} appears {int(size[j])} times with different numbers; "
                          "all copies set aside: keep one version in the inputs")
            entries.append((i, row, QuarantinedRow(files[i], row, keyname, keyval, rule, reason)))
    # validation entries for all parse survivors (quarantined ones and candidates)
    for pos in np.flatnonzero(parsed & val_bad):
        i, row = int(at_src[pos]), int(at_row[pos])
        r = rows.iloc[pos]
        for c in union:
            col = spec.column(c)
            v = r.get(c)
            if col.nonneg and v is not None and not _isna(v) and v < 0:
                entries.append((i, row, QuarantinedRow(files[i], row, c, _value_str(v, col.kind), "non_negative",
                                                       f"{c}: must not be negative (counts and amounts are ≥ 0)")))
            if col.required and (v is None or _isna(v)):
                entries.append((i, row, QuarantinedRow(files[i], row, c, _missing_str(col.kind), "required",
                                                       f"{c}: a required value is missing")))
    entries.sort(key=lambda e: (e[0], e[1]))
    report.quarantine.extend(e for _, _, e in entries)
    set_aside = cand & (dup | val_bad)
    keep = cand & ~set_aside
    bad_by_src = {int(k): int(v) for k, v in zip(*np.unique(at_src[set_aside], return_counts=True), strict=True)}
    kept_by_src = {int(k): int(v) for k, v in zip(*np.unique(at_src[keep], return_counts=True), strict=True)}
    if not keep.any():
        return None, kept_by_src, bad_by_src
    return rows.loc[keep, list(union)].reset_index(drop=True), kept_by_src, bad_by_src


def _mismatches(rows: pd.DataFrame, sources: list[_Source], metrics: list[str], report: LoadReport) -> None:
    """Mismatch entries of the rows the checks flagged, in the pandas path's order (file, check, row).

    Rows that did not parse are left out, as ``loader._reconcile`` skips them.
    """
    ok = ~rows["__parse_bad"].astype(bool).to_numpy()
    for s in sources:
        mine = ok & (rows["__src"].to_numpy() == s.idx)
        for chk in s.checks:
            bad = mine & rows[f"__bad__{chk.metric}"].astype("boolean").fillna(False).to_numpy(dtype=bool)
            at = rows["__row"].to_numpy()
            rep = rows[f"__rep__{chk.metric}"].astype("float64").to_numpy()
            rec = rows[f"__rec__{chk.metric}"].astype("float64").to_numpy()
            report.mismatches.extend(Mismatch(s.report.file, int(at[i]), chk.metric, float(rep[i]),
                                              round(float(rec[i]), 6)) for i in np.flatnonzero(bad))



def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _cell_str(v: Any) -> str:
    if v is None or _isna(v):
        return "None"
    return str(v)


def _key_value(v: Any) -> Any:
    return None if v is None or _isna(v) else v




def _value_str(v: Any, kind: str) -> str:
    if kind == "int":
        return str(int(v))
    return str(float(v)) if isinstance(v, (float, np.floating)) else str(v)


def _missing_str(kind: str) -> str:
    return {"datetime": "NaT", "date": "NaT", "id": "<NA>", "text": "<NA>", "category": "<NA>",
            "int": "<NA>"}.get(kind, "nan")


# ------------------------------------------------------------------ assembly


#: kept for ``spark_engine``, which imported this name; the function now lives in ``engines.panel``
_conform_panel = conform_panel


def accounts_table(daily: pd.DataFrame) -> pd.DataFrame:
    """Per-account summary of a daily panel: dates active, content count and sums.

    Parameters
    ----------
    daily : pandas.DataFrame
        A panel as :attr:`Dataset.daily`.

    Returns
    -------
    pandas.DataFrame
        One row per fact_channel × account_id × account_name × currency (those present):
        ``first_date``, ``last_date``, ``active_days`` and the additive sums.
    """
    keys = [k for k in ("fact_channel", "account_id", "account_name", "currency") if k in daily]
    measures = [m for m in [*panel_measures(daily.columns), "content_count"] if m in daily]
    if daily.empty or not keys:
        return pd.DataFrame(columns=[*keys, "first_date", "last_date", "active_days", *measures])
    g = daily.groupby(keys, dropna=False, sort=True, observed=True)
    out = g[measures].sum(min_count=1)
    if "date" in daily:
        out.insert(0, "first_date", g["date"].min())
        out.insert(1, "last_date", g["date"].max())
        out.insert(2, "active_days", g["date"].nunique().astype("Int64"))
    return out.reset_index()


def load_duckdb(*paths: str | os.PathLike[str], kind: str | None = None, locale: str | None = None,
                tz: str = "Asia/Shanghai", currency: str | None = None,
                top_kols: Iterable[str] | None = None, top_kol_min_followers: int = 5_000_000,
                own_accounts: Iterable[str] | None = None,
                campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None = None,
                memory_limit: str | None = None, threads: int | None = None) -> Dataset:
    """Load exports through DuckDB into the daily panel and per-account summary.

    Same inputs, parsing, validation, classification and row accounting as
    :func:`fact_toolkit.load`, but rows of ``content``, ``products`` and ``orders`` files
    never reach pandas: DuckDB aggregates them, and the returned :class:`Dataset` holds the
    ``daily`` panel (identical to ``load(...).daily``), ``accounts`` (see
    :func:`accounts_table`) and the small tables (talents, campaigns, ads, benchmarks)
    loaded by the normal path.

    Parameters
    ----------
    *paths, kind, locale, tz, currency, top_kols, top_kol_min_followers, own_accounts, campaigns
        As for :func:`fact_toolkit.load`.
    memory_limit : str, optional
        DuckDB memory limit (default :data:`DEFAULT_MEMORY_LIMIT`, so a 20M-row load stays
        under 1 GB); larger intermediate state spills to a temporary folder. Should a step
        that cannot spill need more under the default, the load is retried once with
        :data:`FALLBACK_MEMORY_LIMIT`.
    threads : int, optional
        DuckDB worker threads (default: all cores).

    Returns
    -------
    Dataset
        Tables ``daily`` and ``accounts`` (plus small tables), and the
        :class:`~fact_toolkit.report.LoadReport` with the quarantine and exact counts.

    Raises
    ------
    FactInputError
        As the normal loader; messages name the file.

    Examples
    --------
    >>> ds = load_duckdb("exports/")              # doctest: +SKIP
    >>> ds.daily.groupby("fact_channel")["gmv"].sum()  # doctest: +SKIP
    """
    from ..loader import campaign_calendar, expand_paths, load

    if memory_limit is None:
        kw = dict(kind=kind, locale=locale, tz=tz, currency=currency, top_kols=top_kols,
                  top_kol_min_followers=top_kol_min_followers, own_accounts=own_accounts, campaigns=campaigns,
                  threads=threads)
        try:
            return load_duckdb(*paths, memory_limit=DEFAULT_MEMORY_LIMIT, **kw)  # type: ignore[arg-type]
        except _OutOfMemory:
            return load_duckdb(*paths, memory_limit=FALLBACK_MEMORY_LIMIT, **kw)  # type: ignore[arg-type]
    if not paths:
        raise FactInputError("(no path)", "no input given", fix="name at least one file or folder")
    files = expand_paths(paths)
    tmp = Path(tempfile.mkdtemp(prefix="fact_toolkit_duckdb_"))
    con = duckdb.connect(config={"preserve_insertion_order": True})
    try:
        con.sql("SET TimeZone = 'UTC'")
        con.sql(f"SET memory_limit = {lit(memory_limit)}")
        con.sql(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        con.sql(f"SET temp_directory = {lit(str(tmp / 'spill'))}")
        ctx = _Ctx(con, tmp, locale, tz, kind, currency)
        by_table: dict[str, list[_Source]] = {}
        order: dict[str, int] = {}
        small: list[Path] = []
        n = 0
        for path in files:
            order[str(path)] = len(order)
            found = _sources_for_file(path, ctx, n)
            if found is None:
                small.append(path)
                continue
            for s in found:
                by_table.setdefault(s.match.table, []).append(s)
                n = s.idx + 1

        report = LoadReport(engine="duckdb", engine_reason="engine='duckdb' was asked for")
        tables: dict[str, pd.DataFrame] = {}
        small_ds: Dataset | None = None
        if small:
            small_ds = load(*small, kind=kind, locale=locale, tz=tz, currency=currency, top_kols=top_kols,
                            top_kol_min_followers=top_kol_min_followers, own_accounts=own_accounts,
                            campaigns=campaigns)
            tables.update(small_ds.tables)
        results = [_run_with_fallback(table, by_table, ctx, report) for table in ENGINE_TABLES if table in by_table]
        # from here on, the pandas path's own code on panel-sized lines: classification and
        # campaign overlay, the fact rule, the panel's missing-value rule, the accounts summary
        grouped = {r.table: r.lines for r in results}
        rules = ChannelRules.make(top_kols, top_kol_min_followers, own_accounts)
        context = {k: v for k, v in tables.items() if k in ("talents", "campaigns")}
        report.warnings.extend(classify_tables({**context, **grouped}, rules,
                                               campaign_calendar(campaigns, tables), rows=ROWS))
        overview = tables.pop("daily", None)
        fact_tables = {k: v for k, v in grouped.items() if len(v)}
        facts = fact_rows({**fact_tables, **({"daily": overview} if overview is not None else {})})
        if overview is not None and facts is not overview:
            tables["daily_overview"] = overview
        daily = facts if overview is not None and facts is overview else panel(facts)
        tables["daily"] = daily
        tables["accounts"] = accounts_table(daily)
        frs = [s.report for t in by_table.values() for s in t]
        if small_ds is not None:
            frs += small_ds.report.files
            report.quarantine.extend(small_ds.report.quarantine)
            report.mismatches.extend(small_ds.report.mismatches)
            report.warnings.extend(small_ds.report.warnings)
        report.files = sorted(frs, key=lambda f: order.get(f.file, 0))
        report.quarantine.sort(key=lambda q: order.get(q.file, 0))
        report.mismatches.sort(key=lambda m: order.get(m.file, 0))
        for fr in report.files:
            if fr.table in ENGINE_TABLES:
                fr.mismatches = sum(1 for m in report.mismatches if m.file == fr.file)
            if not fr.balanced:  # pragma: no cover - a bug, never bad input
                raise AssertionError(f"row accounting does not balance for {fr.file}: {fr}")
        report.warnings = [w for w in report.warnings if not w.endswith(_MISMATCH_TAIL)]
        if report.mismatches:
            report.warnings.append(
                f"{len(report.mismatches)} platform-reported metric value(s) disagree with the value "
                "recomputed from the same row beyond rounding (see mismatches)")
        return Dataset(tables, report)
    except duckdb.OutOfMemoryException as err:
        raise _OutOfMemory(str(err)) from None
    except duckdb.Error as err:
        raise _as_input_error(err, files) from None
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _as_input_error(err: duckdb.Error, files: list[Path]) -> FactInputError:
    text = " ".join(str(err).split())
    for f in files:
        if str(f) in text:
            return FactInputError(f, f"cannot read the file ({text[:200]})", fix=_FIX_REDOWNLOAD)
    return FactInputError(files[0] if len(files) == 1 else "(inputs)", f"cannot read the inputs ({text[:200]})",
                          fix=_FIX_REDOWNLOAD)
