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
from typing import Any

import numpy as np
import pandas as pd

from fact_toolkit.schema import TABLES

__all__ = ["Metric", "SourceDefinition", "METRICS", "EXTRA_METRICS", "SOURCE_COLUMN", "metric_names", "compute",
           "summarize", "row_values", "row_parts", "ratio", "ratio_of_sums", "numerator_of", "reported_metrics",
           "sources_in", "definitions_markdown", "FactAccessor"]

#: the column naming each row's source (the file kind it came from, e.g. ``tiktok_live``);
#: a metric with a definition for that source uses it on the row
SOURCE_COLUMN = "source_kind"

_BASES = frozenset({"people", "events", "money", ""})

#: canonical columns holding money (major units of the row's currency)
_MONEY_COLUMNS: frozenset[str] = frozenset(
    c.name for t in TABLES.values() for c in t.columns if c.kind == "money"
) | {"gmv", "paid_amount", "refund_amount", "ad_spend", "commission"}

#: index label of the single row :func:`summarize` returns when ``by`` is None
TOTAL_LABEL = "total"


@dataclass(frozen=True)
class SourceDefinition:
    """How one source computes a metric when the platform defines it differently.

    A source is a file kind (``tiktok_live``, ``tiktok_video`` …), carried by every row
    in :data:`SOURCE_COLUMN`. On those rows the metric divides these columns instead of
    the metric's default ones, so the value equals the platform's own number.

    Parameters
    ----------
    numerator, denominator : tuple of str
        As for :class:`Metric` (alternatives in order of preference; ``denominator``
        None only for additive metrics).
    platform_label : str
        The platform's own name for the number (``"GMV/1K views"``).
    reference : str
        Where the definition comes from (a help page, or the export's own column it was
        checked against), written in ``docs/platform_metrics.md``.
    basis : str
        ``people``/``events``/``money`` when it differs from the metric's default.

    Examples
    --------
    >>> d = SourceDefinition(("direct_gmv",), ("view_pv",), "GMV/1K views")
    >>> d.columns
    ('direct_gmv', 'view_pv')
    """

    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None
    platform_label: str = ""
    reference: str = ""
    basis: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the definition may read."""
        return tuple(dict.fromkeys([*self.numerator, *(self.denominator or ())]))


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
    sources : tuple of (str, SourceDefinition)
        Per-source definitions: rows whose :data:`SOURCE_COLUMN` names one of these
        sources use its numerator and denominator (TikTok LIVE divides Direct GMV, not
        GMV, by views). Other rows use the default above.
    reported : str
        The canonical column holding the platform's own value of this metric
        (``reported_gpm``), which the load reconciles row by row; empty when none.
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
    sources: tuple[tuple[str, SourceDefinition], ...] = ()
    reported: str = ""
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
        for source, d in self.sources:
            if (d.denominator is None) != (self.denominator is None):
                raise ValueError(f"metric {self.name!r}: the {source} definition must be a ratio exactly when "
                                 "the default is")
            if self.weight is not None or self.subtract:
                raise ValueError(f"metric {self.name!r}: per-source definitions need a plain numerator")

    def definition(self, source: object) -> Metric:
        """The metric as ``source`` defines it (the default when it has no definition of its own).

        Parameters
        ----------
        source : str
            A file kind such as ``"tiktok_live"``.

        Returns
        -------
        Metric
            Without per-source definitions; ``description`` says which source it follows.

        Examples
        --------
        >>> METRICS["gpm"].definition("tiktok_live").numerator
        ('direct_gmv',)
        >>> METRICS["gpm"].definition("compass_live").numerator
        ('paid_amount', 'gmv')
        """
        for name, d in self.sources:
            if name == source:
                return Metric(self.name, d.numerator, d.denominator, self.scale, d.basis or self.basis,
                              self.label_zh, d.platform_label or self.label_en,
                              f"{source}: {d.platform_label} = " + _formula(d, self.scale),
                              reported=self.reported, unit=self.unit)
        if not self.sources:
            return self
        return Metric(self.name, self.numerator, self.denominator, self.scale, self.basis, self.label_zh,
                      self.label_en, self.description, self.weight, self.subtract, (), self.reported, self.unit)

    @property
    def source_names(self) -> tuple[str, ...]:
        """Sources with a definition of their own."""
        return tuple(name for name, _ in self.sources)

    @property
    def is_ratio(self) -> bool:
        """True when the metric divides by a denominator."""
        return self.denominator is not None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the default definition may read, alternatives included, without repeats.

        Per-source definitions read their own (:attr:`SourceDefinition.columns`).
        """
        cols = [*self.numerator, *(() if self.weight is None else (self.weight,)), *self.subtract,
                *(self.denominator or ())]
        return tuple(dict.fromkeys(cols))

    @property
    def uses_money(self) -> bool:
        """True when any column the metric reads is a money column."""
        return any(c in _MONEY_COLUMNS for c in self.columns)

    def missing(self, columns: Iterable[Hashable], sources: Iterable[str] = ()) -> list[str]:
        """Requirements a set of columns does not meet, as readable strings.

        Parameters
        ----------
        columns : iterable of str
            Column names of a table.
        sources : iterable of str
            Sources whose rows the table holds (:func:`sources_in`): a source's own
            definition makes the metric computable only on a table holding that source.

        Returns
        -------
        list of str
            Empty when the metric is supported; otherwise items such as
            ``"view_pv"`` or ``"paid_amount or gmv"``.

        Examples
        --------
        >>> METRICS["gpm"].missing(["gmv"])
        ['view_pv']
        >>> METRICS["gpm"].missing(["direct_gmv", "view_pv"], sources=["tiktok_live"])
        []
        """
        have = set(columns)
        present = set(sources)
        if any(name in present and all(any(c in have for c in alt) for alt in (d.numerator, d.denominator or d.numerator))
               for name, d in self.sources):
            return []  # a source's own definition is computable: rows of that source count
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

    def supported_by(self, columns: Iterable[Hashable], sources: Iterable[str] = ()) -> bool:
        """True when ``columns`` (of a table holding rows of ``sources``) hold everything the metric needs."""
        return not self.missing(columns, sources)


