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
           "overview_finding"]

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
