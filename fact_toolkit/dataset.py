"""A loaded, validated set of canonical tables: the one object notebooks pass around."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._atomic import atomic_path
from .report import QUARANTINE_FILE, LoadReport
from .schema import REPEATED_CARRIERS, TABLES

__all__ = ["Dataset", "ADDITIVE", "PANEL_KEYS", "ROWS", "fact_rows", "panel", "present", "stack", "undated", "PERIODS"]

#: columns that add up across rows (counts and money) in the daily panel
ADDITIVE: tuple[str, ...] = tuple(
    c.name for c in TABLES["daily"].columns
    if c.kind in {"int", "money"} and c.name != "source_row" and not c.name.startswith("reported_")
)
#: the panel's grain (content_type keeps lives and videos, which carry different columns, apart;
#: source_kind keeps rows whose platform defines a metric its own way apart, so a panel row's
#: GPM still follows its source's definition)
PANEL_KEYS: tuple[str, ...] = ("date", "fact_channel", "account_id", "account_name", "content_type", "campaign_id",
                               "currency", "source_kind")


#: in a fact frame that is already grouped (the DuckDB engine's), the number of rows behind a line
ROWS = "__rows"


def present(measure: str) -> str:
    """Name of the column counting the rows of a pre-grouped line that have ``measure``."""
    return measure + "__n"


def fact_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every row that carries sales exactly once, from loaded tables.

    Content (live sessions, videos) plus product rows that no loaded content repeats:
    shelf carriers (:data:`~fact_toolkit.schema.SHELF_CARRIERS`: 商品卡, TikTok's Shop tab
    → S) always, and 直播/短视频 carrier rows (:data:`~fact_toolkit.schema.REPEATED_CARRIERS`)
    only when no live sessions / videos were loaded (otherwise those sales are already in
    ``content``); 图文 and 其他 carrier rows always (no content table holds them). Affiliate order
    lines repeat content sales, so they count only when no content was loaded; a daily
    overview repeats everything and counts only when nothing finer was loaded.

    The tables may hold rows or lines already grouped on every column this rule and the
    panel read (with :data:`ROWS` and :func:`present` columns, as the DuckDB engine gives
    them): the rule reads only ``content_type`` and ``carrier``, so it is the same on both.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables by canonical name.

    Returns
    -------
    pandas.DataFrame
    """
    parts, _ = _fact_parts(tables)
    if not parts:
        return pd.DataFrame(columns=["date", "fact_channel", *ADDITIVE])
    return stack(parts)


#: a DuckDB-engine dataset's period rows (a period instead of a date; no day to put them in
#: the panel): facts beside its ``daily`` panel
PERIODS = "periods"


def _fact_parts(tables: dict[str, pd.DataFrame]) -> tuple[list[pd.DataFrame], bool]:
    """The frames :func:`fact_rows` stacks, and whether they are the ``daily`` table (plus
    :data:`PERIODS`) because nothing finer was loaded."""
    parts = []
    content = tables.get("content")
    if content is not None and len(content):
        parts.append(content)
    if "products" in tables:
        p = tables["products"]
        loaded_types = set(content["content_type"].dropna().unique()) if content is not None and \
            "content_type" in content else set()
        if "carrier" in p:
            repeated = p["carrier"].isin(sorted(loaded_types & set(REPEATED_CARRIERS))).fillna(False)
            keep = ~repeated.to_numpy(dtype=bool)
        else:
            keep = np.ones(len(p), dtype=bool)
        parts.append(p.loc[keep])
    parts = [x for x in parts if len(x)]
    if (content is None or content.empty) and "orders" in tables:
        parts.append(tables["orders"])
    if not parts and "daily" in tables and len(tables["daily"]):
        extra = tables.get(PERIODS)
        return [tables["daily"], *([extra] if extra is not None and len(extra) else [])], True
    return [x for x in parts if len(x)], False


