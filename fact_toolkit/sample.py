"""The sample-brand simulator behind the bundled sample data (``data/sample/``).

A fictional women's-wear brand (栖木 / Qimu, category 女装) sells on Douyin through the
whole FACT(+S) matrix:

* **F** — three own accounts (two official, one channel-authorised) live-stream every
  day.  Each account's daily traffic follows the recommender's *snowball* law
  (:func:`simulate_account`); the day's totals are split over one or two sessions.
  The accounts also post a few short videos and buy ads (巨量千川).
* **A** — ≥ 150 affiliate talents with long-tailed followers and activity, mostly short
  videos, a few lives; paid by commission (15–35 %).
* **T** — top KOLs (≥ 6,000,000 followers) with occasional special live sessions of large
  GMV and higher commission.
* **S** — product-card / search / mall sales per product per day.
* **C** — the campaign calendar (``fact_toolkit/data/campaigns.csv``) lifts traffic and
  conversion in its windows and sets ``campaign_id`` on the rows inside a window.

Plus a small overseas TikTok shop (one account, USD, ~90 days of LIVE sessions).

:func:`simulate` returns the data as canonical tables (:class:`SampleBrand`);
:func:`write_sample` renders them the way a shop would download them — Chinese headers,
``万`` text, a ``合计`` row, BOM + CRLF, GB18030, a banner row, Excel serial dates,
IDs with trailing tabs, ``-``/``--`` missing cells — together with ``ground_truth.json``.
The frames hold exactly the values the files say (after rounding to cents and to the
``万`` text), so totals in the truth file can be compared with a loader to the cent.
The same seed regenerates byte-identical files.

The snowball law (one self-broadcast account, one value per day)::

    log(organic_exposure_t) = a + elasticity * log(GPM7_{t-1} / GPM_ref)
                              + weekday_t + campaign_t + u_t,
    u_t = rho_u * u_{t-1} + eps_t,   eps_t ~ N(0, sigma_u^2)

where ``GPM7_{t-1} = sum(paid_amount[t-7:t]) / sum(view_pv[t-7:t]) * 1000`` (a ratio of
sums over the seven days before ``t``; fewer days at the start of the series, and
``GPM_ref`` itself on day 0).  Conversion carries its own persistent AR(1) component and
same-day dilution: ``click→order rate ∝ exp(c_t) * (views_t / views_ref) ** -dilution``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Plant", "SampleBrand", "simulate", "simulate_account", "write_sample", "DEFAULT_SEED"]

#: seed of the bundled sample (``data/sample``)
DEFAULT_SEED: int = 20241201

# --- parameters of the snowball law and the funnel ------------------------------------

GPM_REF: float = 600.0  #: CNY per 1,000 views; the GPM the snowball is measured against
RHO_U: float = 0.5  #: AR(1) coefficient of the organic-traffic disturbance u_t
SIGMA_U: float = 0.15  #: innovation s.d. of u_t
RHO_C: float = 0.9  #: AR(1) coefficient of the conversion component c_t
SIGMA_C: float = 0.08  #: innovation s.d. of c_t
BASE_ORGANIC: float = 160_000.0  #: organic exposures per day of a scale-1 account at GPM_ref
EXPOSURE_VIEW_RATE: float = 0.30  #: live-room exposure -> view rate (events)
VIEWS_PER_VIEWER: float = 1.30
PRODUCT_EXPOSURE_RATE: float = 0.55  #: viewers -> product-exposed people
PRODUCT_CTR: float = 0.13  #: product-exposed -> clickers
ORDERS_PER_BUYER: float = 1.10
F_AOV: float = 170.0  #: CNY paid per buyer in F live rooms
AD_BASE_SPEND: float = 2_500.0  #: CNY per day of a scale-1 account
AD_EXPOSURE_K: float = 200.0  #: paid exposures = K * spend ** AD_EXPONENT
AD_EXPONENT: float = 0.7
#: weekday effect on log organic exposure, Monday..Sunday
WEEKDAY_EFFECT: tuple[float, ...] = (-0.06, -0.08, -0.05, -0.02, 0.03, 0.10, 0.08)
#: campaign effect on log exposure inside a window, by tier; preheat uses PREHEAT_EFFECT
CAMPAIGN_EFFECT: dict[str, float] = {"S": 0.35, "A": 0.25, "B": 0.15}
PREHEAT_EFFECT: float = 0.10
#: campaign effect on log click->order rate (preheat: shoppers wait for the real sale)
CAMPAIGN_CONV_EFFECT: dict[str, float] = {"S": 0.15, "A": 0.10, "B": 0.06}
PREHEAT_CONV_EFFECT: float = -0.05
REFUND_RATE_RANGE: tuple[float, float] = (0.05, 0.12)
SUBSIDY_RANGE: tuple[float, float] = (0.02, 0.06)  #: gmv = paid_amount * (1 + subsidy)
TOP_KOL_FOLLOWERS: int = 6_000_000

BRAND = "栖木"
CATEGORY = "女装"

#: content forms: exposure multiplier, view rate, CTR and CVR multipliers (-> different GPM)
CONTENT_FORMS: dict[str, dict[str, float]] = {
    "知识分享": {"exposure": 0.9, "view_rate": 0.40, "ctr": 1.10, "cvr": 1.25},
    "街拍": {"exposure": 1.3, "view_rate": 0.50, "ctr": 0.85, "cvr": 0.85},
    "好物分享": {"exposure": 1.0, "view_rate": 0.42, "ctr": 1.25, "cvr": 1.00},
    "剧情植入": {"exposure": 1.5, "view_rate": 0.55, "ctr": 0.70, "cvr": 0.80},
}
_FORM_TAGS: dict[str, tuple[str, ...]] = {
    "知识分享": ("穿搭", "干货", "面料", "显瘦", "搭配技巧"),
    "街拍": ("街拍", "穿搭", "通勤", "氛围感", "城市"),
    "好物分享": ("好物", "平价", "上新", "必买", "开箱"),
    "剧情植入": ("剧情", "日常", "职场", "情侣", "搞笑"),
}
_FORM_DURATION: dict[str, tuple[int, int]] = {
    "知识分享": (60, 180), "街拍": (12, 40), "好物分享": (30, 95), "剧情植入": (60, 210),
}

_PRODUCTS: tuple[tuple[str, str, float, float], ...] = (
    # title, category, price (CNY), shelf base daily exposure (people)
    ("栖木法式碎花连衣裙", "女装", 259.0, 5200.0),
    ("栖木羊毛针织开衫", "女装", 329.0, 3600.0),
    ("栖木高腰垂感阔腿裤", "女装", 169.0, 6100.0),
    ("栖木双面羊绒大衣", "女装", 899.0, 2100.0),
    ("栖木通勤真丝衬衫", "女装", 299.0, 3100.0),
    ("栖木百褶半身裙", "女装", 189.0, 3900.0),
    ("栖木桑蚕丝印花丝巾", "服饰配件", 129.0, 1800.0),
    ("栖木纯棉家居服套装", "内衣家居", 149.0, 2500.0),
)

_F_ACCOUNTS: tuple[dict[str, Any], ...] = (
    {"account_id": "qimu_official", "account_name": "栖木官方旗舰店", "account_type": "official",
     "label": "官方账号", "followers": 1_260_000, "scale": 1.0, "ad_share": 1.0, "video_rate": 0.20},
    {"account_id": "qimu_nvzhuang", "account_name": "栖木女装直播间", "account_type": "official",
     "label": "官方账号", "followers": 428_000, "scale": 0.55, "ad_share": 0.6, "video_rate": 0.12},
    {"account_id": "qimu_hz_channel", "account_name": "栖木·杭州渠道号", "account_type": "authorised",
     "label": "渠道账号", "followers": 86_500, "scale": 0.30, "ad_share": 0.35, "video_rate": 0.08},
)

_TIKTOK_ACCOUNT = {"account_id": "qimu.us", "account_name": "Qimu Official US", "followers": 48_200}

_SURNAMES = "林苏陈许周吴郑王沈顾叶唐白江宋温姜夏秦何"
_NICK_A = ("小", "阿", "大", "甜", "酷", "软", "野", "懒", "慢", "胖", "瘦", "乖", "糖", "橘", "鹿")
_NICK_B = ("穿搭日记", "的衣橱", "爱分享", "好物铺", "搭配师", "Vlog", "小姐姐", "在杭州", "的日常",
           "买手店", "种草机", "穿搭研究所", "不将就", "去上班", "的试衣间")

_ACCOUNT_LABEL = {"official": "官方账号", "authorised": "渠道账号", "affiliate": "达人"}
_TIER_LABEL = {"head": "头部", "waist": "腰部", "tail": "尾部"}

_FILES = {
    "f_live": "罗盘_直播明细_自播.xlsx",
    "talent_live": "达人直播_头部达人.csv",
    "video": "短视频明细.csv",
    "shelf": "商品载体_商品卡.xlsx",
    "ads": "千川_投放日报_gbk.csv",
    "tiktok": "tiktok_live_list.xlsx",
    "talents": "达人列表.csv",
    "benchmarks": "benchmarks.csv",
    "truth": "ground_truth.json",
}

_LIVE_HEADERS: tuple[str, ...] = (
    "主播昵称", "主播抖音号", "账号类型", "直播标题", "直播开始时间", "直播结束时间", "直播时长(分钟)",
    "直播间曝光人数", "直播间曝光次数", "直播间观看人数", "直播间观看次数", "最高在线人数", "平均在线人数",
    "人均观看时长(分钟)", "新增粉丝数", "直播间商品曝光人数", "直播间商品点击人数", "直播间成交订单数",
    "直播间成交人数", "直播间成交金额", "直播间用户支付金额", "直播间退款金额", "预估佣金支出", "投放消耗",
    "净成交金额",
)
_VIDEO_HEADERS: tuple[str, ...] = (
    "视频ID", "视频标题", "达人昵称", "达人抖音号", "账号类型", "发布时间", "视频时长", "视频曝光次数",
    "视频观看次数", "点赞数", "评论数", "分享数", "完播率", "平均观看时长", "商品曝光人数", "商品点击人数",
    "成交订单数", "成交人数", "用户支付金额(元)", "成交金额(元)", "退款金额", "预估佣金支出",
    "看后搜用户支付金额(元)", "引流直播间用户支付金额(元)", "内容形式", "视频标签",
)
_SHELF_HEADERS: tuple[str, ...] = (
    "日期", "商品ID", "商品名称", "商品类目", "载体类型", "账号类型", "商品曝光人数", "商品曝光次数",
    "商品点击人数", "成交订单数", "成交人数", "成交金额", "用户支付金额", "退款金额",
)
_ADS_HEADERS: tuple[str, ...] = (
    "日期", "计划ID", "计划名称", "抖音号", "抖音号名称", "消耗", "展示次数", "点击次数", "转化数", "成交金额",
    "支付ROI",
)
_TIKTOK_HEADERS: tuple[str, ...] = (
    "Creator name", "Creator ID", "LIVE name", "Start time", "Duration", "GMV", "Direct GMV", "Items sold",
    "Customers", "Views", "Viewers", "Product impressions", "Product clicks", "CTR", "GMV/1K views",
    "New followers", "Avg. viewing duration",
)
_TALENT_HEADERS: tuple[str, ...] = ("达人昵称", "达人抖音号", "粉丝数", "达人层级", "佣金率")
_BENCH_HEADERS: tuple[str, ...] = ("category", "metric", "p25", "p50", "p75")

_COUNT_COLUMNS: tuple[str, ...] = (
    "exposure_uv", "exposure_pv", "view_uv", "view_pv", "product_exposure_uv", "product_exposure_pv",
    "product_click_uv", "product_click_pv", "orders", "buyers", "items", "new_followers", "peak_online",
    "likes", "comments", "shares",
)
_TOTAL_FIELDS: tuple[str, ...] = ("gmv", "paid_amount", "refund_amount", "view_pv", "ad_spend", "commission")
_MONEY_FIELDS: frozenset[str] = frozenset(
    {"gmv", "paid_amount", "refund_amount", "ad_spend", "commission", "direct_gmv", "ad_gmv",
     "search_after_view_amount", "live_referral_amount"})


# --- containers -----------------------------------------------------------------------


@dataclass(eq=False)
class SampleBrand:
    """The simulated brand as canonical tables (values exactly as the files will say).

    Attributes
    ----------
    content : pandas.DataFrame
        Douyin live sessions and videos (F, A, T), canonical ``content`` columns plus
        ``fact_channel``, ``campaign_id``, ``currency`` and ``source_file``.
    shelf : pandas.DataFrame
        Product-card sales per date × product (S), canonical ``products`` columns.
    talents : pandas.DataFrame
        All A and T talents: ``talent_id``, ``nickname``, ``followers``, ``tier``,
        ``is_top_kol``, ``commission_rate``.
    tiktok : pandas.DataFrame
        TikTok LIVE sessions (USD), canonical ``content`` columns, channel ``F`` (the shop's own LIVEs).
    benchmarks : pandas.DataFrame
        Category × metric × p25/p50/p75.
    ads : pandas.DataFrame
        千川 ad report per date × F account (canonical ``ads`` columns).
    products : pandas.DataFrame
        Product catalogue: ``product_id``, ``title``, ``category``, ``price``.
    campaigns : pandas.DataFrame
        The campaign calendar rows that overlap the simulated period.
    f_daily : pandas.DataFrame
        Each F account's daily series from the snowball law (before the day is split
        into sessions and before ``万`` rounding), with ``account_id``.
    truth : dict
        Parameters and totals; what ``ground_truth.json`` holds.
    """

    content: pd.DataFrame
    shelf: pd.DataFrame
    talents: pd.DataFrame
    tiktok: pd.DataFrame
    benchmarks: pd.DataFrame
    ads: pd.DataFrame
    products: pd.DataFrame
    campaigns: pd.DataFrame
    f_daily: pd.DataFrame
    truth: dict[str, Any]
    #: presentation choices for :func:`write_sample` (which cells are 万 text, etc.)
    render: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Plant:
    """A known weakness planted in the simulated brand, to check that a plan finds and sizes it.

    Parameters
    ----------
    f_cvr : float, default 1.0
        Multiplier on the click→order rate of the F live rooms (0.7: 30 % lower).
    talent_cvr, talent_exposure : float, default 1.0
        One A talent — the one with the fewest followers among those posting at least
        every ten days — converts ``talent_cvr`` times better and gets ``talent_exposure``
        times the exposure on its videos (e.g. 3.0 and 0.1: a high-GPM talent starved of
        exposure). ``truth["plant"]["talent_id"]`` names it. ``fix`` lifts the starved
        exposure; the better conversion is the talent's own and stays.
    start : int, default 0
        First day (index into the simulated days) the weakness applies; negative counts
        from the end (``-84``: the last 12 weeks).
    fix : int or None, default None
        Day index from which the weakness is lifted; None keeps it to the end. Two runs
        with the same seed, one with ``fix`` and one without, give the simulator's own
        answer to "what is fixing it worth" (the random draws do not depend on the plant).
    """

    f_cvr: float = 1.0
    talent_cvr: float = 1.0
    talent_exposure: float = 1.0
    start: int = 0
    fix: int | None = None

    def active(self, days: int) -> np.ndarray:
        """True on the days the weakness applies."""
        idx = np.arange(days)
        first = self.start if self.start >= 0 else days + self.start
        last = days if self.fix is None else self.fix
        return (idx >= first) & (idx < last)


# --- small helpers --------------------------------------------------------------------


def _cents(x: np.ndarray | pd.Series) -> np.ndarray:
    """Money rounded to cents, as float (half away from zero on the cent grid)."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) * 100.0 + 0.5) / 100.0


