"""Plots: ``plot_*(…, ax=None) -> Axes``, seaborn's function API, Chinese text rendered.

Each area of analysis has its own module; this package re-exports their public names.
"""

from __future__ import annotations

from ._style import CJK_FONTS, FontChoice, FontWarning, font_choice, get_ax, label, setup_fonts
from .diagnosis import (
    plot_campaign_uplift,
    plot_capabilities,
    plot_channel_mix,
    plot_content_forms,
    plot_crowd,
    plot_funnel,
    plot_gpm_vs_roi,
    plot_halo,
    plot_label_dispersion,
    plot_opportunities,
    plot_section,
    plot_session_gpm,
    plot_talent_matrix,
)
from .overview import plot_channel_metric
from .plan import plot_plan_waterfall
from .whatif import plot_whatif_channels, plot_whatif_path
from .trends import (
    plot_backtest,
    plot_components,
    plot_effects,
    plot_forecast,
    plot_irf,
    plot_regimes,
    plot_series,
    plot_snowball,
)

__all__ = [
    "CJK_FONTS",
    "FontChoice",
    "FontWarning",
    "font_choice",
    "get_ax",
    "label",
    "setup_fonts",
    "plot_channel_metric",
    # action plan
    "plot_plan_waterfall",
    # channel diagnosis
    "plot_campaign_uplift",
    "plot_capabilities",
    "plot_channel_mix",
    "plot_content_forms",
    "plot_crowd",
    "plot_funnel",
    "plot_gpm_vs_roi",
    "plot_halo",
    "plot_label_dispersion",
    "plot_opportunities",
    "plot_section",
    "plot_session_gpm",
    "plot_talent_matrix",
    # GPM trends and the snowball
    "plot_backtest",
    "plot_components",
    "plot_effects",
    "plot_forecast",
    "plot_irf",
    "plot_regimes",
    "plot_series",
    "plot_snowball",
    # what-if
    "plot_whatif_channels",
    "plot_whatif_path",
]
