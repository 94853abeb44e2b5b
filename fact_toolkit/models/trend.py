"""Decomposition and structural trend models of log GPM and log views.

* :func:`decompose` — STL with a weekly period (robust), on the log series.
* :func:`fit_structural` — :class:`statsmodels.tsa.statespace.structural.UnobservedComponents`
  with a local linear trend, a weekly seasonal and campaign / holiday regressors
  (:mod:`fact_toolkit.models.calendar`).  Missing days stay missing (the Kalman filter
  skips them).  Warnings raised while fitting (``ConvergenceWarning`` and friends) are
  recorded in the result and ``converged`` says whether the optimiser converged — a fit
  that did not converge is reported, not hidden.

A structural fit is deterministic, so :func:`fit_uc` keeps the last few fits in memory,
keyed by a hash of the values, the regressors and the settings: the forecast's final fit
on all days and :func:`fit_structural` on the same series share one optimisation (the
notebook fits each once instead of twice).
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .calendar import REGRESSOR_LABELS, regressors

__all__ = ["METRIC_COLUMNS", "log_metric", "decompose", "StructuralResult", "fit_structural", "uc_model",
           "fit_uc"]

#: metrics a trend model can be fitted to, and the column each reads from a series frame
METRIC_COLUMNS: dict[str, str] = {"gpm": "gpm", "views": "view_pv", "gmv": "gmv", "paid_amount": "paid_amount",
                                  "exposure": "exposure_pv"}


def log_metric(series: pd.DataFrame, metric: str) -> pd.Series:
    """``log`` of a metric of a daily series; non-positive or missing days are NaN.

    ``gmv`` falls back to ``paid_amount`` when the series has no GMV.
    """
    if metric not in METRIC_COLUMNS:
        raise KeyError(f"unknown metric {metric!r}; use one of {', '.join(METRIC_COLUMNS)}")
    col = METRIC_COLUMNS[metric]
    if col not in series or series[col].notna().sum() == 0:
        alt = {"gmv": "paid_amount", "exposure": "view_pv"}.get(metric)
        if alt is None or alt not in series:
            raise KeyError(f"no {col} in the series")
        col = alt
    v = pd.to_numeric(series[col], errors="coerce").astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.log(v.where(v > 0)).to_numpy(), index=series.index, name=f"log_{metric}")


def decompose(series: pd.DataFrame, metric: str = "gpm", *, period: int = 7, robust: bool = True) -> pd.DataFrame:
    """STL decomposition of a log metric (missing days interpolated for STL only).

    Returns
    -------
    pandas.DataFrame
        ``date, observed, trend, seasonal, resid, interpolated`` on the log scale.

    Examples
    --------
    >>> from fact_toolkit.sample import simulate_account
    >>> from fact_toolkit.models.series import daily_series
    >>> d = decompose(daily_series(simulate_account(1, days=120), by=None), "views")
    >>> list(d.columns)
    ['date', 'observed', 'trend', 'seasonal', 'resid', 'interpolated']
    """
    from statsmodels.tsa.seasonal import STL

    y = log_metric(series, metric)
    if y.notna().sum() < 2 * period + 1:
        raise ValueError(f"not enough data ({int(y.notna().sum())} days, need {2 * period + 1})")
    filled = y.interpolate(limit_direction="both")
    res = STL(filled.to_numpy(), period=period, robust=robust).fit()
    return pd.DataFrame({"date": series["date"].to_numpy(), "observed": y.to_numpy(), "trend": res.trend,
                         "seasonal": res.seasonal, "resid": res.resid, "interpolated": y.isna().to_numpy()})


@dataclass
class StructuralResult:
    """An UnobservedComponents fit of one log metric.

    Attributes
    ----------
    metric : str
    n_days : int
    converged : bool
        The optimiser reported convergence and no ConvergenceWarning was raised.
    warnings : list of str
        Every warning raised while fitting.
    components : pandas.DataFrame
        ``date, observed, level, trend, seasonal, regression, fitted`` (log scale,
        smoothed states).
    effects : pandas.DataFrame
        Per regressor: ``regressor, label_zh, label_en, coef, ci_low, ci_high,
        effect_pct`` (``exp(coef) - 1``, with its interval) and ``p_value``.
    exog_columns : list of str
        Regressors in the model (constant ones dropped).
    result : statsmodels results
        The fitted statsmodels object (for forecasting).
    """

    metric: str
    n_days: int
    converged: bool
    warnings: list[str]
    components: pd.DataFrame
    effects: pd.DataFrame
    exog_columns: list[str]
    result: Any = field(repr=False)
    aic: float = math.nan


def _exog(series: pd.DataFrame, calendar: pd.DataFrame | None, columns: list[str] | None = None) -> pd.DataFrame:
    reg = regressors(series["date"], series["campaign_id"] if "campaign_id" in series else None, calendar)
    if columns is not None:
        return reg.reindex(columns=columns, fill_value=0.0)
    keep = [c for c in reg.columns if reg[c].nunique() > 1 and reg[c].sum() >= 2]
    return reg[keep]


def uc_model(y: pd.Series | np.ndarray, exog: pd.DataFrame | np.ndarray | None) -> Any:
    """The structural model used here (local linear trend + weekly seasonal + regressors)."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    return UnobservedComponents(y, level="local linear trend", seasonal=7, exog=exog,
                                stochastic_seasonal=True)


