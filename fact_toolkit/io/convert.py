"""Turn one raw table (cells as read) into rows of a canonical table.

Steps: recognise the kind and map headers; set summary rows (合计/Total) aside; parse
every mapped column by its declared kind; record every cell that cannot be parsed as a
quarantine entry for its row. Nothing here drops a row silently: the caller receives the
parsed frame (with ``source_file``/``source_row``), the set of row positions to
quarantine, and the number of summary rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import FactInputError
from ..report import QuarantinedRow, display_path
from ..schema import FILE_KINDS, TABLES, TOTAL_ROW_LABELS, VALUE_ALIASES, normalize_header
from .headers import KindMatch, match_kind
from .parse import (
    parse_datetime,
    parse_duration,
    parse_id,
    parse_int,
    parse_number,
    parse_range,
    parse_rate,
)
from .readers import RawTable

__all__ = ["Converted", "convert_raw", "reads_times", "parse_column", "constant_strings", "CURRENCY_SYMBOLS",
           "CURRENCY_TIMEZONES", "banner_period"]

#: currency symbols found in money cells -> ISO code
CURRENCY_SYMBOLS: dict[str, str] = {
    "HK$": "HKD", "S$": "SGD", "US$": "USD", "Rp": "IDR", "₫": "VND", "RM": "MYR", "฿": "THB", "₱": "PHP",
    "£": "GBP", "€": "EUR", "¥": "CNY", "￥": "CNY", "元": "CNY", "$": "USD",
}

#: the shop's local time zone by currency, for Seller Center downloads (their times are the
#: shop's local time) when ``tz`` is not given; currencies used in several zones (USD) are
#: not here, and such files keep the default zone (the load report says so)
CURRENCY_TIMEZONES: dict[str, str] = {
    "IDR": "Asia/Jakarta", "VND": "Asia/Ho_Chi_Minh", "THB": "Asia/Bangkok", "MYR": "Asia/Kuala_Lumpur",
    "PHP": "Asia/Manila", "SGD": "Asia/Singapore", "GBP": "Europe/London", "CNY": "Asia/Shanghai",
}
DEFAULT_TZ = "Asia/Shanghai"

#: tables with fewer rows parse column after column (a thread pool costs more than it saves)
_PARALLEL_MIN_ROWS = 50_000

_TRUE = {"是", "yes", "y", "true", "1", "t", "√", "✓", "头部"}
_FALSE = {"否", "no", "n", "false", "0", "f", "×", ""}


@dataclass
class Converted:
    """One raw table converted to canonical columns."""

    match: KindMatch
    frame: pd.DataFrame
    bad_rows: dict[int, list[QuarantinedRow]] = field(default_factory=dict)
    summary_rows: int = 0
    summary_values: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: rows read, as converted (a wide TikTok product list is read as product × carrier rows)
    rows_read: int = 0
    #: the time zone the file's times were read in
    tz: str = ""


def _summary_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose first cells read 合计/总计/Total: export totals, not data.

    Exports put their total row first or last, so only the first two and last two rows
    are candidates (an account really named "Total" in the middle stays data). Only the
    first three text columns are looked at; a label is folded (NFKC, trimmed, lower-cased,
    inner spaces single) and compared with :data:`~fact_toolkit.schema.TOTAL_ROW_LABELS`.
    """
    mask = np.zeros(len(frame), dtype=bool)
    if len(frame) > 4:
        edges = np.r_[0:2, len(frame) - 2:len(frame)]
        ends = pd.concat([frame.iloc[:2], frame.iloc[-2:]], ignore_index=True)  # slices: no take
        mask[edges] = _summary_mask(ends)
        return mask
    labels = pa.array(sorted(TOTAL_ROW_LABELS))
    for col in list(frame.columns)[:3]:
        s = frame[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue
        arr = pa.array(s.astype("string[pyarrow]").array)
        short = pc.less_equal(pc.utf8_length(arr), 16)  # labels are short; skip long text cheaply
        if not pc.any(short).as_py():
            continue
        folded = pc.utf8_lower(pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC")))
        folded = pc.replace_substring_regex(folded, r"\s+", " ")
        hit = pc.and_kleene(short, pc.is_in(folded, value_set=labels))
        mask |= np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return mask


def _category(values: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    """Normalise a category column through its vocabulary, one lookup per distinct value."""
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    vocab = VALUE_ALIASES.get(column)
    invalid = pd.Series(False, index=values.index)
    if vocab is None:
        return text, invalid
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    # unknown labels are kept as written (listed in the report), not invented
    mapped = np.array([vocab.get(normalize_header(u), u) for u in uniques], dtype=object)
    out = np.full(len(text), None, dtype=object)
    ok = codes >= 0
    out[ok] = mapped[codes[ok]]
    return pd.Series(pd.array(out, dtype="string"), index=values.index), invalid


def _bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out = out.mask(text.isin(_TRUE).fillna(False), True).mask(text.isin(_FALSE - {""}).fillna(False), False)
    invalid = text.notna() & (text != "") & ~text.isin(_TRUE | _FALSE).fillna(False)
    return out, invalid.fillna(False).astype(bool)


def parse_column(values: pd.Series, kind: str, *, column: str = "", unit: str = "",
                 locale: str | None = None, tz: str = "Asia/Shanghai") -> tuple[pd.Series, pd.Series]:
    """Parse one column by its declared kind.

    Parameters
    ----------
    values : pandas.Series
        Cells as read.
    kind : str
        The column kind from :mod:`fact_toolkit.schema`.
    column : str
        Canonical name (decides the vocabulary of category columns).
    unit : str
        Unit override from the header alias (``min`` for 直播时长(分钟)).
    locale : str, optional
        ``id``/``vi`` make dots thousands separators.
    tz : str
        Time zone of naive timestamps.

    Returns
    -------
    (values, invalid) : tuple of Series
    """
    if kind == "id":
        if unit == "paren":  # "Title(1730899853179979036)": the ID is in the last parentheses
            text = values.astype("string")
            inner = text.str.extract(r"\(\s*(\d{6,})\s*\)\s*$", expand=False)
            return parse_id(inner.where(inner.notna(), text))
        return parse_id(values)
    if kind == "text":
        text = values.astype("string").str.strip()
        return text.mask(text == ""), pd.Series(False, index=values.index)
    if kind == "category":
        return _category(values, column)
    if kind == "int":
        return parse_int(values, locale=locale)
    if kind in {"float", "money"}:
        return parse_number(values, locale=locale)
    if kind == "rate":
        return parse_rate(values)
    if kind in {"duration", "duration_min"}:
        u = "min" if (unit == "min" or kind == "duration_min") else "s"
        return parse_duration(values, unit=u)
    if kind == "datetime":
        return parse_datetime(values, tz=tz)
    if kind == "date":
        parsed, invalid = parse_datetime(values, tz=tz)
        return parsed.dt.tz_localize(None).dt.normalize().astype("datetime64[ns]"), invalid
    if kind == "bool":
        return _bool(values)
    if kind == "range":
        r = parse_range(values, locale=locale)
        mid = r["mid"].where(r["mid"].notna(), r["min"])
        return mid.astype("float64"), r["invalid"].astype(bool)
    raise ValueError(f"unknown column kind {kind!r}")


def _detect_currency(raw: pd.Series) -> str | None:
    if not (pd.api.types.is_string_dtype(raw) or raw.dtype == object):
        return None
    sample = raw.dropna().astype("string").head(2000)
    if sample.empty:
        return None
    for sym, code in CURRENCY_SYMBOLS.items():  # longest symbols first: HK$ before $
        if sample.str.contains(sym, regex=False).any():
            return code
    return None


def reads_times(table: str, columns: Iterable[str], kinds: Collection[str] = ("datetime", "date")) -> bool:
    """Whether a file of ``table`` with these canonical ``columns`` has times (or dates) read
    in a time zone: its report names the zone (``FileReport.timezone``). ``kinds``: the
    column kinds that count (``("datetime",)``: times of day, which are held zone-aware).

    Examples
    --------
    >>> reads_times("content", ["account_id", "start_time"]), reads_times("content", ["account_id"])
    (True, False)
    """
    spec = TABLES[table]
    return any(c in spec.names and spec.column(c).kind in kinds for c in columns)


def convert_raw(raw: RawTable, *, kind: str | None = None, locale: str | None = None,
                tz: str | None = None, currency: str | None = None) -> Converted:
    """Convert a :class:`~fact_toolkit.io.readers.RawTable` into canonical rows.

    Parameters
    ----------
    raw : RawTable
        As returned by :func:`fact_toolkit.io.readers.read_raw`.
    kind : str, optional
        Force the file kind (a key of ``FILE_KINDS``).
    locale : str, optional
        Number locale hint (``id``, ``vi``).
    tz : str, optional
        Time zone of the export's timestamps. Default: for Seller Center kinds the
        shop's zone inferred from the currency (:data:`CURRENCY_TIMEZONES`), else
        Asia/Shanghai.
    currency : str, optional
        Currency of money columns; otherwise a currency named in a header (``(Rp)``),
        then symbols in the cells, then the kind's default, then CNY.

    Returns
    -------
    Converted
    """
    frame = raw.frame
    headers = list(raw.headers)
    rows = np.asarray(raw.row_numbers, dtype=np.int64)
    summary = _summary_mask(frame) if len(frame) else np.zeros(0, dtype=bool)
    file = display_path(raw.path)
    warnings: list[str] = []
    wide = _carrier_blocks(headers) if kind in (None, "tiktok_product_list") else None
    n_summary = int(summary.sum())
    if wide is not None:
        frame, headers, rows, note = _unstack_carriers(frame.loc[~summary], headers, rows[~summary], wide)
        summary = np.zeros(len(frame), dtype=bool)
        kind = "tiktok_product_list"
        warnings.append(note)
    match = match_kind(raw.path, list(frame.columns), headers, kind=kind)
    table = TABLES[match.table]
    fk = FILE_KINDS[match.kind]

    data = frame.loc[~summary]
    data_rows = rows[~summary]
    out: dict[str, pd.Series] = {}
    bad: dict[int, list[QuarantinedRow]] = {}
    index = pd.RangeIndex(len(data))

    detected: str | None = match.currency
    columns = [(src, name, table.column(name), data[src].reset_index(drop=True))
               for src, name in match.mapping.items()]
    for _, _, col, cells in columns:  # the first money column that shows a currency symbol
        if detected is None and col.kind == "money" and (detected := _detect_currency(cells)):
            break
    if "currency" in match.mapping.values() and detected is None:
        named = data[next(s for s, n in match.mapping.items() if n == "currency")].dropna().astype("string")
        detected = str(named.str.strip().str.upper().iloc[0]) if len(named) else None
    has_times = reads_times(match.table, match.mapping.values())
    if tz is None:
        tz = DEFAULT_TZ
        if fk.seller_center and has_times:
            code = currency or detected or str(fk.defaults.get("currency", ""))
            if code in CURRENCY_TIMEZONES:
                tz = CURRENCY_TIMEZONES[code]
                warnings.append(f"times read as the shop's local time {tz} (inferred from the currency {code}); "
                                "pass tz=... if the shop is elsewhere")
            else:
                warnings.append(f"times read as {tz}: the shop's zone cannot be told from the currency "
                                f"{code or '(none)'}; pass tz=... (e.g. America/Los_Angeles)")

    def parse(job: tuple[str, str, Any, pd.Series]) -> tuple[pd.Series, pd.Series]:
        _, name, col, cells = job
        return parse_column(cells, col.kind, column=name, unit=match.units.get(name, ""),
                            locale=locale, tz=tz)

    for (src, name, col, cells), (values, invalid) in zip(columns, _map_columns(parse, columns, len(data)),
                                                          strict=True):
        values = values.reset_index(drop=True)
        invalid = invalid.reset_index(drop=True).to_numpy(dtype=bool)
        if invalid.any():
            _column_must_be_mostly_readable(file, src, col.kind, cells, invalid, data_rows)
            rule = f"parse_{col.kind}"
            positions = np.flatnonzero(invalid)
            raw_values = cells.to_numpy(dtype=object)[positions]
            if col.kind == "id":
                reasons = [f"{col.name}: Excel turned this ID into a number in scientific notation; "
                           "re-export with the column formatted as text"] * len(positions)
            else:
                reasons = [f"{col.name}: cannot read {v!r} as {col.kind}; fix the cell or blank it"
                           for v in raw_values]
            for pos, value, row, reason in zip(positions, raw_values, data_rows[positions], reasons, strict=True):
                bad.setdefault(int(pos), []).append(QuarantinedRow(file, int(row), str(src), str(value), rule, reason))
        out[name] = values

    result = pd.DataFrame(out, index=index, copy=False)  # columns kept as parsed, not copied into blocks
    for name, value in fk.defaults.items():
        if name == "currency":
            continue
        if name not in result:
            result[name] = constant_strings(str(value), len(result), index)
        else:
            result[name] = result[name].fillna(value)
    cur = currency or detected
    if cur is None and "currency" not in result:
        cur = str(fk.defaults.get("currency", "CNY"))
        if "currency" in fk.defaults:
            warnings.append(f"no currency symbol in the money cells: assumed {cur} (the usual currency of a "
                            f"{match.kind} export); pass currency=... if that is wrong")
    cur = cur or "CNY"
    if "currency" in result:
        result["currency"] = result["currency"].fillna(cur)
    else:
        result["currency"] = constant_strings(cur, len(result), index)
    result["source_file"] = constant_strings(file, len(result), index)
    result["source_row"] = pd.Series(data_rows, index=index, dtype="Int64")
    if fk.period and len(result):
        start, end = banner_period(raw.banner, file)
        result["period_start"] = pd.Series(np.full(len(result), start, dtype="datetime64[ns]"), index=index)
        result["period_end"] = pd.Series(np.full(len(result), end, dtype="datetime64[ns]"), index=index)
        warnings.append(f"no date column: every row's period is the banner's {start:%Y-%m-%d} ~ {end:%Y-%m-%d} "
                        "(counted in summaries; the daily panel does not split it into days)")

    summary_values: dict[str, float] = {}
    if summary.any():
        totals = frame.loc[summary].iloc[:1].reset_index(drop=True)
        for src, name in match.mapping.items():
            col = table.column(name)
            if col.kind in {"money", "int"}:
                v, inv = parse_number(totals[src], locale=locale)
                if not inv.iloc[0] and pd.notna(v.iloc[0]):
                    summary_values[name] = float(v.iloc[0])
    if match.duplicates:
        warnings.append("columns also matching an earlier header were ignored: " + ", ".join(match.duplicates))
    wide_summary = n_summary if wide is not None else 0  # total rows of the wide file, set aside before unstacking
    return Converted(match, result, bad, wide_summary + int(summary.sum()), summary_values, warnings,
                     len(frame) + wide_summary, tz if has_times else "")


def constant_strings(value: str, n: int, index: pd.Index | None = None) -> pd.Series:
    """A ``string`` Series repeating one value, built in Arrow (no list of *n* Python strings)."""
    arr = pa.repeat(pa.scalar(value, pa.large_string()), n)
    return pd.Series(pd.array(arr, dtype="string"), index=index)


def _map_columns(fn: Callable[[Any], Any], jobs: list[Any], rows: int) -> Iterator[Any]:
    """``map(fn, jobs)`` in order; on large tables over a thread pool (one thread a core).

    The parsers spend their time in pyarrow and numpy kernels, which release the GIL, so
    columns parse side by side. Results and their order are the same either way.
    """
    workers = min(len(jobs), _cpu_count())
    if rows < _PARALLEL_MIN_ROWS or workers < 2:
        return map(fn, jobs)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fact_toolkit-parse") as pool:
        return iter(list(pool.map(fn, jobs)))


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _column_must_be_mostly_readable(file: str, header: str, kind: str, cells: pd.Series,
                                    invalid: np.ndarray, rows: np.ndarray) -> None:
    """A column whose cells mostly fail is a mis-mapped or mis-typed column, not bad rows.

    Quarantining every row of the file would hide that; say so once instead.
    """
    present = int(cells.notna().sum())
    failed = int(invalid.sum())
    if present >= 5 and failed * 2 >= present:
        first = int(np.flatnonzero(invalid)[0])
        raise FactInputError(
            file, f"{failed} of {present} cells cannot be read as {kind} (first: {cells.iloc[first]!r})",
            fix="check that this column holds what its header says, or pass kind=... for another export type",
            row=int(rows[first]), column=str(header))


_DATE = r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
_PERIOD = re.compile(_DATE + r"[^0-9]{1,40}?" + _DATE)


def banner_period(banner: list[str], file: str = "") -> tuple[pd.Timestamp, pd.Timestamp]:
    """The date range in a Seller Center banner: each row's period (both ends inclusive).

    Parameters
    ----------
    banner : list of str
        The non-empty rows above the header.
    file : str
        For the error message.

    Returns
    -------
    (start, end) : tuple of Timestamp

    Raises
    ------
    FactInputError
        No date range above the header.

    Examples
    --------
    >>> banner_period(["Date Start: 2026-03-16 - Date End: 2026-04-12\\n"])[1]
    Timestamp('2026-04-12 00:00:00')
    >>> banner_period(["2026-03-16 ~ 2026-04-12"])[0]
    Timestamp('2026-03-16 00:00:00')
    """
    for text in banner:
        m = _PERIOD.search(str(text))
        if m:
            start, end = (pd.Timestamp(x.replace("/", "-").replace(".", "-")) for x in m.groups())
            if end < start:
                raise FactInputError(file, f"the banner's date range ends before it starts ({text.strip()!r})",
                                     fix="download the file again")
            return start, end
    raise FactInputError(file, "this file has no date column and no date range in the rows above its header "
                               f"(banner: {banner!r})",
                         fix="download it again from Seller Center: the first row names the period "
                             "(e.g. 2026-03-16 ~ 2026-04-12)", row=1)


#: TikTok product list by channel: carrier blocks side by side (folded header tokens)
_CARRIER_TOKENS: tuple[tuple[str, str], ...] = (
    ("shoptab", "shop_tab"), ("productcard", "card"), ("live", "live"), ("video", "video"))
#: measure tokens of a block -> the generic header the row gets in long form (None: kept
#: out of the tables and listed as ignored; the product list's rates are not recomputed)
_BLOCK_MEASURES: tuple[tuple[str, str | None], ...] = (
    ("uniquepageviews", "Unique page views"), ("pageviews", "Page views"),
    ("listingimpressions", "Product impressions"), ("impressions", "Product impressions"),
    ("uniquecustomers", "Unique customers"), ("itemssold", "Items sold"), ("gmv", "GMV"),
    ("click-throughrate", None), ("ctr", None), ("conversionrate", None),
)
#: product-level totals of the wide product list: the carrier blocks hold their parts
_PRODUCT_TOTALS = frozenset({"gmv", "itemssold", "orders"})


def _carrier_blocks(headers: list[str]) -> dict[int, tuple[str, str | None]] | None:
    """Column position -> (carrier, generic header) when ``headers`` are a wide product list."""
    found: dict[int, tuple[str, str | None]] = {}
    per_carrier: dict[str, int] = {}
    for i, h in enumerate(headers):
        f = normalize_header(h)
        for token, carrier in _CARRIER_TOKENS:
            if token in f:
                rest = f.replace(token, "").replace("from", "")
                measure = next(((t, g) for t, g in _BLOCK_MEASURES if t in rest), None)
                if measure is not None:
                    found[i] = (carrier, measure[1])
                    per_carrier[carrier] = per_carrier.get(carrier, 0) + 1
                break
    if sum(1 for n in per_carrier.values() if n >= 2) < 2:
        return None
    return found


def _unstack_carriers(frame: pd.DataFrame, headers: list[str], rows: np.ndarray,
                      blocks: dict[int, tuple[str, str | None]]) -> tuple[pd.DataFrame, list[str], np.ndarray, str]:
    """One product row with carrier blocks side by side -> one row per product × carrier."""
    cols = list(frame.columns)
    base = [i for i in range(len(cols)) if i not in blocks and normalize_header(headers[i]) not in _PRODUCT_TOTALS]
    dropped = [headers[i] for i in range(len(cols)) if i not in blocks and i not in base]
    carriers = list(dict.fromkeys(c for c, _ in blocks.values()))
    parts = []
    ignored: list[str] = []
    for carrier in carriers:
        part = {f"{headers[i]}": frame.iloc[:, i].reset_index(drop=True) for i in base}
        for i, (c, generic) in blocks.items():
            if c != carrier:
                continue
            if generic is None:
                ignored.append(headers[i])
                continue
            part[generic] = frame.iloc[:, i].reset_index(drop=True)
        part["Carrier"] = pd.Series([carrier] * len(frame), dtype="string")
        parts.append(pd.DataFrame(part))
    long = pd.concat(parts, ignore_index=True)
    long.columns = [str(c) for c in long.columns]
    note = (f"product list by channel: each of its {len(frame)} product row(s) is read as one row per carrier "
            f"({', '.join(carriers)}); product totals not loaded (the carriers hold them): {', '.join(dropped) or '—'}"
            f"; rates kept out (not recomputed): {', '.join(ignored) or '—'}")
    return long, list(long.columns), np.tile(np.asarray(rows, dtype=np.int64), len(carriers)), note