def _count(n: np.ndarray, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Binomial draws with array n and p (p clipped to [0, 1])."""
    return rng.binomial(np.asarray(n, dtype=np.int64), np.clip(np.asarray(p, dtype=float), 0.0, 1.0))


def _money_sum(values: pd.Series | np.ndarray) -> float | None:
    """Exact sum of cent amounts (missing skipped); ``None`` when nothing is present."""
    a = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    a = a[~np.isnan(a)]
    if a.size == 0:
        return None
    cents = int(np.rint(a * 100.0).astype(np.int64).sum())
    return round(cents / 100.0, 2)


def _int_sum(values: pd.Series | np.ndarray) -> int | None:
    a = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    a = a[~np.isnan(a)]
    return None if a.size == 0 else int(np.rint(a).astype(np.int64).sum())


def _to_date(x: str | _dt.date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(x).normalize()


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


# --- one self-broadcast account: the snowball law ------------------------------------------


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


# --- the whole brand ------------------------------------------------------------------------


def _fmt_wan(v: int, decimals: int) -> str:
    """``123400 -> '12.34万'`` for a value already rounded to the text's precision."""
    unit = 10 ** (4 - decimals)
    q = int(v) // unit
    whole, frac = divmod(q, 10 ** decimals)
    return f"{whole}.{frac:0{decimals}d}万"


def _round_to(v: np.ndarray, step: int) -> np.ndarray:
    """Round non-negative integers to the nearest multiple of ``step`` (half up)."""
    v = np.asarray(v, dtype=np.int64)
    return (v + step // 2) // step * step


def _split(total: np.ndarray, share: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Split integer day totals between sessions: ``floor(total*share)`` and the rest."""
    total = np.asarray(total, dtype=np.int64)
    part = np.floor(total * share).astype(np.int64)
    return np.where(first, part, total - part)


def _at(day: np.ndarray, minutes: np.ndarray) -> pd.DatetimeIndex:
    """Timestamps: day (datetime64[D]-like) plus whole seconds ``minutes * 60``."""
    secs = np.rint(np.asarray(minutes, dtype=float) * 60.0).astype(np.int64)
    return pd.DatetimeIndex(pd.to_datetime(day).values + secs.astype("timedelta64[s]"))


def _talent_names(rng: np.random.Generator, k: int) -> list[str]:
    combos = [(a, b, c) for a in _NICK_A for b in _SURNAMES for c in _NICK_B]
    idx = rng.choice(len(combos), size=k, replace=False)
    return [f"{combos[i][0]}{combos[i][1]}{combos[i][2]}" for i in idx]


def _talents(rng: np.random.Generator, n_a: int = 180) -> pd.DataFrame:
    """A talents (long tail) and T top KOLs with their latent traits."""
    names = _talent_names(rng, n_a)
    followers = np.minimum(2_900_000, np.rint(6_000 * (1.0 + rng.pareto(1.0, n_a)))).astype(np.int64)
    numeric = rng.random(n_a) < 0.55
    ids = []
    for i in range(n_a):
        if numeric[i]:
            ids.append(str(int(rng.integers(1_000_000_000, 99_999_999_999))))
        else:
            letters = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=int(rng.integers(4, 8))))
            ids.append(f"{letters}{int(rng.integers(10, 9999))}")
    rate = np.floor(rng.uniform(0.15, 0.35, n_a) * 10000 + 0.5) / 10000
    lam = np.minimum(1.2, np.exp(rng.normal(math.log(0.012), 1.3, n_a)))
    daily = rng.choice(n_a, size=3, replace=False)
    lam[daily] = rng.uniform(0.8, 1.1, 3)
    a = pd.DataFrame({
        "talent_id": ids, "nickname": names, "followers": followers,
        "commission_rate": rate, "fact_channel": "A",
        "post_rate": lam, "quality": np.exp(rng.normal(0.0, 0.5, n_a)),
        "match": rng.uniform(0.6, 1.2, n_a),
    })
    # a dozen bigger talents also go live about once a month
    big = np.argsort(-followers, kind="stable")[:40]
    live = rng.choice(big, size=12, replace=False)
    a["live_rate"] = 0.0
    a.loc[live, "live_rate"] = 1.0 / 30.0

    t_names = ("时尚博主Coco", "穿搭一哥阿杰", "大码女王小胖", "明星衣橱安安", "超级买手Vicky", "衣二三姐姐")
    t_ids = ("coco_fashion", "ajie_chuanda", "xiaopang_queen", "anan_closet", "vicky_buyer", "yiersan_jj")
    n_t = len(t_names)
    t = pd.DataFrame({
        "talent_id": list(t_ids), "nickname": list(t_names),
        "followers": np.rint(np.exp(rng.uniform(math.log(6_600_000), math.log(38_000_000), n_t))).astype(np.int64),
        "commission_rate": np.floor(rng.uniform(0.38, 0.50, n_t) * 10000 + 0.5) / 10000,
        "fact_channel": "T", "post_rate": 0.0, "quality": 1.0, "match": rng.uniform(0.5, 1.1, n_t),
        "live_rate": rng.uniform(0.8, 2.0, n_t) / 30.0,
    })
    out = pd.concat([t, a], ignore_index=True)
    out["tier"] = np.where(out["followers"] >= 1_000_000, "head",
                           np.where(out["followers"] >= 100_000, "waist", "tail"))
    return out


def _content_form_pref(rng: np.random.Generator, k: int) -> np.ndarray:
    return rng.dirichlet(np.full(len(CONTENT_FORMS), 0.8), size=k)


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


def _benchmarks() -> pd.DataFrame:
    rows = [
        ("gpm", 420.0, 680.0, 1050.0),
        ("exposure_view_rate", 0.18, 0.26, 0.35),
        ("product_ctr", 0.08, 0.12, 0.17),
        ("click_order_rate", 0.05, 0.08, 0.12),
        ("aov", 120.0, 175.0, 260.0),
        ("avg_watch_sec", 45.0, 72.0, 110.0),
        ("refund_rate", 0.06, 0.09, 0.14),
    ]
    df = pd.DataFrame(rows, columns=["metric", "p25", "p50", "p75"])
    df.insert(0, "category", CATEGORY)
    df["source_file"] = _FILES["benchmarks"]
    return df


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


# --- writing the files as a shop would download them -------------------------------------------


def _m(x: float) -> str:
    """Money text with two decimals."""
    return f"{x:.2f}"


def _secs_cn(s: int) -> str:
    """``90 -> '1分30秒'``, ``45 -> '45秒'``."""
    s = int(s)
    return f"{s}秒" if s < 60 else f"{s // 60}分{s % 60}秒"


def _secs_en(s: int) -> str:
    """``3723 -> '1h2m3s'``, ``88 -> '1m28s'``, ``45 -> '45s'``."""
    s = int(s)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return f"{h}h{m}m{sec}s"
    return f"{m}m{sec}s" if m else f"{sec}s"


def _thousands(x: float, decimals: int) -> str:
    return f"{x:,.{decimals}f}"


def _excel_serial(ts: pd.Timestamp) -> float:
    delta = ts - pd.Timestamp("1899-12-30")
    return delta / pd.Timedelta(days=1)


def _csv_bytes(header: tuple[str, ...], rows: list[list[Any]], *, encoding: str, newline: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)")


def _xlsx_bytes(rows: list[list[Any]], fixed: _dt.datetime, sheet: str = "Sheet1") -> bytes:
    """An xlsx with fixed document times and zip-entry times (byte-identical reruns)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "fact_toolkit"
    ws = wb.create_sheet(sheet)
    for r in rows:
        ws.append(r)
    raw = io.BytesIO()
    wb.save(raw)
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(lambda mm: mm.group(1) + stamp + mm.group(3), data)
            zi = zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()


def _live_rows(df: pd.DataFrame, wan: np.ndarray, with_total: bool) -> list[list[Any]]:
    """Rows of a Compass live-session list (header first)."""
    rows: list[list[Any]] = [list(_LIVE_HEADERS)]
    label = {**_ACCOUNT_LABEL}
    for i, r in enumerate(df.itertuples(index=False)):
        def wn(v: int, j: int) -> Any:
            return _fmt_wan(int(v), 2) if wan[i, j] else int(v)
        dur_min = int(r.duration_sec) // 60
        rows.append([
            r.account_name, r.account_id, label[r.account_type], r.title,
            f"{r.start_time:%Y/%m/%d %H:%M:%S}", f"{r.end_time:%Y/%m/%d %H:%M:%S}", dur_min,
            wn(r.exposure_uv, 0), wn(r.exposure_pv, 1), int(r.view_uv), int(r.view_pv), int(r.peak_online),
            int(r.avg_online), round(float(r.avg_watch_sec) / 60.0, 2), int(r.new_followers),
            int(r.product_exposure_uv), int(r.product_click_uv), int(r.orders), int(r.buyers),
            float(r.gmv), float(r.paid_amount), float(r.refund_amount), float(r.commission), float(r.ad_spend),
            float(r.reported_net_gmv),
        ])
    if with_total:
        total: list[Any] = ["合计", "", "", "", "", ""]
        total.append(int(df["duration_sec"].sum()) // 60 if (df["duration_sec"] % 60 == 0).all() else "")
        for c in ("exposure_uv", "exposure_pv", "view_uv", "view_pv"):
            total.append(int(df[c].sum()))
        total += ["", "", "", int(df["new_followers"].sum())]
        for c in ("product_exposure_uv", "product_click_uv", "orders", "buyers"):
            total.append(int(df[c].sum()))
        for c in ("gmv", "paid_amount", "refund_amount", "commission", "ad_spend", "reported_net_gmv"):
            total.append(_money_sum(df[c]) or 0.0)
        rows.append(total)
    return rows


def _render_files(b: SampleBrand) -> dict[str, bytes]:
    """Render every file of the sample (name -> bytes)."""
    r = b.render
    fixed: _dt.datetime = r["fixed_time"]
    c = b.content
    files: dict[str, bytes] = {}

    # 1. Compass live list of the own accounts (xlsx, 万 text, 合计 row)
    f = c[c["source_file"] == _FILES["f_live"]]
    files[_FILES["f_live"]] = _xlsx_bytes(_live_rows(f, r["f_live_wan"], True), fixed, "直播明细")

    # 2. talent live sessions (UTF-8 csv, same headers, 账号类型 达人)
    t = c[c["source_file"] == _FILES["talent_live"]]
    trows = _live_rows(t, r["talent_live_wan"], False)
    trows = [trows[0]] + [[_m(v) if isinstance(v, float) and j >= 19 else v for j, v in enumerate(row)]
                          for row in trows[1:]]
    files[_FILES["talent_live"]] = _csv_bytes(tuple(trows[0]), trows[1:], encoding="utf-8", newline="\n")

    # 3. short videos (UTF-8 with BOM, CRLF, tabs after IDs, '-'/'--' for missing)
    v = c[c["source_file"] == _FILES["video"]]
    vrows = []
    for i, x in enumerate(v.itertuples(index=False)):
        sav = r["dash_sav"][i] if pd.isna(x.search_after_view_amount) else _m(x.search_after_view_amount)
        lra = r["dash_lra"][i] if pd.isna(x.live_referral_amount) else _m(x.live_referral_amount)
        vrows.append([
            x.content_id + ("\t" if r["video_tab"][i] else ""), x.title, x.account_name, x.account_id,
            _ACCOUNT_LABEL[x.account_type], f"{x.start_time:%Y-%m-%d %H:%M:%S}", _secs_cn(x.duration_sec),
            int(x.exposure_pv), int(x.view_pv), int(x.likes), int(x.comments), int(x.shares),
            f"{x.completion_rate * 100:.1f}%", _secs_cn(int(x.avg_watch_sec)), int(x.product_exposure_uv),
            int(x.product_click_uv), int(x.orders), int(x.buyers), _m(x.paid_amount), _m(x.gmv),
            _m(x.refund_amount), _m(x.commission), sav, lra, x.content_form, x.tags,
        ])
    files[_FILES["video"]] = _csv_bytes(_VIDEO_HEADERS, vrows, encoding="utf-8-sig", newline="\r\n")

    # 4. product card (S) per date × product (xlsx)
    s = b.shelf
    srows: list[list[Any]] = [list(_SHELF_HEADERS)]
    for x in s.itertuples(index=False):
        srows.append([f"{x.date:%Y-%m-%d}", x.product_id, x.title, x.category, "商品卡", "官方账号",
                      int(x.product_exposure_uv), int(x.product_exposure_pv), int(x.product_click_uv),
                      int(x.orders), int(x.buyers), float(x.gmv), float(x.paid_amount), float(x.refund_amount)])
    files[_FILES["shelf"]] = _xlsx_bytes(srows, fixed, "商品载体")

    # 5. 千川 daily report (GB18030, CRLF)
    arows = [[f"{x.date:%Y-%m-%d}", x.plan_id, x.plan_name, x.account_id, x.account_name, _m(x.ad_spend),
              int(x.impressions), int(x.clicks), int(x.conversions), _m(x.ad_gmv), f"{x.reported_roi:.2f}"]
             for x in b.ads.itertuples(index=False)]
    files[_FILES["ads"]] = _csv_bytes(_ADS_HEADERS, arows, encoding="gb18030", newline="\r\n")

    # 6. TikTok LIVE list (banner row, blank row, header; numbers as text; serial dates)
    tt = r["tiktok"]
    krows: list[list[Any]] = [[r["banner"]], [], list(_TIKTOK_HEADERS)]
    for i, x in enumerate(b.tiktok.itertuples(index=False)):
        krows.append([
            x.account_name, x.account_id, x.title,
            _excel_serial(x.start_time) if tt["serial"][i] else f"{x.start_time:%Y-%m-%d %H:%M:%S}",
            _secs_en(x.duration_sec),
            _thousands(x.gmv, 2) if tt["gmv_text"][i] else float(x.gmv),
            "$" + _thousands(x.direct_gmv, 2) if tt["direct_dollar"][i] else float(x.direct_gmv),
            int(x.items), int(x.buyers),
            _thousands(x.view_pv, 0) if tt["views_text"][i] else int(x.view_pv),
            int(x.view_uv), int(x.product_exposure_pv), int(x.product_click_pv),
            f"{x.reported_product_ctr * 100:.2f}%", float(x.reported_gpm), int(x.new_followers),
            _secs_en(int(x.avg_watch_sec)),
        ])
    files[_FILES["tiktok"]] = _xlsx_bytes(krows, fixed, "LIVE list")

    # 7. talent list
    lrows = []
    for i, x in enumerate(b.talents.itertuples(index=False)):
        fol = _fmt_wan(int(x.followers), 1) if r["followers_wan"][i] else int(x.followers)
        lrows.append([x.nickname, x.talent_id, fol, _TIER_LABEL[x.tier], f"{x.commission_rate * 100:.2f}%"])
    files[_FILES["talents"]] = _csv_bytes(_TALENT_HEADERS, lrows, encoding="utf-8", newline="\n")

    # 8. benchmarks
    brows = [[x.category, x.metric, f"{x.p25:g}", f"{x.p50:g}", f"{x.p75:g}"]
             for x in b.benchmarks.itertuples(index=False)]
    files[_FILES["benchmarks"]] = _csv_bytes(_BENCH_HEADERS, brows, encoding="utf-8", newline="\n")

    # 9. ground truth
    files[_FILES["truth"]] = (json.dumps(_jsonable(b.truth), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def write_sample(out: str | Path, seed: int = DEFAULT_SEED, days: int = 730,
                 start: str | _dt.date = "2024-12-01", *, elasticity: float = 0.4,
                 plant: Plant | None = None) -> list[Path]:
    """Write the sample brand's exports, as a shop would download them, and the truth.

    Files (see ``data/README.md``): ``罗盘_直播明细_自播.xlsx``, ``达人直播_头部达人.csv``,
    ``短视频明细.csv``, ``商品载体_商品卡.xlsx``, ``千川_投放日报_gbk.csv``,
    ``tiktok_live_list.xlsx``, ``达人列表.csv``, ``benchmarks.csv`` and
    ``ground_truth.json``.  Every file is written atomically (temporary file in the same
    folder, then ``os.replace``); the same arguments give byte-identical files.

    Parameters
    ----------
    out : str or Path
        Folder to write into (created when missing).
    seed : int, default DEFAULT_SEED
        Random seed.
    days : int, default 730
        Number of simulated days.
    start : str or date, default "2024-12-01"
        First date.
    elasticity : float, default 0.4
        Snowball elasticity of the F accounts (0: no snowball); ``ground_truth.json``
        records it.
    plant : Plant, optional
        A known weakness to plant (see :class:`Plant`).

    Returns
    -------
    list of Path
        The written files, in the order above.
    """
    from ._atomic import atomic_write_bytes

    if not (math.isfinite(elasticity) and -2.0 <= elasticity <= 2.0):
        raise ValueError(f"elasticity {elasticity!r} is outside -2..2")
    brand = simulate(seed, days, start, elasticity=elasticity, plant=plant)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _render_files(brand).items():
        written.append(atomic_write_bytes(folder / name, data))
    return written
