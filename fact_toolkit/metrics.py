"""Exact platform metrics as ratios of sums, with one registry of definitions.

Every rate here is a **ratio of sums** over the rows being aggregated, never a mean of
per-row ratios (DESIGN §2). ``GPM = Σ paid ÷ Σ views × 1000``: a 100-yuan session with
1,000 views and a 900-yuan session with 2,000 views have a GPM of 333.33, not 275.

Rules every function in this module follows
-------------------------------------------
* **Missing is not zero.** A zero or missing denominator gives ``NaN``, never ``0`` or
  ``inf``. An additive metric over rows that are all missing is ``NaN``.
* **Pairing.** A row contributes to a ratio metric only when *every* column the metric
  reads on that row is present (numerator, weight, subtracted columns and denominator).
  A shelf row with a paid amount but no views therefore does not inflate GPM, while it
  still counts in the ``paid_amount`` sum. The same holds for composite additive metrics:
  ``net_gmv`` counts a row only when both ``gmv`` and ``refund_amount`` are present.
* **Fallback columns are chosen per table.** A metric whose numerator is
  ``("paid_amount", "gmv")`` ("paid amount where present, else GMV") uses
  ``paid_amount`` for *every* row when the table has a ``paid_amount`` column with at
  least one non-missing value; rows whose paid amount is missing then do not count (they
  are not silently topped up with GMV, which would mix two definitions). Otherwise it
  uses ``gmv``. In :func:`summarize` the choice is made once for the whole table, so all
  groups use the same definition.
* **Never add yuan and dollars.** :func:`summarize` groups by ``currency`` when the
  table holds more than one (a missing currency counts as a value of its own);
  :func:`compute` refuses a money metric over a multi-currency table.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"paid_amount": [100.0, 900.0], "view_pv": [1000, 2000]})
>>> round(compute(t, "gpm"), 2)
333.33
>>> t.fact.compute("paid_amount")
1000.0
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fact_toolkit.schema import TABLES

__all__ = ["Metric", "METRICS", "metric_names", "compute", "summarize", "FactAccessor"]

_BASES = frozenset({"people", "events", "money", ""})

#: canonical columns holding money (major units of the row's currency)
_MONEY_COLUMNS: frozenset[str] = frozenset(
    c.name for t in TABLES.values() for c in t.columns if c.kind == "money"
) | {"gmv", "paid_amount", "refund_amount", "ad_spend", "commission"}

#: index label of the single row :func:`summarize` returns when ``by`` is None
TOTAL_LABEL = "total"


@dataclass(frozen=True)
class Metric:
    """One metric definition: what is summed, what it is divided by, and the scale.

    Parameters
    ----------
    name : str
        Registry key and output column name (``"gpm"``).
    numerator : tuple of str
        Alternative columns for the per-row numerator, in order of preference. The first
        one present in the table with at least one non-missing value is used for every
        row (see the module notes); ``("paid_amount", "gmv")`` reads "paid amount, else
        GMV".
    denominator : tuple of str or None
        Alternative columns for the per-row denominator (same rule), or ``None`` for an
        additive metric, which is the plain sum of the numerator.
    scale : float, default 1.0
        Multiplier applied to the result (``1000`` for GPMs).
    basis : {"people", "events", "money", ""}
        What the metric counts or divides by: 人数 (people), 次数 (events), money.
    label_zh, label_en : str
        Labels for tables and plots.
    description : str
        One line saying exactly how the number is made.
    weight : str or None
        For averages stored per row (``avg_watch_sec``): the per-row numerator is the
        numerator column times this column (``avg_watch_sec × view_uv``).
    subtract : tuple of str
        Columns subtracted from the per-row numerator (``net_gmv = gmv − refund_amount``).
    unit : {"money", "count", "rate", "ratio", "seconds", ""}
        How a value reads in a table or on an axis (:mod:`fact_toolkit.formatting`):
        money (GMV, GPM, AOV), a count, a rate shown as a percentage, a ratio shown as a
        multiple (ROI), seconds.

    Examples
    --------
    >>> m = Metric("gmv_per_order", ("gmv",), ("orders",), label_en="GMV per order")
    >>> m.is_ratio, m.columns
    (True, ('gmv', 'orders'))
    """

    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None
    scale: float = 1.0
    basis: str = ""
    label_zh: str = ""
    label_en: str = ""
    description: str = ""
    weight: str | None = None
    subtract: tuple[str, ...] = ()
    unit: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a Metric needs a name")
        if isinstance(self.numerator, str) or not self.numerator:
            raise ValueError(f"metric {self.name!r}: numerator must be a non-empty tuple of column names")
        if self.denominator is not None and (isinstance(self.denominator, str) or not self.denominator):
            raise ValueError(f"metric {self.name!r}: denominator must be None or a non-empty tuple of column names")
        if isinstance(self.subtract, str):
            raise ValueError(f"metric {self.name!r}: subtract must be a tuple of column names")
        if not math.isfinite(self.scale) or self.scale == 0:
            raise ValueError(f"metric {self.name!r}: scale must be finite and non-zero, got {self.scale!r}")
        if self.basis not in _BASES:
            raise ValueError(f"metric {self.name!r}: basis must be one of {sorted(_BASES)}, got {self.basis!r}")

    @property
    def is_ratio(self) -> bool:
        """True when the metric divides by a denominator."""
        return self.denominator is not None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the metric may read, alternatives included, without repeats."""
        cols = [*self.numerator, *(() if self.weight is None else (self.weight,)), *self.subtract,
                *(self.denominator or ())]
        return tuple(dict.fromkeys(cols))

    @property
    def uses_money(self) -> bool:
        """True when any column the metric reads is a money column."""
        return any(c in _MONEY_COLUMNS for c in self.columns)

    def missing(self, columns: Iterable[Hashable]) -> list[str]:
        """Requirements a set of columns does not meet, as readable strings.

        Parameters
        ----------
        columns : iterable of str
            Column names of a table.

        Returns
        -------
        list of str
            Empty when the metric is supported; otherwise items such as
            ``"view_pv"`` or ``"paid_amount or gmv"``.

        Examples
        --------
        >>> METRICS["gpm"].missing(["gmv"])
        ['view_pv']
        """
        have = set(columns)
        out: list[str] = []
        groups: list[tuple[str, ...]] = [self.numerator]
        if self.weight is not None:
            groups.append((self.weight,))
        groups.extend((c,) for c in self.subtract)
        if self.denominator is not None:
            groups.append(self.denominator)
        for alternatives in groups:
            if not any(c in have for c in alternatives):
                out.append(" or ".join(alternatives))
        return out

    def supported_by(self, columns: Iterable[Hashable]) -> bool:
        """True when ``columns`` hold everything the metric needs."""
        return not self.missing(columns)


