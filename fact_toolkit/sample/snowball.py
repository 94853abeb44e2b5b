"""One self-broadcast account's daily series under the snowball law.

:func:`simulate_account` is the law on its own (one live session a day);
``_account_series`` runs the same law for each of the brand's F accounts, with the
account's scale, its ad spend and an optional planted conversion factor. The law::

    log(organic_exposure_t) = a + elasticity * log(GPM7_{t-1} / GPM_ref)
                              + weekday_t + campaign_t + u_t
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from .arith import _cents, _to_date
from .brand import (
    AD_BASE_SPEND,
    AD_EXPONENT,
    AD_EXPOSURE_K,
    BASE_ORGANIC,
    EXPOSURE_VIEW_RATE,
    F_AOV,
    GPM_REF,
    ORDERS_PER_BUYER,
    PRODUCT_CTR,
    PRODUCT_EXPOSURE_RATE,
    RHO_C,
    RHO_U,
    SIGMA_C,
    SIGMA_U,
    SUBSIDY_RANGE,
    VIEWS_PER_VIEWER,
    WEEKDAY_EFFECT,
)
from .campaigns import _campaign_effects, load_campaign_calendar

__all__ = ["simulate_account", "_account_series"]


def _account_series(rng: np.random.Generator, dates: pd.DatetimeIndex, camp_expo: np.ndarray,
                    camp_conv: np.ndarray, camp_ids: np.ndarray, *, elasticity: float, dilution: float,
                    scale: float, ad_spend: bool, ad_boost: np.ndarray,
                    cvr_factor: np.ndarray | None = None) -> pd.DataFrame:
    """Simulate one account's daily series; the law's parts go to ``attrs['law']``."""
    n = len(dates)
    wd = np.asarray(WEEKDAY_EFFECT)[dates.day_of_week.values]
    a = math.log(BASE_ORGANIC * scale)
    views_ref = BASE_ORGANIC * scale * EXPOSURE_VIEW_RATE
    # conversion base chosen so that GPM ~= GPM_ref at the reference state
    cvr_base = (GPM_REF / 1000.0) / (PRODUCT_EXPOSURE_RATE * PRODUCT_CTR * F_AOV / VIEWS_PER_VIEWER)

    # all randomness drawn up front (vectorised); the loop only does arithmetic
    eps_u = rng.normal(0.0, SIGMA_U, n)
    eps_c = rng.normal(0.0, SIGMA_C, n)
    u = np.empty(n)
    c = np.empty(n)
    u[0] = rng.normal(0.0, SIGMA_U / math.sqrt(1 - RHO_U ** 2))
    c[0] = rng.normal(0.0, SIGMA_C / math.sqrt(1 - RHO_C ** 2))
    for t in range(1, n):
        u[t] = RHO_U * u[t - 1] + eps_u[t]
        c[t] = RHO_C * c[t - 1] + eps_c[t]
    evr = EXPOSURE_VIEW_RATE * np.exp(rng.normal(0.0, 0.04, n))
    vpv = VIEWS_PER_VIEWER * np.exp(rng.normal(0.0, 0.03, n))
    per = np.clip(PRODUCT_EXPOSURE_RATE * np.exp(rng.normal(0.0, 0.04, n)), 0.0, 0.95)
    ctr = np.clip(PRODUCT_CTR * np.exp(rng.normal(0.0, 0.04, n)), 0.0, 0.9)
    aov = F_AOV * np.exp(rng.normal(0.0, 0.05, n))
    subsidy = rng.uniform(*SUBSIDY_RANGE, n)
    z = rng.standard_normal((n, 5))
    if ad_spend:
        spend = _cents(AD_BASE_SPEND * scale * np.exp(rng.normal(0.0, 0.25, n)) * ad_boost)
    else:
        spend = np.zeros(n)
    paid_expo = np.rint(AD_EXPOSURE_K * spend ** AD_EXPONENT).astype(np.int64)

    cvr_mult = np.exp(c + camp_conv) * cvr_base
    if cvr_factor is not None:  # a planted weakness (Plant.f_cvr); the draws above do not change
        cvr_mult = cvr_mult * cvr_factor
    organic = np.zeros(n, dtype=np.int64)
    views = np.zeros(n, dtype=np.int64)
    viewers = np.zeros(n, dtype=np.int64)
    pexp = np.zeros(n, dtype=np.int64)
    clicks = np.zeros(n, dtype=np.int64)
    buyers = np.zeros(n, dtype=np.int64)
    orders = np.zeros(n, dtype=np.int64)
    paid_cents = np.zeros(n, dtype=np.int64)
    base_t = a + wd + camp_expo + u
    sum_cents = 0
    sum_views = 0

    def draw(m: int, p: float, zz: float) -> int:
        mu = m * p
        k = int(round(mu + zz * math.sqrt(max(mu * (1.0 - p), 0.0))))
        return min(max(k, 0), m)

    for t in range(n):
        if t >= 8:
            sum_cents -= int(paid_cents[t - 8])
            sum_views -= int(views[t - 8])
        gpm7 = (sum_cents / 100.0) / sum_views * 1000.0 if sum_views > 0 else GPM_REF
        if gpm7 <= 0:
            gpm7 = GPM_REF * 0.05
        log_o = base_t[t] + elasticity * math.log(gpm7 / GPM_REF)
        o = int(round(math.exp(log_o)))
        organic[t] = o
        expo_t = o + int(paid_expo[t])
        v = draw(expo_t, float(evr[t]), float(z[t, 0]))
        views[t] = v
        vu = min(v, int(round(v / vpv[t])))
        viewers[t] = vu
        pe = draw(vu, float(per[t]), float(z[t, 1]))
        pexp[t] = pe
        ck = draw(pe, float(ctr[t]), float(z[t, 2]))
        clicks[t] = ck
        rate = float(cvr_mult[t]) * (max(v, 1) / views_ref) ** (-dilution)
        b = draw(ck, min(rate, 0.6), float(z[t, 3]))
        buyers[t] = b
        orders[t] = b + draw(b, ORDERS_PER_BUYER - 1.0, float(z[t, 4]))
        pc = int(round(b * float(aov[t]) * 100.0))
        paid_cents[t] = pc
        # the window for t+1 is days t-6..t
        sum_cents += pc
        sum_views += v

    paid = paid_cents / 100.0
    gmv = _cents(paid * (1.0 + subsidy))
    with np.errstate(divide="ignore", invalid="ignore"):
        gpm = np.where(views > 0, paid / np.maximum(views, 1) * 1000.0, np.nan)
    df = pd.DataFrame({
        "date": dates,
        "exposure_pv": organic + paid_expo,
        "organic_exposure_pv": organic,
        "paid_exposure_pv": paid_expo,
        "view_pv": views,
        "view_uv": viewers,
        "product_exposure_uv": pexp,
        "product_click_uv": clicks,
        "buyers": buyers,
        "orders": orders,
        "paid_amount": paid,
        "gmv": gmv,
        "ad_spend": spend,
        "campaign_id": pd.array(list(camp_ids), dtype="str"),
        "gpm": gpm,
    })
    df.attrs["law"] = {
        "a": a,
        "elasticity": float(elasticity),
        "dilution": float(dilution),
        "gpm_ref": GPM_REF,
        "views_ref": views_ref,
        "cvr_base": cvr_base,
        "rho_u": RHO_U,
        "sigma_u": SIGMA_U,
        "rho_c": RHO_C,
        "sigma_c": SIGMA_C,
        "weekday_effect": list(WEEKDAY_EFFECT),
        "campaign_effect": [float(x) for x in camp_expo],
        "campaign_conv_effect": [float(x) for x in camp_conv],
        "u": [float(x) for x in u],
        "c": [float(x) for x in c],
    }
    return df


def simulate_account(seed: int, days: int = 730, *, elasticity: float = 0.4, dilution: float = 0.3,
                     start: str | _dt.date = "2024-12-01", ad_spend: bool = True,
                     campaigns: bool = True) -> pd.DataFrame:
    """Simulate one self-broadcast account's daily series under the snowball law.

    One live session a day.  Organic exposure follows, exactly up to rounding to whole
    exposures (``|error| < 1e-4`` in logs)::

        log(organic_exposure_t) = a + elasticity * log(GPM7_{t-1} / GPM_ref)
                                  + weekday_t + campaign_t + u_t

    with ``u_t`` AR(1) (``rho = 0.5``, ``sigma = 0.15``) and ``GPM7_{t-1}`` the ratio of
    sums ``sum(paid_amount) / sum(view_pv) * 1000`` over days ``t-7 .. t-1`` (the days
    available at the start; ``GPM_ref`` on day 0).  Conversion has a persistent AR(1)
    component (``rho = 0.9``) and same-day dilution
    ``click→order rate ∝ (view_pv_t / views_ref) ** -dilution``.  Ad spend buys paid
    exposure ``200 * spend ** 0.7``.

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives the same frame.
    days : int, default 730
        Length of the series.
    elasticity : float, default 0.4
        Elasticity of organic exposure to the lagged seven-day GPM.
    dilution : float, default 0.3
        Elasticity of the click→order rate to same-day views (enters with a minus sign).
    start : str or date, default "2024-12-01"
        First date.
    ad_spend : bool, default True
        Buy paid exposure (巨量千川); ``False`` gives zero spend and zero paid exposure.
    campaigns : bool, default True
        Apply the default campaign calendar (exposure and conversion effects,
        ``campaign_id``); ``False`` gives a campaign-free series.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, exposure_pv, organic_exposure_pv, paid_exposure_pv, view_pv,
        view_uv, product_exposure_uv, product_click_uv, buyers, orders, paid_amount, gmv,
        ad_spend, campaign_id, gpm``.  ``attrs["law"]`` holds the law's parts: ``a``,
        ``gpm_ref``, ``views_ref``, ``weekday_effect`` (Monday first), per-day
        ``campaign_effect`` and the disturbances ``u`` and ``c``.

    Examples
    --------
    >>> df = simulate_account(1, days=30)
    >>> len(df), bool((df.organic_exposure_pv > 0).all())
    (30, True)
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(_to_date(start), periods=days, freq="D")
    cal = load_campaign_calendar() if campaigns else None
    expo, conv, ids, tiers = _campaign_effects(dates, cal)
    boost = 1.0 + np.where(tiers == "S", 0.8, np.where(tiers == "A", 0.5, np.where(tiers == "B", 0.3, 0.0)))
    return _account_series(rng, dates, expo, conv, ids, elasticity=elasticity, dilution=dilution, scale=1.0,
                           ad_spend=ad_spend, ad_boost=boost)
