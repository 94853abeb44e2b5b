"""The cell-value grammar of :mod:`fact_toolkit.io.parse`, rendered as DuckDB SQL.

One definition, two executions: the regular expressions, missing-value tokens, suffix
exponents and currency patterns are imported from :mod:`fact_toolkit.io.parse` (both
pyarrow and DuckDB use RE2, so the patterns run unchanged); this module only arranges
them into SQL expressions that DuckDB evaluates inside a scan. Each renderer returns a
:class:`SqlParsed` pair of expressions: the parsed value (``NULL`` when missing or not
understood) and a boolean *invalid* flag (present but not understood), exactly as the
Python parsers return :class:`~fact_toolkit.io.parse.Parsed`.

Like the Python parsers, every renderer has a cheap fast path for already-clean cells
(``TRY_CAST`` / ``TRY_STRPTIME``) and a slower normalising path that DuckDB evaluates
only for the remaining cells (``CASE`` branches run on their selection only).

Known differences from the Python execution (all on pathological cells):

* NFKC is approximated by mapping the full-width ASCII block (``１２３``, ``％``,
  ``，``), the ideographic space and ``￥`` to their ASCII forms (DuckDB has NFC only).
* Timestamps carry microseconds (pandas: nanoseconds); a nonexistent local time (DST
  gap) is not flagged, which never happens in Asia/Shanghai after 1991.
* Exponents written with four digits and a leading zero (``1e-0400``) are read.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass

from ..schema import TOTAL_ROW_LABELS, VALUE_ALIASES
from .parse import (
    _CLOCK_DURATION_RE,
    _COMPACT_RE,
    _CURRENCY_RE,
    _DMY_RE,
    _DOTTED_RE,
    _DURATION_UNITS,
    _FAST_DT_FORMATS,
    _FAST_FLOAT,
    _FAST_INTEGER,
    _INVISIBLE_RE,
    _NUMBER_RE,
    _SENTINEL,
    _SERIAL_RE,
    _SUFFIX_EXP,
    _UNIT_DURATION_RE,
    _YMD_RE,
    MISSING_TOKENS,
    _dotted_locale,
)

__all__ = [
    "SqlParsed",
    "lit",
    "ident",
    "format_sql",
    "clean_sql",
    "missing_sql",
    "number_sql",
    "int_sql",
    "duration_sql",
    "datetime_sql",
    "id_sql",
    "text_sql",
    "category_sql",
    "parse_sql",
    "summary_row_sql",
    "TWO53",
]

TWO53 = 2**53
_FULLWIDTH_FROM = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000\u00a0\uffe5\uffe0\uffe1"
_FULLWIDTH_RE = r"[\x{ff01}-\x{ff5e}\x{3000}\x{a0}\x{ffe0}\x{ffe1}\x{ffe5}]"
_FULLWIDTH_TO = "".join(chr(c) for c in range(0x21, 0x7F)) + "  ¥¢£"
# Python's str.strip()/arrow's utf8_trim_whitespace: Unicode whitespace
_WS = r"[\s\x{0b}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_BRACKETS_FROM = "【】[]（）{}"
_BRACKETS_TO = "()()()()"
_APOSTROPHE = "'^''+\\s*'"  # the SQL literal of the regex ^'+\s*


_V = "\x00value\x00"
_WS_CODES = ", ".join(str(c) for c in (0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
                                        0x205F, 0x3000))


@dataclass(frozen=True)
class SqlParsed:
    """SQL expressions for one parsed column.

    Attributes
    ----------
    value : str
        The parsed value (``NULL`` when missing or invalid).
    invalid : str
        ``TRUE`` when the cell was present but not understood.
    """

    value: str
    invalid_template: str

    @property
    def invalid(self) -> str:
        """The invalid flag, computing the value inline."""
        return self.invalid_given(self.value)

    def invalid_given(self, value: str) -> str:
        """The invalid flag given an expression (e.g. a column) already holding the value."""
        return self.invalid_template.replace(_V, f"({value})")


def lit(text: object) -> str:
    """A SQL string literal.

    Examples
    --------
    >>> lit("it's")
    "'it''s'"
    """
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier.

    Examples
    --------
    >>> ident('a"b')
    '"a""b"'
    """
    return '"' + name.replace('"', '""') + '"'


