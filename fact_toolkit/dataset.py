"""A loaded, validated set of canonical tables: the one object notebooks pass around."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._atomic import atomic_path
from .report import LoadReport
from .schema import SHELF_CARRIERS, TABLES

__all__ = ["Dataset", "ADDITIVE", "PANEL_KEYS"]

#: columns that add up across rows (counts and money) in the daily panel
ADDITIVE: tuple[str, ...] = tuple(
    c.name for c in TABLES["daily"].columns
    if c.kind in {"int", "money"} and c.name != "source_row" and not c.name.startswith("reported_")
)
#: the panel's grain
PANEL_KEYS: tuple[str, ...] = ("date", "fact_channel", "account_id", "account_name", "campaign_id", "currency")


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
        """Every row that carries sales exactly once: content plus shelf (S) product rows.

        Product rows of content carriers (直播/短视频) repeat sales already in ``content``
        and are left out; affiliate order lines repeat content sales too and are used only
        when neither content nor shelf rows exist; a loaded daily overview is used only
        when nothing finer is present.
        """
        parts = []
        if "content" in self.tables:
            parts.append(self.tables["content"])
        if "products" in self.tables:
            p = self.tables["products"]
            shelf = p["fact_channel"].eq("S") if "fact_channel" in p else pd.Series(False, index=p.index)
            if "carrier" in p:
                shelf |= p["carrier"].isin(list(SHELF_CARRIERS))
            parts.append(p.loc[shelf.fillna(False).to_numpy(dtype=bool)])
        parts = [x for x in parts if len(x)]
        if not parts and "orders" in self.tables:
            parts = [self.tables["orders"]]
        if not parts and "daily" in self.tables:
            parts = [self.tables["daily"]]
        if not parts:
            return pd.DataFrame(columns=["date", "fact_channel", *ADDITIVE])
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

    @property
    def daily(self) -> pd.DataFrame:
        """The panel: one row per date × channel × account (× campaign, currency).

        Built by adding up :meth:`facts`; rates are never stored here — compute them
        from the sums with :func:`fact_toolkit.metrics.summarize`.
        """
        facts = self.facts()
        keys = [k for k in PANEL_KEYS if k in facts]
        measures = [c for c in ADDITIVE if c in facts and c != "content_count"]
        if facts.empty:
            return pd.DataFrame(columns=[*keys, *measures])
        if "daily" in self.tables and facts is self.tables["daily"]:
            return facts
        g = facts.groupby(keys, dropna=False, sort=True, observed=True)
        out = g[measures].sum(min_count=1)
        out["content_count"] = g.size().astype("Int64")
        return out.reset_index()

    def summary(self, by: str | Sequence[str] | None = "fact_channel",
                metrics: Sequence[str] | None = None) -> pd.DataFrame:
        """Every supported metric by ``by``, as ratios of sums over :meth:`facts`."""
        from .metrics import summarize

        return summarize(self.facts(), by=by, metrics=metrics)

    def write(self, out: str | Path) -> list[Path]:
        """Write every table (and the daily panel) as Parquet plus ``load_report.json``.

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
        written.append(self.report.write_json(out / "load_report.json"))
        return written

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"Dataset({sizes})"
