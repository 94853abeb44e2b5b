"""Section builders: one call per notebook section, computing the table and writing the findings.

Each ``section_*`` takes the :class:`~fact_toolkit.diagnosis.params.DiagnosisInput` from
:func:`~fact_toolkit.diagnosis.params.check_params` and returns a
:class:`~fact_toolkit.diagnosis._base.Section` whose ``text`` says what the numbers show,
or "not available because …" when the data lack what the section needs. Money is always
in the main currency; other currencies are mentioned apart, never added.
"""

from __future__ import annotations

import pandas as pd

from ..findings import sentences
from . import narrative as nv
from ._base import Section, in_currency
from .campaigns import campaign_table
from .capabilities import CAPABILITIES, capability_scores, recommend_lever, summarize_capabilities
from .content import content_opportunities, form_performance, label_dispersion
from .contribution import account_contribution, contribution
from .crowd import crowd_assets
from .funnel import funnel_diagnosis
from .halo import halo_table
from .params import DiagnosisInput
from .ranking import gpm_roi_ranking, month_on_month
from .sessions import best_and_worst, session_review
from .talents import concentration, talent_activity, talent_matrix, tier_summary

__all__ = ["section_overview", "section_contribution", "section_gpm_roi", "section_funnel", "section_sessions",
           "section_talents", "section_halo", "section_campaigns", "section_crowd", "section_forms",
           "section_opportunities", "section_labels", "section_capabilities", "all_sections"]


def _cur(inp: DiagnosisInput) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Content and sales rows of the main currency, selected once and shared by the sections."""
    return (inp.memo("content_cur", lambda: in_currency(inp.ds.content, inp.currency)),
            inp.memo("facts_cur", lambda: in_currency(inp.facts, inp.currency)))


def _span(inp: DiagnosisInput) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days the diagnosis stands for: the parameter range within the data's dates.

    Months this range covers only in part (e.g. ``end = 2026-11-03``) are marked partial
    and left out of every period-on-period comparison.
    """
    d = pd.to_datetime(inp.facts["date"]).dropna()
    if d.empty:
        return inp.start, inp.end
    return max(inp.start, d.min().normalize()), min(inp.end, d.max().normalize())


_ROI_LABEL = {"zh": "扣佣ROI", "en": "ROI after commission"}


def _sum(frame: pd.DataFrame | None, col: str = "paid_amount") -> float:
    """Σ of a money column (NaN when the frame or the column is missing): a section's GMV at stake."""
    if frame is None or col not in frame or frame.empty:
        return float("nan")
    return float(pd.to_numeric(frame[col], errors="coerce").sum(min_count=1))


def _channel_gmv(facts: pd.DataFrame, channels: object) -> float:
    """GMV of some channels in the main-currency sales rows."""
    if "fact_channel" not in facts or "gmv" not in facts:
        return float("nan")
    return _sum(facts.loc[facts["fact_channel"].isin(list(channels)).fillna(False).to_numpy(dtype=bool)], "gmv")


def _na(key: str, reason: str, lang: str) -> Section:
    return Section(key, nv.title(key, lang), nv.not_available(reason, lang), available=False, lang=lang)


def section_overview(inp: DiagnosisInput) -> Section:
    """What was loaded: rows per table, channels, date range, currency, benchmarks."""
    lang = inp.lang
    facts = inp.facts
    rows = {k: len(v) for k, v in inp.ds.tables.items()}
    table = pd.DataFrame({"rows": rows}).rename_axis("table")
    d = pd.to_datetime(facts["date"])
    chans = sorted(facts["fact_channel"].dropna().astype(str).unique())
    bench = (nv._l(lang, f"同行基准：{inp.category}（{len(inp.benchmarks)} 项指标）",
                   f"peer benchmarks: {inp.category} ({len(inp.benchmarks)} metrics)")
             if inp.benchmarks is not None else nv._l(lang, "未提供同行基准，只与自身历史比较",
                                                       "no peer benchmarks: own history only"))
    who = nv._l(lang, f"{inp.brand}：", f"{inp.brand}: ") if inp.brand else ""
    text = nv._l(lang, f"{who}{d.min():%Y-%m-%d} 至 {d.max():%Y-%m-%d}，渠道 {', '.join(chans)}，"
                       f"主币种 {inp.currency}，头部大V规则 {inp.top_kol_rule}；{bench}。",
                 f"{who}{d.min():%Y-%m-%d} to {d.max():%Y-%m-%d}, channels {', '.join(chans)}, main currency "
                 f"{inp.currency}, top-KOL rule {inp.top_kol_rule}; {bench}.")
    other = nv.describe_other_currencies(facts, inp.currency, lang)
    return Section("params", nv.title("params", lang), (text + " " + other).strip(), table, lang=lang,
                   currency=inp.currency)