def format_sql(template: str, **values: str) -> str:
    """A ``str.format`` template as a SQL text expression: its text as literals, each
    ``{name}`` as the SQL expression ``values[name]`` (cast to text). A message worded once
    in Python is written by SQL in the same words.

    Examples
    --------
    >>> format_sql("{what} repeats row {row}", what="k.name", row="k.first")
    "CAST((k.name) AS VARCHAR) || ' repeats row ' || CAST((k.first) AS VARCHAR)"
    """
    parts = []
    for text, name, _, _ in string.Formatter().parse(template):
        if text:
            parts.append(lit(text))
        if name is not None:
            parts.append(f"CAST(({values[name]}) AS VARCHAR)")
    return " || ".join(parts) or "''"


def _strip(x: str) -> str:
    return f"regexp_replace({x}, {lit('^' + _WS + '+|' + _WS + '+$')}, '', 'g')"


def _nfkc(x: str) -> str:
    # translate() is slow: only strings holding a full-width character go through it
    return (f"(CASE WHEN regexp_matches({x}, {lit(_FULLWIDTH_RE)}) "
            f"THEN translate({x}, {lit(_FULLWIDTH_FROM)}, {lit(_FULLWIDTH_TO)}) ELSE {x} END)")


def clean_sql(x: str) -> str:
    """NFKC (approximate), drop invisible characters, trim, drop a leading apostrophe."""
    t = f"regexp_replace({_nfkc(x)}, {lit(_INVISIBLE_RE)}, '', 'g')"
    return f"regexp_replace({_strip(t)}, {_APOSTROPHE}, '')"


_TOKENS = "[" + ", ".join(lit(t) for t in sorted(MISSING_TOKENS)) + "]"


def missing_sql(t: str) -> str:
    """``t`` (already cleaned) is a missing-value token."""
    return f"list_contains({_TOKENS}, {t})"


def _present_invalid(raw: str, value: str, extra_ok: str = "FALSE", cleaned: str | None = None) -> str:
    """Present (not NULL, not a missing token) and not understood."""
    t = clean_sql(raw) if cleaned is None else cleaned
    return (f"(CASE WHEN {raw} IS NULL OR {_V} IS NOT NULL THEN FALSE "
            f"ELSE NOT ({missing_sql(t)} OR coalesce({extra_ok}, FALSE)) END)")


def _days_in_month(y: str, mo: str) -> str:
    leap = f"(({y}) % 4 = 0 AND (({y}) % 100 <> 0 OR ({y}) % 400 = 0))"
    return (f"(CASE WHEN ({mo}) = 2 THEN (CASE WHEN {leap} THEN 29 ELSE 28 END) "
            f"WHEN ({mo}) IN (4, 6, 9, 11) THEN 30 ELSE 31 END)")


_LET = [0]


def _let(expr: str, body: "Callable[[str], str]") -> str:
    """Bind ``expr`` to a name used in ``body`` (evaluated once; for the rare slow paths)."""
    _LET[0] += 1
    name = f"_v{_LET[0]}"
    return f"list_transform([{expr}], lambda {name}: {body(name)})[1]"


def _extract(t: str, pattern: str) -> str:
    """``regexp_extract`` into a struct with the pattern's group names (DuckDB names groups by position)."""
    rx = re.compile(pattern)
    names = {i: n for n, i in rx.groupindex.items()}
    fields = ", ".join(lit(names.get(i, f"_g{i}")) for i in range(1, rx.groups + 1))
    return f"regexp_extract({t}, {lit(pattern)}, [{fields}])"


def _suffix_exp(suf: str) -> str:
    whens = " ".join(f"WHEN {lit(k)} THEN {v}" for k, v in _SUFFIX_EXP.items())
    return f"(CASE {suf} {whens} ELSE 0 END)"