def sources_in(table: pd.DataFrame | Iterable[Hashable]) -> set[str]:
    """The sources (file kinds) whose rows a table holds, from :data:`SOURCE_COLUMN`.

    Examples
    --------
    >>> sorted(sources_in(pd.DataFrame({"source_kind": ["tiktok_live", None, "compass_live"]})))
    ['compass_live', 'tiktok_live']
    >>> sources_in(["gmv"])
    set()
    """
    if not isinstance(table, pd.DataFrame) or SOURCE_COLUMN not in table.columns:
        return set()
    return {str(v) for v in table[SOURCE_COLUMN].dropna().unique()}


def _formula(d: SourceDefinition, scale: float) -> str:
    den = "" if d.denominator is None else " ÷ Σ " + " (else ".join(d.denominator) + ")" * (len(d.denominator) - 1)
    tail = "" if scale == 1.0 else f" × {scale:g}"
    return "Σ " + " (else ".join(d.numerator) + ")" * (len(d.numerator) - 1) + den + tail


_PAID = ("paid_amount", "gmv")

# --- where the per-source definitions come from (docs/platform_metrics.md quotes these) ---
_TT_LIVE_REF = ("TikTok Shop Seller Center LIVE list: found by recomputing the export's own GMV/1K views, CTR and "
                "CTOR (SKU orders) columns on a shop's real download (GMV would be about 11 % too high)")
_TT_VIDEO_REF = ("TikTok Shop Seller Center shoppable-video list: found by recomputing the export's own GPM (Rp), "
                 "Click-through rate (Video) and Click-to-order rate (Video) columns on a shop's real download")
_TT_AOV_REF = "TikTok Seller Center: Avg. price = GMV ÷ orders (the export's own column)"
_ADS_ROI_REF = ("ad reports (巨量千川 支付ROI; TikTok GMV Max ROI (Current shop)): the ad-attributed amount ÷ cost, "
                "the report's own ROI column")

_TT_LIVE, _TT_VIDEO, _TT_GMV_MAX = "tiktok_live", "tiktok_video", "tiktok_gmv_max"


def _src(name: str, num: tuple[str, ...], den: tuple[str, ...] | None, label: str, ref: str,
         basis: str = "") -> tuple[str, SourceDefinition]:
    return name, SourceDefinition(num, den, label, ref, basis)


