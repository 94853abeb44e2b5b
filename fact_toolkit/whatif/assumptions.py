"""What-if assumptions: the response curves the data cannot always tell, and their estimates from data."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError
from .frames import _amount_column, _as_frames, _num

__all__ = ["Assumptions", "assumptions_from_data", "estimate_ad_returns", "estimate_price_response"]


@dataclass(frozen=True)
class Assumptions:
    """Response curves the data cannot always tell; every one is stated and changeable.

    Parameters
    ----------
    price_response : float
        How conversion moves with price: ``CVR ∝ price ** -price_response`` (1.5 by default;
        :func:`estimate_price_response` replaces it when the data can tell).
    content_returns : float
        Organic traffic ∝ content volume ** this (0.8: each extra session brings a bit less).
    talent_returns : float
        Organic traffic ∝ active talents ** this (0.9).
    commission_response : float
        Active talents ∝ commission rate ** this, on channels that pay commission (0.5).
    ad_returns : float
        Paid traffic ∝ ad spend ** this (0.7; :func:`estimate_ad_returns` from the ads file).
    dilution : float
        Conversion ∝ (traffic / baseline traffic) ** -dilution (0.3): new traffic (snowball,
        content, talents, ads, campaigns) converts worse. A better exposure→view rate is not
        diluted: it converts more of the same exposed people.
    paid_share : float
        Share of traffic assumed paid when no ads file gives paid impressions (0.3).
    sources : dict
        Where each value came from (``"default"`` or a note on the estimate).
    """

    price_response: float = 1.5
    content_returns: float = 0.8
    talent_returns: float = 0.9
    commission_response: float = 0.5
    ad_returns: float = 0.7
    dilution: float = 0.3
    paid_share: float = 0.3
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "sources":
                continue
            v = getattr(self, f.name)
            lo, hi = (0.0, 1.0) if f.name == "paid_share" else (0.0, 5.0)
            if not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
                raise FactInputError("assumptions", f"{f.name} = {v!r} is outside {lo:g}–{hi:g}",
                                     fix=f"give {f.name} a number between {lo:g} and {hi:g}")

    def table(self) -> pd.DataFrame:
        """The assumptions as a small table (value and source)."""
        rows = [{"assumption": k, "value": v, "source": self.sources.get(k, "default")}
                for k, v in asdict(self).items() if k != "sources"]
        return pd.DataFrame(rows).set_index("assumption")


def _ols_slope(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, float, int]:
    """Slope, t statistic and n of y on x with group fixed effects (within estimator)."""
    df = pd.DataFrame({"x": x, "y": y, "g": groups}).replace([np.inf, -np.inf], np.nan).dropna()
    if len(df) < 3:
        return np.nan, np.nan, len(df)
    xd = df["x"] - df.groupby("g")["x"].transform("mean")
    yd = df["y"] - df.groupby("g")["y"].transform("mean")
    sxx = float((xd ** 2).sum())
    n_par = df["g"].nunique() + 1
    if sxx <= 1e-12 or len(df) <= n_par:
        return np.nan, np.nan, len(df)
    b = float((xd * yd).sum() / sxx)
    resid = yd - b * xd
    s2 = float((resid ** 2).sum()) / (len(df) - n_par)
    se = math.sqrt(s2 / sxx) if s2 > 0 else 0.0
    return b, (b / se if se > 0 else np.inf), len(df)


def estimate_price_response(data: Any, default: float = 1.5, min_weeks: int = 12) -> tuple[float, str]:
    """How click→order conversion moves with price, from weekly data where it can tell.

    Regresses weekly log(click→order rate) on log(AOV) within each channel. The estimate is
    used only when it is negative and clear (|t| ≥ 2, at least ``min_weeks`` weeks);
    otherwise ``default`` is kept and the note says why. AOV moves for many reasons besides
    price (mix, campaigns), so treat a data estimate as a hint, not a measurement.

    Returns
    -------
    (float, str)
        The price response (≥ 0) and where it came from.
    """
    daily, _ = _as_frames(data)
    need = {"date", "fact_channel", "buyers", "product_click_uv"}
    if not need <= set(daily.columns) or not {"paid_amount", "gmv"} & set(daily.columns):
        return default, f"default {default:g} (no click and buyer columns to estimate from)"
    d = daily
    if "currency" in d and d["currency"].nunique() > 1:
        by_cur = {k: float(np.nansum(_num(g[_amount_column(g)])))
                  for k, g in d.groupby("currency", observed=True, dropna=True)}
        top = max(by_cur, key=by_cur.__getitem__)
        d = d.loc[d["currency"].eq(top).fillna(False).to_numpy(dtype=bool)]
    amount = _amount_column(d)  # within the currency
    d = d.dropna(subset=["buyers", "product_click_uv", amount])
    wk = d["date"].dt.to_period("W").astype(str)
    g = pd.DataFrame({"ch": d["fact_channel"].astype(str).to_numpy(), "wk": wk.to_numpy(),
                      "b": _num(d["buyers"]), "c": _num(d["product_click_uv"]), "a": _num(d[amount])})
    g = g.groupby(["ch", "wk"]).sum()
    g = g.loc[(g["b"] > 0) & (g["c"] > 0) & (g["a"] > 0)]
    if len(g) < min_weeks:
        return default, f"default {default:g} (only {len(g)} channel-weeks with sales)"
    slope, t, n = _ols_slope(np.log(g["a"] / g["b"]).to_numpy(), np.log(g["b"] / g["c"]).to_numpy(),
                             g.index.get_level_values("ch").to_numpy())
    if not np.isfinite(slope):
        return default, f"default {default:g} (AOV does not vary enough to estimate)"
    if slope >= 0 or abs(t) < 2 or not 0.2 <= -slope <= 5.0:
        return default, (f"default {default:g} (the data gave a slope of {slope:.2f}, t = {t:.1f}, over {n} "
                         "channel-weeks: not a clear, plausible price response)")
    value = float(-slope)
    return value, f"estimated {value:.2f} from {n} channel-weeks (t = {t:.1f})"


def estimate_ad_returns(data: Any, default: float = 0.7) -> tuple[float, str]:
    """Diminishing returns of ad spend: slope of log(impressions) on log(spend) per account.

    Uses the ads table (千川 daily reports) when it has at least 20 rows with positive spend
    and impressions and the slope lies in 0.05–1.2; otherwise ``default`` and the reason.
    """
    _, ads = _as_frames(data, daily=False)
    if ads is None or not {"ad_spend", "impressions"} <= set(ads.columns):
        return default, f"default {default:g} (no ads file with spend and impressions)"
    s, i = _num(ads["ad_spend"]), _num(ads["impressions"])
    ok = (s > 0) & (i > 0)
    if ok.sum() < 20:
        return default, f"default {default:g} (only {int(ok.sum())} ads rows with spend and impressions)"
    groups = ads["account_id"].astype(str).to_numpy()[ok] if "account_id" in ads else np.zeros(ok.sum())
    slope, t, n = _ols_slope(np.log(s[ok]), np.log(i[ok]), groups)
    if not np.isfinite(slope) or not 0.05 <= slope <= 1.2:
        return default, f"default {default:g} (the ads file gave an implausible slope {slope:.2f})"
    value = float(min(slope, 1.0))
    return value, f"estimated {value:.2f} from {n} ads rows"


def assumptions_from_data(data: Any, **overrides: float) -> Assumptions:
    """:class:`Assumptions` with the price response and ad returns estimated where the data can.

    ``overrides`` (e.g. ``dilution=0.2``) win over both estimates and defaults.
    """
    d = Assumptions()
    pr, pr_note = estimate_price_response(data, default=d.price_response)
    ar, ar_note = estimate_ad_returns(data, default=d.ad_returns)
    values = {"price_response": pr, "ad_returns": ar, **overrides}
    sources = {"price_response": pr_note, "ad_returns": ar_note}
    sources.update({k: "set by the user" for k in overrides})
    return Assumptions(**values, sources=sources)
