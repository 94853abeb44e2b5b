"""Overview plots over :func:`fact_toolkit.metrics.summarize` output."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ._style import get_ax, label, metric_axis

__all__ = ["plot_channel_metric"]


def plot_channel_metric(summary: pd.DataFrame, metric: str = "gpm", *, lang: str = "zh",
                        ax: Axes | None = None) -> Axes:
    """Bar chart of one metric per group of a summary table.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`fact_toolkit.metrics.summarize` (groups in the index).
    metric : str
        A column of ``summary`` (a registered metric name).
    lang : {"zh", "en"}
        Label language.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import fact_toolkit as ft                                # doctest: +SKIP
    >>> plot_channel_metric(ft.load("data/sample").summary(), "gpm")  # doctest: +SKIP
    """
    ax = get_ax(ax)
    data = summary.reset_index()
    group = data.columns[0] if summary.index.nlevels == 1 else None
    if group is None:
        data["group"] = [" / ".join(map(str, k)) for k in summary.index]
        group = "group"
    data[group] = data[group].astype(str)
    sns.barplot(data=data, x=group, y=metric, ax=ax, color="#d9480f")
    ax.set(xlabel=label(str(group), lang), ylabel=label(metric, lang),
           title=f"{label(metric, lang)} · {label(str(group), lang)}")
    return metric_axis(ax, metric, "y", lang)
