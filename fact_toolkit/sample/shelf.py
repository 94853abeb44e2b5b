"""The S channel: product-card sales per date × product, around an AR(1) traffic level per product."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .arith import _cents, _count
from .brand import REFUND_RATE_RANGE, SUBSIDY_RANGE

__all__ = ["_shelf"]


def _shelf(rng: np.random.Generator, products: pd.DataFrame, dates: pd.DatetimeIndex, wd: np.ndarray,
           camp_expo: np.ndarray, camp_conv: np.ndarray, camp_ids: np.ndarray) -> pd.DataFrame:
    """Product-card (S) sales per date × product."""
    n, k = len(dates), len(products)
    noise = np.empty((n, k))
    noise[0] = rng.normal(0.0, 0.1 / math.sqrt(1 - 0.64), k)
    eps = rng.normal(0.0, 0.1, (n, k))
    for t in range(1, n):
        noise[t] = 0.8 * noise[t - 1] + eps[t]
    trend = 0.3 * np.arange(n) / max(n - 1, 1)
    base = products["shelf_base"].to_numpy() * 0.6
    lvl = np.exp((wd + 0.8 * camp_expo + trend)[:, None] + noise)
    uv = np.rint(base[None, :] * lvl).astype(np.int64).ravel()
    ctr = np.tile(rng.uniform(0.06, 0.11, k), n)
    cvr = np.tile(rng.uniform(0.07, 0.13, k), n) * np.repeat(np.exp(camp_conv), k)
    clicks = _count(uv, ctr, rng)
    buyers = _count(clicks, cvr, rng)
    orders = buyers + _count(buyers, 0.05, rng)
    price = np.tile(products["price"].to_numpy(), n)
    disc = np.repeat(np.where(pd.notna(camp_ids), 0.9, 1.0), k)
    paid = _cents(buyers * price * disc * np.exp(rng.normal(0.0, 0.03, n * k)))
    gmv = _cents(paid * (1.0 + rng.uniform(*SUBSIDY_RANGE, n * k)))
    refund = _cents(gmv * rng.uniform(*REFUND_RATE_RANGE, n * k))
    return pd.DataFrame({
        "date": np.repeat(dates.values, k),
        "product_id": np.tile(products["product_id"].to_numpy(), n),
        "title": np.tile(products["title"].to_numpy(), n),
        "category": np.tile(products["category"].to_numpy(), n),
        "carrier": "card", "account_type": "official", "fact_channel": "S",
        "campaign_id": np.repeat(camp_ids, k),
        "product_exposure_uv": uv,
        "product_exposure_pv": np.rint(uv * rng.uniform(1.2, 1.5, n * k)).astype(np.int64),
        "product_click_uv": clicks, "orders": orders, "buyers": buyers,
        "gmv": gmv, "paid_amount": paid, "refund_amount": refund,
    })
