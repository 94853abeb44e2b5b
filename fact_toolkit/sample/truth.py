"""``ground_truth.json``: what the simulator knows, for checking what a loader finds.

``_truth`` records the parameters (the snowball law's, per account too), the accounts,
products, campaigns and the channel rule; ``_totals`` sums exactly the values the files
state, per file and per currency × channel (to the cent; missing cells skipped).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .arith import _int_sum, _money_sum
from .brand import (
    _F_ACCOUNTS,
    _FILES,
    _TIKTOK_ACCOUNT,
    AD_EXPONENT,
    AD_EXPOSURE_K,
    BRAND,
    CAMPAIGN_CONV_EFFECT,
    CAMPAIGN_EFFECT,
    CATEGORY,
    CONTENT_FORMS,
    GPM_REF,
    PREHEAT_CONV_EFFECT,
    PREHEAT_EFFECT,
    REFUND_RATE_RANGE,
    RHO_C,
    RHO_U,
    SIGMA_C,
    SIGMA_U,
    TOP_KOL_FOLLOWERS,
    WEEKDAY_EFFECT,
    SampleBrand,
)

__all__ = ["_truth", "_totals"]


_TOTAL_FIELDS: tuple[str, ...] = ("gmv", "paid_amount", "refund_amount", "view_pv", "ad_spend", "commission")
_MONEY_FIELDS: frozenset[str] = frozenset(
    {"gmv", "paid_amount", "refund_amount", "ad_spend", "commission", "direct_gmv", "ad_gmv",
     "search_after_view_amount", "live_referral_amount"})


def _truth(seed: int, days: int, dates: pd.DatetimeIndex, elasticity: float, laws: dict[str, Any],
           products: pd.DataFrame, used: pd.DataFrame, tal: pd.DataFrame, talents: pd.DataFrame) -> dict[str, Any]:
    """Everything but the totals: parameters, accounts, products, campaigns, rules."""
    accounts: list[dict[str, Any]] = []
    for a in _F_ACCOUNTS:
        accounts.append({"id": a["account_id"], "name": a["account_name"], "channel": "F",
                         "account_type": a["account_type"], "followers": a["followers"], "currency": "CNY"})
    for r, fol in zip(tal.itertuples(index=False), talents["followers"]):
        accounts.append({"id": r.talent_id, "name": r.nickname, "channel": r.fact_channel,
                         "account_type": "affiliate", "followers": int(fol), "currency": "CNY",
                         "commission_rate": float(r.commission_rate), "match": round(float(r.match), 4)})
    accounts.append({"id": _TIKTOK_ACCOUNT["account_id"], "name": _TIKTOK_ACCOUNT["account_name"],
                     "channel": "F", "account_type": None, "followers": _TIKTOK_ACCOUNT["followers"],
                     "currency": "USD"})
    form_gpm = {f: round(v["ctr"] * v["cvr"], 4) for f, v in CONTENT_FORMS.items()}
    return {
        "seed": int(seed), "days": int(days),
        "start": f"{dates[0]:%Y-%m-%d}", "end": f"{dates[-1]:%Y-%m-%d}",
        "brand": BRAND, "category": CATEGORY, "currency": "CNY",
        "elasticity": float(elasticity), "dilution": 0.3, "GPM_ref": GPM_REF,
        "snowball": {
            "law": "log(organic_exposure_t) = a + elasticity*log(GPM7_{t-1}/GPM_ref) + weekday_t + campaign_t + u_t",
            "gpm7": "sum(paid_amount[t-7..t-1]) / sum(view_pv[t-7..t-1]) * 1000 (fewer days at the start; "
                    "GPM_ref on day 0)",
            "rho_u": RHO_U, "sigma_u": SIGMA_U, "rho_c": RHO_C, "sigma_c": SIGMA_C,
            "weekday_effect": dict(zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), WEEKDAY_EFFECT)),
            "campaign_effect": CAMPAIGN_EFFECT, "preheat_effect": PREHEAT_EFFECT,
            "campaign_conv_effect": CAMPAIGN_CONV_EFFECT, "preheat_conv_effect": PREHEAT_CONV_EFFECT,
            "paid_exposure": f"{AD_EXPOSURE_K:g} * ad_spend ** {AD_EXPONENT:g}",
            "conversion": "click->order rate = cvr_base * exp(c_t + campaign_conv_t) * (view_pv_t/views_ref)**-dilution",
            "per_account": laws,
            "note": "the law holds exactly on SampleBrand.f_daily; the live-session file splits each day over "
                    "1-2 sessions and shows total (organic + paid) exposure, some of it rounded to 万",
        },
        "accounts": accounts,
        "products": [{"id": r.product_id, "title": r.title, "category": r.category, "price": float(r.price)}
                     for r in products.itertuples(index=False)],
        "campaigns": [{"campaign_id": r.campaign_id, "name": r.name, "start": f"{r.start:%Y-%m-%d}",
                       "end": f"{r.end:%Y-%m-%d}", "preheat_start": f"{r.preheat_start:%Y-%m-%d}", "tier": r.tier}
                      for r in used.itertuples(index=False)],
        "content_forms": {"relative_gpm": form_gpm},
        "commission_rate_range": {"A": [0.15, 0.35], "T": [0.38, 0.50], "F": [0.0, 0.0]},
        "refund_rate_range": list(REFUND_RATE_RANGE),
        "channel_rule": {"官方账号": "F", "渠道账号": "F", "达人": f"T if followers >= {TOP_KOL_FOLLOWERS} else A",
                         "商品卡": "S", "tiktok": "F (a shop's Seller Center LIVE list holds its own LIVEs)"},
        "top_kol_followers": TOP_KOL_FOLLOWERS,
    }


def _sum_block(df: pd.DataFrame, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": int(len(df))}
    for f in fields:
        if f not in df.columns:
            out[f] = None
        elif f in _MONEY_FIELDS:
            out[f] = _money_sum(df[f])
        else:
            out[f] = _int_sum(df[f])
    return out


def _totals(b: SampleBrand) -> dict[str, Any]:
    """Totals per file and per currency × channel, from the frames (= the files)."""
    live_fields = _TOTAL_FIELDS + ("exposure_pv", "orders")
    by_file: dict[str, Any] = {}
    specs = (
        ("f_live", b.content, "content", "compass_live", "xlsx", "CNY", live_fields),
        ("talent_live", b.content, "content", "compass_live", "utf-8", "CNY", live_fields),
        ("video", b.content, "content", "compass_video", "utf-8-sig, CRLF", "CNY",
         live_fields + ("search_after_view_amount", "live_referral_amount")),
    )
    for key, frame, table, kind, enc, cur, fields in specs:
        sub = frame[frame["source_file"] == _FILES[key]]
        block = _sum_block(sub.drop(columns=["ad_spend"]) if key == "video" else sub, fields)
        if key == "video":
            block["search_after_view_missing"] = int(sub["search_after_view_amount"].isna().sum())
            block["live_referral_missing"] = int(sub["live_referral_amount"].isna().sum())
        block["rows_by_channel"] = {c: int(n) for c, n in sub["fact_channel"].value_counts().sort_index().items()}
        by_file[_FILES[key]] = {"table": table, "kind": kind, "encoding": enc, "currency": cur, **block}
    by_file[_FILES["shelf"]] = {"table": "products", "kind": "product_carrier", "encoding": "xlsx",
                                "currency": "CNY", **_sum_block(b.shelf, _TOTAL_FIELDS + ("orders",)),
                                "rows_by_channel": {"S": int(len(b.shelf))}}
    by_file[_FILES["ads"]] = {"table": "ads", "kind": "qianchuan", "encoding": "gb18030, CRLF", "currency": "CNY",
                              **_sum_block(b.ads, _TOTAL_FIELDS + ("ad_gmv",))}
    by_file[_FILES["tiktok"]] = {"table": "content", "kind": "tiktok_live", "encoding": "xlsx", "currency": "USD",
                                 **_sum_block(b.tiktok, _TOTAL_FIELDS + ("direct_gmv", "orders")),
                                 "rows_by_channel": {"F": int(len(b.tiktok))}}
    by_file[_FILES["talents"]] = {"table": "talents", "kind": "talents", "encoding": "utf-8", "currency": None,
                                  "rows": int(len(b.talents)),
                                  "top_kols": int(b.talents["is_top_kol"].sum())}
    by_file[_FILES["benchmarks"]] = {"table": "benchmarks", "kind": "benchmarks", "encoding": "utf-8",
                                     "currency": None, "rows": int(len(b.benchmarks))}
    sales = pd.concat([b.content, b.shelf, b.tiktok], ignore_index=True)
    by_cc: dict[str, dict[str, Any]] = {}
    for (cur, ch), sub in sales.groupby(["currency", "fact_channel"], sort=True):
        fields = _TOTAL_FIELDS + (("direct_gmv",) if cur == "USD" else ())
        by_cc.setdefault(str(cur), {})[str(ch)] = _sum_block(sub.dropna(axis=1, how="all"), fields)
    return {
        "note": "sums of exactly the values written (cents; 万 text rounded); missing cells ('-', '--', "
                "absent columns) are skipped, null = no value at all; the 合计 row is not a data row; "
                "by_currency_channel covers the sales files (live, video, shelf, TikTok), not the ad report",
        "by_file": by_file,
        "by_currency_channel": by_cc,
    }
