"""The whole brand from one seed: :func:`simulate`.

One random stream per part (F accounts, their sessions and videos, talents, A videos, T/A
lives, shelf, TikTok, presentation, products), so a planted weakness (:class:`Plant`)
changes no draw. It decides how the files will present values (``万`` text, dashes, tabs
after IDs), rounds the frames to what the files will say, and builds the 千川 ad report
and the truth.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from .arith import _at, _cents, _round_to, _to_date
from .brand import (
    _F_ACCOUNTS,
    _FILES,
    _PRODUCTS,
    DEFAULT_SEED,
    TOP_KOL_FOLLOWERS,
    WEEKDAY_EFFECT,
    Plant,
    SampleBrand,
    _benchmarks,
)
from .campaigns import _campaign_effects, load_campaign_calendar
from .content import _f_sessions, _talent_lives, _tiktok, _videos
from .shelf import _shelf
from .snowball import _account_series
from .talents import _content_form_pref, _talents
from .truth import _totals, _truth

__all__ = ["simulate"]


_COUNT_COLUMNS: tuple[str, ...] = (
    "exposure_uv", "exposure_pv", "view_uv", "view_pv", "product_exposure_uv", "product_exposure_pv",
    "product_click_uv", "product_click_pv", "orders", "buyers", "items", "new_followers", "peak_online",
    "likes", "comments", "shares",
)

_CONTENT_ORDER: tuple[str, ...] = (
    "content_id", "content_type", "title", "account_id", "account_name", "account_type", "fact_channel",
    "campaign_id", "date", "start_time", "end_time", "duration_sec", "exposure_uv", "exposure_pv", "view_uv",
    "view_pv", "peak_online", "avg_online", "avg_watch_sec", "new_followers", "product_exposure_uv",
    "product_exposure_pv", "product_click_uv", "product_click_pv", "orders", "buyers", "items", "gmv",
    "paid_amount", "direct_gmv", "refund_amount", "commission", "ad_spend", "reported_net_gmv",
    "reported_product_ctr", "reported_gpm", "likes", "comments", "shares", "completion_rate",
    "search_after_view_amount", "live_referral_amount", "content_form", "tags", "currency", "source_file",
)


def _finish_content(df: pd.DataFrame) -> pd.DataFrame:
    """Canonical column order and dtypes (counts as nullable Int64, IDs/text as str)."""
    cols = [c for c in _CONTENT_ORDER if c in df.columns]
    df = df[cols].reset_index(drop=True)
    for c in _COUNT_COLUMNS:
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    if "duration_sec" in df.columns:
        df["duration_sec"] = df["duration_sec"].astype("Int64")
    for c in ("campaign_id", "account_type", "title", "content_form", "tags"):
        if c in df.columns:
            df[c] = df[c].astype("str")
    return df


def _wan_round(df: pd.DataFrame, col: str, mask: np.ndarray, step: int) -> None:
    v = df[col].to_numpy(dtype=np.int64)
    df[col] = np.where(mask, _round_to(v, step), v)


def simulate(seed: int = DEFAULT_SEED, days: int = 730, start: str | _dt.date = "2024-12-01", *,
             elasticity: float = 0.4, plant: Plant | None = None) -> SampleBrand:
    """Simulate the whole sample brand.

    Parameters
    ----------
    seed : int, default DEFAULT_SEED
        Random seed; the same seed (and ``days``, ``start``) gives identical frames.
    days : int, default 730
        Number of days simulated, starting at ``start``.
    start : str or date, default "2024-12-01"
        First date.
    elasticity : float, default 0.4
        Snowball elasticity of the F accounts (see :func:`simulate_account`).
    plant : Plant, optional
        A known weakness (see :class:`Plant`); ``truth["plant"]`` records it. None or
        ``Plant()`` gives the unplanted brand, draw for draw.

    Returns
    -------
    SampleBrand
        Canonical frames holding exactly the values :func:`write_sample` writes, and
        ``truth`` (parameters and totals per file and per channel × currency).

    Examples
    --------
    >>> b = simulate(days=30)
    >>> sorted(b.content.fact_channel.unique())[:2]
    ['A', 'F']
    """
    if days < 8:
        raise ValueError("days must be at least 8")
    ss = np.random.SeedSequence(seed)
    s_f, s_sess, s_fvid, s_tal, s_avid, s_live, s_shelf, s_tt, s_render, s_prod = ss.spawn(10)
    dates = pd.date_range(_to_date(start), periods=days, freq="D")
    cal = load_campaign_calendar()
    used = cal[(cal["end"] >= dates[0]) & (cal["preheat_start"] <= dates[-1])].reset_index(drop=True)
    expo, conv, camp_ids, tiers = _campaign_effects(dates, used)
    wd = np.asarray(WEEKDAY_EFFECT)[dates.day_of_week.values]
    camp_names = dict(zip(used["campaign_id"], used["name"]))
    ad_boost = 1.0 + np.select([tiers == "S", tiers == "A", tiers == "B"], [0.8, 0.5, 0.3], 0.0)
    planted = (plant or Plant()).active(days)
    f_cvr = np.where(planted, (plant or Plant()).f_cvr, 1.0)

    # products
    rp = np.random.default_rng(s_prod)
    pids = sorted({3_600_000_000_000_000_000 + int(x) for x in rp.integers(0, 10 ** 17, len(_PRODUCTS))})
    products = pd.DataFrame(list(_PRODUCTS), columns=["title", "category", "price", "shelf_base"])
    products.insert(0, "product_id", [str(p) for p in pids])
    products["currency"] = "CNY"

    # F: the snowball law per account, then sessions and a few videos
    f_rngs = [np.random.default_rng(s) for s in s_f.spawn(len(_F_ACCOUNTS))]
    rs = np.random.default_rng(s_sess)
    rv = np.random.default_rng(s_fvid)
    daily_frames, sessions, fvid_acc, fvid_when, fvid_day = [], [], [], [], []
    laws: dict[str, dict[str, float]] = {}
    for k, acc in enumerate(_F_ACCOUNTS):
        d = _account_series(f_rngs[k], dates, expo, conv, camp_ids, elasticity=elasticity, dilution=0.3,
                            scale=acc["scale"], ad_spend=True, ad_boost=ad_boost * acc["ad_share"],
                            cvr_factor=f_cvr if plant is not None and plant.f_cvr != 1.0 else None)
        law = d.attrs.pop("law")
        d.attrs.clear()
        laws[acc["account_id"]] = {"a": law["a"], "views_ref": law["views_ref"], "cvr_base": law["cvr_base"],
                                   "scale": acc["scale"]}
        d.insert(1, "account_id", acc["account_id"])
        daily_frames.append(d)
        sessions.append(_f_sessions(rs, acc, d, camp_names))
        vd = np.flatnonzero(rv.random(days) < acc["video_rate"])
        fvid_day.append(vd)
        fvid_when.append(_at(dates.values[vd], np.floor(rv.uniform(12 * 60, 22 * 60, len(vd)))
                             + rv.integers(0, 60, len(vd)) / 60.0))
        fvid_acc.extend([k] * len(vd))
    f_daily = pd.concat(daily_frames, ignore_index=True)
    f_live = pd.concat(sessions, ignore_index=True).sort_values(["start_time", "account_id"], kind="stable")

    facc = pd.DataFrame([{**a, "fact_channel": "F", "quality": 0.3, "match": 1.0, "commission_rate": 0.0}
                         for a in _F_ACCOUNTS]).iloc[fvid_acc].reset_index(drop=True)
    fday = np.concatenate(fvid_day)
    f_videos = _videos(rv, facc, pd.DatetimeIndex(np.concatenate([w.values for w in fvid_when])), fday, wd, expo,
                       conv, camp_ids, products, np.tile([0.4, 0.15, 0.35, 0.10], (len(facc), 1)), own=True)

    # talents, A videos, T/A lives
    rt = np.random.default_rng(s_tal)
    tal = _talents(rt)
    pref = _content_form_pref(rt, len(tal))
    ra = np.random.default_rng(s_avid)
    rate = np.clip(tal["post_rate"].to_numpy(), 0.0, 0.95)
    hit_d, hit_t = np.nonzero(ra.random((days, len(tal))) < rate[None, :])
    aacc = tal.iloc[hit_t].rename(columns={"talent_id": "account_id", "nickname": "account_name"})
    aacc = aacc.assign(account_type="affiliate").reset_index(drop=True)
    planted_talent = None
    if plant is not None and (plant.talent_cvr != 1.0 or plant.talent_exposure != 1.0):
        regular = ((tal["fact_channel"] == "A") & (tal["post_rate"] >= 0.1)).to_numpy()
        pick = int(np.argmin(np.where(regular, tal["followers"].to_numpy(dtype=float), np.inf)))
        planted_talent = str(tal["talent_id"].iloc[pick])
        own = aacc["account_id"].to_numpy() == planted_talent
        hit = own & planted[hit_d]
        aacc["exposure_scale"] = np.where(hit, plant.talent_exposure, 1.0)  # the weakness: lifted by fix
        trait = own & Plant(start=plant.start).active(days)[hit_d]  # its high conversion is a trait: kept
        aacc.loc[trait, "match"] = aacc.loc[trait, "match"] * plant.talent_cvr
    a_when = _at(dates.values[hit_d], np.floor(ra.uniform(7 * 60, 23.5 * 60, len(hit_d)))
                 + ra.integers(0, 60, len(hit_d)) / 60.0)
    a_videos = _videos(ra, aacc, a_when, hit_d, wd, expo, conv, camp_ids, products, pref[hit_t], own=False)
    videos = pd.concat([f_videos, a_videos], ignore_index=True).sort_values(
        ["start_time", "account_id"], kind="stable").reset_index(drop=True)
    lives = _talent_lives(np.random.default_rng(s_live), tal, dates, wd, expo, conv, camp_ids, products)
    lives = lives.sort_values(["start_time", "account_id"], kind="stable").reset_index(drop=True)

    # shelf, TikTok, benchmarks
    shelf = _shelf(np.random.default_rng(s_shelf), products, dates, wd, expo, conv, camp_ids)
    shelf["currency"] = "CNY"
    shelf["source_file"] = _FILES["shelf"]
    tiktok = _tiktok(np.random.default_rng(s_tt), dates)
    bench = _benchmarks()

    # presentation choices and the rounding they imply (the truth is what the file says)
    rr = np.random.default_rng(s_render)
    f_live = f_live.reset_index(drop=True)
    for frame, p in ((f_live, 0.4), (lives, 0.5)):
        for col in ("exposure_uv", "exposure_pv"):
            m = (frame[col].to_numpy() >= 10_000) & (rr.random(len(frame)) < p)
            _wan_round(frame, col, m, 100)
            frame[col + "_wan"] = m
    n_v = len(videos)
    video_tab = rr.random(n_v) < 0.2
    dash_sav = np.where(rr.random(n_v) < 0.5, "-", "--")
    dash_lra = np.where(rr.random(n_v) < 0.5, "-", "--")
    if n_v >= 2:
        videos.loc[0, "title"] = "通勤穿搭第一弹\n" + videos.loc[0, "title"]
        videos.loc[1, "title"] = "显瘦,百搭," + videos.loc[1, "title"]
    # video IDs: 19 digits starting with 7, increasing with publish time
    secs = (videos["start_time"].to_numpy().astype("datetime64[s]").astype(np.int64))
    low = rr.integers(0, 4_194_304, n_v)
    vid = [7_200_000_000_000_000_000 + int(s) * 4_194_304 + int(x) for s, x in zip(secs, low)]
    for i in range(1, n_v):
        if vid[i] <= vid[i - 1]:
            vid[i] = vid[i - 1] + 1
    videos.insert(0, "content_id", [str(v) for v in vid])
    fol_mask = (tal["followers"].to_numpy() >= 10_000) & (rr.random(len(tal)) < 0.4)
    _wan_round(tal, "followers", fol_mask, 1_000)
    n_tt = len(tiktok)
    tt_render = {
        "gmv_text": rr.random(n_tt) < 0.25, "direct_dollar": rr.random(n_tt) < 0.2,
        "views_text": rr.random(n_tt) < 0.15, "serial": rr.random(n_tt) < 0.5,
    }

    # F, T/A lives: synthetic content IDs (the Compass list has no ID column), net GMV
    for frame, src in ((f_live, _FILES["f_live"]), (lives, _FILES["talent_live"])):
        frame.insert(0, "content_id", [f"{a}_{s:%Y%m%d%H%M%S}" for a, s in zip(frame["account_id"],
                                                                                  frame["start_time"])])
        gc = np.rint(frame["gmv"].to_numpy() * 100).astype(np.int64)
        rc = np.rint(frame["refund_amount"].to_numpy() * 100).astype(np.int64)
        frame["reported_net_gmv"] = (gc - rc) / 100.0
        frame["source_file"] = src
    videos["source_file"] = _FILES["video"]
    render: dict[str, Any] = {
        "f_live_wan": f_live[["exposure_uv_wan", "exposure_pv_wan"]].to_numpy(),
        "talent_live_wan": lives[["exposure_uv_wan", "exposure_pv_wan"]].to_numpy(),
        "video_tab": video_tab, "dash_sav": dash_sav, "dash_lra": dash_lra,
        "followers_wan": fol_mask, "tiktok": tt_render,
        "banner": f"{dates[-min(90, days)]:%Y-%m-%d} ~ {dates[-1]:%Y-%m-%d}",
        "fixed_time": _dt.datetime(dates[0].year, dates[0].month, dates[0].day),
    }
    f_live = f_live.drop(columns=["exposure_uv_wan", "exposure_pv_wan"])
    lives = lives.drop(columns=["exposure_uv_wan", "exposure_pv_wan"])
    content = pd.concat([f_live, lives, videos], ignore_index=True)
    content["date"] = content["start_time"].dt.normalize()
    content["currency"] = "CNY"
    content = _finish_content(content)
    tiktok = _finish_content(tiktok)

    # 千川: one plan per F account and month, one row per date × account with spend
    ads_parts = []
    months = dates.to_period("M")
    plan_base = {m: 1_780_000_000_000_000 + int(rr.integers(0, 10 ** 14)) for m in sorted(set(months))}
    for k, acc in enumerate(_F_ACCOUNTS):
        d = daily_frames[k]
        has = d["ad_spend"].to_numpy() > 0
        share = d["paid_exposure_pv"].to_numpy() / np.maximum(d["exposure_pv"].to_numpy(), 1)
        spend = d["ad_spend"].to_numpy()
        ad_gmv = _cents(d["gmv"].to_numpy() * share)
        roi = np.floor(ad_gmv / np.where(spend > 0, spend, 1.0) * 100 + 0.5) / 100
        part = pd.DataFrame({
            "date": d["date"], "plan_id": [str(plan_base[m] + k * 7) for m in months],
            "plan_name": [f"{acc['account_name']}-直播间成交-{m.strftime('%Y%m')}" for m in months],
            "account_id": acc["account_id"], "account_name": acc["account_name"],
            "ad_spend": spend, "impressions": d["paid_exposure_pv"].to_numpy(),
            "clicks": np.rint(d["paid_exposure_pv"].to_numpy() * d["view_pv"].to_numpy()
                              / np.maximum(d["exposure_pv"].to_numpy(), 1)).astype(np.int64),
            "conversions": np.rint(d["orders"].to_numpy() * share).astype(np.int64),
            "ad_gmv": ad_gmv, "reported_roi": roi,
        })[has]
        ads_parts.append(part)
    ads = pd.concat(ads_parts, ignore_index=True).sort_values(["date", "account_id"], kind="stable")
    ads = ads.reset_index(drop=True)
    ads["currency"] = "CNY"
    ads["source_file"] = _FILES["ads"]

    talents = pd.DataFrame({
        "talent_id": tal["talent_id"].astype("str"), "nickname": tal["nickname"].astype("str"),
        "followers": tal["followers"].astype(np.int64), "tier": tal["tier"].astype("str"),
        "is_top_kol": tal["followers"].to_numpy() >= TOP_KOL_FOLLOWERS,
        "commission_rate": tal["commission_rate"].astype(float), "fact_channel": tal["fact_channel"],
        "source_file": _FILES["talents"],
    })
    campaigns = used.copy()
    truth = _truth(seed, days, dates, elasticity, laws, products, used, tal, talents)
    if plant is not None:
        truth["plant"] = {"f_cvr": plant.f_cvr, "talent_cvr": plant.talent_cvr,
                          "talent_exposure": plant.talent_exposure, "talent_id": planted_talent,
                          "start": f"{dates[int(np.argmax(planted))]:%Y-%m-%d}" if planted.any() else None,
                          "fix": None if plant.fix is None or plant.fix >= days else f"{dates[plant.fix]:%Y-%m-%d}"}
    brand = SampleBrand(content=content, shelf=shelf, talents=talents, tiktok=tiktok, benchmarks=bench,
                        ads=ads, products=products.drop(columns=["shelf_base"]), campaigns=campaigns,
                        f_daily=f_daily, truth=truth, render=render)
    truth["totals"] = _totals(brand)
    return brand