def stack(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one under the other; a column missing from a frame is filled with missing values
    of the dtype another frame holds it in (so string, Int64 … columns keep their dtype).

    Parameters
    ----------
    parts : list of DataFrame
        At least one frame.

    Returns
    -------
    pandas.DataFrame
        The union of the columns, in order of first appearance; a fresh range index.
    """
    if len(parts) == 1:
        return parts[0]
    cols = list(dict.fromkeys(c for x in parts for c in x.columns))
    aligned = []
    for x in parts:
        missing = [c for c in cols if c not in x]
        if missing:
            filler = {}
            for c in missing:
                donor = next(y[c] for y in parts if c in y)
                filler[c] = pd.Series(pd.array([None] * len(x), dtype=donor.dtype), index=x.index)
            x = x.assign(**filler)
        aligned.append(x[cols])
    return pd.concat(aligned, ignore_index=True)


def undated(facts: pd.DataFrame) -> np.ndarray:
    """Rows that carry a period instead of a date (``period_start`` without ``date``).

    Parameters
    ----------
    facts : pandas.DataFrame
        Fact rows or lines.

    Returns
    -------
    numpy.ndarray
        Boolean mask; all False when the frame has no period columns.
    """
    if "period_start" not in facts or "date" not in facts:
        return np.zeros(len(facts), dtype=bool)
    return (facts["date"].isna() & facts["period_start"].notna()).to_numpy(dtype=bool)


def panel(facts: pd.DataFrame) -> pd.DataFrame:
    """Add fact rows up to the panel's grain, :data:`PANEL_KEYS`.

    A cell is known only when every row of its group has the value: summing the present
    ones would pair, say, two sessions' paid amount with one session's views. Rows may be
    pre-grouped lines (a :data:`ROWS` column, and per measure a :func:`present` column):
    then a line stands for its rows, and the rule compares the present counts with the rows.
    Rows that carry a period instead of a date (``period_start`` without ``date``) are left
    out: splitting them into days would invent numbers.

    Parameters
    ----------
    facts : pandas.DataFrame
        :func:`fact_rows` output.

    Returns
    -------
    pandas.DataFrame
        Keys, the sums of :data:`ADDITIVE` columns and ``content_count`` (rows per group).
    """
    dated = ~undated(facts)
    if not dated.all():
        facts = facts.loc[dated]
    keys = [k for k in PANEL_KEYS if k in facts]
    measures = [c for c in ADDITIVE if c in facts and c != "content_count"]
    if facts.empty:
        return pd.DataFrame(columns=[*keys, *measures])
    g = facts.groupby(keys, dropna=False, sort=True, observed=True)
    sums = g[measures].sum(min_count=1)
    if ROWS in facts:
        counts = g[[present(m) for m in measures]].sum()
        counts.columns = measures
        size = g[ROWS].sum()
    else:
        counts = g[measures].count()
        size = g.size()
    out = sums.where(counts.eq(size, axis=0))
    out["content_count"] = size.astype("Int64")
    return out.reset_index()


@dataclass
class Dataset:
    """Canonical tables from one :func:`fact_toolkit.load` call, with their load report.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Loaded tables by canonical name (``content``, ``products``, ``orders``, ``ads``,
        ``daily``, ``talents``, ``campaigns``, ``benchmarks``); only those present.
    report : LoadReport
        Where every input row went.
    """

    tables: dict[str, pd.DataFrame]
    report: LoadReport = field(default_factory=LoadReport)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.table(name)

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; an empty frame with the declared columns when absent."""
        if name in self.tables:
            return self.tables[name]
        if name not in TABLES:
            raise KeyError(f"no canonical table {name!r}; tables are {', '.join(TABLES)}")
        return pd.DataFrame(columns=TABLES[name].names)

    @property
    def content(self) -> pd.DataFrame:
        """Live sessions and videos, one row each."""
        return self.table("content")

    @property
    def products(self) -> pd.DataFrame:
        """Product-level rows (shelf carriers included)."""
        return self.table("products")

    def facts(self) -> pd.DataFrame:
        """Every row that carries sales exactly once (see :func:`fact_rows`)."""
        return fact_rows(self.tables)

    @property
    def daily(self) -> pd.DataFrame:
        """The panel: one row per date × channel × account × content type (× campaign, currency).

        Built by adding up :meth:`facts` (:func:`panel`); rates are never stored here —
        compute them from the sums with :func:`fact_toolkit.metrics.summarize`. A sum is
        missing when any row of its group lacks the value (never a partial sum), so ratios
        of the panel's columns pair numerators and denominators exactly as on :meth:`facts`.

        Rows that carry a period instead of a date (TikTok product files: the banner's
        date range) are not in the panel: splitting them into days would invent numbers.
        They count in :meth:`summary` and :meth:`facts`.
        """
        parts, from_daily = _fact_parts(self.tables)
        if from_daily:
            return self.tables["daily"]
        if not parts:
            return panel(pd.DataFrame(columns=["date", "fact_channel", *ADDITIVE]))
        return panel(stack(parts))

    def summary(self, by: str | Sequence[str] | None = "fact_channel",
                metrics: Sequence[str] | None = None) -> pd.DataFrame:
        """Every supported metric by ``by``, as ratios of sums over :meth:`facts`."""
        from .metrics import summarize

        return summarize(self.facts(), by=by, metrics=metrics)

    def write(self, out: str | Path) -> list[Path]:
        """Write every table (and the daily panel) as Parquet, ``quarantine.parquet`` and ``load_report.json``.

        ``quarantine.parquet`` holds every quarantined entry (file, row, column, value, rule,
        reason); ``load_report.json`` counts them per file and rule and lists the first 100.
        Files are written atomically; existing files of the same name are replaced.
        """
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        frames = dict(self.tables)
        if "daily" in frames and any(t in frames for t in ("content", "products")):
            frames["daily_overview"] = frames.pop("daily")
        frames["daily"] = self.daily
        for name, frame in frames.items():
            target = out / f"{name}.parquet"
            with atomic_path(target) as tmp:
                frame.to_parquet(tmp, index=False)
            written.append(target)
        written.append(self.report.write_quarantine(out / QUARANTINE_FILE))
        written.append(self.report.write_json(out / "load_report.json"))
        return written

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"Dataset({sizes})"
