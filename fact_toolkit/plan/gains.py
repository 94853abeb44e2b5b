"""Gains: each candidate action walked through the what-if engine, ranked, and the top 3 combined.

Pure functions over frames. The horizon GMV gain of an action is the what-if scenario
(its levers on its channel, snowball included) minus the baseline, over the horizon. Its
low–high range takes the smallest and the largest gain over the corners of

* the snowball elasticity's 95 % interval (:func:`plan_elasticity`), and
* the lever's own low–high values (the action's ``levers_low`` / ``levers_high``),

so a gain whose range excludes zero is one that holds at both ends of both intervals.

Net gain = Δ net GMV (after refunds) − Δ commission − Δ ad spend − traffic support
(extra exposure × the brand's own cost per 1,000 impressions from the ads report). A
cost the data cannot price leaves the net gain missing, and the action is ranked after
the priced ones, with what it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..metrics import numerator_of, ratio
from ..whatif import LEVER_RANGES, Assumptions, Levers, resolve_elasticity, run_scenario

__all__ = ["DEFAULT_ELASTICITY", "DEFAULT_ELASTICITY_RANGE", "plan_elasticity", "cost_per_mille", "feasible",
           "simulate_actions", "rank_actions", "combined_plan", "levers_of"]

#: the snowball elasticity where the model finds none, and the range it is given then
DEFAULT_ELASTICITY: float = 0.3
DEFAULT_ELASTICITY_RANGE: tuple[float, float] = (0.0, 0.6)
_EL_BOUNDS = (0.0, 2.0)


def plan_elasticity(data: Any, currency: str | None = None, *, default: float = DEFAULT_ELASTICITY,
                    default_range: tuple[float, float] = DEFAULT_ELASTICITY_RANGE) -> pd.DataFrame:
    """The snowball elasticity per channel with its 95 % interval: the plan's one source of it.

    Today the per-channel estimate of :func:`fact_toolkit.whatif.resolve_elasticity`
    (source ``"model"``): where the model finds a snowball its estimate and interval;
    where it estimates one without finding it, ``default`` inside the model's interval;
    where it cannot estimate, ``default`` with ``default_range``. Every value is kept
    within 0–2. Switching to another estimator (a pooled one) changes this function only.

    Returns
    -------
    DataFrame
        Index ``channel``; ``elasticity``, ``low``, ``high``, ``source``.
    """
    el = resolve_elasticity("model", default, data, currency=currency)
    lo_b, hi_b = _EL_BOUNDS
    out = pd.DataFrame(index=el.index)
    out["elasticity"] = el["elasticity"].astype(float)
    ci_lo = pd.to_numeric(el["ci_low"], errors="coerce").clip(lo_b, hi_b)
    ci_hi = pd.to_numeric(el["ci_high"], errors="coerce").clip(lo_b, hi_b)
    has_ci = ci_lo.notna() & ci_hi.notna()
    out["low"] = np.where(has_ci, np.minimum(ci_lo, out["elasticity"]), default_range[0])
    out["high"] = np.where(has_ci, np.maximum(ci_hi, out["elasticity"]), default_range[1])
    out["source"] = [s if h else f"{s}; range {default_range[0]:g}–{default_range[1]:g} stated"
                     for s, h in zip(el["source"].astype(str), has_ci)]
    return out


def cost_per_mille(ads: pd.DataFrame | None, start: pd.Timestamp | None = None,
                   end: pd.Timestamp | None = None) -> float:
    """The brand's own cost per 1,000 paid impressions (Σ spend ÷ Σ impressions × 1000), NaN without ads.

    Examples
    --------
    >>> a = pd.DataFrame({"ad_spend": [100.0, 300.0], "impressions": [10_000, 30_000]})
    >>> cost_per_mille(a)
    10.0
    """
    if ads is None or ads.empty or not {"ad_spend", "impressions"} <= set(ads.columns):
        return float("nan")
    a = ads
    if "date" in a and start is not None and end is not None:
        d = pd.to_datetime(a["date"])
        a = a.loc[((d >= start) & (d <= end)).fillna(False).to_numpy(dtype=bool)]
    s = pd.to_numeric(a["ad_spend"], errors="coerce").to_numpy(float)
    i = pd.to_numeric(a["impressions"], errors="coerce").to_numpy(float)
    ok = np.isfinite(s) & np.isfinite(i) & (i > 0)
    return ratio("cpm", s[ok].sum(), i[ok].sum()) if ok.any() else float("nan")


def levers_of(spec: Mapping[str, Mapping[str, float]]) -> dict[str, Levers]:
    """``{channel: {lever: value}}`` → ``{channel: Levers}`` (what the engine and the panel take)."""
    return {ch: Levers(**dict(v)) for ch, v in spec.items()}


def feasible(spec: Mapping[str, Mapping[str, float]], base: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Levers kept inside :data:`fact_toolkit.whatif.LEVER_RANGES`, and rates at most 100 %.

    The high end of a lever's own range can ask for more than a rate allows (a 60 %
    exposure→view rate × 2): it is capped where the rate reaches 100 %, as the engine demands.

    Examples
    --------
    >>> b = pd.DataFrame({"view_rate": [0.6], "ctr": [0.1], "cvr": [0.05]}, index=["F"])
    >>> feasible({"F": {"view_rate": 2.0, "cvr": 3.0}}, b)
    {'F': {'view_rate': 1.6666666666666667, 'cvr': 2.0}}
    """
    out: dict[str, dict[str, float]] = {}
    for ch, lv in spec.items():
        cur = {}
        for name, v in lv.items():
            lo, hi = LEVER_RANGES[name]
            v = float(min(max(float(v), lo), hi))
            if name in ("view_rate", "ctr", "cvr") and ch in base.index and name in base:
                r0 = float(base.loc[ch, name])
                if np.isfinite(r0) and 0 < r0 <= 1:
                    v = min(v, 1.0 / r0)
            cur[name] = v
        out[ch] = cur
    return out


