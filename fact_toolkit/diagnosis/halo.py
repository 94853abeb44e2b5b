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
                in_campaign: pd.Series | None = None, window: int = 7, *, radius: int = 28,
                min_matched: int = 3) -> dict[str, float]:
    """Lift of a daily series in the ``window`` days after events, against a local, clean baseline.

    Halo days are days 1…``window`` after an event that are not event days themselves.
    Clean days are neither event days nor halo days (no event in the ``window`` days
    before). Each halo day's baseline is the mean of the clean days **within ±``radius``
    days with the same weekday and the same campaign status** (so at most 2 × radius ÷ 7
    days: the same weekday 1, 2, 3, 4 weeks before and after). A halo day with fewer than
    ``min_matched`` such clean days is left out; when none is left the lift is NaN and
    ``enough`` is False ("not enough clean days to measure a halo").

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
    radius : int
        How far (days) from a halo day its baseline days may lie.
    min_matched : int
        Clean matched days a halo day needs to be measured.

    Returns
    -------
    dict
        ``halo_days`` (halo days measured), ``halo_days_total`` (halo days with data),
        ``clean_days`` (distinct clean days in the baselines), ``matched_per_day`` (mean
        clean days per measured halo day), ``actual`` (Σ over measured halo days),
        ``baseline`` (Σ of their baselines), ``lift`` (actual ÷ baseline − 1),
        ``per_day_actual``, ``per_day_baseline``, ``enough``.

    Examples
    --------
    Four weeks at 10, a session on Sunday 2 Feb, the seven days after it at 12: each halo
    day's baseline is the same weekday 1–4 weeks around it (all 10):

    >>> idx = pd.date_range("2025-01-06", "2025-03-02")
    >>> s = pd.Series(10.0, index=idx)
    >>> s["2025-02-03":"2025-02-09"] = 12.0
    >>> r = halo_effect(s, [pd.Timestamp("2025-02-02")])
    >>> r["halo_days"], r["actual"], r["baseline"], round(r["lift"], 3), r["clean_days"]
    (7, 84.0, 70.0, 0.2, 48)
    """
    idx = pd.DatetimeIndex(series.index)
    camp = (pd.Series(False, index=idx) if in_campaign is None
            else in_campaign.reindex(idx).fillna(False).astype(bool))
    events = pd.DatetimeIndex(pd.to_datetime(list(event_dates))).normalize().unique()
    is_event = pd.Series(idx.isin(events), index=idx)
    after = pd.Series(False, index=idx)
    for k in range(1, window + 1):
        after |= idx.isin(events + pd.Timedelta(days=k))
    halo = after & ~is_event
    clean = ~after & ~is_event & series.notna()
    h_days = idx[(halo & series.notna()).to_numpy(dtype=bool)]
    total = pd.Series(0.0, index=h_days)
    count = pd.Series(0, index=h_days)
    matches: list[tuple[pd.DatetimeIndex, np.ndarray]] = []
    weeks = [w for w in range(-(radius // 7), radius // 7 + 1) if w != 0]
    for w in weeks:
        cand = h_days + pd.Timedelta(days=7 * w)
        ok = (cand.isin(idx) & clean.reindex(cand, fill_value=False).to_numpy(dtype=bool)
              & (camp.reindex(cand, fill_value=False).to_numpy(dtype=bool) == camp[h_days].to_numpy(dtype=bool)))
        vals = series.reindex(cand).to_numpy(dtype=float)
        total += np.where(ok, vals, 0.0)
        count += ok.astype(int)
        matches.append((cand, ok))
    measured = count >= max(1, min_matched)
    base = (total / count.where(count > 0))[measured]
    n = int(measured.sum())
    m = measured.to_numpy(dtype=bool)
    clean_used = set().union(*(set(cand[ok & m]) for cand, ok in matches)) if matches else set()
    actual = float(series.reindex(base.index).sum()) if n else float("nan")
    baseline = float(base.sum()) if n else float("nan")
    return {"halo_days": n, "halo_days_total": int(len(h_days)), "clean_days": len(clean_used),
            "matched_per_day": float(count[measured].mean()) if n else float("nan"),
            "actual": actual, "baseline": baseline,
            "lift": actual / baseline - 1 if n and baseline > 0 else float("nan"),
            "per_day_actual": actual / n if n else float("nan"),
            "per_day_baseline": baseline / n if n else float("nan"),
            "enough": bool(n > 0)}


def halo_table(facts: pd.DataFrame, sessions: pd.DataFrame, calendar: pd.DataFrame | None,
               channels: Sequence[str] = ("F", "S"), window: int = 7, *, radius: int = 28,
               min_matched: int = 3) -> pd.DataFrame:
    """:func:`halo_effect` for GMV and exposure of each of ``channels`` after T sessions.

    Exposure is the channel's ``exposure_pv`` (F), else ``product_exposure_pv`` /
    ``product_exposure_uv`` (S, whose rows have no room exposure).

    Returns
    -------
    DataFrame
        ``fact_channel, measure, column`` and the keys of :func:`halo_effect` (``halo_days,
        halo_days_total, clean_days, matched_per_day, actual, baseline, lift, …, enough``).
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
            r = halo_effect(s, pd.to_datetime(sessions["date"]), camp, window, radius=radius,
                            min_matched=min_matched)
            rows.append({"fact_channel": ch, "measure": measure, "column": col, **r})
    return pd.DataFrame(rows)


