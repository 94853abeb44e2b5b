"""Engines: choose one for the inputs (:func:`load`), DuckDB on one machine, Spark on a cluster.

``load`` is :func:`fact_toolkit.load` (:mod:`.dispatch`): it chooses the pandas engine
(:mod:`fact_toolkit.loader`, every row kept) or, for inputs of millions of rows,
``load_duckdb``, and says which ran and why in the load report. ``load_duckdb`` reads raw
exports (CSV, Parquet, folders) with the normal header matching and the parsing grammar
rendered as SQL, keeps one row per key and groups the rows; the pandas path's own code then
classifies them and builds the daily panel, per-account table and exact load report
(:mod:`.duckdb_engine`, with the row-level SQL in :mod:`.rowscan`). ``spark_daily``
aggregates canonical content/product Parquet tables to the same panel on Spark (pyspark is
optional). The panel's definition is in :mod:`.panel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from .dispatch import load
    from .duckdb_engine import ENGINE_TABLES, accounts_table, load_duckdb
    from .panel import MEASURES, panel_sql
    from .spark_engine import spark_daily

__getattr__, __dir__ = lazy_exports(__name__, __file__)

__all__ = ["ENGINE_TABLES", "MEASURES", "accounts_table", "load", "load_duckdb", "panel_sql", "spark_daily"]