def _run(base: pd.DataFrame, spec: Mapping[str, Mapping[str, float]], el: Mapping[str, float], weeks: int,
         assumptions: Assumptions) -> dict[str, float]:
    sc = run_scenario(base, levers_of(feasible(spec, base)), horizon_weeks=weeks, elasticity=dict(el),
                      assumptions=assumptions)
    s = sc.summary
    out = {}
    for m in ("gmv", "net_gmv", "commission", "ad_spend", "traffic"):
        d = s.loc[("total", m), "scenario"] - s.loc[("total", m), "baseline"]
        out[m] = float(d) if np.isfinite(d) else 0.0
    out["baseline_gmv"] = float(s.loc[("total", "gmv"), "baseline"])
    return out


def _corners(base: pd.DataFrame, specs: tuple[dict, dict, dict], elasticity: pd.DataFrame, weeks: int,
             assumptions: Assumptions, support_cost: float = 0.0) -> dict[str, float]:
    """Mid gain and the low/high over the corners (elasticity low/high × lever low/high)."""
    e = elasticity
    runs = [_run(base, specs[0], e["elasticity"].to_dict(), weeks, assumptions)]
    for en in ("low", "high"):
        for li in (1, 2):
            runs.append(_run(base, specs[li], e[en].to_dict(), weeks, assumptions))
    gains = [r["gmv"] for r in runs]
    nets = [r["net_gmv"] - r["commission"] - r["ad_spend"] - support_cost for r in runs]
    mid = runs[0]
    return {"gain": mid["gmv"], "gain_low": float(min(gains)), "gain_high": float(max(gains)),
            "net_gain": nets[0], "net_gain_low": float(min(nets)), "net_gain_high": float(max(nets)),
            "delta_net_gmv": mid["net_gmv"], "commission": mid["commission"], "ad_spend": mid["ad_spend"],
            "support_cost": support_cost, "baseline_gmv": mid["baseline_gmv"]}


def simulate_actions(actions: pd.DataFrame, base: pd.DataFrame, elasticity: pd.DataFrame, *, weeks: int = 8,
                     assumptions: Assumptions | None = None, cpm: float = float("nan")) -> pd.DataFrame:
    """Walk every measurable action through the what-if engine over ``weeks`` weeks.

    Parameters
    ----------
    actions : DataFrame
        One row per candidate (the records of :mod:`fact_toolkit.plan.actions`).
    base : DataFrame
        :func:`fact_toolkit.whatif.baseline`.
    elasticity : DataFrame
        :func:`plan_elasticity`.
    weeks : int
        Horizon.
    assumptions : Assumptions, optional
    cpm : float
        Cost per 1,000 impressions of traffic support (:func:`cost_per_mille`); NaN when
        the data has no ads report.

    Returns
    -------
    DataFrame
        ``actions`` with ``gain, gain_low, gain_high`` (horizon GMV), ``net_gain`` and its
        range, ``commission``, ``ad_spend``, ``support_cost``, ``cost``, ``cost_note`` (and ``cost_note_zh``).
    """
    asm = assumptions or Assumptions()
    out = actions.copy()
    cols = ("gain", "gain_low", "gain_high", "net_gain", "net_gain_low", "net_gain_high", "delta_net_gmv",
            "commission", "ad_spend", "support_cost", "cost", "baseline_gmv")
    for c in cols:
        out[c] = np.nan
    out["cost_note"] = ""
    out["cost_note_zh"] = ""
    for i, r in out.iterrows():
        if not r["measurable"]:
            continue
        specs = tuple({r["channel"]: dict(r[k])} for k in ("levers", "levers_low", "levers_high"))
        note, note_zh, support_cost = "", "", 0.0
        if r["cost_kind"] == "commission+support":
            # the extra exposure bought (share of the channel's weekly traffic × weeks) at the brand's CPM
            extra = float(r["support_share"]) * float(base.loc[r["channel"], "traffic"]) * weeks
            if np.isfinite(cpm):
                support_cost = numerator_of("cpm", cpm, extra)
            else:
                note = "traffic support not priced: needs an ads report (千川) for the cost per 1,000 impressions"
                note_zh = "流量支持无法定价：需要千川投放报表算出千次展示成本"
        res = _corners(base, specs, elasticity, weeks, asm, support_cost)
        for k, v in res.items():
            out.at[i, k] = v
        out.at[i, "cost"] = res["commission"] + res["ad_spend"] + res["support_cost"]
        if note:
            for k in ("net_gain", "net_gain_low", "net_gain_high", "cost"):
                out.at[i, k] = np.nan
        elif r["cost_kind"] == "none" and res["commission"] == 0 and res["ad_spend"] == 0:
            note, note_zh = "effort not priced: no cost in the data", "数据中没有成本（所需投入未定价）"
        out.at[i, "cost_note"] = note
        out.at[i, "cost_note_zh"] = note_zh
    return out