def _number_slow(x: str, dotted_locale: bool) -> str:
    """The normalising path of ``_number_slow``: NULL when missing or not a number."""
    def on_t(t: str) -> str:
        dotted = "TRUE" if dotted_locale else f"regexp_matches({t}, {lit(_DOTTED_RE)})"

        def on_t3(t3: str) -> str:
            def on_m(m: str) -> str:
                exp = (f"(CASE WHEN {m}.exp = '' THEN 0 ELSE TRY_CAST({m}.exp AS INTEGER) END + "
                       f"{_suffix_exp(m + '.suf')})")
                v = f"TRY_CAST({m}.sign || replace({m}.mant, ',', '') || 'e' || CAST({exp} AS VARCHAR) AS DOUBLE)"
                return _let(v, lambda vv: f"(CASE WHEN {m}.ok AND isfinite({vv}) THEN {vv} END)")

            m = (f"struct_insert({_extract(t3, _NUMBER_RE)}, ok := regexp_matches({t3}, {lit(_NUMBER_RE)}))")
            return _let(m, on_m)

        t2 = f"regexp_replace({t}, {lit(_CURRENCY_RE)}, '', 'g')"
        t3 = f"(CASE WHEN {dotted} THEN translate({t2}, '.,', ',.') ELSE {t2} END)"
        return f"(CASE WHEN {missing_sql(t)} THEN NULL ELSE {_let(t3, on_t3)} END)"

    return _let(clean_sql(x), on_t)


def _fast_double(x: str) -> str:
    # DuckDB's cast also reads '1_000', '+-5' (as -5), 'inf' and 'nan': those take the slow path
    return f"(CASE WHEN contains({x}, '_') OR contains({x}, '+-') THEN NULL ELSE TRY_CAST({x} AS DOUBLE) END)"


#: the export forms :func:`_number_common` reads: ``¥`` and thousands commas, exactly grouped
_COMMON_GROUPED = r"¥?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: unit suffixes :func:`_number_common` reads, with their power of ten (as ``_SUFFIX_EXP``)
_COMMON_SUFFIX = {"万": 4, "%": -2}


def _number_common(x: str) -> str:
    """The common dirty export forms without the normalising path: ``1.2万``, ``32.00%``,
    ``¥1,234.5``, ``1,234``. NULL for anything else (the slow path decides those).

    Where it is not NULL it equals :func:`_number_slow`: the same digits, the same power of
    ten, read by the same cast (``'1.2' || 'e4'``, as the slow path builds ``mant || 'e' ||
    exp``); a suffixed prefix the cast does not read as a plain number (another suffix,
    an exponent, ``inf``, ``_``, a ``+`` — DuckDB's cast reads ``+-5`` as -5) gives NULL here.
    """
    suffixed = " ".join(
        f"WHEN suffix({x}, {lit(s)}) THEN TRY_CAST(left({x}, -1) || 'e{e}' AS DOUBLE)" for s, e in _COMMON_SUFFIX.items())
    return (f"(CASE WHEN contains({x}, '_') OR contains({x}, '+') OR contains({x}, 'e') OR contains({x}, 'E') "
            f"OR contains({x}, 'n') OR contains({x}, 'N') OR contains({x}, 'I') OR contains({x}, 'i') THEN NULL "
            f"{suffixed} "
            f"WHEN regexp_full_match({x}, {lit(_COMMON_GROUPED)}) "
            f"THEN TRY_CAST(replace(replace({x}, '¥', ''), ',', '') AS DOUBLE) END)")


def _number_core(x: str, dotted_locale: bool) -> str:
    """``_number_core`` for a VARCHAR expression: fast cast, sentinel, common forms, slow path."""
    if dotted_locale:
        fast = f"regexp_matches({x}, {lit(_FAST_INTEGER)})"
        return (f"(CASE WHEN {x} IS NULL THEN NULL WHEN {fast} THEN "
                f"nullif(TRY_CAST({x} AS DOUBLE), {_SENTINEL}) ELSE {_number_slow(x, True)} END)")
    f = _fast_double(x)
    common = _number_common(x)
    return (f"(CASE WHEN {x} IS NULL THEN NULL WHEN isfinite({f}) THEN nullif({f}, {_SENTINEL}) "
            f"WHEN isfinite({common}) THEN {common} "
            f"ELSE {_number_slow(x, False)} END)")


