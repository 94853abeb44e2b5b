"""Calendar regressors: campaign windows (C) and Chinese holidays / working-day swaps.

``chinese-calendar`` knows the official holidays and the working-day swaps (调休) for
the years already announced (1.11 covers 2004–2026 and raises ``NotImplementedError``
after that); for later dates the festival days come from ``holidays`` (CN), which
computes them for any year but knows no swaps.  The ``calendar_source`` column says
which one was used for each day.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["holiday_frame", "campaign_frame", "regressors", "REGRESSOR_LABELS"]

#: regressor name -> (zh, en) label
REGRESSOR_LABELS: dict[str, tuple[str, str]] = {
    "preheat": ("预热期", "pre-heat"),
    "campaign_S": ("S级大促", "tier-S campaign"),
    "campaign_A": ("A级大促", "tier-A campaign"),
    "campaign_B": ("B级大促", "tier-B campaign"),
    "campaign_other": ("其他活动", "other campaign"),
    "holiday": ("法定节假日", "public holiday"),
    "workday_swap": ("调休上班日", "swapped working day"),
}


@lru_cache(maxsize=4096)
def _day(d: _dt.date) -> tuple[int, int, str]:
    """(holiday, swapped working day, source) for one date."""
    try:
        import chinese_calendar as cc

        on_holiday, name = cc.get_holiday_detail(d)
        holiday = int(bool(on_holiday and name is not None))
        swap = int(d.weekday() >= 5 and cc.is_workday(d))
        return holiday, swap, "chinese-calendar"
    except (NotImplementedError, ImportError):
        cn = _cn_holidays(d.year)
        return int(d in cn), 0, "holidays-CN"


@lru_cache(maxsize=64)
def _cn_holidays(year: int) -> frozenset[_dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("CN", years=year).keys())


def holiday_frame(dates: pd.DatetimeIndex | pd.Series) -> pd.DataFrame:
    """Public holidays and swapped working days for each date.

    Returns
    -------
    pandas.DataFrame
        ``holiday`` (1 on an official holiday), ``workday_swap`` (1 on a weekend day that
        is an official working day), ``calendar_source``; indexed like ``dates`` (0..n-1).

    Examples
    --------
    >>> holiday_frame(pd.to_datetime(["2025-10-01", "2025-09-28", "2027-01-01"]))[["holiday", "workday_swap"]].values.tolist()
    [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    idx = pd.DatetimeIndex(pd.to_datetime(dates))
    rows = [_day(ts.date()) for ts in idx]
    return pd.DataFrame({
        "holiday": np.array([r[0] for r in rows], dtype=float),
        "workday_swap": np.array([r[1] for r in rows], dtype=float),
        "calendar_source": [r[2] for r in rows],
    })


def campaign_frame(dates: pd.DatetimeIndex | pd.Series, campaign_id: pd.Series | None = None,
                   calendar: pd.DataFrame | None = None) -> pd.DataFrame:
    """Campaign indicators: pre-heat, window by tier, and windows only the data knows.

    Parameters
    ----------
    dates : DatetimeIndex or Series
        Days.
    campaign_id : pandas.Series, optional
        The data's ``campaign_id`` per day; a day with an id that is in no calendar
        window counts as ``campaign_other``.
    calendar : pandas.DataFrame, optional
        ``campaign_id, start, end, preheat_start, tier``; the shipped calendar
        (:func:`fact_toolkit.channels.default_campaigns`) when None.

    Returns
    -------
    pandas.DataFrame
        Float 0/1 columns ``preheat, campaign_S, campaign_A, campaign_B, campaign_other``.
    """
    if calendar is None:
        from ..channels import default_campaigns

        calendar = default_campaigns()
    d = pd.DatetimeIndex(pd.to_datetime(dates)).values.astype("datetime64[ns]")
    n = len(d)
    out = {k: np.zeros(n) for k in ("preheat", "campaign_S", "campaign_A", "campaign_B", "campaign_other")}
    in_window = np.zeros(n, dtype=bool)
    for row in calendar.sort_values("start").itertuples(index=False):
        start = np.datetime64(pd.Timestamp(row.start), "ns")
        end = np.datetime64(pd.Timestamp(row.end), "ns")
        win = (d >= start) & (d <= end)
        pre_start = getattr(row, "preheat_start", None)
        if pre_start is not None and not pd.isna(pre_start):
            pre = (d >= np.datetime64(pd.Timestamp(pre_start), "ns")) & (d < start)
            out["preheat"][pre] = 1.0
        tier = str(getattr(row, "tier", "B") or "B")
        key = f"campaign_{tier}" if f"campaign_{tier}" in out else "campaign_B"
        for k in ("campaign_S", "campaign_A", "campaign_B"):
            out[k][win] = 0.0
        out[key][win] = 1.0
        out["preheat"][win] = 0.0
        in_window |= win
    if campaign_id is not None:
        has = pd.Series(campaign_id).notna().to_numpy(dtype=bool)
        out["campaign_other"][has & ~in_window] = 1.0
    return pd.DataFrame(out)


def regressors(dates: pd.DatetimeIndex | pd.Series, campaign_id: pd.Series | None = None,
               calendar: pd.DataFrame | None = None, *, holidays: bool = True) -> pd.DataFrame:
    """Campaign and holiday regressors for the given days (future days included).

    Examples
    --------
    >>> r = regressors(pd.date_range("2025-06-17", periods=3))
    >>> r["campaign_S"].tolist()   # 618 ends on 2025-06-18
    [1.0, 1.0, 0.0]
    """
    parts = [campaign_frame(dates, campaign_id, calendar)]
    if holidays:
        parts.append(holiday_frame(dates).drop(columns="calendar_source"))
    return pd.concat(parts, axis=1)
