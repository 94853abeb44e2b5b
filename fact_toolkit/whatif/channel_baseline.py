"""What-if baseline: per FACT channel, weekly levels and funnel rates from the last weeks, as ratios of sums.

The levels come from the window's non-campaign days; the campaign share and lift are
measured here and applied explicitly by the engine (:mod:`.engine`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError
from ..metrics import Metric, ratio, ratio_of_sums
from ..schema import CHANNELS
from .assumptions import Assumptions
from .frames import _amount_column, _as_frames, _num, _pick
from .levers import _MAX_WEEKS, _MIN_WEEKS

__all__ = ["MIN_ORDINARY_DAYS", "MIN_SPEND_COVERAGE", "MIN_STAGE_COVERAGE", "RATES", "STAGES", "baseline"]


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
