"""Forecasts of GPM, views and GMV with prediction intervals, chosen by backtest.

Every forecast comes with its backtest (:mod:`fact_toolkit.models.backtest`): each
candidate — the weekly seasonal-naive baseline and the structural model
(:func:`fact_toolkit.models.trend.uc_model`, with the campaign / holiday calendar known
for future days) — is scored on rolling origins, and the one with the lowest MASE makes
the forecast.  Models work on the log scale; forecasts and intervals are transformed back
(so they are medians, and the intervals are never negative).

For speed the structural model's parameters are estimated once, on the data before the
earliest backtest origin, and re-used (filtered, not re-fitted) at the later origins — no
look-ahead; the final forecast re-fits on all days (through
:func:`fact_toolkit.models.trend.fit_uc`, so :func:`~fact_toolkit.models.trend.fit_structural`
on the same series re-uses that fit).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .backtest import BACKTEST_COLUMNS, rolling_origin, seasonal_naive
from .trend import _exog, fit_uc, log_metric

__all__ = ["ForecastResult", "forecast_metric", "forecast_series", "MODELS", "min_forecast_days"]

MODELS = ("seasonal_naive", "structural")


def min_forecast_days(horizon: int = 28, folds: int = 4, step: int = 7) -> int:
    """Days a series needs for a forecast with its backtest.

    Examples
    --------
    >>> min_forecast_days(28)
    105
    """
    return 56 + horizon + (folds - 1) * step


@dataclass
class ForecastResult:
    """A forecast of one metric of one group, with the backtest that chose its model.

    Attributes
    ----------
    group, metric : str
    model : str
        The model chosen by backtest MASE (``""`` when nothing could be forecast).
    horizon : int
    level : float
        Interval level.
    table : pandas.DataFrame
        ``date, forecast, lower, upper, model`` (original scale).
    history : pandas.DataFrame
        ``date, actual``.
    backtest : pandas.DataFrame
        ``model, mase, mape, coverage, folds, points`` (one row per candidate).
    converged : bool
        The structural fit converged (True when it was not needed).
    messages : list of str
        What went wrong or was noted, in words.
    """

    group: str
    metric: str
    model: str
    horizon: int
    level: float
    table: pd.DataFrame
    history: pd.DataFrame
    backtest: pd.DataFrame
    converged: bool = True
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings, NaN as None)."""
        def clean(v: Any) -> Any:
            if isinstance(v, pd.Timestamp):
                return v.strftime("%Y-%m-%d")
            if isinstance(v, float) and not math.isfinite(v):
                return None
            if hasattr(v, "item"):
                return clean(v.item())
            return v

        return {"group": self.group, "metric": self.metric, "model": self.model, "horizon": self.horizon,
                "level": self.level, "converged": self.converged, "messages": self.messages,
                "backtest": [{k: clean(v) for k, v in r.items()} for r in self.backtest.to_dict("records")],
                "forecast": [{k: clean(v) for k, v in r.items()}
                             for r in self.table.drop(columns="model").to_dict("records")]}


class _Structural:
    """UC forecaster: parameters fitted once on the first training window, then filtered."""

    def __init__(self, exog: pd.DataFrame, level: float, maxiter: int, name: str | None = None) -> None:
        self.exog = exog
        self.level = level
        self.maxiter = maxiter
        self.name = name
        self.res: Any = None
        self.converged = True
        self.warnings: list[str] = []

    def _x(self, a: int, b: int) -> pd.DataFrame | None:
        return self.exog.iloc[a:b].reset_index(drop=True) if self.exog.shape[1] else None

    def fit(self, y: np.ndarray) -> Any:
        from statsmodels.tools.sm_exceptions import ConvergenceWarning

        res, caught = fit_uc(y, self._x(0, len(y)), maxiter=self.maxiter, name=self.name)
        self.warnings += [f"{w.category.__name__}: {w.message}" for w in caught]
        ok = bool(res.mle_retvals.get("converged", True)) and not any(
            issubclass(w.category, ConvergenceWarning) for w in caught)
        self.converged = self.converged and ok
        return res

    def __call__(self, history: np.ndarray, horizon: int) -> pd.DataFrame:
        n = len(history)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if self.res is None:
                self.res = self.fit(history)
                res = self.res
            else:
                res = self.res.apply(pd.Series(history), exog=self._x(0, n), refit=False)
            pred = res.get_forecast(horizon, exog=self._x(n, n + horizon))
            mean = np.asarray(pred.predicted_mean, dtype=float)
            ci = np.asarray(pred.conf_int(alpha=1 - self.level), dtype=float)
        self.warnings += [f"{w.category.__name__}: {w.message}" for w in caught]
        return pd.DataFrame({"forecast": mean, "lower": ci[:, 0], "upper": ci[:, 1]})