_PAID = ("paid_amount", "gmv")


def _m(name: str, num: tuple[str, ...], den: tuple[str, ...] | None, basis: str, zh: str, en: str,
       description: str, *, scale: float = 1.0, weight: str | None = None,
       subtract: tuple[str, ...] = (), unit: str = "") -> Metric:
    if not unit:  # sums of money or of counts; per-1K metrics are money; other ratios are rates
        unit = ("money" if basis == "money" else "count") if den is None else ("money" if scale == 1000 else "rate")
    return Metric(name, num, den, scale, basis, zh, en, description, weight, subtract, unit)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        # --- additive ------------------------------------------------------------------
        _m("gmv", ("gmv",), None, "money", "成交金额", "GMV", "Σ gmv"),
        _m("paid_amount", ("paid_amount",), None, "money", "用户支付金额", "Paid amount", "Σ paid_amount"),
        _m("net_gmv", ("gmv",), None, "money", "净成交金额", "Net GMV",
           "Σ (gmv − refund_amount) over rows where both are present", subtract=("refund_amount",)),
        _m("refund_amount", ("refund_amount",), None, "money", "退款金额", "Refunds", "Σ refund_amount"),
        _m("ad_spend", ("ad_spend",), None, "money", "投放消耗", "Ad spend", "Σ ad_spend"),
        _m("commission", ("commission",), None, "money", "佣金支出", "Commission", "Σ commission"),
        _m("orders", ("orders",), None, "events", "成交订单数", "Orders", "Σ orders"),
        _m("buyers", ("buyers",), None, "people", "成交人数", "Buyers",
           "Σ buyers (people summed over rows: a person buying in two rows counts twice)"),
        _m("items", ("items",), None, "", "成交件数", "Items sold", "Σ items"),
        _m("views", ("view_pv",), None, "events", "观看次数", "Views", "Σ view_pv"),
        _m("viewers", ("view_uv",), None, "people", "观看人数", "Viewers",
           "Σ view_uv (people summed over rows: a person in two rows counts twice)"),
        _m("exposures", ("exposure_pv",), None, "events", "曝光次数", "Impressions", "Σ exposure_pv"),
        _m("new_followers", ("new_followers",), None, "people", "新增粉丝数", "New followers", "Σ new_followers"),
        # --- money per traffic ---------------------------------------------------------
        _m("gpm", _PAID, ("view_pv",), "events", "千次观看成交金额", "GMV per 1K views (GPM)",
           "Σ paid_amount (else gmv) ÷ Σ view_pv × 1000 — Compass definition, per views (次数), "
           "not per viewers", scale=1000.0),
        _m("show_gpm", _PAID, ("exposure_pv",), "events", "千次曝光成交金额", "GMV per 1K shows (show GPM)",
           "Σ paid_amount (else gmv) ÷ Σ exposure_pv × 1000", scale=1000.0),
        _m("product_gpm", _PAID, ("product_exposure_pv",), "events", "千次曝光用户支付金额",
           "Paid amount per 1K product impressions (product GPM)",
           "Σ paid_amount (else gmv) ÷ Σ product_exposure_pv × 1000", scale=1000.0),
        _m("roi", _PAID, ("ad_spend",), "money", "整体支付ROI", "Overall paid ROI",
           "Σ paid_amount (else gmv) ÷ Σ ad_spend — whole-room amount, not ad-attributed only", unit="ratio"),
        _m("uv_value", ("gmv",), ("view_uv",), "people", "UV价值", "GMV per viewer (UV value)",
           "Σ gmv ÷ Σ view_uv", unit="money"),
        _m("aov", _PAID, ("buyers",), "people", "客单价", "Average order value (per buyer)",
           "Σ paid_amount (else gmv) ÷ Σ buyers — Douyin definition (TikTok divides GMV by orders)", unit="money"),
        # --- funnel rates --------------------------------------------------------------
        _m("exposure_view_rate", ("view_uv",), ("exposure_uv",), "people", "曝光-观看率(人数)",
           "Exposure-to-view rate (people)", "Σ view_uv ÷ Σ exposure_uv"),
        _m("exposure_view_rate_pv", ("view_pv",), ("exposure_pv",), "events", "曝光-观看率(次数)",
           "Exposure-to-view rate (events)", "Σ view_pv ÷ Σ exposure_pv"),
        _m("view_product_rate", ("product_exposure_uv",), ("view_uv",), "people", "观看-商品曝光率(人数)",
           "View-to-product-exposure rate (people)", "Σ product_exposure_uv ÷ Σ view_uv"),
        _m("product_ctr", ("product_click_uv",), ("product_exposure_uv",), "people", "商品曝光-点击率(人数)",
           "Product CTR (people)", "Σ product_click_uv ÷ Σ product_exposure_uv"),
        _m("product_ctr_pv", ("product_click_pv",), ("product_exposure_pv",), "events", "商品曝光-点击率(次数)",
           "Product CTR (events)", "Σ product_click_pv ÷ Σ product_exposure_pv"),
        _m("click_order_rate", ("buyers",), ("product_click_uv",), "people", "商品点击-成交转化率(人数)",
           "Click-to-order rate (people)", "Σ buyers ÷ Σ product_click_uv"),
        _m("click_order_rate_pv", ("orders",), ("product_click_pv",), "events", "商品点击-成交转化率(次数)",
           "Click-to-order rate (events)", "Σ orders ÷ Σ product_click_pv"),
        # --- quality and cost ----------------------------------------------------------
        _m("refund_rate", ("refund_amount",), ("gmv",), "money", "退款率(按支付时间)",
           "Refund rate (pay-date clock)",
           "Σ refund_amount ÷ Σ gmv, refunds attributed to the pay date of their orders (as Compass "
           "content rows are); refunds still maturing make recent days look better"),
        _m("avg_watch_sec", ("avg_watch_sec",), ("view_uv",), "people", "人均观看时长(秒)",
           "Avg. watch time per viewer (s)", "Σ (avg_watch_sec × view_uv) ÷ Σ view_uv",
           weight="view_uv", unit="seconds"),
        _m("commission_rate", ("commission",), _PAID, "money", "佣金率", "Commission rate",
           "Σ commission ÷ Σ paid_amount (else gmv)"),
        _m("net_roi", ("gmv",), ("ad_spend",), "money", "净成交ROI", "Net ROI",
           "Σ (gmv − refund_amount) ÷ Σ ad_spend", subtract=("refund_amount",), unit="ratio"),
    )
}


