"""The halo of top-KOL (T) sessions: F and S sales in the days after, against a matched baseline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..channels import assign_campaigns

__all__ = ["daily_channel_series", "halo_effect", "halo_table"]


def daily_channel_series(facts: pd.DataFrame, channel: str, column: str,
                         dates: pd.DatetimeIndex | None = None) -> pd.Series:
    """Σ ``column`` per day for one channel, on every day of ``dates`` (0 where no sales row).

    A day without rows of that channel counts as 0 only inside the data's date range;
    ``dates`` defaults to every day from the first to the last date of ``facts``.
    """
    d = pd.to_datetime(facts["date"])
    if dates is None:
        dates = pd.date_range(d.min(), d.max(), freq="D")
    sub = facts.loc[facts["fact_channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    if column not in sub:
        return pd.Series(np.nan, index=dates)
    s = sub.groupby(pd.to_datetime(sub["date"]))[column].sum(min_count=1).astype(float)
    return s.reindex(dates).fillna(0.0)


def halo_effect(series: pd.Series, event_dates: Sequence[pd.Timestamp] | pd.DatetimeIndex,
                in_campaign: pd.Series | None = None, window: int = 7) -> dict[str, float]:
    """Lift of a daily series in the ``window`` days after events, against a matched baseline.

    Halo days are days 1…``window`` after any event. Clean days are neither event days nor
    halo days. Each halo day's baseline is the mean of clean days with the **same weekday
    and the same campaign status** (in a campaign window or not); a halo day with no such
    clean day is left out.

    Parameters
    ----------
    series : Series
        Daily values indexed by date (every day present).
    event_dates : sequence of Timestamp
        Days of T sessions.
    in_campaign : Series of bool, optional
        Campaign status per day (same index); all False when omitted.
    window : int
        Days after the event.

    Returns
    -------
    dict
        ``halo_days``, ``actual`` (Σ over halo days used), ``baseline`` (Σ of their
        baselines), ``lift`` (actual ÷ baseline − 1), ``per_day_actual``, ``per_day_baseline``.

    Examples
    --------
    Two weeks, events on Monday 6 Jan; halo = Tue–Mon 7–13 Jan; the clean days are the
    week before (30 Dec–5 Jan, value 10) and 14 Jan (value 10); halo days hold 12:

    >>> idx = pd.date_range("2024-12-30", "2025-01-14")
    >>> s = pd.Series(10.0, index=idx)
    >>> s["2025-01-07":"2025-01-13"] = 12.0
    >>> r = halo_effect(s, [pd.Timestamp("2025-01-06")])
    >>> r["halo_days"], r["actual"], r["baseline"], round(r["lift"], 3)
    (7, 84.0, 70.0, 0.2)
    """
    idx = pd.DatetimeIndex(series.index)
    camp = (pd.Series(False, index=idx) if in_campaign is None
            else in_campaign.reindex(idx).fillna(False).astype(bool))
    events = pd.DatetimeIndex(pd.to_datetime(list(event_dates))).normalize().unique()
    halo = pd.Series(False, index=idx)
    for k in range(1, window + 1):
        halo |= idx.isin(events + pd.Timedelta(days=k))
    is_event = pd.Series(idx.isin(events), index=idx)
    clean = ~halo & ~is_event & series.notna()
    key = pd.Series(list(zip(idx.day_of_week, camp.to_numpy(), strict=True)), index=idx)
    base_by_key = series[clean].groupby(key[clean]).mean()
    h = halo & series.notna()
    base = key[h].map(base_by_key)
    used = base.notna()
    actual = float(series[h][used].sum())
    baseline = float(base[used].sum())
    return {"halo_days": int(used.sum()), "actual": actual, "baseline": baseline,
            "lift": actual / baseline - 1 if baseline > 0 else float("nan"),
            "per_day_actual": actual / used.sum() if used.sum() else float("nan"),
            "per_day_baseline": baseline / used.sum() if used.sum() else float("nan")}


def halo_table(facts: pd.DataFrame, sessions: pd.DataFrame, calendar: pd.DataFrame | None,
               channels: Sequence[str] = ("F", "S"), window: int = 7) -> pd.DataFrame:
    """:func:`halo_effect` for GMV and exposure of each of ``channels`` after T sessions.

    Exposure is the channel's ``exposure_pv`` (F), else ``product_exposure_pv`` /
    ``product_exposure_uv`` (S, whose rows have no room exposure).

    Returns
    -------
    DataFrame
        ``fact_channel, measure, column, halo_days, actual, baseline, lift, per_day_actual,
        per_day_baseline``.
    """
    if facts.empty or sessions.empty:
        return pd.DataFrame()
    d = pd.to_datetime(facts["date"])
    dates = pd.date_range(d.min(), d.max(), freq="D")
    camp = (assign_campaigns(pd.Series(dates, index=dates), calendar).notna()
            if calendar is not None else pd.Series(False, index=dates))
    rows = []
    for ch in channels:
        sub = facts.loc[facts["fact_channel"].eq(ch).fillna(False).to_numpy(dtype=bool)]
        if sub.empty:
            continue
        money = "paid_amount" if "paid_amount" in sub and sub["paid_amount"].notna().any() else "gmv"
        exp = next((c for c in ("exposure_pv", "product_exposure_pv", "product_exposure_uv")
                    if c in sub and sub[c].notna().any()), None)
        for measure, col in (("gmv", money), ("exposure", exp)):
            if col is None:
                continue
            s = daily_channel_series(facts, ch, col, dates)
            r = halo_effect(s, pd.to_datetime(sessions["date"]), camp, window)
            rows.append({"fact_channel": ch, "measure": measure, "column": col, **r})
    return pd.DataFrame(rows)


