"""Rolling-origin backtests against a seasonal-naive baseline: MASE, MAPE, coverage.

A forecaster here is a function ``(history, future_dates, train_index) -> frame`` where
``history`` is the log series up to the origin; it returns ``forecast, lower, upper``
(log scale) for the next ``horizon`` days.  :func:`rolling_origin` moves the origin back
``step`` days at a time over ``folds`` origins, compares each forecast with what really
happened, and scores on the original scale:

* **MASE** — mean absolute error ÷ the in-sample mean absolute error of the weekly
  seasonal-naive forecast on the training data (< 1 beats "same day last week").
* **MAPE** — mean absolute percentage error (days with a positive actual).
* **coverage** — share of actual days inside the prediction interval (target: its level).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["seasonal_naive", "rolling_origin", "score", "BACKTEST_COLUMNS"]

BACKTEST_COLUMNS = ["model", "mase", "mape", "coverage", "folds", "points"]

Forecaster = Callable[[np.ndarray, int], pd.DataFrame]


def seasonal_naive(history: np.ndarray, horizon: int, *, period: int = 7, level: float = 0.95) -> pd.DataFrame:
    """Same day last week, with intervals from the history's own seasonal-naive errors.

    Parameters
    ----------
    history : array
        Log values up to the origin (NaN for missing days).
    horizon : int
        Days ahead.

    Returns
    -------
    pandas.DataFrame
        ``forecast, lower, upper`` (log scale), ``horizon`` rows.

    Examples
    --------
    >>> h = np.log(np.tile([1.0, 2, 3, 4, 5, 6, 7], 3))
    >>> np.exp(seasonal_naive(h, 8)["forecast"]).round().tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 1.0]
    """
    y = pd.Series(np.asarray(history, dtype=float))
    # the last observed value of each weekday
    last = y.copy()
    for _ in range(8):  # fill a missing day from the same weekday earlier
        last = last.fillna(last.shift(period))
    tail = last.to_numpy()[-period:]
    fc = np.array([tail[(i % period)] for i in range(horizon)])
    steps = np.arange(horizon) // period + 1  # how many weeks back the forecast reaches
    err = {k: (y - y.shift(period * k)).dropna().to_numpy() for k in np.unique(steps)}
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    lower = np.array([fc[i] + (np.quantile(err[s], lo_q) if len(err[s]) > 5 else -np.inf) for i, s in enumerate(steps)])
    upper = np.array([fc[i] + (np.quantile(err[s], hi_q) if len(err[s]) > 5 else np.inf) for i, s in enumerate(steps)])
    return pd.DataFrame({"forecast": fc, "lower": lower, "upper": upper})


def score(actual: np.ndarray, forecast: pd.DataFrame, train: np.ndarray, period: int = 7) -> dict[str, float]:
    """Errors of one forecast on the original scale (inputs on the log scale).

    Returns ``abs_err`` sum, ``ape`` sum, ``covered``, ``n`` (points with an actual),
    ``n_pos`` and ``scale`` (in-sample seasonal-naive MAE).
    """
    a = np.exp(np.asarray(actual, dtype=float))
    f = np.exp(forecast["forecast"].to_numpy())
    lo, hi = np.exp(forecast["lower"].to_numpy()), np.exp(forecast["upper"].to_numpy())
    ok = np.isfinite(a) & np.isfinite(f)
    tr = np.exp(np.asarray(train, dtype=float))
    naive_err = np.abs(tr[period:] - tr[:-period])
    scale = float(np.nanmean(naive_err)) if np.isfinite(naive_err).any() else math.nan
    return {"abs_err": float(np.abs(a[ok] - f[ok]).sum()), "ape": float((np.abs(a[ok] - f[ok]) / a[ok]).sum()),
            "covered": float(((a[ok] >= lo[ok]) & (a[ok] <= hi[ok])).sum()), "n": int(ok.sum()), "scale": scale}


def rolling_origin(y: np.ndarray, forecasters: dict[str, Forecaster], *, horizon: int = 28, folds: int = 4,
                   step: int = 7, min_train: int = 56) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backtest each forecaster on ``folds`` rolling origins.

    Parameters
    ----------
    y : array
        The whole log series (NaN for missing days).
    forecasters : dict
        ``{name: f(history, horizon) -> DataFrame(forecast, lower, upper)}``.
    horizon, folds, step : int
        Days ahead, number of origins, days between origins (the last origin leaves
        ``horizon`` days to score).
    min_train : int
        Fewest training days; origins that would leave fewer are skipped.

    Returns
    -------
    (summary, points) : tuple of DataFrame
        ``summary``: one row per model with ``model, mase, mape, coverage, folds,
        points`` (MAPE and coverage as fractions); ``points``: every scored day with
        ``model, origin, step, actual, forecast, lower, upper`` (original scale).
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    origins = [n - horizon - k * step for k in range(folds)]
    origins = sorted(o for o in origins if o >= min_train)
    rows, pts = [], []
    for name, fn in forecasters.items():
        acc = {"abs_err": 0.0, "ape": 0.0, "covered": 0.0, "n": 0, "mase_terms": []}
        for o in origins:
            fc = fn(y[:o], horizon)
            actual = y[o:o + horizon]
            sc = score(actual, fc, y[:o])
            acc["abs_err"] += sc["abs_err"]
            acc["ape"] += sc["ape"]
            acc["covered"] += sc["covered"]
            acc["n"] += sc["n"]
            if sc["n"] and sc["scale"] > 0:
                acc["mase_terms"].append(sc["abs_err"] / sc["n"] / sc["scale"])
            pts.append(pd.DataFrame({"model": name, "origin": o, "step": np.arange(1, horizon + 1),
                                     "actual": np.exp(actual), "forecast": np.exp(fc["forecast"].to_numpy()),
                                     "lower": np.exp(fc["lower"].to_numpy()), "upper": np.exp(fc["upper"].to_numpy())}))
        m = acc["n"]
        rows.append({"model": name,
                     "mase": float(np.mean(acc["mase_terms"])) if acc["mase_terms"] else math.nan,
                     "mape": acc["ape"] / m if m else math.nan,
                     "coverage": acc["covered"] / m if m else math.nan,
                     "folds": len(origins), "points": m})
    summary = pd.DataFrame(rows, columns=BACKTEST_COLUMNS)
    points = pd.concat(pts, ignore_index=True) if pts else pd.DataFrame(
        columns=["model", "origin", "step", "actual", "forecast", "lower", "upper"])
    return summary, points


def _normal_interval(mean: np.ndarray, se: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    z = stats.norm.ppf(1 - (1 - level) / 2)
    return mean - z * se, mean + z * se
