"""Candidate actions: every weakness the diagnosis finds, turned into a lever change with a stated target.

Pure functions, DataFrame in → list of action records out. Each record names the channel,
the what-if levers (:class:`fact_toolkit.whatif.Levers` fields, as multipliers of the
baseline) at the target and at the low/high ends of the lever's own uncertainty, today's
value and the target, the target rule in words (from :class:`PlanRules`, the parameters),
why (the finding) and the diagnosis section it comes from. A weakness the data cannot
size becomes a record with ``measurable = False`` and ``needs`` saying what is missing —
never a made-up number.

Where each kind of action comes from:

========================  =====================================  =========================================
kind                      finding                                lever (what-if engine)
========================  =====================================  =========================================
``funnel_history``        a funnel step below its own history    ``view_rate`` / ``ctr`` / ``cvr`` × target ÷ today
``funnel_peer``           a funnel step below the peer p50       same
``capability``            a capability scoring under 50          content → F ``view_rate``; product → F, A ``cvr``;
                                                                 price → A ``price``; brand: not measurable
``talent``                high-GPM, low-exposure talents (A)     A ``content`` (more exposure) + ``cvr`` (it converts
                                                                 at the talents' yield), bought as traffic support
``form``                  a content form with high GPM and a     the channel's ``cvr`` (same exposure, better mix)
                          small share of exposure
``campaign``              a channel whose campaign uplift is     the channel's ``campaign_share`` (more of a lift it
                          weaker than the other channels'        earns less of)
========================  =====================================  =========================================

The lever's own uncertainty (``levers_low`` / ``levers_high``): for funnel steps, the
month-to-month spread of the channel's own rate (the current month is one draw, the
history median has its own error); for talents and forms, the sampling error of their
paid amount per exposure (ratio estimator over their content items); for campaigns, the
spread of the channel's uplift across campaigns. A capability gap has no spread in the
data: its low = high = target (the elasticity still gives the gain a range).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..diagnosis.capabilities import CAPABILITIES
from ..diagnosis.content import form_performance, high_gpm_low_exposure
from ..formatting import column_label, format_value
from ..metrics import METRICS, compute, numerator_of
from ..whatif import LEVER_RANGES, Assumptions

__all__ = ["PlanRules", "STAGE_LEVER", "TEXT_FIELDS", "Text", "CAPABILITY_LEVER", "funnel_actions", "capability_actions",
           "talent_actions", "form_actions", "campaign_actions", "ratio_se"]

#: funnel step (diagnosis) → what-if lever. The engine moves view→product exposure and CTR as one
#: product, so both steps are the ``ctr`` lever (two actions on it are never added together).
STAGE_LEVER: dict[str, str] = {
    "exposure_view_rate": "view_rate",
    "view_product_rate": "ctr",
    "product_ctr": "ctr",
    "click_order_rate": "cvr",
}
#: weak capability → (metric it is fixed through, lever, the seed's channels); None: no lever in the engine
CAPABILITY_LEVER: dict[str, tuple[str, str, tuple[str, ...]] | None] = {
    "content": ("exposure_view_rate", "view_rate", ("F",)),
    "product": ("click_order_rate", "cvr", ("F", "A")),
    "price": ("aov", "price", ("A",)),
    "brand": None,
}


@dataclass(frozen=True)
class PlanRules:
    """The target rules, one parameter each; every action writes its rule out in words.

    Parameters
    ----------
    history_gap_share : float
        A funnel step below its own history: close this share of the gap to the channel's
        median of the earlier complete months (1.0: all the way back).
    peer_gap_share : float
        A funnel step below the peer median: close this share of the gap (0.5: half).
    capability_gap_share : float
        A weak capability: close this share of the gap between its lever metric and p50.
    talent_boost : float
        Extra exposure bought for the high-GPM, low-exposure talents (0.2: +20 %).
    talent_top : int
        How many of those talents (highest GPM first).
    form_shift : float
        Share of a channel's video exposure moved to the high-GPM, low-exposure form.
    campaign_gap_share : float
        A channel whose campaign uplift trails the median channel's: close this share.
    weak_score : float
        A capability scoring below this (0–100) is weak.
    min_history_months : int
        Complete months of history a funnel step needs before its own-history gap is measured.
    min_campaigns : int
        Campaign windows a channel needs before its uplift is compared.
    tolerance : float
        A step counts as below its reference when more than this share below (0.02: 2 %).
    level : float
        Level of the low–high range (0.95).
    """

    history_gap_share: float = 1.0
    peer_gap_share: float = 0.5
    capability_gap_share: float = 0.5
    talent_boost: float = 0.2
    talent_top: int = 3
    form_shift: float = 0.2
    campaign_gap_share: float = 0.5
    weak_score: float = 50.0
    min_history_months: int = 3
    min_campaigns: int = 3
    tolerance: float = 0.02
    level: float = 0.95

    @property
    def z(self) -> float:
        """The normal quantile of :attr:`level` (1.96 for 0.95)."""
        from scipy.stats import norm

        return float(norm.ppf(0.5 + self.level / 2))

    def table(self) -> pd.DataFrame:
        """The rules as a small table (parameter, value)."""
        return pd.DataFrame(list(asdict(self).items()), columns=["rule", "value"]).set_index("rule")


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _clip_lever(name: str, value: float) -> float:
    lo, hi = LEVER_RANGES[name]
    return float(min(max(value, lo), hi))


#: a text in both languages: (English, Chinese)
Text = tuple[str, str]
#: the words each action record carries in both languages (``rule`` / ``rule_zh`` …)
TEXT_FIELDS: tuple[str, ...] = ("rule", "why", "needs")


def _lbl(name: str) -> Text:
    """A metric's label in English and Chinese (the registry's words, not its code name)."""
    return column_label(name, "en"), column_label(name, "zh")


def _rates(a: float, b: float) -> Text:
    """Two rates as percentages, ``a vs b`` / ``a 对 b``."""
    return (f"{format_value(a, 'rate', 'en')} vs {format_value(b, 'rate', 'en')}",
            f"{format_value(a, 'rate', 'zh')} 对 {format_value(b, 'rate', 'zh')}")


def _join(a: Text, b: Text) -> Text:
    return (f"{a[0]}; {b[0]}", f"{a[1]}；{b[1]}")


def _record(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"kind": "", "channel": "", "lever": "", "levers": {}, "levers_low": {}, "levers_high": {},
                            "metric": "", "today": np.nan, "target": np.nan, "section": "", "measurable": True,
                            "cost_kind": "none", "support_share": 0.0}
    for f in TEXT_FIELDS:
        en, zh = kw.pop(f, ("", ""))
        base[f], base[f"{f}_zh"] = en, zh
    base.update(kw)
    return base


def _not_measurable(kind: str, channel: str, lever: str, metric: str, why: Text, section: str,
                    needs: Text) -> dict[str, Any]:
    return _record(kind=kind, channel=channel, lever=lever, metric=metric, why=why, section=section,
                   measurable=False, needs=needs)


def _needs_baseline(ch: str, reason: str = "") -> Text:
    extra = f" ({reason})" if reason else ""
    return (f"needs a what-if baseline for {ch}{extra}", f"需要 {ch} 的假设分析基线{extra}")


def _rate_levers(lever: str, today: float, target: float, se_log: float, z: float) -> tuple[dict, dict, dict]:
    """Mid, low and high lever values of a rate moved from ``today`` to ``target``."""
    m = target / today
    lo = m * math.exp(-z * se_log) if np.isfinite(se_log) else m
    hi = m * math.exp(z * se_log) if np.isfinite(se_log) else m
    return ({lever: _clip_lever(lever, m)}, {lever: _clip_lever(lever, lo)}, {lever: _clip_lever(lever, hi)})


def funnel_actions(diag: pd.DataFrame, monthly: pd.DataFrame | None, rules: PlanRules, *,
                   has_peers: bool) -> list[dict[str, Any]]:
    """One action per funnel step below its own history or the peer p50.

    Parameters
    ----------
    diag : DataFrame
        :func:`fact_toolkit.diagnosis.funnel_diagnosis` (``fact_channel, stage, current,
        history, peer_p50`` …).
    monthly : DataFrame, optional
        Monthly step rates per channel, index (``fact_channel``, month) and one column per
        stage (:func:`fact_toolkit.diagnosis.funnel_rates` by channel and month, complete
        months only, the current one last). Gives the lever's own spread.
    rules : PlanRules
    has_peers : bool
        Whether a peer benchmark was loaded; without one, a single "not measurable" record
        says so.

    Returns
    -------
    list of dict
    """
    out: list[dict[str, Any]] = []
    if diag is None or diag.empty:
        return [_not_measurable("funnel_history", "all", "view_rate/ctr/cvr", "funnel steps",
                                ("no complete calendar month of funnel data", "没有完整自然月的漏斗数据"), "funnel",
                                ("needs a complete calendar month with the funnel columns (exposure … buyers)",
                                 "需要至少一个完整自然月的漏斗数据（曝光…成交人数）"))]
    z = rules.z
    for r in diag.itertuples(index=False):
        ch, stage = str(r.fact_channel), str(r.stage)
        lever = STAGE_LEVER.get(stage)
        cur = float(r.current)
        if lever is None or not np.isfinite(cur) or cur <= 0:
            continue
        spread, n_hist = np.nan, 0
        if monthly is not None and ch in monthly.index.get_level_values(0) and stage in monthly:
            vals = monthly.loc[ch, stage].astype(float)
            vals = vals[np.isfinite(vals) & (vals > 0)]
            hist = np.log(vals.iloc[:-1].to_numpy())
            n_hist = len(hist)
            if n_hist >= 2:
                spread = float(np.std(hist, ddof=1))
        for kind, ref, share, bottleneck in (
                ("funnel_history", float(r.history), rules.history_gap_share, r.bottleneck_history),
                ("funnel_peer", float(r.peer_p50), rules.peer_gap_share, r.bottleneck_peer)):
            if not np.isfinite(ref) or ref <= 0 or cur >= ref * (1 - rules.tolerance):
                continue
            is_hist = kind == "funnel_history"
            what = ("its own history median", "自身历史中位数") if is_hist else ("the peer median (p50)", "同行中位数")
            neck = isinstance(bottleneck, str) and bottleneck == stage
            name, pair = _lbl(stage), _rates(cur, ref)
            why = (f"{name[0]} of {ch} is {cur / ref - 1:+.0%} against {what[0]} ({pair[0]})"
                   + ("; the channel's bottleneck" if neck else ""),
                   f"{ch} 的{name[1]}比{what[1]}低 {1 - cur / ref:.0%}（{pair[1]}）"
                   + ("，是该渠道的瓶颈" if neck else ""))
            rule = ((f"back to {_pct(share)} of the way to its own median of the earlier complete months",
                     f"回到此前完整月份的自身中位数（缩小差距的 {_pct(share)}）") if is_hist else
                    (f"close {_pct(share)} of the gap to the peer median", f"缩小与同行中位数差距的 {_pct(share)}"))
            if is_hist and n_hist < rules.min_history_months:
                out.append(_not_measurable(kind, ch, lever, stage, why, "funnel",
                                           (f"needs {rules.min_history_months} complete months of {ch}'s "
                                            f"history (has {n_hist})",
                                            f"需要 {ch} 至少 {rules.min_history_months} 个完整月的历史（现有 {n_hist}）")))
                continue
            target = cur + share * (ref - cur)
            # the current month is one draw; the history median of n months has variance ≈ π/2 · σ²/n
            se = spread * math.sqrt(1 + math.pi / (2 * n_hist)) if is_hist and n_hist else spread
            mid, lo, hi = _rate_levers(lever, cur, target, se, z)
            out.append(_record(kind=kind, channel=ch, lever=lever, levers=mid, levers_low=lo, levers_high=hi,
                               metric=stage, today=cur, target=target, rule=rule, why=why, section="funnel",
                               cost_kind="none"))
    if not has_peers:
        out.append(_not_measurable("funnel_peer", "all", "view_rate/ctr/cvr", "funnel steps",
                                   ("no peer benchmark loaded: the gap to peers is unknown",
                                    "未加载同行基准：与同行的差距未知"), "funnel",
                                   ("needs a peer benchmarks file (category, metric, p25, p50, p75)",
                                    "需要同行基准文件（category, metric, p25, p50, p75）")))
    return out


def capability_actions(metrics: pd.DataFrame, capabilities: pd.DataFrame, rules: PlanRules,
                       available: set[str], history_months: int = 0) -> list[dict[str, Any]]:
    """One action per weak capability, through the seed's channels and its lever metric.

    Parameters
    ----------
    metrics : DataFrame
        :func:`fact_toolkit.diagnosis.capability_scores`.
    capabilities : DataFrame
        :func:`fact_toolkit.diagnosis.summarize_capabilities` (index capability, ``score``).
    rules : PlanRules
    available : set of str
        Channels with a what-if baseline.
    history_months : int
        Complete months behind an own-history score. Its lever spread is the monthly
        spread (IQR ÷ 1.349) with the median's own error (× √(1 + π/2n)); a peer score
        has no spread in the data.
    """
    out: list[dict[str, Any]] = []
    if capabilities is None or capabilities.empty:
        return out
    for cap, row in capabilities.iterrows():
        score = float(row["score"])
        if not np.isfinite(score) or score >= rules.weak_score:
            continue
        names = CAPABILITIES.get(str(cap), (str(cap), str(cap)))
        why = (f"{names[1]} capability scores {score:.0f}/100 (below {rules.weak_score:.0f})",
               f"{names[0]} {score:.0f} 分（低于 {rules.weak_score:.0f}）")
        spec = CAPABILITY_LEVER.get(str(cap))
        if spec is None:
            out.append(_not_measurable("capability", "T+A", "—", str(cap), why, "capabilities",
                                       ("needs a brand lever (search after viewing, followers) that the what-if "
                                        "engine does not model", "需要品牌类杠杆（看后搜、涨粉），假设分析引擎没有此杠杆")))
            continue
        metric, lever, channels = spec
        m = metrics.loc[metrics["metric"].eq(metric)] if metrics is not None and not metrics.empty else metrics
        if m is None or m.empty or not np.isfinite(float(m["value"].iloc[0])) \
                or not np.isfinite(float(m["p50"].iloc[0])):
            for ch in channels:
                out.append(_not_measurable("capability", ch, lever, metric, why, "capabilities",
                                           (f"needs {metric} and its reference (p50) in the data",
                                            f"需要数据中有 {metric} 及其参照（p50）")))
            continue
        value, p50 = float(m["value"].iloc[0]), float(m["p50"].iloc[0])
        lower_better = bool(m["lower_is_better"].iloc[0])
        if (value <= p50) if lower_better else (value >= p50):
            continue  # the capability is weak for other reasons: its lever metric is on the good side
        target = value + rules.capability_gap_share * (p50 - value)
        basis = str(m["basis"].iloc[0])
        se_log = np.nan
        if basis == "own history" and history_months >= 2:
            iqr = float(m["p75"].iloc[0]) - float(m["p25"].iloc[0])
            se_log = iqr / 1.349 / p50 * math.sqrt(1 + math.pi / (2 * history_months))
        mid, lo, hi = _rate_levers(lever, value, target, se_log, rules.z)
        if lower_better:  # a lower value is the better one (price): the low lever is the larger cut
            lo, hi = hi, lo
        for ch in channels:
            if ch not in available:
                out.append(_not_measurable("capability", ch, lever, metric, why, "capabilities",
                                           _needs_baseline(ch)))
                continue
            out.append(_record(kind="capability", channel=ch, lever=lever, levers=mid,
                               levers_low=lo, levers_high=hi, metric=metric, today=value,
                               target=target,
                               rule=(f"close {_pct(rules.capability_gap_share)} of the gap between "
                                     f"{_lbl(metric)[0]} and its p50 ({basis}), on the seed's channel {ch}",
                                     f"把{_lbl(metric)[1]}与 p50（{basis}）的差距缩小 "
                                     f"{_pct(rules.capability_gap_share)}，作用于原文建议的渠道 {ch}"),
                               why=_join(why, (f"{_lbl(metric)[0]} {value:.4g} vs p50 {p50:.4g}",
                                               f"{_lbl(metric)[1]} {value:.4g}，p50 {p50:.4g}")),
                               section="capabilities",
                               cost_kind="commission" if ch in ("A", "T") else "none"))
    return out


def ratio_se(num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
    """A ratio of sums Σnum ÷ Σden and its standard error (ratio estimator over the rows).

    Used for paid amount per exposure (the registry's show GPM ÷ 1000 when the exposure
    column is ``exposure_pv``) of a segment against its channel: only ratios of two such
    values enter a lever, so the scale cancels; the standard error is what this adds.

    ``se² = n/(n−1) · Σ(numᵢ − R·denᵢ)² ÷ (Σden)²``; NaN with fewer than two rows.

    Examples
    --------
    >>> r, se = ratio_se(np.array([2.0, 4.0]), np.array([1.0, 1.0]))
    >>> r, round(se, 3)
    (3.0, 1.0)
    """
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = np.isfinite(num) & np.isfinite(den)
    num, den = num[ok], den[ok]
    n, d = len(num), float(den.sum())
    if n == 0 or d <= 0:
        return float("nan"), float("nan")
    r = float(num.sum()) / d
    if n < 2:
        return r, float("nan")
    se = math.sqrt(n / (n - 1) * float(((num - r * den) ** 2).sum())) / d
    return r, se


def _amount(frame: pd.DataFrame) -> str:
    return "paid_amount" if "paid_amount" in frame and frame["paid_amount"].notna().any() else "gmv"


def _exposure(frame: pd.DataFrame) -> str | None:
    for c in ("exposure_pv", "exposure_uv", "view_pv"):
        if c in frame and frame[c].notna().any():
            return c
    return None


def _yield_levers(boost_share: float, ratio: float, ratio_se_log: float, z: float,
                  assumptions: Assumptions, *, add_traffic: bool) -> tuple[dict, dict, dict]:
    """Lever values for moving ``boost_share`` of a channel's exposure onto a segment that yields
    ``ratio`` × the channel's paid amount per exposure.

    ``add_traffic``: the exposure is bought on top (``content`` lever carries it, ``cvr`` makes it
    convert at the segment's yield); otherwise it is moved from the rest of the channel's content
    (``cvr`` only).
    """

    def at(r: float) -> dict[str, float]:
        if add_traffic:
            content = (1 + boost_share) ** (1 / assumptions.content_returns)
            return {"content": _clip_lever("content", content),
                    "cvr": _clip_lever("cvr", (1 + boost_share * r) / (1 + boost_share))}
        return {"cvr": _clip_lever("cvr", 1 + boost_share * (r - 1))}

    lo = ratio * math.exp(-z * ratio_se_log) if np.isfinite(ratio_se_log) else ratio
    hi = ratio * math.exp(z * ratio_se_log) if np.isfinite(ratio_se_log) else ratio
    return at(ratio), at(lo), at(hi)


def talent_actions(matrix: pd.DataFrame, content: pd.DataFrame, rules: PlanRules, assumptions: Assumptions,
                   available: set[str], channel: str = "A") -> list[dict[str, Any]]:
    """More exposure for the top high-GPM, low-exposure talents, bought as traffic support.

    "Top": largest (GPM − the channel's GPM) × views, the amount their edge earns.

    The talents come from ``matrix``; their exposure share ``s`` of the channel and their
    paid amount per exposure relative to the channel's (``r``) come from ``content`` (the
    diagnosis range: such talents post now and then, a few weeks hold too few of their
    items); ``+talent_boost`` exposure
    for them is ``+talent_boost · s`` exposure for the channel, converting ``r`` times as
    well as the channel's average. The cost is the commission on the extra sales and the
    traffic support (priced later at the brand's own cost per 1,000 impressions).
    """
    if matrix is None or matrix.empty or "hidden_gem" not in matrix:
        return []
    # which gems first: by the paid amount their edge earns on their own views, (GPM − channel GPM) × views,
    # not by GPM alone, which a talent with a handful of views tops by luck
    views = pd.to_numeric(matrix["views"], errors="coerce")
    on_channel = content.loc[content["fact_channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    ch_gpm = compute(on_channel, METRICS["gpm"]) if not on_channel.empty else np.nan
    edge = numerator_of("gpm", pd.to_numeric(matrix["gpm"], errors="coerce") - ch_gpm, views)
    gems = matrix.assign(edge_=edge).loc[matrix["hidden_gem"].astype(bool)]
    gems = gems.sort_values("edge_", ascending=False).head(rules.talent_top)
    if gems.empty:
        return []
    names = ", ".join(str(x) for x in gems.get("account_name", gems.index))
    why = (f"{len(gems)} talent(s) with GPM in the top quarter and exposure in the bottom half of {channel}: "
           f"{names}", f"{channel} 中 {len(gems)} 位达人 GPM 居前四分之一、曝光居后一半：{names}")
    if channel not in available:
        return [_not_measurable("talent", channel, "content+cvr", "exposure", why, "talents",
                                _needs_baseline(channel))]
    a = content.loc[content["fact_channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    exp, amt = _exposure(a), _amount(a)
    if exp is None:
        return [_not_measurable("talent", channel, "content+cvr", "exposure", why, "talents",
                                ("needs exposure (曝光) columns on the talents' content", "需要达人内容的曝光列"))]
    a = a.loc[a[exp].notna() & a[amt].notna()]
    is_gem = a["account_id"].isin(list(gems.index)).to_numpy(dtype=bool)
    y_all, _ = ratio_se(a[amt].to_numpy(float), a[exp].to_numpy(float))
    y_gem, se_gem = ratio_se(a.loc[is_gem, amt].to_numpy(float), a.loc[is_gem, exp].to_numpy(float))
    share = float(a.loc[is_gem, exp].sum() / a[exp].sum()) if a[exp].sum() > 0 else np.nan
    if not (np.isfinite(y_all) and y_all > 0 and np.isfinite(y_gem) and np.isfinite(share)):
        return [_not_measurable("talent", channel, "content+cvr", "exposure", why, "talents",
                                ("needs paid amount and exposure on the talents' content",
                                 "需要达人内容的支付金额和曝光"))]
    ratio = y_gem / y_all
    se_log = se_gem / y_gem if y_gem > 0 and np.isfinite(se_gem) else np.nan
    b = rules.talent_boost * share
    mid, lo, hi = _yield_levers(b, ratio, se_log, rules.z, assumptions, add_traffic=True)
    return [_record(kind="talent", channel=channel, lever="content+cvr", levers=mid, levers_low=lo, levers_high=hi,
                    metric="exposure share", today=share, target=share * (1 + rules.talent_boost),
                    rule=(f"+{_pct(rules.talent_boost)} exposure for the top {rules.talent_top} high-GPM, "
                          "low-exposure talents, bought as traffic support",
                          f"为前 {rules.talent_top} 位高 GPM 低曝光达人购买流量支持，曝光 +{_pct(rules.talent_boost)}"),
                    why=_join(why, (f"they earn {ratio:.2f}× the channel's paid amount per exposure",
                                    f"每次曝光的支付金额是渠道平均的 {ratio:.2f} 倍")),
                    section="talents", cost_kind="commission+support", support_share=b)]


def form_actions(content: pd.DataFrame, rules: PlanRules, available: set[str],
                 window: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Per channel, move ``form_shift`` of its video exposure to the high-GPM, low-exposure form.

    A form qualifies when its paid amount per 1,000 views is in the top quarter of the
    channel's forms and its exposure in the bottom half (:func:`high_gpm_low_exposure`)
    over ``content`` (the diagnosis range), and it yields more per exposure than the
    channel's other forms. Yields and the video share of exposure come from ``window``
    (the what-if baseline's window; ``content`` when None).
    """
    out: list[dict[str, Any]] = []
    if content is None or content.empty or "content_form" not in content or content["content_form"].notna().sum() == 0:
        return out
    for ch in sorted(content["fact_channel"].dropna().astype(str).unique()):
        c = content.loc[content["fact_channel"].eq(ch).fillna(False).to_numpy(dtype=bool)]
        exp, amt = _exposure(c), _amount(c)
        if exp is None or "view_pv" not in c:
            continue
        c = c.loc[c[exp].notna() & c[amt].notna()]
        v = c.loc[c["content_form"].notna().to_numpy(dtype=bool)]
        if v.empty or v["content_form"].nunique() < 3:
            continue
        forms = form_performance(v)  # GPM per form from the metric registry (ratio of sums)
        forms["exposure"] = v.groupby("content_form", observed=True)[exp].sum().reindex(forms.index)
        flag = high_gpm_low_exposure(forms.dropna(subset=["gpm", "exposure"]))
        if not flag.any():
            continue
        best = str(forms.loc[flag[flag].index, "gpm"].idxmax())
        if window is not None:
            c = window.loc[window["fact_channel"].eq(ch).fillna(False).to_numpy(dtype=bool)]
            c = c.loc[c[exp].notna() & c[amt].notna()] if exp in c and amt in c else c.iloc[0:0]
            v = c.loc[c["content_form"].notna().to_numpy(dtype=bool)]
            if v.empty or not v["content_form"].eq(best).any():
                continue
        in_f = v["content_form"].eq(best).to_numpy(dtype=bool)
        y_f, se_f = ratio_se(v.loc[in_f, amt].to_numpy(float), v.loc[in_f, exp].to_numpy(float))
        y_r, se_r = ratio_se(v.loc[~in_f, amt].to_numpy(float), v.loc[~in_f, exp].to_numpy(float))
        y_ch, _ = ratio_se(c[amt].to_numpy(float), c[exp].to_numpy(float))
        video_share = float(v[exp].sum() / c[exp].sum()) if c[exp].sum() > 0 else np.nan
        if not all(np.isfinite(x) and x > 0 for x in (y_f, y_r, y_ch, video_share)) or y_f <= y_r:
            continue
        share_f = forms.loc[best, "exposure"] / forms["exposure"].sum()
        why = (f"content form {best} on {ch}: GPM {forms.loc[best, 'gpm']:.0f} (top of {len(forms)} forms) with "
               f"{share_f:.0%} of the videos' exposure",
               f"{ch} 的内容形式「{best}」：GPM {forms.loc[best, 'gpm']:.0f}（{len(forms)} 种形式中最高），"
               f"只占短视频曝光的 {share_f:.0%}")
        if ch not in available:
            out.append(_not_measurable("form", ch, "cvr", "content_form", why, "forms", _needs_baseline(ch)))
            continue
        # moving δ of the video exposure from the rest to the form changes the channel's yield by
        # δ · video share · (y_form − y_rest) ÷ y_channel; its spread from both ratio estimates
        delta = rules.form_shift * video_share
        r = 1 + (y_f - y_r) / y_ch  # yield of the moved exposure relative to the channel, as the helper wants
        se = math.hypot(se_f if np.isfinite(se_f) else 0.0, se_r if np.isfinite(se_r) else 0.0) / y_ch
        se_log = se / r if r > 0 else np.nan
        mid, lo, hi = _yield_levers(delta, r, se_log, rules.z, Assumptions(), add_traffic=False)
        out.append(_record(kind="form", channel=ch, lever="cvr", levers=mid, levers_low=lo, levers_high=hi,
                           metric="video exposure share", today=float(share_f),
                           target=float(min(1.0, share_f + rules.form_shift)),
                           rule=(f"move {_pct(rules.form_shift)} of {ch}'s video exposure to {best}",
                                 f"把 {ch} 短视频曝光的 {_pct(rules.form_shift)} 转给「{best}」"),
                           why=_join(why, (f"it yields {y_f / y_r:.2f}× the other forms per exposure",
                                           f"每次曝光的支付金额是其他形式的 {y_f / y_r:.2f} 倍")),
                           section="forms", cost_kind="commission" if ch in ("A", "T") else "none"))
    return out


def campaign_actions(table: pd.DataFrame, base: pd.DataFrame, rules: PlanRules) -> list[dict[str, Any]]:
    """A channel whose mean campaign uplift trails the median channel's: raise its campaign lift.

    The engine adds campaigns as ``1 + lift · share`` on organic traffic; a lift ``k`` times
    larger is the same as ``k`` times the share, so the action is the ``campaign_share``
    lever at ``share × target ÷ today`` (at most 1).
    """
    out: list[dict[str, Any]] = []
    if table is None or table.empty or "uplift" not in table:
        return out
    t = table.loc[table["fact_channel"].ne("all") & table["uplift"].notna()]
    stats = t.groupby("fact_channel")["uplift"].agg(["mean", "std", "count"])
    if len(stats) < 2:
        return out
    ref = float(stats["mean"].median())
    for ch, s in stats.iterrows():
        ch = str(ch)
        mean, n = float(s["mean"]), int(s["count"])
        if not mean < ref - rules.tolerance:
            continue
        why = (f"{ch}'s mean campaign uplift {mean:+.0%} over {n} campaigns trails the median channel's {ref:+.0%}",
               f"{ch} 在 {n} 次大促中的平均提升 {mean:+.0%}，低于各渠道中位数 {ref:+.0%}")
        if n < rules.min_campaigns:
            out.append(_not_measurable("campaign", ch, "campaign_share", "uplift", why, "campaigns",
                                       (f"needs {rules.min_campaigns} campaign windows on {ch} (has {n})",
                                        f"需要 {ch} 至少 {rules.min_campaigns} 个大促窗口（现有 {n}）")))
            continue
        if mean <= 0:
            out.append(_not_measurable("campaign", ch, "campaign_share", "uplift", why, "campaigns",
                                       ("needs a positive campaign uplift on the channel to scale",
                                        "需要该渠道的大促提升为正才能放大")))
            continue
        if ch not in base.index or not bool(base.loc[ch, "available"]):
            out.append(_not_measurable("campaign", ch, "campaign_share", "uplift", why, "campaigns",
                                       _needs_baseline(ch)))
            continue
        share0 = float(base.loc[ch, "campaign_share"])
        if not np.isfinite(share0) or share0 <= 0 or float(base.loc[ch, "campaign_lift"]) <= 0:
            out.append(_not_measurable("campaign", ch, "campaign_share", "uplift", why, "campaigns",
                                       ("needs campaign days with a positive traffic lift in the channel's history",
                                        "需要历史中大促日带来正的流量提升")))
            continue
        target = mean + rules.campaign_gap_share * (ref - mean)
        se_log = float(s["std"]) / math.sqrt(n) / mean if np.isfinite(s["std"]) else np.nan

        def share(k: float) -> dict[str, float]:
            return {"campaign_share": float(min(1.0, max(0.0, share0 * k)))}

        k = target / mean
        z = rules.z
        out.append(_record(kind="campaign", channel=ch, lever="campaign_share", levers=share(k),
                           levers_low=share(k * math.exp(-z * se_log)) if np.isfinite(se_log) else share(k),
                           levers_high=share(k * math.exp(z * se_log)) if np.isfinite(se_log) else share(k),
                           metric="campaign uplift", today=mean, target=target,
                           rule=(f"close {_pct(rules.campaign_gap_share)} of the gap to the median channel's "
                                 "campaign uplift (as more effective campaign days)",
                                 f"把大促提升与各渠道中位数的差距缩小 {_pct(rules.campaign_gap_share)}（折算为更多有效大促天数）"),
                           why=why, section="campaigns", cost_kind="none"))
    return out