def _whole(v: str) -> str:
    """SQL: the DOUBLE ``v`` is a whole number an int64 (and pandas' ``Int64``) holds
    exactly — what ``parse_int`` accepts. NULL when ``v`` is."""
    return f"({v} = trunc({v}) AND abs({v}) < {TWO53})"


def _sentinel_ok(raw: str) -> str:
    return f"(TRY_CAST({raw} AS DOUBLE) = {_SENTINEL})"


def number_sql(x: str, source: str = "VARCHAR", locale: str | None = None) -> SqlParsed:
    """:func:`~fact_toolkit.io.parse.parse_number` (and ``parse_rate``) as SQL.

    Parameters
    ----------
    x : str
        SQL expression of the cell.
    source : str
        ``"VARCHAR"``, ``"NUMBER"``, ``"TIMESTAMP"`` … (the route, as ``_route``).
    locale : str, optional
        ``id``/``vi``: dots are thousands separators.
    """
    if source == "NUMBER":
        return SqlParsed(f"nullif(CAST({x} AS DOUBLE), {_SENTINEL})", "FALSE")
    if source != "VARCHAR":
        return SqlParsed("CAST(NULL AS DOUBLE)", f"({x} IS NOT NULL)")
    value = _number_core(x, _dotted_locale(locale))
    return SqlParsed(value, _present_invalid(x, value, _sentinel_ok(x)))


def int_sql(x: str, source: str = "VARCHAR", locale: str | None = None) -> SqlParsed:
    """:func:`~fact_toolkit.io.parse.parse_int` as SQL (BIGINT)."""
    if source == "INTEGER":
        return SqlParsed(f"nullif(CAST({x} AS BIGINT), {_SENTINEL})", "FALSE")
    if source == "NUMBER":
        v = f"nullif(CAST({x} AS DOUBLE), {_SENTINEL})"
        value = f"(CASE WHEN {_whole(v)} THEN CAST({v} AS BIGINT) END)"
        return SqlParsed(value, f"({v} IS NOT NULL AND {_V} IS NULL)")
    if source != "VARCHAR":
        return SqlParsed("CAST(NULL AS BIGINT)", f"({x} IS NOT NULL)")
    f = _fast_double(x)
    if _dotted_locale(locale):
        f = f"(CASE WHEN regexp_matches({x}, {lit(_FAST_INTEGER)}) THEN TRY_CAST({x} AS DOUBLE) END)"
    slow = _let(_number_core(x, _dotted_locale(locale)), lambda d: (
        f"(CASE WHEN {_whole(d)} THEN CAST({d} AS BIGINT) "
        f"WHEN regexp_matches({x}, '^-?\\d{{1,18}}$') THEN nullif(CAST({x} AS BIGINT), {_SENTINEL}) END)"))
    value = (f"(CASE WHEN {x} IS NULL THEN NULL "
             f"WHEN isfinite({f}) AND {_whole(f)} AND {f} <> {_SENTINEL} "
             f"THEN CAST({f} AS BIGINT) ELSE {slow} END)")
    return SqlParsed(value, _present_invalid(x, value, _sentinel_ok(x)))


