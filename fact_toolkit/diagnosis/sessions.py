"""Live-session review (直播复盘): each session against its account's median and its peers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import LOWER_IS_BETTER, percentile_scores, row_rates

__all__ = ["SESSION_KPIS", "session_review", "best_and_worst"]

#: KPIs of a live session, in funnel order
SESSION_KPIS: tuple[str, ...] = ("gpm", "exposure_view_rate", "product_ctr", "click_order_rate", "aov",
                                 "avg_watch_sec", "refund_rate")


def _peer_band(value: float, p25: float, p50: float, p75: float, lower: bool) -> str:
    if pd.isna(value) or pd.isna(p50):
        return ""
    v, a, b, c = (-value, -p75, -p50, -p25) if lower else (value, p25, p50, p75)
    return "≥p75" if v >= c else "p50–p75" if v >= b else "p25–p50" if v >= a else "<p25"


def _peer_bands(values: np.ndarray, p25: float, p50: float, p75: float, lower: bool) -> list[str]:
    """:func:`_peer_band` of every value at once."""
    x = np.asarray(values, dtype=float)
    if pd.isna(p50):
        return [""] * len(x)
    v, a, b, c = (-x, -p75, -p50, -p25) if lower else (x, p25, p50, p75)
    band = np.select([np.isnan(x), v >= c, v >= b, v >= a], ["", "≥p75", "p50–p75", "p25–p50"], "<p25")
    return band.tolist()


def session_review(content: pd.DataFrame, benchmarks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per live session: KPIs, vs the account's own median, and the peer band.

    Parameters
    ----------
    content : DataFrame
        ``content`` rows; only ``content_type == "live"`` rows are reviewed.
    benchmarks : DataFrame, optional
        ``metric, p25, p50, p75``.

    Returns
    -------
    DataFrame
        ``content_id, date, fact_channel, account_name, paid_amount`` then for each KPI
        ``<kpi>`` (this session's ratio of sums), ``<kpi>_vs_own`` (÷ the account's median
        session − 1) and ``<kpi>_peer`` (band ``<p25`` … ``≥p75``), and ``peer_score``
        (0–100, mean of the benchmarked KPIs' percentile scores).

    Examples
    --------
    >>> t = pd.DataFrame({"content_id": ["s1", "s2", "s3"], "content_type": ["live"] * 3,
    ...                   "account_name": ["x"] * 3, "paid_amount": [100.0, 300.0, 200.0],
    ...                   "view_pv": [1000, 1000, 1000]})
    >>> session_review(t)["gpm_vs_own"].tolist()
    [-0.5, 0.5, 0.0]
    """
    if "content_type" in content:
        lives = content.loc[content["content_type"].eq("live").fillna(False).to_numpy(dtype=bool)]
    else:
        lives = content
    if lives.empty:
        return pd.DataFrame()
    kpis = list(SESSION_KPIS)
    rates = row_rates(lives, kpis)
    keep = [c for c in ("content_id", "date", "fact_channel", "account_name", "title", "paid_amount", "gmv")
            if c in lives]
    out = pd.concat([lives[keep].reset_index(drop=True), rates.reset_index(drop=True)], axis=1)
    acct = out["account_name"] if "account_name" in out else pd.Series("", index=out.index)
    peer = {}
    if benchmarks is not None and not benchmarks.empty:
        peer = {str(m): (float(a), float(b), float(c))
                for m, a, b, c in benchmarks[["metric", "p25", "p50", "p75"]].itertuples(index=False)}
    scores = []
    for k in kpis:
        med = out.groupby(acct, dropna=False)[k].transform("median")
        out[f"{k}_vs_own"] = out[k] / med.where(med != 0) - 1
        if k in peer:
            lower = k in LOWER_IS_BETTER
            vals = out[k].to_numpy(dtype=float, na_value=np.nan)
            out[f"{k}_peer"] = _peer_bands(vals, *peer[k], lower)
            scores.append(pd.Series(percentile_scores(vals, *peer[k], lower_is_better=lower)))
    out["peer_score"] = pd.concat(scores, axis=1).mean(axis=1) if scores else np.nan
    return out


def best_and_worst(review: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` sessions furthest above and below their account's median GPM, with why.

    ``why`` names the funnel KPI (not GPM itself) that moved most in the same direction as
    the session's GPM, e.g. ``click_order_rate +60%``.

    Returns
    -------
    DataFrame
        ``rank`` (``best``/``worst``), the review columns, ``why_kpi`` and ``why_change``.
    """
    if review.empty or review["gpm_vs_own"].notna().sum() == 0:
        return pd.DataFrame()
    r = review.dropna(subset=["gpm_vs_own"])
    best = r.nlargest(n, "gpm_vs_own").assign(rank="best")
    worst = r.nsmallest(n, "gpm_vs_own").assign(rank="worst")
    both = pd.concat([best, worst], ignore_index=True)
    drivers = [k for k in SESSION_KPIS if k != "gpm"]
    why_k, why_v = [], []
    for _, row in both.iterrows():
        moves = {}
        for k in drivers:
            v = row.get(f"{k}_vs_own", np.nan)
            if pd.isna(v):
                continue
            signed = -v if k in LOWER_IS_BETTER else v
            moves[k] = signed if row["rank"] == "best" else -signed
        if moves:
            k = max(moves, key=moves.get)
            why_k.append(k)
            why_v.append(row[f"{k}_vs_own"])
        else:
            why_k.append(None)
            why_v.append(np.nan)
    both["why_kpi"] = why_k
    both["why_change"] = why_v
    return both
