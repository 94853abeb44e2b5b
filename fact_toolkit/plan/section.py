"""The plan as the first section of the channel-diagnosis report: ranked table, findings, links.

The table goes through :func:`render_table`, a small plain renderer kept in one place so
a shared report table formatter can replace it in one line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..diagnosis import Section
from ..diagnosis.params import DiagnosisInput
from .build import Plan, build_plan, lever_words, text

__all__ = ["PlanSection", "plan_table", "render_table", "section_plan", "SECTION_ANCHORS", "plan_text"]

#: finding section → the anchor id of its heading in notebooks/01_channel_diagnosis.ipynb
SECTION_ANCHORS: dict[str, str] = {key: f"sec-{key}" for key in (
    "funnel", "capabilities", "talents", "forms", "campaigns", "opportunities")}  # Section.anchor
_TITLE = {"zh": "行动计划：先做什么、值多少、有多确定", "en": "Action plan: which lever, how much GMV, how sure"}
_COLS = {
    "rank": ("排名", "rank"), "action": ("行动（目标规则）", "action (target rule)"), "channel": ("渠道", "channel"),
    "lever": ("杠杆", "lever"), "today_target": ("现在 → 目标", "today → target"),
    "gain": ("{w} 周 GMV 增量（区间）", "GMV gain over {w} weeks (range)"), "cost": ("成本", "cost"),
    "net": ("净收益", "net gain"), "why": ("依据", "why"), "section": ("出处", "finding"),
}


def _money(x: float, lang: str) -> str:
    """Money as every table of the report shows it (万/亿 in zh, K/M in en)."""
    from ..formatting import format_value

    return format_value(x, "money", lang)


def _value(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return f"{x:.2%}" if abs(x) < 1 else f"{x:,.1f}"


def _metric_label(name: str, lang: str) -> str:
    """A metric's label from the registry (its name when the registry has none)."""
    from ..metrics import METRICS

    m = METRICS.get(name)
    if m is None:
        return name
    return (m.label_zh if lang == "zh" else m.label_en) or name


def plan_table(plan: Plan, lang: str = "en") -> pd.DataFrame:
    """The ranked actions as the report shows them, one row each, text cells.

    Columns: rank, action (the target rule), channel, lever, today → target, GMV gain
    over the horizon with its low–high range, cost, net gain, why, and the finding's
    section key (``section``; :func:`render_table` makes it a link). Not measurable
    actions say "not measurable: needs …" in the gain column.
    """
    i = 0 if lang == "zh" else 1
    rows = []
    for _, r in plan.actions.iterrows():
        if r["measurable"]:
            gain = f"{_money(r['gain'], lang)} ({_money(r['gain_low'], lang)} – {_money(r['gain_high'], lang)})"
            if r["same_lever_as"]:
                gain += (f"；与 {r['same_lever_as']} 同一杠杆，不叠加" if lang == "zh"
                         else f"; same lever as {r['same_lever_as']}: not added")
            cost = _money(r["cost"], lang) if np.isfinite(r["cost"]) else "–"
            if r["cost_note"]:
                cost += f" ({text(r, 'cost_note', lang)})"
            net = (f"{_money(r['net_gain'], lang)} ({_money(r['net_gain_low'], lang)} – {_money(r['net_gain_high'], lang)})"
                   if np.isfinite(r["net_gain"]) else "–")
            tt = f"{_metric_label(r['metric'], lang)}: {_value(r['today'])} → {_value(r['target'])}" if r["metric"] else \
                f"{_value(r['today'])} → {_value(r['target'])}"
        else:
            gain = ("无法衡量：" if lang == "zh" else "not measurable: ") + text(r, "needs", lang)
            cost = net = tt = "–"
        rows.append({"rank": int(r["rank"]), "action": f"{r['action_id']}: {text(r, 'rule', lang) or r['metric']}",
                     "channel": r["channel"], "lever": lever_words(r["lever"], lang), "today_target": tt,
                     "gain": gain, "cost": cost,
                     "net": net, "why": text(r, "why", lang), "section": r["section"]})
    out = pd.DataFrame(rows, columns=list(_COLS))
    out.columns = [_COLS[c][i].format(w=plan.weeks) for c in _COLS]
    return out