def duration_sql(x: str, source: str = "VARCHAR", unit: str = "s") -> SqlParsed:
    """:func:`~fact_toolkit.io.parse.parse_duration` as SQL (DOUBLE seconds)."""
    factor = _DURATION_UNITS[unit]
    if source == "NUMBER":
        return SqlParsed(f"(nullif(CAST({x} AS DOUBLE), {_SENTINEL}) * {factor!r})", "FALSE")
    if source == "INTERVAL":
        return SqlParsed(f"(epoch_us({x}) / 1e6)", "FALSE")
    if source != "VARCHAR":
        return SqlParsed("CAST(NULL AS DOUBLE)", f"({x} IS NOT NULL)")
    def on_t(t: str) -> str:
        def on_clock(clock: str) -> str:
            return (f"(coalesce(TRY_CAST(nullif({clock}.h, '') AS DOUBLE), 0) * 3600 + "
                    f"TRY_CAST({clock}.m AS DOUBLE) * 60 + TRY_CAST({clock}.s AS DOUBLE))")

        def on_units(units: str) -> str:
            parts = [f"TRY_CAST(nullif({units}.{k}, '') AS DOUBLE)" for k in ("d", "h", "m", "s")]
            any_part = " OR ".join(f"{p} IS NOT NULL" for p in parts)
            total = " + ".join(f"coalesce({p}, 0) * {w}" for p, w in zip(parts, (86400, 3600, 60, 1), strict=True))
            return f"(CASE WHEN {any_part} THEN ({total}) END)"

        unit_v = _let(_extract(t, _UNIT_DURATION_RE), on_units)
        return (f"(CASE WHEN {missing_sql(t)} THEN NULL "
                f"WHEN regexp_matches({t}, {lit(_CLOCK_DURATION_RE)}) THEN {_let(_extract(t, _CLOCK_DURATION_RE), on_clock)} "
                f"WHEN regexp_matches({t}, {lit(_UNIT_DURATION_RE)}) AND {unit_v} IS NOT NULL THEN {unit_v} "
                f"ELSE {_number_core(t, False)} * {factor!r} END)")

    t = f"lower({clean_sql(x)})"
    slow = _let(t, on_t)
    fast = f"regexp_matches({x}, {lit(_FAST_FLOAT)})"
    value = (f"(CASE WHEN {x} IS NULL THEN NULL "
             f"WHEN {fast} THEN nullif(CAST({x} AS DOUBLE), {_SENTINEL}) * {factor!r} ELSE {slow} END)")
    return SqlParsed(value, _present_invalid(x, value, f"{fast} OR " + _sentinel_ok(t), cleaned=t))


def _ts_parts(m: str, dmy_swap: bool) -> str:
    """Validated local TIMESTAMP from a YMD/DMY/compact regexp_extract struct, else NULL."""
    y = f"TRY_CAST({m}.y AS INTEGER)"
    mo, d = (f"TRY_CAST({m}.mo AS INTEGER)", f"TRY_CAST({m}.d AS INTEGER)")
    if dmy_swap:
        mo, d = d, mo
    h = f"coalesce(TRY_CAST(nullif({m}.H, '') AS INTEGER), 0)"
    mi = f"coalesce(TRY_CAST(nullif({m}.M, '') AS INTEGER), 0)"
    s = f"coalesce(TRY_CAST(nullif({m}.S, '') AS INTEGER), 0)"
    frac = f"coalesce(TRY_CAST(nullif(left(rpad({m}.f, 9, '0'), 6), '') AS INTEGER), 0)"
    ap = f"lower({m}.ap)"
    h24 = f"(CASE WHEN {ap} = 'pm' THEN {h} % 12 + 12 WHEN {ap} = 'am' THEN {h} % 12 ELSE {h} END)"
    ok = (f"({y} BETWEEN 1678 AND 2261 AND {mo} BETWEEN 1 AND 12 AND {d} >= 1 AND "
          f"{h} BETWEEN 0 AND 23 AND {mi} BETWEEN 0 AND 59 AND {s} BETWEEN 0 AND 59 AND "
          f"({ap} = '' OR {h} BETWEEN 1 AND 12) AND "
          f"{d} <= {_days_in_month(y, mo)})")
    wall = f"make_timestamp({y}, {mo}, {d}, {h24}, {mi}, {s} + {frac} / 1e6)"
    tz = f"replace({m}.tz, ':', '')"
    off_min = (f"(CASE WHEN lower({tz}) = 'z' THEN 0 ELSE "
               f"(CASE WHEN left({tz}, 1) = '-' THEN -1 ELSE 1 END) * "
               f"(CAST(substr({tz}, 2, 2) AS INTEGER) * 60 + CAST(substr({tz}, 4, 2) AS INTEGER)) END)")
    utc = f"CAST({wall} - to_minutes({off_min}) AS TIMESTAMPTZ)"
    return (f"(CASE WHEN NOT {ok} THEN NULL WHEN {m}.tz = '' THEN {wall} "
            f"ELSE timezone(__TZ__, {utc}) END)")




