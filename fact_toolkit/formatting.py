"""Numbers and tables as an analyst forwards them: one formatter for every table.

:func:`format_table` is the one entry point. It takes any DataFrame a section, model,
what-if or report builds and returns a pandas :class:`~pandas.io.formats.style.Styler`:

- **column labels** in the report's language, from the metric registry
  (:data:`fact_toolkit.metrics.METRICS`), the schema (:data:`fact_toolkit.schema.TABLES`)
  and :data:`COLUMNS` for derived columns (ranks, shares, changes …);
- **money** with thousands separators, ``1,669万`` / ``1.67亿`` (zh) or ``16.7M`` (en)
  from 10,000 up; the currency once, in the caption;
- **rates** as percentages; **changes** signed (``+12.3%``) and coloured;
- **counts and ranks** as integers; **booleans** as ``✓`` or blank; **missing** as ``–``;
- **no positional index**: a meaningful index becomes the first columns.

Units come from :func:`column_unit`; pass ``units={"col": "money"}`` to override.
Every cell is text once formatted, so nothing in scientific notation reaches a page.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"gmv": [16691200.0, 5300.0], "refund_rate": [0.0763, None],
...                    "disagree": [True, False]})
>>> format_table(df, lang="zh").data.columns.tolist()
['成交金额', '退款率(按支付时间)', '排名分歧']
>>> [format_value(v, "money", "zh") for v in (16691200.0, 123456789.0, 5300.0)]
['1,669万', '1.235亿', '5,300']
>>> [format_value(v, "change", "en") for v in (0.123, -0.05, 0.0)]
['+12.3%', '-5.0%', '0.0%']
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["registered", "UNITS", "COLUMNS", "VALUES", "STAGE_WORDS", "KPI_WORDS", "COLUMN_VALUES", "MISSING", "value_label", "compact_number",
           "format_value", "column_unit", "column_label", "format_table", "table_html", "change_colour"]

#: the text of a missing value
MISSING = "–"

#: the units :func:`format_value` knows
UNITS: tuple[str, ...] = ("money", "count", "rank", "rate", "change", "change_pct", "ratio", "score", "number",
                          "seconds", "days", "bool", "date", "month", "text")

#: derived columns the registry and schema do not describe: name → (unit, zh, en)
COLUMNS: dict[str, tuple[str, str, str]] = {
    # identifiers and keys
    "fact_channel": ("text", "渠道", "Channel"),
    "channel": ("text", "渠道", "Channel"),
    "currency": ("text", "币种", "Currency"),
    "account_name": ("text", "账号", "Account"),
    "account_id": ("text", "账号ID", "Account ID"),
    "content_id": ("text", "内容ID", "Content ID"),
    "content_type": ("text", "内容类型", "Content type"),
    "content_form": ("text", "内容形式", "Content form"),
    "date": ("date", "日期", "Date"),
    "period": ("month", "期间", "Period"),
    "month": ("month", "月份", "Month"),
    "week": ("date", "周", "Week"),
    "table": ("text", "数据表", "Table"),
    "rows": ("count", "行数", "Rows"),
    "metric": ("text", "指标", "Metric"),
    "metric_label": ("text", "指标", "Metric"),
    "model": ("text", "模型", "Model"),
    "group": ("text", "分组", "Group"),
    "tier": ("text", "达人层级", "Tier"),
    "stage": ("text", "环节", "Stage"),
    "campaign": ("text", "活动", "Campaign"),
    "name": ("text", "名称", "Name"),
    "note": ("text", "说明", "Note"),
    "label": ("text", "名称", "Name"),
    "source": ("text", "来源", "Source"),
    "capability": ("text", "能力", "Capability"),
    "channels": ("text", "渠道", "Channels"),
    "why_kpi": ("text", "指标解读", "What the KPIs say"),
    "why_change": ("change", "该指标相对自身中位数", "That KPI vs own median"),
    "measure": ("text", "度量", "Measure"),
    "column": ("text", "字段", "Column"),
    "basis": ("text", "对比基准", "Compared with"),
    "lever": ("text", "发力方向", "Lever"),
    "reason": ("text", "理由", "Reason"),
    "verdict": ("text", "结论", "Verdict"),
    "assumption": ("text", "假设", "Assumption"),
    "scenario_name": ("text", "情景", "Scenario"),
    "campaign_id": ("text", "活动ID", "Campaign ID"),
    "start": ("date", "开始", "Start"),
    "end": ("date", "结束", "End"),
    "cost": ("money", "投放+佣金", "Ad spend + commission"),
    "actual": ("number", "实际", "Actual"),
    "per_day_actual": ("number", "日均实际", "Actual per day"),
    "per_day_baseline": ("number", "日均基线", "Baseline per day"),
    "matched_per_day": ("number", "每日匹配天数", "Matched days per day"),
    "lift": ("change", "提升", "Lift"),
    "enough": ("bool", "样本充足", "Enough data"),
    "halo_days": ("days", "溢出天数", "Halo days"),
    "halo_days_total": ("days", "溢出总天数", "Halo days in total"),
    "clean_days": ("days", "对照天数", "Clean days"),
    "window_days": ("days", "窗口天数", "Window days"),
    "decay_days": ("days", "衰减天数", "Decay days"),
    "pre_days": ("days", "活动前天数", "Pre-period days"),
    "length": ("days", "期间天数", "Days in period"),
    "post_uplift_7d": ("change", "活动后 7 天增量", "Uplift 7 days after"),
    "current": ("rate", "当前", "Current"),
    "history": ("rate", "历史中位数", "Own history median"),
    "peer_p50": ("rate", "同行中位数", "Peer median"),
    "vs_history": ("change", "相对自身历史", "vs own history"),
    "p25": ("number", "同行 p25", "Peer p25"),
    "p50": ("number", "同行 p50", "Peer p50"),
    "p75": ("number", "同行 p75", "Peer p75"),
    "lower_is_better": ("bool", "越低越好", "Lower is better"),
    "distinct_tags": ("count", "标签数", "Distinct tags"),
    "entropy_norm": ("rate", "标准化熵", "Normalised entropy"),
    "top_tag_share": ("rate", "最多标签占比", "Top tag share"),
    "folds": ("count", "回测折数", "Folds"),
    "points": ("count", "回测点数", "Points"),
    "rank_roi_commission": ("rank", "扣佣ROI排名", "ROI-after-commission rank"),
    # money and counts
    "gmv_median": ("money", "GMV 中位数", "Median GMV"),
    "gpm_median": ("money", "GPM 中位数", "Median GPM"),
    "gpm_peer": ("money", "同行 GPM 中位数", "Peer median GPM"),
    "exposure": ("count", "曝光次数", "Impressions"),
    "sessions": ("count", "场次", "Sessions"),
    "items_n": ("count", "内容数", "Items"),
    "n_items": ("count", "内容数", "Items"),
    "n": ("count", "数量", "Count"),
    "talents": ("count", "达人数", "Talents"),
    "tier_name": ("text", "达人层级", "Tier"),
    "accounts": ("count", "账号数", "Accounts"),
    "days": ("days", "天数", "Days"),
    "active_days": ("days", "活跃天数", "Active days"),
    "baseline": ("money", "基线", "Baseline"),
    "scenario": ("money", "情景", "Scenario"),
    "gmv_at_stake": ("money", "涉及成交金额", "GMV at stake"),
    # ranks and scores
    "rank": ("rank", "排名", "Rank"),
    "rank_gpm": ("rank", "GPM 排名", "GPM rank"),
    "rank_roi": ("rank", "ROI 排名", "ROI rank"),
    "rank_gap": ("rank", "排名差", "Rank gap"),
    "score": ("score", "评分", "Score"),
    "peer_score": ("score", "同行评分", "Peer score"),
    # rates and shares
    "share": ("rate", "占比", "Share"),
    "gmv_share": ("rate", "成交占比", "GMV share"),
    "paid_share": ("rate", "支付金额占比", "Share of paid amount"),
    "views_share": ("rate", "观看占比", "Share of views"),
    "coverage": ("rate", "区间覆盖率", "Interval coverage"),
    "mape": ("rate", "MAPE", "MAPE"),
    "completion_rate": ("rate", "完播率", "Completion rate"),
    "interaction_rate": ("rate", "互动率", "Interaction rate"),
    "fan_buyer_share": ("rate", "粉丝成交占比", "Fan-buyer share"),
    "search_after_view_share": ("rate", "看后搜支付占比", "Search-after-view share"),
    "discount_depth": ("rate", "补贴深度", "Discount depth"),
    "roi_commission": ("ratio", "扣佣ROI", "ROI after commission"),
    # the GPM-vs-ROI section names its ROI column in the page's language (so it is not read as paid ÷ ad spend)
    "扣佣ROI": ("ratio", "扣佣ROI", "ROI after commission"),
    "ROI after commission": ("ratio", "扣佣ROI", "ROI after commission"),
    "扣佣ROI排名": ("rank", "扣佣ROI排名", "rank (ROI after commission)"),
    "rank (ROI after commission)": ("rank", "扣佣ROI排名", "rank (ROI after commission)"),
    "followers_per_1k_views": ("number", "千次观看涨粉", "New followers per 1K views"),
    # changes (fractions) and changes already in percent
    "growth": ("change", "环比增长", "Growth"),
    "gmv_growth": ("change", "GMV 环比", "GMV growth"),
    "change": ("change", "变化", "Change"),
    "uplift": ("change", "增量", "Uplift"),
    "vs_peer": ("change", "相对同行", "vs peers"),
    "vs_own": ("change", "相对自身", "vs own history"),
    "gpm_vs_own": ("change", "GPM 相对自身中位数", "GPM vs own median"),
    "change_pct": ("change_pct", "变化", "Change"),
    "gmv_change_pct": ("change_pct", "GMV 变化", "GMV change"),
    "effect_pct": ("change_pct", "影响", "Effect"),
    "effect_low_pct": ("change_pct", "影响下限", "Effect (low)"),
    "effect_high_pct": ("change_pct", "影响上限", "Effect (high)"),
    # model numbers
    "mase": ("ratio", "MASE", "MASE"),
    "elasticity": ("ratio", "弹性", "Elasticity"),
    "ci_low": ("ratio", "区间下限", "Interval low"),
    "ci_high": ("ratio", "区间上限", "Interval high"),
    "p_value": ("ratio", "p 值", "p-value"),
    "value": ("number", "数值", "Value"),
    "entropy": ("ratio", "标签熵", "Tag entropy"),
    # flags
    "chosen": ("bool", "选用", "Chosen"),
    "disagree": ("bool", "排名分歧", "Ranks disagree"),
    "opportunity": ("bool", "机会", "Opportunity"),
    "complete": ("bool", "完整", "Complete"),
    "partial": ("bool", "不完整", "Partial"),
    "bottleneck_history": ("text", "瓶颈(对比自身)", "Bottleneck vs own history"),
    "bottleneck_peer": ("text", "瓶颈(对比同行)", "Bottleneck vs peers"),
}

#: code words found in cells (section tables) → (zh, en); metric names come from the registry
#: the funnel stages by name, in funnel order (zh, en)
STAGE_WORDS: dict[str, tuple[str, str]] = {
    "exposure_view_rate": ("曝光→观看", "exposure→view"), "view_product_rate": ("观看→商品曝光", "view→product exposure"),
    "product_ctr": ("商品曝光→点击", "product exposure→click"), "click_order_rate": ("点击→成交", "click→order"),
}
#: the capability KPIs no export reports under these names (zh, en)
KPI_WORDS: dict[str, tuple[str, str]] = {
    "completion_rate": ("完播率", "completion rate"), "interaction_rate": ("互动率", "interaction rate"),
    "search_after_view_share": ("看后搜支付占比", "search-after-view share"),
    "followers_per_1k_views": ("千次观看涨粉", "new followers per 1K views"),
    "fan_buyer_share": ("粉丝成交占比", "fan-buyer share"),
    "product_gpm_uv": ("千人商品曝光成交额", "paid per 1K product-exposed people"),
    "discount_depth": ("补贴深度", "discount depth"),
}
VALUES: dict[str, tuple[str, str]] = {
    "best": ("最佳", "best"), "worst": ("最差", "worst"),
    "head": ("头部", "head"), "waist": ("腰部", "waist"), "tail": ("尾部", "tail"), "unknown": ("未知", "unknown"),
    "content": ("内容", "content"), "peer": ("同行", "peers"), "own": ("自身历史", "own history"),
    "own history": ("自身历史", "own history"),
    "video": ("视频", "video"), "live": ("直播", "live"), "all": ("全部", "all"), "total": ("合计", "total"),
    "exposure": ("曝光", "exposure"), "benchmarks": ("同行基准", "benchmarks"), "talents": ("达人", "talents"),
    "facts": ("成交明细", "sales rows"), "accounts": ("账号", "accounts"), "campaigns": ("活动", "campaigns"),
    "user": ("用户设定", "user"), "model": ("模型估计", "model"), "default": ("默认", "default"),
    "baseline": ("基线", "baseline"),
    "seasonal_naive": ("上周同日", "same day last week"), "structural": ("结构模型", "structural model"),
    "ads": ("投放", "ads"), "products": ("商品", "products"), "orders": ("订单", "orders"),
    "paid_share": ("付费流量占比", "paid traffic share"), "estimated": ("估计值", "estimated"),
    "(shelf)": ("(货架)", "(shelf)"),
    **STAGE_WORDS,
    "price_response": ("价格弹性", "price response"), "content_returns": ("内容量回报", "returns to content"),
    "talent_returns": ("达人数回报", "returns to talents"), "ad_returns": ("投放回报", "returns to ad spend"),
    "dilution": ("新增流量转化稀释", "dilution of new traffic"),
    "commission_response": ("佣金响应", "commission response"),
    **KPI_WORDS,
}


#: code words whose meaning depends on the column: column → {word: (zh, en)}
COLUMN_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "capability": {"content": ("内容力", "content"), "brand": ("品牌力", "brand"), "product": ("产品力", "product"),
                   "price": ("价格力", "price")},
}


def value_label(x: Any, lang: str = "zh", column: Any = None) -> str:
    """A code word in a cell in the report's language (``best`` → ``最佳``); other text as is."""
    key = str(x)
    pair = COLUMN_VALUES.get(str(column), {}).get(key) or VALUES.get(key)
    if pair:
        return pair[0] if lang == "zh" else pair[1]
    if _IDENT.match(key) or key in ("gmv", "gpm", "roi", "views", "aov"):
        found = registered(key)
        if found:
            return found[1] if lang == "zh" else found[2]
    return key


