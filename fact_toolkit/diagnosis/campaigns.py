"""Campaigns (C): uplift in each window against a weekday-matched pre-period, and the decay after."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .halo import daily_channel_series

__all__ = ["weekday_baseline", "campaign_uplift", "campaign_table"]


def weekday_baseline(series: pd.Series, pre_days: pd.DatetimeIndex) -> pd.Series:
    """Mean of ``series`` per weekday (0 = Monday) over ``pre_days``; missing weekdays get the
    mean of all pre days."""
    pre = series.reindex(pre_days).dropna()
    by_wd = pre.groupby(pd.DatetimeIndex(pre.index).day_of_week).mean()
    overall = pre.mean() if len(pre) else np.nan
    return by_wd.reindex(range(7)).fillna(overall)


def campaign_uplift(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp,
                    pre_start: pd.Timestamp | None = None, *, pre_days: int = 28, post_days: int = 14,
                    exclude: pd.DatetimeIndex | None = None, min_pre_days: int = 7) -> dict[str, float]:
    """Uplift of a daily series in ``[start, end]`` against the pre-period with the same weekday mix.

    The pre-period is the ``pre_days`` days before ``pre_start`` (the preheat start, else
    ``start``), minus days in ``exclude`` (other campaigns). The baseline of each window
    day is the pre-period mean of its weekday, so a window heavy in weekends is compared
    with weekends. ``uplift`` = Σ window ÷ Σ baseline − 1. After the window:
    ``post_uplift_7d`` (days 1–7 after the end) and ``decay_days``, the first day after the
    end whose value is within 10 % above its baseline (NaN if not within ``post_days``).

    Returns
    -------
    dict
        ``window_days, actual, baseline, uplift, post_uplift_7d, decay_days, pre_days``;
        NaN values when the data do not cover the window or enough of the pre-period.

    Examples
    --------
    Pre-period: four weeks with weekdays 100 and weekends 200; the window (Mon–Sun) doubles:

    >>> idx = pd.date_range("2025-01-06", "2025-02-16")
    >>> s = pd.Series([200.0 if d.day_of_week >= 5 else 100.0 for d in idx], index=idx)
    >>> s["2025-02-03":"2025-02-09"] *= 2
    >>> r = campaign_uplift(s, pd.Timestamp("2025-02-03"), pd.Timestamp("2025-02-09"))
    >>> r["baseline"], r["actual"], r["uplift"], r["decay_days"]
    (900.0, 1800.0, 1.0, 1.0)
    """
    nan = float("nan")
    res = {"window_days": 0, "actual": nan, "baseline": nan, "uplift": nan, "post_uplift_7d": nan,
           "decay_days": nan, "pre_days": 0}
    idx = pd.DatetimeIndex(series.index)
    window = pd.date_range(start, end, freq="D")
    if not window.isin(idx).all():
        return res
    anchor = pre_start if pre_start is not None and pd.notna(pre_start) else start
    pre = pd.date_range(anchor - pd.Timedelta(days=pre_days), anchor - pd.Timedelta(days=1), freq="D")
    pre = pre[pre.isin(idx)]
    if exclude is not None:
        pre = pre[~pre.isin(exclude)]
    res["pre_days"] = int(len(pre))
    res["window_days"] = int(len(window))
    if len(pre) < min_pre_days:
        return res
    base = weekday_baseline(series, pre)
    expected = base.reindex(window.day_of_week).to_numpy()
    actual = series.reindex(window).to_numpy()
    res["actual"], res["baseline"] = float(actual.sum()), float(expected.sum())
    res["uplift"] = res["actual"] / res["baseline"] - 1 if res["baseline"] > 0 else nan
    post = pd.date_range(end + pd.Timedelta(days=1), end + pd.Timedelta(days=post_days), freq="D")
    post = post[post.isin(idx)]
    if len(post):
        pa = series.reindex(post).to_numpy()
        pb = base.reindex(post.day_of_week).to_numpy()
        first7 = slice(0, min(7, len(post)))
        if pb[first7].sum() > 0:
            res["post_uplift_7d"] = float(pa[first7].sum() / pb[first7].sum() - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(pb > 0, pa / pb, np.nan)
        settled = np.flatnonzero(ratio <= 1.10)
        if len(settled):
            res["decay_days"] = float(settled[0] + 1)
    return res


def campaign_table(facts: pd.DataFrame, calendar: pd.DataFrame, channels: Sequence[str] | None = None,
                   *, pre_days: int = 28, post_days: int = 14) -> pd.DataFrame:
    """:func:`campaign_uplift` of daily GMV for every campaign window × channel in the data.

    Days inside any campaign window or preheat are left out of every pre-period.

    Returns
    -------
    DataFrame
        ``campaign_id, name, start, end, fact_channel`` and the uplift fields; only
        campaigns whose window lies inside the data.
    """
    if facts.empty or calendar is None or calendar.empty:
        return pd.DataFrame()
    d = pd.to_datetime(facts["date"])
    dates = pd.date_range(d.min(), d.max(), freq="D")
    busy = pd.DatetimeIndex([])
    for _, c in calendar.iterrows():
        first = c["preheat_start"] if "preheat_start" in c and pd.notna(c["preheat_start"]) else c["start"]
        busy = busy.union(pd.date_range(first, c["end"], freq="D"))
    money = "paid_amount" if "paid_amount" in facts and facts["paid_amount"].notna().any() else "gmv"
    chans = list(channels) if channels else [c for c in ("F", "A", "T", "S", "other")
                                             if facts["fact_channel"].eq(c).any()]
    rows = []
    series = {ch: daily_channel_series(facts, ch, money, dates) for ch in chans}
    series["all"] = facts.groupby(d)[money].sum(min_count=1).astype(float).reindex(dates).fillna(0.0)
    for _, c in calendar.sort_values("start").iterrows():
        if c["start"] < dates[0] or c["end"] > dates[-1]:
            continue
        pre_start = c["preheat_start"] if "preheat_start" in c else None
        for ch, s in series.items():
            r = campaign_uplift(s, c["start"], c["end"], pre_start, pre_days=pre_days, post_days=post_days,
                                exclude=busy)
            rows.append({"campaign_id": c["campaign_id"], "name": c.get("name", c["campaign_id"]),
                         "start": c["start"], "end": c["end"], "fact_channel": ch, **r})
    return pd.DataFrame(rows)