def render_table(table: pd.DataFrame, link_column: str | None = None, lang: str = "en") -> str:
    """A plain HTML table; ``link_column`` cells become links (titled in ``lang``) to the report's sections."""
    from ..diagnosis.narrative import title

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = []
    for rec in table.itertuples(index=False):
        cells = []
        for col, v in zip(table.columns, rec):
            text = html.escape(str(v))
            if col == link_column and str(v) in SECTION_ANCHORS:
                text = f'<a href="#{SECTION_ANCHORS[str(v)]}">{html.escape(title(str(v), lang))}</a>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="ft-plan"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def plan_text(plan: Plan, lang: str = "en") -> str:
    """The findings paragraph: the first actions, the combined plan, what the plan cannot know."""
    zh = lang == "zh"
    w = plan.weeks
    m = plan.measurable
    pos = m.loc[m["same_lever_as"].eq("") & (m["net_gain"].fillna(m["gain"]) > 0)]
    parts = []
    if pos.empty:
        parts.append("数据里没有净收益为正的行动。" if zh else "No action has a positive net gain in these data.")
    else:
        for _, r in pos.head(3).iterrows():
            sure = r["gain_low"] > 0
            if zh:
                parts.append(f"第 {r['rank']} 位：{r['channel']} 的 {lever_words(r['lever'], lang)}（{text(r, 'rule', lang)}），{w} 周约多 "
                             f"{_money(r['gain'], lang)} GMV（区间 {_money(r['gain_low'], lang)} – {_money(r['gain_high'], lang)}）"
                             + ("，区间不含 0。" if sure else "，区间含 0：方向尚不确定。"))
            else:
                parts.append(f"#{r['rank']}: {r['channel']} {lever_words(r['lever'], lang)} ({text(r, 'rule', lang)}) adds about "
                             f"{_money(r['gain'], lang)} GMV over {w} weeks (range {_money(r['gain_low'], lang)} – "
                             f"{_money(r['gain_high'], lang)})" + (", a range that excludes zero." if sure else
                                                            ", a range that includes zero: the direction is not "
                                                            "yet sure."))
    wf = plan.waterfall
    if len(wf):
        p = wf.iloc[-1]
        b = wf.iloc[0]["gmv"]
        parts.append((f"前 {len(wf) - 2} 项合并为一个情景模拟：{w} 周 GMV 从 {_money(b, lang)} 到 {_money(p['gmv'], lang)}"
                      f"（区间 {_money(p['gmv_low'], lang)} – {_money(p['gmv_high'], lang)}）。") if zh else
                     (f"The top {len(wf) - 2} simulated together as one scenario: GMV over {w} weeks from "
                      f"{_money(b, lang)} to {_money(p['gmv'], lang)} (range {_money(p['gmv_low'], lang)} – {_money(p['gmv_high'], lang)})."))
    n_na = int((~plan.actions["measurable"].astype(bool)).sum())
    if n_na:
        parts.append(f"{n_na} 项无法衡量，表中写明缺什么。" if zh else
                     f"{n_na} action(s) cannot be measured with these data; the table says what each needs.")
    parts.append(plan.seed_text)
    return " ".join(parts)


@dataclass
class PlanSection(Section):
    """A :class:`~fact_toolkit.diagnosis._base.Section` whose table links each action to its finding."""

    def _table_html(self) -> str:
        from ..formatting import format_table

        out = ""
        if self.table is not None and not self.table.empty:
            out += render_table(self.table, link_column=self.table.columns[-1], lang=self.lang)
        seed = self.data.get("seed")
        if seed is not None and not seed.empty:
            head = "原文的能力 → 杠杆规则" if self.lang == "zh" else "The seed's capability → lever rule"
            out += f"<h5>{html.escape(head)}</h5>" + format_table(seed, lang=self.lang).to_html()
        return out


def section_plan(inp: DiagnosisInput, weeks: int = 8, *, plan: Plan | None = None) -> PlanSection:
    """The report's first section: the ranked plan, the combined top 3, the seed's rule beside it.

    ``data["plot"]`` is the waterfall (for :func:`fact_toolkit.plotting.plan.plot_plan_waterfall`),
    ``data["plan"]`` the :class:`Plan`, ``data["seed"]`` the seed's capability → lever table.
    """
    plan = plan or build_plan(inp, weeks)
    lang = inp.lang
    wf = plan.waterfall
    stake = float(wf["gmv"].iloc[-1] - wf["gmv"].iloc[0]) if len(wf) >= 2 else float("nan")
    return PlanSection("plan", _TITLE[lang], plan_text(plan, lang), plan_table(plan, lang),
                       {"plot": plan.waterfall, "plan": plan, "seed": plan.seed}, lang=lang, stake=stake)
