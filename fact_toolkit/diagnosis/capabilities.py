"""The four capabilities (内容力, 品牌力, 产品力, 价格力) as 0–100 scores, and the lever they point to.

Each capability is the mean of metric scores. A metric with a peer benchmark is scored
over the whole selected range against the peers' p25/p50/p75 (p25 → 25, p50 → 50, p75 →
75, linear in between and beyond, clipped 0–100). A metric without one is scored on the
brand's own history: the last complete month against the p25/p50/p75 of the earlier
complete months (at least three; a partial month at either end of the range is left out). Metrics the data lack are listed as not available and left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import EXTRA_METRICS, Metric, compute
from ._base import add_period, percentile_score, period_coverage

__all__ = ["CAPABILITIES", "CAPABILITY_METRICS", "LEVERS", "metric_value", "capability_scores",
           "recommend_lever", "summarize_capabilities"]

#: capability keys with zh/en names
CAPABILITIES: dict[str, tuple[str, str]] = {
    "content": ("内容力", "Content"),
    "brand": ("品牌力", "Brand"),
    "product": ("产品力", "Product"),
    "price": ("价格力", "Price"),
}

#: (capability, metric, table it is computed on, lower is better)
CAPABILITY_METRICS: tuple[tuple[str, str, str, bool], ...] = (
    ("content", "gpm", "content", False),
    ("content", "exposure_view_rate", "content", False),
    ("content", "avg_watch_sec", "content", False),
    ("content", "completion_rate", "content", False),
    ("content", "interaction_rate", "content", False),
    ("brand", "search_after_view_share", "content", False),
    ("brand", "followers_per_1k_views", "content", False),
    ("brand", "fan_buyer_share", "content", False),
    ("product", "click_order_rate", "facts", False),
    ("product", "product_gpm_uv", "facts", False),
    ("product", "refund_rate", "facts", True),
    ("price", "aov", "facts", True),
    ("price", "discount_depth", "facts", False),
)

#: the seed's mapping from the strongest capability to the lever to push — one table
LEVERS: pd.DataFrame = pd.DataFrame(
    [
        ("content", "F", "商家自播矩阵 (F)", "self-broadcast matrix (F)",
         "内容做得好，自己的直播和短视频就能以更低成本触达目标用户：多开自播账号、多播，把内容优势变成稳定的日常销售和粉丝沉淀。",
         "Good content reaches the right viewers at a lower cost, so your own lives and videos are the cheapest "
         "traffic you can buy: open more self-broadcast accounts and sessions and turn that into steady daily "
         "sales and followers."),
        ("brand", "T+A", "头部大V (T) + 达人矩阵 (A)", "top KOLs (T) + talent matrix (A)",
         "品牌有号召力，用户更容易被说服：与调性相符的头部大V和达人矩阵合作，能迅速放大影响、拉动销售和知名度。",
         "A brand with pull converts people more easily: partner with top KOLs and a talent matrix that match your "
         "style to spread quickly and turn reach into sales and awareness."),
        ("product", "F+A", "商家自播 (F) + 达人矩阵 (A)", "self-broadcast (F) + talent matrix (A)",
         "产品本身有竞争力，点击后就能成交：通过自播和达人矩阵尽快铺开销售渠道，让更多人看到产品。",
         "The goods sell themselves once people click: widen distribution quickly through your own lives and a "
         "talent matrix so more people get to see them."),
        ("price", "A", "达人矩阵 (A)", "talent matrix (A)",
         "同等品质下价格有优势，达人更愿意带、用户更愿意买：扩大达人矩阵，用佣金和流量支持吸引更多达人带货。",
         "At equal quality your prices win, so talents like to carry you and buyers like to buy: grow the talent "
         "matrix, with commission and traffic support to attract more of them."),
    ],
    columns=["capability", "channels", "lever_zh", "lever_en", "reason_zh", "reason_en"],
)

_CUSTOM: dict[str, Metric] = {
    "completion_rate": Metric("completion_rate", ("completion_rate",), ("view_pv",), weight="view_pv",
                              label_zh="完播率", label_en="Completion rate"),
    "interaction_rate": Metric("interaction_rate", ("interactions_",), ("view_pv",),
                               label_zh="互动率", label_en="Interaction rate"),
    "search_after_view_share": Metric("search_after_view_share", ("search_after_view_amount",), ("paid_amount",),
                                      label_zh="看后搜支付占比", label_en="Search-after-view share"),
    "followers_per_1k_views": EXTRA_METRICS["followers_per_1k_views"],
    "fan_buyer_share": EXTRA_METRICS["fan_buyer_share"],
    "product_gpm_uv": Metric("product_gpm_uv", ("paid_amount", "gmv"), ("product_exposure_uv",), scale=1000.0,
                             label_zh="千人商品曝光成交", label_en="Paid per 1K product-exposed people"),
    "discount_depth": Metric("discount_depth", ("gmv",), ("gmv",), subtract=("paid_amount",),
                             label_zh="补贴深度", label_en="Discount depth"),
}


def _prepare(table: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("likes", "comments", "shares") if c in table]
    if cols and "interactions_" not in table:
        parts = table[cols].astype("Float64")
        inter = parts.sum(axis=1, min_count=len(cols)).astype("Float64")
        table = table.assign(interactions_=inter)
    return table


def metric_value(table: pd.DataFrame, metric: str) -> float:
    """One capability metric over ``table`` (ratio of sums); NaN when the columns are absent.

    Examples
    --------
    >>> t = pd.DataFrame({"gmv": [100.0, 100.0], "paid_amount": [90.0, 80.0]})
    >>> round(metric_value(t, "discount_depth"), 3)
    0.15
    """
    from ..metrics import METRICS

    m = _CUSTOM.get(metric) or METRICS.get(metric)
    if m is None or table.empty:
        return float("nan")
    t = _prepare(table)
    if m.missing(t.columns):
        return float("nan")
    if not all(t[c].notna().any() for c in m.columns if c in t and c not in ("paid_amount", "gmv")):
        return float("nan")
    return compute(t, m)


def _months(table: pd.DataFrame,
            span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> dict[object, pd.DataFrame]:
    """The table's rows per complete calendar month (ascending), prepared once for every metric."""
    t = add_period(_prepare(table), "M")
    cov = period_coverage(t["date"], "M", span)
    done = set(cov.index[cov["complete"].to_numpy(dtype=bool)])
    months = [m for m in sorted(t["period"].dropna().unique()) if m in done]
    period = t["period"]
    return {mo: t.loc[(period == mo).to_numpy(dtype=bool)] for mo in months}


