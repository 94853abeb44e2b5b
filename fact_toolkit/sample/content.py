"""The ``content`` rows: the live sessions and short videos of every channel, and the TikTok LIVEs.

``_f_sessions`` splits an F account's day (from the snowball law) over one or two live
sessions; ``_videos`` draws the short videos of F accounts and A talents, whose content
form sets their exposure, click and conversion rates; ``_talent_lives`` draws the special
live sessions of T (and a few A) talents; ``_tiktok`` the overseas TikTok shop's LIVE
sessions in USD.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .arith import _at, _cents, _count, _split
from .brand import (
    _FILES,
    _FORM_DURATION,
    _FORM_TAGS,
    _TIKTOK_ACCOUNT,
    BRAND,
    CONTENT_FORMS,
    REFUND_RATE_RANGE,
    SUBSIDY_RANGE,
)

__all__ = ["_videos", "_talent_lives", "_f_sessions", "_tiktok"]


def _video_titles(rng: np.random.Generator, forms: np.ndarray, products: list[str]) -> list[str]:
    templates = {
        "知识分享": ("{p}怎么搭？3个技巧显高显瘦", "面料科普｜{p}值不值得买", "小个子穿{p}的正确方式"),
        "街拍": ("杭州街头随手拍｜{p}", "今日通勤OOTD {p}", "街拍氛围感拉满 {p}"),
        "好物分享": ("回购三次的{p}！", "平价好物｜{p}开箱", "本月必买清单：{p}"),
        "剧情植入": ("老板以为我换了工作…其实是换了{p}", "闺蜜婚礼我穿了这件{p}", "相亲对象问我要{p}链接"),
    }
    pick = rng.integers(0, 3, len(forms))
    return [templates[f][int(k)].format(p=p) for f, k, p in zip(forms, pick, products)]


def _videos(rng: np.random.Generator, acc: pd.DataFrame, when: pd.DatetimeIndex, day_idx: np.ndarray,
            wd: np.ndarray, camp_expo: np.ndarray, camp_conv: np.ndarray, camp_ids: np.ndarray,
            products: pd.DataFrame, pref: np.ndarray, *, own: bool) -> pd.DataFrame:
    """Short videos, one row each (vectorised).  ``acc`` holds one row per video."""
    n = len(acc)
    forms_all = np.array(list(CONTENT_FORMS))
    u = rng.random(n)
    form_idx = (u[:, None] > np.cumsum(pref, axis=1)).sum(axis=1).clip(0, len(forms_all) - 1)
    forms = forms_all[form_idx]
    fx = np.array([CONTENT_FORMS[f]["exposure"] for f in forms])
    fv = np.array([CONTENT_FORMS[f]["view_rate"] for f in forms])
    fc = np.array([CONTENT_FORMS[f]["ctr"] for f in forms])
    fb = np.array([CONTENT_FORMS[f]["cvr"] for f in forms])
    prod = rng.integers(0, len(products), n)
    price = products["price"].to_numpy()[prod]
    followers = acc["followers"].to_numpy(dtype=float)
    eff = np.exp(wd[day_idx] + camp_expo[day_idx])
    exposure = np.rint(3_000 + followers * 0.3 * acc["quality"].to_numpy() * fx * eff
                       * np.exp(rng.normal(0.0, 0.9, n))).astype(np.int64)
    if "exposure_scale" in acc:  # a planted weakness (Plant.talent_exposure); no extra draws
        exposure = np.rint(exposure * acc["exposure_scale"].to_numpy()).astype(np.int64)
    views = _count(exposure, fv * np.exp(rng.normal(0.0, 0.1, n)), rng)
    likes = _count(views, 0.025 * np.exp(rng.normal(0.0, 0.4, n)), rng)
    comments = _count(likes, 0.08, rng)
    shares = _count(likes, 0.06, rng)
    pe = _count(views, 0.16 * np.exp(rng.normal(0.0, 0.1, n)), rng)
    clicks = _count(pe, 0.08 * fc, rng)
    cvr = 0.07 * fb * acc["match"].to_numpy() * np.exp(camp_conv[day_idx])
    buyers = _count(clicks, cvr, rng)
    orders = buyers + _count(buyers, 0.08, rng)
    disc = np.where(pd.notna(camp_ids[day_idx]), 0.92, 1.0)
    paid = _cents(buyers * price * disc * np.exp(rng.normal(0.0, 0.06, n)))
    gmv = _cents(paid * (1.0 + rng.uniform(*SUBSIDY_RANGE, n)))
    refund = _cents(gmv * rng.uniform(*REFUND_RATE_RANGE, n))
    commission = np.zeros(n) if own else _cents(paid * acc["commission_rate"].to_numpy())
    lo = np.array([_FORM_DURATION[f][0] for f in forms])
    hi = np.array([_FORM_DURATION[f][1] for f in forms])
    duration = rng.integers(lo, hi + 1)
    cr_base = {"知识分享": 0.15, "街拍": 0.35, "好物分享": 0.22, "剧情植入": 0.18}
    base_cr = np.array([cr_base[f] for f in forms])
    cr_pct = np.floor(np.clip(base_cr * np.exp(rng.normal(0.0, 0.25, n)), 0.02, 0.9) * 1000 + 0.5) / 10
    completion = np.round(cr_pct / 100.0, 6)
    watch = np.minimum(duration, np.rint(duration * (completion + (1 - completion)
                                                      * rng.uniform(0.2, 0.45, n)))).astype(np.int64)
    sav = _cents(views * rng.uniform(0.002, 0.02, n))
    sav[rng.random(n) < 0.35] = np.nan
    ref_scale = 0.03 if own else 0.006
    lra = _cents(views * rng.uniform(0.0, ref_scale, n))
    lra[rng.random(n) < (0.1 if own else 0.5)] = np.nan
    tags = []
    for f in forms:
        pool = _FORM_TAGS[f]
        k = int(rng.integers(2, 4))
        tags.append(",".join(pool[j] for j in sorted(rng.choice(len(pool), size=k, replace=False))))
    titles = _video_titles(rng, forms, list(products["title"].str.replace(BRAND, "", regex=False).to_numpy()[prod]))
    return pd.DataFrame({
        "content_type": "video",
        "title": titles,
        "account_id": acc["account_id"].to_numpy(),
        "account_name": acc["account_name"].to_numpy(),
        "account_type": acc["account_type"].to_numpy(),
        "fact_channel": acc["fact_channel"].to_numpy(),
        "campaign_id": camp_ids[day_idx],
        "start_time": when,
        "duration_sec": duration.astype(np.int64),
        "exposure_pv": exposure, "view_pv": views,
        "likes": likes, "comments": comments, "shares": shares,
        "completion_rate": completion, "avg_watch_sec": watch.astype(float),
        "product_exposure_uv": pe, "product_click_uv": clicks, "orders": orders, "buyers": buyers,
        "paid_amount": paid, "gmv": gmv, "refund_amount": refund, "commission": commission,
        "search_after_view_amount": sav, "live_referral_amount": lra,
        "content_form": forms, "tags": tags,
    })


def _talent_lives(rng: np.random.Generator, tal: pd.DataFrame, dates: pd.DatetimeIndex, wd: np.ndarray,
                  camp_expo: np.ndarray, camp_conv: np.ndarray, camp_ids: np.ndarray,
                  products: pd.DataFrame) -> pd.DataFrame:
    """Special live sessions of T (and a few A) talents."""
    n_days = len(dates)
    in_camp = pd.notna(camp_ids)
    rows_t: list[int] = []
    rows_d: list[int] = []
    for i, r in enumerate(tal.itertuples(index=False)):
        if r.live_rate <= 0:
            continue
        boost = np.where(in_camp, 2.0 if r.fact_channel == "T" else 1.5, 1.0)
        p = np.clip(r.live_rate * boost / (1.0 + 0.25 * in_camp.mean()), 0.0, 0.5)
        hit = np.flatnonzero(rng.random(n_days) < p)
        rows_t.extend([i] * len(hit))
        rows_d.extend(hit.tolist())
    ti = np.asarray(rows_t, dtype=np.int64)
    di = np.asarray(rows_d, dtype=np.int64)
    n = len(ti)
    sub = tal.iloc[ti].reset_index(drop=True)
    is_t = (sub["fact_channel"] == "T").to_numpy()
    followers = sub["followers"].to_numpy(dtype=float)
    k = np.where(is_t, 0.08, 0.1)
    eff = np.exp(wd[di] + camp_expo[di])
    exposure = np.rint(followers * k * eff * np.exp(rng.normal(0.0, 0.35, n))).astype(np.int64) + 2_000
    views = _count(exposure, 0.22 * np.exp(rng.normal(0.0, 0.08, n)), rng)
    viewers = np.rint(views / rng.uniform(1.35, 1.65, n)).astype(np.int64)
    pe = _count(viewers, 0.6, rng)
    clicks = _count(pe, 0.10 * np.exp(rng.normal(0.0, 0.08, n)), rng)
    buyers = _count(clicks, 0.05 * sub["match"].to_numpy() * np.exp(camp_conv[di]), rng)
    orders = buyers + _count(buyers, 0.12, rng)
    aov = float(products["price"].mean()) * np.where(is_t, 0.8, 0.9) * np.exp(rng.normal(0.0, 0.06, n))
    paid = _cents(buyers * aov)
    gmv = _cents(paid * (1.0 + rng.uniform(*SUBSIDY_RANGE, n)))
    refund = _cents(gmv * rng.uniform(*REFUND_RATE_RANGE, n))
    commission = _cents(paid * sub["commission_rate"].to_numpy())
    start_min = np.where(is_t, rng.uniform(19 * 60, 20.5 * 60, n), rng.uniform(20 * 60, 21.5 * 60, n))
    start_min = np.floor(start_min) + rng.integers(0, 60, n) / 60.0
    dur = np.where(is_t, rng.integers(180, 361, n), rng.integers(90, 241, n)).astype(np.int64)
    day = dates.values[di]
    start = _at(day, start_min)
    watch_min = np.floor(np.where(is_t, rng.uniform(2.0, 4.0, n), rng.uniform(1.2, 3.0, n)) * 100 + 0.5) / 100
    avg_online = np.rint(viewers * watch_min / dur).astype(np.int64)
    names = {True: ("{n}品牌专场｜{b}女装", "{n}×{b}宠粉夜", "{n}超级品牌日·{b}"),
             False: ("{n}的直播间·{b}上新", "{n}穿搭分享直播", "{n}周末福利场")}
    pick = rng.integers(0, 3, n)
    titles = [names[bool(t)][int(j)].format(n=nm, b=BRAND) for t, j, nm in zip(is_t, pick, sub["nickname"])]
    return pd.DataFrame({
        "content_type": "live", "title": titles,
        "account_id": sub["talent_id"].to_numpy(), "account_name": sub["nickname"].to_numpy(),
        "account_type": "affiliate", "fact_channel": sub["fact_channel"].to_numpy(),
        "campaign_id": camp_ids[di], "start_time": start, "end_time": start + pd.to_timedelta(dur * 60, unit="s"),
        "duration_sec": dur * 60,
        "exposure_uv": np.floor(exposure / rng.uniform(1.4, 1.8, n)).astype(np.int64), "exposure_pv": exposure,
        "view_uv": viewers, "view_pv": views,
        "peak_online": np.rint(avg_online * rng.uniform(1.8, 3.5, n)).astype(np.int64),
        "avg_online": avg_online.astype(float), "avg_watch_sec": np.round(watch_min * 60.0, 2),
        "new_followers": _count(viewers, 0.002, rng),
        "product_exposure_uv": pe, "product_click_uv": clicks, "orders": orders, "buyers": buyers,
        "gmv": gmv, "paid_amount": paid, "refund_amount": refund, "commission": commission,
        "ad_spend": np.zeros(n),
    })


def _f_sessions(rng: np.random.Generator, acc: dict[str, Any], daily: pd.DataFrame,
                camp_names: dict[str, str]) -> pd.DataFrame:
    """Split one F account's daily totals over one or two live sessions."""
    n = len(daily)
    in_camp = daily["campaign_id"].notna().to_numpy()
    two = rng.random(n) < np.where(in_camp, 0.65, 0.35)
    n_sess = 1 + two.astype(np.int64)
    di = np.repeat(np.arange(n), n_sess)
    first = np.ones(len(di), dtype=bool)
    first[1:] = di[1:] != di[:-1]
    w = np.where(two, rng.uniform(0.35, 0.6, n), 1.0)[di]
    m = len(di)
    cols = {}
    for c in ("exposure_pv", "view_pv", "view_uv", "product_exposure_uv", "product_click_uv", "buyers", "orders"):
        cols[c] = _split(daily[c].to_numpy()[di], w, first)
    paid_c = _split(np.rint(daily["paid_amount"].to_numpy() * 100)[di].astype(np.int64), w, first)
    gmv_c = _split(np.rint(daily["gmv"].to_numpy() * 100)[di].astype(np.int64), w, first)
    spend_c = _split(np.rint(daily["ad_spend"].to_numpy() * 100)[di].astype(np.int64), w, first)
    gmv = gmv_c / 100.0
    refund = _cents(gmv * rng.uniform(*REFUND_RATE_RANGE, m))
    single = ~two[di]
    start_min = np.where(first & ~single, rng.uniform(9 * 60 + 20, 11 * 60, m), rng.uniform(19 * 60, 20.5 * 60, m))
    start_min = np.floor(start_min) + rng.integers(0, 60, m) / 60.0
    dur = rng.integers(150, 301, m).astype(np.int64)
    start = _at(daily["date"].to_numpy()[di], start_min)
    watch_min = np.floor(rng.uniform(1.0, 2.6, m) * 100 + 0.5) / 100
    viewers = cols["view_uv"]
    avg_online = np.rint(viewers * watch_min / dur).astype(np.int64)
    cid = daily["campaign_id"].to_numpy(dtype=object)[di]
    generic = ("{b}上新日｜当季新品", "{b}宠粉福利专场", "{b}通勤穿搭直播间", "{b}显瘦穿搭专场", "{b}限时秒杀")
    pick = rng.integers(0, len(generic), m)
    titles = [f"{camp_names[c]}狂欢·{BRAND}女装专场" if isinstance(c, str) else generic[int(j)].format(b=BRAND)
              for c, j in zip(cid, pick)]
    return pd.DataFrame({
        "content_type": "live", "title": titles,
        "account_id": acc["account_id"], "account_name": acc["account_name"],
        "account_type": acc["account_type"], "fact_channel": "F", "campaign_id": cid,
        "start_time": start, "end_time": start + pd.to_timedelta(dur * 60, unit="s"), "duration_sec": dur * 60,
        "exposure_uv": np.floor(cols["exposure_pv"] / rng.uniform(1.45, 1.8, m)).astype(np.int64),
        "exposure_pv": cols["exposure_pv"], "view_uv": viewers, "view_pv": cols["view_pv"],
        "peak_online": np.rint(avg_online * rng.uniform(1.8, 3.5, m)).astype(np.int64),
        "avg_online": avg_online.astype(float), "avg_watch_sec": np.round(watch_min * 60.0, 2),
        "new_followers": _count(viewers, 0.004, rng),
        "product_exposure_uv": cols["product_exposure_uv"], "product_click_uv": cols["product_click_uv"],
        "orders": cols["orders"], "buyers": cols["buyers"],
        "gmv": gmv, "paid_amount": paid_c / 100.0, "refund_amount": refund, "commission": np.zeros(m),
        "ad_spend": spend_c / 100.0,
    })


