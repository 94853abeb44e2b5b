"""FACT(+S) classification and the campaign (C) overlay, configured in one place.

Rules, in order (a ``fact_channel`` already in the data wins):

1. a shelf carrier (商品卡, search, mall, store page) → **S**
2. an official or channel-authorised account, or one listed in ``own_accounts`` → **F**
3. an affiliate that meets the top-KOL rule (listed in ``top_kols``, flagged in the
   talents table, or with at least ``top_kol_min_followers`` followers) → **T**
4. any other affiliate → **A**
5. anything else → **other**

C is not a channel: :func:`assign_campaigns` sets ``campaign_id`` from a calendar, so a
618 day still has F, A, T and S sales.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd

from .schema import SHELF_CARRIERS

__all__ = ["ChannelRules", "classify", "assign_campaigns", "default_campaigns"]


@dataclass(frozen=True)
class ChannelRules:
    """How rows map to FACT channels.

    Attributes
    ----------
    top_kols : frozenset of str
        Account IDs or nicknames that are always T.
    top_kol_min_followers : int
        Followers at or above which an affiliate is T (500万 by default).
    own_accounts : frozenset of str
        Account IDs or nicknames of the brand's own accounts (F) when the export has no
        账号类型 column.
    """

    top_kols: frozenset[str] = field(default_factory=frozenset)
    top_kol_min_followers: int = 5_000_000
    own_accounts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def make(cls, top_kols: Iterable[str] | None = None, top_kol_min_followers: int = 5_000_000,
             own_accounts: Iterable[str] | None = None) -> ChannelRules:
        """Build rules from plain iterables."""
        return cls(frozenset(map(str, top_kols or ())), int(top_kol_min_followers),
                   frozenset(map(str, own_accounts or ())))


def _top_kol_ids(rules: ChannelRules, talents: pd.DataFrame | None) -> set[str]:
    ids = set(rules.top_kols)
    if talents is not None and len(talents):
        flag = pd.Series(False, index=talents.index)
        if "followers" in talents:
            flag |= (talents["followers"].astype("Float64") >= rules.top_kol_min_followers).fillna(False)
        if "is_top_kol" in talents:
            flag |= talents["is_top_kol"].astype("boolean").fillna(False)
        for col in ("talent_id", "nickname"):
            if col in talents:
                ids.update(talents.loc[flag.to_numpy(dtype=bool), col].dropna().astype(str))
    return ids


def classify(table: pd.DataFrame, rules: ChannelRules | None = None,
             talents: pd.DataFrame | None = None) -> pd.Series:
    """Return the FACT channel of every row.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of ``content``, ``products``, ``orders`` or ``daily``.
    rules : ChannelRules, optional
        Top-KOL and own-account configuration.
    talents : pandas.DataFrame, optional
        The ``talents`` table (followers, is_top_kol) for the top-KOL rule.

    Returns
    -------
    pandas.Series
        ``string`` dtype, values in F/A/T/S/other, same index as ``table``.

    Examples
    --------
    >>> t = pd.DataFrame({"account_id": ["a", "b", "c"],
    ...                   "account_type": ["official", "affiliate", "affiliate"]})
    >>> classify(t, ChannelRules.make(top_kols=["c"])).tolist()
    ['F', 'A', 'T']
    """
    rules = rules or ChannelRules()
    n = len(table)
    out = np.full(n, "other", dtype=object)

    def col(name: str) -> pd.Series:
        if name in table:
            return table[name].astype("string")
        return pd.Series(pd.NA, index=table.index, dtype="string")

    acct_type = col("account_type")
    ids, names = col("account_id"), col("account_name")
    top = _top_kol_ids(rules, talents)
    own = rules.own_accounts

    is_aff = (acct_type == "affiliate").fillna(False).to_numpy(dtype=bool)
    is_top = (ids.isin(top) | names.isin(top)).fillna(False).to_numpy(dtype=bool)
    is_own = (acct_type.isin(["official", "authorised"]) | ids.isin(own) | names.isin(own)
              ).fillna(False).to_numpy(dtype=bool)
    shelf = col("carrier").isin(list(SHELF_CARRIERS)).fillna(False).to_numpy(dtype=bool)

    out[is_aff] = "A"
    out[is_aff & is_top] = "T"
    out[is_own] = "F"
    out[shelf] = "S"
    result = pd.Series(out, index=table.index, dtype="string")
    if "fact_channel" in table:
        given = table["fact_channel"].astype("string")
        result = given.where(given.notna(), result)
    return result


def default_campaigns() -> pd.DataFrame:
    """The shipped campaign calendar (年货节, 38, 618, 818, 双11, 双12; dates approximate).

    Returns
    -------
    pandas.DataFrame
        Columns ``campaign_id, name, start, end, preheat_start, tier, approximate``.
    """
    with resources.files("fact_toolkit.data").joinpath("campaigns.csv").open("rb") as fh:
        cal = pd.read_csv(fh, dtype={"campaign_id": "string", "name": "string", "tier": "string"})
    for c in ("start", "end", "preheat_start"):
        if c in cal:
            cal[c] = pd.to_datetime(cal[c], format="%Y-%m-%d").astype("datetime64[ns]")
    if "approximate" in cal:
        cal["approximate"] = cal["approximate"].astype(str).str.lower().isin(["true", "1", "yes"])
    return cal


def assign_campaigns(dates: pd.Series, calendar: pd.DataFrame) -> pd.Series:
    """Map each date to the campaign whose window [start, end] holds it.

    Parameters
    ----------
    dates : pandas.Series
        Naive dates (``datetime64``).
    calendar : pandas.DataFrame
        With ``campaign_id``, ``start``, ``end``; overlapping windows: the later start wins.

    Returns
    -------
    pandas.Series
        ``campaign_id`` or <NA>, same index as ``dates``.
    """
    out = pd.Series(pd.NA, index=dates.index, dtype="string")
    if calendar is None or calendar.empty or dates.empty:
        return out
    d = pd.to_datetime(dates).astype("datetime64[ns]").to_numpy()
    cal = calendar.sort_values("start")
    values = out.to_numpy(dtype=object)
    for cid, start, end in zip(cal["campaign_id"], cal["start"], cal["end"], strict=True):
        inside = (d >= np.datetime64(start, "ns")) & (d <= np.datetime64(end, "ns"))
        values[inside] = str(cid)
    return pd.Series(values, index=dates.index, dtype="string")