def section_contribution(inp: DiagnosisInput, freq: str = "M") -> Section:
    """GMV, net GMV, share and growth per channel and month; top accounts; the mix."""
    lang = inp.lang
    facts = inp.facts
    if facts.empty:
        return _na("contribution", "no_rows", lang)
    span = _span(inp)
    contrib = contribution(facts, "fact_channel", freq, span=span)
    accounts = account_contribution(in_currency(facts, inp.currency), span=span)
    text = nv.describe_contribution(contrib, inp.currency, lang)
    other = nv.describe_other_currencies(facts, inp.currency, lang)
    by_channel = accounts.groupby("fact_channel")["gmv"].sum() if len(accounts) else pd.Series(dtype=float)
    return Section("contribution", nv.title("contribution", lang), (text + " " + other).strip(), accounts,
                   {"plot": contrib, "currency": inp.currency,
                    "weekly": contribution(facts, "fact_channel", "W", span=span)},
                   lang=lang, currency=inp.currency,
                   stake=float(by_channel.max()) if len(by_channel) else float("nan"))


def section_gpm_roi(inp: DiagnosisInput) -> Section:
    """Channels and accounts ranked by GPM and by ROI after commission, and where they disagree.

    ROI here is paid ÷ (ad spend + commission) — labelled "ROI after commission / 扣佣ROI" in
    the table and text so it is not read as paid ÷ ad spend.
    """
    lang = inp.lang
    content, _ = _cur(inp)
    if content.empty or "view_pv" not in content:
        return _na("gpm_roi", "no_rows", lang)
    chans = gpm_roi_ranking(content, "fact_channel", min_gap=2)
    accts = gpm_roi_ranking(content, ["fact_channel", "account_name"], min_views=10_000)
    n = len(accts)
    if n:
        accts["disagree"] = (accts["rank_gap"].abs() >= max(2, n // 4)).fillna(False).astype(bool)
    mom = month_on_month(content, "fact_channel", ("gpm", "views"), span=_span(inp))
    text = nv.describe_gpm_roi(chans, accts.dropna(subset=["roi"]), mom, lang)
    roi = _ROI_LABEL[lang]
    table = accts.sort_values("paid_amount", ascending=False).head(20).rename(
        columns={"roi": roi, "rank_roi": f"rank ({roi})" if lang == "en" else f"{roi}排名"})
    stake = _sum(accts[accts["disagree"]]) if n and accts["disagree"].any() else _sum(accts)
    return Section("gpm_roi", nv.title("gpm_roi", lang), text, table,
                   {"plot": accts.reset_index(), "channels": chans, "mom": mom}, lang=lang, currency=inp.currency,
                   stake=stake)


def section_funnel(inp: DiagnosisInput) -> Section:
    """Stage rates per channel, bottleneck vs own history median and vs peer p50."""
    lang = inp.lang
    _, facts = _cur(inp)
    diag = funnel_diagnosis(facts, inp.benchmarks, span=_span(inp)) if not facts.empty else pd.DataFrame()
    if diag.empty:
        return _na("funnel", "no_rows", lang)
    gaps = diag[[c for c in ("vs_peer", "vs_history") if c in diag]].min(axis=1)
    weak = diag.loc[[gaps.idxmin()], "fact_channel"] if gaps.notna().any() else diag["fact_channel"]  # worst gap
    return Section("funnel", nv.title("funnel", lang), nv.describe_funnel(diag, lang), diag,
                   {"plot": diag}, lang=lang, currency=inp.currency, stake=_channel_gmv(facts, weak.unique()))


def section_sessions(inp: DiagnosisInput) -> Section:
    """Per live session: KPIs vs the account's median and the peer band; best and worst."""
    lang = inp.lang
    content, _ = _cur(inp)
    review = session_review(content, inp.benchmarks)
    if review.empty:
        return _na("sessions", "no_lives", lang)
    ext = best_and_worst(review, 5)
    p50 = None
    if inp.benchmarks is not None and (inp.benchmarks["metric"] == "gpm").any():
        p50 = float(inp.benchmarks.loc[inp.benchmarks["metric"] == "gpm", "p50"].iloc[0])
    cols = [c for c in ("rank", "account_name", "date", "fact_channel", "gpm", "gpm_vs_own", "gpm_peer",
                        "why_kpi", "why_change", "peer_score") if c in ext]
    said = nv.describe_sessions(review, ext, lang)
    return Section("sessions", nv.title("sessions", lang), said,
                   ext[cols] if len(ext) else None, {"plot": review, "review": review, "gpm_p50": p50}, lang=lang,
                   currency=inp.currency, stake=_sum(review), summary=" ".join(sentences(said)[:2]))


def section_talents(inp: DiagnosisInput) -> Section:
    """Tiers, concentration, per-talent GPM/ROI, activity, new vs returning, hidden gems."""
    lang = inp.lang
    content, _ = _cur(inp)
    talents = inp.ds.tables.get("talents")
    matrix = talent_matrix(content, talents, "A")
    if matrix.empty:
        return _na("talents", "no_talents", lang)
    conc = concentration(matrix["paid_amount"])
    activity = talent_activity(content, "A", span=_span(inp))
    tiers = tier_summary(matrix).rename(columns={"roi_commission": _ROI_LABEL[lang]})
    text = nv.describe_talents(matrix, conc, activity, lang)
    if (matrix["tier"] == "unknown").all():
        text += " " + nv._l(lang, "（没有达人列表，无法分层。）", "(No talent list: tiers are unknown.)")
    return Section("talents", nv.title("talents", lang), text, tiers,
                   {"plot": matrix, "matrix": matrix, "concentration": conc, "activity": activity}, lang=lang,
                   currency=inp.currency, stake=_sum(matrix))


def section_halo(inp: DiagnosisInput, window: int = 7) -> Section:
    """T session results and the F / S halo in the ``window`` days after."""
    lang = inp.lang
    content, facts = _cur(inp)
    t = content.loc[content["fact_channel"].eq("T").fillna(False).to_numpy(dtype=bool)] \
        if "fact_channel" in content else content.iloc[0:0]
    if t.empty:
        return _na("halo", "no_top_kol", lang)
    review = session_review(t, inp.benchmarks)
    halo = halo_table(facts, t, inp.calendar, ("F", "S"), window)
    per_kol = review.groupby("account_name").agg(sessions=("gpm", "size"), paid_amount=("paid_amount", "sum"),
                                                  gpm_median=("gpm", "median")).sort_values("paid_amount",
                                                                                            ascending=False)
    return Section("halo", nv.title("halo", lang), nv.describe_halo(t, halo, inp.currency, lang),
                   halo if not halo.empty else per_kol, {"plot": halo, "per_kol": per_kol}, lang=lang,
                   currency=inp.currency, stake=_sum(t))


def section_campaigns(inp: DiagnosisInput) -> Section:
    """Uplift per campaign window and channel against a weekday-matched pre-period, and decay."""
    lang = inp.lang
    _, facts = _cur(inp)
    table = campaign_table(facts, inp.calendar)
    if table.empty or table["uplift"].notna().sum() == 0:
        return _na("campaigns", "no_campaign", lang)
    table = table.dropna(subset=["uplift"])
    total = table[table["fact_channel"] == "all"]
    extra = (pd.to_numeric(total["actual"], errors="coerce") - pd.to_numeric(total["baseline"], errors="coerce")) \
        if {"actual", "baseline"} <= set(total.columns) else pd.Series(dtype=float)
    return Section("campaigns", nv.title("campaigns", lang), nv.describe_campaigns(table, lang),
                   total.drop(columns="fact_channel"), {"plot": table}, lang=lang, currency=inp.currency,
                   stake=float(extra.abs().sum(min_count=1)))


def section_crowd(inp: DiagnosisInput) -> Section:
    """F's new followers, followers per 1K views and fan-buyer share."""
    lang = inp.lang
    content, _ = _cur(inp)
    crowd = crowd_assets(content, "F", span=_span(inp))
    if crowd.empty:
        return _na("crowd", "no_followers", lang)
    return Section("crowd", nv.title("crowd", lang), nv.describe_crowd(crowd, lang), crowd.tail(12),
                   {"plot": crowd}, lang=lang, currency=inp.currency, stake=_channel_gmv(_cur(inp)[1], ["F"]))


def section_forms(inp: DiagnosisInput) -> Section:
    """GPM and exposure per content form."""
    lang = inp.lang
    content, _ = _cur(inp)
    forms = form_performance(content)
    if forms.empty:
        return _na("forms", "no_forms", lang)
    return Section("forms", nv.title("forms", lang), nv.describe_forms(forms, lang), forms, {"plot": forms},
                   lang=lang, currency=inp.currency, stake=_sum(forms))


def section_opportunities(inp: DiagnosisInput) -> Section:
    """High-GPM, low-exposure content items and accounts."""
    lang = inp.lang
    content, _ = _cur(inp)
    items = content_opportunities(content, "content_id", min_views=500)
    if items.empty:
        return _na("opportunities", "no_exposure", lang)
    accounts = content_opportunities(content, "account_name", min_views=5_000)
    cols = [c for c in ("content_id", "account_name", "fact_channel", "content_type", "content_form", "gpm",
                        "exposure", "views", "paid_amount") if c in items]
    table = items.loc[items["opportunity"], cols].head(20)
    return Section("opportunities", nv.title("opportunities", lang),
                   nv.describe_opportunities(items, accounts, lang), table,
                   {"plot": items, "accounts": accounts}, lang=lang, currency=inp.currency,
                   stake=_sum(items.loc[items["opportunity"]]))


def section_labels(inp: DiagnosisInput) -> Section:
    """Per-account tag entropy and its relation to GPM."""
    lang = inp.lang
    content, _ = _cur(inp)
    disp = label_dispersion(content, min_items=5)
    if disp.empty:
        return _na("labels", "no_tags", lang)
    names = set(disp.index[:1].astype(str)) if disp.index.name == "account_name" else set()  # the one named
    scattered = content.loc[content["account_name"].astype(str).isin(names).to_numpy(dtype=bool)] \
        if "account_name" in content else content.iloc[0:0]
    return Section("labels", nv.title("labels", lang), nv.describe_labels(disp, lang), disp.head(15),
                   {"plot": disp}, lang=lang, currency=inp.currency, stake=_sum(scattered))


def section_capabilities(inp: DiagnosisInput) -> Section:
    """The four capability scores with the metrics behind them, and the lever recommendation."""
    lang = inp.lang
    content, facts = _cur(inp)
    metrics = capability_scores(content, facts, inp.benchmarks, span=_span(inp))
    caps = summarize_capabilities(metrics)
    rec = recommend_lever(caps["score"])
    text = nv.describe_capabilities(caps, rec, metrics, lang)
    if rec.empty:
        return _na("capabilities", "no_scores", lang)
    lever = rec[["capability", "score", "channels", f"lever_{lang}", f"reason_{lang}"]]
    top = rec.iloc[0]  # the strongest capability and its lever, as the text says
    name = CAPABILITIES[str(top["capability"])][0 if lang == "zh" else 1]
    said = nv._l(lang, f"最强的是{name}（{top['score']:.0f} 分），建议发力：{top['lever_zh']}。",
                 f"The strongest capability is {name} ({top['score']:.0f}/100): push {top['lever_en']}.")
    return Section("capabilities", nv.title("capabilities", lang), text, metrics,
                   {"plot": metrics, "capabilities": caps, "recommendation": lever}, lang=lang,
                   currency=inp.currency, stake=_sum(facts, "gmv"), summary=said)


def all_sections(inp: DiagnosisInput) -> list[Section]:
    """Every section in notebook order (for reports and tests)."""
    return [f(inp) for f in (section_overview, section_contribution, section_gpm_roi, section_funnel,
                             section_sessions, section_talents, section_halo, section_campaigns, section_crowd,
                             section_forms, section_opportunities, section_labels, section_capabilities)]