def forecast_metric(series: pd.DataFrame, metric: str = "gpm", horizon: int = 28, *,
                    models: tuple[str, ...] = MODELS, folds: int = 4, step: int = 7, level: float = 0.95,
                    calendar: pd.DataFrame | None = None, maxiter: int = 1000, group: str = "all") -> ForecastResult:
    """Forecast one metric ``horizon`` days ahead, choosing the model by backtest.

    Parameters
    ----------
    series : pandas.DataFrame
        One group's rows of :func:`fact_toolkit.models.series.daily_series`.
    metric : {"gpm", "views", "gmv"}
    horizon : int, default 28
    models : tuple of str
        Candidates among ``seasonal_naive`` and ``structural``.
    folds, step : int
        Backtest origins and days between them.
    level : float, default 0.95
        Prediction-interval level.

    Returns
    -------
    ForecastResult
        With an empty table and a message when the series is too short or constant.
    """
    from .batch import one_blas_thread

    empty = pd.DataFrame(columns=["date", "forecast", "lower", "upper", "model"])
    y_s = log_metric(series, metric)
    y = y_s.to_numpy()
    history = pd.DataFrame({"date": series["date"].to_numpy(), "actual": np.exp(y)})
    need = min_forecast_days(horizon, folds, step)
    n_obs = int(np.isfinite(y).sum())
    bt_empty = pd.DataFrame(columns=BACKTEST_COLUMNS)
    if n_obs < need:
        return ForecastResult(group, metric, "", horizon, level, empty, history, bt_empty, True,
                              [f"not enough data ({n_obs} days, need {need})"])
    if np.nanstd(y) < 1e-9:
        return ForecastResult(group, metric, "", horizon, level, empty, history, bt_empty, True,
                              [f"not available: {metric} is constant"])
    last = pd.Timestamp(series["date"].iloc[-1])
    future = pd.date_range(last + pd.Timedelta(days=1), periods=horizon, freq="D")
    all_dates = pd.concat([series["date"], pd.Series(future)], ignore_index=True)
    hist_exog = _exog(series, calendar)
    cols = list(hist_exog.columns)
    frame = pd.DataFrame({"date": all_dates, "campaign_id": pd.concat(
        [series["campaign_id"] if "campaign_id" in series else pd.Series(pd.NA, index=series.index),
         pd.Series(pd.NA, index=range(horizon))], ignore_index=True)})
    exog = _exog(frame, calendar, columns=cols)
    cands: dict[str, Any] = {}
    for m in models:
        if m == "seasonal_naive":
            cands[m] = lambda h, k: seasonal_naive(h, k, level=level)
        elif m == "structural":
            cands[m] = _Structural(exog, level, maxiter, f"log_{metric}")
        else:
            raise ValueError(f"unknown model {m!r}; use {', '.join(MODELS)}")
    messages: list[str] = []
    with one_blas_thread():
        bt, _ = rolling_origin(y, cands, horizon=horizon, folds=folds, step=step)
        ranked = bt.dropna(subset=["mase"]).sort_values(["mase", "model"])
        chosen = str(ranked["model"].iloc[0]) if len(ranked) else "seasonal_naive"
        converged = True
        if chosen == "structural":
            final = _Structural(exog, level, maxiter, f"log_{metric}")
            fc = final(y, horizon)
            converged = final.converged
            if not converged:
                messages.append("the structural model did not converge on all days: " + "; ".join(final.warnings[:3]))
        else:
            fc = seasonal_naive(y, horizon, level=level)
        if "structural" in cands and not cands["structural"].converged:
            converged = False
            messages.append("the structural model did not converge in the backtest")
    table = pd.DataFrame({"date": future, "forecast": np.exp(fc["forecast"].to_numpy()),
                          "lower": np.exp(fc["lower"].to_numpy()), "upper": np.exp(fc["upper"].to_numpy()),
                          "model": chosen})
    gaps = int((~np.isfinite(y)).sum())
    if gaps:
        messages.append(f"{gaps} day(s) without a value (gaps or zero views) were treated as missing")
    return ForecastResult(group, metric, chosen, horizon, level, table, history, bt, converged, messages)


def forecast_series(series: pd.DataFrame, metrics: tuple[str, ...] = ("gpm", "views", "gmv"), horizon: int = 28,
                    **kw: Any) -> dict[str, ForecastResult]:
    """:func:`forecast_metric` for several metrics of one group."""
    return {m: forecast_metric(series, m, horizon, **kw) for m in metrics}
