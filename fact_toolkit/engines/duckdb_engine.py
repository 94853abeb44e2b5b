"""Load large exports through DuckDB: DuckDB scans, parses, keeps one row per key and groups.

The pandas loader materialises every raw row. This engine reads only the header of each
file with the normal readers and recognises its kind and columns with the normal header
matching (:mod:`.rowscan.sources`); then DuckDB reads the rows, parses every mapped column
with the grammar of :mod:`fact_toolkit.io.parse` rendered as SQL, sets summary rows aside,
applies the validation rules and checks platform-reported metrics with the SQL rendered
from :mod:`fact_toolkit.reconcile` (:mod:`.rowscan.rowsql`), keeps one row per key
(:mod:`.rowscan.repeats`) and groups the rows on every column the later steps read.

From there the pandas path's own code runs on those panel-sized lines — the FACT channel
and campaign overlay (:func:`fact_toolkit.channels.classify_tables`), which rows are facts
(:func:`fact_toolkit.dataset.fact_rows`), the panel with its missing-value rule
(:func:`fact_toolkit.dataset.panel`) and the accounts summary — so every rule is written once.

Queries per canonical table (``content``, ``products``, ``orders``):

1. *keys*: one narrow numbered scan of the key column(s), giving the rows whose key code
   occurs more than once (usually none) — candidates for duplicates, by row number;
2. *main*: one parallel scan of all the table's files, grouped to file × status × the
   columns the classification, the fact rule and the panel read, with per measure its sum
   and the count of rows that have it; the per-file row accounting comes from it;
3. *details* (only when some row is quarantined, a key repeats or a reported metric
   disagrees): a numbered scan keeping just the problem rows with their file row numbers
   (only the candidates when nothing else is wrong) in a temporary table, where repeats are
   resolved; quarantine entries and mismatches are built from it.

DuckDB numbers the records of its parallel CSV reader in file order (``row_number() OVER
()`` over an order-preserving scan), so no scan needs the single-threaded reader.

Files of the other tables (talents, ads, campaigns, benchmarks, daily overviews) are
small: they go through :func:`fact_toolkit.load` unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..channels import ChannelRules, classify_tables
from ..dataset import PERIODS, ROWS, Dataset, fact_rows, panel, present, stack, undated
from ..errors import FactInputError
from ..io.convert import reads_times
from ..io.files import expand_paths
from ..io.readers import _FIX_REDOWNLOAD
from ..io.sql import ident, lit, parse_sql
from ..loader import campaign_calendar, load, time_zone_warning
from ..reconcile import checks
from ..report import LoadReport
from ..schema import FILE_KINDS, TABLES
from ..validate import DTYPES
from .panel import panel_keys, panel_measures
from .rowscan.repeats import _details, _repeat_candidates
from .rowscan.rowsql import _AFTER_COLS, _grouped_select, _sum_sql, _union_columns
from .rowscan.sources import (
    ENGINE_TABLES,
    _Ctx,
    _FIX_NO_DATA,
    _NO_DATA,
    _Reread,
    _Source,
    _blank_record_sources,
    _csv_edge_totals,
    _detect_currency,
    _fetch_arrow,
    _number_csv_edges,
    _raw_sources,
    _sources_for_file,
)

__all__ = ["load_duckdb", "ENGINE_TABLES", "accounts_table", "DEFAULT_MEMORY_LIMIT", "FALLBACK_MEMORY_LIMIT"]


#: DuckDB's memory limit unless ``memory_limit=`` is given: aggregates spill to disk beyond it
DEFAULT_MEMORY_LIMIT = "600MB"
#: the limit a work table that does not fit under the default raises DuckDB's to, and the
#: retry's limit when a step that cannot spill ran out of memory under the default: three
#: quarters of the machine's memory, which DuckDB measures when the setting is applied (on any
#: OS; nothing is probed at import)
FALLBACK_MEMORY_LIMIT = "75%"

#: the end of the loader's warning about mismatches (one warning for all files)
_MISMATCH_TAIL = "recomputed from the same row beyond rounding (see mismatches)"


class _OutOfMemory(RuntimeError):
    """DuckDB ran out of memory under the engine's limit.

    ``limit``: the limit it ran under; ``raised``: a step had raised it to that within the
    load (so running the load again under it would fail again)."""

    def __init__(self, text: str, limit: str, raised: bool) -> None:
        super().__init__(text)
        self.limit = limit
        self.raised = raised


#: what to do when DuckDB runs out of memory under the last limit the load may use
_FIX_MEMORY = ("load fewer files at once, or on a machine with more memory "
               "(fact_toolkit.engines.load_duckdb(..., memory_limit='8GB') sets the limit)")


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


def _lines(table: str, lines: pa.Table, dims: list[str], measures: list[str]) -> pd.DataFrame:
    """Grouped lines (Arrow, from DuckDB) as pandas, in the dtypes of the pandas path's tables
    (``validate.DTYPES``). Text columns go straight from Arrow into pandas' Arrow-backed
    strings: through ``to_pandas`` first, the 11.8M lines of the 20M-row orders took 8 s more."""
    spec = TABLES[table]
    out: dict[str, pd.Series] = {}
    for c in dims:
        col = lines.column(c)
        if spec.column(c).kind in ("date", "datetime"):
            out[c] = pd.to_datetime(col.to_pandas()).astype("datetime64[ns]")
        else:  # one chunk: pandas' grouping on a column of many chunks held 0.9 GB more (20M orders)
            out[c] = pd.Series(pd.array(col.combine_chunks(), dtype="string"))
    for m in measures:
        out[m] = lines.column(m).to_pandas().astype(DTYPES[spec.column(m).kind])
        out[present(m)] = lines.column(present(m)).to_pandas().astype("Int64")
    out[ROWS] = lines.column(ROWS).to_pandas().astype("Int64")
    return pd.DataFrame(out, index=pd.RangeIndex(lines.num_rows), copy=False)


def _run_table(table: str, sources: list[_Source], ctx: _Ctx, report: LoadReport) -> _TableResult:
    for s in sources:
        s.currency = ctx.currency or _detect_currency(s, ctx, table) or str(
            FILE_KINDS[s.match.kind].defaults.get("currency", "CNY"))
        if any(c.startswith("reported_") for c in s.match.mapping.values()):
            have = _present_columns(s, table, ctx)
            s.checks = checks(s.match.kind, have.__contains__)
    union = _union_columns(table, sources)
    after = list(dict.fromkeys([*union, "fact_channel", *(["campaign_id"] if "date" in union else [])]))

    # 1. candidate duplicate keys (a narrow scan of the key columns)
    repeats = _repeat_candidates(table, sources, union, ctx)

    # 2. main scan: rows grouped on raw dimension cells, then summed to file × status × the
    #    columns the classification, the fact rule and the panel read (about the panel's size)
    groups = " UNION ALL BY NAME ".join(
        f"({_grouped_select(s, table, union, after, ctx, repeats, s.idx in repeats.plain)})" for s in sources)
    dims = [c for c in union if c in _AFTER_COLS or c in panel_keys(after)]
    measures = [m for m in panel_measures(after) if m in union]

    def total(m: str) -> str:
        return _sum_sql(table, m, ident(m), f"SUM({ident(present(m))})")

    q = (f"SELECT __src, __status, __mis, {''.join(ident(c) + ', ' for c in dims)}"
         f"{''.join(total(m) + ', ' for m in measures)}CAST(SUM(__cnt) AS BIGINT) AS {ident(ROWS)} "
         f"FROM ({groups}) GROUP BY ALL")
    fine = _fetch_arrow(ctx, q)
    acct = fine.group_by(["__src", "__status"]).aggregate([(ROWS, "sum")]).to_pydict()
    counts: dict[tuple[int, str], int] = {(int(a), str(b)): int(n) for a, b, n in
                                          zip(acct["__src"], acct["__status"], acct[f"{ROWS}_sum"], strict=True)}
    problems = sum(n for (_, st), n in counts.items() if st in ("quarantined", "candidate"))
    status = fine.column("__status")
    mismatches = bool(pc.any(pc.and_(pc.fill_null(fine.column("__mis"), False),
                                     pc.not_equal(status, "summary"))).as_py())
    # the main scan is not numbered (it need not be): its total-row labels must all be on edge records
    stray = [s for s in sources if s.edge is None and counts.get((s.idx, "summary"), 0)
             and counts[(s.idx, "summary")] != _csv_edge_totals(s, ctx)]
    if stray:
        for s in stray:
            _number_csv_edges(s, sum(n for (i, _), n in counts.items() if i == s.idx))
        return _run_table(table, sources, ctx, report)
    # (a filter copies every line, even when it keeps all: 10 s for the 11.8M of the 20M-row orders)
    all_loaded = all(st == "loaded" for _, st in counts)
    lines = [_lines(table, fine if all_loaded else fine.filter(pc.equal(status, "loaded")), dims, measures)]
    del fine, status

    counted = {s.idx: sum(n for (i, _), n in counts.items() if i == s.idx) for s in sources}
    kept_by_src: dict[int, int] = {}
    bad_by_src: dict[int, int] = {}
    if problems or mismatches:
        blank = _blank_record_sources(sources)
        if blank:
            raise _Reread(blank)
        quarantined = sum(n for (_, st), n in counts.items() if st == "quarantined")
        # a CSV's total rows are on its first and last two counted records (checked above): the
        # details pass tests only the rows that can be those, by number. Records of empty cells
        # only are numbered but not counted, so the first two lie within the first 2 + those
        # (the key scan counted every record); the last two are among the last two numbers.
        edges = {s.idx: f"(__row <= {s.row_offset + 2 + repeats.records[s.idx] - counted[s.idx]} "
                        f"OR __row >= {s.row_offset + counted[s.idx] - 1})"
                 for s in sources if s.edge is None and s.row_offset is not None and s.idx in repeats.records}
        kept, kept_by_src, bad_by_src = _details(table, sources, union, ctx, repeats, report, dims, measures,
                                                 only_candidates=not quarantined and not mismatches, edges=edges)
        if kept is not None and len(kept):
            lines.append(_lines(table, kept, dims, measures))

    for s in sources:
        read = counted[s.idx]
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
        fr.timezone = ctx.tz if reads_times(table, fr.columns.values()) else ""
        fr.rows_summary = counts.get((s.idx, "summary"), 0)
        fr.rows_loaded = counts.get((s.idx, "loaded"), 0) + kept_by_src.get(s.idx, 0)
        fr.rows_quarantined = counts.get((s.idx, "quarantined"), 0) + bad_by_src.get(s.idx, 0)
    whole = pd.concat(lines, ignore_index=True) if len(lines) > 1 else lines[0]
    return _TableResult(table, whole)


def _with_rows(lines: pd.DataFrame | None, rows: pd.DataFrame) -> pd.DataFrame:
    """Loaded rows as lines of one row each (:data:`ROWS` 1, a :func:`present` count per
    measure), after the engine's lines when there are any."""
    measures = panel_measures(rows.columns)
    extra = {present(m): rows[m].notna().astype("Int64") for m in measures}
    extra[ROWS] = pd.Series(1, index=rows.index, dtype="Int64")
    as_lines = rows.assign(**extra)
    if lines is None or lines.empty:
        return as_lines.reset_index(drop=True)
    return stack([lines, as_lines])


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
                tz: str | None = None, currency: str | None = None,
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
        DuckDB memory limit (default :data:`DEFAULT_MEMORY_LIMIT`); larger intermediate
        state spills to a temporary folder. Under the default, a table of problem rows (the
        rows of repeated keys) that does not fit raises the limit to
        :data:`FALLBACK_MEMORY_LIMIT` from that step on; another step that cannot spill
        retries the load once with it (unless a step raised it already). A limit given
        here is the only one.
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
        As the normal loader; messages name the file. Also when DuckDB runs out of memory
        under the last limit it may use (the message names it).

    Examples
    --------
    >>> ds = load_duckdb("exports/")              # doctest: +SKIP
    >>> ds.daily.groupby("fact_channel")["gmv"].sum()  # doctest: +SKIP
    """
    options = _Options(kind, locale, tz, currency, top_kols, top_kol_min_followers, own_accounts, campaigns)
    try:
        if memory_limit is not None:
            return _load(paths, options, memory_limit, None, threads)
        try:
            return _load(paths, options, DEFAULT_MEMORY_LIMIT, FALLBACK_MEMORY_LIMIT, threads)
        except _OutOfMemory as err:
            if err.raised:
                raise  # a step raised the limit already: the same again would fail again
        return _load(paths, options, FALLBACK_MEMORY_LIMIT, None, threads)
    except _OutOfMemory as err:
        where = str(paths[0]) if len(paths) == 1 else "(inputs)"
        text = " ".join(str(err).split()).split(" Possible solutions")[0]
        raise FactInputError(where, f"DuckDB ran out of memory under memory_limit={err.limit!r} ({text[:160]})",
                             fix=_FIX_MEMORY) from None


@dataclass(frozen=True)
class _Options:
    """The options :func:`load_duckdb` shares with :func:`fact_toolkit.load`."""

    kind: str | None
    locale: str | None
    tz: str | None
    currency: str | None
    top_kols: Iterable[str] | None
    top_kol_min_followers: int
    own_accounts: Iterable[str] | None
    campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None


def _load(paths: tuple[str | os.PathLike[str], ...], options: _Options, memory_limit: str,
          more_memory: str | None, threads: int | None) -> Dataset:
    """:func:`load_duckdb` under one memory limit; ``more_memory``: the limit a work table
    that does not fit may raise it to (:func:`~.rowscan.repeats._work_table`)."""
    kind, locale, tz, currency = options.kind, options.locale, options.tz, options.currency
    top_kols, own_accounts, campaigns = options.top_kols, options.own_accounts, options.campaigns
    if not paths:
        raise FactInputError("(no path)", "no input given", fix="name at least one file or folder")
    files = expand_paths(paths)
    tmp = Path(tempfile.mkdtemp(prefix="fact_toolkit_duckdb_"))
    con = duckdb.connect(config={"preserve_insertion_order": True})
    ctx: _Ctx | None = None
    try:
        con.sql("SET TimeZone = 'UTC'")
        con.sql(f"SET memory_limit = {lit(memory_limit)}")
        con.sql(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        con.sql(f"SET temp_directory = {lit(str(tmp / 'spill'))}")
        # files the engine scans are read in ``tz``, else China's zone (Seller Center lists,
        # whose zone follows their currency, go through the pandas path with ``tz`` as given)
        ctx = _Ctx(con, tmp, locale, tz or "Asia/Shanghai", kind, currency, more_memory=more_memory)
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
            small_ds = load(*small, **vars(options))
            tables.update(small_ds.tables)
        results = [_run_with_fallback(table, by_table, ctx, report) for table in ENGINE_TABLES if table in by_table]
        con.close()  # DuckDB's work is done: its buffers (up to the memory limit) are freed before pandas's
        # from here on, the pandas path's own code on panel-sized lines: classification and
        # campaign overlay, the fact rule, the panel's missing-value rule, the accounts summary
        grouped = {r.table: r.lines for r in results}
        superseded: set[str | None] = set()
        for table in ENGINE_TABLES:
            # rows of engine tables the pandas path loaded (TikTok Seller Center lists, with
            # their own rules already applied) join as lines of one row each
            rows = tables.pop(table, None)
            if rows is not None and len(rows):
                grouped[table] = _with_rows(grouped.get(table), rows)
            # files with times: the engine read its files in ctx.tz, the pandas path each file in
            # its own zone (the loader's warning when they differ; said once, as the same text)
            # (a time of day is held zone-aware; a date alone is not)
            theirs = {f.timezone for f in small_ds.report.files if f.table == table and f.timezone
                      and reads_times(table, f.columns.values(), ("datetime",))} if small_ds is not None else set()
            ours = {s.report.timezone for s in by_table.get(table, [])
                    if s.report.timezone and reads_times(table, s.report.columns.values(), ("datetime",))}
            warning = time_zone_warning(table, theirs | ours)
            if warning is not None:
                report.warnings.append(warning)
                superseded.add(time_zone_warning(table, theirs))  # the pandas load's, over its files only
        rules = ChannelRules.make(top_kols, options.top_kol_min_followers, own_accounts)
        context = {k: v for k, v in tables.items() if k in ("talents", "campaigns")}
        report.warnings.extend(classify_tables({**context, **grouped}, rules,
                                               campaign_calendar(campaigns, tables), rows=ROWS))
        overview = tables.pop("daily", None)
        fact_tables = {k: v for k, v in grouped.items() if len(v)}
        facts = fact_rows({**fact_tables, **({"daily": overview} if overview is not None else {})})
        if overview is not None and facts is not overview:
            tables["daily_overview"] = overview
        daily = facts if overview is not None and facts is overview else panel(facts)
        periods = undated(facts)
        if periods.any():
            # rows carrying a period, not a date (TikTok product lists): facts beside the panel
            counts = {ROWS, *(present(m) for m in panel_measures(facts.columns))}
            tables[PERIODS] = facts.loc[periods].drop(
                columns=[c for c in facts.columns if c in counts]).reset_index(drop=True)
        tables["daily"] = daily
        tables["accounts"] = accounts_table(daily)
        frs = [s.report for t in by_table.values() for s in t]
        if small_ds is not None:
            frs += small_ds.report.files
            report.quarantine.extend(small_ds.report.quarantine)
            report.mismatches.extend(small_ds.report.mismatches)
            report.warnings.extend(w for w in small_ds.report.warnings if w not in superseded)
        report.files = sorted(frs, key=lambda f: order.get(f.file, 0))
        report.quarantine.sort_by_file(order)
        report.mismatches.sort(key=lambda m: order.get(m.file, 0))
        for fr in report.files:
            if fr.table in ENGINE_TABLES:
                fr.mismatches = sum(1 for m in report.mismatches if m.file == fr.file)
            if not fr.balanced:  # pragma: no cover - a bug, never bad input
                raise AssertionError(f"row accounting does not balance for {fr.file}: {fr}")
        # (the pandas-path load of small files classified its rows too: a warning the final
        # classification repeats word for word is said once)
        report.warnings = list(dict.fromkeys(w for w in report.warnings if not w.endswith(_MISMATCH_TAIL)))
        if report.mismatches:
            report.warnings.append(
                f"{len(report.mismatches)} platform-reported metric value(s) disagree with the value "
                "recomputed from the same row beyond rounding (see mismatches)")
        return Dataset(tables, report)
    except duckdb.OutOfMemoryException as err:
        raised = more_memory is not None and ctx is not None and ctx.more_memory is None
        raise _OutOfMemory(str(err), more_memory if raised else memory_limit, raised) from None
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

