"""Plots of the channel diagnosis: one ``plot_*`` per section, and :func:`plot_section`.

Every function draws on ``ax`` (a new figure when None) with seaborn's function API,
labels in ``lang`` (zh / en) and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ..diagnosis import Section
from ..diagnosis.narrative import CHANNEL_NAMES, METRIC_NAMES, STAGE_NAMES
from ._style import business_axis, compact_legend, get_ax, log_scale
from .plan import plot_plan_waterfall

__all__ = ["plot_channel_mix", "plot_gpm_vs_roi", "plot_funnel", "plot_session_gpm", "plot_talent_matrix",
           "plot_halo", "plot_campaign_uplift", "plot_crowd", "plot_content_forms", "plot_opportunities",
           "plot_label_dispersion", "plot_capabilities", "plot_section"]



_PALETTE = {"F": "#d9480f", "A": "#1c7ed6", "T": "#7048e8", "S": "#2b8a3e", "other": "#868e96", "all": "#212529"}


def _stripplot(**kwargs: Any) -> Axes:
    """``sns.stripplot`` with the same jitter every time (a rendered report is reproducible).

    seaborn draws the jitter from numpy's global random state; it is seeded for the call and
    restored afterwards, so nothing else sees a changed random state.
    """
    state = np.random.get_state()
    np.random.seed(0)
    try:
        return sns.stripplot(**kwargs)
    finally:
        np.random.set_state(state)



def _l(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _ch(code: object, lang: str) -> str:
    pair = CHANNEL_NAMES.get(str(code))
    return str(code) if pair is None else _l(lang, *pair)


def _palette(codes, lang: str) -> dict[str, str]:
    return {_ch(c, lang): _PALETTE.get(str(c), "#495057") for c in codes}


def plot_channel_mix(contrib: pd.DataFrame, currency: str | None = None, *, lang: str = "zh",
                     ax: Axes | None = None) -> Axes:
    """Monthly GMV per channel as stacked bars (one currency), from :func:`~fact_toolkit.diagnosis.contribution`."""
    ax = get_ax(ax, figsize=(9, 4.5))
    c = contrib if currency is None else contrib[contrib["currency"] == currency]
    wide = c.pivot_table(index="period", columns="fact_channel", values="gmv", aggfunc="sum", observed=True).fillna(0)
    wide = wide[[k for k in ("F", "A", "T", "S", "other") if k in wide] + [k for k in wide if k not in _PALETTE]]
    bottom = np.zeros(len(wide))
    x = wide.index.strftime("%Y-%m")
    for col in wide:
        ax.bar(x, wide[col].to_numpy(), bottom=bottom, label=_ch(col, lang), color=_PALETTE.get(col))
        bottom += wide[col].to_numpy()
    ax.legend(title=_l(lang, "渠道", "channel"), fontsize=8)
    ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    unit = _l(lang, f"成交金额（{currency or 'CNY'}）", f"GMV ({currency or 'CNY'})")
    ax.set(xlabel=_l(lang, "月份", "month"), ylabel=unit, title=_l(lang, "各渠道月度 GMV", "Monthly GMV by channel"))
    return business_axis(ax, "y", "money", lang)


def plot_gpm_vs_roi(accounts: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Accounts by GPM (x) and ROI after commission (y), coloured by channel, disagreements ringed."""
    ax = get_ax(ax)
    d = accounts.dropna(subset=["gpm", "roi"]).copy()
    d = d[(d["gpm"] > 0) & (d["roi"] > 0)]
    d["channel"] = d["fact_channel"].map(lambda c: _ch(c, lang))
    sns.scatterplot(data=d, x="gpm", y="roi", hue="channel", size="paid_amount", sizes=(15, 250), alpha=0.7,
                    palette=_palette(d["fact_channel"].unique(), lang), ax=ax, legend="brief")
    dis = d[d["disagree"]]
    ax.scatter(dis["gpm"], dis["roi"], s=80, facecolors="none", edgecolors="#212529", linewidths=0.8)
    log_scale(ax, "both", lang)
    ax.set(xlabel="GPM", ylabel=_l(lang, "扣佣ROI（支付金额 ÷ (投放+佣金)）",
                                                         "ROI after commission (paid ÷ (ads + commission))"),
           title=_l(lang, "账号：GPM 视角 vs 扣佣ROI 视角（圈出排名分歧大的账号）",
                    "Accounts: GPM view vs ROI-after-commission view (ringed: ranks disagree)"))
    compact_legend(ax.legend(fontsize=7, loc="best"), lang)
    return ax


