"""Key figures of one report run, computed from the run's data (not from the notebook).

A run's KPIs are a small JSON-able dict: per channel and currency, for the whole data
and for its last two weeks, the money totals and the platform rates (every rate a ratio
of sums through :func:`fact_toolkit.metrics.summarize`), plus the talents with the
largest share of the brand's GMV. The what-changed table, the alerts and the index all
read this dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .._json import jsonable

__all__ = ["CHANNEL_METRICS", "ALERT_METRICS", "TOP_TALENTS", "WINDOW_DAYS", "DAILY_DAYS", "compute_kpis", "load_kpis",
           "channel_row", "period_window", "window_label"]

#: per-channel KPI columns kept (those the data supports)
CHANNEL_METRICS: tuple[str, ...] = (
    "gmv", "paid_amount", "net_gmv", "refund_amount", "ad_spend", "views", "gpm", "roi", "refund_rate", "gmv_share",
)
#: metrics an alert rule may name
ALERT_METRICS: tuple[str, ...] = (*CHANNEL_METRICS, "talent_gmv_share")
#: talents kept per period (a share above t can be held by at most 1/t talents, so rules
#: with thresholds of 10 % or more see every talent that breaks them)
TOP_TALENTS = 10
#: length of the ``last_7d`` / ``prev_7d`` windows, in calendar days
WINDOW_DAYS = 7
#: days of brand totals kept for the index's sparklines
DAILY_DAYS = 56
_TALENT_CHANNELS = ("A", "T")


def _channel_rows(facts: pd.DataFrame, period: str) -> list[dict]:
    from ..metrics import summarize

    if facts.empty:
        return []
    keys = ["fact_channel", "currency"] if "currency" in facts else ["fact_channel"]
    rows = []
    by_channel = summarize(facts, by=keys).reset_index()
    total = summarize(facts, by=keys[1:] or None).reset_index()
    total = total.drop(columns=[c for c in total.columns if c not in (*CHANNEL_METRICS, *keys)])
    total["fact_channel"] = "all"
    for frame in (by_channel, total):
        for rec in frame.to_dict("records"):
            ch = rec.get("fact_channel")
            row = {"period": period, "fact_channel": "unknown" if jsonable(ch) is None else str(ch),
                   "currency": jsonable(rec.get("currency"))}
            row.update({m: jsonable(rec[m]) for m in CHANNEL_METRICS if m in rec})
            if row["fact_channel"] == "all":
                row["gmv_share"] = 1.0 if row.get("gmv") else None
            rows.append(row)
    return rows


def _daily_rows(facts: pd.DataFrame, dates: pd.Series, last: pd.Timestamp) -> list[dict]:
    """Brand GMV and GPM per day and currency over the last :data:`DAILY_DAYS` days (ratios of sums)."""
    from ..metrics import metric_names, summarize

    keep = (dates > last - pd.Timedelta(days=DAILY_DAYS)).fillna(False).to_numpy(dtype=bool)
    part = facts.loc[keep].assign(date=dates[keep].dt.normalize())
    if part.empty:
        return []
    keys = ["date", "currency"] if "currency" in part else ["date"]
    ok = [m for m in ("gmv", "gpm") if m in metric_names(part)]
    if not ok:
        return []
    s = summarize(part, by=keys, metrics=ok, share=False).reset_index()
    return [{"date": r["date"].date().isoformat(), "currency": jsonable(r.get("currency")),
             **{m: jsonable(r[m]) for m in ok}} for r in s.to_dict("records")]


def _talent_rows(facts: pd.DataFrame, period: str) -> list[dict]:
    needed = {"fact_channel", "account_id", "gmv"}
    if facts.empty or not needed <= set(facts.columns):
        return []
    cur = facts["currency"].astype("string").fillna("") if "currency" in facts else pd.Series("", index=facts.index)
    gmv = pd.to_numeric(facts["gmv"], errors="coerce").astype("float64")
    frame = pd.DataFrame({
        "currency": cur, "gmv": gmv, "fact_channel": facts["fact_channel"].astype("string"),
        "account_id": facts["account_id"].astype("string"),
        "account_name": (facts["account_name"] if "account_name" in facts else facts["account_id"]).astype("string"),
    })
    totals = frame.groupby("currency", sort=True)["gmv"].sum(min_count=1)
    talents = frame[frame["fact_channel"].isin(list(_TALENT_CHANNELS)).fillna(False).to_numpy(dtype=bool)]
    if talents.empty:
        return []
    per = (talents.groupby(["currency", "fact_channel", "account_id"], sort=True, dropna=False)
           .agg(gmv=("gmv", lambda s: s.sum(min_count=1)), account_name=("account_name", "first")).reset_index())
    per["talent_gmv_share"] = per["gmv"] / per["currency"].map(totals).astype("float64")
    per = per.sort_values(["talent_gmv_share", "account_id"], ascending=[False, True], na_position="last")
    rows = []
    for rec in per.head(TOP_TALENTS).to_dict("records"):
        rows.append({"period": period, "fact_channel": jsonable(rec["fact_channel"]),
                     "currency": jsonable(rec["currency"]) or None, "account_id": jsonable(rec["account_id"]),
                     "account_name": jsonable(rec["account_name"]), "gmv": jsonable(rec["gmv"]),
                     "talent_gmv_share": jsonable(rec["talent_gmv_share"])})
    return rows


def compute_kpis(facts: pd.DataFrame) -> dict:
    """KPIs of a table of sales rows (``Dataset.facts()`` or any canonical rows).

    Parameters
    ----------
    facts : DataFrame
        Canonical rows with ``fact_channel`` and (optionally) ``date``, ``currency``,
        ``account_id``, ``account_name`` and the additive measures.

    Returns
    -------
    dict
        ``data_from`` / ``data_to`` (ISO dates or None); ``periods``: for ``all``,
        ``last_7d`` and ``prev_7d`` the window's ``from`` / ``to`` dates (ISO) and
        ``complete`` (the data starts on or before the window's first day); ``channels``: rows with
        ``period`` (``all``, ``last_7d``: the 7 days ending on the last date in the data,
        ``prev_7d``: the 7 days before), ``fact_channel`` (``all`` = every channel of that
        currency), ``currency`` and :data:`CHANNEL_METRICS` (None where undefined);
        ``talents``: the :data:`TOP_TALENTS` accounts of channels A and T with the largest
        ``talent_gmv_share`` (the account's GMV ÷ the brand's GMV in that currency and
        period), per period ``all`` and ``last_7d``; ``daily``: the brand's GMV and GPM per
        day and currency over the last :data:`DAILY_DAYS` days (for sparklines).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"fact_channel": ["F", "A"], "currency": ["CNY", "CNY"],
    ...                   "account_id": ["me", "t1"], "gmv": [300.0, 100.0],
    ...                   "paid_amount": [300.0, 100.0], "view_pv": [1000, 500]})
    >>> k = compute_kpis(t)
    >>> [(r["fact_channel"], r["gpm"]) for r in k["channels"]]
    [('A', 200.0), ('F', 300.0), ('all', 266.6666666666667)]
    >>> k["talents"][0]["talent_gmv_share"]
    0.25
    """
    out: dict[str, Any] = {"data_from": None, "data_to": None, "periods": {}, "channels": [], "talents": []}
    periods: list[tuple[str, pd.DataFrame]] = [("all", facts)]
    if "date" in facts and len(facts):
        dates = pd.to_datetime(facts["date"], errors="coerce")
        last = dates.max()
        if pd.notna(last):
            first, day, n = dates.min(), pd.Timedelta(days=1), WINDOW_DAYS
            out["data_from"] = first.date().isoformat()
            out["data_to"] = last.date().isoformat()
            recent = ((dates > last - n * day) & (dates <= last)).fillna(False).to_numpy(dtype=bool)
            before = ((dates > last - 2 * n * day) & (dates <= last - n * day)).fillna(False).to_numpy(dtype=bool)
            out["periods"] = {
                "all": {"from": out["data_from"], "to": out["data_to"], "complete": True},
                **{name: {"from": (end - (n - 1) * day).date().isoformat(), "to": end.date().isoformat(),
                          "complete": bool(first <= end - (n - 1) * day)}
                   for name, end in (("last_7d", last), ("prev_7d", last - n * day))},
            }
            periods += [("last_7d", facts.loc[recent]), ("prev_7d", facts.loc[before])]
            out["daily"] = _daily_rows(facts, dates, last)
    for name, part in periods:
        out["channels"] += _channel_rows(part, name)
        if name != "prev_7d":
            out["talents"] += _talent_rows(part, name)
    return out


def load_kpis(data_path: str | Path, *, on_loaded: Callable[[Any], None] | None = None) -> dict:
    """Load exports with :func:`fact_toolkit.load` and return :func:`compute_kpis` of their facts.

    Parameters
    ----------
    data_path : path-like
        Exports (file or folder).
    on_loaded : callable, optional
        Called with the loaded :class:`~fact_toolkit.dataset.Dataset` before the KPIs are
        computed (the report runner hands it to the kernels' preload server).

    Returns
    -------
    dict
    """
    from ..loader import load

    dataset = load(data_path)
    if on_loaded is not None:
        on_loaded(dataset)
    return compute_kpis(dataset.facts())


def channel_row(kpis: Mapping[str, Any] | None, channel: str, currency: str | None,
                period: str = "all") -> dict | None:
    """The KPI row of one channel and currency (None when absent)."""
    for row in (kpis or {}).get("channels", []):
        if row.get("period") == period and row.get("fact_channel") == channel and row.get("currency") == currency:
            return row
    return None


def period_window(kpis: Mapping[str, Any] | None, period: str) -> dict | None:
    """``{"from", "to", "complete"}`` of a KPI period (ISO dates); None when the KPIs have no dates.

    KPIs written before windows were recorded only have ``data_from`` / ``data_to``; their
    windows are derived from those.

    Examples
    --------
    >>> period_window({"data_from": "2026-03-01", "data_to": "2026-03-21"}, "prev_7d")
    {'from': '2026-03-08', 'to': '2026-03-14', 'complete': True}
    """
    k = kpis or {}
    known = (k.get("periods") or {}).get(period)
    if known:
        return dict(known)
    start, end = k.get("data_from"), k.get("data_to")
    if not start or not end:
        return None
    if period == "all":
        return {"from": start, "to": end, "complete": True}
    shift = {"last_7d": 0, "prev_7d": WINDOW_DAYS}.get(period)
    if shift is None:
        return None
    to = pd.Timestamp(end) - pd.Timedelta(days=shift)
    frm = to - pd.Timedelta(days=WINDOW_DAYS - 1)
    return {"from": frm.date().isoformat(), "to": to.date().isoformat(), "complete": bool(pd.Timestamp(start) <= frm)}


def window_label(kpis: Mapping[str, Any] | None, period: str) -> str:
    """A period in words with its dates, e.g. ``last 7 days to 2026-03-21 (2026-03-15 – 2026-03-21)``.

    Examples
    --------
    >>> window_label({"data_from": "2026-03-19", "data_to": "2026-03-21"}, "last_7d")
    'last 7 days to 2026-03-21 (2026-03-15 – 2026-03-21; data only from 2026-03-19)'
    >>> window_label({"data_from": "2026-03-01", "data_to": "2026-03-21"}, "all")
    'all data 2026-03-01 – 2026-03-21'
    """
    w = period_window(kpis, period)
    if w is None:
        return {"all": "all data", "last_7d": "last 7 days", "prev_7d": "the 7 days before"}.get(period, period)
    if period == "all":
        return f"all data {w['from']} – {w['to']}"
    lead = "last 7 days" if period == "last_7d" else "the 7 days"
    partial = "" if w.get("complete", True) else f"; data only from {(kpis or {}).get('data_from')}"
    return f"{lead} to {w['to']} ({w['from']} – {w['to']}{partial})"
