"""Regime changes: days where the level of GPM shifts (``ruptures``, PELT).

The signal is the daily log GPM (ratio of sums per day) with its weekday pattern
removed; PELT with an L2 cost finds the change points and a penalty ``10 · log(n) · σ²``
(σ from the median absolute day-to-day change, so outliers do not inflate it) keeps it
from chasing noise.  The search is ``ruptures.Pelt(model="l2")``'s algorithm step for
step (same admissible set, pruning rule and tie-breaking), with the segment costs of
all candidates computed at once from cumulative sums instead of one ``numpy.var`` call
per candidate — hundreds of times faster on two years of days.  GPM that drifts slowly has no sharp regime change; expect a few
flags a year on such a series, each a real shift in the level.  Each change is reported with its date and the levels before and after.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..metrics import ratio
from .series import gpm_money

__all__ = ["regime_changes", "pelt_l2"]


def pelt_l2(signal: np.ndarray, pen: float, *, min_size: int = 2, jump: int = 1) -> list[int]:
    """Penalised change points of a 1-d signal under an L2 cost (PELT).

    The same recursion, pruning and tie-breaking as ``ruptures.Pelt(model="l2",
    min_size=min_size, jump=jump).fit(signal).predict(pen)``; the cost of a segment
    ``[a, b)`` (its sum of squared deviations from its mean) comes from cumulative sums of
    the centred signal, so each step scores every admissible start in one vector operation.

    Parameters
    ----------
    signal : array
        Finite values, shape ``(n,)`` or ``(n, 1)``.
    pen : float
        Penalty per segment (> 0).
    min_size, jump : int
        Shortest segment; breakpoints only at multiples of ``jump``.

    Returns
    -------
    list of int
        Sorted segment ends, the last one ``n`` (``ruptures``' convention).

    Examples
    --------
    >>> pelt_l2(np.r_[np.zeros(30), np.ones(30)], pen=1.0, min_size=5)
    [30, 60]
    """
    col = np.asarray(signal, dtype=float).reshape(-1, 1)
    n = len(col)
    min_size = max(int(min_size), 1)
    if min_size > n:
        raise ValueError(f"a segment needs {min_size} points; the signal has {n}")
    x = col[:, 0] - col[:, 0].mean()
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    tol = 1e-9 * (float(s2[-1]) + abs(pen) + 1.0)  # far above the rounding of the cumulative sums
    total = np.full(n + 1, np.nan)  # cost of the best partition of signal[0:t]
    total[0] = 0.0
    start = np.full(n + 1, -1, dtype=np.intp)  # start of its last segment
    exact: dict[int, float] = {0: 0.0}

    def exact_total(t: int) -> float:
        # ruptures' own arithmetic: sum of (var × length + pen) along the partition, in order
        if t not in exact:
            chain, u = [], t
            while u > 0:
                chain.append((int(start[u]), u))
                u = int(start[u])
            acc = 0.0
            for a, b in reversed(chain):
                acc = acc + (col[a:b].var(axis=0).sum() * (b - a) + pen)
            exact[t] = acc
        return exact[t]

    adm = np.empty(0, dtype=np.intp)
    ends = [k for k in range(0, n, jump) if k >= min_size] + [n]
    for bkp in ends:
        adm = np.append(adm, (bkp - min_size) // jump * jump)
        cand = adm[~np.isnan(total[adm])]  # starts with a partition of signal[0:t]
        if not len(cand):
            adm = cand
            continue
        seg = s1[bkp] - s1[cand]
        cost = np.maximum((s2[bkp] - s2[cand]) - seg * seg / (bkp - cand), 0.0)
        sub = total[cand] + (cost + pen)
        i = int(np.argmin(sub))
        near = np.abs(sub - sub[i]) <= tol
        near[i] = False
        if near.any() or (np.abs(sub - (sub[i] + pen)) <= tol).any():
            # a tie (or a pruning decision) rounding could flip: decide it exactly as ruptures does.
            # Only the starts within reach of the tie or of the pruning bound need ruptures' own
            # arithmetic (3 tol: the bound moves with the exact minimum); elsewhere the cumulative
            # sums' rounding is far below tol and cannot change either decision.
            close = (np.abs(sub - sub[i]) <= tol) | (np.abs(sub - (sub[i] + pen)) <= 3 * tol)
            sub = sub.copy()
            for j in np.flatnonzero(close):
                t = int(cand[j])
                sub[j] = exact_total(t) + (col[t:bkp].var(axis=0).sum() * (bkp - t) + pen)
            i = int(np.argmin(sub))
            exact[bkp] = float(sub[i])
        total[bkp] = sub[i]
        start[bkp] = cand[i]
        # ruptures pairs the admissible list with the sub-problems (zip): mirror it
        adm = adm[:len(cand)][sub <= sub[i] + pen]
    out, t = [], n
    while t > 0:
        out.append(int(t))
        t = int(start[t])
    return sorted(out)


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
    cols = ["date", "gpm_before", "gpm_after", "change_pct"]
    num = gpm_money(series)  # paid amount (else GMV) on rows with views: paired with the denominator
    views = pd.to_numeric(series["view_pv"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        sig = pd.Series(np.log(ratio("gpm", num, views)))
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
    bkps = pelt_l2(sig, penalty, min_size=min_size, jump=1)
    edges = [0, *bkps]
    rows = []
    for i in range(1, len(edges) - 1):
        a, b, c = edges[i - 1], edges[i], edges[i + 1]
        va, vb = np.nansum(views[a:b]), np.nansum(views[b:c])
        before = ratio("gpm", np.nansum(num[a:b]), va)
        after = ratio("gpm", np.nansum(num[b:c]), vb)
        rows.append({"date": pd.Timestamp(series["date"].iloc[b]), "gpm_before": round(float(before), 2),
                     "gpm_after": round(float(after), 2), "change_pct": (after / before - 1) * 100})
    return pd.DataFrame(rows, columns=cols)
