"""Content forms, "high conversion, low exposure" opportunities and label consistency."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from ..metrics import summarize

__all__ = ["form_performance", "high_gpm_low_exposure", "content_opportunities", "entropy",
           "label_dispersion", "split_tags"]


def _exposure_col(table: pd.DataFrame) -> str | None:
    for c in ("exposure_pv", "exposure_uv", "view_pv"):
        if c in table and table[c].notna().any():
            return c
    return None


def form_performance(content: pd.DataFrame) -> pd.DataFrame:
    """GPM, exposure and GMV per content form (知识分享, 街拍, 好物分享, 剧情植入 …).

    Returns
    -------
    DataFrame
        Index ``content_form``; ``rows, paid_amount, views, exposures, gpm,
        exposure_view_rate_pv, gmv_share``; largest GPM first. Empty when there is no
        ``content_form``.
    """
    if "content_form" not in content or content["content_form"].notna().sum() == 0:
        return pd.DataFrame()
    t = content.loc[content["content_form"].notna().to_numpy(dtype=bool)]
    metrics = [m for m in ("paid_amount", "gmv", "views", "exposures", "gpm", "exposure_view_rate_pv")
               if m in ("gpm", "views", "gmv") or (m == "paid_amount" and "paid_amount" in t)
               or (m in ("exposures", "exposure_view_rate_pv") and "exposure_pv" in t)]
    s = summarize(t, by="content_form", metrics=metrics)
    return s.sort_values("gpm", ascending=False)


def high_gpm_low_exposure(frame: pd.DataFrame, gpm: str = "gpm", exposure: str = "exposure",
                          gpm_quantile: float = 0.75, exposure_quantile: float = 0.5) -> pd.Series:
    """True for rows whose GPM is in the top quartile and exposure in the bottom half.

    The seed's point: high-conversion, low-exposure content will get its chance as the
    recommender learns, so these deserve more traffic now.

    Examples
    --------
    >>> f = pd.DataFrame({"gpm": [100, 200, 300, 900], "exposure": [50, 10, 90, 20]})
    >>> high_gpm_low_exposure(f).tolist()
    [False, False, False, True]
    """
    g_cut = frame[gpm].quantile(gpm_quantile)
    e_cut = frame[exposure].quantile(exposure_quantile)
    return ((frame[gpm] >= g_cut) & (frame[exposure] <= e_cut)).fillna(False).astype(bool)


def content_opportunities(content: pd.DataFrame, level: str = "content_id", min_views: float = 500) -> pd.DataFrame:
    """GPM and exposure per content item (or account) with the opportunity flag.

    Parameters
    ----------
    content : DataFrame
        Content rows of one currency.
    level : {"content_id", "account_name"}
        Items or accounts.
    min_views : float
        Items with fewer views are left out.

    Returns
    -------
    DataFrame
        ``level, fact_channel, content_type/…, paid_amount, views, exposure, gpm,
        opportunity`` sorted by GPM.
    """
    exp_col = _exposure_col(content)
    if content.empty or exp_col is None:
        return pd.DataFrame()
    keys = [level] + [c for c in ("fact_channel",) if c in content and c != level]
    metrics = ["gpm", "views", "paid_amount" if "paid_amount" in content else "gmv"]
    s = summarize(content, by=keys, metrics=metrics, share=False)
    s["exposure"] = content.groupby(keys, dropna=False, observed=True)[exp_col].sum(min_count=1).astype(float)
    s = s[s["views"].fillna(0) >= min_views].dropna(subset=["gpm", "exposure"])
    if s.empty:
        return pd.DataFrame()
    s["opportunity"] = high_gpm_low_exposure(s)
    if level == "content_id":
        extra = content.drop_duplicates("content_id").set_index("content_id")
        for c in ("content_type", "account_name", "content_form", "title"):
            if c in extra:
                s[c] = s.index.get_level_values("content_id").map(extra[c])
    s.attrs["exposure_column"] = exp_col
    return s.drop(columns="rows").reset_index().sort_values("gpm", ascending=False).reset_index(drop=True)


def split_tags(tags: pd.Series) -> pd.Series:
    """Comma-separated tags (half- or full-width commas, 、) as lists of stripped tags."""
    return tags.astype("string").fillna("").str.replace("，", ",").str.replace("、", ",").str.split(",").map(
        lambda xs: [x.strip() for x in xs if x and x.strip()])


def entropy(labels: Iterable[str], normalise: bool = False) -> float:
    """Shannon entropy (bits) of the label counts; ``normalise`` divides by log2(k).

    Examples
    --------
    >>> entropy(["a", "a", "b", "b"])
    1.0
    >>> round(entropy(["a", "a", "a", "b"]), 4)
    0.8113
    >>> entropy(["a", "a"]), entropy(["a", "b", "c", "d"], normalise=True)
    (0.0, 1.0)
    """
    counts = Counter(labels)
    n = sum(counts.values())
    if n == 0:
        return float("nan")
    h = -sum(c / n * math.log2(c / n) for c in counts.values())
    if normalise:
        k = len(counts)
        return 0.0 if k <= 1 else h / math.log2(k)
    return h + 0.0


def label_dispersion(content: pd.DataFrame, min_items: int = 5, column: str = "tags") -> pd.DataFrame:
    """Per account: how scattered its content's tags are (entropy) and its GPM.

    A high entropy means the account posts across many unrelated labels — the seed's
    账号标签混乱, which confuses the recommender about whom to show it to.

    Returns
    -------
    DataFrame
        Index ``account_name``; ``items, distinct_tags, entropy`` (bits),
        ``entropy_norm`` (÷ log2 distinct tags), ``top_tag_share``, ``gpm``, ``fact_channel``.
        The Spearman correlation of entropy and GPM across accounts is in
        ``.attrs["spearman"]`` (NaN with fewer than 5 accounts).
    """
    if column not in content or content[column].notna().sum() == 0:
        return pd.DataFrame()
    t = content.loc[content[column].notna().to_numpy(dtype=bool)]
    t = t.assign(tag_list_=split_tags(t[column]))
    rows = []
    for acct, g in t.groupby("account_name", observed=True):
        if len(g) < min_items:
            continue
        labels = [x for xs in g["tag_list_"] for x in xs]
        if not labels:
            continue
        cnt = Counter(labels)
        rows.append({"account_name": acct, "items": len(g), "distinct_tags": len(cnt),
                     "entropy": entropy(labels), "entropy_norm": entropy(labels, normalise=True),
                     "top_tag_share": cnt.most_common(1)[0][1] / len(labels)})
    if not rows:
        return pd.DataFrame()
    out = pd.DataFrame(rows).set_index("account_name")
    s = summarize(t, by="account_name", metrics=["gpm"], share=False)
    out["gpm"] = s["gpm"].reindex(out.index)
    if "fact_channel" in t:
        out["fact_channel"] = t.groupby("account_name", observed=True)["fact_channel"].agg(
            lambda x: x.mode().iloc[0]).reindex(out.index)
    ok = out[["entropy", "gpm"]].dropna()
    out.attrs["spearman"] = (float(ok["entropy"].rank().corr(ok["gpm"].rank())) if len(ok) >= 5
                             else float("nan"))
    return out.sort_values("entropy", ascending=False)
