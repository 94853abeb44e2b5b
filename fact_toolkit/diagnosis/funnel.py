"""The funnel per channel and its bottleneck against own history and peer benchmarks.

Stages: exposure → view → product exposure → click → order. Each step is a registry rate
(people basis where the data have it, else the events form), as a ratio of sums.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..metrics import METRICS, sources_in, summarize
from ._base import period_coverage

__all__ = ["STAGES", "funnel_rates", "bottleneck", "funnel_diagnosis"]

#: funnel steps: (name, people-basis metric, events-basis fallback or None)
STAGES: tuple[tuple[str, str, str | None], ...] = (
    ("exposure_view_rate", "exposure_view_rate", "exposure_view_rate_pv"),
    ("view_product_rate", "view_product_rate", None),
    ("product_ctr", "product_ctr", "product_ctr_pv"),
    ("click_order_rate", "click_order_rate", "click_order_rate_pv"),
)


def funnel_rates(table: pd.DataFrame, by: str | list[str] = "fact_channel") -> pd.DataFrame:
    """Stage rates per group, people basis first, events basis when people is missing.

    Returns
    -------
    DataFrame
        Index ``by``; one column per stage name in :data:`STAGES`.

    Examples
    --------
    >>> t = pd.DataFrame({"fact_channel": ["F", "F"], "exposure_uv": [1000, 1000],
    ...                   "view_uv": [300, 100], "product_exposure_uv": [200, 50],
    ...                   "product_click_uv": [20, 10], "buyers": [2, 1]})
    >>> funnel_rates(t).loc["F"].round(3).tolist()
    [0.2, 0.625, 0.12, 0.1]
    """
    wanted = [m for _, a, b in STAGES for m in (a, b) if m and METRICS[m].supported_by(table.columns, sources_in(table))]
    if table.empty:
        return pd.DataFrame(columns=[s for s, _, _ in STAGES])
    s = summarize(table, by=by, metrics=wanted, share=False) if wanted else \
        pd.DataFrame(index=table.groupby(by, observed=True).size().index)
    out = pd.DataFrame(index=s.index)
    for name, people, events in STAGES:
        v = s[people] if people in s else pd.Series(np.nan, index=s.index)
        if events and events in s:
            v = v.fillna(s[events])
        out[name] = v.astype(float)
    return out


def bottleneck(current: Mapping[str, float], reference: Mapping[str, float],
               tolerance: float = 0.0) -> tuple[str | None, float]:
    """The stage furthest below its reference, as ``(stage, current ÷ reference − 1)``.

    Stages without both values are skipped; ``(None, nan)`` when no stage is more than
    ``tolerance`` below its reference.

    Examples
    --------
    >>> bottleneck({"a": 0.30, "b": 0.05, "c": 0.5}, {"a": 0.25, "b": 0.08, "c": 0.6})
    ('b', -0.375)
    >>> bottleneck({"a": 0.3}, {"a": 0.2})
    (None, nan)
    """
    worst, gap = None, -abs(tolerance)
    for stage, value in current.items():
        ref = reference.get(stage, np.nan)
        if pd.isna(value) or pd.isna(ref) or ref == 0:
            continue
        g = float(value) / float(ref) - 1.0
        if g < gap:
            worst, gap = stage, g
    return (worst, round(gap, 12)) if worst is not None else (None, float("nan"))


def funnel_diagnosis(table: pd.DataFrame, benchmarks: pd.DataFrame | None = None,
                     by: str = "fact_channel", tolerance: float = 0.02, *,
                     span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Each channel's funnel in the latest complete month against its own history and its peers.

    ``current`` is the rate over the last calendar month in ``table`` that the range
    ``span`` (first and last day; None: every month counts as complete) covers fully;
    ``history`` the median of the group's monthly rates over the earlier complete months;
    ``peer_p50`` the benchmark median for stages the benchmarks name. ``attrs["month"]``
    is the current month and ``attrs["partial"]`` the left-out trailing month as
    ``(month, days, length)``, or None.

    Returns
    -------
    DataFrame
        One row per group × stage: ``current, history, peer_p50, vs_history, vs_peer``
        (ratios − 1), and per group ``bottleneck_history`` / ``bottleneck_peer`` (the stage
        furthest below its reference by more than ``tolerance``, or NA).
    """
    if table.empty:
        return pd.DataFrame()
    month = pd.to_datetime(table["date"]).dt.to_period("M").dt.start_time
    t = table.assign(month_=month.astype("datetime64[ns]"))
    cov = period_coverage(t["date"], "M", span)
    done = cov.index[cov["complete"].to_numpy(dtype=bool)]
    partial = None
    if len(cov) and not bool(cov["complete"].iloc[-1]):
        partial = (cov.index[-1].strftime("%Y-%m"), int(cov["days"].iloc[-1]), int(cov["length"].iloc[-1]))
    if len(done) == 0:
        return pd.DataFrame()
    t = t.loc[t["month_"].isin(done).to_numpy(dtype=bool)]
    monthly = funnel_rates(t, by=[by, "month_"])
    last = t["month_"].max()
    peer = {}
    if benchmarks is not None and not benchmarks.empty:
        peer = dict(zip(benchmarks["metric"].astype(str), benchmarks["p50"].astype(float), strict=True))
    rows = []
    stages = [s for s, _, _ in STAGES]
    for group, g in monthly.groupby(level=0, observed=True):
        g = g.droplevel(0)
        cur = g.loc[last] if last in g.index else pd.Series(np.nan, index=stages)
        hist = g.loc[g.index < last].median() if (g.index < last).any() else pd.Series(np.nan, index=stages)
        b_hist = bottleneck(cur.to_dict(), hist.to_dict(), tolerance)
        b_peer = bottleneck(cur.to_dict(), peer, tolerance)
        for s in stages:
            p = peer.get(s, np.nan)
            rows.append({by: group, "stage": s, "current": cur[s], "history": hist[s], "peer_p50": p,
                         "vs_history": cur[s] / hist[s] - 1 if pd.notna(hist[s]) and hist[s] else np.nan,
                         "vs_peer": cur[s] / p - 1 if pd.notna(p) and p else np.nan,
                         "bottleneck_history": b_hist[0], "bottleneck_peer": b_peer[0]})
    out = pd.DataFrame(rows)
    out = out[out[["current", "history"]].notna().any(axis=1)].reset_index(drop=True)
    out.attrs["month"] = str(pd.Timestamp(last).to_period("M"))
    out.attrs["partial"] = partial
    return out
