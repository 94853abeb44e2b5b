"""Where GMV comes from: contribution, share and growth per channel and account, and the mix."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import summarize
from ._base import add_period, period_coverage

__all__ = ["contribution", "channel_mix", "account_contribution"]

_MONEY = ["gmv", "net_gmv", "paid_amount"]


def contribution(facts: pd.DataFrame, by: str = "fact_channel", freq: str = "M", *,
                 span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """GMV, net GMV, share and growth per period and group, within each currency.

    Parameters
    ----------
    facts : DataFrame
        Sales rows (``Dataset.facts()`` or the daily panel) with ``date``, ``gmv`` and
        optionally ``refund_amount``, ``paid_amount``, ``currency``.
    by : str
        Grouping column (``fact_channel`` or ``account_name`` …).
    freq : {"M", "W"}
        Month or week (Monday start).
    span : (Timestamp, Timestamp), optional
        The date range the data stand for (first and last day); periods it covers only in
        part are marked ``complete = False``. None: every period counts as complete.

    Returns
    -------
    DataFrame
        Columns ``currency, period, <by>, gmv, net_gmv, paid_amount, share, growth, days,
        length, complete``: ``share`` = group GMV ÷ all GMV of that currency and period; ``growth`` =
        GMV ÷ the group's GMV in the previous period − 1, NaN when the previous period is
        absent or when either period is partial (``days`` of the period's length in the
        range: a partial month's GMV is not comparable with a full one's).
        Yuan and dollars are never added: shares are within a currency.

    Examples
    --------
    >>> f = pd.DataFrame({"date": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-02-01"]),
    ...                   "fact_channel": ["F", "A", "F"], "gmv": [300.0, 100.0, 600.0]})
    >>> c = contribution(f)
    >>> c["share"].tolist(), c["growth"].round(2).tolist()
    ([0.25, 0.75, 1.0], [nan, nan, 1.0])
    """
    t = add_period(facts, freq)
    t = t.loc[t["period"].notna().to_numpy(dtype=bool)]  # a period spanning two weeks/months has none
    if "currency" not in t:
        t = t.assign(currency="")
    metrics = [m for m in _MONEY if m == "gmv" or (m == "net_gmv" and "refund_amount" in t) or m in t]
    s = summarize(t, by=["currency", "period", by], metrics=metrics, share=False).reset_index()
    s = s.drop(columns="rows")
    for m in _MONEY:
        if m not in s:
            s[m] = np.nan
    total = s.groupby(["currency", "period"], observed=True)["gmv"].transform("sum")
    s["share"] = s["gmv"] / total.where(total != 0)
    periods = sorted(s["period"].unique())
    prev_of = dict(zip(periods[1:], periods[:-1], strict=False))
    prev = s[["currency", "period", by, "gmv"]].assign(period=s["period"].map(
        {v: k for k, v in prev_of.items()})).rename(columns={"gmv": "prev_gmv"})
    s = s.merge(prev.dropna(subset=["period"]), on=["currency", "period", by], how="left")
    s["growth"] = s["gmv"] / s["prev_gmv"].where(s["prev_gmv"] > 0) - 1
    cov = period_coverage(t["date"], freq, span)
    s["days"] = s["period"].map(cov["days"]).astype(int)
    s["length"] = s["period"].map(cov["length"]).astype(int)
    s["complete"] = s["period"].map(cov["complete"]).astype(bool)
    prev_complete = s["period"].map(prev_of).map(cov["complete"]).fillna(False).astype(bool)
    s["growth"] = s["growth"].where(s["complete"] & prev_complete)
    s = s.drop(columns="prev_gmv").sort_values(["currency", "period", by]).reset_index(drop=True)
    return s[["currency", "period", by, *_MONEY, "share", "growth", "days", "length", "complete"]]


def channel_mix(contrib: pd.DataFrame, currency: str | None = None, by: str = "fact_channel") -> pd.DataFrame:
    """Shares as a wide table: one row per period, one column per channel (one currency)."""
    c = contrib if currency is None else contrib[contrib["currency"] == currency]
    return c.pivot_table(index="period", columns=by, values="share", aggfunc="sum", observed=True).fillna(0.0)


def account_contribution(facts: pd.DataFrame, top: int = 15, *,
                         span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """GMV, net GMV and share per account (whole range), largest first, per currency.

    Returns
    -------
    DataFrame
        ``currency, fact_channel, account_name, gmv, net_gmv, share, growth`` where
        ``growth`` compares the last complete month in the data with the month before
        (a partial last month is left out, see :func:`contribution`).
    """
    t = facts.assign(account_name=facts["account_name"].astype("string").fillna("(shelf)")
                     if "account_name" in facts else "(shelf)")
    if "currency" not in t:
        t = t.assign(currency="")
    metrics = ["gmv", "net_gmv"] if "refund_amount" in t else ["gmv"]
    s = summarize(t, by=["currency", "fact_channel", "account_name"], metrics=metrics,
                  share=False).reset_index().drop(columns="rows")
    tot = s.groupby("currency", observed=True)["gmv"].transform("sum")
    s["share"] = s["gmv"] / tot.where(tot != 0)
    monthly = contribution(t, by="account_name", freq="M", span=span)
    done = monthly.loc[monthly["complete"], "period"]
    last = done.max() if len(done) else pd.NaT
    g = monthly[monthly["period"] == last].set_index(["currency", "account_name"])["growth"]
    s["growth"] = [g.get((c, a), np.nan) for c, a in zip(s["currency"], s["account_name"], strict=True)]
    s = s.sort_values(["currency", "gmv"], ascending=[True, False])
    return s.groupby("currency", observed=True).head(top).reset_index(drop=True)
