"""What-if presets: named lever sets, their scenarios side by side, and one finding per preset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError
from .assumptions import Assumptions
from .engine import run_scenario
from .levers import Levers

__all__ = ["PRESETS", "PRESET_LABELS", "compare_presets", "preset_findings", "preset_levers"]


#: presets: name → {channel or "all": Levers}
PRESETS: dict[str, dict[str, Levers]] = {
    "content_power_plus_10": {"all": Levers(view_rate=1.10)},
    "price_minus_5": {"all": Levers(price=0.95)},
    "double_talent_matrix": {"A": Levers(talents=2.0)},
}


#: preset → (zh, en) label
PRESET_LABELS: dict[str, tuple[str, str]] = {
    "content_power_plus_10": ("内容力 +10%(曝光-观看率)", "Content power +10% (exposure→view rate)"),
    "price_minus_5": ("价格 −5%", "Price −5%"),
    "double_talent_matrix": ("达人矩阵翻倍", "Double the talent matrix"),
}


def preset_levers(name: str) -> dict[str, Levers]:
    """The levers of a preset by name (see :data:`PRESETS`)."""
    if name not in PRESETS:
        raise FactInputError("preset", f"unknown preset {name!r}", fix=f"use one of {', '.join(PRESETS)}")
    return dict(PRESETS[name])


def compare_presets(base: pd.DataFrame, *, horizon_weeks: int = 12,
                    elasticity: float | Mapping[str, float] | pd.DataFrame = 0.3,
                    assumptions: Assumptions | None = None, lang: str = "zh",
                    metrics: tuple[str, ...] = ("gmv", "net_gmv", "gpm", "roi", "commission")) -> pd.DataFrame:
    """Every preset's horizon totals beside the baseline (the static table of notebook 03).

    Returns
    -------
    DataFrame
        Index: the preset labels (baseline first); columns: ``metrics`` and ``gmv_change_pct``.
    """
    i = 0 if lang == "zh" else 1
    rows = {}
    first = run_scenario(base, None, horizon_weeks=horizon_weeks, elasticity=elasticity, assumptions=assumptions)
    rows[("基线" if lang == "zh" else "Baseline")] = {m: first.total(m, "baseline") for m in metrics}
    for name, lv in PRESETS.items():
        sc = run_scenario(base, dict(lv), horizon_weeks=horizon_weeks, elasticity=elasticity,
                          assumptions=assumptions)
        rows[PRESET_LABELS[name][i]] = {m: sc.total(m) for m in metrics}
    out = pd.DataFrame.from_dict(rows, orient="index")
    base_gmv = out["gmv"].iloc[0]
    out["gmv_change_pct"] = (out["gmv"] / base_gmv - 1) * 100 if base_gmv else np.nan
    out.index.name = "scenario" if lang == "en" else "情景"
    return out


def preset_findings(presets: pd.DataFrame, lang: str = "zh", currency: str | None = None) -> list[Any]:
    """One finding per preset of :func:`compare_presets`: its GMV change over the horizon.

    The GMV at stake is the scenario's GMV minus the baseline's (first row).
    """
    from ..findings import Finding
    from ..formatting import format_value

    if presets.empty or "gmv" not in presets:
        return []
    base = float(presets["gmv"].iloc[0])
    cur = f" {currency}" if currency else ""
    out = []
    for k, (name, row) in enumerate(presets.iloc[1:].iterrows()):
        diff = float(row["gmv"]) - base
        pct = format_value(row.get("gmv_change_pct"), "change_pct", lang)
        money = ("+" if diff > 0 else "") + format_value(diff, "money", lang)
        text = (f"情景「{name}」:预测期 GMV {pct}({money}{cur})。" if lang == "zh" else
                f"Scenario “{name}”: GMV over the horizon {pct} ({money}{cur}).")
        out.append(Finding(text, diff, f"preset-{k + 1}"))
    return out