_FITS: OrderedDict[str, tuple[Any, tuple[warnings.WarningMessage, ...]]] = OrderedDict()
_FITS_KEPT = 8


def _fit_key(y: np.ndarray, exog: pd.DataFrame | None, name: str | None, maxiter: int) -> str:
    h = hashlib.sha256()
    y = np.ascontiguousarray(y, dtype=float)
    h.update(repr((name, maxiter, y.shape)).encode())
    h.update(y.tobytes())
    if exog is not None:
        h.update(repr((list(map(str, exog.columns)), [str(t) for t in exog.dtypes], exog.shape)).encode())
        h.update(np.ascontiguousarray(exog.to_numpy(dtype=float)).tobytes())
    return h.hexdigest()


def fit_uc(y: np.ndarray, exog: pd.DataFrame | None, *, maxiter: int = 1000,
           name: str | None = None) -> tuple[Any, tuple[warnings.WarningMessage, ...]]:
    """Fit :func:`uc_model` by L-BFGS and return the results with the warnings raised.

    The fit is deterministic: the last few fits are kept in memory, keyed by a SHA-256 of
    ``y``, ``exog`` (names, dtypes, values), ``name`` and ``maxiter``, and the same
    inputs return the same results object (do not modify it).

    Parameters
    ----------
    y : array
        The log series (NaN for missing days).
    exog : DataFrame or None
        Regressors, one row per day of ``y`` (index 0..n-1).
    maxiter : int
        Optimiser iterations.
    name : str, optional
        Name of the endogenous series (shown in statsmodels' summaries).

    Returns
    -------
    (results, warnings)
        The statsmodels results and every warning caught while building and fitting.
    """
    key = _fit_key(y, exog, name, maxiter)
    hit = _FITS.get(key)
    if hit is not None:
        _FITS.move_to_end(key)
        return hit
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = uc_model(pd.Series(y, name=name), exog).fit(method="lbfgs", maxiter=maxiter, disp=False)
    out = (res, tuple(caught))
    _FITS[key] = out
    while len(_FITS) > _FITS_KEPT:
        _FITS.popitem(last=False)
    return out


def fit_structural(series: pd.DataFrame, metric: str = "gpm", *, calendar: pd.DataFrame | None = None,
                   maxiter: int = 1000, exog: bool = True) -> StructuralResult:
    """Fit the structural model to a log metric of one group's daily series.

    Parameters
    ----------
    series : pandas.DataFrame
        One group's rows from :func:`fact_toolkit.models.series.daily_series`.
    metric : {"gpm", "views", "gmv", "exposure"}
        What to model (on the log scale).
    calendar : pandas.DataFrame, optional
        Campaign calendar (shipped one when None).
    maxiter : int, default 1000
        Optimiser iterations (L-BFGS).
    exog : bool, default True
        Use campaign and holiday regressors.

    Returns
    -------
    StructuralResult
    """
    from .batch import one_blas_thread

    y = log_metric(series, metric).to_numpy()
    if np.isfinite(y).sum() < 28:
        raise ValueError(f"not enough data ({int(np.isfinite(y).sum())} days, need 28)")
    if np.nanstd(y) < 1e-9:
        raise ValueError(f"{metric} is constant: nothing to model")
    x = _exog(series, calendar) if exog else pd.DataFrame(index=series.index)
    cols = list(x.columns)
    with one_blas_thread():
        res, caught = fit_uc(y, x.reset_index(drop=True) if cols else None, maxiter=maxiter, name=f"log_{metric}")
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    converged = bool(res.mle_retvals.get("converged", True)) and not any(
        issubclass(w.category, ConvergenceWarning) for w in caught)
    level = np.asarray(res.level.smoothed) if res.level is not None else np.full(len(y), np.nan)
    trend = res.trend.smoothed if res.trend is not None else np.zeros(len(y))
    seas = res.seasonal.smoothed if res.seasonal is not None else np.zeros(len(y))
    regp = np.array([res.params[f"beta.{c}"] for c in cols]) if cols else np.zeros(0)
    regression = x.to_numpy() @ regp if cols else np.zeros(len(y))
    comps = pd.DataFrame({"date": series["date"].to_numpy(), "observed": y, "level": level, "trend": trend,
                          "seasonal": seas, "regression": regression, "fitted": level + seas + regression})
    rows = []
    z = stats.norm.ppf(0.975)
    for c in cols:
        name = f"beta.{c}"
        coef, se = float(res.params[name]), float(res.bse[name])
        lo, hi = coef - z * se, coef + z * se
        zh, en = REGRESSOR_LABELS.get(c, (c, c))
        rows.append({"regressor": c, "label_zh": zh, "label_en": en, "coef": coef, "ci_low": lo, "ci_high": hi,
                     "effect_pct": math.expm1(coef) * 100, "effect_low_pct": math.expm1(lo) * 100,
                     "effect_high_pct": math.expm1(hi) * 100, "p_value": float(res.pvalues[name])})
    effects = pd.DataFrame(rows, columns=["regressor", "label_zh", "label_en", "coef", "ci_low", "ci_high",
                                          "effect_pct", "effect_low_pct", "effect_high_pct", "p_value"])
    return StructuralResult(metric, int(len(y)), converged, messages, comps, effects, cols, res, float(res.aic))
