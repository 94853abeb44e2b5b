"""The campaign calendar (``fact_toolkit/data/campaigns.csv``) as the simulator applies it.

:func:`load_campaign_calendar` reads the calendar; ``_campaign_effects`` turns it into
per-day effects on log exposure and log conversion (by a window's tier, and in its
preheat), and the ``campaign_id`` and tier of each simulated day.
"""

from __future__ import annotations

import io
from importlib import resources

import numpy as np
import pandas as pd

from .brand import CAMPAIGN_CONV_EFFECT, CAMPAIGN_EFFECT, PREHEAT_CONV_EFFECT, PREHEAT_EFFECT

__all__ = ["load_campaign_calendar", "_campaign_effects"]


def load_campaign_calendar() -> pd.DataFrame:
    """Read the default campaign calendar shipped with the package.

    Returns
    -------
    pandas.DataFrame
        ``campaign_id, name, start, end, preheat_start, tier, approximate`` with dates
        as ``datetime64`` and ``approximate`` as bool.
    """
    text = resources.files("fact_toolkit").joinpath("data", "campaigns.csv").read_text(encoding="utf-8")
    cal = pd.read_csv(io.StringIO(text), dtype=str)
    for col in ("start", "end", "preheat_start"):
        cal[col] = pd.to_datetime(cal[col])
    cal["approximate"] = cal["approximate"].str.lower().eq("true")
    return cal


def _campaign_effects(dates: pd.DatetimeIndex, calendar: pd.DataFrame | None) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-day log-exposure effect, log-conversion effect, campaign id and tier."""
    n = len(dates)
    expo = np.zeros(n)
    conv = np.zeros(n)
    ids = np.full(n, None, dtype=object)
    tiers = np.full(n, "", dtype=object)
    if calendar is None:
        return expo, conv, ids, tiers
    d = dates.values
    for row in calendar.itertuples(index=False):
        pre = (d >= np.datetime64(row.preheat_start)) & (d < np.datetime64(row.start))
        win = (d >= np.datetime64(row.start)) & (d <= np.datetime64(row.end))
        expo[pre] = PREHEAT_EFFECT
        conv[pre] = PREHEAT_CONV_EFFECT
        expo[win] = CAMPAIGN_EFFECT.get(row.tier, 0.15)
        conv[win] = CAMPAIGN_CONV_EFFECT.get(row.tier, 0.05)
        ids[win] = row.campaign_id
        tiers[win] = row.tier
    return expo, conv, ids, tiers
