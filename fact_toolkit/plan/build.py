"""The action plan of a diagnosis: findings → candidate actions → gains → ranking → combined plan.

:func:`build_plan` takes the diagnosis input (:func:`fact_toolkit.diagnosis.check_params`)
and returns a :class:`Plan`: the ranked actions, the combined top-3 scenario as waterfall
steps, the elasticity used, and the seed's capability → lever rule beside the data's
ranking with a sentence saying whether they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..diagnosis import (CAPABILITIES, campaign_table, capability_scores, funnel_diagnosis, funnel_rates,
                         recommend_lever, summarize_capabilities, talent_matrix)
from ..diagnosis._base import in_currency, period_coverage
from ..diagnosis.params import DiagnosisInput
from ..whatif import Assumptions, Levers, assumptions_from_data, baseline
from .actions import PlanRules, campaign_actions, capability_actions, form_actions, funnel_actions, talent_actions
from .gains import combined_plan, cost_per_mille, levers_of, plan_elasticity, rank_actions, simulate_actions

__all__ = ["Plan", "text", "lever_words", "build_plan", "candidate_actions", "monthly_funnel", "plan_for_data", "seed_agreement"]

def lever_words(name: str, lang: str) -> str:
    """A what-if lever in words (``cvr`` → 点击-成交转化率 / Click→order rate)."""
    from ..whatif import LEVER_LABELS

    pair = LEVER_LABELS.get(name)
    return pair[0 if lang == "zh" else 1].rstrip(" ×") if pair else name


def text(row: Any, field: str, lang: str = "en") -> str:
    """One of an action's words (``rule``, ``why``, ``needs``, ``cost_note``) in ``lang``."""
    zh = row.get(f"{field}_zh", "") if lang == "zh" else ""
    return str(zh if isinstance(zh, str) and zh else row.get(field, ""))


_ACTION_COLUMNS = ("action_id", "kind", "channel", "lever", "levers", "levers_low", "levers_high", "metric", "today",
                   "target", "rule", "rule_zh", "why", "why_zh", "section", "measurable", "needs", "needs_zh",
                   "cost_kind", "support_share")


@dataclass
class Plan:
    """A ranked action plan.

    Attributes
    ----------
    actions : DataFrame
        One row per candidate, ranked (``rank`` 1 first): ``action_id, kind, channel,
        lever, levers`` (``{lever: value}`` at the target), ``levers_low/high``, ``metric,
        today, target, rule, why, section, measurable, needs``, ``gain`` with
        ``gain_low/high`` (horizon GMV), ``net_gain`` with its range, ``commission,
        ad_spend, support_cost, cost, cost_note, same_lever_as``.
    waterfall : DataFrame
        :func:`fact_toolkit.plan.gains.combined_plan`: baseline → each chosen action → plan.
    elasticity : DataFrame
        :func:`fact_toolkit.plan.gains.plan_elasticity`.
    seed : DataFrame
        The seed's capability → lever table with the brand's scores, strongest first.
    seed_text : str
        Whether the seed's rule and the data's ranking agree, in words.
    weeks : int
    currency : str or None
    rules : PlanRules
    assumptions : Assumptions
    base : DataFrame
        The what-if baseline the gains were computed from.
    """

    actions: pd.DataFrame
    waterfall: pd.DataFrame
    elasticity: pd.DataFrame
    seed: pd.DataFrame
    seed_text: str
    weeks: int
    currency: str | None
    rules: PlanRules = field(default_factory=PlanRules)
    assumptions: Assumptions = field(default_factory=Assumptions)
    base: pd.DataFrame | None = None

    @property
    def measurable(self) -> pd.DataFrame:
        """The actions with a simulated gain."""
        return self.actions.loc[self.actions["measurable"].astype(bool)]

    def presets(self, lang: str = "en") -> dict[str, tuple[str, dict[str, Levers]]]:
        """Every measurable action as a what-if preset: id → (label, ``{channel: Levers}``)."""
        out = {}
        for _, r in self.measurable.iterrows():
            label = f"#{r['rank']} {r['channel']} {r['lever']}: {text(r, 'rule', lang)}"
            out[str(r["action_id"])] = (label, levers_of({r["channel"]: dict(r["levers"])}))
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the ranked actions, the combined plan, the elasticity and the seed's view."""
        keep = ["rank", "action_id", "kind", "channel", "lever", "levers", "metric", "today", "target", "rule", "why",
                "section", "measurable", "needs", "rule_zh", "why_zh", "needs_zh", "gain", "gain_low", "gain_high",
                "net_gain", "net_gain_low", "net_gain_high", "commission", "ad_spend", "support_cost", "cost",
                "cost_note", "cost_note_zh", "same_lever_as"]
        acts = []
        for rec in self.actions[keep].to_dict("records"):
            acts.append({k: ({kk: jsonable(vv) for kk, vv in v.items()} if isinstance(v, dict) else jsonable(v))
                         for k, v in rec.items()})
        water = [{k: jsonable(v) for k, v in rec.items()} for rec in self.waterfall.to_dict("records")]
        el = [{"channel": str(k), **{c: jsonable(v) for c, v in row.items()}}
              for k, row in self.elasticity.to_dict("index").items()]
        seed = [{k: jsonable(v) for k, v in rec.items()} for rec in self.seed.to_dict("records")]
        return {"weeks": self.weeks, "currency": self.currency, "actions": acts, "combined_plan": water,
                "elasticity": el, "seed_rule": seed, "seed_agreement": self.seed_text, "rules": {k: jsonable(v) for k, v in
                                                                               self.rules.table()["value"].items()}}


