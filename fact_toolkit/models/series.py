"""Daily GPM, views and GMV series per channel or account, as ratios of sums.

:func:`daily_series` turns any table with a ``date`` column (the :attr:`Dataset.daily`
panel, ``content`` rows, a loaded Compass daily overview, or
:func:`fact_toolkit.sample.simulate_account` output) into one row per group × calendar
day.  Additive columns are summed first and GPM is computed from the sums
(``Σ paid ÷ Σ views × 1000``); a day with no views has GPM *missing*, never 0, and a day
with no rows at all is present with missing values (a gap), so lags stay calendar lags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError
from ..metrics import ratio, row_parts

__all__ = ["SERIES_COLUMNS", "daily_series", "rolling_gpm", "split_groups", "money_column", "gpm_money"]

#: additive columns carried into a series (those present)
SERIES_COLUMNS: tuple[str, ...] = (
    "exposure_pv", "view_pv", "paid_amount", "gmv", "ad_spend",
    "organic_exposure_pv", "paid_exposure_pv",
)

ALL = "all"


def money_column(table: pd.DataFrame) -> str:
    """``paid_amount`` when the table has any, else ``gmv`` (one choice per table).

    Use it on one currency's rows only (a :func:`daily_series` group never mixes
    currencies); :func:`gpm_money` chooses within each currency.
    """
    if "paid_amount" in table and pd.to_numeric(table["paid_amount"], errors="coerce").notna().any():
        return "paid_amount"
    if "gmv" in table:
        return "gmv"
    raise FactInputError("data", "no paid_amount or gmv column", fix="load an export with 用户支付金额 or 成交金额")


def gpm_money(table: pd.DataFrame) -> np.ndarray:
    """Per row, the amount GPM counts: paid amount (else GMV) on rows that have views.

    The money column is chosen within each currency (paid amount when that currency's
    rows have any, else GMV — TikTok reports GMV only), as
    :func:`fact_toolkit.metrics.summarize` does, and a row of a platform with its own
    definition uses it (TikTok LIVE: Direct GMV; see ``docs/platform_metrics.md``); a row
    without ``view_pv`` (e.g. a shelf row) gives NaN, so GPM pairs its numerator with its
    denominator.

    Examples
    --------
    >>> t = pd.DataFrame({"currency": ["CNY", "CNY", "USD"], "view_pv": [100, None, 50],
    ...                   "paid_amount": [10.0, 99.0, None], "gmv": [11.0, 100.0, 5.0]})
    >>> gpm_money(t).tolist()   # CNY paid with views; shelf row dropped; USD falls back to GMV
    [10.0, nan, 5.0]
    """
    if "gpm_money" in table:  # already paired (a daily_series frame)
        return pd.to_numeric(table["gpm_money"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if "paid_amount" not in table and "gmv" not in table:
        money_column(table)  # raises the one-line error
    n = len(table)
    if "view_pv" not in table:
        return np.full(n, np.nan)
    # the registry's GPM numerator of each row (paid amount, else GMV, within its currency;
    # a platform's own definition on its rows: TikTok LIVE divides Direct GMV)
    money, views = row_parts(table, "gpm")
    return np.where(np.isnan(views), np.nan, money)


def _table(data: Any) -> pd.DataFrame:
    # look for ``daily`` on the class: hasattr on the instance would build the panel once more
    if hasattr(type(data), "daily") and hasattr(data, "tables"):
        return data.daily
    if isinstance(data, pd.DataFrame):
        return data
    raise FactInputError("data", f"expected a Dataset or DataFrame, got {type(data).__name__}",
                         fix="pass ft.load(...) or its .daily table")


def _ads(data: Any, ads: pd.DataFrame | None) -> pd.DataFrame | None:
    """The ad report (千川) with impressions per date × account, when there is one."""
    if ads is None and hasattr(data, "tables"):
        ads = data.tables.get("ads")
    if ads is None or not {"date", "impressions", "account_id"} <= set(ads.columns):
        return None
    imp = pd.to_numeric(ads["impressions"], errors="coerce")
    if imp.notna().sum() == 0:
        return None
    return pd.DataFrame({"date": pd.to_datetime(ads["date"]).dt.normalize().to_numpy(),
                         "account_id": ads["account_id"].astype(str).to_numpy(), "impressions": imp.to_numpy()})


def rolling_gpm(num: pd.Series | np.ndarray, views: pd.Series | np.ndarray, window: int = 7) -> np.ndarray:
    """Trailing ratio-of-sums GPM over ``window`` days ending on each day (inclusive).

    Missing days count as nothing in both sums; a window with no views gives NaN.

    Examples
    --------
    >>> rolling_gpm([100.0, 300.0, np.nan], [1000, 1000, np.nan], window=2).round(1).tolist()
    [100.0, 200.0, 300.0]
    """
    n = pd.Series(np.asarray(num, dtype=float))
    v = pd.Series(np.asarray(views, dtype=float))
    ok = n.notna() & v.notna() & (v > 0)
    s_num = n.where(ok, 0.0).rolling(window, min_periods=1).sum()
    s_v = v.where(ok, 0.0).rolling(window, min_periods=1).sum()
    return ratio("gpm", s_num.to_numpy(), s_v.to_numpy())


def daily_series(data: Any, by: str | None = "fact_channel", *, groups: Sequence[str] | str | None = None,
                 start: Any = None, end: Any = None, ads: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per group × calendar day with summed traffic and money, and GPM.

    Parameters
    ----------
    data : Dataset or pandas.DataFrame
        A loaded dataset (its ``daily`` panel is used) or any table with ``date``.
    by : str or None, default "fact_channel"
        Grouping column (``fact_channel``, ``account_id``, …); None or ``"all"`` gives one
        group named ``"all"``.  A group whose rows hold more than one currency is split
        by currency (``"all (CNY)"``, ``"all (USD)"``): yuan and dollars are never added.
    groups : str or list of str, optional
        Keep only these groups.
    start, end : date-like, optional
        Keep days in ``[start, end]``.
    ads : pandas.DataFrame, optional
        An ad report (canonical ``ads``: ``date, account_id, impressions``); taken from
        the Dataset when it has one.  Its impressions become ``paid_exposure_pv`` of the
        group the account belongs to (only when the table has no ``paid_exposure_pv``),
        so the snowball can separate organic from paid traffic.

    Returns
    -------
    pandas.DataFrame
        ``group, date, exposure_pv, view_pv, paid_amount, gmv, ad_spend`` (those present;
        plus ``organic_exposure_pv``/``paid_exposure_pv`` when known; ``gmv`` and
        ``paid_amount`` are the full totals), ``gpm_money`` (the amount GPM counts:
        paid amount, else GMV within the currency, on rows with views only — see
        :func:`gpm_money`), ``campaign_id`` (the day's campaign when any row had one),
        ``observed`` (the day had rows), ``currency`` (the group's currency, "" when
        unknown), ``gpm`` (day, ``Σ gpm_money ÷ Σ view_pv × 1000``, NaN without views)
        and ``gpm7`` (trailing 7 days ending that day, ratio of sums).  Sorted by group and date; every calendar day
        between a group's first and last day is present.

    Examples
    --------
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-03"]),
    ...                   "view_pv": [1000, 3000, 0], "paid_amount": [100.0, 900.0, 0.0]})
    >>> s = daily_series(t, by=None)
    >>> s["gpm"].round(1).tolist()   # (100+900)/4000*1000; gap; zero views -> NaN
    [250.0, nan, nan]
    """
    table = _table(data)
    if table.attrs:  # e.g. the simulator's law: pandas would deep-copy it on every operation
        table = table.copy(deep=False)
        table.attrs = {}
    if "date" not in table:
        raise FactInputError("data", "no date column", fix="load a table with a 日期/date column")
    if by in (None, ALL):
        by = None
    elif by not in table:
        raise FactInputError("--by", f"no column {by!r} in the data",
                             fix=f"choose from: {', '.join(map(str, table.columns))}")
    gm = gpm_money(table)
    cols = [c for c in SERIES_COLUMNS if c in table]
    t = pd.DataFrame({c: pd.to_numeric(table[c], errors="coerce").astype(float) for c in cols})
    t["gpm_money"] = gm
    cols.append("gpm_money")
    t["date"] = pd.to_datetime(table["date"]).dt.normalize().to_numpy()
    label = pd.Series(ALL, index=table.index, dtype=object) if by is None else table[by].astype(object).fillna("(missing)").astype(str)
    if "currency" in table and table["currency"].nunique(dropna=False) > 1:
        cur = table["currency"].astype(object).fillna("?").astype(str)
        mixed = pd.DataFrame({"g": label, "c": cur}).groupby("g")["c"].transform("nunique") > 1
        label = label.where(~mixed, label + " (" + cur + ")")
    t["group"] = label.to_numpy()
    cur_col = (table["currency"].astype(object).fillna("").astype(str).to_numpy() if "currency" in table
               else np.full(len(table), "", dtype=object))
    t["currency"] = cur_col
    t["campaign_id"] = (table["campaign_id"].astype(object).to_numpy() if "campaign_id" in table
                        else np.full(len(table), None, dtype=object))
    if start is not None:
        t = t[t["date"] >= pd.Timestamp(start)]
    if end is not None:
        t = t[t["date"] <= pd.Timestamp(end)]
    if groups is not None:
        wanted = [groups] if isinstance(groups, str) else list(groups)
        missing = [g for g in wanted if g not in set(t["group"])]
        if missing:
            raise FactInputError("group", f"no data for {', '.join(missing)}",
                                 fix=f"choose from: {', '.join(sorted(set(t['group'])))}")
        t = t[t["group"].isin(wanted)]
    ad = _ads(data, ads) if "paid_exposure_pv" not in t and "account_id" in table else None
    paid = None
    if ad is not None:
        acct = pd.DataFrame({"account_id": table["account_id"].astype(str).to_numpy(), "group": label.to_numpy()})
        owner = acct.groupby("account_id", sort=True)["group"].agg(lambda v: v.mode().iloc[0])
        ad = ad.assign(group=ad["account_id"].map(owner)).dropna(subset=["group"])
        if len(ad):
            paid = ad.groupby(["group", "date"], sort=True)["impressions"].sum(min_count=1)
            cols.append("paid_exposure_pv")
    out = []
    for g, sub in t.groupby("group", sort=True):
        agg = sub.groupby("date", sort=True)[[c for c in cols if c in sub]].sum(min_count=1)
        if paid is not None:
            agg["paid_exposure_pv"] = (paid.xs(g, level="group").reindex(agg.index).to_numpy()
                                       if g in paid.index.get_level_values("group") else np.nan)
        curs = sorted(set(sub["currency"]) - {""})
        camp = sub.dropna(subset=["campaign_id"]).groupby("date", sort=True)["campaign_id"].first()
        full = pd.date_range(agg.index.min(), agg.index.max(), freq="D")
        observed = full.isin(agg.index)
        agg = agg.reindex(full)
        agg.index.name = "date"
        agg = agg.reset_index()
        agg.insert(0, "group", g)
        agg["campaign_id"] = pd.array(camp.reindex(full).to_numpy(dtype=object), dtype="string")
        agg["observed"] = observed
        agg["currency"] = curs[0] if len(curs) == 1 else ""
        out.append(agg)
    if not out:
        return pd.DataFrame(columns=["group", "date", *cols, "campaign_id", "observed", "currency", "gpm", "gpm7"])
    s = pd.concat(out, ignore_index=True)
    views = s["view_pv"] if "view_pv" in s else pd.Series(np.nan, index=s.index)
    s["gpm"] = ratio("gpm", s["gpm_money"], views).to_numpy()
    s["gpm7"] = np.concatenate([rolling_gpm(sub["gpm_money"], sub["view_pv"] if "view_pv" in sub
                                            else np.nan * sub["gpm_money"])
                                for _, sub in s.groupby("group", sort=True)])
    return s


def split_groups(series: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``{group: that group's rows}`` of a :func:`daily_series` frame (or one unnamed group)."""
    if "group" not in series:
        return {ALL: series.reset_index(drop=True)}
    return {str(g): sub.reset_index(drop=True) for g, sub in series.groupby("group", sort=True)}