# --- helpers ---------------------------------------------------------------------------


def _resolve(metric: str | Metric) -> Metric:
    if isinstance(metric, Metric):
        return metric
    try:
        return METRICS[metric]
    except (KeyError, TypeError):
        raise KeyError(f"unknown metric {metric!r}; known metrics: {', '.join(METRICS)}") from None


def metric_names(table: pd.DataFrame | Iterable[Hashable] | None = None) -> list[str]:
    """Names of registered metrics, optionally only those a table supports.

    Parameters
    ----------
    table : DataFrame or iterable of str, optional
        A table (or its column names). When given, only metrics whose columns the table
        has are returned. Presence of a column is enough: a column that is all missing
        still "supports" a metric, whose value is then NaN.

    Returns
    -------
    list of str
        Metric names in registry order.

    Examples
    --------
    >>> metric_names(["gmv", "view_pv"])
    ['gmv', 'views', 'gpm']
    >>> len(metric_names()) == len(METRICS)
    True
    """
    if table is None:
        return list(METRICS)
    cols = table.columns if isinstance(table, pd.DataFrame) else table
    have = set(cols)
    return [name for name, m in METRICS.items() if m.supported_by(have)]


class _Frame:
    """Float views of a table's columns, computed once and shared by all metrics."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._values: dict[str, np.ndarray] = {}
        self._present: dict[str, np.ndarray] = {}
        self._choice: dict[tuple[str, ...], str] = {}

    def values(self, col: str) -> np.ndarray:
        if col not in self._values:
            self._values[col] = _to_float(self.table[col], col)
        return self._values[col]

    def present(self, col: str) -> np.ndarray:
        if col not in self._present:
            self._present[col] = ~np.isnan(self.values(col))
        return self._present[col]

    def has_missing(self, col: str) -> bool:
        if self._complete_dtype(col):
            return False
        return not bool(self.present(col).all())

    def any_present(self, col: str) -> bool:
        if self._complete_dtype(col):
            return len(self.table) > 0
        return bool(self.present(col).any())

    def _complete_dtype(self, col: str) -> bool:
        """Plain numpy integer and bool columns cannot hold a missing value."""
        dtype = self.table[col].dtype
        return isinstance(dtype, np.dtype) and dtype.kind in "iub"

    def choose(self, alternatives: tuple[str, ...]) -> str:
        """First alternative with a non-missing value, else the first present column."""
        if alternatives not in self._choice:
            there = [c for c in alternatives if c in self.table.columns]
            if not there:
                raise KeyError(" or ".join(alternatives))
            chosen = next((c for c in there if self.any_present(c)), there[0])
            self._choice[alternatives] = chosen
        return self._choice[alternatives]


def _to_float(s: pd.Series, name: str) -> np.ndarray:
    """A column as float64 with NaN for missing values (nullable dtypes included)."""
    if isinstance(s, pd.DataFrame):
        raise ValueError(f"column {name!r} appears more than once in the table; drop the duplicate")
    dtype = s.dtype
    if not pd.api.types.is_numeric_dtype(dtype):
        if dtype != object:
            raise TypeError(f"column {name!r} has dtype {dtype}, not a number; parse it with fact_toolkit.io first")
        try:
            s = pd.to_numeric(s, errors="raise")
        except (ValueError, TypeError) as exc:
            raise TypeError(f"column {name!r} holds non-numeric values ({exc}); "
                            "parse it with fact_toolkit.io first") from None
    if isinstance(s.dtype, np.dtype):
        return np.asarray(s.to_numpy(), dtype="float64")
    return np.asarray(s.to_numpy(dtype="float64", na_value=np.nan), dtype="float64")


def _check_supported(metrics: Sequence[Metric], columns: Iterable[Hashable]) -> None:
    have = set(columns)
    problems = [f"{m.name} needs {', '.join(m.missing(have))}" for m in metrics if m.missing(have)]
    if problems:
        raise KeyError("table lacks columns for requested metrics: " + "; ".join(problems))


def _aggregate(frame: _Frame, metrics: Sequence[Metric], codes: np.ndarray, ngroups: int,
               sizes: np.ndarray) -> dict[str, np.ndarray]:
    """Per-group values of each metric: masked bincount sums, then one division.

    Sums are shared between metrics: a (column expression, pairing mask) pair is summed
    once. The pairing mask only lists columns that actually have missing values, so on
    a complete table ``gpm`` reuses the plain ``paid_amount`` sum.
    """
    sums: dict[tuple, np.ndarray] = {}
    counts: dict[frozenset[str], np.ndarray] = {}
    masks: dict[frozenset[str], np.ndarray | None] = {}

    def mask_of(cols: frozenset[str]) -> np.ndarray | None:
        if cols not in masks:
            if not cols:
                masks[cols] = None
            else:
                it = iter(sorted(cols))
                m = frame.present(next(it)).copy()
                for c in it:
                    m &= frame.present(c)
                masks[cols] = m
        return masks[cols]

    def count_of(cols: frozenset[str]) -> np.ndarray:
        if cols not in counts:
            m = mask_of(cols)
            counts[cols] = sizes if m is None else np.bincount(codes[m], minlength=ngroups)
        return counts[cols]

    def sum_of(expr: tuple[str, str | None, tuple[str, ...]], cols: frozenset[str]) -> np.ndarray:
        key = (expr, cols)
        if key not in sums:
            base, weight, subtract = expr
            x = frame.values(base)
            if weight is not None:
                x = x * frame.values(weight)
            for c in subtract:
                x = x - frame.values(c)
            m = mask_of(cols)
            if m is not None:
                x = np.where(m, x, 0.0)
            sums[key] = np.bincount(codes, weights=x, minlength=ngroups).astype("float64")
        return sums[key]

    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for m in metrics:
            num_col = frame.choose(m.numerator)
            expr = (num_col, m.weight, tuple(m.subtract))
            involved = {num_col, *m.subtract, *(() if m.weight is None else (m.weight,))}
            if m.denominator is None:
                cols = frozenset(c for c in involved if frame.has_missing(c))
                total = sum_of(expr, cols)
                value = np.where(count_of(cols) > 0, total, np.nan)
            else:
                den_col = frame.choose(m.denominator)
                involved.add(den_col)
                cols = frozenset(c for c in involved if frame.has_missing(c))
                num = sum_of(expr, cols)
                den = sum_of((den_col, None, ()), cols)
                ok = (count_of(cols) > 0) & (den != 0) & ~np.isnan(den)
                value = np.divide(num, den, out=np.full(ngroups, np.nan), where=ok)
            if m.scale != 1.0:
                value = value * m.scale
            out[m.name] = value
    return out


def _as_list(by: str | Sequence[Hashable] | None) -> list[Hashable]:
    if by is None:
        return []
    if isinstance(by, str) or not isinstance(by, Iterable):
        return [by]
    return list(by)


def _multi_currency(table: pd.DataFrame) -> bool:
    return "currency" in table.columns and table["currency"].nunique(dropna=False) > 1


# --- public functions --------------------------------------------------------------------


def compute(table: pd.DataFrame, metric: str | Metric) -> float:
    """One metric over the whole table, as a ratio of sums.

    Parameters
    ----------
    table : DataFrame
        Rows in canonical columns (``gmv``, ``paid_amount``, ``view_pv`` …); numpy or
        nullable (``Int64``, ``Float64``) dtypes.
    metric : str or Metric
        A key of :data:`METRICS` or a custom :class:`Metric`.

    Returns
    -------
    float
        The value; NaN when the denominator is zero or no row has both numerator and
        denominator (or, for an additive metric, when every value is missing).

    Raises
    ------
    KeyError
        Unknown metric name, or the table lacks a column the metric needs.
    ValueError
        A money metric over a table holding more than one currency (use
        ``summarize(table, by="currency")`` or filter first).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"paid_amount": [100.0, 900.0, 50.0],
    ...                   "view_pv": [1000, 2000, None]})
    >>> round(compute(t, "gpm"), 4)      # third row has no views: not paired
    333.3333
    >>> compute(t, "paid_amount")        # but it is paid money all the same
    1050.0
    >>> import math; math.isnan(compute(t.iloc[2:], "gpm"))
    True
    """
    m = _resolve(metric)
    _check_supported([m], table.columns)
    if m.uses_money and _multi_currency(table):
        found = ", ".join(map(str, table["currency"].unique()))
        raise ValueError(f"metric {m.name!r} would add up different currencies ({found}); "
                         "filter one currency or use summarize(table, by='currency')")
    n = len(table)
    values = _aggregate(_Frame(table), [m], np.zeros(n, dtype="intp"), 1, np.array([n]))
    return float(values[m.name][0])


def summarize(table: pd.DataFrame, by: str | Sequence[Hashable] | None = None,
              metrics: Sequence[str | Metric] | None = None, *, share: bool = True) -> pd.DataFrame:
    """Metrics per group (or for the whole table), every rate a ratio of sums.

    Parameters
    ----------
    table : DataFrame
        Rows in canonical columns; numpy or nullable dtypes.
    by : str or sequence of str, optional
        Grouping columns. Missing keys form their own group (``dropna=False``), so rows
        without a channel stay visible; categorical keys show observed categories only.
        ``None`` gives a single row labelled ``"total"``.
    metrics : sequence of str or Metric, optional
        Metrics to compute, in the order given. Default: every registered metric the
        table's columns support, in registry order.
    share : bool, default True
        Add ``gmv_share`` (group GMV ÷ total GMV, within each currency when ``currency``
        is a grouping key) when the table has a ``gmv`` column.

    Returns
    -------
    DataFrame
        Index: the ``by`` columns (``currency`` first when it was added). Columns: one
        float column per metric, then ``gmv_share`` (if any), then ``rows`` (row count).

    Raises
    ------
    KeyError
        Unknown metric, a requested metric the columns do not support (the message names
        the missing columns), or a ``by`` column that is not in the table.

    Notes
    -----
    When the table has a ``currency`` column with more than one distinct value (missing
    counts as a value) and ``currency`` is not in ``by``, ``currency`` is prepended to
    ``by``: money in different currencies is never added up. Fallback numerators such as
    "paid amount, else GMV" are chosen once for the whole table, or once per currency
    when the table holds several (a TikTok shop in USD reports GMV where a Douyin shop in
    CNY reports paid amount; see the module notes).
    The work is one factorisation of the keys plus a few ``numpy.bincount`` sums shared
    between metrics; there is no per-group Python loop.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"fact_channel": ["F", "F", "A"],
    ...                   "gmv": [100.0, 900.0, 1000.0],
    ...                   "view_pv": [1000, 2000, 4000]})
    >>> s = summarize(t, by="fact_channel", metrics=["gmv", "gpm"])
    >>> s.round(2)  # doctest: +NORMALIZE_WHITESPACE
                     gmv     gpm  gmv_share  rows
    fact_channel
    A             1000.0  250.00        0.5     1
    F             1000.0  333.33        0.5     2
    """
    wanted = list(METRICS.values()) if metrics is None else [_resolve(m) for m in metrics]
    if metrics is None:
        wanted = [m for m in wanted if m.supported_by(table.columns)]
    else:
        _check_supported(wanted, table.columns)
    if len({m.name for m in wanted}) != len(wanted):
        raise ValueError("a metric is requested twice")

    keys = _as_list(by)
    absent = [k for k in keys if k not in table.columns]
    if absent:
        raise KeyError(f"cannot group by {absent}: not columns of the table")
    if "currency" not in keys and _multi_currency(table):
        keys = ["currency", *keys]
    if "currency" in keys and _multi_currency(table):
        # each currency is summarised on its own: its fallback numerators ("paid amount,
        # else GMV") are chosen from its own rows, and shares stay within the currency
        parts = [summarize(sub, by=keys, metrics=metrics, share=share)
                 for _, sub in table.groupby("currency", dropna=False, sort=True, observed=True)]
        return pd.concat(parts)

    n = len(table)
    if keys:
        grouped = table.groupby(keys, dropna=False, observed=True, sort=True)
        size = grouped.size()
        codes = np.asarray(grouped.ngroup().to_numpy(), dtype="intp")
        index = size.index
        sizes = np.asarray(size.to_numpy(), dtype="int64")
    else:
        codes = np.zeros(n, dtype="intp")
        index = pd.Index([TOTAL_LABEL])
        sizes = np.array([n], dtype="int64")
    ngroups = len(index)

    frame = _Frame(table)
    values = _aggregate(frame, wanted, codes, ngroups, sizes)

    if share and "gmv" in table.columns:
        gmv = values["gmv"] if "gmv" in values else _aggregate(frame, [METRICS["gmv"]], codes, ngroups, sizes)["gmv"]
        if "currency" in keys:
            cur_codes, _ = pd.factorize(index.get_level_values("currency"), use_na_sentinel=False)
            totals = np.bincount(cur_codes, weights=np.nan_to_num(gmv, nan=0.0))[cur_codes]
        else:
            totals = np.full(ngroups, np.nansum(gmv) if ngroups else np.nan)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            ok = (totals != 0) & ~np.isnan(gmv)
            values["gmv_share"] = np.divide(gmv, totals, out=np.full(ngroups, np.nan), where=ok)
    values["rows"] = sizes
    return pd.DataFrame(values, index=index)


@pd.api.extensions.register_dataframe_accessor("fact")
class FactAccessor:
    """``df.fact``: the metric functions as methods of a DataFrame.

    A thin front over :func:`summarize`, :func:`compute` and :func:`metric_names`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"paid_amount": [100.0, 900.0], "view_pv": [1000, 2000]})
    >>> t.fact.metrics()
    ['paid_amount', 'views', 'gpm']
    >>> round(t.fact.compute("gpm"), 2)
    333.33
    >>> t.fact.summarize(metrics=["gpm"]).columns.tolist()
    ['gpm', 'rows']
    """

    def __init__(self, obj: pd.DataFrame) -> None:
        self._obj = obj

    def summarize(self, by: str | Sequence[Hashable] | None = None,
                  metrics: Sequence[str | Metric] | None = None, *, share: bool = True) -> pd.DataFrame:
        """See :func:`fact_toolkit.metrics.summarize`."""
        return summarize(self._obj, by=by, metrics=metrics, share=share)

    def compute(self, metric: str | Metric) -> float:
        """See :func:`fact_toolkit.metrics.compute`."""
        return compute(self._obj, metric)

    def metrics(self) -> list[str]:
        """Names of registered metrics this frame's columns support."""
        return metric_names(self._obj)
