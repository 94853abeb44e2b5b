"""What-if scenarios: move the levers a brand controls and follow GMV, GPM and the snowball.

A pure engine, no widget code (the panel is :mod:`fact_toolkit.widgets`).

1. :func:`baseline` takes a weekly baseline per FACT channel from the last ``weeks`` weeks
   of data, every number a ratio of sums: traffic (organic + paid), the funnel rates
   exposure → view → product exposure → click → buyer, AOV, refunds, ad spend, commission
   rate, content volume, active accounts/talents, campaign share and campaign lift.
2. :func:`run_scenario` applies :class:`Levers` to that baseline and walks ``horizon_weeks``
   weeks forward. The funnel gives the paid amount, GMV and GPM each week; the snowball
   carries the change forward: next week's organic traffic scales with
   ``(GPM_{t-1} / GPM_base) ** elasticity``. A dilution term (new traffic converts a little
   worse: ``CVR ∝ (traffic_t / traffic_base) ** -dilution``) keeps the path finite.

Campaigns are applied explicitly: the baseline levels come from the window's
*non-campaign* days, and organic traffic is multiplied by ``1 + lift · share``, where
``share`` is the share of days spent in campaigns over the horizon (the lever, or by
default the share of campaign days over the last year) and ``lift`` the measured traffic
lift of campaign days. A window that happens to hold 双11 therefore does not inflate the
level projected over the whole horizon.

Dilution applies to *traffic* growth — more exposure from the snowball, content volume,
talents, ads or campaigns, which reaches new people who convert a little worse. A better
exposure→view rate (content power) turns more of the *same* exposed people into
viewers; it is not diluted, so it raises views and GMV without lowering GPM.

The laws, per channel and week ``t`` (1-based), with ``*`` the baseline values::

    organic_t  = organic* · content^content_returns · talents_eff^talent_returns
                 · (1 + lift · share) · (G_{t-1} / G*)^elasticity       (factor 1 in week 1)
    paid_t     = paid* · ad_spend^ad_returns
    traffic_t  = organic_t + paid_t
    views_t    = traffic_t · view_rate* · view_rate_lever
    clicks_t   = views_t · product_rate* · ctr* · ctr_lever
    buyers_t   = clicks_t · cvr* · cvr_lever · price^-price_response · (traffic_t / traffic*)^-dilution
    paid amount_t = buyers_t · aov* · price;   G_t = paid amount_t / views_t · 1000
    GMV_t = paid amount_t · (GMV/paid)*;  net GMV_t = GMV_t · (1 − refund rate*)

Channels without an exposure or view stage (the shelf, S) start the funnel at the first
stage they have, and their feedback metric is product GPM (paid amount per 1,000 product
impressions). A channel with no usable rows in the window is *unavailable*: it keeps a
reason and no numbers, never zeros.

Examples
--------
>>> import fact_toolkit as ft                                          # doctest: +SKIP
>>> base = baseline(ft.load("data/sample"), weeks=8)                   # doctest: +SKIP
>>> sc = run_scenario(base, Levers(cvr=1.1), horizon_weeks=12, elasticity=0.4)  # doctest: +SKIP
>>> sc.summary.loc[("total", "gmv")]                                   # doctest: +SKIP

Modules, lowest first: :mod:`.levers` (the levers and the ranges they accept) and
:mod:`.frames` (the panel and ads of a Dataset); :mod:`.assumptions` (response curves and
their estimates from data); :mod:`.channel_baseline` (:func:`baseline`), :mod:`.engine`
(:func:`run_scenario`, :class:`Scenario`) and :mod:`.elasticity`
(:func:`resolve_elasticity`); :mod:`.presets` and :mod:`.describe` (the baseline as a
table); :mod:`.notebook` (notebook 03's parameters and inputs). Every public name is
importable from the package (``fact_toolkit.whatif.run_scenario``) and loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from ..errors import FactInputError
    from ..schema import CHANNELS
    from .assumptions import Assumptions, assumptions_from_data, estimate_ad_returns, estimate_price_response
    from .channel_baseline import (MIN_ORDINARY_DAYS, MIN_SPEND_COVERAGE, MIN_STAGE_COVERAGE, RATES, STAGES,
                                   baseline)
    from .describe import baseline_table, describe_baseline
    from .elasticity import resolve_elasticity
    from .engine import OUTPUT_METRICS, Scenario, run_scenario
    from .frames import _as_frames
    from .levers import LEVER_LABELS, LEVER_RANGES, Levers, check_levers, replace_levers
    from .notebook import WhatIfInputs, check_params, prepare, resolve_data_path, static_scenario
    from .presets import PRESET_LABELS, PRESETS, compare_presets, preset_findings, preset_levers

__getattr__, __dir__ = lazy_exports(__name__, __file__)

# the public API; the other names above (CHANNELS, FactInputError, STAGES, RATES, replace_levers …) stay
# importable from here as they were from the single module
__all__ = [
    "baseline_table",
    "preset_findings",
    "Assumptions",
    "assumptions_from_data",
    "Levers",
    "LEVER_RANGES",
    "LEVER_LABELS",
    "OUTPUT_METRICS",
    "PRESETS",
    "PRESET_LABELS",
    "Scenario",
    "WhatIfInputs",
    "baseline",
    "check_levers",
    "check_params",
    "compare_presets",
    "describe_baseline",
    "estimate_ad_returns",
    "estimate_price_response",
    "prepare",
    "preset_levers",
    "resolve_data_path",
    "resolve_elasticity",
    "run_scenario",
    "static_scenario",
]
