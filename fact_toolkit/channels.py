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

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FactInputError
from .schema import REPEATED_CARRIERS, SHELF_CARRIERS

__all__ = ["ChannelRules", "TopKolRule", "classify", "classify_tables", "assign_campaigns", "default_campaigns",
           "campaign_calendar_from_frame", "campaign_calendar_from_toml", "apply_top_kol_rule"]


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


def classify_tables(tables: dict[str, pd.DataFrame], rules: ChannelRules,
                    calendar: pd.DataFrame | None, rows: str | None = None) -> list[str]:
    """Give the fact tables their FACT channel and campaign overlay, in place.

    ``content``, ``products``, ``orders`` and ``daily`` (unless its channels are all given)
    get ``fact_channel`` from :func:`classify` (with ``tables["talents"]`` for the top-KOL
    rule), then ``campaign_id`` from :func:`assign_campaigns` where the export gave none.
    The same code runs on rows (the pandas loader) and on lines grouped on every column it
    reads (the DuckDB engine): then ``rows`` names the column holding each line's row count.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables by canonical name; changed in place.
    rules : ChannelRules
        Top-KOL and own-account configuration.
    calendar : pandas.DataFrame or None
        Campaign calendar (None: no overlay).
    rows : str, optional
        Row-count column of pre-grouped tables.

    Returns
    -------
    list of str
        Warnings (rows that could only be given ``other``; 直播/短视频 product rows that
        loaded content repeats are not counted, they are not sales of their own).
    """
    warnings = []
    talents = tables.get("talents")
    content = tables.get("content")
    loaded_types = set(content["content_type"].dropna().unique().tolist()) & set(REPEATED_CARRIERS) \
        if content is not None and "content_type" in content else set()
    for name in ("content", "products", "orders", "daily"):
        t = tables.get(name)
        if t is None or t.empty:
            continue
        if name == "daily" and "fact_channel" in t and t["fact_channel"].notna().all():
            continue
        t["fact_channel"] = classify(t, rules, talents)
        is_other = (t["fact_channel"] == "other").fillna(False).to_numpy(dtype=bool)
        if name == "products" and "carrier" in t and loaded_types:
            # live/video carrier rows repeat loaded content: they are not sales of their own
            is_other &= ~t["carrier"].isin(sorted(loaded_types)).fillna(False).to_numpy(dtype=bool)
        other = int(t.loc[is_other, rows].sum()) if rows is not None and rows in t else int(is_other.sum())
        if other and name != "daily":
            warnings.append(
                f"{name}: {other} row(s) could not be given a FACT channel (no 账号类型/载体类型 "
                "and not a listed account) and count as 'other'; pass own_accounts=/top_kols= "
                "or add a 账号类型 column")
    if calendar is None:
        return warnings
    for name in ("content", "products", "orders", "daily"):
        t = tables.get(name)
        if t is None or t.empty or "date" not in t:
            continue
        overlay = assign_campaigns(t["date"], calendar)
        t["campaign_id"] = t["campaign_id"].fillna(overlay) if "campaign_id" in t else overlay
    return warnings


# "followers:5000000" is the form to use in notebook parameters (papermill cannot parse a
# parameter line whose string holds ">="); "followers>=5000000" reads the same in code
_RULE = re.compile(r"^\s*(followers|gmv)\s*(?:>=|:)\s*([0-9][0-9_,.]*)\s*(万|w|亿)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TopKolRule:
    """Which affiliates are top KOLs (T): a follower or GMV threshold, or an explicit list.

    Written as a short text so it fits a notebook parameter: ``"followers:5000000"``
    (also ``followers:500万`` or ``followers>=5000000``), ``"gmv:1000000"`` (the talent's GMV over the loaded
    data, in its currency), or ``"list:id1,id2"`` (account IDs or nicknames).

    Attributes
    ----------
    kind : {"followers", "gmv", "list"}
    threshold : float or None
        For ``followers`` and ``gmv``.
    ids : frozenset of str
        For ``list``.

    Examples
    --------
    >>> TopKolRule.parse("followers>=500万").threshold
    5000000.0
    >>> sorted(TopKolRule.parse("list: a, b").ids)
    ['a', 'b']
    """

    kind: str
    threshold: float | None = None
    ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str) -> TopKolRule:
        """Parse the rule text; :class:`FactInputError` naming ``top_kol_rule`` when it is not one."""
        raw = str(text).strip()
        if raw.lower().startswith("list:"):
            ids = frozenset(x.strip() for x in raw[5:].split(",") if x.strip())
            if not ids:
                raise FactInputError("parameter top_kol_rule", f"{raw!r} lists no account",
                                     fix="write e.g. 'list:coco_fashion,anan_closet'")
            return cls("list", None, ids)
        m = _RULE.match(raw)
        if not m:
            raise FactInputError("parameter top_kol_rule", f"{raw!r} is not a top-KOL rule",
                                 fix="write 'followers:5000000', 'gmv:1000000' or 'list:id1,id2'")
        number = float(m.group(2).replace(",", "").replace("_", ""))
        unit = (m.group(3) or "").lower()
        number *= {"万": 1e4, "w": 1e4, "亿": 1e8}.get(unit, 1.0)
        return cls(m.group(1).lower(), number)

    def top_ids(self, talents: pd.DataFrame | None = None, content: pd.DataFrame | None = None) -> set[str]:
        """Account IDs and nicknames that the rule makes T.

        Parameters
        ----------
        talents : DataFrame, optional
            ``talents`` table (``talent_id``, ``nickname``, ``followers``) for a followers rule.
        content : DataFrame, optional
            Rows with ``account_id``, ``account_type`` and ``gmv`` for a GMV rule; only
            affiliate rows count, per account and currency.
        """
        if self.kind == "list":
            return set(self.ids)
        if self.kind == "followers":
            rules = ChannelRules.make(top_kol_min_followers=int(self.threshold or 0))
            if talents is None or "followers" not in talents:
                return set()
            return _top_kol_ids(rules, talents.drop(columns=["is_top_kol"], errors="ignore"))
        if content is None or content.empty or "gmv" not in content or "account_id" not in content:
            return set()
        aff = content
        if "account_type" in content:
            aff = content.loc[content["account_type"].eq("affiliate").fillna(False).to_numpy(dtype=bool)]
        keys = ["account_id", "currency"] if "currency" in aff else ["account_id"]
        sums = aff.groupby(keys, dropna=False, observed=True)["gmv"].sum(min_count=1)
        hit = sums[sums.fillna(0.0) >= float(self.threshold or 0)]
        return {str(k[0] if isinstance(k, tuple) else k) for k in hit.index}


