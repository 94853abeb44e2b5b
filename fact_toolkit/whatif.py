"""What-if scenarios: move the levers a brand controls and follow GMV, GPM and the snowball.

A pure engine, no widget code (the panel is :mod:`fact_toolkit.widgets`).

1. :func:`baseline` takes a weekly baseline per FACT channel from the last ``weeks`` weeks
   of data, every number a ratio of sums: traffic (organic + paid), the funnel rates
   exposure → view → product exposure → click → buyer, AOV, refunds, ad spend, commission
   rate, content volume, active accounts/talents, campaign share and campaign lift.
2. :func:`run_scenario` applies :class:`Levers` to that baseline and walks ``horizon_weeks``
   weeks forward. The funnel gives the paid amount, GMV and GPM each week; the snowball
   carries the change forward: next week's organic traffic scales with
   ``(GPM_{t-1} / GPM_base) ** elasticity``. A dilution term (new traffic converts a little
   worse: ``CVR ∝ (traffic_t / traffic_base) ** -dilution``) keeps the path finite.

Campaigns are applied explicitly: the baseline levels come from the window's
*non-campaign* days, and organic traffic is multiplied by ``1 + lift · share``, where
``share`` is the share of days spent in campaigns over the horizon (the lever, or by
default the share of campaign days over the last year) and ``lift`` the measured traffic
lift of campaign days. A window that happens to hold 双11 therefore does not inflate the
level projected over the whole horizon.

Dilution applies to *traffic* growth — more exposure from the snowball, content volume,
talents, ads or campaigns, which reaches new people who convert a little worse. A better
exposure→view rate (content power) turns more of the *same* exposed people into
viewers; it is not diluted, so it raises views and GMV without lowering GPM.

The laws, per channel and week ``t`` (1-based), with ``*`` the baseline values::

    organic_t  = organic* · content^content_returns · talents_eff^talent_returns
                 · (1 + lift · share) · (G_{t-1} / G*)^elasticity       (factor 1 in week 1)
    paid_t     = paid* · ad_spend^ad_returns
    traffic_t  = organic_t + paid_t
    views_t    = traffic_t · view_rate* · view_rate_lever
    clicks_t   = views_t · product_rate* · ctr* · ctr_lever
    buyers_t   = clicks_t · cvr* · cvr_lever · price^-price_response · (traffic_t / traffic*)^-dilution
    paid amount_t = buyers_t · aov* · price;   G_t = paid amount_t / views_t · 1000
    GMV_t = paid amount_t · (GMV/paid)*;  net GMV_t = GMV_t · (1 − refund rate*)

Channels without an exposure or view stage (the shelf, S) start the funnel at the first
stage they have, and their feedback metric is product GPM (paid amount per 1,000 product
impressions). A channel with no usable rows in the window is *unavailable*: it keeps a
reason and no numbers, never zeros.

Examples
--------
>>> import fact_toolkit as ft                                          # doctest: +SKIP
>>> base = baseline(ft.load("data/sample"), weeks=8)                   # doctest: +SKIP
>>> sc = run_scenario(base, Levers(cvr=1.1), horizon_weeks=12, elasticity=0.4)  # doctest: +SKIP
>>> sc.summary.loc[("total", "gmv")]                                   # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import FactInputError
from .metrics import Metric, ratio, ratio_of_sums
from .paths import find_path, project_root
from .schema import CHANNELS

__all__ = [
    "baseline_table",
    "preset_findings",
    "Assumptions",
    "assumptions_from_data",
    "Levers",
    "LEVER_RANGES",
    "LEVER_LABELS",
    "OUTPUT_METRICS",
    "PRESETS",
    "PRESET_LABELS",
    "Scenario",
    "WhatIfInputs",
    "baseline",
    "check_levers",
    "check_params",
    "compare_presets",
    "describe_baseline",
    "estimate_ad_returns",
    "estimate_price_response",
    "prepare",
    "preset_levers",
    "resolve_data_path",
    "resolve_elasticity",
    "run_scenario",
    "static_scenario",
]

#: funnel stages in order, each with its column alternatives (first with data wins)
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("exposure", ("exposure_pv", "exposure_uv")),
    ("views", ("view_pv", "view_uv")),
    ("product_exposures", ("product_exposure_uv", "product_exposure_pv")),
    ("clicks", ("product_click_uv", "product_click_pv")),
    ("buyers", ("buyers", "orders")),
)
_STAGE_NAMES = tuple(s for s, _ in STAGES)
#: rate name → (from stage, to stage)
RATES: dict[str, tuple[str, str]] = {
    "view_rate": ("exposure", "views"),
    "product_rate": ("views", "product_exposures"),
    "ctr": ("product_exposures", "clicks"),
    "cvr": ("clicks", "buyers"),
}
#: GMV per unit of the amount the funnel projects (paid amount): carries the projection to GMV
_GMV_PER_AMOUNT = Metric("gmv_per_amount", ("gmv",), ("paid_amount",), basis="money", label_en="GMV ÷ paid amount",
                         description="Σ gmv ÷ Σ paid_amount over rows holding both")
#: a stage column must be present on at least this share of a channel's rows
MIN_STAGE_COVERAGE = 0.5
#: ad spend counts only when the rows carrying it hold at least this share of the amount
MIN_SPEND_COVERAGE = 0.5

#: lever → (lowest, highest) accepted value; the widgets use the same bounds
LEVER_RANGES: dict[str, tuple[float, float]] = {
    "view_rate": (0.5, 2.0),
    "ctr": (0.5, 2.0),
    "cvr": (0.5, 2.0),
    "price": (0.5, 1.5),
    "content": (0.0, 3.0),
    "talents": (0.0, 3.0),
    "commission": (0.0, 3.0),
    "ad_spend": (0.0, 3.0),
    "campaign_share": (0.0, 1.0),
}
#: lever → (zh, en) label
LEVER_LABELS: dict[str, tuple[str, str]] = {
    "view_rate": ("曝光-观看率 ×", "Exposure→view rate ×"),
    "ctr": ("商品点击率 ×", "Product CTR ×"),
    "cvr": ("点击-成交转化率 ×", "Click→order rate ×"),
    "price": ("价格 ×", "Price ×"),
    "content": ("内容量(场次/条数) ×", "Content volume ×"),
    "talents": ("活跃账号/达人数 ×", "Active accounts/talents ×"),
    "commission": ("佣金率 ×", "Commission rate ×"),
    "ad_spend": ("投放消耗 ×", "Ad spend ×"),
    "campaign_share": ("大促参与天数占比", "Share of days in campaigns"),
}
#: metric → (zh, en) label of the scenario outputs
OUTPUT_METRICS: dict[str, tuple[str, str]] = {
    "exposure": ("曝光", "Exposure"),
    "traffic": ("流量入口量", "Traffic (first stage)"),
    "views": ("观看", "Views"),
    "buyers": ("成交人数", "Buyers"),
    "paid_amount": ("用户支付金额", "Paid amount"),
    "gmv": ("成交金额", "GMV"),
    "net_gmv": ("净成交金额", "Net GMV"),
    "gpm": ("千次观看成交金额", "GPM"),
    "ad_spend": ("投放消耗", "Ad spend"),
    "roi": ("整体支付ROI", "ROI"),
    "commission": ("佣金支出", "Commission"),
}
_ADDITIVE_OUT = ("exposure", "traffic", "views", "buyers", "paid_amount", "gmv", "net_gmv", "ad_spend",
                 "commission")
_MIN_WEEKS, _MAX_WEEKS = 1, 104
_ELASTICITY_RANGE = (0.0, 2.0)


# --------------------------------------------------------------------------- levers


@dataclass(frozen=True)
class Levers:
    """What the brand changes, as multipliers of the baseline (1.0 = unchanged).

    Parameters
    ----------
    view_rate, ctr, cvr : float
        Exposure→view rate (content power), product CTR, click→order rate.
    price : float
        Price; AOV moves with it and conversion answers with ``price ** -price_response``.
    content : float
        Content volume (live sessions / videos per week).
    talents : float
        Active accounts (F) or talents (A, T).
    commission : float
        Commission rate; channels that pay commission also attract talents with it.
    ad_spend : float
        Ad spend (paid traffic grows as ``spend ** ad_returns``: diminishing returns).
    campaign_share : float or None
        Share of days spent in platform campaigns over the horizon (0–1); None keeps the
        baseline's ``campaign_share`` (the share of campaign days over the last year).
    """

    view_rate: float = 1.0
    ctr: float = 1.0
    cvr: float = 1.0
    price: float = 1.0
    content: float = 1.0
    talents: float = 1.0
    commission: float = 1.0
    ad_spend: float = 1.0
    campaign_share: float | None = None

    def changed(self) -> dict[str, float]:
        """The levers that differ from the baseline."""
        default = Levers()
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != getattr(default, f.name)}


@dataclass(frozen=True)
class Assumptions:
    """Response curves the data cannot always tell; every one is stated and changeable.

    Parameters
    ----------
    price_response : float
        How conversion moves with price: ``CVR ∝ price ** -price_response`` (1.5 by default;
        :func:`estimate_price_response` replaces it when the data can tell).
    content_returns : float
        Organic traffic ∝ content volume ** this (0.8: each extra session brings a bit less).
    talent_returns : float
        Organic traffic ∝ active talents ** this (0.9).
    commission_response : float
        Active talents ∝ commission rate ** this, on channels that pay commission (0.5).
    ad_returns : float
        Paid traffic ∝ ad spend ** this (0.7; :func:`estimate_ad_returns` from the ads file).
    dilution : float
        Conversion ∝ (traffic / baseline traffic) ** -dilution (0.3): new traffic (snowball,
        content, talents, ads, campaigns) converts worse. A better exposure→view rate is not
        diluted: it converts more of the same exposed people.
    paid_share : float
        Share of traffic assumed paid when no ads file gives paid impressions (0.3).
    sources : dict
        Where each value came from (``"default"`` or a note on the estimate).
    """

    price_response: float = 1.5
    content_returns: float = 0.8
    talent_returns: float = 0.9
    commission_response: float = 0.5
    ad_returns: float = 0.7
    dilution: float = 0.3
    paid_share: float = 0.3
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "sources":
                continue
            v = getattr(self, f.name)
            lo, hi = (0.0, 1.0) if f.name == "paid_share" else (0.0, 5.0)
            if not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
                raise FactInputError("assumptions", f"{f.name} = {v!r} is outside {lo:g}–{hi:g}",
                                     fix=f"give {f.name} a number between {lo:g} and {hi:g}")

    def table(self) -> pd.DataFrame:
        """The assumptions as a small table (value and source)."""
        rows = [{"assumption": k, "value": v, "source": self.sources.get(k, "default")}
                for k, v in asdict(self).items() if k != "sources"]
        return pd.DataFrame(rows).set_index("assumption")


#: presets: name → {channel or "all": Levers}
PRESETS: dict[str, dict[str, Levers]] = {
    "content_power_plus_10": {"all": Levers(view_rate=1.10)},
    "price_minus_5": {"all": Levers(price=0.95)},
    "double_talent_matrix": {"A": Levers(talents=2.0)},
}
#: preset → (zh, en) label
PRESET_LABELS: dict[str, tuple[str, str]] = {
    "content_power_plus_10": ("内容力 +10%(曝光-观看率)", "Content power +10% (exposure→view rate)"),
    "price_minus_5": ("价格 −5%", "Price −5%"),
    "double_talent_matrix": ("达人矩阵翻倍", "Double the talent matrix"),
}


def preset_levers(name: str) -> dict[str, Levers]:
    """The levers of a preset by name (see :data:`PRESETS`)."""
    if name not in PRESETS:
        raise FactInputError("preset", f"unknown preset {name!r}", fix=f"use one of {', '.join(PRESETS)}")
    return dict(PRESETS[name])


def check_levers(levers: Levers, where: str = "levers") -> Levers:
    """Reject lever values outside :data:`LEVER_RANGES` with one clear message."""
    if not isinstance(levers, Levers):
        raise FactInputError(where, f"expected a Levers object, got {type(levers).__name__}",
                             fix="build one with fact_toolkit.whatif.Levers(...)")
    for name, (lo, hi) in LEVER_RANGES.items():
        v = getattr(levers, name)
        if v is None and name == "campaign_share":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise FactInputError(where, f"lever {name} = {v!r} is not a number", fix=f"use {lo:g}–{hi:g}")
        if not lo <= v <= hi:
            raise FactInputError(where, f"lever {name} = {v:g} is outside the sensible range {lo:g}–{hi:g}",
                                 fix=f"choose a value between {lo:g} and {hi:g}")
    return levers


# --------------------------------------------------------------------------- baseline


def resolve_data_path(data_path: str | Path) -> Path:
    """A data path as given when it exists, else relative to the project root (notebooks/../)."""
    p = find_path(data_path)
    if p.exists():
        return p
    raise FactInputError(str(data_path), "no such file or folder (looked in the working folder and the "
                         f"project root {project_root()})", fix="give data_path as an existing path")


def _as_frames(data: Any, daily: bool = True) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The daily panel (None when ``daily`` is False) and the ads table (or None) of a
    Dataset or a daily-like frame.

    The panel is built from the facts on every access of ``Dataset.daily``: it is read
    once here, and not at all when only the ads are wanted (``hasattr`` on the instance
    would build it too, so the property is looked up on the class).
    """
    if isinstance(data, pd.DataFrame):
        return data, None
    has_daily = hasattr(type(data), "daily") or "daily" in getattr(data, "__dict__", {})
    if has_daily and hasattr(data, "tables"):
        return (data.daily if daily else None), data.tables.get("ads")
    raise FactInputError("data", f"expected a Dataset or a daily DataFrame, got {type(data).__name__}",
                         fix="pass fact_toolkit.load(...) or its .daily")


