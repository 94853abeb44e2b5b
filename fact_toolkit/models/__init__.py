"""GPM trend modelling and the snowball: series, calendar, trend, forecast, backtest,
regimes, snowball and batch fitting.

::

    from fact_toolkit.models import daily_series, fit_snowball, snowball_table, forecast_metric
    s = daily_series(ft.load("data/sample"), by="account_id")
    snowball_table(ft.load("data/sample"), by="account_id")
    channel_elasticity(ft.load("data/sample"), "F")   # the channel's accounts pooled
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from .backtest import rolling_origin, seasonal_naive
    from .batch import fit_many, one_blas_thread
    from .calendar import campaign_frame, holiday_frame, regressors
    from .forecast import ForecastResult, forecast_metric, forecast_series, min_forecast_days
    from .regimes import regime_changes
    from .series import daily_series, rolling_gpm, split_groups
    from .snowball import SnowballResult, fit_snowball, min_days, min_detectable, snowball_table, verdict_text
    from .snowball_panel import ChannelElasticity, channel_elasticity, fit_snowball_panel, snowball_channels
    from .trend import StructuralResult, decompose, fit_structural

__getattr__, __dir__ = lazy_exports(__name__, __file__)

__all__ = [
    "ChannelElasticity", "ForecastResult", "SnowballResult", "channel_elasticity", "fit_snowball_panel",
    "min_detectable", "snowball_channels", "StructuralResult", "campaign_frame", "daily_series", "decompose",
    "fit_many", "fit_snowball", "fit_structural", "forecast_metric", "forecast_series", "holiday_frame",
    "min_days", "min_forecast_days", "one_blas_thread", "regime_changes", "regressors", "rolling_gpm",
    "rolling_origin", "seasonal_naive", "snowball_table", "split_groups", "verdict_text",
]
