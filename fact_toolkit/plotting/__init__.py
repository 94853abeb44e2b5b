"""Plots: ``plot_*(…, ax=None) -> Axes``, seaborn's function API, Chinese text rendered.

Each area of analysis has its own module; this package re-exports their public names.
"""

from __future__ import annotations

from ._style import CJK_FONTS, FontWarning, get_ax, label, setup_fonts
from .overview import plot_channel_metric

__all__ = ["CJK_FONTS", "FontWarning", "get_ax", "label", "setup_fonts", "plot_channel_metric"]
