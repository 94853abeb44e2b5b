"""The action plan's waterfall: baseline → each chosen action → the combined plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._style import get_ax

__all__ = ["plot_plan_waterfall"]


def _l(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def plot_plan_waterfall(waterfall: pd.DataFrame, *, weeks: int | None = None, lang: str = "zh",
                        ax: Axes | None = None) -> Axes:
    """Horizon GMV from the baseline to the combined plan, one bar per action added.

    Parameters
    ----------
    waterfall : DataFrame
        :attr:`fact_toolkit.plan.Plan.waterfall` (``step, label, gmv, delta`` and
        ``gmv_low/gmv_high`` on the ``plan`` row).
    weeks : int, optional
        The horizon, for the title.
    lang : {"zh", "en"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Baseline and plan as full bars (the plan with its low–high range as an error
        bar), each action as a floating bar from the GMV before it to the GMV after it.

    Examples
    --------
    >>> w = pd.DataFrame({"step": ["baseline", "a1", "plan"], "label": ["baseline", "F cvr", "plan"],
    ...                   "gmv": [100.0, 120.0, 120.0], "delta": [0.0, 20.0, 20.0],
    ...                   "gmv_low": [np.nan, np.nan, 110.0], "gmv_high": [np.nan, np.nan, 130.0]})
    >>> [round(p.get_height()) for p in plot_plan_waterfall(w, lang="en").patches]
    [100, 20, 120]
    """
    ax = get_ax(ax, figsize=(8, 4))
    title = _l(lang, "行动计划：从基线到合并方案", "Action plan: baseline to the combined plan")
    if weeks:
        title += _l(lang, f"（{weeks} 周 GMV）", f" (GMV over {weeks} weeks)")
    if waterfall is None or waterfall.empty:
        ax.text(0.5, 0.5, _l(lang, "没有可合并的行动", "no action to combine"), ha="center", va="center",
                transform=ax.transAxes)
        ax.set(title=title, xticks=[], yticks=[])
        return ax
    names = {"baseline": _l(lang, "基线", "baseline"), "plan": _l(lang, "合并方案", "plan")}
    labels, bottoms, heights, colors = [], [], [], []
    for _, r in waterfall.iterrows():
        step = str(r["step"])
        if step in ("baseline", "plan"):
            labels.append(names[step])
            bottoms.append(0.0)
            heights.append(float(r["gmv"]))
            colors.append("#868e96" if step == "baseline" else "#1c7ed6")
        else:
            d = float(r["delta"])
            labels.append(f"{step}\n{r['label']}")
            bottoms.append(float(r["gmv"]) - d if d >= 0 else float(r["gmv"]))
            heights.append(abs(d))
            colors.append("#2f9e44" if d >= 0 else "#e03131")
    x = np.arange(len(labels))
    ax.bar(x, heights, bottom=bottoms, color=colors, width=0.6)
    last = waterfall.iloc[-1]
    if str(last["step"]) == "plan" and np.isfinite(last.get("gmv_low", np.nan)):
        ax.errorbar(x[-1], float(last["gmv"]), yerr=[[float(last["gmv"]) - float(last["gmv_low"])],
                                                      [float(last["gmv_high"]) - float(last["gmv"])]],
                    color="#212529", capsize=6, linewidth=1.2)
    lo = min(bottoms[1:-1] + [float(waterfall["gmv"].min())]) if len(bottoms) > 2 else float(waterfall["gmv"].min())
    top = max(float(waterfall["gmv"].max()), float(last.get("gmv_high", np.nan)) if np.isfinite(
        last.get("gmv_high", np.nan)) else 0.0)
    ax.set_ylim(max(0.0, lo - 0.15 * (top - lo)), top + 0.05 * (top - lo) + 1e-9)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set(title=title, ylabel="GMV")
    return ax
