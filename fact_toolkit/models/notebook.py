"""Helpers behind ``notebooks/02_gpm_trends.ipynb``: parameter checks and narration in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FactInputError
from ..formatting import column_label, format_value, value_label
from ..metrics import ratio
from ..paths import find_path

__all__ = ["TrendParams", "check_params", "load_group", "snowball_for", "say_snowball", "say_backtest", "say_forecast",
           "say_regimes", "say_effects", "backtest_table", "horizon_gpm", "series_currency", "say_series",
           "snowball_finding", "regimes_finding"]



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
    p = find_path(data_path)
    if not p.exists():
        raise FactInputError("data_path", f"{data_path} does not exist", fix="point it at your exports, e.g. data/sample")
    if lang not in ("zh", "en"):
        raise FactInputError("lang", f"unknown language {lang!r}", fix="use 'zh' or 'en'")
    if not isinstance(horizon, int) or not 1 <= horizon <= 365:
        raise FactInputError("horizon", f"{horizon!r} is not a number of days from 1 to 365", fix="e.g. horizon = 28")
    if account:
        by, group = "account_id", str(account)
    elif channel:
        if channel == "C":
            raise FactInputError("channel", "C (campaigns) is an overlay on the other channels, not a channel "
                                 "with its own traffic", fix="use F, A, T, S or other")
        if channel not in ("F", "A", "T", "S", "other"):
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


def say_series(series: pd.DataFrame, params: TrendParams) -> str:
    """Which series the page is about, in the page's language."""
    d = pd.to_datetime(series["date"])
    if params.lang == "zh":
        return f"{params.group}：{len(series)} 天，{d.min():%Y-%m-%d} 至 {d.max():%Y-%m-%d}。"
    return f"{params.group}: {len(series)} days, {d.min():%Y-%m-%d} – {d.max():%Y-%m-%d}."


def _recent_gmv(series: pd.DataFrame, days: int) -> float:
    """The group's GMV over its last ``days`` days (NaN when the series has none)."""
    if "gmv" not in series:
        return float("nan")
    return float(pd.to_numeric(series.sort_values("date")["gmv"].tail(days), errors="coerce").sum(min_count=1))


def snowball_finding(r: Any, series: pd.DataFrame, lang: str = "zh", days: int = 28) -> Any:
    """:func:`say_snowball` as a page finding; at stake: the group's GMV over its last ``days`` days."""
    from ..findings import Finding

    return Finding(say_snowball(r, lang), _recent_gmv(series, days), "snowball")


def regimes_finding(reg: pd.DataFrame, series: pd.DataFrame, lang: str = "zh", days: int = 28) -> Any:
    """:func:`say_regimes` as a page finding. At stake: the group's GMV over its last ``days``
    days times the latest shift in GPM's level (how much a month of sales moved with it)."""
    from ..findings import Finding

    month = _recent_gmv(series, days)
    shift = abs(float(reg["change_pct"].iloc[-1])) / 100 if len(reg) and "change_pct" in reg else float("nan")
    return Finding(say_regimes(reg, lang), month * shift, "regimes")


def snowball_for(params: TrendParams, series: pd.DataFrame) -> Any:
    """The chosen group's snowball: a channel's accounts pooled in one panel, else the group's series.

    For a channel (``params.by == "fact_channel"``) this is
    :func:`~fact_toolkit.models.snowball_panel.fit_snowball_panel` (account fixed effects,
    organic live-room traffic, Driscoll–Kraay interval, each account also alone in
    ``details["accounts"]``, the VAR view on the largest account); for one account or
    all data, :func:`~fact_toolkit.models.snowball.fit_snowball` on ``series``.
    """
    if params.by == "fact_channel":
        from ..loader import load
        from .snowball_panel import fit_snowball_panel

        split = len(series) and " (" in str(series["group"].iloc[0])
        return fit_snowball_panel(load(params.data_path), params.group, currency=series_currency(series) if split else None,
                                  start=params.start, end=params.end, var=True, lang=params.lang)
    from .snowball import fit_snowball

    return fit_snowball(series, group=params.group, lang=params.lang)


