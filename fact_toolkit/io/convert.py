"""Turn one raw table (cells as read) into rows of a canonical table.

Steps: recognise the kind and map headers; set summary rows (合计/Total) aside; parse
every mapped column by its declared kind; record every cell that cannot be parsed as a
quarantine entry for its row. Nothing here drops a row silently: the caller receives the
parsed frame (with ``source_file``/``source_row``), the set of row positions to
quarantine, and the number of summary rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..report import QuarantinedRow
from ..schema import TABLES, TOTAL_ROW_LABELS, VALUE_ALIASES, normalize_header
from .headers import KindMatch, match_kind
from .parse import (
    parse_datetime,
    parse_duration,
    parse_id,
    parse_int,
    parse_number,
    parse_rate,
)
from .readers import RawTable

__all__ = ["Converted", "convert_raw", "parse_column", "CURRENCY_SYMBOLS"]

#: currency symbols found in money cells -> ISO code
CURRENCY_SYMBOLS: dict[str, str] = {"¥": "CNY", "￥": "CNY", "元": "CNY", "Rp": "IDR", "₫": "VND", "$": "USD"}

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


def _summary_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose first non-empty cells read 合计/总计/Total: export totals, not data."""
    mask = np.zeros(len(frame), dtype=bool)
    labels = TOTAL_ROW_LABELS
    for col in list(frame.columns)[:3]:
        s = frame[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue
        folded = s.astype("string").str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
        mask |= folded.isin(labels).fillna(False).to_numpy(dtype=bool)
    return mask


def _category(values: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    text = values.astype("string").str.strip()
    vocab = VALUE_ALIASES.get(column)
    if vocab is None:
        return text.mask(text == ""), pd.Series(False, index=values.index)
    folded = text.map(lambda v: normalize_header(v) if isinstance(v, str) else v)
    mapped = folded.map(lambda v: vocab.get(v) if isinstance(v, str) else None).astype("string")
    # unknown labels are kept as written (shown in the report), not invented
    out = mapped.fillna(text.mask(text == ""))
    return out, pd.Series(False, index=values.index)


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
    raise ValueError(f"unknown column kind {kind!r}")


def _detect_currency(raw: pd.Series) -> str | None:
    if not (pd.api.types.is_string_dtype(raw) or raw.dtype == object):
        return None
    sample = raw.dropna().astype("string").head(2000)
    if sample.empty:
        return None
    for sym in ("Rp", "₫", "$", "¥", "￥"):
        if sample.str.contains(sym, regex=False).any():
            return CURRENCY_SYMBOLS[sym]
    return None


def convert_raw(raw: RawTable, *, kind: str | None = None, locale: str | None = None,
                tz: str = "Asia/Shanghai", currency: str | None = None) -> Converted:
    """Convert a :class:`~fact_toolkit.io.readers.RawTable` into canonical rows.

    Parameters
    ----------
    raw : RawTable
        As returned by :func:`fact_toolkit.io.readers.read_raw`.
    kind : str, optional
        Force the file kind (a key of ``FILE_KINDS``).
    locale : str, optional
        Number locale hint (``id``, ``vi``).
    tz : str
        Time zone of the export's timestamps.
    currency : str, optional
        Currency of money columns; otherwise read from symbols in the cells, then the
        kind's default, then CNY.

    Returns
    -------
    Converted
    """
    from ..schema import FILE_KINDS

    frame = raw.frame
    match = match_kind(raw.path, list(frame.columns), raw.headers, kind=kind)
    table = TABLES[match.table]
    fk = FILE_KINDS[match.kind]
    file = str(raw.path)
    rows = np.asarray(raw.row_numbers, dtype=np.int64)

    summary = _summary_mask(frame) if len(frame) else np.zeros(0, dtype=bool)
    data = frame.loc[~summary]
    data_rows = rows[~summary]
    out: dict[str, pd.Series] = {}
    bad: dict[int, list[QuarantinedRow]] = {}
    warnings: list[str] = []
    index = pd.RangeIndex(len(data))

    detected: str | None = None
    for src, name in match.mapping.items():
        col = table.column(name)
        cells = data[src].reset_index(drop=True)
        if col.kind == "money" and detected is None:
            detected = _detect_currency(cells)
        values, invalid = parse_column(cells, col.kind, column=name, unit=match.units.get(name, ""),
                                       locale=locale, tz=tz)
        values = values.reset_index(drop=True)
        invalid = invalid.reset_index(drop=True).to_numpy(dtype=bool)
        if invalid.any():
            rule = {"id": "id", "datetime": "datetime", "date": "date"}.get(col.kind, col.kind)
            for pos in np.flatnonzero(invalid):
                value = cells.iloc[pos]
                reason = (f"{col.name}: Excel turned this ID into a number in scientific notation; "
                          "re-export with the column formatted as text") if col.kind == "id" else (
                          f"{col.name}: cannot read {value!r} as {col.kind}; fix the cell or blank it")
                bad.setdefault(int(pos), []).append(QuarantinedRow(
                    file, int(data_rows[pos]), str(src), str(value), f"parse_{rule}", reason))
        out[name] = values

    result = pd.DataFrame(out, index=index)
    for name, value in fk.defaults.items():
        if name == "currency":
            continue
        if name not in result:
            result[name] = pd.Series([value] * len(result), index=index, dtype="string")
        else:
            result[name] = result[name].fillna(value)
    cur = currency or detected or str(fk.defaults.get("currency", "CNY"))
    if "currency" in result:
        result["currency"] = result["currency"].fillna(cur)
    else:
        result["currency"] = pd.Series([cur] * len(result), index=index, dtype="string")
    result["source_file"] = pd.Series([file] * len(result), index=index, dtype="string")
    result["source_row"] = pd.Series(data_rows, index=index, dtype="Int64")

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
    return Converted(match, result, bad, int(summary.sum()), summary_values, warnings)
