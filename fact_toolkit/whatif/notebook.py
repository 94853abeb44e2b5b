"""What-if notebook 03: its parameters checked, its inputs prepared, its static scenario."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError
from ..paths import find_path, project_root
from ..schema import CHANNELS
from .assumptions import Assumptions, assumptions_from_data
from .channel_baseline import baseline
from .elasticity import resolve_elasticity
from .engine import Scenario, run_scenario
from .levers import _MAX_WEEKS, _MIN_WEEKS
from .presets import preset_levers

__all__ = ["WhatIfInputs", "check_params", "prepare", "resolve_data_path", "static_scenario"]


def resolve_data_path(data_path: str | Path) -> Path:
    """A data path as given when it exists, else relative to the project root (notebooks/../)."""
    p = find_path(data_path)
    if p.exists():
        return p
    raise FactInputError(str(data_path), "no such file or folder (looked in the working folder and the "
                         f"project root {project_root()})", fix="give data_path as an existing path")


def check_params(*, data_path: str | Path, channel: str, horizon_weeks: int, elasticity_source: str,
                 elasticity: float, lang: str, baseline_weeks: int = 8) -> dict[str, Any]:
    """Validate the what-if notebook's parameters; one clear error on nonsense.

    Returns the parameters with ``data_path`` resolved to an existing path.
    """
    if channel not in ("all", *CHANNELS):
        raise FactInputError("channel", f"{channel!r} is not a channel", fix=f"use all or one of {', '.join(CHANNELS)}")
    for name, v in (("horizon_weeks", horizon_weeks), ("baseline_weeks", baseline_weeks)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not _MIN_WEEKS <= v <= _MAX_WEEKS:
            raise FactInputError(name, f"{v!r} is outside {_MIN_WEEKS}–{_MAX_WEEKS} weeks",
                                 fix="use a whole number of weeks such as 12")
    if elasticity_source not in ("user", "model"):
        raise FactInputError("elasticity_source", f"{elasticity_source!r} is not a source", fix='use "user" or "model"')
    if lang not in ("zh", "en"):
        raise FactInputError("lang", f"{lang!r} is not a language", fix='use "zh" or "en"')
    resolve_elasticity("user", elasticity)  # range check only
    return {"data_path": resolve_data_path(data_path), "channel": channel, "horizon_weeks": int(horizon_weeks),
            "elasticity_source": elasticity_source, "elasticity": float(elasticity), "lang": lang,
            "baseline_weeks": int(baseline_weeks)}


@dataclass
class WhatIfInputs:
    """Everything notebook 03 builds from its parameters (see :func:`prepare`).

    Attributes
    ----------
    data : Dataset
    base : DataFrame
        :func:`baseline` over ``baseline_weeks`` weeks.
    assumptions : Assumptions
        :func:`assumptions_from_data`.
    elasticities : DataFrame
        :func:`resolve_elasticity` for the chosen source, in the baseline's currency.
    panel_elasticity : float or DataFrame
        What the panel takes: the user's number (a slider) for ``"user"``, the table for
        ``"model"`` (shown, not a slider).
    params : dict
        The checked parameters.
    """

    data: Any
    base: pd.DataFrame
    assumptions: Assumptions
    elasticities: pd.DataFrame
    panel_elasticity: float | pd.DataFrame
    params: dict[str, Any]


def prepare(params: Mapping[str, Any]) -> WhatIfInputs:
    """Load the data and build the baseline, assumptions and elasticities of notebook 03.

    ``params`` is the output of :func:`check_params`.
    """
    from ..loader import load  # lazy: the engine itself needs no loader

    ds = load(params["data_path"])
    base = baseline(ds, weeks=int(params["baseline_weeks"]))
    cur = next((str(c) for c in base["currency"] if c), None)
    el = resolve_elasticity(params["elasticity_source"], params["elasticity"], ds, currency=cur)
    panel_el: float | pd.DataFrame = float(params["elasticity"]) if params["elasticity_source"] == "user" else el
    return WhatIfInputs(ds, base, assumptions_from_data(ds), el, panel_el, dict(params))


def static_scenario(inputs: WhatIfInputs, preset: str = "content_power_plus_10") -> Scenario:
    """The scenario of one preset with the notebook's horizon, elasticities and assumptions."""
    return run_scenario(inputs.base, preset_levers(preset), horizon_weeks=int(inputs.params["horizon_weeks"]),
                        elasticity=inputs.elasticities, assumptions=inputs.assumptions)
