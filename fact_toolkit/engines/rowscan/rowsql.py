"""The per-row SQL of the DuckDB engine: parse, validate, derive and key each row.

Every mapped cell is parsed by the value grammar of :mod:`fact_toolkit.io.parse` rendered
as SQL (:mod:`fact_toolkit.io.sql`); the validation rules (non-negative, required) and the
derived columns (the day, the synthetic content ID ``account@start``) follow the loader's.
:func:`_grouped_select` is the main scan: per row only what must be per row, then groups on
the raw dimension cells, about the panel's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...dataset import present
from ...io.parse import _FAST_DT_FORMATS, _dotted_locale
from ...io.sql import _SENTINEL, _fast_double, _number_common, _whole, ident, lit, parse_sql, summary_row_sql
from ...reconcile import mismatched_sql, recomputed_sql
from ...schema import FILE_KINDS, TABLES
from ..panel import panel_keys, panel_measures
from .sources import _Ctx, _Source, _parquet_edge_summary

__all__ = ['Repeats', '_source_select', '_key_cols', '_synthetic_id_sql', '_derived', '_union_columns', '_base_sql', '_candidate_sql', '_sum_sql', '_plain_key_col', '_NULL_OF_KIND', '_row_value', '_key_raw_hash', '_key_code_select', '_AFTER_COLS', '_DIM_KINDS', '_grouped_select', '_F', '_prefast', '_sample_time_format']


@dataclass
class Repeats:
    """Where the key codes repeat: the rows (``rows``: a table of ``__src``, ``__row``; None
    when no code repeats).

    ``positions`` holds per source with candidates its candidate rows ascending and, for a
    CSV scanned unnumbered, each row's raw-cell hash (else None): the details pass keeps
    them by a filtered scan (:func:`~.repeats._picked_candidates`). Such a CSV tells its
    candidates by the hash of their raw key cells (:func:`_key_raw_hash`): ``raw`` is the
    table (``__src``, ``__rh``) of the candidates' hashes, per source (raw cells compare
    only within a file). Equal raw cells give equal codes, so the rows
    whose hash is in ``raw`` are the candidates and, should a hash collide, a few more rows:
    every scan tests the same hashes, so such a row goes to the details pass, which
    compares real key values and keeps it.
    """

    rows: str | None = None
    plain: set[int] = field(default_factory=set)
    raw: str | None = None
    positions: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    #: per such CSV source, its candidates' distinct raw-cell hashes, sorted
    hashes: dict[int, Any] = field(default_factory=dict)
    #: per CSV source scanned unnumbered: its records, those of empty cells only included
    records: dict[int, int] = field(default_factory=dict)


def _source_select(src: _Source, table: str, union_cols: list[str], ctx: _Ctx, numbered: bool,
                   where: str | None = None, repeats: Repeats | None = None) -> str:
    spec = TABLES[table]
    fk = FILE_KINDS[src.match.kind]
    cand = _candidate_sql(src, table, union_cols, repeats) if numbered else "FALSE"
    parts = [f"{src.idx} AS __src", f"{cand} AS __cand"]
    inner = ["*"]
    levels: list[list[str]] = [[], [], []]   # the cheap steps under the parse (``_parsed_value``)
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
        inner.append(_parsed_value(src, canon, col.kind, raw, p.value, v, ctx, levels))
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
    rel = _under(rel, levels)
    sel = f"SELECT {', '.join(parts)} FROM (SELECT {', '.join(inner)} FROM {rel})"
    cols = []
    for chk in src.checks:
        m = chk.metric
        cols += [f"{mismatched_sql(chk, table)} AS {ident('__bad__' + m)}",
                 f"CAST({ident(chk.reported)} AS DOUBLE) AS {ident('__rep__' + m)}",
                 f"{recomputed_sql(chk)} AS {ident('__rec__' + m)}"]
    mis = " OR ".join(mismatched_sql(chk, table) for chk in src.checks) or "FALSE"
    return f"SELECT *, {''.join(c + ', ' for c in cols)}({mis}) AS __mis FROM ({sel})"


def _sum_sql(table: str, measure: str, value: str, count: str) -> str:
    """A line's total of ``measure`` and its present count, typed as the panel's columns:
    ``SUM(value)`` (BIGINT for counts, DOUBLE otherwise) and ``count`` (an aggregate)."""
    cast = "BIGINT" if TABLES[table].column(measure).kind == "int" else "DOUBLE"
    return f"CAST(SUM({value}) AS {cast}) AS {ident(measure)}, CAST({count} AS BIGINT) AS {ident(present(measure))}"


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
              repeats: Repeats | None, prefilter: dict[int, str] | None = None) -> str:
    """All rows of a table: parsed, derived, with __status (``prefilter``: a condition on each
    source's raw rows, by source, applied before parsing)."""
    key = _key_cols(table, union)
    selects = [_source_select(s, table, union, ctx, numbered, (prefilter or {}).get(s.idx), repeats if key else None)
               for s in sources]
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
    extra = ["__src", "__cand", "__summary", "__mis", *(["__row"] if numbered else [])]
    extra += [ident(p + m) for m in dict.fromkeys(c.metric for s in sources for c in s.checks)
              for p in ("__bad__", "__rep__", "__rec__")]
    extra += [ident("__inv__" + c) for c in union if any(c in s.match.mapping.values() for s in sources)]
    if numbered:
        extra += [ident("__raw__" + c) for c in union if any(c in s.match.mapping.values() for s in sources)]
    d = (f"SELECT {', '.join([*keep, *derived, *extra])}, ({parse_bad}) AS __parse_bad, "
         f"({val_bad}) AS __val_bad FROM ({u}) WHERE NOT __empty")
    status = ("CASE WHEN __summary THEN 'summary' WHEN __parse_bad THEN 'quarantined' "
              "WHEN __cand THEN 'candidate' WHEN __val_bad THEN 'quarantined' ELSE 'loaded' END")
    return f"SELECT *, {status} AS __status FROM ({d})"


def _candidate_sql(src: _Source, table: str, union: list[str], repeats: Repeats | None) -> str:
    """Whether a row of ``src`` is a repeat candidate: for a CSV scanned unnumbered, the hash of
    its raw key cells is among the candidates' (``repeats.raw``); else its number (``__row``:
    a numbered relation) is among the candidate rows (``repeats.rows``). FALSE when no key
    code repeats."""
    if repeats is None or repeats.rows is None:
        return "FALSE"
    if src.picked:
        return "TRUE"
    if src.row_offset is not None:
        if src.idx not in repeats.positions:
            return "FALSE"  # none of its rows is a candidate
        return (f"coalesce({_key_raw_hash(src, table, union)} IN "
                f"(SELECT __rh FROM {repeats.raw} WHERE __src = {src.idx}), FALSE)")
    return f"coalesce(__row IN (SELECT __row FROM {repeats.rows} WHERE __src = {src.idx}), FALSE)"


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
    raw = ident(src.cols[src.names.index(n)])
    kind = spec.column(c).kind
    p = parse_sql(raw, kind, source=src.routes[n], column=c,
                  unit=src.match.units.get(c, ""), locale=ctx.locale, tz=ctx.tz)
    value = p.value
    pre = _prefast(src, c, kind, raw, ctx)
    if pre is not None:  # the common clean cell cheaply; the full grammar only where that gives NULL
        value = f"coalesce({pre.value.replace(_F, f'({pre.cast})')}, {p.value})"
    if c == "currency":
        return f"coalesce({value}, {lit(src.currency)})"
    return f"coalesce({value}, {lit(fk.defaults[c])})" if c in fk.defaults else value


def _key_raw_hash(src: _Source, table: str, union: list[str]) -> str:
    """A hash of the raw cells the key code is computed from (the key columns and, for the
    synthetic content ID, the owner and start columns): rows with equal raw cells have equal
    codes, so the rows whose raw hash is a candidate's are the candidates and, rarely, rows
    whose hash collides with one (which the caller detects)."""
    key = _key_cols(table, union)
    parts = set(key) | ({"account_id", "account_name", "start_time"} if "content_id" in key else set())
    raw = [ident(src.cols[src.names.index(n)]) for n, canon in src.match.mapping.items() if canon in parts]
    return f"hash({', '.join(raw)})"


def _key_code_select(src: _Source, table: str, union: list[str], ctx: _Ctx, numbered: bool = True,
                     raw_hash: bool = False) -> str:
    """Each row's key code: ``SELECT __row, __kv, __plain FROM`` the numbered source.

    ``numbered=False``: over the parallel scan, without ``__row`` (rows in file order);
    ``raw_hash``: also ``__rh``, :func:`_key_raw_hash`.

    Equal keys give equal codes (unequal keys rarely do: codes only pick *candidates*, and
    the details pass compares the real key values). Every key part is parsed once, in an
    inner projection; the synthetic content ID (``account@start``, as ``_derived`` gives
    it) is built from those parsed parts. ``__kv`` is NULL when a key part is. A lone text
    ID whose raw cell is *plain* (digits DuckDB casts to a number, no exponent) is coded
    by that number without parsing it (``__plain``; the main scan then skips validating
    the IDs of a source whose every ID is plain).
    """
    key = _key_cols(table, union)
    mapped = set(src.match.mapping.values())
    raw = _plain_key_col(src, table, key)
    # level 0: the key's own columns; level 1: the synthetic ID's parts; level 2: the account
    # name, read only where the account ID is missing
    inner: list[dict[str, str]] = [{}, {}, {}]

    def part(c: str, level: int = 0, when: str | None = None) -> str:
        name = "__k_" + c
        value = _row_value(src, table, c, ctx)
        if raw is not None and c == key[0]:
            value = f"(CASE WHEN __p THEN NULL ELSE {value} END)"  # a plain ID is coded by its number
        inner[level][name] = f"(CASE WHEN {when} THEN {value} END)" if when else value
        return ident(name)

    if len(key) == 1:
        k = key[0]
        value = part(k) if k in mapped else None
        if k == "content_id" and table == "content" and "start_time" in union:
            # the synthetic ID's parts are parsed only for rows without an ID of their own
            need = " AND ".join([*([f"{value} IS NULL"] if value else []), *(["NOT __p"] if raw is not None else [])])
            owners = []
            if "account_id" in mapped:
                owners.append(part("account_id", 1, need or None))
            if "account_name" in mapped:
                lazy = " AND ".join([*([need] if need else []), *([f"{owners[0]} IS NULL"] if owners else [])])
                owners.append(part("account_name", 2 if owners else 1, lazy or None))
            synthetic = _synthetic_id_sql(part("start_time", 1, need or None), owners)
            value = f"coalesce({value}, {synthetic})" if value is not None else synthetic
        # a parsed ID of digits is coded by its number, as a plain raw cell is
        code = ("(CASE WHEN __kval IS NOT NULL THEN coalesce(TRY_CAST(__kval AS UBIGINT), hash(__kval)) END)",
                f"{value or 'CAST(NULL AS VARCHAR)'} AS __kval")
    else:
        parts = [part(k) for k in key]
        notnull = " AND ".join(f"{v} IS NOT NULL" for v in parts)
        code = (f"(CASE WHEN {notnull} THEN hash({', '.join(parts)}) END)", "NULL AS __kval")
    base = src.numbered if numbered else src.relation
    if raw is None:
        rel, kv, plain = base, code[0], "FALSE"
    else:
        r = ident(raw)
        rel = (f"(SELECT *, (__c IS NOT NULL AND NOT contains({r}, 'e') AND NOT contains({r}, 'E')) AS __p FROM "
               f"(SELECT *, TRY_CAST({r} AS UBIGINT) AS __c FROM {base}))")
        kv, plain = f"(CASE WHEN __p THEN __c ELSE {code[0]} END)", f"({r} IS NULL OR __p)"
    for level in inner:
        if level:
            rel = f"(SELECT *, {', '.join(f'{v} AS {ident(n)}' for n, v in level.items())} FROM {rel})"
    out = "__row, " if numbered else ""
    rh = f", {_key_raw_hash(src, table, union)} AS __rh" if raw_hash else ""
    return f"SELECT {out}{kv} AS __kv, {plain} AS __plain{rh} FROM (SELECT *, {code[1]} FROM {rel})"


#: columns the panel and the classification read after the scan (besides ``date``)
_AFTER_COLS = ("account_id", "account_name", "account_type", "carrier", "fact_channel", "campaign_id", "currency",
               "content_type")


#: kinds whose parse is a function of the raw cell alone and needs no per-row number
_DIM_KINDS = ("id", "text", "category")


def _grouped_select(src: _Source, table: str, union: list[str], after: list[str], ctx: _Ctx,
                    repeats: Repeats, plain: bool) -> str:
    """One source's rows as groups: per-row work only for measures, times, keys and flags.

    The columns the panel and the classification read (account id, name, type …; see
    :data:`_AFTER_COLS`) are grouped on their *raw* cells, together with the day, the
    per-row flags (summary, unparseable, candidate, invalid) and ``__edge``; the groups
    (about the panel's size) are then parsed, checked and given their ``__status`` exactly
    as ``_source_select`` + ``_base_sql`` do row by row (the same precedence: summary,
    unparseable, candidate, invalid, loaded). ``repeats``: where key codes repeat (a row is a
    candidate by its number, or — a CSV, whose numbered scan would run on one thread — by its
    code). ``plain``: the key scan found every ID of this
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
    levels: list[list[str]] = [[], [], []]   # the cheap steps under the parse (``_parsed_value``)
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
            inner.append(_parsed_value(src, c, col.kind, raw, p.value, v, ctx, levels))
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
    rel = src.relation
    if key and repeats.rows is not None:
        # a CSV's candidates are told by the hash of their raw key cells (numbering its parallel
        # scan would run it on one thread); other sources' by their row numbers
        if src.row_offset is None:
            rel = src.numbered
        flags["__cand"] = _candidate_sql(src, table, union, repeats)
    else:
        flags["__cand"] = "FALSE"
    consts = {f: e for f, e in flags.items() if e in ("TRUE", "FALSE")}
    l1 += [f"{e} AS {f}" for f, e in flags.items() if f not in consts]
    where = ""
    if src.empty_rows:
        where = " WHERE NOT (" + " AND ".join(f"{ident(c)} IS NULL" for c in src.cols) + ")"
    rel = _under(rel, levels)
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


def _parsed_value(src: _Source, c: str, kind: str, raw: str, value: str, v: str, ctx: _Ctx,
                  levels: list[list[str]]) -> str:
    """Column ``c``'s parsed value ``AS v``, an inner projection's item: the common cells in
    cheap steps (:func:`_prefast`, appended to ``levels``: projections the caller puts under
    the inner one with :func:`_under`), the full grammar ``value`` only for the rest."""
    pre = _prefast(src, c, kind, raw, ctx)
    if pre is None:
        return f"{value} AS {v}"
    f, q, m = ident("__f__" + c), ident("__q__" + c), ident("__m__" + c)
    levels[0].append(f"{pre.cast} AS {f}")
    levels[1].append(f"{pre.value.replace(_F, f)} AS {q}")
    if pre.common is None:
        return f"(CASE WHEN {q} IS NOT NULL THEN {q} ELSE {value} END) AS {v}"
    levels[2].append(f"{pre.common.replace(_F, f)} AS {m}")
    return (f"(CASE WHEN {q} IS NOT NULL THEN {q} WHEN isfinite({m}) THEN {pre.final.replace(_M, m)} "
            f"ELSE {value} END) AS {v}")


def _under(rel: str, levels: list[list[str]]) -> str:
    """``rel`` with the cheap steps of :func:`_parsed_value` as projections, in order."""
    for level in levels:
        if level:
            rel = f"(SELECT *, {', '.join(level)} FROM {rel})"
    return rel


_M = "\x00common\x00"


@dataclass(frozen=True)
class _Fast:
    """The cheap steps of a column's parse (:func:`_prefast`).

    ``cast``: a cast of the raw cell; ``value`` (over ``cast``'s result, written ``_F``):
    the value where the cast reads the cell. For numbers also ``common`` (over ``_F``): the
    common export forms (``1.2万``, ``¥1,234.5``, ``1,234``) read once, only where the cast
    gave no finite number, and ``final`` (over ``common``'s result, written ``_M``): the
    value where ``common`` is finite.
    """

    cast: str
    value: str
    common: str | None = None
    final: str = _M


def _prefast(src: _Source, c: str, kind: str, raw: str, ctx: _Ctx) -> _Fast | None:
    """The cheap exact steps for the common cells of a number or time column.

    Wherever ``value`` is not NULL it equals :func:`~fact_toolkit.io.sql.parse_sql`'s value
    (the fast path of ``number_sql``/``int_sql``/``datetime_sql`` without their ``CASE``
    around the slow grammar, which the caller keeps for the NULLs), and so does ``final``
    wherever ``common`` is finite: ``common`` is the grammar's next branch
    (``_number_common``), taken where the fast cast gives no finite number, as the grammar
    takes it (which evaluated it twice, inside the slow path's ``CASE``); for an integer
    column ``final`` keeps it where it is whole and below 2**53, as ``int_sql``'s slow path
    does. None when the column has no such path (other kinds, typed columns, dotted locales).
    """
    name = next(n for n, canon in src.match.mapping.items() if canon == c)
    if src.routes[name] != "VARCHAR":
        return None
    if kind in ("float", "money", "rate", "int"):
        if kind != "rate" and _dotted_locale(ctx.locale):
            return None
        step0 = _fast_double(raw)
        common = f"(CASE WHEN NOT coalesce(isfinite({_F}), FALSE) THEN {_number_common(raw)} END)"
        if kind == "int":
            # int_sql's tests (io.sql._whole), on the cheap steps' results
            return _Fast(step0, (f"(CASE WHEN isfinite({_F}) AND {_whole(_F)} "
                                 f"AND {_F} <> {_SENTINEL} THEN CAST({_F} AS BIGINT) END)"), common,
                         f"(CASE WHEN {_whole(_M)} THEN CAST({_M} AS BIGINT) END)")
        return _Fast(step0, f"(CASE WHEN isfinite({_F}) AND {_F} <> {_SENTINEL} THEN {_F} END)", common)
    if kind == "datetime":
        fmt = _sample_time_format(src, raw, ctx)
        if fmt is None:
            return None
        return _Fast(f"TRY_STRPTIME({raw}, {lit(fmt)})", f"(CASE WHEN year({_F}) BETWEEN 1678 AND 2261 THEN {_F} END)")
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
