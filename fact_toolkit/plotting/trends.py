"""Plots of GPM trends, forecasts, regimes and the snowball (``plot_*(…, ax=None) -> Axes``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ..models.notebook import say_effects, say_forecast, series_currency
from ._style import business_axis, get_ax, metric_axis

__all__ = ["plot_series", "plot_components", "plot_forecast", "plot_backtest", "plot_regimes", "plot_snowball",
           "plot_irf", "plot_effects", "forecast_section", "structural_section", "var_section"]



_T = {
    "date": ("日期", "date"), "gpm": ("GPM(千次观看成交额)", "GPM (GMV per 1,000 views)"),
    "views": ("观看次数", "views"), "gmv": ("成交金额", "GMV"), "forecast": ("预测", "forecast"),
    "actual": ("实际", "actual"), "interval": ("预测区间", "interval"), "trend": ("趋势", "trend"),
    "observed": ("观测值(对数)", "observed (log)"), "level": ("水平+回归", "level + regressors"),
    "regime": ("GPM 水平变化", "GPM level shifts"), "elasticity": ("长期弹性", "long-run elasticity"),
    "group": ("分组", "group"), "snowball": ("雪球效应:流量对前 7 天 GPM 的弹性", "Snowball: traffic elasticity to last week's GPM"),
    "irf": ("GPM 冲击后的流量响应(对数)", "traffic response to a GPM shock (log)"), "days": ("天", "days after"),
    "effect": ("效应(%)", "effect (%)"), "backtest": ("回测 MASE(<1 优于上周同日)", "backtest MASE (< 1 beats last week)"),
    "model": ("模型", "model"), "components": ("分解", "decomposition"),
}


def _t(key: str, lang: str) -> str:
    zh, en = _T.get(key, (key, key))
    return zh if lang == "zh" else en


def plot_series(series: pd.DataFrame, metric: str = "gpm", *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """A daily metric over time (days without a value left as gaps) with its 7-day trend line.

    ``series`` is :func:`fact_toolkit.models.daily_series` output (one group);
    ``metric`` is ``gpm``, ``views`` or ``gmv``.
    """
    ax = get_ax(ax)
    col = {"gpm": "gpm", "views": "view_pv", "gmv": "gmv"}.get(metric, metric)
    data = pd.DataFrame({"date": series["date"], "value": pd.to_numeric(series[col], errors="coerce")})
    sns.lineplot(data=data, x="date", y="value", ax=ax, color="#adb5bd", linewidth=0.8)
    smooth = series["gpm7"] if metric == "gpm" and "gpm7" in series else data["value"].rolling(7, min_periods=4).mean()
    sns.lineplot(data=pd.DataFrame({"date": series["date"], "value": smooth}), x="date", y="value", ax=ax,
                 color="#d9480f", linewidth=1.8)
    ax.set(xlabel=_t("date", lang), ylabel=_t(metric, lang), title=_t(metric, lang))
    return metric_axis(ax, metric, "y", lang)


def plot_components(components: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Observed log values with the structural model's level (+ regressors) or the STL trend.

    ``components`` is ``StructuralResult.components`` or :func:`decompose` output.
    """
    ax = get_ax(ax)
    sns.scatterplot(data=components, x="date", y="observed", ax=ax, s=6, color="#868e96", linewidth=0)
    if "level" in components:
        line = components["level"] + components.get("regression", 0.0)
        key = "level"
    else:
        line = components["trend"]
        key = "trend"
    sns.lineplot(data=pd.DataFrame({"date": components["date"], "v": line}), x="date", y="v", ax=ax,
                 color="#d9480f", label=_t(key, lang))
    ax.set(xlabel=_t("date", lang), ylabel=_t("observed", lang), title=_t("components", lang))
    return ax


def plot_forecast(result, *, lang: str = "zh", history_days: int = 120, ax: Axes | None = None) -> Axes:
    """History, forecast and prediction interval of a :class:`ForecastResult`."""
    ax = get_ax(ax)
    hist = result.history.tail(history_days)
    sns.lineplot(data=hist, x="date", y="actual", ax=ax, color="#495057", label=_t("actual", lang))
    t = result.table
    if len(t):
        ax.fill_between(t["date"], t["lower"], t["upper"], color="#ffa94d", alpha=0.35,
                        label=f"{_t('interval', lang)} {result.level:.0%}")
        sns.lineplot(data=t, x="date", y="forecast", ax=ax, color="#d9480f",
                     label=f"{_t('forecast', lang)} ({result.model})")
    ax.set(xlabel=_t("date", lang), ylabel=_t(result.metric, lang),
           title=f"{_t(result.metric, lang)} · {result.group}")
    return metric_axis(ax, result.metric, "y", lang)