def _tiktok(rng: np.random.Generator, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """A small overseas TikTok shop: ~90 days of LIVE sessions in USD."""
    d = dates[-min(90, len(dates)):]
    keep = d[rng.random(len(d)) < 0.8]
    n = len(keep)
    start = _at(keep.values, np.floor(rng.uniform(19 * 60, 22 * 60, n)))
    dur = rng.integers(3_600, 3 * 3_600 + 1, n).astype(np.int64)
    trend = np.linspace(0.0, 0.4, n)
    views = np.rint(4_000 * np.exp(trend + rng.normal(0.0, 0.4, n))).astype(np.int64)
    viewers = np.rint(views / rng.uniform(1.25, 1.6, n)).astype(np.int64)
    imp = _count(viewers, 0.85, rng)
    clicks = _count(imp, 0.05 * np.exp(rng.normal(0.0, 0.15, n)), rng)
    buyers = _count(clicks, 0.06 * np.exp(rng.normal(0.0, 0.15, n)), rng)
    items = buyers + _count(buyers, 0.25, rng)
    direct = _cents(buyers * 38.0 * np.exp(rng.normal(0.0, 0.1, n)))
    gmv = _cents(direct * rng.uniform(1.05, 1.3, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        # TikTok's LIVE CTR is product clicks ÷ views (not ÷ product impressions)
        ctr_pct = np.where(views > 0, np.floor(clicks / np.maximum(views, 1) * 10000 + 0.5) / 100, 0.0)
        gpm = np.where(views > 0, np.floor(direct / np.maximum(views, 1) * 1000 * 100 + 0.5) / 100, np.nan)
    titles = [("New arrivals | Qimu edit", "Workwear try-on LIVE", "Silk & knit flash deals",
               "Weekend style hour")[int(j)] for j in rng.integers(0, 4, n)]
    return pd.DataFrame({
        "content_id": [f"{_TIKTOK_ACCOUNT['account_id']}_{s:%Y%m%d%H%M%S}" for s in start],
        "content_type": "live", "title": titles,
        "account_id": _TIKTOK_ACCOUNT["account_id"], "account_name": _TIKTOK_ACCOUNT["account_name"],
        "fact_channel": "F", "date": start.normalize(), "start_time": start, "duration_sec": dur,
        "gmv": gmv, "direct_gmv": direct, "items": items, "buyers": buyers,
        "view_pv": views, "view_uv": viewers, "product_exposure_pv": imp, "product_click_pv": clicks,
        "reported_product_ctr": np.round(ctr_pct / 100.0, 6), "reported_gpm": gpm,
        "new_followers": _count(viewers, 0.01, rng),
        "avg_watch_sec": rng.integers(35, 150, n).astype(float),
        "currency": "USD", "source_file": _FILES["tiktok"],
    })