def _m(name: str, num: tuple[str, ...], den: tuple[str, ...] | None, basis: str, zh: str, en: str,
       description: str, *, scale: float = 1.0, weight: str | None = None,
       subtract: tuple[str, ...] = (), sources: tuple[tuple[str, SourceDefinition], ...] = (),
       reported: str = "", unit: str = "") -> Metric:
    if not unit:  # sums of money or of counts; per-1K metrics are money; other ratios are rates
        unit = ("money" if basis == "money" else "count") if den is None else ("money" if scale == 1000 else "rate")
    return Metric(name, num, den, scale, basis, zh, en, description, weight, subtract, sources, reported, unit)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        # --- additive ------------------------------------------------------------------
        _m("gmv", ("gmv",), None, "money", "成交金额", "GMV", "Σ gmv"),
        _m("paid_amount", ("paid_amount",), None, "money", "用户支付金额", "Paid amount", "Σ paid_amount"),
        _m("net_gmv", ("gmv",), None, "money", "净成交金额", "Net GMV",
           "Σ (gmv − refund_amount) over rows where both are present", subtract=("refund_amount",),
           reported="reported_net_gmv"),
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
           "not per viewers", scale=1000.0, reported="reported_gpm",
           sources=(_src(_TT_LIVE, ("direct_gmv",), ("view_pv",), "GMV/1K views", _TT_LIVE_REF),
                    _src(_TT_VIDEO, ("gmv",), ("view_pv",), "GPM", _TT_VIDEO_REF))),
        _m("show_gpm", _PAID, ("exposure_pv",), "events", "千次曝光成交金额", "GMV per 1K shows (show GPM)",
           "Σ paid_amount (else gmv) ÷ Σ exposure_pv × 1000", scale=1000.0, reported="reported_show_gpm",
           sources=(_src(_TT_LIVE, ("direct_gmv",), ("exposure_pv",), "GMV/1K shows", _TT_LIVE_REF),)),
        _m("product_gpm", _PAID, ("product_exposure_pv",), "events", "千次曝光用户支付金额",
           "Paid amount per 1K product impressions (product GPM)",
           "Σ paid_amount (else gmv) ÷ Σ product_exposure_pv × 1000", scale=1000.0,
           reported="reported_product_gpm"),
        _m("roi", _PAID, ("ad_spend",), "money", "整体支付ROI", "Overall paid ROI",
           "Σ paid_amount (else gmv) ÷ Σ ad_spend — whole-room amount, not ad-attributed only; "
           "on ad-report rows the ad-attributed amount", reported="reported_roi", unit="ratio",
           sources=(_src("qianchuan", ("ad_gmv",), ("ad_spend",), "支付ROI", _ADS_ROI_REF),
                    _src(_TT_GMV_MAX, ("ad_gmv",), ("ad_spend",), "ROI (Current shop)", _ADS_ROI_REF))),
        _m("uv_value", ("gmv",), ("view_uv",), "people", "UV价值", "GMV per viewer (UV value)",
           "Σ gmv ÷ Σ view_uv", reported="reported_uv_value", unit="money"),
        _m("aov", _PAID, ("buyers",), "people", "客单价", "Average order value (per buyer)",
           "Σ paid_amount (else gmv) ÷ Σ buyers — Douyin definition (TikTok divides GMV by orders)",
           reported="reported_aov", unit="money",
           sources=(_src(_TT_LIVE, ("gmv",), ("orders",), "Avg. price", _TT_AOV_REF, "events"),
                    _src(_TT_VIDEO, ("gmv",), ("orders",), "Avg. price", _TT_AOV_REF, "events"))),
        # --- funnel rates --------------------------------------------------------------
        _m("exposure_view_rate", ("view_uv",), ("exposure_uv",), "people", "曝光-观看率(人数)",
           "Exposure-to-view rate (people)", "Σ view_uv ÷ Σ exposure_uv", reported="reported_exposure_view_rate"),
        _m("exposure_view_rate_pv", ("view_pv",), ("exposure_pv",), "events", "曝光-观看率(次数)",
           "Exposure-to-view rate (events)", "Σ view_pv ÷ Σ exposure_pv"),
        _m("view_product_rate", ("product_exposure_uv",), ("view_uv",), "people", "观看-商品曝光率(人数)",
           "View-to-product-exposure rate (people)", "Σ product_exposure_uv ÷ Σ view_uv"),
        _m("product_ctr", ("product_click_uv",), ("product_exposure_uv",), "people", "商品曝光-点击率(人数)",
           "Product CTR (people)", "Σ product_click_uv ÷ Σ product_exposure_uv", reported="reported_product_ctr",
           sources=(_src(_TT_LIVE, ("product_click_pv",), ("view_pv",), "CTR", _TT_LIVE_REF, "events"),
                    _src(_TT_VIDEO, ("product_click_pv",), ("view_pv",), "Click-through rate (Video)",
                         _TT_VIDEO_REF, "events"))),
        _m("product_ctr_pv", ("product_click_pv",), ("product_exposure_pv",), "events", "商品曝光-点击率(次数)",
           "Product CTR (events)", "Σ product_click_pv ÷ Σ product_exposure_pv", reported="reported_product_ctr"),
        _m("click_order_rate", ("buyers",), ("product_click_uv",), "people", "商品点击-成交转化率(人数)",
           "Click-to-order rate (people)", "Σ buyers ÷ Σ product_click_uv", reported="reported_click_order_rate",
           sources=(_src(_TT_LIVE, ("orders",), ("product_click_pv",), "CTOR (SKU orders)", _TT_LIVE_REF,
                         "events"),
                    _src(_TT_VIDEO, ("orders",), ("product_click_pv",), "Click-to-order rate (Video)",
                         _TT_VIDEO_REF, "events"))),
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


