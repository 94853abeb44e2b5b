"""The GPM view against the ROI view: rank channels, accounts or content both ways."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import summarize
from ._base import period_coverage

__all__ = ["gpm_roi_ranking", "month_on_month"]


def gpm_roi_ranking(table: pd.DataFrame, by: str | list[str] = "fact_channel", *, min_views: float = 0,
                    min_gap: int = 2) -> pd.DataFrame:
    """GPM and cost ROI per group, their ranks, and where the two views disagree.

    ``gpm`` = Σ paid ÷ Σ views × 1000 (the registry's definition). ``roi`` = Σ paid ÷
    Σ (ad spend + commission): what a yuan of cost brings back, whether it paid for ads
    (F) or commission (A, T); NaN when the group has no cost (shelf).

    Parameters
    ----------
    table : DataFrame
        Content (or facts) rows of one currency.
    by : str or list of str
        Grouping column(s).
    min_views : float
        Groups with fewer views are left out (a GPM over 50 views says little).
    min_gap : int
        ``disagree`` is True when the two ranks differ by at least this much.

    Returns
    -------
    DataFrame
        Index ``by``; columns ``paid_amount, views, cost, gpm, roi, rank_gpm, rank_roi,
        rank_gap, disagree`` (rank 1 = best; groups without a value are not ranked).

    Examples
    --------
    >>> t = pd.DataFrame({"fact_channel": ["F", "A", "T"], "paid_amount": [100.0, 90.0, 300.0],
    ...                   "view_pv": [1000, 300, 1500], "ad_spend": [10.0, 0.0, 0.0],
    ...                   "commission": [0.0, 30.0, 150.0]})
    >>> r = gpm_roi_ranking(t)
    >>> r[["gpm", "roi", "rank_gpm", "rank_roi", "disagree"]].round(1).to_dict("index")["F"]
    {'gpm': 100.0, 'roi': 10.0, 'rank_gpm': 3.0, 'rank_roi': 1.0, 'disagree': True}
    """
    t = table.copy()
    for c in ("ad_spend", "commission"):
        if c not in t:
            t[c] = np.nan
    a = t["ad_spend"].astype("Float64")
    cm = t["commission"].astype("Float64")
    t["cost_"] = a.fillna(0) + cm.fillna(0)
    t["cost_"] = t["cost_"].mask(a.isna() & cm.isna())
    paid = "paid_amount" if "paid_amount" in t and t["paid_amount"].notna().any() else "gmv"
    s = summarize(t, by=by, metrics=["gpm", "views"], share=False)
    money = t.groupby(by, dropna=False, observed=True).agg(paid_amount=(paid, "sum"),
                                                           cost=("cost_", lambda x: x.sum(min_count=1)))
    s = s.join(money)
    s["cost"] = s["cost"].astype(float)
    s["roi"] = s["paid_amount"] / s["cost"].where(s["cost"] > 0)
    s = s[s["views"].fillna(0) >= min_views] if min_views else s
    s["rank_gpm"] = s["gpm"].rank(ascending=False, method="min")
    s["rank_roi"] = s["roi"].rank(ascending=False, method="min")
    s["rank_gap"] = s["rank_gpm"] - s["rank_roi"]
    s["disagree"] = (s["rank_gap"].abs() >= min_gap).fillna(False).astype(bool)
    return s[["paid_amount", "views", "cost", "gpm", "roi", "rank_gpm", "rank_roi", "rank_gap", "disagree"]]


def month_on_month(table: pd.DataFrame, by: str = "fact_channel",
                   metrics: tuple[str, ...] = ("gpm", "views", "paid_amount"), *,
                   span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Each metric in the last complete month of the data against the month before, per group.

    A trailing month the range ``span`` (first and last day; None: every month counts as
    complete) covers only in part is left out: 3 days of November against 31 of October would
    read as a collapse. ``attrs["months"]`` names the two months compared and
    ``attrs["partial"]`` the left-out month as ``(month, days, length)`` (None when the
    last month is complete).

    Returns
    -------
    DataFrame
        Index ``by``; for each metric ``<m>_last``, ``<m>_prev`` and ``<m>_change``
        (last ÷ previous − 1). Empty when the data span fewer than two complete months.

    Examples
    --------
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-03-02"]),
    ...                   "fact_channel": "F", "paid_amount": [100.0, 150.0, 10.0], "view_pv": 1000})
    >>> m = month_on_month(t, span=(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-02")))
    >>> m.attrs["months"], m.attrs["partial"], float(m.loc["F", "paid_amount_change"])
    (('2025-01', '2025-02'), ('2025-03', 2, 31), 0.5)
    """
    if table.empty or "date" not in table:
        return pd.DataFrame()
    dates = pd.to_datetime(table["date"])
    cov = period_coverage(dates, "M", span)
    done = cov.index[cov["complete"].to_numpy(dtype=bool)]
    partial = None
    if len(cov) and not bool(cov["complete"].iloc[-1]):
        partial = (cov.index[-1].strftime("%Y-%m"), int(cov["days"].iloc[-1]), int(cov["length"].iloc[-1]))
    if len(done) < 2:
        return pd.DataFrame()
    month = dates.dt.to_period("M")
    months = [pd.Timestamp(done[-2]).to_period("M"), pd.Timestamp(done[-1]).to_period("M")]
    ok = [m for m in metrics if m != "paid_amount" or "paid_amount" in table]
    parts = {}
    for tag, mo in (("last", months[-1]), ("prev", months[-2])):
        sub = table.loc[(month == mo).to_numpy(dtype=bool)]
        parts[tag] = summarize(sub, by=by, metrics=list(ok), share=False)
    out = pd.DataFrame(index=parts["last"].index.union(parts["prev"].index))
    for m in ok:
        out[f"{m}_last"] = parts["last"][m]
        out[f"{m}_prev"] = parts["prev"][m]
        out[f"{m}_change"] = out[f"{m}_last"] / out[f"{m}_prev"].where(out[f"{m}_prev"] > 0) - 1
    out.attrs["months"] = (str(months[-2]), str(months[-1]))
    out.attrs["partial"] = partial
    return out