def apply_top_kol_rule(table: pd.DataFrame, rule: TopKolRule | str, talents: pd.DataFrame | None = None,
                       content: pd.DataFrame | None = None) -> pd.Series:
    """Re-split affiliate rows of ``table`` between A and T by ``rule``.

    Rows that are not affiliate (``account_type`` other than ``affiliate`` and
    ``fact_channel`` not A/T) keep their channel.

    Parameters
    ----------
    table : DataFrame
        With ``fact_channel`` and ``account_id`` / ``account_name``.
    rule : TopKolRule or str
    talents, content : DataFrame, optional
        See :meth:`TopKolRule.top_ids`; ``content`` defaults to ``table``.

    Returns
    -------
    pandas.Series
        The new ``fact_channel`` (``string`` dtype).

    Examples
    --------
    >>> t = pd.DataFrame({"account_id": ["a", "b"], "account_type": ["affiliate"] * 2,
    ...                   "fact_channel": ["A", "T"], "gmv": [10.0, 1.0]})
    >>> apply_top_kol_rule(t, "gmv>=5").tolist()
    ['T', 'A']
    """
    rule = TopKolRule.parse(rule) if isinstance(rule, str) else rule
    ids = rule.top_ids(talents, table if content is None else content)
    chan = table["fact_channel"].astype("string") if "fact_channel" in table else \
        pd.Series(pd.NA, index=table.index, dtype="string")
    aff = chan.isin(["A", "T"]).fillna(False)
    if "account_type" in table:
        aff |= table["account_type"].eq("affiliate").fillna(False) & ~chan.isin(["F", "S"]).fillna(False)
    who = pd.Series(False, index=table.index)
    for col in ("account_id", "account_name"):
        if col in table:
            who |= table[col].astype("string").isin(ids).fillna(False)
    out = chan.copy()
    out[aff.to_numpy(dtype=bool)] = "A"
    out[(aff & who).to_numpy(dtype=bool)] = "T"
    return out


def campaign_calendar_from_toml(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TOML campaign calendar: one ``[[campaign]]`` table per window::

        [[campaign]]
        campaign_id = "2026-618"
        name = "618"
        start = 2026-05-20
        end = 2026-06-18

    Returns
    -------
    pandas.DataFrame
        As :func:`campaign_calendar_from_frame` returns it.
    """
    p = Path(path)
    if not p.exists():
        raise FactInputError(p, "file not found", fix="check the campaign calendar path")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FactInputError(p, f"not valid TOML ({exc})", fix="fix the syntax") from None
    rows = doc.get("campaign", doc.get("campaigns"))
    if not isinstance(rows, list) or not rows:
        raise FactInputError(p, "no [[campaign]] tables", fix="write one [[campaign]] table per window")
    return campaign_calendar_from_frame(pd.DataFrame(rows), p)


def campaign_calendar_from_frame(cal: pd.DataFrame, source: str | os.PathLike[str] = "campaigns") -> pd.DataFrame:
    """Check and normalise a campaign calendar that overrides the shipped one.

    Parameters
    ----------
    cal : pandas.DataFrame
        With ``campaign_id``, ``start``, ``end`` and optionally ``name``,
        ``preheat_start``, ``tier``, ``approximate``.
    source : path-like
        Named in error messages.

    Returns
    -------
    pandas.DataFrame
        Same columns and dtypes as :func:`default_campaigns`; pass it to
        ``fact_toolkit.load(..., campaigns=calendar)``.

    Raises
    ------
    FactInputError
        Missing columns, or an end before a start.
    """
    p = source
    for col in ("campaign_id", "start", "end"):
        if col not in cal:
            raise FactInputError(p, f"the calendar has no {col} column", fix="add it")
    out = pd.DataFrame({"campaign_id": cal["campaign_id"].astype("string")})
    out["name"] = cal["name"].astype("string") if "name" in cal else out["campaign_id"]
    for col in ("start", "end", "preheat_start"):
        values = cal[col] if col in cal else pd.Series(pd.NaT, index=cal.index)
        out[col] = pd.to_datetime(values.astype("string") if values.dtype == object else values
                                  ).astype("datetime64[ns]")
    out["tier"] = cal["tier"].astype("string") if "tier" in cal else pd.Series(pd.NA, index=cal.index,
                                                                                 dtype="string")
    out["approximate"] = (cal["approximate"].astype("boolean").fillna(False).astype(bool)
                          if "approximate" in cal else False)
    bad = out.index[(out["end"] < out["start"]).to_numpy(dtype=bool)]
    if len(bad):
        raise FactInputError(p, f"campaign {out.loc[bad[0], 'campaign_id']} ends before it starts",
                             row=int(bad[0]) + 2, fix="swap start and end")
    return out
