"""Scheduled report generation: configured notebooks → code-free HTML, with what changed and alerts.

The public surface::

    from fact_toolkit.reports import load_config, run_reports, exit_code
    cfg = load_config("reports/runs.toml")            # validated before anything runs
    results = run_reports(cfg, jobs=2)                # HTML, notebooks, manifests, index.html
    exit_code(results, fail_on_alert=True)

The ``fact-toolkit report`` command (:mod:`fact_toolkit.reports.commands`) is the front.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from .alerts import AlertRule, evaluate, parse_rule
    from .changes import compare_kpis
    from .config import ReportConfig, RunSpec, load_config, parse_date
    from .kpis import compute_kpis, load_kpis
    from .runner import RunResult, exit_code, run_reports

__getattr__, __dir__ = lazy_exports(__name__, __file__)

__all__ = [
    "AlertRule",
    "ReportConfig",
    "RunResult",
    "RunSpec",
    "compare_kpis",
    "compute_kpis",
    "evaluate",
    "exit_code",
    "load_config",
    "load_kpis",
    "parse_date",
    "parse_rule",
    "run_reports",
]