def _pick(frame: pd.DataFrame, alternatives: tuple[str, ...]) -> tuple[str | None, float]:
    """The alternative column present on the largest share of rows, and that share."""
    best, share = None, 0.0
    n = len(frame)
    for c in alternatives:
        if c in frame and n:
            s = float(frame[c].notna().mean())
            if s > share + 1e-12:
                best, share = c, s
    return best, share


def _num(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _amount_column(frame: pd.DataFrame) -> str:
    """``paid_amount`` when these rows (one currency's) have any, else ``gmv``."""
    return "paid_amount" if "paid_amount" in frame and frame["paid_amount"].notna().any() else "gmv"


def baseline(data: Any, weeks: int = 8, *, end: str | pd.Timestamp | None = None,
             currency: str | None = None, channels: tuple[str, ...] = CHANNELS,
             assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Weekly baseline per FACT channel over the last ``weeks`` weeks, as ratios of sums.

    Parameters
    ----------
    data : Dataset or DataFrame
        A loaded :class:`~fact_toolkit.Dataset` (its ``daily`` panel, and its ``ads`` table
        for paid impressions) or a frame with the daily panel's columns.
    weeks : int
        Length of the window (1–104), ending on ``end``.
    end : date-like, optional
        Last day of the window; the last day in the data by default.
    currency : str, optional
        Money is never added across currencies: rows in other currencies are left out.
        Default: the currency holding the most paid amount.
    channels : tuple of str
        Channels to report, present in the data or not (missing ones are unavailable).
    assumptions : Assumptions, optional
        Used only for ``paid_share`` when no ads file gives paid impressions.

    Returns
    -------
    DataFrame
        Index ``channel``. ``available`` and ``reason``; per-week levels ``traffic``,
        ``paid_traffic``, ``organic_traffic``, ``exposure``, ``views``,
        ``product_exposures``, ``clicks``, ``buyers``, ``paid_amount``, ``gmv``,
        ``ad_spend``, ``commission``, ``content_count``, ``accounts``; ``spend_coverage`` (share of
        the amount on rows that report ad spend; ROI pairs that amount with the spend); rates ``view_rate``,
        ``product_rate``, ``ctr``, ``cvr``, ``aov``, ``gpm`` (feedback metric, named in
        ``feedback_metric``), ``gmv_ratio``, ``refund_rate``, ``commission_rate``,
        ``roi``; ``campaign_share`` (share of campaign days over the last year: the
        participation the scenario assumes unless the lever sets it),
        ``window_campaign_share`` (share in the window), ``campaign_lift`` (traffic lift of
        campaign days); ``baseline_days`` (which days the levels come from: the window's
        non-campaign days, see below); provenance ``stages`` (columns
        used), ``coverage`` (share of the channel's amount on rows with the full funnel),
        ``paid_source``, ``currency``, ``start``, ``end``, ``weeks``. A stage the channel
        does not have is NaN.

    Notes
    -----
    Levels and rates come from the window's *non-campaign* days (a day is a campaign day
    when a row of the channel carries a ``campaign_id``), scaled to a week; the scenario
    adds campaigns back explicitly (``1 + campaign_lift · share`` on organic traffic). With
    fewer than 7 ordinary days the whole window is used and ``baseline_days`` says so.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"] * 2), "fact_channel": ["F", "F"],
    ...     "exposure_pv": [1000, 3000], "view_pv": [100, 300], "product_exposure_uv": [50, 150],
    ...     "product_click_uv": [10, 30], "buyers": [2, 6], "paid_amount": [200.0, 600.0]})
    >>> b = baseline(d, weeks=1)
    >>> float(b.loc["F", "gpm"]), float(b.loc["F", "aov"]), bool(b.loc["S", "available"])
    (2000.0, 100.0, False)
    """
    if isinstance(weeks, bool) or not isinstance(weeks, (int, np.integer)) or not _MIN_WEEKS <= weeks <= _MAX_WEEKS:
        raise FactInputError("weeks", f"baseline weeks = {weeks!r} is outside {_MIN_WEEKS}–{_MAX_WEEKS}",
                             fix="use a whole number of weeks such as 8")
    assumptions = assumptions or Assumptions()
    daily, ads = _as_frames(data)
    rows: dict[str, dict[str, Any]] = {}
    if daily.empty or "date" not in daily or "fact_channel" not in daily:
        for ch in channels:
            rows[ch] = {"available": False, "reason": "no data loaded"}
        return _baseline_frame(rows, channels)
    daily = daily.loc[daily["date"].notna()]
    if "currency" in daily and daily["currency"].notna().any():
        if currency is None:
            # the currency holding the most money (each currency's own paid amount, else GMV)
            by_cur = {str(k): float(np.nansum(_num(g[_amount_column(g)])))
                      for k, g in daily.groupby("currency", observed=True, dropna=True)}
            currency = max(by_cur, key=by_cur.__getitem__)
        keep = daily["currency"].eq(currency).fillna(False).to_numpy(dtype=bool)
        other_cur = daily.loc[~keep]
        daily = daily.loc[keep]
    else:
        other_cur = daily.iloc[0:0]
    # chosen within the currency: TikTok (USD) reports GMV but no paid amount
    amount_col = _amount_column(daily)
    last = pd.Timestamp(end) if end is not None else daily["date"].max()
    if pd.isna(last):
        for ch in channels:
            rows[ch] = {"available": False, "reason": f"no rows in {currency}"}
        return _baseline_frame(rows, channels)
    start = last - pd.Timedelta(days=7 * weeks - 1)
    window = daily.loc[(daily["date"] >= start) & (daily["date"] <= last)]
    channel_of = daily["fact_channel"].astype("string")
    win_channel = window["fact_channel"].astype("string")
    paid_imp = _paid_impressions(ads, daily, start, last, currency)
    for ch in channels:
        info: dict[str, Any] = {"currency": currency, "start": start, "end": last, "weeks": weeks}
        w = window.loc[win_channel.eq(ch).fillna(False).to_numpy(dtype=bool)]
        if w.empty:
            elsewhere = other_cur["fact_channel"].astype("string").eq(ch).fillna(False).any() if len(other_cur) else False
            if elsewhere:
                reason = f"rows only in another currency than {currency}: choose that currency"
            elif channel_of.eq(ch).fillna(False).any():
                reason = f"no rows in the last {weeks} weeks ({start:%Y-%m-%d} – {last:%Y-%m-%d})"
            else:
                reason = "no rows for this channel in the data"
            rows[ch] = {**info, "available": False, "reason": reason}
            continue
        history = daily.loc[channel_of.eq(ch).fillna(False).to_numpy(dtype=bool)]
        history = history.loc[history["date"] <= last]
        w_lev, eff_weeks, days_note = _ordinary_days(w, weeks)
        info["baseline_days"] = days_note
        rows[ch] = {**info, **_channel_baseline(w_lev, history, eff_weeks, amount_col,
                                                 paid_imp.get(ch), assumptions, full_window=w)}
    return _baseline_frame(rows, channels)


_BASE_COLUMNS = ("available", "reason", "traffic", "paid_traffic", "organic_traffic", "exposure", "views",
                 "product_exposures", "clicks", "buyers", "paid_amount", "gmv", "view_rate", "product_rate",
                 "ctr", "cvr", "aov", "gpm", "feedback_metric", "gmv_ratio", "refund_rate", "ad_spend", "roi",
                 "commission_rate", "commission", "spend_coverage", "content_count", "accounts", "campaign_share",
                 "window_campaign_share", "campaign_lift", "baseline_days", "stages", "coverage", "paid_source",
                 "currency", "start", "end", "weeks")


def _baseline_frame(rows: dict[str, dict[str, Any]], channels: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame([{c: rows[ch].get(c, np.nan) for c in _BASE_COLUMNS} for ch in channels],
                       index=pd.Index(list(channels), name="channel"))
    out["available"] = out["available"].astype(bool)
    for c in ("reason", "feedback_metric", "stages", "paid_source", "currency", "baseline_days"):
        out[c] = out[c].astype("object").where(out[c].notna(), "")
    return out


def _paid_impressions(ads: pd.DataFrame | None, daily: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                      currency: str | None) -> dict[str, float]:
    """Σ ads impressions in the window per channel (accounts mapped through the panel)."""
    if ads is None or ads.empty or not {"impressions", "account_id", "date"} <= set(ads.columns):
        return {}
    a = ads.loc[(ads["date"] >= start) & (ads["date"] <= end)]
    if currency is not None and "currency" in a:
        a = a.loc[a["currency"].eq(currency).fillna(False).to_numpy(dtype=bool)]
    if "account_id" not in daily:
        return {}
    owner = (daily.dropna(subset=["account_id"]).drop_duplicates("account_id")
             .set_index("account_id")["fact_channel"].astype("string"))
    ch = a["account_id"].map(owner)
    imp = pd.Series(_num(a["impressions"]), index=a.index)
    return {str(k): float(v) for k, v in imp.groupby(ch, dropna=True).sum().items()}


#: fewer non-campaign days than this in the window: the baseline keeps all days (and says so)
MIN_ORDINARY_DAYS = 7


def _ordinary_days(w: pd.DataFrame, weeks: int) -> tuple[pd.DataFrame, float, str]:
    """The window's non-campaign rows, the weeks they span, and a note.

    A day is a campaign day when any of the channel's rows that day carries a
    ``campaign_id``. With fewer than :data:`MIN_ORDINARY_DAYS` ordinary days the whole
    window is kept.
    """
    days = 7 * weeks
    if "campaign_id" not in w or not w["campaign_id"].notna().any():
        return w, weeks, f"all {days} days (no campaign days)"
    camp_days = pd.DatetimeIndex(w.loc[w["campaign_id"].notna(), "date"]).normalize().unique()
    off = w.loc[~pd.DatetimeIndex(w["date"]).normalize().isin(camp_days)]
    n_off = days - len(camp_days)
    if n_off < MIN_ORDINARY_DAYS or off.empty:
        return w, weeks, (f"all {days} days: only {max(n_off, 0)} non-campaign days in the window "
                          "(campaign days included)")
    return off, n_off / 7, f"{n_off} non-campaign days of {days}"


def _channel_baseline(w: pd.DataFrame, history: pd.DataFrame, weeks: float, amount_col: str,
                      paid_impressions: float | None, assumptions: Assumptions, *,
                      full_window: pd.DataFrame | None = None) -> dict[str, Any]:
    n_rows = len(w)
    used: dict[str, str] = {}
    for stage, alts in STAGES:
        col, share = _pick(w, alts)
        if col is not None and share >= MIN_STAGE_COVERAGE:
            used[stage] = col
    if "buyers" not in used or amount_col not in w or w[amount_col].notna().mean() < MIN_STAGE_COVERAGE:
        return {"available": False, "reason": "no buyers and amount in the window: the funnel cannot be built"}
    chain = [s for s in _STAGE_NAMES if s in used]
    if len(chain) < 2:
        return {"available": False, "reason": "only the last funnel stage is present: no traffic to move"}
    cols = [used[s] for s in chain] + [amount_col]
    complete = w[cols].notna().all(axis=1).to_numpy(dtype=bool)
    amount_all = np.nansum(_num(w[amount_col]))
    c = w.loc[complete]
    if c.empty:
        return {"available": False, "reason": "no row carries the whole funnel"}
    sums = {s: float(np.sum(_num(c[used[s]]))) for s in chain}
    amount = float(np.sum(_num(c[amount_col])))
    if sums[chain[0]] <= 0 or sums["buyers"] <= 0 or amount <= 0:
        return {"available": False, "reason": f"no {chain[0] if sums[chain[0]] <= 0 else 'sales'} in the window"}
    out: dict[str, Any] = {"available": True, "reason": ""}
    for s in _STAGE_NAMES:
        out[s] = sums[s] / weeks if s in sums else np.nan
    for rate, (a, b) in RATES.items():
        out[rate] = sums[b] / sums[a] if a in sums and b in sums and sums[a] > 0 else np.nan
    out["traffic"] = sums[chain[0]] / weeks
    out["paid_amount"] = amount / weeks
    out["aov"] = ratio("aov", amount, sums["buyers"])
    fb = "views" if "views" in sums else chain[0]
    out["feedback_metric"] = "gpm" if fb == "views" else ("product_gpm" if fb == "product_exposures" else f"{fb}_gpm")
    # GPM per 1,000 of the feedback stage (views, else the first stage): every GPM's scale is GPM's
    out["gpm"] = ratio("gpm", amount, sums[fb])
    out["stages"] = " → ".join(used[s] for s in chain) + f" → {amount_col}"
    out["coverage"] = amount / amount_all if amount_all > 0 else np.nan

    def paired(metric: str | Metric, num: str, den: str) -> float:
        if num not in c or den not in c:
            return np.nan
        return ratio_of_sums(metric, _num(c[num]), _num(c[den]))

    out["gmv_ratio"] = paired(_GMV_PER_AMOUNT, "gmv", amount_col) if amount_col != "gmv" else 1.0
    if not np.isfinite(out["gmv_ratio"]):
        out["gmv_ratio"] = 1.0
    out["gmv"] = out["paid_amount"] * out["gmv_ratio"]
    rr = paired("refund_rate", "refund_amount", "gmv")
    out["refund_rate"] = rr if np.isfinite(rr) else np.nan
    cr = paired("commission_rate", "commission", amount_col)
    out["commission_rate"] = cr if np.isfinite(cr) else 0.0 if "commission" not in c else np.nan
    out["commission"] = out["paid_amount"] * out["commission_rate"]
    # ad spend counts when it is reported on rows holding most of the amount; ROI pairs the amount
    # of those rows with their spend (the registry's pairing rule), in the baseline and the scenario
    spend, share = np.nan, np.nan
    if "ad_spend" in c:
        s = _num(c["ad_spend"])
        amt = _num(c[amount_col])
        share = float(amt[~np.isnan(s)].sum() / amt.sum()) if amt.sum() > 0 else np.nan
        if np.isfinite(share) and share >= MIN_SPEND_COVERAGE:
            spend = float(np.nansum(s)) / weeks
    out["ad_spend"] = spend
    out["spend_coverage"] = share
    out["roi"] = ratio("roi", out["paid_amount"] * share, spend)
    traffic = out["traffic"]
    if paid_impressions is not None and chain[0] == "exposure" and np.isfinite(spend):
        paid = min(paid_impressions / weeks, traffic)
        out["paid_source"] = "ads file impressions"
    elif np.isfinite(spend) and spend > 0:
        paid = assumptions.paid_share * traffic
        out["paid_source"] = f"assumed {assumptions.paid_share:.0%} of traffic (no ads impressions)"
    else:
        paid = 0.0
        out["paid_source"] = "no ad spend"
    out["paid_traffic"] = paid
    out["organic_traffic"] = traffic - paid
    out["content_count"] = (float(np.nansum(_num(w["content_count"]))) / weeks
                            if "content_count" in w else float(n_rows) / weeks)
    if "account_id" in w and w["account_id"].notna().any():
        wk = ((w["date"] - w["date"].min()).dt.days // 7).to_numpy()
        acc = pd.DataFrame({"wk": wk, "a": w["account_id"].to_numpy()}).dropna()
        out["accounts"] = float(acc.groupby("wk")["a"].nunique().sum()) / weeks
    else:
        out["accounts"] = np.nan
    out["window_campaign_share"], out["campaign_share"], out["campaign_lift"] = _campaign_effect(
        w if full_window is None else full_window, history, used[chain[0]])
    return out


def _campaign_effect(w: pd.DataFrame, history: pd.DataFrame, traffic_col: str) -> tuple[float, float, float]:
    """Campaign days: share in the window, share over the last year, and their traffic lift.

    The lift is mean traffic on campaign days ÷ mean traffic on other days − 1, over the
    whole history (0 with fewer than 7 days of either). The last year's share (up to the
    window's end) is the participation the scenario assumes by default.
    """
    if "campaign_id" not in history:
        return 0.0, 0.0, 0.0

    def by_day(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"date": frame["date"].to_numpy(),
                             "camp": frame["campaign_id"].notna().to_numpy(dtype=bool),
                             "t": _num(frame[traffic_col])}).groupby("date").agg(camp=("camp", "any"),
                                                                                  t=("t", "sum"))
    win = by_day(w)
    share = float(win["camp"].mean()) if len(win) else 0.0
    hist = by_day(history)
    year = hist.loc[hist.index > hist.index.max() - pd.Timedelta(days=365)] if len(hist) else hist
    year_share = float(year["camp"].mean()) if len(year) else share
    on, off = hist.loc[hist["camp"], "t"], hist.loc[~hist["camp"], "t"]
    if len(on) < 7 or len(off) < 7 or off.mean() <= 0:
        return share, year_share, 0.0
    return share, year_share, float(max(on.mean() / off.mean() - 1.0, 0.0))


# --------------------------------------------------------------------------- estimates


def _ols_slope(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, float, int]:
    """Slope, t statistic and n of y on x with group fixed effects (within estimator)."""
    df = pd.DataFrame({"x": x, "y": y, "g": groups}).replace([np.inf, -np.inf], np.nan).dropna()
    if len(df) < 3:
        return np.nan, np.nan, len(df)
    xd = df["x"] - df.groupby("g")["x"].transform("mean")
    yd = df["y"] - df.groupby("g")["y"].transform("mean")
    sxx = float((xd ** 2).sum())
    n_par = df["g"].nunique() + 1
    if sxx <= 1e-12 or len(df) <= n_par:
        return np.nan, np.nan, len(df)
    b = float((xd * yd).sum() / sxx)
    resid = yd - b * xd
    s2 = float((resid ** 2).sum()) / (len(df) - n_par)
    se = math.sqrt(s2 / sxx) if s2 > 0 else 0.0
    return b, (b / se if se > 0 else np.inf), len(df)


def estimate_price_response(data: Any, default: float = 1.5, min_weeks: int = 12) -> tuple[float, str]:
    """How click→order conversion moves with price, from weekly data where it can tell.

    Regresses weekly log(click→order rate) on log(AOV) within each channel. The estimate is
    used only when it is negative and clear (|t| ≥ 2, at least ``min_weeks`` weeks);
    otherwise ``default`` is kept and the note says why. AOV moves for many reasons besides
    price (mix, campaigns), so treat a data estimate as a hint, not a measurement.

    Returns
    -------
    (float, str)
        The price response (≥ 0) and where it came from.
    """
    daily, _ = _as_frames(data)
    need = {"date", "fact_channel", "buyers", "product_click_uv"}
    if not need <= set(daily.columns) or not {"paid_amount", "gmv"} & set(daily.columns):
        return default, f"default {default:g} (no click and buyer columns to estimate from)"
    d = daily
    if "currency" in d and d["currency"].nunique() > 1:
        by_cur = {k: float(np.nansum(_num(g[_amount_column(g)])))
                  for k, g in d.groupby("currency", observed=True, dropna=True)}
        top = max(by_cur, key=by_cur.__getitem__)
        d = d.loc[d["currency"].eq(top).fillna(False).to_numpy(dtype=bool)]
    amount = _amount_column(d)  # within the currency
    d = d.dropna(subset=["buyers", "product_click_uv", amount])
    wk = d["date"].dt.to_period("W").astype(str)
    g = pd.DataFrame({"ch": d["fact_channel"].astype(str).to_numpy(), "wk": wk.to_numpy(),
                      "b": _num(d["buyers"]), "c": _num(d["product_click_uv"]), "a": _num(d[amount])})
    g = g.groupby(["ch", "wk"]).sum()
    g = g.loc[(g["b"] > 0) & (g["c"] > 0) & (g["a"] > 0)]
    if len(g) < min_weeks:
        return default, f"default {default:g} (only {len(g)} channel-weeks with sales)"
    slope, t, n = _ols_slope(np.log(g["a"] / g["b"]).to_numpy(), np.log(g["b"] / g["c"]).to_numpy(),
                             g.index.get_level_values("ch").to_numpy())
    if not np.isfinite(slope):
        return default, f"default {default:g} (AOV does not vary enough to estimate)"
    if slope >= 0 or abs(t) < 2 or not 0.2 <= -slope <= 5.0:
        return default, (f"default {default:g} (the data gave a slope of {slope:.2f}, t = {t:.1f}, over {n} "
                         "channel-weeks: not a clear, plausible price response)")
    value = float(-slope)
    return value, f"estimated {value:.2f} from {n} channel-weeks (t = {t:.1f})"


def estimate_ad_returns(data: Any, default: float = 0.7) -> tuple[float, str]:
    """Diminishing returns of ad spend: slope of log(impressions) on log(spend) per account.

    Uses the ads table (千川 daily reports) when it has at least 20 rows with positive spend
    and impressions and the slope lies in 0.05–1.2; otherwise ``default`` and the reason.
    """
    _, ads = _as_frames(data, daily=False)
    if ads is None or not {"ad_spend", "impressions"} <= set(ads.columns):
        return default, f"default {default:g} (no ads file with spend and impressions)"
    s, i = _num(ads["ad_spend"]), _num(ads["impressions"])
    ok = (s > 0) & (i > 0)
    if ok.sum() < 20:
        return default, f"default {default:g} (only {int(ok.sum())} ads rows with spend and impressions)"
    groups = ads["account_id"].astype(str).to_numpy()[ok] if "account_id" in ads else np.zeros(ok.sum())
    slope, t, n = _ols_slope(np.log(s[ok]), np.log(i[ok]), groups)
    if not np.isfinite(slope) or not 0.05 <= slope <= 1.2:
        return default, f"default {default:g} (the ads file gave an implausible slope {slope:.2f})"
    value = float(min(slope, 1.0))
    return value, f"estimated {value:.2f} from {n} ads rows"


def assumptions_from_data(data: Any, **overrides: float) -> Assumptions:
    """:class:`Assumptions` with the price response and ad returns estimated where the data can.

    ``overrides`` (e.g. ``dilution=0.2``) win over both estimates and defaults.
    """
    d = Assumptions()
    pr, pr_note = estimate_price_response(data, default=d.price_response)
    ar, ar_note = estimate_ad_returns(data, default=d.ad_returns)
    values = {"price_response": pr, "ad_returns": ar, **overrides}
    sources = {"price_response": pr_note, "ad_returns": ar_note}
    sources.update({k: "set by the user" for k in overrides})
    return Assumptions(**values, sources=sources)


# --------------------------------------------------------------------------- elasticity


def resolve_elasticity(source: str, elasticity: float, data: Any = None,
                       channels: tuple[str, ...] = CHANNELS, currency: str | None = None, *,
                       table: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """The snowball elasticity per channel, from the user or from the snowball model.

    Parameters
    ----------
    source : {"user", "model"}
        ``"user"``: ``elasticity`` for every channel. ``"model"``: each channel's pooled
        panel estimate and interval (:func:`fact_toolkit.models.snowball_panel.snowball_channels`:
        the channel's accounts with fixed effects, organic traffic), used only where the model found a
        snowball (``p_value < alpha`` and a positive estimate); channels where it found none
        ("no detectable snowball") or could not estimate keep ``elasticity`` and say so in
        ``source``. When the model is not installed this is an error, never a silent fallback.
    elasticity : float
        The user's elasticity (0–2).
    data : Dataset or DataFrame
        Needed for ``"model"``.
    currency : str, optional
        Which currency's estimate to take when the model reports one per currency
        (use the baseline's currency).
    table : DataFrame, optional
        A snowball table already computed (``group, elasticity, ci_low, ci_high, p_value,
        verdict``); the model is not run then.
    alpha : float
        Significance a model estimate needs to replace the user's value.

    Returns
    -------
    DataFrame
        Index ``channel``; ``elasticity``, ``source``, ``ci_low``, ``ci_high``, ``verdict``.
    """
    lo, hi = _ELASTICITY_RANGE
    if isinstance(elasticity, bool) or not isinstance(elasticity, (int, float)) or not math.isfinite(elasticity) \
            or not lo <= elasticity <= hi:
        raise FactInputError("elasticity", f"{elasticity!r} is outside {lo:g}–{hi:g}",
                             fix="use a number such as 0.3 (organic traffic +0.3% per +1% GPM)")
    rows = {ch: {"elasticity": float(elasticity), "source": "user", "ci_low": np.nan, "ci_high": np.nan,
                 "verdict": ""} for ch in channels}
    if source == "user":
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("channel")
    if source != "model":
        raise FactInputError("elasticity_source", f"{source!r} is not a source", fix='use "user" or "model"')
    daily = None
    if table is None:
        try:
            from .models.snowball_panel import snowball_channels  # lazy: the model is optional
        except ImportError as exc:
            raise FactInputError("elasticity_source", f"the snowball model (fact_toolkit.models.snowball) is "
                                 f"unavailable in this installation ({exc})",
                                 fix='use elasticity_source="user" and set elasticity') from None
        if data is None:
            raise FactInputError("elasticity_source", 'the "model" source needs the data',
                                 fix="pass the Dataset to resolve_elasticity")
        daily, ads = _as_frames(data)
        table, _ = snowball_channels(daily, [c for c in channels], ads=ads, accounts=False)
    # groups are "F" or "F (CNY)" (the model never mixes currencies)
    parsed = [(str(g).split(" (")[0], str(g)[len(str(g).split(" (")[0]) + 2:-1] if " (" in str(g) else None)
              for g in table["group"]]
    for ch in channels:
        hits = [i for i, (c, cur) in enumerate(parsed) if c == ch and (currency is None or cur in (None, currency))]
        if len(hits) > 1 and currency is None and daily is not None:  # the channel's main currency (by GMV)
            from .models.snowball_panel import main_currency

            main = main_currency(daily, ch)
            hits = [i for i in hits if parsed[i][1] == main] or hits
        if len(hits) != 1:
            rows[ch]["source"] = ("user (the model has no estimate for this channel)" if not hits else
                                  "user (the model has one estimate per currency: pass currency=)")
            continue
        r = table.iloc[hits[0]]
        e = float(r.get("elasticity", np.nan))
        verdict = str(r.get("verdict", ""))
        if not np.isfinite(e):
            rows[ch].update(source="user (the model gave no estimate)", verdict=verdict)
            continue
        p = float(r.get("p_value", np.nan))
        if not (np.isfinite(p) and p < alpha and e > 0):
            rows[ch].update(source=f"user (the model found no detectable snowball: estimate {e:.3g}, "
                                   f"p = {p:.2g}; its point estimate is not used)",
                            ci_low=float(r.get("ci_low", np.nan)), ci_high=float(r.get("ci_high", np.nan)),
                            verdict=verdict)
            continue
        clipped = float(min(max(e, lo), hi))
        rows[ch] = {"elasticity": clipped, "ci_low": float(r.get("ci_low", np.nan)),
                    "ci_high": float(r.get("ci_high", np.nan)), "verdict": verdict,
                    "source": "model" if clipped == e else f"model, {e:.3g} clipped to {lo:g}–{hi:g}"}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("channel")


def check_params(*, data_path: str | Path, channel: str, horizon_weeks: int, elasticity_source: str,
                 elasticity: float, lang: str, baseline_weeks: int = 8) -> dict[str, Any]:
    """Validate the what-if notebook's parameters; one clear error on nonsense.

    Returns the parameters with ``data_path`` resolved to an existing path.
    """
    if channel not in ("all", *CHANNELS):
        raise FactInputError("channel", f"{channel!r} is not a channel", fix=f"use all or one of {', '.join(CHANNELS)}")
    for name, v in (("horizon_weeks", horizon_weeks), ("baseline_weeks", baseline_weeks)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not _MIN_WEEKS <= v <= _MAX_WEEKS:
            raise FactInputError(name, f"{v!r} is outside {_MIN_WEEKS}–{_MAX_WEEKS} weeks",
                                 fix="use a whole number of weeks such as 12")
    if elasticity_source not in ("user", "model"):
        raise FactInputError("elasticity_source", f"{elasticity_source!r} is not a source", fix='use "user" or "model"')
    if lang not in ("zh", "en"):
        raise FactInputError("lang", f"{lang!r} is not a language", fix='use "zh" or "en"')
    resolve_elasticity("user", elasticity)  # range check only
    return {"data_path": resolve_data_path(data_path), "channel": channel, "horizon_weeks": int(horizon_weeks),
            "elasticity_source": elasticity_source, "elasticity": float(elasticity), "lang": lang,
            "baseline_weeks": int(baseline_weeks)}


# --------------------------------------------------------------------------- engine


@dataclass
class Scenario:
    """A computed scenario beside its baseline.

    Attributes
    ----------
    path : DataFrame
        Week by week: ``week`` (1…H), ``channel``, ``case`` (``baseline``/``scenario``) and
        the metrics of :data:`OUTPUT_METRICS`. Unavailable channels are absent.
    summary : DataFrame
        Over the whole horizon, index (``channel``, ``metric``) with ``total`` the sum over
        available channels; columns ``baseline``, ``scenario``, ``change_pct`` and ``note``
        (the reason for an unavailable channel). Ratios are recomputed from sums; ROI pairs
        ad spend with ``roi_amount``, the paid amount of rows that report ad spend.
    baseline : DataFrame
        The output of :func:`baseline` used.
    levers : dict of str to Levers
        Levers per channel.
    elasticity : dict of str to float
    assumptions : Assumptions
    horizon_weeks : int
    """

    path: pd.DataFrame
    summary: pd.DataFrame
    baseline: pd.DataFrame
    levers: dict[str, Levers]
    elasticity: dict[str, float]
    assumptions: Assumptions
    horizon_weeks: int

    def total(self, metric: str = "gmv", case: str = "scenario") -> float:
        """The horizon total of one metric over all available channels."""
        return float(self.summary.loc[("total", metric), case])


def _levers_by_channel(levers: Levers | Mapping[str, Levers] | None, channels: list[str]) -> dict[str, Levers]:
    if levers is None:
        levers = Levers()
    if isinstance(levers, Levers):
        out = {ch: levers for ch in channels}
    elif isinstance(levers, Mapping):
        unknown = [k for k in levers if k != "all" and k not in channels]
        if unknown:
            raise FactInputError("levers", f"unknown channel {unknown[0]!r}",
                                 fix=f"use 'all' or one of {', '.join(channels)}")
        default = levers.get("all", Levers())
        out = {ch: levers.get(ch, default) for ch in channels}
    else:
        raise FactInputError("levers", f"expected Levers or a dict of channel to Levers, got {type(levers).__name__}",
                             fix="use fact_toolkit.whatif.Levers(...)")
    for ch, lv in out.items():
        check_levers(lv, where=f"levers[{ch}]")
    return out


def _elasticity_by_channel(elasticity: float | Mapping[str, float] | pd.DataFrame,
                           channels: list[str]) -> dict[str, float]:
    if isinstance(elasticity, pd.DataFrame):
        elasticity = elasticity["elasticity"].to_dict()
    if isinstance(elasticity, Mapping):
        missing = [ch for ch in channels if ch not in elasticity]
        if missing:
            raise FactInputError("elasticity", f"no elasticity for channel {missing[0]}",
                                 fix="give every channel an elasticity, or one number for all")
        values = {ch: elasticity[ch] for ch in channels}
    else:
        values = {ch: elasticity for ch in channels}
    lo, hi = _ELASTICITY_RANGE
    for ch, e in values.items():
        if isinstance(e, bool) or not isinstance(e, (int, float, np.floating)) or not math.isfinite(e) or not lo <= e <= hi:
            raise FactInputError("elasticity", f"elasticity {e!r} for {ch} is outside {lo:g}–{hi:g}",
                                 fix="use a number such as 0.3")
    return {ch: float(e) for ch, e in values.items()}


def _nan1(x: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), 1.0, x)


def run_scenario(base: pd.DataFrame, levers: Levers | Mapping[str, Levers] | None = None, *,
                 horizon_weeks: int = 12, elasticity: float | Mapping[str, float] | pd.DataFrame = 0.3,
                 assumptions: Assumptions | None = None) -> Scenario:
    """Walk the baseline and the scenario ``horizon_weeks`` weeks forward.

    Parameters
    ----------
    base : DataFrame
        Output of :func:`baseline`.
    levers : Levers or dict of str to Levers, optional
        One set for every channel, or per channel (key ``"all"`` for the rest).
    horizon_weeks : int
        Weeks to simulate (1–104).
    elasticity : float, dict or DataFrame
        Snowball elasticity, one for all channels or per channel (the output of
        :func:`resolve_elasticity` works).
    assumptions : Assumptions, optional
        Response curves; :class:`Assumptions` defaults when None.

    Returns
    -------
    Scenario

    Raises
    ------
    FactInputError
        A lever, the horizon or the elasticity outside its range, or a lever pushing a rate
        above 100 %.
    """
    if isinstance(horizon_weeks, bool) or not isinstance(horizon_weeks, (int, np.integer)) \
            or not _MIN_WEEKS <= horizon_weeks <= _MAX_WEEKS:
        raise FactInputError("horizon_weeks", f"{horizon_weeks!r} is outside {_MIN_WEEKS}–{_MAX_WEEKS}",
                             fix="use a whole number of weeks such as 12")
    asm = assumptions or Assumptions()
    all_channels = [str(c) for c in base.index]
    lv_all = _levers_by_channel(levers, all_channels)
    el_all = _elasticity_by_channel(elasticity, all_channels)
    avail = base.loc[base["available"].astype(bool)]
    chans = [str(c) for c in avail.index]
    H = int(horizon_weeks)

    def col(name: str) -> np.ndarray:
        return avail[name].to_numpy(dtype="float64") if len(avail) else np.zeros(0)

    lv = [lv_all[ch] for ch in chans]

    def lever(name: str) -> np.ndarray:
        return np.array([getattr(x, name) for x in lv], dtype="float64")

    # rates above 100 % are impossible where the baseline rate is a true share
    for rate in ("view_rate", "ctr", "cvr"):
        r = col(rate) * lever(rate)
        bad = np.isfinite(r) & (r > 1.0) & (col(rate) <= 1.0)
        if bad.any():
            i = int(np.argmax(bad))
            raise FactInputError(f"levers[{chans[i]}]", f"{rate} would be {r[i]:.1%} (baseline "
                                 f"{col(rate)[i]:.1%} × {lever(rate)[i]:g}), above 100%",
                                 fix=f"lower the {rate} lever to at most {1 / col(rate)[i]:.2f}")
    elast = np.array([el_all[ch] for ch in chans], dtype="float64")
    C = len(chans)
    share_base = np.nan_to_num(col("campaign_share"))
    lift = np.nan_to_num(col("campaign_lift"))
    pays_commission = np.nan_to_num(col("commission_rate")) > 0
    has_views = ~np.isnan(col("views"))
    view_rate = _nan1(col("view_rate"))
    product_rate = _nan1(col("product_rate"))
    ctr = _nan1(col("ctr"))
    cvr0 = col("cvr")
    organic0, paid0 = col("organic_traffic"), col("paid_traffic")
    aov0 = col("aov")
    gmv_ratio = col("gmv_ratio")
    refund = col("refund_rate")
    comm = col("commission_rate")
    spend0 = col("ad_spend")
    spend_cov = col("spend_coverage")
    # reference GPM and feedback denominator, computed exactly as the engine does with levers at 1,
    # so that levers at the baseline give the baseline bit for bit
    cf_base = 1.0 + lift * share_base  # campaign participation, applied explicitly to organic traffic
    tr0 = organic0 * cf_base + paid0
    fb0 = tr0 * np.where(has_views, view_rate, 1.0)
    g0 = ratio("gpm", tr0 * (view_rate * product_rate * ctr) * cvr0 * aov0, fb0)

    def simulate(lv: list[Levers]) -> dict[str, np.ndarray]:
        def lever(name: str) -> np.ndarray:
            return np.array([getattr(x, name) for x in lv], dtype="float64")

        share_new = np.array([share_base[i] if x.campaign_share is None else x.campaign_share
                              for i, x in enumerate(lv)], dtype="float64")
        commission_l = lever("commission")
        talents_eff = lever("talents") * np.where(pays_commission, commission_l ** asm.commission_response, 1.0)
        static_org = (lever("content") ** asm.content_returns * talents_eff ** asm.talent_returns
                      * (1.0 + lift * share_new))
        price = lever("price")
        spend_l = lever("ad_spend")
        cvr_static = cvr0 * lever("cvr") * price ** (-asm.price_response)
        paid_s = paid0 * spend_l ** asm.ad_returns
        funnel_s = view_rate * lever("view_rate") * product_rate * ctr * lever("ctr")
        fb_factor = np.where(has_views, view_rate * lever("view_rate"), 1.0)
        traffic = np.empty((H, C))
        fbden = np.empty((H, C))
        buyers = np.empty((H, C))
        amount = np.empty((H, C))
        snow = np.ones(C)
        for t in range(H):
            tr = organic0 * static_org * snow + paid_s
            den = tr * fb_factor
            # dilution follows traffic (new people reached), not the exposure→view rate
            rel = np.divide(tr, tr0, out=np.ones(C), where=tr0 > 0)
            dil = np.power(rel, -asm.dilution, out=np.ones(C), where=rel > 0) if asm.dilution else np.ones(C)
            cvr_t = cvr_static * dil
            cvr_t = np.where((cvr0 <= 1.0) & (cvr_t > 1.0), 1.0, cvr_t)
            b = tr * funnel_s * cvr_t
            amt = b * aov0 * price
            g = ratio("gpm", amt, den)
            traffic[t], fbden[t], buyers[t], amount[t] = tr, den, b, amt
            ratio_g = np.divide(g, g0, out=np.ones(C), where=g0 > 0)
            snow = np.where(np.isfinite(ratio_g) & (ratio_g > 0), ratio_g, 1.0) ** elast
        out = {"traffic": traffic, "exposure": np.where(np.isnan(col("exposure")), np.nan, traffic),
               "views": np.where(has_views, fbden, np.nan), "buyers": buyers, "paid_amount": amount}
        out["gmv"] = amount * gmv_ratio
        out["net_gmv"] = out["gmv"] * (1.0 - refund)
        out["gpm"] = ratio("gpm", amount, fbden)
        out["ad_spend"] = np.broadcast_to(spend0 * spend_l, (H, C)).copy()
        out["roi"] = ratio("roi", amount * spend_cov, out["ad_spend"])
        out["roi_amount"] = amount * spend_cov  # the amount ROI pairs with ad spend
        out["commission"] = amount * comm * commission_l
        return out

    s_out = simulate(lv)
    b_out = simulate([Levers()] * C)
    path = _path_frame(b_out, s_out, chans, H)
    summary = _summary(b_out, s_out, chans, base, has_views)
    return Scenario(path=path, summary=summary, baseline=base, levers=lv_all, elasticity=el_all,
                    assumptions=asm, horizon_weeks=H)


_PATH_METRICS = ("exposure", "traffic", "views", "buyers", "paid_amount", "gmv", "net_gmv", "gpm", "ad_spend",
                 "roi", "roi_amount", "commission")


def _path_frame(b: dict[str, np.ndarray], s: dict[str, np.ndarray], chans: list[str], H: int) -> pd.DataFrame:
    C = len(chans)
    week = np.tile(np.repeat(np.arange(1, H + 1), C), 2)
    channel = np.tile(np.array(chans, dtype=object), 2 * H)
    case = np.repeat(np.array(["baseline", "scenario"], dtype=object), H * C)
    data = {"week": week, "channel": channel, "case": case}
    for m in _PATH_METRICS:
        data[m] = np.concatenate([np.asarray(b[m], dtype="float64").ravel(), np.asarray(s[m], dtype="float64").ravel()])
    return pd.DataFrame(data)


def _summary(b: dict[str, np.ndarray], s: dict[str, np.ndarray], chans: list[str], base: pd.DataFrame,
             has_views: np.ndarray) -> pd.DataFrame:
    def totals(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        t = {m: np.asarray(d[m]).sum(axis=0) for m in (*_ADDITIVE_OUT, "roi_amount")}
        den = np.where(has_views, t["views"], t["traffic"])
        t["gpm"] = ratio("gpm", t["paid_amount"], den)
        t["roi"] = ratio("roi", t["roi_amount"], t["ad_spend"])
        return t

    tb, ts = totals(b), totals(s)
    metrics = list(OUTPUT_METRICS)
    rows: list[tuple[str, str, float, float, str]] = []
    for ch in base.index:
        ch = str(ch)
        if ch in chans:
            i = chans.index(ch)
            for m in metrics:
                rows.append((ch, m, float(tb[m][i]), float(ts[m][i]), ""))
        else:
            reason = str(base.loc[ch, "reason"]) or "unavailable"
            for m in metrics:
                rows.append((ch, m, np.nan, np.nan, f"unavailable: {reason}"))
    # total over available channels; ratios from sums, each over the channels that have it
    for m in metrics:
        vals = []
        for t in (tb, ts):
            if m == "gpm":
                v = ratio("gpm", t["paid_amount"][has_views].sum(), t["views"][has_views].sum())
            elif m == "roi":
                ok = np.isfinite(t["ad_spend"]) & (t["ad_spend"] > 0) & np.isfinite(t["roi_amount"])
                v = ratio_of_sums("roi", t["roi_amount"][ok], t["ad_spend"][ok])
            else:
                x = np.asarray(t[m], dtype="float64")
                v = float(np.nansum(x)) if np.isfinite(x).any() else np.nan
            vals.append(float(v))
        note = "" if chans else "no channel has baseline data"
        if m == "gpm" and len(chans) and not has_views.all():
            note = "channels with views only"
        rows.append(("total", m, vals[0], vals[1], note))
    out = pd.DataFrame(rows, columns=["channel", "metric", "baseline", "scenario", "note"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out["baseline"].abs() > 0,
                                     (out["scenario"] / out["baseline"] - 1.0) * 100, np.nan)
    return out.set_index(["channel", "metric"])[["baseline", "scenario", "change_pct", "note"]]


def compare_presets(base: pd.DataFrame, *, horizon_weeks: int = 12,
                    elasticity: float | Mapping[str, float] | pd.DataFrame = 0.3,
                    assumptions: Assumptions | None = None, lang: str = "zh",
                    metrics: tuple[str, ...] = ("gmv", "net_gmv", "gpm", "roi", "commission")) -> pd.DataFrame:
    """Every preset's horizon totals beside the baseline (the static table of notebook 03).

    Returns
    -------
    DataFrame
        Index: the preset labels (baseline first); columns: ``metrics`` and ``gmv_change_pct``.
    """
    i = 0 if lang == "zh" else 1
    rows = {}
    first = run_scenario(base, None, horizon_weeks=horizon_weeks, elasticity=elasticity, assumptions=assumptions)
    rows[("基线" if lang == "zh" else "Baseline")] = {m: first.total(m, "baseline") for m in metrics}
    for name, lv in PRESETS.items():
        sc = run_scenario(base, dict(lv), horizon_weeks=horizon_weeks, elasticity=elasticity,
                          assumptions=assumptions)
        rows[PRESET_LABELS[name][i]] = {m: sc.total(m) for m in metrics}
    out = pd.DataFrame.from_dict(rows, orient="index")
    base_gmv = out["gmv"].iloc[0]
    out["gmv_change_pct"] = (out["gmv"] / base_gmv - 1) * 100 if base_gmv else np.nan
    out.index.name = "scenario" if lang == "en" else "情景"
    return out


def replace_levers(levers: Mapping[str, Levers], **changes: float) -> dict[str, Levers]:
    """A copy of a channel → Levers mapping with ``changes`` applied to each entry."""
    return {k: replace(v, **changes) for k, v in levers.items()}


_DESCRIBE: dict[str, tuple[str, str]] = {
    "traffic": ("周流量入口量(非大促日)", "Traffic / week (non-campaign days)"),
    "paid_traffic": ("其中付费", "of which paid"),
    "view_rate": ("曝光-观看率", "Exposure→view"),
    "product_rate": ("观看-商品曝光率", "View→product exposure"),
    "ctr": ("商品点击率", "Product CTR"),
    "cvr": ("点击-成交转化率", "Click→order"),
    "aov": ("客单价", "AOV"),
    "gpm": ("GPM(反馈指标)", "GPM (feedback metric)"),
    "gmv": ("周成交金额", "GMV / week"),
    "ad_spend": ("周投放消耗", "Ad spend / week"),
    "commission_rate": ("佣金率", "Commission rate"),
    "content_count": ("周内容量", "Content / week"),
    "accounts": ("周活跃账号/达人", "Active accounts / week"),
    "campaign_share": ("大促天数占比(近一年,预测默认)", "Campaign-day share (last year, horizon default)"),
    "window_campaign_share": ("窗口内大促天数占比", "Campaign-day share in the window"),
    "campaign_lift": ("大促流量提升", "Campaign traffic lift"),
    "baseline_days": ("基线取数日", "Baseline days"),
    "reason": ("说明", "Note"),
}


def describe_baseline(base: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The baseline as a readable table: one row per channel, labelled columns, rounded.

    Unavailable channels keep their reason and blank numbers.
    """
    i = 0 if lang == "zh" else 1
    out = base[list(_DESCRIBE)].copy()
    for c in out.columns:
        if c in ("reason", "baseline_days"):
            continue
        digits = 4 if c in ("view_rate", "product_rate", "ctr", "cvr", "commission_rate", "campaign_share",
                            "window_campaign_share", "campaign_lift") else 1
        out[c] = pd.to_numeric(out[c], errors="coerce").round(digits)
    out["reason"] = [r if r else ("可用" if lang == "zh" else "available") for r in base["reason"]]
    out.columns = [_DESCRIBE[c][i] for c in out.columns]
    out.index.name = "渠道" if lang == "zh" else "channel"
    return out


_DESCRIBE_UNITS = {"traffic": "count", "paid_traffic": "count", "view_rate": "rate", "product_rate": "rate",
                   "ctr": "rate", "cvr": "rate", "aov": "money", "gpm": "money", "gmv": "money", "ad_spend": "money",
                   "commission_rate": "rate", "content_count": "number", "accounts": "number",
                   "campaign_share": "rate", "window_campaign_share": "rate", "campaign_lift": "change",
                   "baseline_days": "text", "reason": "text"}


def baseline_table(base: pd.DataFrame, lang: str = "zh") -> Any:
    """The baseline for a page: :func:`describe_baseline`'s rows through
    :func:`fact_toolkit.formatting.format_table` (rates as %, money compact, currency once)."""
    from .formatting import format_table

    i = 0 if lang == "zh" else 1
    out = base[list(_DESCRIBE)].copy()
    out["reason"] = [r if r else ("可用" if lang == "zh" else "available") for r in base["reason"]]
    out.index.name = "channel"
    cur = [c for c in base["currency"].dropna().astype(str).unique()] if "currency" in base else []
    return format_table(out, lang=lang, units=_DESCRIBE_UNITS, labels={k: v[i] for k, v in _DESCRIBE.items()},
                        currency=cur[0] if len(cur) == 1 else None)


def preset_findings(presets: pd.DataFrame, lang: str = "zh", currency: str | None = None) -> list[Any]:
    """One finding per preset of :func:`compare_presets`: its GMV change over the horizon.

    The GMV at stake is the scenario's GMV minus the baseline's (first row).
    """
    from .findings import Finding
    from .formatting import format_value

    if presets.empty or "gmv" not in presets:
        return []
    base = float(presets["gmv"].iloc[0])
    cur = f" {currency}" if currency else ""
    out = []
    for k, (name, row) in enumerate(presets.iloc[1:].iterrows()):
        diff = float(row["gmv"]) - base
        pct = format_value(row.get("gmv_change_pct"), "change_pct", lang)
        money = ("+" if diff > 0 else "") + format_value(diff, "money", lang)
        text = (f"情景「{name}」:预测期 GMV {pct}({money}{cur})。" if lang == "zh" else
                f"Scenario “{name}”: GMV over the horizon {pct} ({money}{cur}).")
        out.append(Finding(text, diff, f"preset-{k + 1}"))
    return out


# --------------------------------------------------------------------------- notebook 03


@dataclass
class WhatIfInputs:
    """Everything notebook 03 builds from its parameters (see :func:`prepare`).

    Attributes
    ----------
    data : Dataset
    base : DataFrame
        :func:`baseline` over ``baseline_weeks`` weeks.
    assumptions : Assumptions
        :func:`assumptions_from_data`.
    elasticities : DataFrame
        :func:`resolve_elasticity` for the chosen source, in the baseline's currency.
    panel_elasticity : float or DataFrame
        What the panel takes: the user's number (a slider) for ``"user"``, the table for
        ``"model"`` (shown, not a slider).
    params : dict
        The checked parameters.
    """

    data: Any
    base: pd.DataFrame
    assumptions: Assumptions
    elasticities: pd.DataFrame
    panel_elasticity: float | pd.DataFrame
    params: dict[str, Any]


def prepare(params: Mapping[str, Any]) -> WhatIfInputs:
    """Load the data and build the baseline, assumptions and elasticities of notebook 03.

    ``params`` is the output of :func:`check_params`.
    """
    from .loader import load  # lazy: the engine itself needs no loader

    ds = load(params["data_path"])
    base = baseline(ds, weeks=int(params["baseline_weeks"]))
    cur = next((str(c) for c in base["currency"] if c), None)
    el = resolve_elasticity(params["elasticity_source"], params["elasticity"], ds, currency=cur)
    panel_el: float | pd.DataFrame = float(params["elasticity"]) if params["elasticity_source"] == "user" else el
    return WhatIfInputs(ds, base, assumptions_from_data(ds), el, panel_el, dict(params))


def static_scenario(inputs: WhatIfInputs, preset: str = "content_power_plus_10") -> Scenario:
    """The scenario of one preset with the notebook's horizon, elasticities and assumptions."""
    return run_scenario(inputs.base, preset_levers(preset), horizon_weeks=int(inputs.params["horizon_weeks"]),
                        elasticity=inputs.elasticities, assumptions=inputs.assumptions)
