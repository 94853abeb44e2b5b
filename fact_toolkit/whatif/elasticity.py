"""What-if snowball elasticity per channel: the user's number, or the snowball model's estimate where it found one."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError
from ..schema import CHANNELS
from .frames import _as_frames
from .levers import _ELASTICITY_RANGE

__all__ = ["resolve_elasticity"]


def resolve_elasticity(source: str, elasticity: float, data: Any = None,
                       channels: tuple[str, ...] = CHANNELS, currency: str | None = None, *,
                       table: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """The snowball elasticity per channel, from the user or from the snowball model.

    Parameters
    ----------
    source : {"user", "model"}
        ``"user"``: ``elasticity`` for every channel. ``"model"``: each channel's pooled
        panel estimate and interval (:func:`fact_toolkit.models.snowball_panel.snowball_channels`:
        the channel's accounts with fixed effects, organic traffic), used only where the model found a
        snowball (``p_value < alpha`` and a positive estimate); channels where it found none
        ("no detectable snowball") or could not estimate keep ``elasticity`` and say so in
        ``source``. When the model is not installed this is an error, never a silent fallback.
    elasticity : float
        The user's elasticity (0–2).
    data : Dataset or DataFrame
        Needed for ``"model"``.
    currency : str, optional
        Which currency's estimate to take when the model reports one per currency
        (use the baseline's currency).
    table : DataFrame, optional
        A snowball table already computed (``group, elasticity, ci_low, ci_high, p_value,
        verdict``); the model is not run then.
    alpha : float
        Significance a model estimate needs to replace the user's value.

    Returns
    -------
    DataFrame
        Index ``channel``; ``elasticity``, ``source``, ``ci_low``, ``ci_high``, ``verdict``.
    """
    lo, hi = _ELASTICITY_RANGE
    if isinstance(elasticity, bool) or not isinstance(elasticity, (int, float)) or not math.isfinite(elasticity) \
            or not lo <= elasticity <= hi:
        raise FactInputError("elasticity", f"{elasticity!r} is outside {lo:g}–{hi:g}",
                             fix="use a number such as 0.3 (organic traffic +0.3% per +1% GPM)")
    rows = {ch: {"elasticity": float(elasticity), "source": "user", "ci_low": np.nan, "ci_high": np.nan,
                 "verdict": ""} for ch in channels}
    if source == "user":
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("channel")
    if source != "model":
        raise FactInputError("elasticity_source", f"{source!r} is not a source", fix='use "user" or "model"')
    daily = None
    if table is None:
        try:
            from ..models.snowball_panel import snowball_channels  # lazy: the model is optional
        except ImportError as exc:
            raise FactInputError("elasticity_source", f"the snowball model (fact_toolkit.models.snowball) is "
                                 f"unavailable in this installation ({exc})",
                                 fix='use elasticity_source="user" and set elasticity') from None
        if data is None:
            raise FactInputError("elasticity_source", 'the "model" source needs the data',
                                 fix="pass the Dataset to resolve_elasticity")
        daily, ads = _as_frames(data)
        table, _ = snowball_channels(daily, [c for c in channels], ads=ads, accounts=False)
    # groups are "F" or "F (CNY)" (the model never mixes currencies)
    parsed = [(str(g).split(" (")[0], str(g)[len(str(g).split(" (")[0]) + 2:-1] if " (" in str(g) else None)
              for g in table["group"]]
    for ch in channels:
        hits = [i for i, (c, cur) in enumerate(parsed) if c == ch and (currency is None or cur in (None, currency))]
        if len(hits) > 1 and currency is None and daily is not None:  # the channel's main currency (by GMV)
            from ..models.snowball_panel import main_currency

            main = main_currency(daily, ch)
            hits = [i for i in hits if parsed[i][1] == main] or hits
        if len(hits) != 1:
            rows[ch]["source"] = ("user (the model has no estimate for this channel)" if not hits else
                                  "user (the model has one estimate per currency: pass currency=)")
            continue
        r = table.iloc[hits[0]]
        e = float(r.get("elasticity", np.nan))
        verdict = str(r.get("verdict", ""))
        if not np.isfinite(e):
            rows[ch].update(source="user (the model gave no estimate)", verdict=verdict)
            continue
        p = float(r.get("p_value", np.nan))
        if not (np.isfinite(p) and p < alpha and e > 0):
            rows[ch].update(source=f"user (the model found no detectable snowball: estimate {e:.3g}, "
                                   f"p = {p:.2g}; its point estimate is not used)",
                            ci_low=float(r.get("ci_low", np.nan)), ci_high=float(r.get("ci_high", np.nan)),
                            verdict=verdict)
            continue
        clipped = float(min(max(e, lo), hi))
        rows[ch] = {"elasticity": clipped, "ci_low": float(r.get("ci_low", np.nan)),
                    "ci_high": float(r.get("ci_high", np.nan)), "verdict": verdict,
                    "source": "model" if clipped == e else f"model, {e:.3g} clipped to {lo:g}–{hi:g}"}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("channel")