def rank_actions(sim: pd.DataFrame) -> pd.DataFrame:
    """Rank by net gain (priced actions first, then unpriced by gain, then the not measurable).

    Two actions that move the same lever of the same channel are never added: the lower
    one gets ``same_lever_as`` (the ``action_id`` of the higher) and is left out of the
    combined plan. Adds ``rank`` (1 = first) and ``action_id`` where missing.
    """
    t = sim.copy()
    if "action_id" not in t:
        t["action_id"] = [f"a{i + 1}" for i in range(len(t))]
    group = np.where(~t["measurable"].astype(bool), 2, np.where(t["net_gain"].notna(), 0, 1))
    key = np.where(group == 0, -t["net_gain"].fillna(0), np.where(group == 1, -t["gain"].fillna(0), 0))
    t = t.assign(_g=group, _k=key).sort_values(["_g", "_k"], kind="stable").drop(columns=["_g", "_k"])
    t = t.reset_index(drop=True)
    t["rank"] = np.arange(1, len(t) + 1)
    t["same_lever_as"] = ""
    seen: dict[tuple[str, str], str] = {}
    for i, r in t.iterrows():
        if not r["measurable"]:
            continue
        k = (str(r["channel"]), str(r["lever"]))
        if k in seen:
            t.at[i, "same_lever_as"] = seen[k]
        else:
            seen[k] = str(r["action_id"])
    return t


def _merge(specs: list[Mapping[str, Mapping[str, float]]]) -> dict[str, dict[str, float]]:
    """Levers of several actions in one scenario: multipliers on the same lever multiply
    (a talent action's conversion mix on top of a better click→order rate); a share is set."""
    out: dict[str, dict[str, float]] = {}
    for s in specs:
        for ch, lv in s.items():
            cur = out.setdefault(ch, {})
            for name, v in lv.items():
                cur[name] = float(v) if name == "campaign_share" or name not in cur else cur[name] * float(v)
    return out


def combined_plan(ranked: pd.DataFrame, base: pd.DataFrame, elasticity: pd.DataFrame, *, weeks: int = 8,
                  top: int = 3, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """The top ``top`` actions on distinct levers with a positive net gain, simulated as ONE scenario.

    Returns
    -------
    DataFrame
        The waterfall: ``step`` (``baseline``, each action's id, ``plan``), ``label``,
        ``gmv`` (horizon GMV after the step, added one action at a time so the steps sum to
        the plan exactly), ``delta``; the ``plan`` row carries ``gmv_low`` / ``gmv_high``
        (the corners of the elasticity interval and the levers' own ranges, all at once).
        Empty when no action qualifies. ``attrs["actions"]`` lists the chosen ids.
    """
    asm = assumptions or Assumptions()
    ok = ranked.loc[ranked["measurable"].astype(bool) & ranked["same_lever_as"].eq("")
                    & (ranked["net_gain"].fillna(ranked["gain"]) > 0)]
    chosen = ok.head(top)
    if chosen.empty:
        return pd.DataFrame(columns=["step", "label", "gmv", "delta", "gmv_low", "gmv_high"])
    el_mid = elasticity["elasticity"].to_dict()
    rows = []
    first = _run(base, {}, el_mid, weeks, asm)
    base_gmv = first["baseline_gmv"]
    rows.append({"step": "baseline", "label": "baseline", "gmv": base_gmv, "delta": 0.0})
    specs: list[dict[str, dict[str, float]]] = []
    prev = base_gmv
    for _, r in chosen.iterrows():
        specs.append({r["channel"]: dict(r["levers"])})
        g = base_gmv + _run(base, _merge(specs), el_mid, weeks, asm)["gmv"]
        rows.append({"step": r["action_id"], "label": f"{r['channel']} {r['lever']} ({r['kind']})", "gmv": g,
                     "delta": g - prev})
        prev = g
    ends = []
    for en in ("low", "high"):
        for key in ("levers_low", "levers_high"):
            spec = _merge([{r["channel"]: dict(r[key])} for _, r in chosen.iterrows()])
            ends.append(base_gmv + _run(base, spec, elasticity[en].to_dict(), weeks, asm)["gmv"])
    rows.append({"step": "plan", "label": "plan", "gmv": prev, "delta": prev - base_gmv,
                 "gmv_low": min(ends + [prev]), "gmv_high": max(ends + [prev])})
    out = pd.DataFrame(rows)
    out.attrs["actions"] = list(chosen["action_id"])
    return out