_SCHEMA_UNITS = {"CNY": "money", "events": "count", "people": "count", "orders": "count", "items": "count",
                 "s": "seconds", "sec": "seconds", "min": "number"}
_IDENT = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def _plain(x: float) -> str:
    """Four significant digits without an exponent."""
    text = f"{x:.4g}"
    return np.format_float_positional(float(text), trim="-") if "e" in text else text


def compact_number(x: float, lang: str = "zh", *, grouping: bool = False) -> str:
    """A number as analysts write it: 万/亿/万亿 in Chinese, K/M/B/T in English.

    Parameters
    ----------
    x : float
    lang : {"zh", "en"}
    grouping : bool, default False
        Thousands separators in the digits before the unit (``1,669万``), for tables.

    Returns
    -------
    str
        At most four significant digits, no exponent.

    Examples
    --------
    >>> [compact_number(v) for v in (0.5, 20, 1000, 30000, 1.5e5, 2e8, 9999.6, 3e12)]
    ['0.5', '20', '1000', '3万', '15万', '2亿', '1万', '3万亿']
    >>> [compact_number(v, "en") for v in (0.5, 1000, 30000, 2.5e6, 1e9, 2e13, 1e-5)]
    ['0.5', '1K', '30K', '2.5M', '1B', '20T', '0.00001']
    >>> compact_number(16691200, "zh", grouping=True)
    '1,669万'
    """
    units = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")) if lang == "zh" else (
        (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
    r = float(f"{x:.4g}")  # the unit follows the value as shown (9999.6 → 1万, not 1e+04)
    for size, unit in units:
        if abs(r) >= size:
            return f"{_group(_plain(r / size), grouping)}{unit}"
    return _group(_plain(r), grouping)


def _group(text: str, grouping: bool) -> str:
    if not grouping:
        return text
    head, _, tail = text.partition(".")
    sign = "-" if head.startswith("-") else ""
    head = f"{int(head.lstrip('-')):,}"
    return sign + head + ("." + tail if tail else "")


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    if isinstance(x, float) and not math.isfinite(x):
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def format_value(x: Any, unit: str = "number", lang: str = "zh", column: Any = None) -> str:
    """One value as text in a unit of :data:`UNITS`.

    Examples
    --------
    >>> format_value(0.07629, "rate"), format_value(8.0, "rank"), format_value(True, "bool")
    ('7.6%', '8', '✓')
    >>> format_value(float("nan"), "money"), format_value(False, "bool"), format_value(1.5e-7, "number")
    ('–', '', '0.00000015')
    >>> format_value(1234567, "count", "en"), format_value(-12.34, "change_pct")
    ('1.235M', '-12.3%')
    """
    if unit == "bool":
        if _missing(x):
            return ""
        return "✓" if bool(x) else ""
    if _missing(x):
        return MISSING
    if isinstance(x, (bool, np.bool_)):
        return "✓" if x else ""
    if unit in ("date", "month"):
        try:
            ts = pd.Timestamp(x)
        except (TypeError, ValueError):
            return str(x)
        return f"{ts:%Y-%m}" if unit == "month" else f"{ts:%Y-%m-%d}"
    if unit == "text" or not isinstance(x, numbers.Number):
        return value_label(x, lang, column)
    v = float(x)
    if not math.isfinite(v):
        return MISSING
    if unit in ("money", "count"):
        if abs(v) >= 1e4:
            return compact_number(v, lang, grouping=True)
        if unit == "count" or abs(v) >= 100 or v == round(v):
            return f"{v:,.0f}"
        return f"{v:,.2f}"
    if unit in ("rank", "days"):
        return f"{v:,.0f}"
    if unit == "score":
        return f"{v:.0f}"
    if unit == "seconds":
        return f"{v:,.0f}s" if lang == "en" else f"{v:,.0f}秒"
    if unit in ("rate", "change", "change_pct"):
        pct = v if unit == "change_pct" else v * 100
        digits = 2 if 0 < abs(pct) < 1 else 1
        text = f"{pct:+,.{digits}f}%" if unit != "rate" and round(pct, digits) != 0 else f"{pct:,.{digits}f}%"
        return text.replace("-0.0%", "0.0%")
    if unit == "ratio":
        return f"{v:,.2f}" if abs(v) < 1e4 else compact_number(v, lang, grouping=True)
    # number: a plain quantity of no known unit
    if abs(v) >= 1e4:
        return compact_number(v, lang, grouping=True)
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1 or v == 0:
        return f"{v:,.2f}".rstrip("0").rstrip(".") if v != round(v) else f"{v:,.0f}"
    return _plain(v)


def registered(name: str) -> tuple[str, str, str] | None:
    """(unit, zh, en) of a registered metric or schema column; None for other names.

    Parameters
    ----------
    name : str
        A metric of the registry or a column of the schema.

    Returns
    -------
    tuple of str, or None
    """
    from .metrics import METRICS
    from .schema import TABLES

    if name in METRICS:
        m = METRICS[name]
        return m.unit, m.label_zh or name, m.label_en or name
    for t in TABLES.values():
        for c in t.columns:
            if c.name == name:
                unit = _SCHEMA_UNITS.get(c.unit, "")
                if not unit:
                    unit = {"money": "money", "count": "count", "date": "date", "bool": "bool"}.get(c.kind, "")
                return unit, c.label_zh or name, c.label_en or name
    return None


def column_unit(name: Any, series: pd.Series | None = None) -> str:
    """The unit of a column: :data:`COLUMNS`, then the registry and schema, then its dtype."""
    key = str(name)
    if key in COLUMNS:
        return COLUMNS[key][0]
    found = registered(key)
    if found and found[0]:
        return found[0]
    for suffix, unit in (("_share", "rate"), ("_rate", "rate"), ("_pct", "change_pct"), ("_change", "change"),
                         ("_growth", "change"), ("rank_", "rank")):
        if key.endswith(suffix) or (suffix.endswith("_") and key.startswith(suffix)):
            return unit
    if series is not None:
        s = series.dropna()
        if pd.api.types.is_bool_dtype(series) or (len(s) and s.map(lambda v: isinstance(v, (bool, np.bool_))).all()):
            return "bool"
        if pd.api.types.is_datetime64_any_dtype(series):
            return "date"
        if pd.api.types.is_integer_dtype(series):
            return "count"
        if pd.api.types.is_numeric_dtype(series):
            return "number"
    return "text"


def column_label(name: Any, lang: str = "zh") -> str:
    """The header of a column in the report's language.

    A column of :data:`COLUMNS`, a registered metric or a schema column gets its label;
    ``"rank (x)"`` style names built by sections are kept; any other code identifier is
    written out with spaces (``gmv_change`` → ``gmv change``).

    Examples
    --------
    >>> column_label("gpm", "en"), column_label("rank_gpm", "zh"), column_label("some_new_col", "en")
    ('GMV per 1K views (GPM)', 'GPM 排名', 'Some new col')
    """
    if isinstance(name, tuple):
        return " · ".join(column_label(n, lang) for n in name if str(n))
    key = str(name)
    i = 1 if lang == "zh" else 2
    if key in COLUMNS:
        return COLUMNS[key][i]
    found = registered(key)
    if found:
        return found[i]
    for suffix in ("_zh", "_en"):
        if key.endswith(suffix) and key[: -len(suffix)] in COLUMNS:
            return COLUMNS[key[: -len(suffix)]][i]
    if _IDENT.match(key):
        text = key.replace("_", " ")
        return text[0].upper() + text[1:]
    return key


def change_colour(x: Any) -> str:
    """CSS for a change: green up, red down, nothing for zero or missing."""
    if _missing(x) or isinstance(x, (str, bool)):
        return ""
    v = float(x)
    return "color:#2b8a3e" if v > 0 else "color:#c92a2a" if v < 0 else ""


def _frame(df: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """A frame with a meaningful index moved into columns and a positional one dropped."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    idx = frame.index
    positional = (isinstance(idx, pd.RangeIndex) or (idx.nlevels == 1 and idx.name is None
                                                     and pd.api.types.is_integer_dtype(idx)))
    if positional:
        return frame.reset_index(drop=True)
    names = [n if n is not None else ("name" if idx.nlevels == 1 else f"level_{i}") for i, n in enumerate(idx.names)]
    frame = frame.copy()
    frame.index = frame.index.set_names(names)
    return frame.reset_index()


def format_table(df: pd.DataFrame | pd.Series, *, lang: str = "zh", units: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None, currency: str | None = None, caption: str | None = None,
                 max_rows: int | None = 25, css_class: str = "ft-table") -> Any:
    """Format any table for a report page: the one formatter every table goes through.

    Parameters
    ----------
    df : DataFrame or Series
        The table as computed (numbers, not text). A meaningful index (named, or not a
        0, 1, 2 … range) becomes the first columns; a positional index is dropped.
    lang : {"zh", "en"}
        Language of the headers and of the compact units (万/亿 or K/M).
    units : mapping, optional
        Unit per column (one of :data:`UNITS`) where :func:`column_unit` would guess wrong.
    labels : mapping, optional
        Header per column, replacing :func:`column_label`.
    currency : str, optional
        Currency of the money columns, said once in the caption. Taken from a
        ``currency`` column holding a single value (which is then dropped) when not given.
    caption : str, optional
        Text above the table; the currency note is appended.
    max_rows : int or None, default 25
        Rows shown (the caption says how many were left out).
    css_class : str
        Class of the ``<table>``.

    Returns
    -------
    pandas.io.formats.style.Styler
        Every cell already text in its unit; changes coloured; no index.
        ``.to_html()`` gives the HTML; ``.data`` the text frame.
    """
    lang = "en" if lang == "en" else "zh"
    frame = _frame(df)
    total = len(frame)
    if "currency" in frame.columns:
        cur = frame["currency"].dropna().astype(str).unique()
        if len(cur) <= 1:
            currency = currency or (cur[0] if len(cur) else None)
            frame = frame.drop(columns="currency")
    if max_rows is not None and total > max_rows:
        frame = frame.head(max_rows)
    units = dict(units or {})
    unit_of = {c: units.get(str(c)) or column_unit(c, frame[c]) for c in frame.columns}
    text = pd.DataFrame({i: [format_value(v, unit_of[c], lang, c) for v in frame[c].tolist()]
                         for i, c in enumerate(frame.columns)}, index=range(len(frame)))
    heads = [(labels or {}).get(str(c)) or column_label(c, lang) for c in frame.columns]
    text.columns = _unique(heads)
    styler = text.style.hide(axis="index").set_table_attributes(f'class="{css_class}"')
    change_cols = [text.columns[i] for i, c in enumerate(frame.columns) if unit_of[c] in ("change", "change_pct")]
    if change_cols:
        colours = pd.DataFrame("", index=text.index, columns=text.columns)
        for i, c in enumerate(frame.columns):
            if unit_of[c] in ("change", "change_pct"):
                colours.iloc[:, i] = [change_colour(v) for v in frame[c].tolist()]
        styler = styler.apply(lambda _: colours, axis=None)
    numeric = [text.columns[i] for i, c in enumerate(frame.columns) if unit_of[c] not in ("text", "date", "month")]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    words = [c for c in text.columns if c not in numeric]
    if words:
        styler = styler.set_properties(subset=words, **{"text-align": "left"})
    right = set(numeric)
    styler = styler.map_index(lambda h: "text-align:right" if h in right else "text-align:left", axis="columns")
    notes = [caption] if caption else []
    if currency and any(u == "money" for u in unit_of.values()):
        notes.append(f"金额单位：{currency}" if lang == "zh" else f"Money in {currency}")
    if max_rows is not None and total > max_rows:
        notes.append(f"显示前 {max_rows} 行，共 {total} 行" if lang == "zh" else f"first {max_rows} of {total} rows")
    if notes:
        styler = styler.set_caption(html.escape(" · ".join(notes)))
    return styler


def _unique(heads: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in heads:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


def table_html(df: pd.DataFrame | pd.Series, **kwargs: Any) -> str:
    """:func:`format_table` as an HTML string (``kwargs`` as there)."""
    return format_table(df, **kwargs).to_html()
