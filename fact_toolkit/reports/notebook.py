"""Helpers the report notebooks call: parameter checks with one clear message.

``resolve_data_path`` finds a path as :func:`fact_toolkit.paths.find_path` does (the one
rule every notebook uses) and adds this notebook's parameter check and message.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import FactInputError
from ..findings import Finding
from ..formatting import format_value
from ..paths import find_path

__all__ = ["LANGS", "resolve_data_path", "check_lang", "overview_parameters", "overview_table", "overview_headline",
           "overview_finding", "overview_findings"]

LANGS = ("zh", "en")
OVERVIEW_COLUMNS = ["gmv", "paid_amount", "views", "gpm", "ad_spend", "roi", "refund_rate", "gmv_share"]


def resolve_data_path(data_path: str | Path, parameter: str = "data_path") -> Path:
    """An existing file or folder: absolute as is; relative to the working directory, one of
    its parents (a notebook run from ``notebooks/``) or the repository root.

    Raises
    ------
    FactInputError
        When nothing exists at any of those places.
    """
    if not isinstance(data_path, (str, Path)) or not str(data_path).strip():
        raise FactInputError(parameter, f"{data_path!r} is not a path", fix='set e.g. data_path = "data/sample"')
    p = find_path(data_path)
    if p.exists():
        return p.resolve()
    raise FactInputError(parameter, f"{data_path} does not exist",
                         fix="point it at a folder of exports (relative paths start at the project root)")


def check_lang(lang: str) -> str:
    """``zh`` or ``en``, else one clear error."""
    if lang not in LANGS:
        raise FactInputError("lang", f"{lang!r} is not a supported language", fix="use 'zh' or 'en'")
    return lang


def overview_parameters(data_path: str | Path, lang: str) -> Path:
    """Validate the overview notebook's parameters; return the resolved data path."""
    check_lang(lang)
    return resolve_data_path(data_path)


def overview_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The overview columns of a channel summary (those present), rounded for reading."""
    cols = [c for c in OVERVIEW_COLUMNS if c in summary.columns]
    return summary[cols].round(4)


def overview_headline(summary: pd.DataFrame, lang: str = "zh") -> str:
    """One sentence: which channel sells most and which converts views best (per currency)."""
    check_lang(lang)
    parts = []
    frame = summary.reset_index()
    cur_col = "currency" if "currency" in frame else None
    groups = frame.groupby(cur_col, sort=True) if cur_col else [(None, frame)]
    ch_col = "fact_channel" if "fact_channel" in frame else frame.columns[0]
    for cur, g in groups:
        g = g[g["gmv"].notna()] if "gmv" in g else g
        if g.empty:
            continue
        top = g.loc[g["gmv"].astype("float64").idxmax()]
        gpm = g[g["gpm"].notna()] if "gpm" in g else g.iloc[0:0]
        best = gpm.loc[gpm["gpm"].astype("float64").idxmax()] if len(gpm) else None
        c = f" ({cur})" if cur is not None else ""
        gmv, share = float(top["gmv"]), float(top.get("gmv_share", float("nan")))
        if lang == "zh":
            s = f"{top[ch_col]} 渠道成交金额最高{c}：{format_value(gmv, 'money', lang)}，占 {share:.0%}"
            if best is not None:
                s += f"；{best[ch_col]} 的 GPM 最高（{float(best['gpm']):,.1f}）"
        else:
            s = f"{top[ch_col]} sells most{c}: GMV {format_value(gmv, 'money', lang)}, {share:.0%} of the total"
            if best is not None:
                s += f"; {best[ch_col]} has the highest GPM ({float(best['gpm']):,.1f})"
        parts.append(s)
    if not parts:
        return "没有可用的成交数据。" if lang == "zh" else "No sales in the data."
    return ("。".join(parts) + "。") if lang == "zh" else (". ".join(parts) + ".")


def overview_finding(summary: pd.DataFrame, lang: str = "zh") -> Finding:
    """:func:`overview_headline` as a page finding; its GMV at stake is the top channel's GMV."""
    gmv = pd.to_numeric(summary["gmv"], errors="coerce") if "gmv" in summary else pd.Series(dtype=float)
    stake = float(gmv.max()) if gmv.notna().any() else float("nan")
    return Finding(overview_headline(summary, lang), stake, "overview-headline")


def overview_findings(summary: pd.DataFrame, lang: str = "zh") -> list[Finding]:
    """The overview page's findings, each with the GMV it concerns (main currency: the largest GMV).

    The channel that sells most (its GMV), the one that turns views into sales best and
    the one that does worst (each: its GMV), and the highest refund rate (its refunds).
    """
    check_lang(lang)
    frame = summary.reset_index()
    ch = "fact_channel" if "fact_channel" in frame else frame.columns[0]
    if "currency" in frame and frame["currency"].notna().any() and "gmv" in frame:
        cur = frame.groupby("currency")["gmv"].sum().idxmax()
        frame = frame[frame["currency"] == cur]
    else:
        cur = None
    out = [overview_finding(summary, lang)]
    money = (lambda v: format_value(v, "money", lang) + (f" {cur}" if cur else ""))
    zh = lang == "zh"
    if "gpm" in frame and frame["gpm"].notna().sum() >= 2 and "gmv" in frame:
        g = frame[frame["gpm"].notna()]
        lo = g.loc[g["gpm"].astype("float64").idxmin()]
        hi = g.loc[g["gpm"].astype("float64").idxmax()]
        out.append(Finding(
            f"{lo[ch]} 的 GPM 最低（{float(lo['gpm']):,.0f}，最高的 {hi[ch]} 为 {float(hi['gpm']):,.0f}），"
            f"其成交金额 {money(float(lo['gmv']))}。" if zh else
            f"{lo[ch]} has the lowest GPM ({float(lo['gpm']):,.0f} against {float(hi['gpm']):,.0f} for {hi[ch]}) "
            f"on GMV of {money(float(lo['gmv']))}.", float(lo["gmv"]), "overview-gpm"))
    if "refund_rate" in frame and frame["refund_rate"].notna().any() and "gmv" in frame:
        r = frame.loc[frame["refund_rate"].astype("float64").idxmax()]
        refunds = float(r["refund_rate"]) * float(r["gmv"])
        out.append(Finding(
            f"{r[ch]} 的退款率最高：{format_value(r['refund_rate'], 'rate', lang)}，约 {money(refunds)} 退款。" if zh else
            f"{r[ch]} has the highest refund rate: {format_value(r['refund_rate'], 'rate', lang)}, about "
            f"{money(refunds)} refunded.", refunds, "overview-refunds"))
    return out
