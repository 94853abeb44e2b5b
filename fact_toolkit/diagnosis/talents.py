"""The talent matrix (A): tiers, concentration, per-talent GPM and ROI, activity and new talents."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..metrics import ratio, summarize
from ._base import add_period, period_coverage
from .content import high_gpm_low_exposure

__all__ = ["concentration", "talent_matrix", "tier_summary", "talent_activity"]

_TIER_BY_FOLLOWERS = ((1_000_000, "head"), (100_000, "waist"), (0, "tail"))


def concentration(values: Sequence[float] | pd.Series, top: int = 10) -> dict[str, float]:
    """Top-``top`` share and Herfindahl–Hirschman index of a set of GMVs.

    ``hhi`` = Σ shareᵢ² with shares as 0–1 fractions (1 = one talent holds everything;
    multiply by 10,000 for the antitrust scale); ``equivalent_n`` = 1 ÷ HHI, the number of
    equal-sized talents that would give the same concentration.

    Examples
    --------
    >>> c = concentration([50, 30, 20], top=1)
    >>> c["top_share"], round(c["hhi"], 4), round(c["equivalent_n"], 3)
    (0.5, 0.38, 2.632)
    """
    v = pd.Series(values, dtype=float).dropna()
    v = v[v > 0]
    total = v.sum()
    if total <= 0:
        return {"n": 0, "top_share": float("nan"), "hhi": float("nan"), "equivalent_n": float("nan")}
    shares = v / total
    hhi = float((shares ** 2).sum())
    return {"n": int(len(v)), "top_share": float(shares.nlargest(top).sum()), "hhi": hhi,
            "equivalent_n": 1.0 / hhi}


def talent_matrix(content: pd.DataFrame, talents: pd.DataFrame | None = None, channel: str = "A") -> pd.DataFrame:
    """Per talent of ``channel``: GMV, GPM, exposure, commission, ROI after commission, tier.

    ``roi_commission`` = Σ paid ÷ Σ commission (what a yuan of commission brings back);
    ``net_after_commission`` = Σ paid − Σ refunds − Σ commission. ``tier`` comes from the
    talents table (head/waist/tail), else from followers, else ``unknown``. ``hidden_gem``
    marks GPM in the top quartile with exposure in the bottom half.

    Returns
    -------
    DataFrame
        Index ``account_id``; largest GMV first.
    """
    if "fact_channel" not in content:
        return pd.DataFrame()
    a = content.loc[content["fact_channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    if a.empty:
        return pd.DataFrame()
    paid = "paid_amount" if "paid_amount" in a and a["paid_amount"].notna().any() else "gmv"
    s = summarize(a, by="account_id", metrics=["gpm", "views"], share=False)
    g = a.groupby("account_id", observed=True)
    s["account_name"] = g["account_name"].first() if "account_name" in a else s.index
    s["paid_amount"] = g[paid].sum(min_count=1)
    for c in ("commission", "refund_amount"):
        s[c] = g[c].sum(min_count=1) if c in a else np.nan
    exp = next((c for c in ("exposure_pv", "exposure_uv", "view_pv") if c in a and a[c].notna().any()), None)
    s["exposure"] = g[exp].sum(min_count=1).astype(float) if exp else np.nan
    s["roi_commission"] = ratio("roi_commission", s["paid_amount"], s["commission"])
    s["net_after_commission"] = s["paid_amount"] - s["refund_amount"].fillna(0) - s["commission"].fillna(0)
    s["tier"] = "unknown"
    if talents is not None and not talents.empty and "talent_id" in talents:
        tal = talents.drop_duplicates("talent_id").set_index("talent_id")
        if "tier" in tal:
            s["tier"] = s.index.map(tal["tier"]).astype("string").fillna("unknown")
        if "followers" in tal:
            s["followers"] = s.index.map(tal["followers"]).astype("Float64")
            missing = s["tier"].eq("unknown") & s["followers"].notna()
            f = s["followers"].astype(float)
            by_f = np.select([f >= t for t, _ in _TIER_BY_FOLLOWERS], [n for _, n in _TIER_BY_FOLLOWERS], "unknown")
            s.loc[missing.to_numpy(dtype=bool), "tier"] = by_f[missing.to_numpy(dtype=bool)]
    s["share"] = s["paid_amount"] / s["paid_amount"].sum()
    ok = s.dropna(subset=["gpm", "exposure"])
    s["hidden_gem"] = False
    if len(ok) >= 4:
        s.loc[ok.index, "hidden_gem"] = high_gpm_low_exposure(ok).to_numpy()
    return s.drop(columns="rows").sort_values("paid_amount", ascending=False)


def tier_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Talents, GMV share, GPM (Σ paid ÷ Σ views × 1000) and commission ROI per tier."""
    if matrix.empty:
        return pd.DataFrame()
    g = matrix.groupby("tier", observed=True)
    out = pd.DataFrame({"talents": g.size(), "paid_amount": g["paid_amount"].sum(),
                        "views": g["views"].sum(min_count=1), "commission": g["commission"].sum(min_count=1)})
    out["share"] = out["paid_amount"] / out["paid_amount"].sum()
    out["gpm"] = ratio("gpm", out["paid_amount"], out["views"])
    out["roi_commission"] = ratio("roi_commission", out["paid_amount"], out["commission"])
    order = {"head": 0, "waist": 1, "tail": 2}
    return out.sort_index(key=lambda ix: ix.map(lambda x: order.get(x, 9)))


def talent_activity(content: pd.DataFrame, channel: str = "A", freq: str = "M", *,
                    span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Active talents per period, split into new (first period seen) and returning.

    "New" means first seen in the data given: the first period of the range counts every
    talent as new. ``days``, ``length`` and ``complete`` say how much of each period the range
    (``span``: first and last day; None: every period counts as complete) covers: counts of a partial period
    are not comparable with a full one's.

    Examples
    --------
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2025-01-03", "2025-01-09", "2025-02-01", "2025-02-02"]),
    ...                   "fact_channel": ["A"] * 4, "account_id": ["x", "y", "x", "z"],
    ...                   "paid_amount": [1.0, 2.0, 3.0, 4.0]})
    >>> talent_activity(t)[["active", "new", "returning"]].values.tolist()
    [[2, 2, 0], [2, 1, 1]]
    """
    if "fact_channel" not in content:
        return pd.DataFrame()
    a = content.loc[content["fact_channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    if a.empty:
        return pd.DataFrame()
    a = add_period(a, freq)
    first = a.groupby("account_id", observed=True)["period"].transform("min")
    a = a.assign(is_new=(a["period"] == first))
    per = a.groupby(["period", "account_id"], observed=True)["is_new"].first().reset_index()
    out = per.groupby("period").agg(active=("account_id", "nunique"), new=("is_new", "sum"))
    out["new"] = out["new"].astype(int)
    out["returning"] = out["active"] - out["new"]
    paid = "paid_amount" if "paid_amount" in a and a["paid_amount"].notna().any() else "gmv"
    newpaid = a.loc[a["is_new"].to_numpy(dtype=bool)].groupby("period")[paid].sum()
    out["new_gmv_share"] = (newpaid.reindex(out.index).fillna(0.0) / a.groupby("period")[paid].sum()).astype(float)
    cov = period_coverage(content["date"], freq, span)
    out["days"] = out.index.map(cov["days"]).astype(int)
    out["length"] = out.index.map(cov["length"]).astype(int)
    out["complete"] = out.index.map(cov["complete"]).astype(bool)
    return out