def _finite(x: Any) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def say_snowball(r: Any, lang: str = "zh") -> str:
    """The snowball verdict in one or two sentences; a missing number is explained, never ``nan``."""
    if not _finite(r.elasticity):
        return ("雪球效应无法估计:" if lang == "zh" else "The snowball cannot be estimated: ") + r.verdict
    from .snowball import verdict_text

    mde = getattr(r, "mde", math.nan)
    v = verdict_text(r.elasticity, r.ci_low, r.ci_high, r.p_value, r.placebo_p_value,
                     traffic=r.details.get("traffic", "view_pv"), lang=lang, mde=mde)
    zh = lang == "zh"
    if _finite(mde):
        v += (f"。这些数据能检出的最小弹性(80% 把握)为 {mde:.2f}" if zh else
              f". The smallest elasticity these data could detect (80% power) is {mde:.2f}")
    pooled = r.details.get("accounts_pooled") or []
    if r.details.get("method") == "panel" and pooled:
        v += (f"。{len(pooled)} 个账号合并估计(账号固定效应,Driscoll–Kraay 区间)" if zh else
              f". Pooled over {len(pooled)} accounts (account fixed effects, Driscoll–Kraay interval)")
        acc = r.details.get("accounts")
        if isinstance(acc, pd.DataFrame) and len(acc):
            each = "; ".join(f"{a['group']}: {a['verdict']}" for a in acc.to_dict("records"))
            v += (f";各账号单独估计:{each}" if zh else f"; each account alone: {each}")
    elif r.details.get("method") == "channel series":
        v += ("。没有单个账号天数足够,用渠道合计序列估计" if zh else
              ". No account has enough days on its own: the channel's summed series was fitted")
    var = r.details.get("var", {})
    g = var.get("granger_p_value")
    why_g = var.get("error") or "the VAR was not fitted (days with missing GPM, or var=False)"
    if _finite(r.placebo_p_value):
        placebo = (f"安慰剂检验 p={r.placebo_p_value:.2f}(应 > 0.05)" if zh else
                   f"Placebo p={r.placebo_p_value:.2f} (should be > 0.05)")
    else:
        placebo = ("安慰剂检验不可用:未来 GPM 的连续天数不足以拟合" if zh else
                   "Placebo test not available because too few days have future GPM to fit it")
    if _finite(g):
        granger = f"VAR 格兰杰检验 p={g:.3f}" if zh else f"VAR Granger test p={g:.3f}"
    else:
        granger = f"VAR 格兰杰检验不可用:{why_g}" if zh else f"VAR Granger test not available because {why_g}"
    if zh:
        return f"{r.group}:{v}。{placebo};{granger}。"
    return f"{r.group}: {v}. {placebo}; {granger}."


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
            parts.append(f"{_metric_name(m, lang)}: {'; '.join(r.messages)}")
            continue
        b = r.backtest.set_index("model").loc[r.model]
        name, model = _metric_name(m, lang), value_label(r.model, lang)
        if lang == "zh":
            parts.append(f"{name} 用{model}(回测 MASE {b['mase']:.2f},MAPE {b['mape']:.0%},"
                         f"{r.level:.0%} 区间覆盖 {b['coverage']:.0%})")
        else:
            parts.append(f"{name} uses the {model} (backtest MASE {b['mase']:.2f}, MAPE {b['mape']:.0%}, "
                         f"{r.level:.0%} interval covered {b['coverage']:.0%} of days)")
    return ("; ".join(parts) + "。") if lang == "zh" else ("; ".join(parts) + ".")


def horizon_gpm(results: dict[str, Any]) -> tuple[float, str]:
    """GPM over the forecast horizon: Σ forecast GMV ÷ Σ forecast views × 1000.

    Never an average of daily GPM forecasts (a mean of ratios). Returns the value and, when
    it is NaN, why.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> t = lambda v: NS(table=pd.DataFrame({"forecast": v}))
    >>> horizon_gpm({"gmv": t([100.0, 300.0]), "views": t([1000.0, 1000.0])})
    (200.0, '')
    """
    missing = [m for m in ("gmv", "views") if m not in results or results[m].table.empty]
    if missing:
        return math.nan, f"there is no {' or '.join(missing)} forecast"
    views = float(results["views"].table["forecast"].sum())
    if not views > 0:
        return math.nan, "the views forecast is zero"
    return ratio("gpm", float(results["gmv"].table["forecast"].sum()), views), ""


def say_forecast(r: Any, lang: str = "zh", *, results: dict[str, Any] | None = None, currency: str = "") -> str:
    """One metric's forecast over the horizon, in words.

    GPM over the horizon is Σ forecast GMV ÷ Σ forecast views × 1000 (from ``results``,
    the dict of :func:`~fact_toolkit.models.forecast.forecast_series`), not the median of
    daily GPM forecasts. Views and GMV totals are sums of the daily medians (the models
    work on logs), which is said; money carries its ``currency``.
    """
    zh = lang == "zh"
    if r.table.empty:
        return "; ".join(r.messages)
    cur = f" {currency}" if currency else ""
    if r.metric == "gpm":
        value, why = horizon_gpm(results or {})
        if not _finite(value):
            why = why or "no views or GMV forecast was given"
            return (f"未来 {r.horizon} 天的 GPM 不可用:{why}。" if zh else
                    f"GPM over the next {r.horizon} days is not available because {why}.")
        return (f"未来 {r.horizon} 天 GPM 预计约 {value:,.0f}{cur}(预测成交金额合计 ÷ 预测观看合计 × 1000)。" if zh else
                f"Over the next {r.horizon} days GPM is expected around {value:,.0f}{cur} per 1,000 views "
                "(Σ forecast GMV ÷ Σ forecast views × 1000).")
    total = float(r.table["forecast"].sum())
    unit = cur if r.metric in ("gmv", "paid_amount") else ""
    amount = format_value(total, "money" if unit else "count", lang)
    name = _metric_name(r.metric, lang)
    return (f"未来 {r.horizon} 天{name}合计预计约 {amount}{unit}(每日预测中位数之和)。" if zh else
            f"Over the next {r.horizon} days {name} is expected to total about {amount}{unit} "
            "(the sum of daily median forecasts).")


def _metric_name(metric: str, lang: str) -> str:
    """A metric's short name in words (``views`` → 观看次数 / views)."""
    return column_label(metric, lang) if lang == "zh" else {"gpm": "GPM", "gmv": "GMV"}.get(metric, metric)


def series_currency(series: pd.DataFrame) -> str:
    """The one currency of a daily series, or ``""`` when it has none or several."""
    if "currency" in series and len(series):
        cur = [c for c in series["currency"].dropna().astype(str).unique() if c]
        return cur[0] if len(cur) == 1 else ""
    return ""


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
