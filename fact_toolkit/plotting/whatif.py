"""What-if plots over a :class:`fact_toolkit.whatif.Scenario`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..metrics import ratio
from ..whatif import OUTPUT_METRICS, Scenario
from ._style import get_ax, metric_axis, setup_fonts

__all__ = ["plot_whatif_path", "plot_whatif_channels", "whatif_static_figure"]

_CASES = {"baseline": ("基线", "Baseline"), "scenario": ("情景", "Scenario")}
_PALETTE = {"基线": "#868e96", "Baseline": "#868e96", "情景": "#d9480f", "Scenario": "#d9480f"}
_ADDITIVE = ("exposure", "traffic", "views", "buyers", "paid_amount", "gmv", "net_gmv", "ad_spend", "commission")


def _metric_label(metric: str, lang: str) -> str:
    zh, en = OUTPUT_METRICS.get(metric, (metric, metric))
    return zh if lang == "zh" else en


def _check_metric(metric: str) -> None:
    if metric not in OUTPUT_METRICS:
        raise ValueError(f"metric {metric!r} is not a what-if output; use one of {', '.join(OUTPUT_METRICS)}")


def plot_whatif_path(scenario: Scenario, metric: str = "gmv", *, channel: str | None = None,
                     lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Week-by-week path of one metric, baseline beside scenario.

    Parameters
    ----------
    scenario : Scenario
        Output of :func:`fact_toolkit.whatif.run_scenario`.
    metric : str
        One of :data:`fact_toolkit.whatif.OUTPUT_METRICS` (``gmv``, ``gpm``, ``roi`` …).
    channel : str, optional
        One channel; the total over available channels when None (ratios from sums).
    lang : {"zh", "en"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from fact_toolkit import whatif                                     # doctest: +SKIP
    >>> plot_whatif_path(whatif.run_scenario(base, whatif.Levers(cvr=1.1)))  # doctest: +SKIP
    """
    _check_metric(metric)
    ax = get_ax(ax)
    p = scenario.path
    if channel is not None:
        data = p.loc[p["channel"] == channel, ["week", "case", metric]]
        where = channel
    else:
        data = _total_path(p, metric)
        where = "合计" if lang == "zh" else "total"
    i = 0 if lang == "zh" else 1
    data = data.assign(case=data["case"].map({k: v[i] for k, v in _CASES.items()}))
    if data[metric].notna().any():
        sns.lineplot(data=data, x="week", y=metric, hue="case", style="case", markers=True, dashes=False,
                     palette=_PALETTE, ax=ax)
        ax.legend(title="")
    else:
        ax.text(0.5, 0.5, "无数据" if lang == "zh" else "not available", ha="center", va="center",
                transform=ax.transAxes)
    ax.set(xlabel="周" if lang == "zh" else "week", ylabel=_metric_label(metric, lang),
           title=f"{_metric_label(metric, lang)} · {where}")
    return metric_axis(ax, metric, "y", lang)


def _total_path(p: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Sum over channels per week and case; GPM and ROI recomputed from the sums."""
    if metric in _ADDITIVE:
        out = p.groupby(["week", "case"], sort=True)[metric].sum(min_count=1).reset_index()
        return out
    if metric == "gpm":
        q = p.loc[p["views"].notna()]
        g = q.groupby(["week", "case"], sort=True)[["paid_amount", "views"]].sum().reset_index()
        g["gpm"] = ratio("gpm", g["paid_amount"], g["views"])
        return g[["week", "case", "gpm"]]
    q = p.loc[p["ad_spend"].notna() & (p["ad_spend"] > 0)]
    g = q.groupby(["week", "case"], sort=True)[["roi_amount", "ad_spend"]].sum().reset_index()
    g["roi"] = ratio("roi", g["roi_amount"], g["ad_spend"])
    if g.empty:
        return pd.DataFrame({"week": p["week"].unique(), "case": "scenario", "roi": np.nan})
    return g[["week", "case", "roi"]]


def plot_whatif_channels(scenario: Scenario, metric: str = "gmv", *, lang: str = "zh",
                         ax: Axes | None = None) -> Axes:
    """Horizon total of one metric per channel, baseline beside scenario.

    Unavailable channels are left out of the bars (the scenario table names them).

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_metric(metric)
    ax = get_ax(ax)
    s = scenario.summary.xs(metric, level="metric")
    s = s.loc[[c for c in s.index if c != "total"]]
    s = s.loc[s["baseline"].notna()]
    i = 0 if lang == "zh" else 1
    data = pd.concat([pd.DataFrame({"channel": s.index, "case": _CASES[c][i], "value": s[c].to_numpy()})
                      for c in ("baseline", "scenario")], ignore_index=True)
    if len(data):
        sns.barplot(data=data, x="channel", y="value", hue="case", palette=_PALETTE, ax=ax)
        ax.legend(title="")
    ax.set(xlabel="渠道" if lang == "zh" else "channel", ylabel=_metric_label(metric, lang),
           title=(f"{_metric_label(metric, lang)} · {scenario.horizon_weeks} 周合计" if lang == "zh"
                  else f"{_metric_label(metric, lang)} · {scenario.horizon_weeks}-week total"))
    return metric_axis(ax, metric, "y", lang)


def whatif_static_figure(scenario: Scenario, *, channel: str = "all", metric: str = "gmv", lang: str = "zh") -> Figure:
    """The static what-if chart of notebook 03: the week-by-week path beside GPM per channel.

    Parameters
    ----------
    scenario : Scenario
    channel : str
        ``"all"`` (the total path) or one channel.
    metric : str
        Metric of the path panel.
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: :func:`plot_whatif_path` and :func:`plot_whatif_channels` (GPM).
    """
    import matplotlib.pyplot as plt

    setup_fonts()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
    plot_whatif_path(scenario, metric, channel=None if channel == "all" else channel, lang=lang, ax=ax1)
    plot_whatif_channels(scenario, "gpm", lang=lang, ax=ax2)
    return fig