def _own_history(table: pd.DataFrame | dict[object, pd.DataFrame],
                 metric: str) -> tuple[float, float, float, float, int]:
    parts = table if isinstance(table, dict) else _months(table)
    months = list(parts)
    vals = {mo: metric_value(part, metric) for mo, part in parts.items()}
    if not months:
        return (np.nan,) * 4 + (0,)
    cur = vals[months[-1]]
    hist = pd.Series([vals[m] for m in months[:-1]], dtype=float).dropna()
    if len(hist) < 3:
        return cur, np.nan, np.nan, np.nan, len(hist)
    q = hist.quantile([0.25, 0.5, 0.75]).to_numpy()
    return cur, float(q[0]), float(q[1]), float(q[2]), len(hist)


def capability_scores(content: pd.DataFrame, facts: pd.DataFrame,
                      benchmarks: pd.DataFrame | None = None, *,
                      span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Every capability metric: value, reference, basis and 0–100 score.

    Parameters
    ----------
    content, facts : DataFrame
        Content rows and all sales rows of **one currency**.
    benchmarks : DataFrame, optional
        ``metric, p25, p50, p75``.
    span : (Timestamp, Timestamp), optional
        The date range the tables stand for (first and last day; None: every
        month counts as complete); own-history scores use the months it covers completely.

    Returns
    -------
    DataFrame
        ``capability, metric, value, score, basis`` (``peer`` / ``own history`` / ``n/a``),
        ``p25, p50, p75``. Per-capability means: :func:`summarize_capabilities`.
    """
    peer = {}
    if benchmarks is not None and not benchmarks.empty:
        peer = {str(r.metric): (float(r.p25), float(r.p50), float(r.p75)) for r in benchmarks.itertuples()}
    rows = []
    tables = {"content": content, "facts": facts}
    monthly: dict[str, dict[object, pd.DataFrame]] = {}  # each table split by month once, not per metric
    for cap, metric, where, lower in CAPABILITY_METRICS:
        table = tables[where]
        if metric in peer:
            value = metric_value(table, metric)
            p25, p50, p75 = peer[metric]
            basis = "peer"
        else:
            if not table.empty and "date" in table:
                if where not in monthly:
                    monthly[where] = _months(table, span)
                value, p25, p50, p75, _ = _own_history(monthly[where], metric)
            else:
                value, p25, p50, p75 = (np.nan,) * 4
            basis = "own history"
        score = percentile_score(value, p25, p50, p75, lower_is_better=lower)
        if pd.isna(score):
            basis = "n/a"
        rows.append({"capability": cap, "metric": metric, "value": value, "score": score, "basis": basis,
                     "p25": p25, "p50": p50, "p75": p75, "lower_is_better": lower})
    return pd.DataFrame(rows)


def summarize_capabilities(metric_scores: pd.DataFrame) -> pd.DataFrame:
    """Mean score per capability over its available metrics (NaN when none is available).

    ``basis`` says what the scored metrics were measured against: ``peer``, ``own
    history``, ``peer + own history`` (mixed) or ``n/a``.

    Examples
    --------
    >>> m = pd.DataFrame({"capability": ["content", "content", "price"], "score": [40.0, 80.0, float("nan")],
    ...                   "basis": ["peer", "own history", "n/a"]})
    >>> s = summarize_capabilities(m)
    >>> s["score"].tolist(), s["basis"].tolist()
    ([60.0, nan, nan, nan], ['peer + own history', 'n/a', 'n/a', 'n/a'])
    """
    s = metric_scores.groupby("capability")["score"].agg(["mean", "count"])
    out = pd.DataFrame(index=list(CAPABILITIES))
    out["score"] = s["mean"].reindex(out.index)
    out["metrics_used"] = s["count"].reindex(out.index).fillna(0).astype(int)
    out["basis"] = "n/a"
    if "basis" in metric_scores:
        scored = metric_scores[metric_scores["score"].notna()]
        for cap, g in scored.groupby("capability"):
            kinds = [b for b in ("peer", "own history") if (g["basis"] == b).any()]
            if cap in out.index and kinds:
                out.loc[cap, "basis"] = " + ".join(kinds)
    out.index.name = "capability"
    return out


def recommend_lever(scores: pd.Series | dict[str, float]) -> pd.DataFrame:
    """Capabilities from strongest to weakest, each with the seed's lever and reason.

    The first row is the recommendation: push the lever of the strongest capability.

    Examples
    --------
    >>> recommend_lever({"content": 40, "brand": 75, "product": 60, "price": 20})["channels"].tolist()
    ['T+A', 'F+A', 'F', 'A']
    """
    s = pd.Series(scores, dtype=float).dropna().sort_values(ascending=False, kind="stable")
    out = LEVERS.set_index("capability").reindex(s.index)
    out.insert(0, "score", s)
    out.index.name = "capability"
    return out.reset_index()