#: rates the analyses use that no platform export reports. They are computed by the same
#: functions (:func:`ratio`, :func:`compute` …) but :func:`summarize` and :func:`metric_names`
#: do not list them unless asked by name.
EXTRA_METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("cpm", ("ad_spend",), ("impressions",), scale=1000.0, basis="money", label_zh="千次展示成本",
               label_en="Ad spend per 1K impressions (CPM)",
               description="Σ ad_spend ÷ Σ impressions × 1000 — the ads table's own impressions", unit="money"),
        Metric("followers_per_1k_views", ("new_followers",), ("view_pv",), scale=1000.0, label_zh="千次观看涨粉",
               label_en="New followers per 1K views", description="Σ new_followers ÷ Σ view_pv × 1000"),
        Metric("fan_buyer_share", ("fan_buyers",), ("buyers",), label_zh="粉丝成交占比",
               label_en="Fan-buyer share", description="Σ fan_buyers ÷ Σ buyers"),
        Metric("roi_commission", _PAID, ("commission",), basis="money", label_zh="佣金ROI",
               label_en="Paid amount per yuan of commission",
               description="Σ paid_amount (else gmv) ÷ Σ commission — what a talent's commission returns",
               unit="ratio"),
    )
}


# --- helpers ---------------------------------------------------------------------------


def _resolve(metric: str | Metric) -> Metric:
    if isinstance(metric, Metric):
        return metric
    try:
        return METRICS[metric] if metric in METRICS else EXTRA_METRICS[metric]
    except (KeyError, TypeError):
        raise KeyError(f"unknown metric {metric!r}; known metrics: {', '.join([*METRICS, *EXTRA_METRICS])}"
                       ) from None


def _divide(num: np.ndarray, den: np.ndarray, scale: float) -> np.ndarray:
    """``num ÷ den × scale`` element by element; NaN where ``den`` is 0 or missing.

    The one place a ratio metric's division, its zero rule and its scale are written.
    """
    shape = np.broadcast_shapes(np.shape(num), np.shape(den))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ok = (den != 0) & ~np.isnan(den)
        value = np.divide(num, den, out=np.full(shape, np.nan), where=ok)
        return value * scale if scale != 1.0 else value


def _float_array(x: object, what: str) -> np.ndarray:
    if isinstance(x, pd.Series):
        return _to_float(x, what)
    return np.asarray(x, dtype="float64")


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
    sources = sources_in(table) if isinstance(table, pd.DataFrame) else set()
    return [name for name, m in METRICS.items() if m.supported_by(have, sources)]


