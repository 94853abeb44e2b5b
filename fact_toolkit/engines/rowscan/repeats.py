"""One row per key in the DuckDB engine: repeated keys, and the details of problem rows.

A narrow numbered scan gives every row its key code once; the rows whose code occurs more
than once (usually none) become repeat candidates, by file and row number. A numbered scan
then keeps only the problem rows (unparseable, invalid, repeated, or with a
platform-reported metric that disagrees) in a DuckDB temporary table, where repeats are
resolved — one version kept once, different versions all set aside, as
:func:`fact_toolkit.validate.find_duplicates` — and from which the quarantine entries and
mismatches are built.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...dataset import ROWS
from ...io.sql import format_sql, ident, lit
from ...report import QUARANTINE_COLUMNS, LoadReport, Mismatch, Quarantine, QuarantinedRow
from ...schema import TABLES
from ...validate import CONFLICT_REASON, REPEAT_REASON, value_text, version_columns
from .rowsql import (Repeats, _base_sql, _candidate_sql, _key_code_select, _key_cols, _key_raw_hash,
                     _plain_key_col, _sum_sql)
from .sources import _Ctx, _Source, _fetch_arrow, _fresh_name, _register

__all__ = ['Repeats', '_repeat_candidates', '_member_function', '_picked_candidates', '_work_table', '_details', '_in_row_order', '_duplicate_entries', '_mismatches', '_isna', '_cell_str', '_missing_str']


def _repeat_candidates(table: str, sources: list[_Source], union: list[str], ctx: _Ctx) -> Repeats:
    """The rows whose key code occurs more than once (usually none).

    ``Repeats.plain`` lists the sources whose every ID is *plain* (digits DuckDB casts to a
    number, no exponent): their IDs need no validation in the main scan. One narrow scan
    per source computes each row's key code once (:func:`~.rowsql._key_code_select`: a plain
    ID's code is its number, only other IDs and the synthetic ID's parts are parsed). A CSV
    is scanned in parallel, unnumbered: its rows come back in file order, so a row's
    position gives its number (a numbered CSV scan runs on one thread). The codes stream
    back as Arrow and are checked with numpy — in order (a strictly ascending run, as IDs
    usually are, has no repeats), else sorted once and the rows of repeated codes looked
    up — keeping 16 bytes a row (24 with a CSV's raw-cell hashes, :attr:`Repeats.raw`).
    Summary and unparseable rows are not excluded here: extra candidates only send rows
    through the exact details pass, which compares the real key values (a hash collision
    costs time, never a wrong result).
    """
    key = _key_cols(table, union)
    if not key:
        return Repeats()
    codes: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    srcs: list[np.ndarray] = []
    raws: list[np.ndarray] = []  # with a CSV among the sources: each row's raw-cell hash (others: 0)
    any_csv = any(s.row_offset is not None for s in sources)
    ascending = True
    last: int | None = None
    out = Repeats()
    for s in sources:
        all_plain = _plain_key_col(s, table, key) is not None
        by_position = s.row_offset is not None
        reader = ctx.con.sql(_key_code_select(s, table, union, ctx, numbered=not by_position,
                                              raw_hash=by_position)).arrow()
        seen = 0
        for batch in reader if isinstance(reader, pa.RecordBatchReader) else reader.to_batches():
            n = batch.num_rows
            if n == 0:
                continue
            kv = batch.column("__kv")
            if all_plain:
                all_plain = bool(pc.all(batch.column("__plain")).as_py())
            if by_position:
                at = np.arange(seen + 1, seen + n + 1, dtype=np.int64) + int(s.row_offset or 0)
            else:
                at = batch.column("__row").to_numpy(zero_copy_only=False)
            seen += n
            rh = batch.column("__rh") if by_position else None
            if kv.null_count:  # no key (a key part is missing): never a repeat
                valid = pc.is_valid(kv)
                kv, at = pc.filter(kv, valid), at[valid.to_numpy(zero_copy_only=False)]
                rh = pc.filter(rh, valid) if rh is not None else None
                if len(kv) == 0:
                    continue
            a = kv.to_numpy(zero_copy_only=False).astype(np.uint64, copy=False)
            if ascending:
                ascending = bool((a[1:] > a[:-1]).all()) and (last is None or int(a[0]) > last)
                last = int(a[-1])
            codes.append(a)
            rows.append(np.asarray(at, dtype=np.int64))
            srcs.append(np.full(len(a), s.idx, dtype=np.int32) if len(sources) > 1 else np.empty(0, np.int32))
            if any_csv:
                raws.append(rh.to_numpy(zero_copy_only=False).astype(np.uint64, copy=False) if rh is not None
                            else np.zeros(len(a), dtype=np.uint64))
        if by_position:
            out.records[s.idx] = seen
        if all_plain:
            out.plain.add(s.idx)
    if ascending or not codes:
        return out
    kv_all = np.concatenate(codes)
    del codes
    sorted_kv = np.sort(kv_all)
    same = sorted_kv[1:] == sorted_kv[:-1]
    if not same.any():
        return out
    repeated = np.unique(sorted_kv[1:][same])
    del sorted_kv, same
    # every row of a repeated code is a candidate (a hash lookup: 1.5 s on 20M codes, an
    # argsort of them 2.6 s)
    at = np.flatnonzero(pd.Series(kv_all, copy=False).isin(repeated).to_numpy())
    del kv_all, repeated
    row_all = np.concatenate(rows)[at]
    src_all = np.concatenate(srcs)[at] if len(sources) > 1 else np.full(len(at), sources[0].idx, dtype=np.int32)
    out.rows = _register(ctx, pa.table({"__src": pa.array(src_all.astype(np.int32)),
                                        "__row": pa.array(row_all.astype(np.int64))}))
    raw_all = np.concatenate(raws)[at] if any_csv else None
    del raws
    for s in sources:
        mine = src_all == s.idx
        if not mine.any():
            continue
        r = row_all[mine]
        o = np.argsort(r, kind="stable")
        out.positions[s.idx] = (r[o], raw_all[mine][o] if s.row_offset is not None and raw_all is not None
                                else None)
    # per source: hashes of raw cells compare only within one file (column order and the
    # key parts a file maps differ between files)
    out.hashes = {i: np.unique(h) for i, (_, h) in out.positions.items() if h is not None}
    per = list(out.hashes.items())
    if per:
        out.raw = _register(ctx, pa.table({
            "__src": pa.array(np.concatenate([np.full(len(h), i, dtype=np.int32) for i, h in per])),
            "__rh": pa.array(np.concatenate([h for _, h in per]), pa.uint64())}))
    return out


def _member_function(ctx: _Ctx, wanted: np.ndarray, sql_type: str) -> str:
    """Register a vectorised membership test ``name(x)``: whether ``x`` is among ``wanted``
    (sorted, unique). A filter on it keeps the scan's file order, as a join would not, and
    holds no hash table in DuckDB's memory. Returns its name (remove it when done)."""
    dtype = np.uint64 if sql_type == "UBIGINT" else np.int64

    def member(x: pa.Array) -> pa.Array:
        a = x.fill_null(0).to_numpy(zero_copy_only=False).astype(dtype, copy=False)
        i = np.searchsorted(wanted, a)
        i[i >= len(wanted)] = 0
        return pa.array(wanted[i] == a if len(wanted) else np.zeros(len(a), dtype=bool))

    name = _fresh_name(ctx, "member")
    ctx.con.create_function(name, member, [sql_type], "BOOLEAN", type="arrow", side_effects=False)
    return name


def _picked_candidates(src: _Source, table: str, union: list[str], ctx: _Ctx, repeats: Repeats) -> str | None:
    """A source's repeat candidates with their file row numbers, kept by a filtered scan.

    A numbered source (Parquet's ``file_row_number``, the readers' row numbers) keeps the
    rows whose number is a candidate's (a membership test, :func:`_member_function`; a
    semi-join held the 2.2M candidates of the 20M-row live Parquet in a hash table and ran
    out of memory under the engine's limit).

    A CSV is not numbered (numbering its parallel scan runs it on one thread). The parallel
    scan keeps file order through a projection and a filter (not through a join), so its
    candidates are kept by the membership of the hash of their raw key cells
    (:func:`~.rowsql._key_raw_hash`, nothing parsed) among the candidates' hashes from the
    key scan: equal raw cells give equal key codes, so the rows kept are the candidates, in
    file order, and the ``k``-th gets the ``k``-th candidate row number. The hashes of the
    rows kept must equal the candidates', in order; on any difference (another row whose
    hash collides with a candidate's, or another order) this returns None and the numbered
    scan is used.

    Returns the name of the registered table (the source's numbered columns, ``__row`` among
    them), or None.
    """
    want_rows, want_hash = repeats.positions[src.idx]
    if want_hash is None:
        name = _member_function(ctx, want_rows, "BIGINT")
        try:
            got = _fetch_arrow(ctx, f"SELECT * FROM {src.numbered} WHERE {name}(__row)")
        finally:
            ctx.con.remove_function(name)
        return _register(ctx, got) if got.num_rows == len(want_rows) else None
    rh = _key_raw_hash(src, table, union)
    name = _member_function(ctx, repeats.hashes[src.idx], "UBIGINT")
    try:
        got = _fetch_arrow(ctx, f"SELECT *, {rh} AS __rh FROM {src.relation} WHERE {name}({rh})")
    finally:
        ctx.con.remove_function(name)
    if got.num_rows != len(want_rows):
        return None
    if not np.array_equal(got.column("__rh").to_numpy().astype(np.uint64, copy=False), want_hash):
        return None
    got = got.drop_columns(["__rh"]).append_column("__row", pa.array(want_rows, pa.int64()))
    return _register(ctx, got)


def _work_table(ctx: _Ctx, name: str, select: str) -> None:
    """``CREATE TEMP TABLE name AS select``; should DuckDB run out of memory making it (the
    2.2M problem rows of the 20M-row live Parquet did under the engine's 600 MB), the limit
    is raised to ``ctx.more_memory`` for the rest of the load and the table made again,
    instead of the whole load starting over under the higher limit."""
    try:
        ctx.con.sql(f"CREATE TEMP TABLE {name} AS {select}")
    except duckdb.OutOfMemoryException:
        if ctx.more_memory is None:
            raise
        ctx.con.sql(f"DROP TABLE IF EXISTS {name}")
        ctx.con.sql(f"SET memory_limit = {lit(ctx.more_memory)}")
        ctx.more_memory = None
        ctx.con.sql(f"CREATE TEMP TABLE {name} AS {select}")


def _details(table: str, sources: list[_Source], union: list[str], ctx: _Ctx, repeats: Repeats,
             report: LoadReport, dims: list[str], measures: list[str], only_candidates: bool = False,
             edges: dict[int, str] | None = None) -> tuple[pa.Table | None, dict[int, int], dict[int, int]]:
    """A numbered scan of the problem rows: quarantine entries, duplicates, mismatches.

    The problem rows (unparseable, invalid, repeat candidates, or with a platform-reported
    metric that disagrees) are kept in a DuckDB temporary table. Repeats are resolved there
    — per key, the count of rows, whether their versions differ and the first row (file
    order): one version kept once, different versions all set aside, as
    :func:`fact_toolkit.validate.find_duplicates` — and only the rows set aside come back,
    with the few columns their entries name; the rows kept come back summed to ``dims``
    (:data:`~fact_toolkit.dataset.ROWS` and :func:`~fact_toolkit.dataset.present` counts),
    like the main scan's lines. ``only_candidates``: the main scan found no other problem,
    so only the repeat candidates are parsed (each source's kept by a filtered scan,
    :func:`_picked_candidates`, else the scan filters on their row numbers first).
    ``edges``: per source, a predicate on ``__row`` true on the only records that can be
    total rows (a CSV's edge records; the main scan checked it), so the total-label test
    runs on those alone.

    Returns
    -------
    tuple
        The kept candidates as lines (Arrow; None when none is kept), and per source the
        candidate rows kept and set aside.
    """
    con = ctx.con
    if edges:
        sources = [replace(s, edge=edges[s.idx]) if s.idx in edges else s for s in sources]
    cand_name = repeats.rows
    prefilter = None
    picked: dict[int, str | None] = {}
    if only_candidates and cand_name:
        prefilter = {s.idx: _candidate_sql(s, table, union, repeats) for s in sources}
        # each source's candidates come from a filtered scan (for a CSV, instead of its
        # one-thread numbered scan; for others, instead of a semi-join on their row numbers)
        picked = {s.idx: _picked_candidates(s, table, union, ctx, repeats) for s in sources
                  if s.idx in repeats.positions}
        sources = [replace(s, numbered=f"(SELECT * FROM {picked[s.idx]})", picked=True) if picked.get(s.idx)
                   else s for s in sources]
        prefilter = {i: f for i, f in prefilter.items() if not picked.get(i)}
    base = _base_sql(table, sources, union, ctx, numbered=True, repeats=repeats, prefilter=prefilter)
    mapped = [c for c in union if any(c in s.match.mapping.values() for s in sources)]
    key = _key_cols(table, union)
    versions = [ident(c) for c in version_columns(table, union, key)]
    version = f"hash({', '.join(versions)})" if versions else "CAST(0 AS UBIGINT)"
    metrics = list(dict.fromkeys(c.metric for s in sources for c in s.checks))
    mis_cols = "".join(f", {ident('__bad__' + m)}, {ident('__rep__' + m)}, {ident('__rec__' + m)}" for m in metrics)
    cell_cols = "" if only_candidates else "".join(f", {ident(p + c)}" for p in ("__inv__", "__raw__") for c in mapped)
    problems, cands = _fresh_name(ctx, "tmp"), _fresh_name(ctx, "tmp")
    try:
        try:
            _work_table(ctx, problems, f"SELECT __src, __row, __status, __parse_bad, __val_bad, __mis{mis_cols}"
                        f"{cell_cols}, {', '.join(ident(c) for c in union)}, {version} AS __h FROM ({base}) "
                        f"WHERE __status IN ('quarantined', 'candidate') OR (__mis AND __status <> 'summary')")
        finally:
            for name in picked.values():
                if name:
                    con.unregister(name)  # its rows are in the work table now (or it failed)
        entries: list[tuple[int, int, QuarantinedRow]] = []  # (source, row, entry); sorted stably at the end
        # rows other than repeat candidates (usually few), and the candidates a check flags or a rule sets aside
        rows = con.sql(f"SELECT * FROM {problems} WHERE __status <> 'candidate' OR __mis OR __val_bad").df()
        rows = rows.sort_values(["__src", "__row"], kind="stable").reset_index(drop=True)
        _mismatches(rows, sources, metrics, report)
        rows = rows.loc[rows["__status"].isin(["quarantined", "candidate"]).to_numpy(dtype=bool)]
        _cell_entries(rows.reset_index(drop=True), table, sources, [] if only_candidates else mapped, union, entries)
        kept_by_src: dict[int, int] = {}
        bad_by_src: dict[int, int] = {}
        kept = dup = None
        if key:
            kept, kept_by_src, bad_by_src, dup = _resolve_repeats(table, sources, key, problems, cands, ctx, dims,
                                                                  measures)
        report.quarantine.add_table(_in_row_order(entries, dup))
        return kept, kept_by_src, bad_by_src
    finally:
        for name in (cands, problems):
            con.sql(f"DROP TABLE IF EXISTS {name}")


def _in_row_order(entries: list[tuple[int, int, QuarantinedRow]], dup: pa.Table | None) -> pa.Table:
    """Cell entries and duplicate entries in one block, by source and row: a row's duplicate
    entry before its rule entries (a repeated row parsed, so it has no parse entry), each
    group in the order it was made, as the pandas path orders them."""
    if not entries and dup is not None:
        return dup.select(list(QUARANTINE_COLUMNS))  # already in row order (no copy of 1.2M entries)
    cells = Quarantine(e for _, _, e in entries).table()
    cells = cells.add_column(0, "__row", pa.array([e[1] for e in entries], pa.int64())).add_column(
        0, "__src", pa.array([e[0] for e in entries], pa.int64()))
    parts = [cells.append_column("__part", pa.array(np.ones(cells.num_rows, dtype=np.int8)))]
    if dup is not None:
        parts.append(dup.append_column("__part", pa.array(np.zeros(dup.num_rows, dtype=np.int8))).cast(
            parts[0].schema))
    both = pa.concat_tables(parts)
    both = both.append_column("__i", pa.array(np.arange(both.num_rows, dtype=np.int64)))
    order = pc.sort_indices(both, [("__src", "ascending"), ("__row", "ascending"), ("__part", "ascending"),
                                   ("__i", "ascending")])
    return both.take(order).select(list(QUARANTINE_COLUMNS))


def _cell_entries(rows: pd.DataFrame, table: str, sources: list[_Source], mapped: list[str], union: list[str],
                  entries: list[tuple[int, int, QuarantinedRow]]) -> None:
    """Entries of cells that do not parse and of values a rule refuses (non-negative, required)."""
    spec = TABLES[table]
    files = {s.idx: str(s.path) for s in sources}
    at_src = rows["__src"].to_numpy(dtype=np.int64)
    at_row = rows["__row"].to_numpy(dtype=np.int64)

    def flag(col: str) -> np.ndarray:
        return rows[col].astype("boolean").fillna(False).to_numpy(dtype=bool)

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
    # validation entries for all parse survivors (quarantined ones and candidates)
    for pos in np.flatnonzero(~flag("__parse_bad") & flag("__val_bad")):
        i, row = int(at_src[pos]), int(at_row[pos])
        r = rows.iloc[pos]
        for c in union:
            col = spec.column(c)
            v = r.get(c)
            if col.nonneg and v is not None and not _isna(v) and v < 0:
                entries.append((i, row, QuarantinedRow(files[i], row, c, value_text(v, col.kind), "non_negative",
                                                       f"{c}: must not be negative (counts and amounts are ≥ 0)")))
            if col.required and (v is None or _isna(v)):
                entries.append((i, row, QuarantinedRow(files[i], row, c, _missing_str(col.kind), "required",
                                                       f"{c}: a required value is missing")))


def _resolve_repeats(table: str, sources: list[_Source], key: list[str], problems: str, cands: str, ctx: _Ctx,
                     dims: list[str], measures: list[str]
                     ) -> tuple[pa.Table | None, dict[int, int], dict[int, int], pa.Table]:
    """Repeats among the candidates (parse survivors by construction), in SQL: per key the
    rows, whether their versions differ and the first row in file order. Their quarantine
    entries come back as one columnar block (:func:`_duplicate_entries`), last."""
    con = ctx.con
    files = {s.idx: str(s.path) for s in sources}
    keys = ", ".join(ident(k) for k in key)
    w = f"PARTITION BY {keys}"
    first = f"({w} ORDER BY __src, __row)"
    _work_table(ctx, cands, f"SELECT *, __n > 1 AND (__conf OR __rn > 1) AS __dup FROM ("
            f"SELECT __src, __row, coalesce(__val_bad, FALSE) AS __val_bad, {keys}, count(*) OVER ({w}) AS __n, "
            f"min(__h) OVER ({w}) <> max(__h) OVER ({w}) AS __conf, row_number() OVER {first} AS __rn, "
            f"first_value(__src) OVER {first} AS __fs, first_value(__row) OVER {first} AS __fr "
            f"FROM {problems} WHERE __status = 'candidate')")
    dup = _duplicate_entries(table, key, cands, files, ctx)
    counts = con.sql(f"SELECT __src, count(*) FILTER (WHERE NOT (__dup OR __val_bad)), "
                     f"count(*) FILTER (WHERE __dup OR __val_bad) FROM {cands} GROUP BY __src").fetchall()
    kept_by_src = {int(i): int(k) for i, k, _ in counts if k}
    bad_by_src = {int(i): int(b) for i, _, b in counts if b}
    if not kept_by_src:
        return None, kept_by_src, bad_by_src, dup

    def total(m: str) -> str:
        return _sum_sql(table, m, f"p.{ident(m)}", f"COUNT(p.{ident(m)})")

    by = ", ".join(f"p.{ident(d)}" for d in dims)
    kept = _fetch_arrow(ctx, f"SELECT {by}{''.join(', ' + total(m) for m in measures)}, COUNT(*) AS {ident(ROWS)} "
                        f"FROM {problems} p JOIN {cands} c ON p.__src = c.__src AND p.__row = c.__row "
                        f"WHERE NOT (c.__dup OR c.__val_bad) GROUP BY {by}")
    return kept, kept_by_src, bad_by_src, dup


def _key_text(table: str, k: str) -> str:
    """SQL of pandas' text of key column ``k`` (``astype("string")``, missing as ``''``): the
    text of an ID or label, a date (always midnight) as ``YYYY-MM-DD``."""
    kind = TABLES[table].column(k).kind
    if kind == "date":
        return f"coalesce(strftime({ident(k)}, '%Y-%m-%d'), '')"
    if kind in ("id", "text", "category"):
        return f"coalesce(CAST({ident(k)} AS VARCHAR), '')"
    raise NotImplementedError(f"no key text for a {kind} column ({table}.{k})")  # pragma: no cover - schema


def _duplicate_entries(table: str, key: list[str], cands: str, files: dict[int, str], ctx: _Ctx) -> pa.Table:
    """The entries of repeated rows, columnar (``__src``, ``__row`` and the quarantine
    columns), worded in SQL as :func:`fact_toolkit.validate.find_duplicates` words them:
    identical repeats kept once, conflicting ones all set aside, in the same words
    (:data:`~fact_toolkit.validate.REPEAT_REASON`, :data:`~fact_toolkit.validate.CONFLICT_REASON`;
    1.2M entries: 0.6 s, where Arrow's string joins took 5 s)."""
    keyname = "+".join(key)
    keyval = " || '/' || ".join(_key_text(table, k) for k in key)
    what = f"{lit(keyname + ' ')} || c.__kv"
    names = _register(ctx, pa.table({"__i": pa.array(sorted(files), pa.int64()),
                                     "__name": pa.array([files[i] for i in sorted(files)], pa.string())}))
    try:
        return _fetch_arrow(ctx, f"""
            SELECT CAST(c.__src AS BIGINT) AS __src, CAST(c.__row AS BIGINT) AS __row, f.__name AS file,
                   CAST(c.__row AS BIGINT) AS row, {lit(keyname)} AS "column", c.__kv AS value,
                   CASE WHEN c.__conf THEN 'conflicting_duplicate' ELSE 'duplicate' END AS rule,
                   CASE WHEN c.__conf THEN {format_sql(CONFLICT_REASON, what=what, n="c.__n")}
                        ELSE {format_sql(REPEAT_REASON, what=what, file="g.__name", row="c.__fr")} END AS reason
            FROM (SELECT *, {keyval} AS __kv FROM {cands} WHERE __dup) c
            JOIN {names} f ON c.__src = f.__i JOIN {names} g ON c.__fs = g.__i
            ORDER BY c.__src, c.__row""")
    finally:
        ctx.con.unregister(names)


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


def _missing_str(kind: str) -> str:
    return {"datetime": "NaT", "date": "NaT", "id": "<NA>", "text": "<NA>", "category": "<NA>",
            "int": "<NA>"}.get(kind, "nan")

