"""What-if baseline in words: the baseline as a readable, labelled table (zh/en)."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["baseline_table", "describe_baseline"]


_DESCRIBE: dict[str, tuple[str, str]] = {
    "traffic": ("周流量入口量(非大促日)", "Traffic / week (non-campaign days)"),
    "paid_traffic": ("其中付费", "of which paid"),
    "view_rate": ("曝光-观看率", "Exposure→view"),
    "product_rate": ("观看-商品曝光率", "View→product exposure"),
    "ctr": ("商品点击率", "Product CTR"),
    "cvr": ("点击-成交转化率", "Click→order"),
    "aov": ("客单价", "AOV"),
    "gpm": ("GPM(反馈指标)", "GPM (feedback metric)"),
    "gmv": ("周成交金额", "GMV / week"),
    "ad_spend": ("周投放消耗", "Ad spend / week"),
    "commission_rate": ("佣金率", "Commission rate"),
    "content_count": ("周内容量", "Content / week"),
    "accounts": ("周活跃账号/达人", "Active accounts / week"),
    "campaign_share": ("大促天数占比(近一年,预测默认)", "Campaign-day share (last year, horizon default)"),
    "window_campaign_share": ("窗口内大促天数占比", "Campaign-day share in the window"),
    "campaign_lift": ("大促流量提升", "Campaign traffic lift"),
    "baseline_days": ("基线取数日", "Baseline days"),
    "reason": ("说明", "Note"),
}


def describe_baseline(base: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The baseline as a readable table: one row per channel, labelled columns, rounded.

    Unavailable channels keep their reason and blank numbers.
    """
    i = 0 if lang == "zh" else 1
    out = base[list(_DESCRIBE)].copy()
    for c in out.columns:
        if c in ("reason", "baseline_days"):
            continue
        digits = 4 if c in ("view_rate", "product_rate", "ctr", "cvr", "commission_rate", "campaign_share",
                            "window_campaign_share", "campaign_lift") else 1
        out[c] = pd.to_numeric(out[c], errors="coerce").round(digits)
    out["reason"] = [r if r else ("可用" if lang == "zh" else "available") for r in base["reason"]]
    out.columns = [_DESCRIBE[c][i] for c in out.columns]
    out.index.name = "渠道" if lang == "zh" else "channel"
    return out


_DESCRIBE_UNITS = {"traffic": "count", "paid_traffic": "count", "view_rate": "rate", "product_rate": "rate",
                   "ctr": "rate", "cvr": "rate", "aov": "money", "gpm": "money", "gmv": "money", "ad_spend": "money",
                   "commission_rate": "rate", "content_count": "number", "accounts": "number",
                   "campaign_share": "rate", "window_campaign_share": "rate", "campaign_lift": "change",
                   "baseline_days": "text", "reason": "text"}


def baseline_table(base: pd.DataFrame, lang: str = "zh") -> Any:
    """The baseline for a page: :func:`describe_baseline`'s rows through
    :func:`fact_toolkit.formatting.format_table` (rates as %, money compact, currency once)."""
    from ..formatting import format_table

    i = 0 if lang == "zh" else 1
    out = base[list(_DESCRIBE)].copy()
    out["reason"] = [r if r else ("可用" if lang == "zh" else "available") for r in base["reason"]]
    out.index.name = "channel"
    cur = [c for c in base["currency"].dropna().astype(str).unique()] if "currency" in base else []
    return format_table(out, lang=lang, units=_DESCRIBE_UNITS, labels={k: v[i] for k, v in _DESCRIBE.items()},
                        currency=cur[0] if len(cur) == 1 else None)