class _Frame:
    """Float views of a table's columns, computed once and shared by all metrics."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._values: dict[str, np.ndarray] = {}
        self._present: dict[str, np.ndarray] = {}
        self._choice: dict[tuple[str, ...], str] = {}
        self._sources: np.ndarray | None = None

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

    def source_rows(self, source: str) -> np.ndarray | None:
        """Rows whose :data:`SOURCE_COLUMN` is ``source`` (None when no row is)."""
        if SOURCE_COLUMN not in self.table.columns:
            return None
        if self._sources is None:
            self._sources = self.table[SOURCE_COLUMN].astype("string").fillna("").to_numpy(dtype=object)
        hit = self._sources == source
        return hit if hit.any() else None

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


def _check_supported(metrics: Sequence[Metric], table: pd.DataFrame) -> None:
    have = set(table.columns)
    sources = sources_in(table)
    problems = [f"{m.name} needs {', '.join(m.missing(have, sources))}" for m in metrics
                if m.missing(have, sources)]
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
            if any(frame.source_rows(name) is not None for name in m.source_names):
                out[m.name] = _aggregate_by_source(frame, m, codes, ngroups)
                continue
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
                # a group with no paired row has a denominator sum of 0: NaN, as the zero rule says
                out[m.name] = _divide(num, den, m.scale)
                continue
            out[m.name] = value * m.scale if m.scale != 1.0 else value
    return out


def _row_parts(frame: _Frame, m: Metric) -> tuple[np.ndarray, np.ndarray]:
    """Each row's numerator and denominator as the metric reads them on that row.

    Rows of a source with its own definition use it; the other rows use the default.
    NaN where the row lacks a value (or the table lacks the columns of its definition);
    an additive metric's denominator is 0 on every row.
    """
    n = len(frame.table)
    num = np.full(n, np.nan)
    den = np.full(n, np.nan)
    by_source = [(rows, m.definition(name)) for name in m.source_names
                 if (rows := frame.source_rows(name)) is not None]
    default = np.ones(n, dtype=bool)
    for rows, _ in by_source:
        default &= ~rows
    for rows, d in [(default, m.definition(None)), *by_source]:
        if not rows.any() or d.missing(frame.table.columns):
            continue  # a definition whose columns the table lacks leaves its rows unpaired
        x = frame.values(frame.choose(d.numerator))
        if d.weight is not None:
            x = x * frame.values(d.weight)
        for c in d.subtract:
            x = x - frame.values(c)
        num[rows] = x[rows]
        den[rows] = frame.values(frame.choose(d.denominator))[rows] if d.denominator is not None else 0.0
    return num, den


def _aggregate_by_source(frame: _Frame, m: Metric, codes: np.ndarray, ngroups: int) -> np.ndarray:
    """One ratio metric whose rows follow their own source's definition.

    Each row's numerator and denominator come from the definition of the row's source
    (the default for rows of other sources); a row counts when both are present. The
    value is still Σ numerators ÷ Σ denominators over the group.
    """
    num, den = _row_parts(frame, m)
    ok_row = ~np.isnan(num) & ~np.isnan(den)
    count = np.bincount(codes[ok_row], minlength=ngroups)
    total = np.bincount(codes, weights=np.where(ok_row, num, 0.0), minlength=ngroups).astype("float64")
    if m.denominator is None:
        value = np.where(count > 0, total, np.nan)
    else:
        below = np.bincount(codes, weights=np.where(ok_row, den, 0.0), minlength=ngroups).astype("float64")
        return _divide(total, below, m.scale)  # no paired row: a denominator sum of 0, so NaN
    return value * m.scale if m.scale != 1.0 else value


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
    _check_supported([m], table)
    if m.uses_money and _multi_currency(table):
        found = ", ".join(map(str, table["currency"].unique()))
        raise ValueError(f"metric {m.name!r} would add up different currencies ({found}); "
                         "filter one currency or use summarize(table, by='currency')")
    n = len(table)
    values = _aggregate(_Frame(table), [m], np.zeros(n, dtype="intp"), 1, np.array([n]))
    return float(values[m.name][0])


def row_values(table: pd.DataFrame, metric: str | Metric) -> np.ndarray:
    """A metric on every row on its own, by the row's source definition.

    What the platform shows for a row (a session's GPM, a video's CTR), recomputed from
    the row's own sums; the load's reconciliation compares it with the ``reported_*``
    column. NaN where the row lacks a value or the denominator is zero.

    Parameters
    ----------
    table : DataFrame
        Rows in canonical columns, optionally with :data:`SOURCE_COLUMN`.
    metric : str or Metric

    Returns
    -------
    numpy.ndarray
        float64, one value per row.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"source_kind": ["tiktok_live", "compass_live"], "gmv": [110.0, 110.0],
    ...                   "direct_gmv": [100.0, None], "view_pv": [1000, 1000]})
    >>> row_values(t, "gpm").tolist()
    [100.0, 110.0]
    """
    m = _resolve(metric)
    n = len(table)
    if m.missing(table.columns, sources_in(table)):
        return np.full(n, np.nan)
    return _aggregate(_Frame(table), [m], np.arange(n, dtype="intp"), n, np.ones(n, dtype="int64"))[m.name]


def row_parts(table: pd.DataFrame, metric: str | Metric) -> tuple[np.ndarray, np.ndarray]:
    """Each row's numerator and denominator of a metric, by the row's source definition.

    For code that sums a metric's parts itself (rolling windows, models): the parts are
    those :func:`summarize` adds up, so Σ numerator ÷ Σ denominator × ``scale`` over any
    rows is the metric over those rows. Fallback numerators ("paid amount, else GMV") are
    chosen within each currency, as in :func:`summarize`.

    Parameters
    ----------
    table : DataFrame
    metric : str or Metric

    Returns
    -------
    (numerator, denominator) : tuple of numpy.ndarray
        float64, NaN where the row lacks the value; the denominator of an additive
        metric is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"source_kind": ["tiktok_live", "compass_live"], "gmv": [110.0, 110.0],
    ...                   "paid_amount": [None, 100.0], "direct_gmv": [90.0, None], "view_pv": [1000, 1000]})
    >>> [x.tolist() for x in row_parts(t, "gpm")]
    [[90.0, 100.0], [1000.0, 1000.0]]
    """
    m = _resolve(metric)
    n = len(table)
    num, den = np.full(n, np.nan), np.full(n, np.nan)
    if "currency" in table.columns and _multi_currency(table):
        codes, _ = pd.factorize(table["currency"], use_na_sentinel=False)
        for c in np.unique(codes):
            rows = np.flatnonzero(codes == c)
            sub = table.iloc[rows]
            num[rows], den[rows] = _row_parts(_Frame(sub), m)
        return num, den
    return _row_parts(_Frame(table), m)


def ratio(metric: str | Metric, numerator: Any, denominator: Any) -> Any:
    """A ratio metric from its numerator and denominator, with the metric's scale and zero rule.

    ``numerator ÷ denominator × scale`` (``× 1000`` for the GPMs), ``NaN`` where the
    denominator is zero or missing. Element by element: pass each row's parts for
    row-wise values, or sums (per group, per week, per window) for the metric over
    those rows, which is then a ratio of sums. Code that has the parts of a metric
    (``paid_amount`` and ``view_pv`` of a projection, rolling sums …) calls this rather
    than writing the division and the scale itself.

    Parameters
    ----------
    metric : str or Metric
        A key of :data:`METRICS` or :data:`EXTRA_METRICS`, or a :class:`Metric`; only its
        scale is used, so the caller chooses the columns (the numerator of ``gpm`` is the
        paid amount, else GMV).
    numerator, denominator : float, numpy.ndarray or pandas.Series
        Same shape, or broadcastable; missing values may be NaN or ``pd.NA``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        float64; a Series (on the numerator's index, aligned with a Series denominator)
        when the numerator is one, a float when both inputs are scalars, else an array.

    Raises
    ------
    KeyError
        Unknown metric name.
    ValueError
        An additive metric (it has no denominator).

    Examples
    --------
    >>> ratio("gpm", 100.0 + 900.0, 4000.0)          # Σ paid ÷ Σ views × 1000
    250.0
    >>> ratio("gpm", np.array([100.0, 50.0, 7.0]), np.array([1000.0, 0.0, np.nan])).tolist()
    [100.0, nan, nan]
    >>> ratio("roi", pd.Series([300.0], index=["F"]), pd.Series([100.0], index=["F"]))
    F    3.0
    dtype: float64
    """
    m = _resolve(metric)
    if not m.is_ratio:
        raise ValueError(f"metric {m.name!r} is additive: it has no denominator to divide by")
    index = None
    if isinstance(numerator, pd.Series):
        if isinstance(denominator, pd.Series) and not numerator.index.equals(denominator.index):
            numerator, denominator = numerator.align(denominator)
        index = numerator.index
    value = _divide(_float_array(numerator, "numerator"), _float_array(denominator, "denominator"), m.scale)
    if index is not None:
        return pd.Series(value, index=index)
    if value.ndim == 0:
        return float(value)
    return value


def ratio_of_sums(metric: str | Metric, numerator: Any, denominator: Any) -> float:
    """A ratio metric over rows: Σ numerator ÷ Σ denominator × scale, over the paired rows.

    A row counts only when both its numerator and its denominator are present (the
    registry's pairing rule): a row with sales but no views does not inflate GPM.

    Parameters
    ----------
    metric : str or Metric
        As for :func:`ratio`.
    numerator, denominator : array-like or pandas.Series
        One value per row, same length.

    Returns
    -------
    float
        NaN when no row is paired or the paired denominators sum to 0.

    Examples
    --------
    >>> ratio_of_sums("gpm", [100.0, 900.0, 50.0], [1000.0, 3000.0, np.nan])   # (100 + 900) / 4000 * 1000
    250.0
    >>> ratio_of_sums("gpm", [100.0], [0.0])
    nan
    """
    m = _resolve(metric)
    num = _float_array(numerator, "numerator")
    den = _float_array(denominator, "denominator")
    if num.shape != den.shape:
        raise ValueError(f"numerator and denominator differ in length ({num.shape} vs {den.shape})")
    ok = ~np.isnan(num) & ~np.isnan(den)
    if not ok.any():
        return float("nan")
    return ratio(m, num[ok].sum(), den[ok].sum())


def numerator_of(metric: str | Metric, value: Any, denominator: Any) -> Any:
    """The numerator a ratio metric's value implies over a denominator: value × denominator ÷ scale.

    The inverse of :func:`ratio`: the paid amount a GPM earns on given views, the ad
    spend a CPM costs for given impressions.

    Parameters
    ----------
    metric : str or Metric
        As for :func:`ratio`.
    value, denominator : float, numpy.ndarray or pandas.Series

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        As the inputs combine under numpy/pandas arithmetic.

    Examples
    --------
    >>> numerator_of("gpm", 250.0, 4000.0)      # 250 per 1K views over 4,000 views
    1000.0
    """
    m = _resolve(metric)
    if not m.is_ratio:
        raise ValueError(f"metric {m.name!r} is additive: it has no denominator")
    return value * denominator / m.scale


def reported_metrics() -> dict[str, list[Metric]]:
    """Reported column -> the registry metrics that recompute it, in order of preference.

    ``reported_product_ctr`` is the people-based CTR where the export has people counts,
    else the event-based one (and TikTok's own definition on TikTok rows).

    Examples
    --------
    >>> [m.name for m in reported_metrics()["reported_product_ctr"]]
    ['product_ctr', 'product_ctr_pv']
    """
    out: dict[str, list[Metric]] = {}
    for m in METRICS.values():
        if m.reported:
            out.setdefault(m.reported, []).append(m)
    return out


def definitions_markdown() -> str:
    """Every ratio metric's definition, and each source's own, as a Markdown table.

    ``docs/platform_metrics.md`` holds this text between its ``registry`` markers; a test
    keeps the two identical.

    Returns
    -------
    str
    """
    lines = ["| metric | source | the platform calls it | formula | compared with | where the definition comes from |",
             "|---|---|---|---|---|---|"]
    for m in METRICS.values():
        if not m.is_ratio:
            continue
        default = SourceDefinition(m.numerator, m.denominator)
        text = _formula(default, m.scale) if m.weight is None and not m.subtract else m.description.split(" — ")[0]
        reported = f"`{m.reported}`" if m.reported else "—"
        lines.append(f"| `{m.name}` | default (Douyin Compass …) | {m.label_zh} | {text} | {reported} | "
                     f"{m.description} |")
        for source, d in m.sources:
            lines.append(f"| `{m.name}` | `{source}` | {d.platform_label} | {_formula(d, m.scale)} | {reported} | "
                         f"{d.reference} |")
    return "\n".join(lines) + "\n"


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
        sources = sources_in(table)
        wanted = [m for m in wanted if m.supported_by(table.columns, sources)]
    else:
        _check_supported(wanted, table)
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
