"""Helpers behind ``notebooks/02_gpm_trends.ipynb``: parameter checks and narration in words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FactInputError

__all__ = ["TrendParams", "check_params", "load_group", "say_snowball", "say_backtest", "say_forecast",
           "say_regimes", "say_effects", "backtest_table"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class TrendParams:
    """Validated notebook parameters."""

    data_path: Path
    by: str
    group: str
    horizon: int
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    lang: str


def check_params(data_path: str, channel: str | None = "F", account: str | None = None, horizon: int = 28,
                 start: str | None = None, end: str | None = None, lang: str = "zh") -> TrendParams:
    """Check notebook 02's parameters; one clear :class:`FactInputError` on nonsense.

    A relative ``data_path`` is resolved against the repository root when it does not
    exist relative to the working directory (papermill may run in ``notebooks/``).
    """
    p = Path(data_path)
    if not p.is_absolute() and not p.exists():
        p = ROOT / p
    if not p.exists():
        raise FactInputError("data_path", f"{data_path} does not exist", fix="point it at your exports, e.g. data/sample")
    if lang not in ("zh", "en"):
        raise FactInputError("lang", f"unknown language {lang!r}", fix="use 'zh' or 'en'")
    if not isinstance(horizon, int) or not 1 <= horizon <= 365:
        raise FactInputError("horizon", f"{horizon!r} is not a number of days from 1 to 365", fix="e.g. horizon = 28")
    if account:
        by, group = "account_id", str(account)
    elif channel:
        if channel not in ("F", "A", "C", "T", "S", "other"):
            raise FactInputError("channel", f"unknown channel {channel!r}", fix="use F, A, T, S or other")
        by, group = "fact_channel", str(channel)
    else:
        by, group = "all", "all"
    try:
        s = pd.Timestamp(start) if start else None
        e = pd.Timestamp(end) if end else None
    except ValueError as err:
        raise FactInputError("start/end", f"not a date: {err}", fix="use YYYY-MM-DD") from None
    if s is not None and e is not None and e <= s:
        raise FactInputError("end", f"end {end} is not after start {start}", fix="swap them or widen the range")
    return TrendParams(p, by, group, horizon, s, e, lang)


def load_group(params: TrendParams) -> pd.DataFrame:
    """Load the data and return the chosen group's daily series."""
    from ..loader import load
    from .series import daily_series

    series = daily_series(load(params.data_path), by=params.by, start=params.start, end=params.end)
    names = sorted(series["group"].unique()) if len(series) else []
    match = [g for g in names if g == params.group or g.startswith(params.group + " (")]
    if not match:
        raise FactInputError(params.by, f"no data for {params.group!r}",
                             fix=f"choose from: {', '.join(names[:20]) or '(nothing loaded)'}")
    return series[series["group"] == match[0]].reset_index(drop=True)


def say_snowball(r: Any, lang: str = "zh") -> str:
    """The snowball verdict in one or two sentences."""
    if r.elasticity != r.elasticity:  # NaN
        return ("雪球效应无法估计:" if lang == "zh" else "The snowball cannot be estimated: ") + r.verdict
    from .snowball import verdict_text

    v = verdict_text(r.elasticity, r.ci_low, r.ci_high, r.p_value, r.placebo_p_value,
                     traffic=r.details.get("traffic", "view_pv"), lang=lang)
    g = r.details.get("var", {}).get("granger_p_value")
    if lang == "zh":
        tail = f"安慰剂检验 p={r.placebo_p_value:.2f}(应 > 0.05)" + (f";VAR 格兰杰检验 p={g:.3f}" if g is not None else "")
        return f"{r.group}:{v}。{tail}。"
    tail = f"Placebo p={r.placebo_p_value:.2f} (should be > 0.05)" + (f"; VAR Granger test p={g:.3f}" if g is not None else "")
    return f"{r.group}: {v}. {tail}."


def backtest_table(results: dict[str, Any]) -> pd.DataFrame:
    """All metrics' backtests in one table, the chosen model flagged."""
    rows = []
    for m, r in results.items():
        for rec in r.backtest.to_dict("records"):
            rows.append({"metric": m, **rec, "chosen": rec["model"] == r.model})
    return pd.DataFrame(rows)


def say_backtest(results: dict[str, Any], lang: str = "zh") -> str:
    """Which model each metric uses and how well it did."""
    parts = []
    for m, r in results.items():
        if r.table.empty:
            parts.append(f"{m}: {'; '.join(r.messages)}")
            continue
        b = r.backtest.set_index("model").loc[r.model]
        if lang == "zh":
            parts.append(f"{m} 用 {r.model}(回测 MASE {b['mase']:.2f},MAPE {b['mape']:.0%},"
                         f"{r.level:.0%} 区间覆盖 {b['coverage']:.0%})")
        else:
            parts.append(f"{m} uses {r.model} (backtest MASE {b['mase']:.2f}, MAPE {b['mape']:.0%}, "
                         f"{r.level:.0%} interval covered {b['coverage']:.0%} of days)")
    return ("; ".join(parts) + "。") if lang == "zh" else ("; ".join(parts) + ".")


def say_forecast(r: Any, lang: str = "zh") -> str:
    """The forecast's total or average over the horizon, in words."""
    if r.table.empty:
        return "; ".join(r.messages)
    t = r.table
    if r.metric == "gpm":
        mid, lo, hi = t["forecast"].median(), t["lower"].median(), t["upper"].median()
        return (f"未来 {r.horizon} 天 GPM 预计约 {mid:,.0f}(典型区间 {lo:,.0f}–{hi:,.0f})。" if lang == "zh" else
                f"Over the next {r.horizon} days GPM is expected around {mid:,.0f} (typical interval {lo:,.0f}–{hi:,.0f}).")
    total = t["forecast"].sum()
    return (f"未来 {r.horizon} 天 {r.metric} 合计预计约 {total:,.0f}。" if lang == "zh" else
            f"Over the next {r.horizon} days {r.metric} is expected to total about {total:,.0f}.")


def say_regimes(reg: pd.DataFrame, lang: str = "zh") -> str:
    """The regime changes in words."""
    if reg.empty:
        return "GPM 没有明显的水平变化。" if lang == "zh" else "GPM shows no clear level shift."
    items = [f"{r.date:%Y-%m-%d} ({r.gpm_before:,.0f} → {r.gpm_after:,.0f}, {r.change_pct:+.0f}%)"
             for r in reg.itertuples()]
    return (f"GPM 水平在这些日期发生变化:{'; '.join(items)}。" if lang == "zh" else
            f"GPM's level shifted on: {'; '.join(items)}.")


def say_effects(fit: Any, lang: str = "zh") -> str:
    """Campaign / holiday effects with intervals, and whether the fit converged."""
    lab = "label_zh" if lang == "zh" else "label_en"
    parts = [f"{r[lab]} {r['effect_pct']:+.0f}% ({r['effect_low_pct']:+.0f}%…{r['effect_high_pct']:+.0f}%)"
             for r in fit.effects.to_dict("records")]
    conv = ("" if fit.converged else
            ("(注意:模型未收敛:" + "; ".join(fit.warnings[:2]) + ")") if lang == "zh" else
            (" (warning: the model did not converge: " + "; ".join(fit.warnings[:2]) + ")"))
    head = "活动与节假日对该指标的影响:" if lang == "zh" else "Campaign and holiday effects on this metric: "
    return head + ("; ".join(parts) or "—") + conv