def _serial(days: str) -> str:
    return (f"(TIMESTAMP '1899-12-30' + to_milliseconds(CAST(round_even({days} * 86400000.0, 0) AS BIGINT)))")


def datetime_sql(x: str, source: str = "VARCHAR", tz: str = "Asia/Shanghai", dayfirst: bool = False) -> SqlParsed:
    """:func:`~fact_toolkit.io.parse.parse_datetime` as SQL: a naive local TIMESTAMP in ``tz``.

    The session time zone must be UTC (the engine sets it).
    """
    if source == "TIMESTAMP":
        return SqlParsed(f"CAST({x} AS TIMESTAMP)", "FALSE")
    if source == "TIMESTAMPTZ":
        return SqlParsed(f"timezone({lit(tz)}, {x})", "FALSE")
    if source in ("NUMBER", "INTEGER"):
        v = f"CAST({x} AS DOUBLE)"
        compact = f"CAST({v} AS BIGINT)"
        y, mo, d = f"({compact} // 10000)", f"({compact} // 100 % 100)", f"({compact} % 100)"
        ok = f"({mo} BETWEEN 1 AND 12 AND {d} >= 1 AND {d} <= {_days_in_month(y, mo)})"
        value = (f"(CASE WHEN {v} IS NULL THEN NULL WHEN {v} BETWEEN 20000 AND 80000 THEN {_serial(v)} "
                 f"WHEN {v} = trunc({v}) AND {v} BETWEEN 16780101 AND 22611231 THEN "
                 f"(CASE WHEN {ok} THEN CAST(make_date(CAST({y} AS INTEGER), CAST({mo} AS INTEGER), "
                 f"CAST({d} AS INTEGER)) AS TIMESTAMP) END) END)")
        return SqlParsed(value, f"({v} IS NOT NULL AND {_V} IS NULL)")
    if source == "DATE":
        return SqlParsed(f"CAST({x} AS TIMESTAMP)", "FALSE")
    if source != "VARCHAR":
        return SqlParsed("CAST(NULL AS TIMESTAMP)", f"({x} IS NOT NULL)")
    t = clean_sql(x)
    t = f"regexp_replace({t}, '[年月]', '-', 'g')"
    t = f"regexp_replace({t}, '[时分]', ':', 'g')"
    t = f"regexp_replace({t}, '[日号]', ' ', 'g')"
    t = f"replace({t}, '秒', '')"
    t = _strip(f"regexp_replace({t}, '\\s+', ' ', 'g')")

    def on_t(t: str) -> str:
        branches = []
        for pattern, swap in ((_YMD_RE, False), (_COMPACT_RE, False), (_DMY_RE, not dayfirst)):
            parts = _let(_extract(t, pattern), lambda m, swap=swap: _ts_parts(m, swap))
            branches.append(f"WHEN regexp_matches({t}, {lit(pattern)}) THEN {parts}")
        sdays = f"TRY_CAST({t} AS DOUBLE)"
        return (f"(CASE WHEN {missing_sql(t)} THEN NULL "
                f"WHEN regexp_matches({t}, {lit(_SERIAL_RE)}) THEN "
                f"(CASE WHEN {sdays} BETWEEN 20000 AND 80000 THEN {_serial(sdays)} END) "
                + " ".join(branches) + " END)")

    slow = _let(t, on_t).replace("__TZ__", lit(tz))
    formats = "[" + ", ".join(lit(f) for f in _FAST_DT_FORMATS) + "]"
    fast = f"TRY_STRPTIME({x}, {formats})"
    value = (f"(CASE WHEN {x} IS NULL THEN NULL WHEN year({fast}) BETWEEN 1678 AND 2261 "
             f"THEN {fast} ELSE {slow} END)")
    return SqlParsed(value, _present_invalid(x, value))


