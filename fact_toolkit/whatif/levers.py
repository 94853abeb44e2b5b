"""What-if levers: what the brand changes, as multipliers of the baseline, and the ranges they accept."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from ..errors import FactInputError

__all__ = ["LEVER_LABELS", "LEVER_RANGES", "Levers", "check_levers", "replace_levers"]


#: lever → (lowest, highest) accepted value; the widgets use the same bounds
LEVER_RANGES: dict[str, tuple[float, float]] = {
    "view_rate": (0.5, 2.0),
    "ctr": (0.5, 2.0),
    "cvr": (0.5, 2.0),
    "price": (0.5, 1.5),
    "content": (0.0, 3.0),
    "talents": (0.0, 3.0),
    "commission": (0.0, 3.0),
    "ad_spend": (0.0, 3.0),
    "campaign_share": (0.0, 1.0),
}


#: lever → (zh, en) label
LEVER_LABELS: dict[str, tuple[str, str]] = {
    "view_rate": ("曝光-观看率 ×", "Exposure→view rate ×"),
    "ctr": ("商品点击率 ×", "Product CTR ×"),
    "cvr": ("点击-成交转化率 ×", "Click→order rate ×"),
    "price": ("价格 ×", "Price ×"),
    "content": ("内容量(场次/条数) ×", "Content volume ×"),
    "talents": ("活跃账号/达人数 ×", "Active accounts/talents ×"),
    "commission": ("佣金率 ×", "Commission rate ×"),
    "ad_spend": ("投放消耗 ×", "Ad spend ×"),
    "campaign_share": ("大促参与天数占比", "Share of days in campaigns"),
}


_MIN_WEEKS, _MAX_WEEKS = 1, 104


_ELASTICITY_RANGE = (0.0, 2.0)


@dataclass(frozen=True)
class Levers:
    """What the brand changes, as multipliers of the baseline (1.0 = unchanged).

    Parameters
    ----------
    view_rate, ctr, cvr : float
        Exposure→view rate (content power), product CTR, click→order rate.
    price : float
        Price; AOV moves with it and conversion answers with ``price ** -price_response``.
    content : float
        Content volume (live sessions / videos per week).
    talents : float
        Active accounts (F) or talents (A, T).
    commission : float
        Commission rate; channels that pay commission also attract talents with it.
    ad_spend : float
        Ad spend (paid traffic grows as ``spend ** ad_returns``: diminishing returns).
    campaign_share : float or None
        Share of days spent in platform campaigns over the horizon (0–1); None keeps the
        baseline's ``campaign_share`` (the share of campaign days over the last year).
    """

    view_rate: float = 1.0
    ctr: float = 1.0
    cvr: float = 1.0
    price: float = 1.0
    content: float = 1.0
    talents: float = 1.0
    commission: float = 1.0
    ad_spend: float = 1.0
    campaign_share: float | None = None

    def changed(self) -> dict[str, float]:
        """The levers that differ from the baseline."""
        default = Levers()
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != getattr(default, f.name)}


def check_levers(levers: Levers, where: str = "levers") -> Levers:
    """Reject lever values outside :data:`LEVER_RANGES` with one clear message."""
    if not isinstance(levers, Levers):
        raise FactInputError(where, f"expected a Levers object, got {type(levers).__name__}",
                             fix="build one with fact_toolkit.whatif.Levers(...)")
    for name, (lo, hi) in LEVER_RANGES.items():
        v = getattr(levers, name)
        if v is None and name == "campaign_share":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise FactInputError(where, f"lever {name} = {v!r} is not a number", fix=f"use {lo:g}–{hi:g}")
        if not lo <= v <= hi:
            raise FactInputError(where, f"lever {name} = {v:g} is outside the sensible range {lo:g}–{hi:g}",
                                 fix=f"choose a value between {lo:g} and {hi:g}")
    return levers


def replace_levers(levers: Mapping[str, Levers], **changes: float) -> dict[str, Levers]:
    """A copy of a channel → Levers mapping with ``changes`` applied to each entry."""
    return {k: replace(v, **changes) for k, v in levers.items()}
