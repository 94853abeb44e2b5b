"""Notebook parameters: checked once, up front, with one clear message when they make no sense.

:func:`check_params` is what the validation cell of ``notebooks/01_channel_diagnosis.ipynb``
calls. It loads the data, applies the top-KOL rule and the date range, reads the peer
benchmarks and returns a :class:`DiagnosisInput` every section takes. Every problem is a
:class:`~fact_toolkit.errors.FactInputError` whose message names the parameter and the fix.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..channels import TopKolRule, apply_top_kol_rule, default_campaigns
from ..dataset import Dataset
from ..errors import FactInputError
from ..metrics import METRICS
from ..paths import find_path, project_root
from ._base import main_currency
from .capabilities import CAPABILITY_METRICS

__all__ = ["DiagnosisInput", "check_params", "resolve_path", "repo_root", "BENCHMARK_METRICS"]

#: metric names a benchmarks file may use: the metric registry's names and the capability metrics
#: (completion_rate, followers_per_1k_views, fan_buyer_share, discount_depth …) that the scores use
BENCHMARK_METRICS: frozenset[str] = frozenset(METRICS) | frozenset(m for _, m, _, _ in CAPABILITY_METRICS)

_LANGS = ("zh", "en")


@dataclass
class DiagnosisInput:
    """What every diagnosis section works on.

    Attributes
    ----------
    ds : Dataset
        Tables limited to ``[start, end]``, channels split by the top-KOL rule.
    start, end : pandas.Timestamp
        The date range (both days included).
    benchmarks : DataFrame or None
        Peer percentiles of one category (``metric, p25, p50, p75``), or None.
    category : str or None
        The benchmark category used.
    calendar : DataFrame
        Campaign calendar (the loaded one, else the shipped one).
    currency : str or None
        The main currency (largest GMV); other currencies are reported apart, never added.
    brand, lang, top_kol_rule : str
        The notebook parameters.
    """

    ds: Dataset
    start: pd.Timestamp
    end: pd.Timestamp
    benchmarks: pd.DataFrame | None
    category: str | None
    calendar: pd.DataFrame
    currency: str | None
    brand: str = ""
    lang: str = "zh"
    top_kol_rule: str = ""
    _memo: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], Any]] = field(default_factory=dict, init=False,
                                                                            repr=False, compare=False)

    def memo(self, name: str, make: Callable[[], Any], *extra: Any) -> Any:
        """``make()``, computed once per state of the dataset's tables (and ``extra``).

        Sections share derived frames (facts, rows of the main currency) through this:
        the key holds the table objects themselves, so replacing a table in ``ds.tables``
        (or changing the currency) recomputes.
        """
        objs = (self.ds, *self.ds.tables.values())
        meta = (tuple(self.ds.tables), self.currency, *extra)
        hit = self._memo.get(name)
        if hit is not None and hit[1] == meta and len(hit[0]) == len(objs) \
                and all(a is b for a, b in zip(hit[0], objs)):
            return hit[2]
        value = make()
        self._memo[name] = (objs, meta, value)
        return value

    @property
    def facts(self) -> pd.DataFrame:
        """Every sale once (content + shelf rows), all currencies (built once, see :meth:`memo`)."""
        return self.memo("facts", self.ds.facts)

    @property
    def content(self) -> pd.DataFrame:
        """Live sessions and videos in the range."""
        return self.ds.content


def repo_root() -> Path:
    """The folder holding ``data/`` and ``notebooks/`` (the repository root)."""
    return project_root()


def resolve_path(path: str | os.PathLike[str]) -> Path:
    """A path as given when it exists (or is absolute), else found as :func:`fact_toolkit.paths.find_path` finds it."""
    return find_path(path)


def _date(name: str, value: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(str(value)).normalize()
    except (ValueError, TypeError):
        raise FactInputError(f"parameter {name}", f"{value!r} is not a date",
                             fix="write it as YYYY-MM-DD, e.g. '2025-01-01'") from None


def _limit(ds: Dataset, start: pd.Timestamp, end: pd.Timestamp) -> Dataset:
    tables = {}
    for name, t in ds.tables.items():
        if name in ("campaigns", "benchmarks", "talents"):
            tables[name] = t
            continue
        keep = pd.Series(True, index=t.index) if "date" not in t else None
        if "date" in t:
            d = pd.to_datetime(t["date"])
            keep = ((d >= start) & (d <= end)).fillna(False)
        if "period_start" in t and "period_end" in t:
            # a row with a period instead of a date (TikTok product files) counts when its
            # whole period lies in the range: a part of it would be an invented split
            inside = ((pd.to_datetime(t["period_start"]) >= start) & (pd.to_datetime(t["period_end"]) <= end))
            undated = t["date"].isna() if "date" in t else pd.Series(True, index=t.index)
            keep = (keep & ~undated) | (undated & inside.fillna(False))
        t = t.loc[keep.to_numpy(dtype=bool)].reset_index(drop=True)
        tables[name] = t
    return Dataset(tables, ds.report)


def _read_benchmarks(path: str) -> pd.DataFrame:
    from ..loader import load

    p = resolve_path(path)
    if not p.exists():
        raise FactInputError(f"parameter benchmarks_path ({path})", "file not found",
                             fix="give the path of a category,metric,p25,p50,p75 file, or '' for none")
    try:
        bench = load(p, kind="benchmarks", campaigns=False).tables["benchmarks"]
    except FactInputError as err:
        raise FactInputError(f"parameter benchmarks_path ({path})", err.problem, fix=err.fix) from None
    unknown = sorted(set(bench["metric"].dropna().astype(str)) - BENCHMARK_METRICS)
    if unknown:
        known = ", ".join(m for m in ("gpm", "exposure_view_rate", "product_ctr", "click_order_rate", "aov",
                                      "avg_watch_sec", "refund_rate", "completion_rate", "followers_per_1k_views"))
        raise FactInputError(f"parameter benchmarks_path ({path})",
                             f"unknown metric(s) {', '.join(unknown)}",
                             fix=f"use metric names of the registry (fact_toolkit.METRICS) or of the capability "
                                 f"scores (fact_toolkit.diagnosis.CAPABILITY_METRICS), e.g. {known}")
    return bench


def _pick_category(bench: pd.DataFrame, ds: Dataset) -> str | None:
    cats = [str(c) for c in bench["category"].dropna().unique()]
    if not cats:
        return None
    prods = ds.tables.get("products")
    if prods is not None and "category" in prods and prods["category"].notna().any():
        top = str(prods["category"].value_counts().index[0])
        if top in cats:
            return top
    return cats[0]


def check_params(data_path: str, brand: str = "", start: str = "2025-01-01", end: str = "2026-11-30",
                 benchmarks_path: str = "", top_kol_rule: str = "followers:5000000",
                 lang: str = "zh", *, dataset: Dataset | None = None) -> DiagnosisInput:
    """Check the notebook parameters, load the data and return the diagnosis input.

    Parameters
    ----------
    data_path : str
        Export files or a folder; relative paths are tried from the working folder, then
        from the repository root.
    brand : str
        Brand name used in headings.
    start, end : str
        Date range, ``YYYY-MM-DD``, both days included.
    benchmarks_path : str
        A ``category, metric, p25, p50, p75`` file, or ``""`` for no peer benchmarks (a
        benchmarks file inside ``data_path`` is then ignored too).
    top_kol_rule : str
        ``followers:N``, ``gmv:N`` or ``list:id1,id2`` (see
        :class:`fact_toolkit.channels.TopKolRule`).
    lang : {"zh", "en"}
        Language of headings, findings and plots.
    dataset : Dataset, optional
        An already loaded dataset (tests, reports); ``data_path`` is then only a label.

    Returns
    -------
    DiagnosisInput

    Raises
    ------
    FactInputError
        One line naming the parameter: a bad language, date or rule, ``end`` before
        ``start``, no data in the range, a missing data or benchmarks file, or a
        benchmarks file with unknown metric names.
    """
    if lang not in _LANGS:
        raise FactInputError("parameter lang", f"{lang!r} is not a supported language", fix="use 'zh' or 'en'")
    t0, t1 = _date("start", start), _date("end", end)
    if t1 < t0:
        raise FactInputError("parameters start/end", f"end {t1.date()} is before start {t0.date()}",
                             fix="swap them or pick a later end")
    rule = TopKolRule.parse(top_kol_rule)
    if dataset is None:
        from ..loader import load

        p = resolve_path(data_path)
        if not p.exists():
            raise FactInputError(f"parameter data_path ({data_path})", "no such file or folder",
                                 fix="point it at the folder of exports, e.g. 'data/sample'")
        dataset = load(p)
    tables = dict(dataset.tables)
    talents = tables.get("talents")
    for name in ("content", "products", "orders", "daily"):
        t = tables.get(name)
        if t is not None and not t.empty and "fact_channel" in t:
            tables[name] = t.assign(fact_channel=apply_top_kol_rule(t, rule, talents, tables.get("content")))
    dataset = Dataset(tables, dataset.report)
    facts = dataset.facts()
    if facts.empty or "date" not in facts or facts["date"].isna().all():
        raise FactInputError(f"parameter data_path ({data_path})", "the data hold no dated sales rows",
                             fix="point it at live-session, video or product exports")
    d = pd.to_datetime(facts["date"])
    lo, hi = d.min(), d.max()
    if t1 < lo or t0 > hi:
        raise FactInputError("parameters start/end", f"no data between {t0.date()} and {t1.date()}",
                             fix=f"the data cover {lo.date()} to {hi.date()}: pick dates inside that range")
    limited = _limit(dataset, t0, t1)
    if benchmarks_path:
        bench = _read_benchmarks(benchmarks_path)
    else:
        bench = None
        limited.tables.pop("benchmarks", None)
    category = None
    if bench is not None and not bench.empty:
        category = _pick_category(bench, limited)
        bench = bench.loc[bench["category"].astype("string").eq(category).fillna(False).to_numpy(dtype=bool)]
        bench = bench[["metric", "p25", "p50", "p75"]].drop_duplicates("metric").reset_index(drop=True)
        limited.tables["benchmarks"] = bench
    cal = dataset.tables.get("campaigns")
    if cal is None or cal.empty:
        cal = default_campaigns()
    return DiagnosisInput(limited, t0, t1, bench, category, cal, main_currency(limited.facts()),
                          brand=str(brand), lang=lang, top_kol_rule=str(top_kol_rule))