def id_sql(x: str, source: str = "VARCHAR") -> SqlParsed:
    """:func:`~fact_toolkit.io.parse.parse_id` as SQL (VARCHAR)."""
    if source == "INTEGER":
        return SqlParsed(f"CAST(nullif(CAST({x} AS BIGINT), {_SENTINEL}) AS VARCHAR)", "FALSE")
    if source == "NUMBER":
        v = f"nullif(CAST({x} AS DOUBLE), {_SENTINEL})"
        ok = _whole(v)
        return SqlParsed(f"(CASE WHEN {ok} THEN CAST(CAST({v} AS BIGINT) AS VARCHAR) END)",
                         f"({v} IS NOT NULL AND NOT coalesce({ok}, FALSE))")
    if source != "VARCHAR":
        return SqlParsed("CAST(NULL AS VARCHAR)", f"({x} IS NOT NULL)")
    t = f"regexp_replace({clean_sql(x)}, '^([+-]?\\d+)\\.0+$', '\\1')"
    sci = f"regexp_matches({t}, '^[+-]?\\d+(?:\\.\\d*)?[eE][+-]?\\d+$')"
    # digits only (conservative: anything else takes the exact slow path, same result)
    # plain IDs (digits only, or ASCII word characters with a letter that are neither a
    # missing token nor scientific notation) are already clean: anything else takes the
    # exact slow path, which gives the same result for these
    word = (f"(regexp_full_match({x}, '[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*') AND NOT "
            f"regexp_full_match({x}, '\\d+[eE]\\d+') AND NOT {missing_sql(x)})")
    # canonical digits (CAST(TRY_CAST(x AS UBIGINT) AS VARCHAR) = x, without building strings):
    # x casts to UBIGINT, starts with 1-9 (or is "0") and holds none of the other characters
    # DuckDB's integer cast accepts (spaces, sign, '_', decimal point, exponent)
    others = " AND ".join(f"NOT contains({x}, {c})" for c in
                          ("'_'", "'.'", "'e'", "'E'", "' '", "chr(9)", "chr(10)", "chr(11)", "chr(12)", "chr(13)"))
    canonical = (f"((ascii({x}) BETWEEN 49 AND 57 OR {x} = '0') AND TRY_CAST({x} AS UBIGINT) IS NOT NULL "
                 f"AND {others})")
    fast = f"coalesce({canonical} OR {word}, FALSE)"
    value = (f"nullif(CASE WHEN {x} IS NULL THEN NULL WHEN {fast} THEN {x} "
             f"WHEN {missing_sql(t)} OR {sci} THEN NULL ELSE {t} END, {lit(str(_SENTINEL))})")
    invalid = (f"(CASE WHEN {x} IS NULL OR {fast} THEN FALSE ELSE ({sci} AND NOT {missing_sql(t)}) END)")
    return SqlParsed(value, invalid)


def text_sql(x: str, source: str = "VARCHAR") -> SqlParsed:
    """Text: stripped, empty → NULL (as ``convert.parse_column`` does for ``text``)."""
    if source != "VARCHAR":
        x = f"CAST({x} AS VARCHAR)"
    ends = (f"ascii({x})", f"ascii(reverse({x}))")
    clean_ends = " AND ".join(f"{e} > 32 AND {e} NOT IN ({_WS_CODES})" for e in ends)
    value = f"nullif(CASE WHEN {clean_ends} THEN {x} ELSE {_strip(x)} END, '')"
    return SqlParsed(value, "FALSE")


def _fold(x: str) -> str:
    """``schema.normalize_header`` (NFKC approximated)."""
    t = f"translate({_nfkc(x)}, {lit(_BRACKETS_FROM)}, {lit(_BRACKETS_TO)})"
    return f"replace(lower(regexp_replace({t}, '\\s+', '', 'g')), chr(65279), '')"


