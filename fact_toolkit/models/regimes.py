"""Regime changes: days where the level of GPM shifts (``ruptures``, PELT).

The signal is the daily log GPM (ratio of sums per day) with its weekday pattern
removed; PELT with an L2 cost finds the change points and a penalty ``10 · log(n) · σ²``
(σ from the median absolute day-to-day change, so outliers do not inflate it) keeps it
from chasing noise.  GPM that drifts slowly has no sharp regime change; expect a few
flags a year on such a series, each a real shift in the level.  Each change is reported with its date and the levels before and after.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


__all__ = ["regime_changes"]


def regime_changes(series: pd.DataFrame, *, min_size: int = 14, penalty: float | None = None) -> pd.DataFrame:
    """Dates where GPM's level shifts.

    Parameters
    ----------
    series : pandas.DataFrame
        One group's rows of :func:`fact_toolkit.models.series.daily_series`.
    min_size : int, default 14
        Shortest regime in days.
    penalty : float, optional
        PELT penalty (default ``10 · log(n) · σ²``).

    Returns
    -------
    pandas.DataFrame
        ``date`` (first day of the new regime), ``gpm_before``, ``gpm_after`` (ratio of
        sums over each regime) and ``change_pct``; empty when GPM is stable.

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=120),
    ...                   "paid_amount": [100.0] * 60 + [200.0] * 60, "view_pv": [1000] * 120})
    >>> regime_changes(d)[["date", "gpm_before", "gpm_after"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'date': Timestamp('2026-03-02 00:00:00'), 'gpm_before': 100.0, 'gpm_after': 200.0}]
    """
    import ruptures as rpt

    cols = ["date", "gpm_before", "gpm_after", "change_pct"]
    money = "paid_amount" if "paid_amount" in series and series["paid_amount"].notna().any() else "gmv"
    num = pd.to_numeric(series[money], errors="coerce").to_numpy(dtype=float)
    views = pd.to_numeric(series["view_pv"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        sig = pd.Series(np.log(np.where(views > 0, num / np.where(views > 0, views, 1.0) * 1000.0, np.nan)))
    sig = sig.where(np.isfinite(sig))
    n = len(sig)
    if n < 2 * min_size or sig.notna().sum() < 2 * min_size:
        return pd.DataFrame(columns=cols)
    # remove the weekday pattern, fill gaps for the search only
    wd = pd.to_datetime(series["date"]).dt.day_of_week.to_numpy()
    local = sig.rolling(7, center=True, min_periods=1).median()
    sig = sig - (sig - local).groupby(wd).transform("median")
    sig = sig.interpolate(limit_direction="both").to_numpy()
    sigma = float(np.median(np.abs(np.diff(sig))) / 0.6745 / math.sqrt(2))
    if penalty is None:
        penalty = 10.0 * math.log(n) * max(sigma, 0.01) ** 2
    bkps = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(sig.reshape(-1, 1)).predict(pen=penalty)
    edges = [0, *bkps]
    rows = []
    for i in range(1, len(edges) - 1):
        a, b, c = edges[i - 1], edges[i], edges[i + 1]
        va, vb = np.nansum(views[a:b]), np.nansum(views[b:c])
        before = np.nansum(num[a:b]) / va * 1000 if va > 0 else math.nan
        after = np.nansum(num[b:c]) / vb * 1000 if vb > 0 else math.nan
        rows.append({"date": pd.Timestamp(series["date"].iloc[b]), "gpm_before": round(float(before), 2),
                     "gpm_after": round(float(after), 2), "change_pct": (after / before - 1) * 100})
    return pd.DataFrame(rows, columns=cols)
