"""Engines for inputs too large for pandas: DuckDB on one machine, Spark on a cluster.

``load_duckdb`` reads raw exports (CSV, Parquet, folders) with the normal header matching
and the parsing grammar rendered as SQL, keeps one row per key and groups the rows; the
pandas path's own code then classifies them and builds the daily panel, per-account table
and exact load report (:mod:`.duckdb_engine`, with the row-level SQL in :mod:`.rowscan`); ``spark_daily`` aggregates canonical content/product Parquet tables to
the same panel on Spark. Both use the query definition in :mod:`.panel`.
"""

from __future__ import annotations

from .duckdb_engine import ENGINE_TABLES, accounts_table, load_duckdb
from .panel import MEASURES, panel_sql

__all__ = ["ENGINE_TABLES", "MEASURES", "accounts_table", "load_duckdb", "panel_sql", "spark_daily"]


def __getattr__(name: str):  # pyspark is optional: import the Spark engine on first use
    if name == "spark_daily":
        from .spark_engine import spark_daily

        return spark_daily
    raise AttributeError(name)