def plot_backtest(backtest: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """MASE of each candidate model (the line at 1 is the seasonal-naive in-sample error)."""
    ax = get_ax(ax)
    sns.barplot(data=backtest, x="model", y="mase", ax=ax, color="#d9480f")
    ax.axhline(1.0, color="#495057", linestyle="--", linewidth=1)
    ax.set(xlabel=_t("model", lang), ylabel="MASE", title=_t("backtest", lang))
    return ax


def plot_regimes(series: pd.DataFrame, regimes: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """7-day GPM with the regime-change dates marked."""
    ax = get_ax(ax)
    sns.lineplot(data=series, x="date", y="gpm7", ax=ax, color="#d9480f")
    for d in regimes["date"]:
        ax.axvline(d, color="#1c7ed6", linestyle="--", linewidth=1)
    ax.set(xlabel=_t("date", lang), ylabel=_t("gpm", lang), title=_t("regime", lang))
    return business_axis(ax, "y", "money", lang)


def plot_snowball(table: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Elasticity per group with its interval (groups without an estimate are left out)."""
    ax = get_ax(ax)
    t = table.dropna(subset=["elasticity"]).reset_index(drop=True)
    sns.pointplot(data=t, x="elasticity", y="group", ax=ax, linestyles="none", color="#d9480f")
    ax.hlines(np.arange(len(t)), t["ci_low"], t["ci_high"], color="#d9480f")
    ax.axvline(0.0, color="#495057", linewidth=1)
    ax.set(xlabel=_t("elasticity", lang), ylabel=_t("group", lang), title=_t("snowball", lang))
    return ax


def plot_irf(result, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Impulse response of traffic to a GPM shock from the snowball's VAR view."""
    ax = get_ax(ax)
    irf = result.details.get("var", {}).get("irf_traffic_to_gpm", [])
    sns.lineplot(data=pd.DataFrame({"day": np.arange(len(irf)), "response": irf}), x="day", y="response",
                 ax=ax, marker="o", color="#d9480f")
    ax.axhline(0.0, color="#495057", linewidth=1)
    ax.set(xlabel=_t("days", lang), ylabel=_t("irf", lang), title=_t("irf", lang))
    return ax


def plot_effects(effects: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Campaign / holiday effects (% with interval) of a structural fit."""
    ax = get_ax(ax)
    lab = "label_zh" if lang == "zh" else "label_en"
    t = effects.reset_index(drop=True)
    sns.pointplot(data=t, x="effect_pct", y=lab, ax=ax, linestyles="none", color="#d9480f")
    ax.hlines(np.arange(len(t)), t["effect_low_pct"], t["effect_high_pct"], color="#d9480f")
    ax.axvline(0.0, color="#495057", linewidth=1)
    ax.set(xlabel=_t("effect", lang), ylabel="", title=_t("effect", lang))
    return business_axis(ax, "x", "change_pct", lang)


# ---------------------------------------------------------------- notebook 02's sections: words and charts

def forecast_section(results: dict[str, Any], series: pd.DataFrame, lang: str = "zh") -> None:
    """Notebook 02, section 2: each metric's forecast in words and its chart."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    from ..findings import Finding

    cur = series_currency(series)
    for r in results.values():
        said = say_forecast(r, lang, results=results, currency=cur)
        if r.metric == "gmv" and not r.table.empty:  # the GMV ahead is what is at stake
            display(Finding(said, float(r.table["forecast"].sum()), "forecast-gmv"))
        else:
            display(Markdown(said))
        if not r.table.empty:
            plot_forecast(r, lang=lang)
            plt.show()


def structural_section(series: pd.DataFrame, lang: str = "zh", metrics: tuple[str, ...] = ("gpm", "views")) -> None:
    """Notebook 02, section 4: structural fits of log GPM and log views, effects and components.

    A metric that cannot be fitted gets one "not available because …" line; the others go on.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    from ..models.trend import fit_structural

    for metric in metrics:
        try:
            fit = fit_structural(series, metric)
        except (ValueError, KeyError) as err:
            msg = err.args[0] if err.args else str(err)
            display(Markdown(f"**{metric}** — " + (f"不可用:{msg}" if lang == "zh" else f"not available because {msg}")))
            continue
        display(Markdown(f"**{metric}** — " + say_effects(fit, lang)))
        plot_components(fit.components, lang=lang)
        plt.show()
        if len(fit.effects):
            plot_effects(fit.effects, lang=lang)
            plt.show()


def var_section(snow: Any, lang: str = "zh") -> None:
    """Notebook 02, section 6: the VAR impulse response, or why it is not available."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    var = snow.details.get("var", {}) if hasattr(snow, "details") else {}
    if var.get("irf_traffic_to_gpm"):
        plot_irf(snow, lang=lang)
        plt.show()
        return
    why = var.get("error") or snow.verdict or "the VAR was not fitted"
    display(Markdown(f"VAR 不可用:{why}" if lang == "zh" else f"VAR not available because {why}"))
