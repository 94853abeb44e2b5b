"""The action plan: from the diagnosis' findings to ranked lever changes with their GMV and its range.

::

    from fact_toolkit import diagnosis as dg
    from fact_toolkit.plan import build_plan
    plan = build_plan(dg.check_params("data/sample", benchmarks_path="data/sample/benchmarks.csv"), weeks=8)
    plan.actions[["rank", "channel", "lever", "rule", "gain", "gain_low", "gain_high", "net_gain"]]

The plan sits above the diagnosis, the models and the what-if engine, and below plotting,
reports and the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from .actions import PlanRules, ratio_se
    from .build import Plan, build_plan, candidate_actions, monthly_funnel, plan_for_data, seed_agreement
    from .gains import (combined_plan, cost_per_mille, levers_of, plan_elasticity, rank_actions,
                        simulate_actions)
    from .section import plan_table, render_table, section_plan

__getattr__, __dir__ = lazy_exports(__name__, __file__)

__all__ = [
    "Plan", "PlanRules", "build_plan", "candidate_actions", "combined_plan", "cost_per_mille", "levers_of",
    "monthly_funnel", "plan_elasticity", "plan_for_data", "plan_table", "rank_actions", "ratio_se", "render_table",
    "section_plan", "seed_agreement", "simulate_actions",
]