def category_sql(x: str, column: str, source: str = "VARCHAR") -> SqlParsed:
    """Category columns: the ``VALUE_ALIASES`` vocabulary; unknown labels kept as written."""
    text = text_sql(x, source).value
    vocab = VALUE_ALIASES.get(column)
    if not vocab:
        return SqlParsed(text, "FALSE")
    keys = "[" + ", ".join(lit(k) for k in vocab) + "]"
    values = "[" + ", ".join(lit(v) for v in vocab.values()) + "]"
    # a label written exactly as a vocabulary key is already folded
    direct = f"{values}[list_position({keys}, {text})]"
    return SqlParsed(f"coalesce({direct}, {values}[list_position({keys}, {_fold(text)})], {text})", "FALSE")


def parse_sql(x: str, kind: str, *, source: str = "VARCHAR", column: str = "", unit: str = "",
              locale: str | None = None, tz: str = "Asia/Shanghai") -> SqlParsed:
    """:func:`fact_toolkit.io.convert.parse_column` as SQL.

    Parameters
    ----------
    x : str
        SQL expression of the raw cell.
    kind : str
        Column kind from :mod:`fact_toolkit.schema`.
    source : str
        Route of the raw column: ``VARCHAR``, ``NUMBER`` (floating), ``INTEGER``,
        ``TIMESTAMP``, ``TIMESTAMPTZ``, ``DATE``, ``INTERVAL``.
    column, unit, locale, tz
        As for ``parse_column``.

    Returns
    -------
    SqlParsed

    Examples
    --------
    >>> import duckdb
    >>> p = parse_sql("x", "int")
    >>> duckdb.sql(f"SELECT {p.value}, {p.invalid} FROM (VALUES ('1.2万'), ('一万'), ('--')) t(x)").fetchall()
    [(12000, False), (None, True), (None, False)]
    """
    p = _parse_sql(x, kind, source=source, column=column, unit=unit, locale=locale, tz=tz)
    return SqlParsed(p.value, f"coalesce({p.invalid_template}, FALSE)")


def _parse_sql(x: str, kind: str, *, source: str, column: str, unit: str, locale: str | None,
               tz: str) -> SqlParsed:
    if kind == "id":
        return id_sql(x, source)
    if kind == "text":
        return text_sql(x, source)
    if kind == "category":
        return category_sql(x, column, source)
    if kind == "int":
        return int_sql(x, source, locale)
    if kind in {"float", "money", "rate"}:
        return number_sql(x, source, None if kind == "rate" else locale)
    if kind in {"duration", "duration_min"}:
        return duration_sql(x, source, "min" if (unit == "min" or kind == "duration_min") else "s")
    if kind == "datetime":
        return datetime_sql(x, source, tz)
    if kind == "date":
        p = datetime_sql(x, source, tz)
        return SqlParsed(f"CAST(CAST({p.value} AS DATE) AS TIMESTAMP)", p.invalid_template)
    raise NotImplementedError(f"no SQL rendering for column kind {kind!r}")


def summary_row_sql(first_columns: list[str]) -> str:
    """TRUE for export total rows (合计/Total in one of the first three text cells).

    Folded as ``convert._summary_mask`` folds them: NFKC (full-width ``合计：``, ``Ｔｏｔａｌ``),
    trimmed, lower case, runs of white space as one space.
    """
    labels = "[" + ", ".join(lit(v) for v in sorted(TOTAL_ROW_LABELS)) + "]"
    longest = max(len(v.encode()) for v in TOTAL_ROW_LABELS) + 48
    # every label holds "tot", "sum", 计 or 汇 once folded; a cell without them (and without a
    # character NFKC could fold into them: anything outside ASCII and the CJK block) is no
    # total row — a cheap regex before the folding regexes (CASE evaluates THEN on matches only)
    pre = lit("(?i)tot|sum|[计汇]|[^\\x{00}-\\x{7f}\\x{4e00}-\\x{9fff}]")
    parts = [f"(CASE WHEN strlen({c}) <= {longest} AND regexp_matches({c}, {pre}) THEN list_contains({labels}, "
             f"lower(regexp_replace({_strip(_nfkc(c))}, '\\s+', ' ', 'g'))) ELSE FALSE END)" for c in first_columns]
    return "(" + " OR ".join(f"coalesce({p}, FALSE)" for p in parts) + ")" if parts else "FALSE"
