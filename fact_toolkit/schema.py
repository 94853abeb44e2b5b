"""Canonical tables, their columns and the header aliases real exports use.

This module is the one place that says what a table holds: column names, value kinds,
units, which columns are required, and every header (Chinese, English, TikTok) that
maps onto a column.  Readers, validation, metrics and the sample simulator all read it.

Conventions (DESIGN §4): snake_case names; money in major units of the row's
``currency`` (CNY by default); counts are integers; rates are 0–1 fractions; durations
are seconds; IDs are strings; ``_uv`` counts people (人数) and ``_pv`` counts events (次数).
Every table keeps ``source_file`` and ``source_row`` so a number can be traced back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum

__all__ = [
    "FactChannel",
    "CHANNELS",
    "ACCOUNT_TYPES",
    "CARRIERS",
    "SHELF_CARRIERS",
    "REPEATED_CARRIERS",
    "Column",
    "Table",
    "FileKind",
    "TABLES",
    "FILE_KINDS",
    "VALUE_ALIASES",
    "TOTAL_ROW_LABELS",
    "normalize_header",
    "column_aliases",
    "data_dictionary",
]


class FactChannel(str, Enum):
    """Where a sale comes from in Douyin's FACT(+S) matrix.

    C (campaigns) is not a channel: it is an overlay carried in ``campaign_id``.
    """

    F = "F"  #: 商家自播 — the brand's own (official or channel-authorised) accounts
    A = "A"  #: 达人矩阵 — affiliate talents paid by commission
    T = "T"  #: 头部大V — top KOLs meeting the top-KOL rule
    S = "S"  #: 货架场 — product card, search, mall, store page
    OTHER = "other"


CHANNELS: tuple[str, ...] = tuple(c.value for c in FactChannel)
ACCOUNT_TYPES: tuple[str, ...] = ("official", "authorised", "affiliate")
CARRIERS: tuple[str, ...] = ("live", "video", "image_text", "card", "shop_tab", "other")
#: carriers whose sales belong to the shelf (S) rather than to a piece of content
#: (TikTok's Shop tab and Product card are both shelf)
SHELF_CARRIERS: frozenset[str] = frozenset({"card", "shop_tab"})
#: carriers whose sales a content table repeats: a product row of one of these carriers is a
#: fact only when no content of that ``content_type`` was loaded (:meth:`fact_toolkit.Dataset.facts`)
REPEATED_CARRIERS: tuple[str, ...] = ("live", "video")

#: labels of summary rows that exports append; never data, never summed twice
TOTAL_ROW_LABELS: frozenset[str] = frozenset(
    {"合计", "总计", "汇总", "总计:", "合计:", "total", "totals", "grand total", "sum", "total:"}
)

#: value vocabularies for category columns: normalised raw text -> canonical value
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "account_type": {
        "official": "official", "官方": "official", "官方账号": "official", "官方号": "official",
        "自营": "official", "自营账号": "official", "品牌自播": "official", "自播": "official",
        "authorised": "authorised", "authorized": "authorised", "渠道": "authorised",
        "渠道号": "authorised", "渠道账号": "authorised", "授权": "authorised",
        "授权账号": "authorised", "渠道授权": "authorised", "渠道授权账号": "authorised",
        "affiliate": "affiliate", "达人": "affiliate", "达人账号": "affiliate",
        "合作达人": "affiliate", "带货达人": "affiliate", "creator": "affiliate",
        "affiliatecreator": "affiliate", "kol": "affiliate",
    },
    "carrier": {
        "直播": "live", "live": "live", "直播间": "live",
        "短视频": "video", "视频": "video", "video": "video", "shortvideo": "video",
        "图文": "image_text", "imagetext": "image_text",
        "商品卡": "card", "productcard": "card", "card": "card", "搜索": "card",
        "商城": "card", "店铺": "card", "店铺页": "card", "橱窗": "card", "shelf": "card",
        "其他": "other", "other": "other", "others": "other",
        "shoptab": "shop_tab", "shop_tab": "shop_tab", "店铺tab": "shop_tab", "商城tab": "shop_tab",
    },
    "content_type": {
        "直播": "live", "live": "live", "短视频": "video", "视频": "video", "video": "video",
    },
    "tier": {
        "head": "head", "头部": "head", "头部达人": "head", "waist": "waist", "腰部": "waist",
        "腰部达人": "waist", "tail": "tail", "尾部": "tail", "尾部达人": "tail", "koc": "tail",
        "素人": "tail",
    },
    "fact_channel": {"f": "F", "a": "A", "t": "T", "s": "S", "other": "other", "其他": "other"},
}

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "（": "(", "）": ")", "{": "(", "}": ")"})
_SPACE = re.compile(r"\s+")


def normalize_header(text: object) -> str:
    """Fold a header cell for matching: NFKC, brackets, whitespace, case.

    Parameters
    ----------
    text : object
        A header cell as read from a file.

    Returns
    -------
    str
        The folded form; two headers match when their folded forms are equal.

    Examples
    --------
    >>> normalize_header(" 直播间观看人数（人数） ")
    '直播间观看人数(人数)'
    >>> normalize_header("GMV / 1K  views")
    'gmv/1kviews'
    """
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = s.translate(_BRACKETS)
    s = _SPACE.sub("", s).lower()
    return s.replace("\ufeff", "")


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Attributes
    ----------
    name : str
        snake_case canonical name.
    kind : str
        Value kind, which decides the parser: ``id``, ``text``, ``category``, ``int``,
        ``float``, ``money``, ``rate``, ``duration``, ``duration_min``, ``datetime``,
        ``date``, ``bool``, ``range`` (``7.5w~10w`` → its middle; ``10w+`` → its lower end).
    unit : str
        Unit after parsing (``CNY`` means major units of the row's currency).
    required : bool
        A file of this table without the column cannot be loaded.
    nonneg : bool
        Negative values are quarantined.
    label_zh, label_en : str
        Labels for tables and plots.
    aliases : tuple[str, ...]
        Header names seen in real exports; matched after :func:`normalize_header`.
        An alias may carry a unit override after ``|`` (``"直播时长(分钟)|min"``).
    """

    name: str
    kind: str
    unit: str = ""
    required: bool = False
    nonneg: bool = False
    label_zh: str = ""
    label_en: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns and its key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    description: str = ""

    @property
    def names(self) -> list[str]:
        """Column names in declared order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required(self) -> list[str]:
        """Names of required columns."""
        return [c.name for c in self.columns if c.required]


@dataclass(frozen=True)
class FileKind:
    """A kind of export file, recognised from its headers.

    A file is of this kind when every column in ``signature`` is present (after alias
    mapping) and at least one of ``any_of`` when that is given; among the kinds that
    match, the one with the most mapped headers wins, then the one whose language fits
    (``english``: TikTok Seller Center exports have English headers, Compass exports
    Chinese ones), then the one whose ``hints`` (substrings of folded raw headers) occur
    most often. A kind with ``none_of`` is ruled out by any of those columns. A
    ``period`` kind has no date column: the banner's date range is every row's period
    (``period_start``/``period_end``). ``seller_center`` kinds are TikTok Shop Seller
    Center downloads: their times are the shop's local time, inferred from the currency
    when ``tz`` is not given. How the platform computes a reported metric (TikTok's GPM
    per Direct GMV …) is not said here but in the metric registry, per source (the kind).
    """

    name: str
    table: str
    label: str
    signature: tuple[str, ...]
    any_of: tuple[str, ...] = ()
    defaults: dict[str, object] = field(default_factory=dict)
    hints: tuple[str, ...] = ()
    english: bool = False
    none_of: tuple[str, ...] = ()
    period: bool = False
    seller_center: bool = False


def _c(name: str, kind: str, *aliases: str, unit: str = "", required: bool = False,
       nonneg: bool | None = None, zh: str = "", en: str = "") -> Column:
    if nonneg is None:
        nonneg = kind in {"int", "money", "duration", "duration_min"}
    return Column(name, kind, unit, required, nonneg, zh, en or name.replace("_", " "), tuple(aliases))


# --- shared column groups -----------------------------------------------------------

_FUNNEL = (
    _c("exposure_uv", "int", "直播间曝光人数", "曝光人数", "LIVE impressions (people)", "Impression users",
       unit="people", zh="曝光人数", en="exposed people"),
    _c("exposure_pv", "int", "直播间曝光次数", "曝光次数", "LIVE impressions", "Shows", "Impressions",
       "视频曝光次数", unit="events", zh="曝光次数", en="exposures"),
    _c("view_uv", "int", "直播间观看人数", "观看人数", "累计观看人数", "Viewers", "Unique viewers", "LIVE viewers",
       unit="people", zh="观看人数", en="viewers"),
    _c("view_pv", "int", "直播间观看次数", "观看次数", "视频观看次数", "播放量", "视频播放量", "Views",
       "VV", "Video views", "LIVE views", unit="events", zh="观看次数", en="views"),
    _c("product_exposure_uv", "int", "直播间商品曝光人数", "商品曝光人数", "Product impressions (people)",
       unit="people", zh="商品曝光人数", en="product-exposed people"),
    _c("product_exposure_pv", "int", "直播间商品曝光次数", "商品曝光次数", "Product impressions",
       "Listing impressions",
       unit="events", zh="商品曝光次数", en="product impressions"),
    _c("product_click_uv", "int", "直播间商品点击人数", "商品点击人数", "Product clicks (people)",
       "Product click users", "Unique page views", unit="people", zh="商品点击人数", en="product clickers"),
    _c("product_click_pv", "int", "直播间商品点击次数", "商品点击次数", "Product clicks", "Clicks", "Page views",
       unit="events", zh="商品点击次数", en="product clicks"),
    _c("orders", "int", "直播间成交订单数", "成交订单数", "订单数", "支付订单数", "SKU orders", "Orders",
       "Orders created", "Orders paid for", unit="orders", zh="成交订单数", en="orders"),
    _c("buyers", "int", "直播间成交人数", "成交人数", "支付人数", "Customers", "Buyers", "Unique customers",
       unit="people", zh="成交人数", en="buyers"),
    _c("items", "int", "成交件数", "直播间成交件数", "Items sold", "Products sold", "Units sold", "Video items sold",
       unit="items", zh="成交件数", en="items sold"),
    _c("gmv", "money", "直播间成交金额", "成交金额", "成交金额(元)", "GMV", "Gross revenue", "Gross merchandise value",
       "Revenue", "Gross merchandise value (Video)", "总成交额",
       unit="CNY", zh="成交金额", en="GMV"),
    _c("paid_amount", "money", "直播间用户支付金额", "用户支付金额", "用户支付金额(元)", "支付金额", "Paid amount",
       unit="CNY", zh="用户支付金额", en="paid amount"),
    _c("direct_gmv", "money", "Direct GMV", "直接成交金额", unit="CNY", zh="直接成交金额", en="direct GMV"),
    _c("refund_amount", "money", "直播间退款金额", "退款金额", "退款金额(元)", "Refunds", "Refund amount",
       unit="CNY", nonneg=False, zh="退款金额", en="refunds"),
    _c("ad_spend", "money", "投放消耗", "消耗", "消耗(元)", "千川消耗", "广告消耗", "Ad spend", "Cost", "Spend",
       unit="CNY", zh="投放消耗", en="ad spend"),
    _c("commission", "money", "预估佣金支出", "佣金支出", "佣金", "预估佣金", "Estimated commission",
       "Commission", unit="CNY", zh="佣金", en="commission"),
    _c("new_followers", "int", "新增粉丝数", "涨粉数", "New followers", unit="people", zh="新增粉丝", en="new followers"),
)

_REPORTED = (
    _c("reported_gpm", "float", "GPM", "千次观看成交金额", "千次观看用户支付金额", "GMV/1K views",
       "GMV per 1K views", "Watch GPM", "看播GPM", zh="平台GPM", en="reported GPM"),
    _c("reported_show_gpm", "float", "GMV/1K shows", "千次曝光成交金额", "Show GPM", zh="平台曝光GPM",
       en="reported show GPM"),
    _c("reported_product_ctr", "rate", "商品曝光-点击率", "商品点击率", "CTR", "Product CTR", "Click-through rate",
       "Click-through rate (Video)",
       "商品曝光-点击率(人数)", zh="平台点击率", en="reported CTR"),
    _c("reported_click_order_rate", "rate", "商品点击-成交转化率", "点击-成交转化率", "成交转化率",
       "Click-to-order rate", "CO rate", "商品点击-成交转化率(人数)", "CTOR (SKU orders)", "CTOR",
       "Click-to-order rate (Video)", "Conversion rate", zh="平台转化率", en="reported CVR"),
    _c("reported_aov", "money", "客单价", "Avg. price", "AOV", "Average order value", zh="平台客单价",
       en="reported AOV"),
    _c("reported_product_gpm", "float", "千次曝光用户支付金额", "千次曝光成交金额(商品)", "GMV/1K product impressions",
       zh="平台商品GPM", en="reported product GPM"),
    _c("reported_uv_value", "money", "UV价值", "UV value", zh="平台UV价值", en="reported UV value"),
    _c("reported_exposure_view_rate", "rate", "曝光-观看率", "曝光-观看率(人数)", "直播间曝光-观看率",
       zh="平台曝光-观看率", en="reported exposure→view rate"),
    _c("reported_net_gmv", "money", "净成交金额", "Net GMV", unit="CNY", nonneg=False, zh="平台净成交金额",
       en="reported net GMV"),
    _c("reported_roi", "float", "支付ROI", "整体支付ROI", "ROI", "成交ROI", zh="平台ROI", en="reported ROI"),
)

_TRACE = (
    _c("currency", "category", "币种", "Currency", zh="币种"),
    _c("source_kind", "text", zh="来源类型",
       en="source kind (the file kind the row came from; metrics with a per-source definition follow it)"),
    _c("source_file", "text", zh="来源文件"),
    _c("source_row", "int", zh="来源行", nonneg=True),
)


def _table(name: str, key: tuple[str, ...], description: str, *cols: Column) -> Table:
    return Table(name, tuple(cols), key, description)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _table(
            "content", ("content_id",),
            "One row per live session or video.",
            _c("content_id", "id", "直播间ID", "直播ID", "场次ID", "视频ID", "作品ID", "LIVE ID", "Video ID",
               "Room ID", zh="内容ID"),
            _c("content_type", "category", "内容类型", "载体类型", "Content type", zh="内容类型"),
            _c("title", "text", "直播标题", "视频标题", "作品标题", "视频名称", "LIVE name", "LIVE title",
               "Video title", "Video name", "Video", "Livestream", "Video Info", zh="标题"),
            _c("product_id", "id", "Products|paren", zh="商品ID",
               en="product ID (TikTok video lists: the ID in the product title's parentheses)"),
            _c("account_id", "id", "主播抖音号", "抖音号", "达人抖音号", "作者抖音号", "达人ID", "作者ID", "账号ID",
               "Creator ID", "Creator username", "Username", zh="账号ID"),
            _c("account_name", "text", "主播昵称", "达人昵称", "作者昵称", "账号昵称", "账号名称", "Creator name",
               "Creator", "Nickname", zh="账号昵称"),
            _c("account_type", "category", "账号类型", "主播类型", "Account type", zh="账号类型"),
            _c("fact_channel", "category", "FACT渠道", "渠道", zh="FACT渠道"),
            _c("campaign_id", "id", "活动ID", zh="活动"),
            _c("start_time", "datetime", "直播开始时间", "开播时间", "发布时间", "视频发布时间", "作品发布时间",
               "Start time", "LIVE start time", "Post time", "Publish time", "Posted time", "Time", required=True,
               zh="开始时间"),
            _c("end_time", "datetime", "直播结束时间", "下播时间", "End time", zh="结束时间"),
            _c("duration_sec", "duration", "直播时长(分钟)|min", "直播时长", "时长", "视频时长", "Duration",
               "Duration (s)|s",
               "LIVE duration", "Video duration", unit="s", zh="时长"),
            *_FUNNEL,
            _c("peak_online", "int", "最高在线人数", "Peak viewers", "Peak concurrent viewers", unit="people",
               zh="最高在线"),
            _c("avg_online", "float", "平均在线人数", "Avg. concurrent viewers", unit="people", nonneg=True,
               zh="平均在线"),
            _c("avg_watch_sec", "duration", "人均观看时长(分钟)|min", "人均观看时长|min", "平均观看时长",
               "Avg. viewing duration", "Avg. watch time", "Average watch time", "Avg. view duration", unit="s",
               zh="人均观看时长"),
            _c("completion_rate", "rate", "完播率", "Completion rate", "Finish rate", "Video Finish Rate", zh="完播率"),
            _c("v_to_l_clicks", "int", "V-to-L clicks", zh="视频引流直播点击", en="video-to-LIVE clicks"),
            _c("reported_v_to_l_rate", "rate", "V-to-L rate", zh="平台视频引流直播率",
               en="reported V-to-L rate (kept as reported; not recomputed, see docs/platform_metrics.md)"),
            _c("likes", "int", "点赞数", "点赞次数", "Likes", zh="点赞"),
            _c("comments", "int", "评论数", "评论次数", "Comments", zh="评论"),
            _c("shares", "int", "分享数", "分享次数", "转发数", "Shares", zh="分享"),
            _c("search_after_view_amount", "money", "看后搜用户支付金额", "看后搜用户支付金额(元)",
               "看后搜成交金额", unit="CNY", zh="看后搜支付金额", en="search-after-view paid amount"),
            _c("live_referral_amount", "money", "引流直播间用户支付金额", "引流直播间用户支付金额(元)",
               unit="CNY", zh="引流直播间支付金额", en="paid amount in referred live rooms"),
            _c("fan_buyers", "int", "粉丝成交人数", "Follower buyers", unit="people", zh="粉丝成交人数"),
            _c("content_form", "category", "内容形式", "视频类型", "Content form", zh="内容形式"),
            _c("tags", "text", "标签", "内容标签", "视频标签", "Tags", zh="标签"),
            *_REPORTED,
            _c("date", "date", zh="日期"),
            *_TRACE,
        ),
        _table(
            "daily", ("date", "fact_channel", "account_id"),
            "One row per date × channel (× account): the panel most analysis runs on.",
            _c("date", "date", "日期", "统计日期", "时间", "Date", required=True, zh="日期"),
            _c("fact_channel", "category", "FACT渠道", "渠道", zh="FACT渠道"),
            _c("account_id", "id", "抖音号", "账号ID", "主播抖音号", zh="账号ID"),
            _c("account_name", "text", "账号昵称", "主播昵称", "账号名称", zh="账号昵称"),
            _c("campaign_id", "id", "活动ID", zh="活动"),
            *_FUNNEL,
            _c("content_count", "int", "直播场次", "内容数", zh="内容数"),
            *_REPORTED,
            *_TRACE,
        ),
        _table(
            "orders", ("order_id",),
            "One row per order line (精选联盟 commission orders and similar).",
            _c("order_id", "id", "订单id", "订单ID", "订单编号", "子订单id", "子订单编号", "Order ID", required=True,
               zh="订单ID"),
            _c("product_id", "id", "商品id", "商品ID", "Product ID", zh="商品ID"),
            _c("product_title", "text", "商品名称", "商品标题", "Product name", zh="商品名称"),
            _c("account_id", "id", "作者账号", "达人抖音号", "作者抖音号", "Creator username", zh="作者账号"),
            _c("account_name", "text", "作者昵称", "达人昵称", "Creator name", zh="作者昵称"),
            _c("account_type", "category", "账号类型", zh="账号类型"),
            _c("fact_channel", "category", "FACT渠道", zh="FACT渠道"),
            _c("pay_time", "datetime", "付款时间", "支付时间", "下单时间", "Payment time", "Order time",
               required=True, zh="付款时间"),
            _c("paid_amount", "money", "支付金额", "订单支付金额", "用户支付金额", "Payment amount", unit="CNY",
               required=True, zh="支付金额"),
            _c("commission_rate", "rate", "佣金率", "佣金比例", "Commission rate", zh="佣金率"),
            _c("commission", "money", "预估佣金支出", "佣金支出", "预估佣金", "Estimated commission", unit="CNY",
               zh="佣金"),
            _c("refund_amount", "money", "退款金额", "Refund amount", unit="CNY", nonneg=False, zh="退款金额"),
            _c("refund_time", "datetime", "退款时间", "Refund time", zh="退款时间"),
            _c("traffic_source", "category", "流量来源", "Traffic source", zh="流量来源"),
            _c("order_status", "category", "订单状态", "Order status", zh="订单状态"),
            _c("date", "date", zh="日期"),
            *_TRACE,
        ),
        _table(
            "products", ("product_id", "date", "carrier", "account_type"),
            "Product-level funnel and GMV, optionally by date × carrier (载体类型) × account type.",
            _c("product_id", "id", "商品ID", "商品id", "Product ID", "ID", "商品信息#1", required=True, zh="商品ID"),
            _c("title", "text", "商品名称", "商品标题", "商品信息", "Product name", "Product", "商品信息#2",
               zh="商品名称"),
            _c("category", "category", "商品类目", "类目", "一级类目", "Category", zh="类目"),
            _c("price", "money", "商品价格", "价格", "售价", "Price", unit="CNY", zh="价格"),
            _c("date", "date", "日期", "统计日期", "Date", zh="日期"),
            _c("period_start", "date", zh="统计周期开始",
               en="period start (files without a date column: the banner's date range)"),
            _c("period_end", "date", zh="统计周期结束", en="period end (last day, inclusive)"),
            _c("carrier", "category", "载体类型", "载体", "流量载体", "Carrier", "Channel", zh="载体类型"),
            _c("account_type", "category", "账号类型", "Account type", zh="账号类型"),
            _c("fact_channel", "category", "FACT渠道", zh="FACT渠道"),
            *(c for c in _FUNNEL if c.name not in {"exposure_uv", "exposure_pv", "view_uv", "view_pv", "ad_spend",
                                                    "new_followers"}),
            *_REPORTED,
            *_TRACE,
        ),
        _table(
            "ads", ("date", "plan_id"),
            "Ad delivery (巨量千川) by date and plan.",
            _c("date", "date", "日期", "时间", "Date", "Launched time", required=True, zh="日期"),
            _c("plan_id", "id", "计划ID", "计划id", "Campaign ID", "Ad group ID", zh="计划ID"),
            _c("live_name", "text", "LIVE name", zh="直播标题",
               en="LIVE name (GMV Max: the session whose spend this is; matched to the LIVE list)"),
            _c("plan_name", "text", "计划名称", "Campaign name", zh="计划名称"),
            _c("account_id", "id", "抖音号", "抖音号ID", "账户ID", zh="抖音号"),
            _c("account_name", "text", "抖音号名称", "账户名称", "抖音昵称", zh="抖音号名称"),
            _c("ad_spend", "money", "消耗", "消耗(元)", "整体消耗", "Cost", "Spend", unit="CNY", required=True,
               zh="消耗"),
            _c("impressions", "int", "展示次数", "整体展示次数", "Impressions", zh="展示次数"),
            _c("clicks", "int", "点击次数", "整体点击次数", "Clicks", zh="点击次数"),
            _c("conversions", "int", "转化数", "Conversions", zh="转化数"),
            _c("ad_gmv", "money", "直接成交金额", "成交金额", "支付金额", "整体成交金额", "整体支付金额",
               "GMV", "Gross revenue (Current shop)", unit="CNY", zh="成交金额"),
            _c("ad_orders", "int", "直接成交订单数", "成交订单数", "整体成交订单数", "SKU orders (Current shop)",
               zh="成交订单数"),
            _c("reported_roi", "float", "支付ROI", "整体支付ROI", "直接支付roi", "ROI", "ROI (Current shop)",
               zh="平台ROI"),
            _c("reported_ctr", "rate", "点击率", "CTR", zh="平台点击率"),
            *_TRACE,
        ),
        _table(
            "talents", ("talent_id",),
            "Talents (达人): followers, tier, top-KOL flag, commission.",
            _c("talent_id", "id", "达人抖音号", "抖音号", "达人ID", "达人UID", "Creator ID", "Creator username",
               required=True, zh="达人ID"),
            _c("nickname", "text", "达人昵称", "昵称", "Creator name", "Nickname", zh="昵称"),
            _c("followers", "range", "粉丝数", "粉丝量", "Followers", nonneg=True, zh="粉丝数",
               en="followers (the middle of a range such as 7.5w~10w; the lower end of 10w+)"),
            _c("tier", "category", "达人层级", "层级", "Tier", zh="层级"),
            _c("is_top_kol", "bool", "是否头部", "头部达人", "Top KOL", zh="头部达人"),
            _c("commission_rate", "rate", "佣金率", "合作佣金率", "Commission rate", zh="佣金率"),
            _c("tags", "text", "达人标签", "标签", "粉丝画像", "Tags", zh="标签"),
            *_TRACE,
        ),
        _table(
            "campaigns", ("campaign_id",),
            "Platform campaign windows (C overlay).",
            _c("campaign_id", "id", "活动ID", "campaign_id", required=True, zh="活动ID"),
            _c("name", "text", "活动名称", "name", zh="活动名称"),
            _c("start", "date", "开始日期", "正式期开始", "start", required=True, zh="开始"),
            _c("end", "date", "结束日期", "正式期结束", "end", required=True, zh="结束"),
            _c("preheat_start", "date", "预热开始", "preheat_start", zh="预热开始"),
            _c("tier", "category", "活动等级", "tier", zh="等级"),
            _c("approximate", "bool", "日期为估计", "approximate", zh="日期为估计"),
            _c("source_file", "text"),
            _c("source_row", "int", nonneg=True),
        ),
        _table(
            "benchmarks", ("category", "metric"),
            "Peer percentiles (category × metric × p25/p50/p75), as Compass compares a session with its peers.",
            _c("category", "category", "类目", "行业", "category", required=True, zh="类目"),
            _c("metric", "category", "指标", "metric", required=True, zh="指标"),
            _c("p25", "float", "p25", "后25%", "P25", nonneg=False, zh="p25"),
            _c("p50", "float", "p50", "中位数", "P50", "median", nonneg=False, zh="p50"),
            _c("p75", "float", "p75", "前25%", "P75", "优秀值", nonneg=False, zh="p75"),
            _c("source_file", "text"),
            _c("source_row", "int", nonneg=True),
        ),
    )
}


def _tagged(kind: FileKind) -> FileKind:
    """Every row a kind yields names it in ``source_kind`` (metrics may follow the source's definition)."""
    return replace(kind, defaults={**kind.defaults, "source_kind": kind.name})


FILE_KINDS: dict[str, FileKind] = {
    k.name: _tagged(k)
    for k in (
        FileKind("compass_live", "content", "Compass live-session list (直播明细)",
                 signature=("start_time",), any_of=("view_pv", "view_uv", "exposure_pv"),
                 defaults={"content_type": "live"}, hints=("直播", "开播", "下播", "主播", "场次")),
        FileKind("compass_video", "content", "Short-video list (短视频明细)",
                 signature=("start_time", "view_pv"),
                 defaults={"content_type": "video"}, hints=("视频", "作品", "发布", "完播", "播放")),
        FileKind("tiktok_live", "content", "TikTok Seller Center LIVE list",
                 signature=("start_time",),
                 defaults={"content_type": "live", "account_type": "official", "currency": "USD"},
                 hints=("live", "directgmv", "gmv/1k", "creator"), english=True, seller_center=True),
        FileKind("tiktok_video", "content", "TikTok Seller Center shoppable-video list",
                 signature=("start_time", "view_pv"),
                 defaults={"content_type": "video", "currency": "USD"},
                 hints=("video", "vv", "post", "publish", "v-to-l"), english=True, seller_center=True),
        FileKind("affiliate_orders", "orders", "Affiliate commission orders (精选联盟)",
                 signature=("order_id", "pay_time", "paid_amount")),
        FileKind("product_carrier", "products", "Product × carrier export (商品载体)",
                 signature=("product_id",), any_of=("carrier", "product_exposure_uv", "product_exposure_pv",
                                                    "gmv", "paid_amount")),
        FileKind("tiktok_product_list", "products", "TikTok Seller Center product list by channel",
                 signature=("product_id", "carrier"), any_of=("gmv", "product_exposure_pv"),
                 hints=("shoptab", "productcard", "pagesviewsfrom"), english=True, period=True,
                 seller_center=True),
        FileKind("tiktok_live_product", "products", "TikTok Seller Center LIVE product detail",
                 signature=("product_id",), any_of=("gmv", "commission", "items"),
                 defaults={"carrier": "live", "account_type": "official"},
                 hints=("商品信息", "总成交额", "佣金", "commission"), none_of=("carrier", "date"), period=True,
                 seller_center=True),
        FileKind("daily_overview", "daily", "Daily overview (核心数据)",
                 signature=("date",), any_of=("view_pv", "view_uv", "paid_amount", "gmv", "exposure_pv")),
        FileKind("qianchuan", "ads", "巨量千川 ad report",
                 signature=("date", "ad_spend"), any_of=("plan_id", "plan_name", "reported_roi", "impressions"),
                 none_of=("live_name",)),
        FileKind("tiktok_gmv_max", "ads", "TikTok GMV Max / LIVE ads report",
                 signature=("date", "ad_spend", "live_name"), hints=("live", "currentshop", "gmvmax"),
                 english=True, seller_center=True),
        FileKind("talents", "talents", "Talent list (达人列表)",
                 signature=("talent_id",), any_of=("followers", "tier", "is_top_kol")),
        FileKind("campaigns", "campaigns", "Campaign calendar", signature=("campaign_id", "start", "end")),
        FileKind("benchmarks", "benchmarks", "Peer benchmarks", signature=("category", "metric"),
                 any_of=("p25", "p50", "p75")),
    )
}


def column_aliases(table: str) -> dict[str, tuple[str, str]]:
    """Folded header -> (canonical column, unit override) for one table.

    The canonical name itself is always an alias, so canonical tables written by the
    toolkit load back without a mapping.

    Parameters
    ----------
    table : str
        A key of :data:`TABLES`.

    Returns
    -------
    dict
        ``normalize_header(alias) -> (column name, unit override or "")``.
    """
    out: dict[str, tuple[str, str]] = {}
    for col in TABLES[table].columns:
        out.setdefault(normalize_header(col.name), (col.name, ""))
        for alias in col.aliases:
            text, _, unit = alias.partition("|")
            out.setdefault(normalize_header(text), (col.name, unit))
    return out


def data_dictionary() -> str:
    """The data dictionary of every canonical table and file kind, as Markdown.

    ``docs/data_dictionary.md`` is this text; a test keeps the two identical
    (regenerate with ``make docs``).
    """
    lines = [
        "# Data dictionary",
        "",
        "Generated from `fact_toolkit/schema.py` (`make docs`).",
        "Money is in major units of the row's `currency`; rates are 0–1 fractions; durations are seconds;",
        "`_uv` counts people (人数), `_pv` counts events (次数). Headers are matched after NFKC",
        "normalisation, bracket-width and whitespace folding, case-insensitively.",
        "",
        "FACT channels: " + ", ".join(CHANNELS) + " (C is the `campaign_id` overlay).",
        "",
    ]
    for t in TABLES.values():
        lines += [f"## `{t.name}`", "", t.description, "",
                  f"Key: {', '.join(t.key) or '—'}", "",
                  "| column | kind | unit | required | ≥ 0 | 中文 | header aliases |",
                  "|---|---|---|---|---|---|---|"]
        for c in t.columns:
            aliases = ", ".join(a.replace("|", " in ") for a in c.aliases) or "—"
            lines.append(f"| `{c.name}` | {c.kind} | {c.unit or ''} | {'yes' if c.required else ''} | "
                         f"{'yes' if c.nonneg else ''} | {c.label_zh} | {aliases} |")
        lines.append("")
    lines += ["## File kinds", "", "| kind | table | export | needs | and one of |", "|---|---|---|---|---|"]
    for k in FILE_KINDS.values():
        lines.append(f"| `{k.name}` | {k.table} | {k.label} | {', '.join(k.signature)} | "
                     f"{', '.join(k.any_of) or '—'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(data_dictionary(), end="")