def _span(inp: DiagnosisInput, facts: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    d = pd.to_datetime(facts["date"]).dropna()
    if d.empty:
        return inp.start, inp.end
    return max(inp.start, d.min().normalize()), min(inp.end, d.max().normalize())


def monthly_funnel(facts: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Funnel step rates per channel and complete month (the spread behind each funnel action).

    Returns
    -------
    DataFrame
        Index (``fact_channel``, ``month``), one column per step, months ascending.
    """
    if facts.empty:
        return pd.DataFrame()
    month = pd.to_datetime(facts["date"]).dt.to_period("M").dt.start_time.astype("datetime64[ns]")
    cov = period_coverage(facts["date"], "M", span)
    done = cov.index[cov["complete"].to_numpy(dtype=bool)]
    t = facts.assign(month=month).loc[month.isin(done).to_numpy(dtype=bool)]
    if t.empty:
        return pd.DataFrame()
    return funnel_rates(t, by=["fact_channel", "month"]).sort_index()


def candidate_actions(*, funnel: pd.DataFrame, monthly: pd.DataFrame | None, capability_metrics: pd.DataFrame,
                      capabilities: pd.DataFrame, talents: pd.DataFrame, content: pd.DataFrame,
                      campaigns: pd.DataFrame, base: pd.DataFrame, rules: PlanRules, assumptions: Assumptions,
                      has_peers: bool) -> pd.DataFrame:
    """Every candidate action from the diagnosis findings, one row each (see :mod:`fact_toolkit.plan.actions`)."""
    available = {str(c) for c in base.index[base["available"].astype(bool)]}
    recs: list[dict[str, Any]] = []
    recs += funnel_actions(funnel, monthly, rules, has_peers=has_peers)
    n_months = 0 if monthly is None or monthly.empty else int(monthly.index.get_level_values(1).nunique()) - 1
    recs += capability_actions(capability_metrics, capabilities, rules, available, n_months)
    window = content
    ok = base.loc[base["available"].astype(bool)]
    if len(ok) and "date" in content:
        d = pd.to_datetime(content["date"])
        window = content.loc[((d >= ok["start"].min()) & (d <= ok["end"].max())).fillna(False).to_numpy(dtype=bool)]
    recs += talent_actions(talents, content, rules, assumptions, available)
    recs += form_actions(content, rules, available, window)
    recs += campaign_actions(campaigns, base, rules)
    for r in recs:  # a funnel finding on a channel without a what-if baseline cannot be simulated either
        if r["measurable"] and r["channel"] not in available:
            reason = str(base.loc[r["channel"], "reason"]) if r["channel"] in base.index else "no rows"
            r.update(measurable=False, needs=f"needs a what-if baseline for {r['channel']} ({reason})",
                     needs_zh=f"需要 {r['channel']} 的假设分析基线（{reason}）")
    out = pd.DataFrame(recs, columns=[c for c in _ACTION_COLUMNS if c != "action_id"])
    out.insert(0, "action_id", [f"a{i + 1}" for i in range(len(out))])
    return out


_SEED_NAMES = {k: v for k, v in CAPABILITIES.items()}


def seed_agreement(seed: pd.DataFrame, ranked: pd.DataFrame, lang: str = "en") -> str:
    """Does the data's first action push a channel the seed's rule (strongest capability) names?"""
    zh = lang == "zh"
    if seed is None or seed.empty:
        return "没有能力分，无法与原文的发力规则比较。" if zh else \
            "No capability scores: the seed's rule cannot be compared."
    top = seed.iloc[0]
    cap, chans = str(top["capability"]), str(top["channels"])
    name = _SEED_NAMES.get(cap, (cap, cap))[0 if zh else 1]
    first = ranked.loc[ranked["measurable"].astype(bool) & (ranked["net_gain"].fillna(ranked["gain"]) > 0)]
    if first.empty:
        return (f"原文规则：最强的是{name}（{top['score']:.0f} 分），应发力 {chans}；数据没有给出正收益的行动，无从比较。"
                if zh else f"The seed's rule: the strongest capability is {name} ({top['score']:.0f}/100), so push "
                           f"{chans}; the data give no action with a positive gain to compare it with.")
    a = first.iloc[0]
    agree = str(a["channel"]) in chans.split("+")
    if zh:
        return (f"原文规则：最强的是{name}（{top['score']:.0f} 分），应发力 {chans}；数据排名第一的行动在 {a['channel']}"
                f"（{lever_words(a['lever'], 'zh')}）。" + ("两者一致。" if agree else
                                     "两者不一致：原文按能力强弱选渠道，本计划按修复瓶颈能带来的 GMV 排序。"))
    return (f"The seed's rule: the strongest capability is {name} ({top['score']:.0f}/100), so push {chans}; the "
            f"data's first action is on {a['channel']} ({lever_words(a['lever'], 'en')}). "
            + ("They agree." if agree else "They disagree: the seed picks the channel by the strongest capability, "
                                           "the plan ranks by the GMV a fix is worth."))


def build_plan(inp: DiagnosisInput, weeks: int = 8, *, rules: PlanRules | None = None,
               baseline_weeks: int = 8, top: int = 3) -> Plan:
    """The ranked action plan of a diagnosis input.

    Parameters
    ----------
    inp : DiagnosisInput
        :func:`fact_toolkit.diagnosis.check_params`.
    weeks : int
        Horizon of each simulation (default 8).
    rules : PlanRules, optional
        Target rules; the defaults otherwise.
    baseline_weeks : int
        Window of the what-if baseline.
    top : int
        Actions in the combined plan.

    Returns
    -------
    Plan
    """
    rules = rules or PlanRules()
    content = in_currency(inp.ds.content, inp.currency)
    facts = in_currency(inp.facts, inp.currency)
    span = _span(inp, facts)
    diag = funnel_diagnosis(facts, inp.benchmarks, span=span) if not facts.empty else pd.DataFrame()
    monthly = monthly_funnel(facts, span)
    metrics = capability_scores(content, facts, inp.benchmarks, span=span)
    caps = summarize_capabilities(metrics)
    seed = recommend_lever(caps["score"])
    matrix = talent_matrix(content, inp.ds.tables.get("talents"), "A")
    camps = campaign_table(facts, inp.calendar)
    base = baseline(inp.ds, weeks=baseline_weeks, currency=inp.currency)
    asm = assumptions_from_data(inp.ds)
    el = plan_elasticity(inp.ds, inp.currency)
    available = base.index[base["available"].astype(bool)]
    start = base.loc[available, "start"].min() if len(available) else None
    end = base.loc[available, "end"].max() if len(available) else None
    cpm = cost_per_mille(inp.ds.tables.get("ads"), start, end)
    cands = candidate_actions(funnel=diag, monthly=monthly, capability_metrics=metrics, capabilities=caps,
                              talents=matrix, content=content, campaigns=camps, base=base, rules=rules,
                              assumptions=asm, has_peers=inp.benchmarks is not None and not inp.benchmarks.empty)
    sim = simulate_actions(cands, base, el, weeks=weeks, assumptions=asm, cpm=cpm)
    ranked = rank_actions(sim)
    water = combined_plan(ranked, base, el, weeks=weeks, top=top, assumptions=asm)
    seed_view = seed[["capability", "score", "channels", f"lever_{inp.lang}"]] if not seed.empty else seed
    return Plan(ranked, water, el, seed_view, seed_agreement(seed, ranked, inp.lang), int(weeks), inp.currency,
                rules, asm, base)


def plan_for_data(data_path: str | Path, weeks: int = 8, *, benchmarks: str = "auto", lang: str = "en",
                  dataset: Any = None) -> Plan:
    """The plan of a folder of exports over its whole date range (the command and notebook 03 use this).

    Parameters
    ----------
    data_path : str or Path
        Exports (a folder or a file).
    weeks : int
        Horizon (1–104).
    benchmarks : str
        A peer benchmarks file; ``"auto"``: ``benchmarks.csv`` beside the exports when there
        is one; ``""``: none (peer gaps are then listed as not measurable).
    lang : {"zh", "en"}
    dataset : Dataset, optional
        Already loaded data (``data_path`` is then only used to find the benchmarks).
    """
    from ..diagnosis import check_params
    from ..errors import FactInputError

    if isinstance(weeks, bool) or not isinstance(weeks, (int, np.integer)) or not 1 <= weeks <= 104:
        raise FactInputError("weeks", f"{weeks!r} weeks is out of range", fix="use 1 to 104 weeks, e.g. 8")
    path = Path(data_path)
    if dataset is None:
        from ..diagnosis.params import resolve_path
        from ..loader import load

        path = resolve_path(data_path)
        if not path.exists():
            raise FactInputError(str(data_path), "no such file or folder", fix="point it at a folder of exports")
        dataset = load(path)
    if benchmarks == "auto":
        from ..diagnosis.params import resolve_path

        folder = resolve_path(path)
        cand = folder / "benchmarks.csv" if folder.is_dir() else folder.parent / "benchmarks.csv"
        benchmarks = str(cand) if cand.exists() else ""
    facts = dataset.facts()
    d = pd.to_datetime(facts["date"]).dropna() if "date" in facts else pd.Series(dtype="datetime64[ns]")
    if d.empty:
        raise FactInputError(str(data_path), "the data hold no dated sales rows",
                             fix="point it at live-session, video or product exports")
    inp = check_params(str(data_path), start=f"{d.min():%Y-%m-%d}", end=f"{d.max():%Y-%m-%d}",
                       benchmarks_path=benchmarks, lang=lang, dataset=dataset)
    return build_plan(inp, int(weeks))
