"""The sample brand itself: who sells what, through which accounts, under which laws.

栖木 / Qimu (category 女装): its three own (F) accounts and its overseas TikTok account, its
eight products, the content forms of its videos, the pools its talents' nicknames are drawn
from, the parameters of the snowball law and the funnel (the values ``ground_truth.json``
records), the names of the files it writes, and its category's benchmarks.
:class:`SampleBrand` holds a simulated brand as canonical tables; :class:`Plant` describes a
weakness planted in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_SEED", "GPM_REF", "RHO_U", "SIGMA_U", "RHO_C", "SIGMA_C", "BASE_ORGANIC", "EXPOSURE_VIEW_RATE",
    "VIEWS_PER_VIEWER", "PRODUCT_EXPOSURE_RATE", "PRODUCT_CTR", "ORDERS_PER_BUYER", "F_AOV", "AD_BASE_SPEND",
    "AD_EXPOSURE_K", "AD_EXPONENT", "WEEKDAY_EFFECT", "CAMPAIGN_EFFECT", "PREHEAT_EFFECT", "CAMPAIGN_CONV_EFFECT",
    "PREHEAT_CONV_EFFECT", "REFUND_RATE_RANGE", "SUBSIDY_RANGE", "TOP_KOL_FOLLOWERS", "BRAND", "CATEGORY",
    "CONTENT_FORMS", "SampleBrand", "Plant", "_FORM_TAGS", "_FORM_DURATION", "_PRODUCTS", "_F_ACCOUNTS",
    "_TIKTOK_ACCOUNT", "_SURNAMES", "_NICK_A", "_NICK_B", "_FILES", "_benchmarks",
]


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