def plot_funnel(diag: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Current stage rates per channel (bars), own history median (dots) and peer p50 (black ticks)."""
    ax = get_ax(ax, figsize=(9, 4.5))
    d = diag.copy()
    d["stage_name"] = d["stage"].map(lambda s: _l(lang, *STAGE_NAMES[s]))
    d["channel"] = d["fact_channel"].map(lambda c: _ch(c, lang))
    order = [_l(lang, *STAGE_NAMES[s]) for s in STAGE_NAMES if s in set(d["stage"])]
    hue_order = list(dict.fromkeys(d["channel"]))
    sns.barplot(data=d, x="stage_name", y="current", hue="channel", order=order, hue_order=hue_order,
                palette=_palette(d["fact_channel"].unique(), lang), ax=ax)
    _stripplot(data=d, x="stage_name", y="history", hue="channel", order=order, hue_order=hue_order,
                  dodge=True, palette=_palette(d["fact_channel"].unique(), lang), edgecolor="#212529",
                  linewidth=1, size=6, marker="D", legend=False, ax=ax)
    peer = d.dropna(subset=["peer_p50"]).drop_duplicates("stage")
    for _, r in peer.iterrows():
        i = order.index(r["stage_name"])
        ax.hlines(r["peer_p50"], i - 0.4, i + 0.4, colors="#212529", linestyles="--", linewidth=1.2)
    ax.set(xlabel="", ylabel=_l(lang, "转化率", "rate"),
           title=_l(lang, f"漏斗转化率（{diag.attrs.get('month', '')}；◆ 自身历史中位数，-- 同行 p50）",
                    f"Funnel rates ({diag.attrs.get('month', '')}; ◆ own history median, -- peer p50)"))
    ax.legend(title=_l(lang, "渠道", "channel"), fontsize=8)
    return business_axis(ax, "y", "rate", lang)


def plot_session_gpm(review: pd.DataFrame, benchmarks_p50: float | None = None, *, lang: str = "zh",
                     top: int = 12, ax: Axes | None = None) -> Axes:
    """Session GPM per account: every session (dots) and the median (bar), ``top`` accounts by sessions."""
    ax = get_ax(ax, figsize=(9, 4.5))
    d = review.dropna(subset=["gpm"])
    keep = d["account_name"].value_counts().head(top).index
    d = d[d["account_name"].isin(keep)]
    order = d.groupby("account_name")["gpm"].median().sort_values(ascending=False).index
    sns.barplot(data=d, y="account_name", x="gpm", order=order, estimator="median", errorbar=None,
                color="#ffd8a8", ax=ax)
    _stripplot(data=d, y="account_name", x="gpm", order=order, color="#d9480f", size=2, alpha=0.4, ax=ax)
    if benchmarks_p50 is not None and pd.notna(benchmarks_p50):
        ax.axvline(benchmarks_p50, color="#212529", linestyle="--", linewidth=1)
    ax.set(ylabel="", xlabel=_l(lang, "单场 GPM（柱：中位数；虚线：同行 p50）", "session GPM (bar: median; dashed: peer p50)"),
           title=_l(lang, "直播场次 GPM 分布", "Live sessions: GPM by account"))
    return business_axis(ax, "x", "money", lang)


def plot_talent_matrix(matrix: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Talents by exposure (x) and GPM (y), coloured by tier; hidden gems ringed."""
    ax = get_ax(ax)
    d = matrix.dropna(subset=["exposure", "gpm"])
    d = d[(d["exposure"] > 0) & (d["gpm"] > 0)].copy()
    names = {"head": ("头部", "head"), "waist": ("腰部", "waist"), "tail": ("尾部", "tail"),
             "unknown": ("未知", "unknown")}
    d["tier_name"] = d["tier"].map(lambda t: _l(lang, *names.get(str(t), (str(t), str(t)))))
    sns.scatterplot(data=d, x="exposure", y="gpm", hue="tier_name", size="paid_amount", sizes=(10, 200),
                    alpha=0.7, ax=ax)
    g = d[d["hidden_gem"]]
    ax.scatter(g["exposure"], g["gpm"], s=90, facecolors="none", edgecolors="#c92a2a", linewidths=1)
    log_scale(ax, "x", lang)
    ax.set(xlabel=_l(lang, "曝光次数", "exposure"), ylabel="GPM",
           title=_l(lang, "达人矩阵：曝光 × GPM（红圈：高转化低曝光）", "Talents: exposure × GPM (red: high GPM, low exposure)"))
    compact_legend(ax.legend(fontsize=7), lang)
    return business_axis(ax, "y", "money", lang)


def plot_halo(halo: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Lift of F and S paid amount and exposure in the days after T sessions."""
    ax = get_ax(ax, figsize=(7, 4))
    d = halo.dropna(subset=["lift"]).copy()
    d["channel"] = d["fact_channel"].map(lambda c: _ch(c, lang))
    d["what"] = d["measure"].map(lambda m: _l(lang, "支付金额", "paid amount") if m == "gmv" else _l(lang, "曝光", "exposure"))
    sns.barplot(data=d, x="channel", y="lift", hue="what", ax=ax, palette=["#7048e8", "#b197fc"])
    ax.axhline(0, color="#212529", linewidth=0.8)
    ax.set(xlabel="", ylabel=_l(lang, "相对匹配基线的变化", "vs matched baseline"),
           title=_l(lang, "头部大V专场后 7 天的溢出", "Halo in the 7 days after top-KOL sessions"))
    ax.legend(title="", fontsize=8)
    return business_axis(ax, "y", "change", lang)


def plot_campaign_uplift(table: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Heatmap of uplift (%) per campaign window × channel."""
    ax = get_ax(ax, figsize=(8, 4.5))
    d = table.copy()
    d["channel"] = d["fact_channel"].map(lambda c: _ch(c, lang))
    d["campaign"] = d["name"].astype(str) + " " + d["start"].dt.strftime("%Y")
    wide = d.pivot_table(index="campaign", columns="channel", values="uplift", aggfunc="mean", sort=False) * 100
    lim = float(np.nanmax(np.abs(wide.to_numpy()))) if wide.size else 1.0
    sns.heatmap(wide, annot=True, fmt=".0f", cmap="RdBu_r", vmin=-lim, vmax=lim, cbar_kws={"label": "%"}, ax=ax)
    ax.set(xlabel="", ylabel="", title=_l(lang, "活动期 GMV 增量（%，对比同星期结构的活动前基线）",
                                          "Campaign uplift in GMV (%, vs weekday-matched pre-period)"))
    return ax


def plot_crowd(crowd: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Monthly new followers (bars) and followers per 1K views (line, right axis)."""
    ax = get_ax(ax, figsize=(9, 4))
    x = pd.DatetimeIndex(crowd.index).strftime("%Y-%m")
    ax.bar(x, crowd["new_followers"].astype(float), color="#ffa94d", label=_l(lang, "新增粉丝", "new followers"))
    ax2 = ax.twinx()
    ax2.plot(x, crowd["followers_per_1k_views"], color="#d9480f", marker="o", markersize=3)
    ax2.set(ylabel=_l(lang, "千次观看涨粉", "followers per 1K views"))
    ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    ax.set(xlabel="", ylabel=_l(lang, "新增粉丝", "new followers"),
           title=_l(lang, "自播账号的人群资产", "Crowd assets of the own accounts"))
    business_axis(ax2, "y", "number", lang)
    return business_axis(ax, "y", "count", lang)


def plot_content_forms(forms: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """GPM per content form, bar width-independent; exposure share in the labels."""
    ax = get_ax(ax, figsize=(7, 4))
    d = forms.reset_index()
    sns.barplot(data=d, x="content_form", y="gpm", color="#1c7ed6", ax=ax)
    if "exposures" in d:
        share = d["exposures"] / d["exposures"].sum()
        for i, s in enumerate(share):
            ax.annotate(_l(lang, f"曝光占 {s:.0%}", f"{s:.0%} of exposure"), (i, d["gpm"].iloc[i]),
                        ha="center", va="bottom", fontsize=8)
    ax.set(xlabel=_l(lang, "内容形式", "content form"), ylabel="GPM",
           title=_l(lang, "各内容形式的 GPM 与曝光占比", "GPM and exposure share per content form"))
    return business_axis(ax, "y", "money", lang)


def plot_opportunities(items: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Content items by exposure (x, log) and GPM (y); high-GPM low-exposure ones highlighted."""
    ax = get_ax(ax)
    d = items[(items["exposure"] > 0) & (items["gpm"] > 0)].copy()
    d["kind"] = np.where(d["opportunity"], _l(lang, "高转化低曝光", "high GPM, low exposure"), _l(lang, "其他", "other"))
    sns.scatterplot(data=d, x="exposure", y="gpm", hue="kind", palette=["#adb5bd", "#c92a2a"],
                    hue_order=[_l(lang, "其他", "other"), _l(lang, "高转化低曝光", "high GPM, low exposure")],
                    s=10, alpha=0.6, linewidth=0, ax=ax)
    log_scale(ax, "both", lang)
    ax.set(xlabel=_l(lang, "曝光", "exposure"), ylabel="GPM",
           title=_l(lang, "内容机会：GPM 前 25% 且曝光后 50%", "Opportunities: GPM top quartile, exposure bottom half"))
    ax.legend(title="", fontsize=8)
    return ax


def plot_label_dispersion(disp: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Accounts by tag entropy (x) and GPM (y)."""
    ax = get_ax(ax)
    d = disp.reset_index().dropna(subset=["entropy", "gpm"])
    d["channel"] = d["fact_channel"].map(lambda c: _ch(c, lang)) if "fact_channel" in d else ""
    sns.scatterplot(data=d, x="entropy", y="gpm", hue="channel", size="items", sizes=(15, 150), alpha=0.7,
                    palette=_palette(d.get("fact_channel", pd.Series(dtype=str)).unique(), lang), ax=ax)
    rho = disp.attrs.get("spearman", float("nan"))
    ax.set(xlabel=_l(lang, "标签熵（比特，越大越分散）", "tag entropy (bits, higher = more scattered)"), ylabel="GPM",
           title=_l(lang, f"账号标签分散度与 GPM（ρ = {rho:.2f}）", f"Label dispersion and GPM (ρ = {rho:.2f})"))
    compact_legend(ax.legend(fontsize=7), lang, "count")
    return business_axis(ax, "y", "money", lang)


def plot_capabilities(metrics: pd.DataFrame, *, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Each capability's metric scores (dots) and mean score (bar), 0–100."""
    from ..diagnosis.capabilities import CAPABILITIES

    ax = get_ax(ax, figsize=(8, 4))
    d = metrics.dropna(subset=["score"]).copy()
    d["cap"] = d["capability"].map(lambda c: _l(lang, *CAPABILITIES[c]))
    order = [_l(lang, *CAPABILITIES[c]) for c in CAPABILITIES]
    sns.barplot(data=d, y="cap", x="score", order=order, color="#ffd8a8", errorbar=None, ax=ax)
    _stripplot(data=d, y="cap", x="score", order=order, color="#d9480f", size=6, ax=ax)
    d["k"] = d.groupby("cap").cumcount()
    for _, r in d.iterrows():
        ax.annotate(_l(lang, *METRIC_NAMES.get(r["metric"], (r["metric"], r["metric"]))),
                    (r["score"], order.index(r["cap"])), xytext=(3, 12 - 9 * (r["k"] % 4)),
                    textcoords="offset points", fontsize=7)
    ax.axvline(50, color="#868e96", linestyle=":", linewidth=1)
    ax.set(xlim=(0, 105), ylabel="", xlabel=_l(lang, "得分（50 = 同行中位数或自身历史中位数）",
                                               "score (50 = peer or own-history median)"),
           title=_l(lang, "四力评分", "The four capabilities"))
    return ax


def _session(sec: Section, ax: Axes | None) -> Axes:
    return plot_session_gpm(sec.data["review"], sec.data.get("gpm_p50"), lang=sec.lang, ax=ax)


_PLOTS: dict[str, Callable[[Section, Axes | None], Axes]] = {
    "contribution": lambda s, ax: plot_channel_mix(s.data["plot"], s.data.get("currency"), lang=s.lang, ax=ax),
    "gpm_roi": lambda s, ax: plot_gpm_vs_roi(s.data["plot"], lang=s.lang, ax=ax),
    "funnel": lambda s, ax: plot_funnel(s.data["plot"], lang=s.lang, ax=ax),
    "sessions": _session,
    "talents": lambda s, ax: plot_talent_matrix(s.data["plot"], lang=s.lang, ax=ax),
    "halo": lambda s, ax: plot_halo(s.data["plot"], lang=s.lang, ax=ax),
    "campaigns": lambda s, ax: plot_campaign_uplift(s.data["plot"], lang=s.lang, ax=ax),
    "crowd": lambda s, ax: plot_crowd(s.data["plot"], lang=s.lang, ax=ax),
    "forms": lambda s, ax: plot_content_forms(s.data["plot"], lang=s.lang, ax=ax),
    "opportunities": lambda s, ax: plot_opportunities(s.data["plot"], lang=s.lang, ax=ax),
    "labels": lambda s, ax: plot_label_dispersion(s.data["plot"], lang=s.lang, ax=ax),
    "capabilities": lambda s, ax: plot_capabilities(s.data["plot"], lang=s.lang, ax=ax),
    "plan": lambda s, ax: plot_plan_waterfall(s.data["plot"], weeks=getattr(s.data.get("plan"), "weeks", None),
                                              lang=s.lang, ax=ax),
}


def plot_section(section: Section, ax: Axes | None = None) -> Axes | None:
    """Draw the plot of a diagnosis section; None (no figure) when it is not available or has none.

    Examples
    --------
    >>> from fact_toolkit import diagnosis as dg                       # doctest: +SKIP
    >>> plot_section(dg.section_funnel(inp))                            # doctest: +SKIP
    """
    fn = _PLOTS.get(section.key)
    if not section.available or fn is None:
        return None
    data = section.data.get("plot")
    if data is None or (isinstance(data, pd.DataFrame) and data.empty):
        return None
    return fn(section, ax)
