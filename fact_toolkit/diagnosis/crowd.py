"""Crowd assets of the own accounts (F): new followers, fan-buyer share, repurchase where present."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import ratio, summarize
from ._base import add_period, period_coverage

__all__ = ["crowd_assets"]


def crowd_assets(content: pd.DataFrame, channel: str = "F", freq: str = "M", *,
                 span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Per period: new followers, followers per 1,000 views, and fan-buyer share if present.

    ``followers_per_1k_views`` = Σ new followers ÷ Σ views × 1000 over rows with both;
    ``fan_buyer_share`` = Σ fan buyers ÷ Σ buyers (NaN when the exports have no
    粉丝成交人数). Repurchase needs buyer IDs, which no content export has.
    ``attrs["followers_per_1k_views"]`` is the same ratio of sums over the whole range
    (never a mean of the monthly ratios).

    Returns
    -------
    DataFrame
        Index ``period``; ``new_followers, views, followers_per_1k_views, fan_buyer_share,
        days, length, complete`` (how much of the period the range ``span`` covers; None: every
        period counts as complete). Empty when the channel has no rows or no ``new_followers``.

    Examples
    --------
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02"]), "fact_channel": ["F", "F"],
    ...                   "new_followers": [10, 30], "view_pv": [1000, 3000]})
    >>> c = crowd_assets(t)
    >>> c["followers_per_1k_views"].tolist(), c.attrs["followers_per_1k_views"]
    ([10.0], 10.0)
    """
    if "fact_channel" not in content or "new_followers" not in content:
        return pd.DataFrame()
    f = content.loc[content["fact_channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    if f.empty or f["new_followers"].notna().sum() == 0:
        return pd.DataFrame()
    f = add_period(f, freq)
    s = summarize(f, by="period", metrics=["new_followers", "views"], share=False)
    both = f.dropna(subset=["new_followers", "view_pv"]) if "view_pv" in f else f.iloc[0:0]
    num = both.groupby("period")["new_followers"].sum().astype(float)
    den = both.groupby("period")["view_pv"].sum().astype(float)
    s["followers_per_1k_views"] = ratio("followers_per_1k_views", num, den).reindex(s.index)
    overall = ratio("followers_per_1k_views", float(num.sum()), float(den.sum()))
    if "fan_buyers" in f and f["fan_buyers"].notna().any() and "buyers" in f:
        fb = f.dropna(subset=["fan_buyers", "buyers"])
        fs = fb.groupby("period")["fan_buyers"].sum().astype(float)
        bs = fb.groupby("period")["buyers"].sum().astype(float)
        s["fan_buyer_share"] = ratio("fan_buyer_share", fs, bs).reindex(s.index)
    else:
        s["fan_buyer_share"] = np.nan
    cov = period_coverage(content["date"], freq, span)
    s["days"] = s.index.map(cov["days"]).astype(int)
    s["length"] = s.index.map(cov["length"]).astype(int)
    s["complete"] = s.index.map(cov["complete"]).astype(bool)
    s = s.drop(columns="rows")
    s.attrs["followers_per_1k_views"] = overall
    return s
