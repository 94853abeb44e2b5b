"""GPM trend modelling and the snowball: series, calendar, trend, forecast, backtest,
regimes, snowball and batch fitting.

::

    from fact_toolkit.models import daily_series, fit_snowball, snowball_table, forecast_metric
    s = daily_series(ft.load("data/sample"), by="account_id")
    snowball_table(ft.load("data/sample"), by="account_id")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # the names for type checkers and IDEs; at run time they load on first use
    from .backtest import rolling_origin, seasonal_naive
    from .batch import fit_many, one_blas_thread
    from .calendar import campaign_frame, holiday_frame, regressors
    from .forecast import ForecastResult, forecast_metric, forecast_series, min_forecast_days
    from .regimes import regime_changes
    from .series import daily_series, rolling_gpm, split_groups
    from .snowball import SnowballResult, fit_snowball, min_days, snowball_table, verdict_text
    from .trend import StructuralResult, decompose, fit_structural

#: public name → submodule defining it (imported on first use, see :mod:`fact_toolkit._lazy`)
_WHERE = {
    "rolling_origin": ".backtest",
    "seasonal_naive": ".backtest",
    "fit_many": ".batch",
    "one_blas_thread": ".batch",
    "campaign_frame": ".calendar",
    "holiday_frame": ".calendar",
    "regressors": ".calendar",
    "ForecastResult": ".forecast",
    "forecast_metric": ".forecast",
    "forecast_series": ".forecast",
    "min_forecast_days": ".forecast",
    "regime_changes": ".regimes",
    "daily_series": ".series",
    "rolling_gpm": ".series",
    "split_groups": ".series",
    "SnowballResult": ".snowball",
    "fit_snowball": ".snowball",
    "min_days": ".snowball",
    "snowball_table": ".snowball",
    "verdict_text": ".snowball",
    "StructuralResult": ".trend",
    "decompose": ".trend",
    "fit_structural": ".trend",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

__all__ = [
    "ForecastResult", "SnowballResult", "StructuralResult", "campaign_frame", "daily_series", "decompose",
    "fit_many", "fit_snowball", "fit_structural", "forecast_metric", "forecast_series", "holiday_frame",
    "min_days", "min_forecast_days", "one_blas_thread", "regime_changes", "regressors", "rolling_gpm",
    "rolling_origin", "seasonal_naive", "snowball_table", "split_groups", "verdict_text",
]
