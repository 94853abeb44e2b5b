"""Channel diagnosis across F/A/C/T/S and the four capabilities.

Pure functions (DataFrame in, DataFrame out) per concern, a findings writer in zh/en, and
one ``section_*`` builder per notebook section::

    from fact_toolkit import diagnosis as dg
    inp = dg.check_params("data/sample", brand="栖木", start="2025-01-01", end="2026-11-30",
                          benchmarks_path="data/sample/benchmarks.csv")
    sec = dg.section_funnel(inp)
    print(sec.text)
"""

from __future__ import annotations

from ._base import Section, main_currency, percentile_score
from .campaigns import campaign_table, campaign_uplift, weekday_baseline
from .capabilities import (CAPABILITIES, CAPABILITY_METRICS, LEVERS, capability_scores, metric_value,
                           recommend_lever, summarize_capabilities)
from .content import (content_opportunities, entropy, form_performance, high_gpm_low_exposure, label_dispersion,
                      split_tags)
from .contribution import account_contribution, channel_mix, contribution
from .crowd import crowd_assets
from .funnel import STAGES, bottleneck, funnel_diagnosis, funnel_rates
from .halo import daily_channel_series, halo_effect, halo_table
from .narrative import fmt_money, fmt_pct, not_available
from .notebook import (all_sections, section_campaigns, section_capabilities, section_contribution,
                       section_crowd, section_forms, section_funnel, section_gpm_roi, section_halo, section_labels,
                       section_opportunities, section_overview, section_sessions, section_talents)
from .params import BENCHMARK_METRICS, DiagnosisInput, check_params, repo_root, resolve_path
from .ranking import gpm_roi_ranking, month_on_month
from .sessions import SESSION_KPIS, best_and_worst, session_review
from .talents import concentration, talent_activity, talent_matrix, tier_summary

__all__ = [
    "BENCHMARK_METRICS", "CAPABILITIES", "CAPABILITY_METRICS", "LEVERS", "SESSION_KPIS", "STAGES",
    "DiagnosisInput", "Section",
    "account_contribution", "all_sections", "best_and_worst", "bottleneck", "campaign_table", "campaign_uplift",
    "capability_scores", "channel_mix", "check_params", "concentration", "content_opportunities", "contribution",
    "crowd_assets", "daily_channel_series", "entropy", "fmt_money", "fmt_pct", "form_performance",
    "funnel_diagnosis", "funnel_rates", "gpm_roi_ranking", "halo_effect", "halo_table", "high_gpm_low_exposure",
    "label_dispersion", "main_currency", "metric_value", "month_on_month", "not_available", "percentile_score",
    "recommend_lever", "repo_root", "resolve_path", "section_campaigns", "section_capabilities",
    "section_contribution", "section_crowd", "section_forms", "section_funnel", "section_gpm_roi", "section_halo",
    "section_labels", "section_opportunities", "section_overview", "section_sessions", "section_talents",
    "session_review", "split_tags", "summarize_capabilities", "talent_activity", "talent_matrix", "tier_summary",
    "weekday_baseline",
]
