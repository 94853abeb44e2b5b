"""What-if engine: apply the levers to a baseline and walk the weeks forward (funnel, snowball, dilution).

The laws are written in the package's docstring (:mod:`fact_toolkit.whatif`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import FactInputError
from ..metrics import ratio, ratio_of_sums
from .assumptions import Assumptions
from .levers import _ELASTICITY_RANGE, _MAX_WEEKS, _MIN_WEEKS, Levers, check_levers

__all__ = ["OUTPUT_METRICS", "Scenario", "run_scenario"]


#: metric → (zh, en) label of the scenario outputs
OUTPUT_METRICS: dict[str, tuple[str, str]] = {
    "exposure": ("曝光", "Exposure"),
    "traffic": ("流量入口量", "Traffic (first stage)"),
    "views": ("观看", "Views"),
    "buyers": ("成交人数", "Buyers"),
    "paid_amount": ("用户支付金额", "Paid amount"),
    "gmv": ("成交金额", "GMV"),
    "net_gmv": ("净成交金额", "Net GMV"),
    "gpm": ("千次观看成交金额", "GPM"),
    "ad_spend": ("投放消耗", "Ad spend"),
    "roi": ("整体支付ROI", "ROI"),
    "commission": ("佣金支出", "Commission"),
}


_ADDITIVE_OUT = ("exposure", "traffic", "views", "buyers", "paid_amount", "gmv", "net_gmv", "ad_spend",
                 "commission")


@dataclass
class Scenario:
    """A computed scenario beside its baseline.

    Attributes
    ----------
    path : DataFrame
        Week by week: ``week`` (1…H), ``channel``, ``case`` (``baseline``/``scenario``) and
        the metrics of :data:`OUTPUT_METRICS`. Unavailable channels are absent.
    summary : DataFrame
        Over the whole horizon, index (``channel``, ``metric``) with ``total`` the sum over
        available channels; columns ``baseline``, ``scenario``, ``change_pct`` and ``note``
        (the reason for an unavailable channel). Ratios are recomputed from sums; ROI pairs
        ad spend with ``roi_amount``, the paid amount of rows that report ad spend.
    baseline : DataFrame
        The output of :func:`baseline` used.
    levers : dict of str to Levers
        Levers per channel.
    elasticity : dict of str to float
    assumptions : Assumptions
    horizon_weeks : int
    """

    path: pd.DataFrame
    summary: pd.DataFrame
    baseline: pd.DataFrame
    levers: dict[str, Levers]
    elasticity: dict[str, float]
    assumptions: Assumptions
    horizon_weeks: int

    def total(self, metric: str = "gmv", case: str = "scenario") -> float:
        """The horizon total of one metric over all available channels."""
        return float(self.summary.loc[("total", metric), case])


def _levers_by_channel(levers: Levers | Mapping[str, Levers] | None, channels: list[str]) -> dict[str, Levers]:
    if levers is None:
        levers = Levers()
    if isinstance(levers, Levers):
        out = {ch: levers for ch in channels}
    elif isinstance(levers, Mapping):
        unknown = [k for k in levers if k != "all" and k not in channels]
        if unknown:
            raise FactInputError("levers", f"unknown channel {unknown[0]!r}",
                                 fix=f"use 'all' or one of {', '.join(channels)}")
        default = levers.get("all", Levers())
        out = {ch: levers.get(ch, default) for ch in channels}
    else:
        raise FactInputError("levers", f"expected Levers or a dict of channel to Levers, got {type(levers).__name__}",
                             fix="use fact_toolkit.whatif.Levers(...)")
    for ch, lv in out.items():
        check_levers(lv, where=f"levers[{ch}]")
    return out


def _elasticity_by_channel(elasticity: float | Mapping[str, float] | pd.DataFrame,
                           channels: list[str]) -> dict[str, float]:
    if isinstance(elasticity, pd.DataFrame):
        elasticity = elasticity["elasticity"].to_dict()
    if isinstance(elasticity, Mapping):
        missing = [ch for ch in channels if ch not in elasticity]
        if missing:
            raise FactInputError("elasticity", f"no elasticity for channel {missing[0]}",
                                 fix="give every channel an elasticity, or one number for all")
        values = {ch: elasticity[ch] for ch in channels}
    else:
        values = {ch: elasticity for ch in channels}
    lo, hi = _ELASTICITY_RANGE
    for ch, e in values.items():
        if isinstance(e, bool) or not isinstance(e, (int, float, np.floating)) or not math.isfinite(e) or not lo <= e <= hi:
            raise FactInputError("elasticity", f"elasticity {e!r} for {ch} is outside {lo:g}–{hi:g}",
                                 fix="use a number such as 0.3")
    return {ch: float(e) for ch, e in values.items()}


def _nan1(x: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), 1.0, x)


def run_scenario(base: pd.DataFrame, levers: Levers | Mapping[str, Levers] | None = None, *,
                 horizon_weeks: int = 12, elasticity: float | Mapping[str, float] | pd.DataFrame = 0.3,
                 assumptions: Assumptions | None = None) -> Scenario:
    """Walk the baseline and the scenario ``horizon_weeks`` weeks forward.

    Parameters
    ----------
    base : DataFrame
        Output of :func:`baseline`.
    levers : Levers or dict of str to Levers, optional
        One set for every channel, or per channel (key ``"all"`` for the rest).
    horizon_weeks : int
        Weeks to simulate (1–104).
    elasticity : float, dict or DataFrame
        Snowball elasticity, one for all channels or per channel (the output of
        :func:`resolve_elasticity` works).
    assumptions : Assumptions, optional
        Response curves; :class:`Assumptions` defaults when None.

    Returns
    -------
    Scenario

    Raises
    ------
    FactInputError
        A lever, the horizon or the elasticity outside its range, or a lever pushing a rate
        above 100 %.
    """
    if isinstance(horizon_weeks, bool) or not isinstance(horizon_weeks, (int, np.integer)) \
            or not _MIN_WEEKS <= horizon_weeks <= _MAX_WEEKS:
        raise FactInputError("horizon_weeks", f"{horizon_weeks!r} is outside {_MIN_WEEKS}–{_MAX_WEEKS}",
                             fix="use a whole number of weeks such as 12")
    asm = assumptions or Assumptions()
    all_channels = [str(c) for c in base.index]
    lv_all = _levers_by_channel(levers, all_channels)
    el_all = _elasticity_by_channel(elasticity, all_channels)
    avail = base.loc[base["available"].astype(bool)]
    chans = [str(c) for c in avail.index]
    H = int(horizon_weeks)

    def col(name: str) -> np.ndarray:
        return avail[name].to_numpy(dtype="float64") if len(avail) else np.zeros(0)

    lv = [lv_all[ch] for ch in chans]

    def lever(name: str) -> np.ndarray:
        return np.array([getattr(x, name) for x in lv], dtype="float64")

    # rates above 100 % are impossible where the baseline rate is a true share
    for rate in ("view_rate", "ctr", "cvr"):
        r = col(rate) * lever(rate)
        bad = np.isfinite(r) & (r > 1.0) & (col(rate) <= 1.0)
        if bad.any():
            i = int(np.argmax(bad))
            raise FactInputError(f"levers[{chans[i]}]", f"{rate} would be {r[i]:.1%} (baseline "
                                 f"{col(rate)[i]:.1%} × {lever(rate)[i]:g}), above 100%",
                                 fix=f"lower the {rate} lever to at most {1 / col(rate)[i]:.2f}")
    elast = np.array([el_all[ch] for ch in chans], dtype="float64")
    C = len(chans)
    share_base = np.nan_to_num(col("campaign_share"))
    lift = np.nan_to_num(col("campaign_lift"))
    pays_commission = np.nan_to_num(col("commission_rate")) > 0
    has_views = ~np.isnan(col("views"))
    view_rate = _nan1(col("view_rate"))
    product_rate = _nan1(col("product_rate"))
    ctr = _nan1(col("ctr"))
    cvr0 = col("cvr")
    organic0, paid0 = col("organic_traffic"), col("paid_traffic")
    aov0 = col("aov")
    gmv_ratio = col("gmv_ratio")
    refund = col("refund_rate")
    comm = col("commission_rate")
    spend0 = col("ad_spend")
    spend_cov = col("spend_coverage")
    # reference GPM and feedback denominator, computed exactly as the engine does with levers at 1,
    # so that levers at the baseline give the baseline bit for bit
    cf_base = 1.0 + lift * share_base  # campaign participation, applied explicitly to organic traffic
    tr0 = organic0 * cf_base + paid0
    fb0 = tr0 * np.where(has_views, view_rate, 1.0)
    g0 = ratio("gpm", tr0 * (view_rate * product_rate * ctr) * cvr0 * aov0, fb0)

    def simulate(lv: list[Levers]) -> dict[str, np.ndarray]:
        def lever(name: str) -> np.ndarray:
            return np.array([getattr(x, name) for x in lv], dtype="float64")

        share_new = np.array([share_base[i] if x.campaign_share is None else x.campaign_share
                              for i, x in enumerate(lv)], dtype="float64")
        commission_l = lever("commission")
        talents_eff = lever("talents") * np.where(pays_commission, commission_l ** asm.commission_response, 1.0)
        static_org = (lever("content") ** asm.content_returns * talents_eff ** asm.talent_returns
                      * (1.0 + lift * share_new))
        price = lever("price")
        spend_l = lever("ad_spend")
        cvr_static = cvr0 * lever("cvr") * price ** (-asm.price_response)
        paid_s = paid0 * spend_l ** asm.ad_returns
        funnel_s = view_rate * lever("view_rate") * product_rate * ctr * lever("ctr")
        fb_factor = np.where(has_views, view_rate * lever("view_rate"), 1.0)
        traffic = np.empty((H, C))
        fbden = np.empty((H, C))
        buyers = np.empty((H, C))
        amount = np.empty((H, C))
        snow = np.ones(C)
        for t in range(H):
            tr = organic0 * static_org * snow + paid_s
            den = tr * fb_factor
            # dilution follows traffic (new people reached), not the exposure→view rate
            rel = np.divide(tr, tr0, out=np.ones(C), where=tr0 > 0)
            dil = np.power(rel, -asm.dilution, out=np.ones(C), where=rel > 0) if asm.dilution else np.ones(C)
            cvr_t = cvr_static * dil
            cvr_t = np.where((cvr0 <= 1.0) & (cvr_t > 1.0), 1.0, cvr_t)
            b = tr * funnel_s * cvr_t
            amt = b * aov0 * price
            g = ratio("gpm", amt, den)
            traffic[t], fbden[t], buyers[t], amount[t] = tr, den, b, amt
            ratio_g = np.divide(g, g0, out=np.ones(C), where=g0 > 0)
            snow = np.where(np.isfinite(ratio_g) & (ratio_g > 0), ratio_g, 1.0) ** elast
        out = {"traffic": traffic, "exposure": np.where(np.isnan(col("exposure")), np.nan, traffic),
               "views": np.where(has_views, fbden, np.nan), "buyers": buyers, "paid_amount": amount}
        out["gmv"] = amount * gmv_ratio
        out["net_gmv"] = out["gmv"] * (1.0 - refund)
        out["gpm"] = ratio("gpm", amount, fbden)
        out["ad_spend"] = np.broadcast_to(spend0 * spend_l, (H, C)).copy()
        out["roi"] = ratio("roi", amount * spend_cov, out["ad_spend"])
        out["roi_amount"] = amount * spend_cov  # the amount ROI pairs with ad spend
        out["commission"] = amount * comm * commission_l
        return out

    s_out = simulate(lv)
    b_out = simulate([Levers()] * C)
    path = _path_frame(b_out, s_out, chans, H)
    summary = _summary(b_out, s_out, chans, base, has_views)
    return Scenario(path=path, summary=summary, baseline=base, levers=lv_all, elasticity=el_all,
                    assumptions=asm, horizon_weeks=H)


_PATH_METRICS = ("exposure", "traffic", "views", "buyers", "paid_amount", "gmv", "net_gmv", "gpm", "ad_spend",
                 "roi", "roi_amount", "commission")


def _path_frame(b: dict[str, np.ndarray], s: dict[str, np.ndarray], chans: list[str], H: int) -> pd.DataFrame:
    C = len(chans)
    week = np.tile(np.repeat(np.arange(1, H + 1), C), 2)
    channel = np.tile(np.array(chans, dtype=object), 2 * H)
    case = np.repeat(np.array(["baseline", "scenario"], dtype=object), H * C)
    data = {"week": week, "channel": channel, "case": case}
    for m in _PATH_METRICS:
        data[m] = np.concatenate([np.asarray(b[m], dtype="float64").ravel(), np.asarray(s[m], dtype="float64").ravel()])
    return pd.DataFrame(data)


def _summary(b: dict[str, np.ndarray], s: dict[str, np.ndarray], chans: list[str], base: pd.DataFrame,
             has_views: np.ndarray) -> pd.DataFrame:
    def totals(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        t = {m: np.asarray(d[m]).sum(axis=0) for m in (*_ADDITIVE_OUT, "roi_amount")}
        den = np.where(has_views, t["views"], t["traffic"])
        t["gpm"] = ratio("gpm", t["paid_amount"], den)
        t["roi"] = ratio("roi", t["roi_amount"], t["ad_spend"])
        return t

    tb, ts = totals(b), totals(s)
    metrics = list(OUTPUT_METRICS)
    rows: list[tuple[str, str, float, float, str]] = []
    for ch in base.index:
        ch = str(ch)
        if ch in chans:
            i = chans.index(ch)
            for m in metrics:
                rows.append((ch, m, float(tb[m][i]), float(ts[m][i]), ""))
        else:
            reason = str(base.loc[ch, "reason"]) or "unavailable"
            for m in metrics:
                rows.append((ch, m, np.nan, np.nan, f"unavailable: {reason}"))
    # total over available channels; ratios from sums, each over the channels that have it
    for m in metrics:
        vals = []
        for t in (tb, ts):
            if m == "gpm":
                v = ratio("gpm", t["paid_amount"][has_views].sum(), t["views"][has_views].sum())
            elif m == "roi":
                ok = np.isfinite(t["ad_spend"]) & (t["ad_spend"] > 0) & np.isfinite(t["roi_amount"])
                v = ratio_of_sums("roi", t["roi_amount"][ok], t["ad_spend"][ok])
            else:
                x = np.asarray(t[m], dtype="float64")
                v = float(np.nansum(x)) if np.isfinite(x).any() else np.nan
            vals.append(float(v))
        note = "" if chans else "no channel has baseline data"
        if m == "gpm" and len(chans) and not has_views.all():
            note = "channels with views only"
        rows.append(("total", m, vals[0], vals[1], note))
    out = pd.DataFrame(rows, columns=["channel", "metric", "baseline", "scenario", "note"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out["baseline"].abs() > 0,
                                     (out["scenario"] / out["baseline"] - 1.0) * 100, np.nan)
    return out.set_index(["channel", "metric"])[["baseline", "scenario", "change_pct", "note"]]
