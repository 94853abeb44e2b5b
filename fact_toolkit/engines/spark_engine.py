"""The daily panel on Spark: canonical Parquet tables in, the same panel out.

For users who outgrow one machine: point :func:`spark_daily` at canonical ``content``
(and ``products``) Parquet tables — as :meth:`fact_toolkit.Dataset.write` writes them, on
local disk, HDFS or S3 — and a ``SparkSession`` (``local[*]``, ``spark://…`` or Spark
Connect). The aggregation is the query of :mod:`fact_toolkit.engines.panel`, rendered as
Spark SQL: the same grain, measures and shelf rule as the DuckDB engine and
:attr:`fact_toolkit.Dataset.daily`. pyspark is optional (``pip install 'fact_toolkit[spark]'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .duckdb_engine import _conform_panel
from .panel import panel_keys, panel_measures, panel_sql, shelf_predicate

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["spark_daily", "spark_daily_pandas"]

_VIEW = "fact_toolkit_facts"


def _read(spark: SparkSession, paths: Iterable[str | os.PathLike[str]]) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType

    df = spark.read.parquet(*[str(p) for p in paths])
    # pandas writes datetime64[ns] as Parquet TIMESTAMP(NANOS), which Spark reads as long
    # nanoseconds (spark.sql.legacy.parquet.nanosAsLong): turn naive local days back into dates
    for name in ("date",):
        if name in df.columns and isinstance(df.schema[name].dataType, LongType):
            df = df.withColumn(name, F.to_timestamp(F.from_unixtime(F.col(name) / 1_000_000_000,
                                                                    "yyyy-MM-dd HH:mm:ss")))
    return df


def spark_daily(spark: SparkSession, content: Iterable[str | os.PathLike[str]] = (),
                products: Iterable[str | os.PathLike[str]] = ()) -> DataFrame:
    """Aggregate canonical fact rows to the daily panel on Spark.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        Any session: ``SparkSession.builder.master("local[2]")``, ``.master("spark://host:7077")``
        or ``.remote("sc://host:15002")``.
    content : iterable of path
        Canonical ``content`` Parquet files or folders (``Dataset.write`` output).
    products : iterable of path
        Canonical ``products`` Parquet; only shelf (S) rows are facts.

    Returns
    -------
    pyspark.sql.DataFrame
        One row per date × fact_channel × account × campaign × currency, with the additive sums
        and ``content_count`` (lazy: nothing runs until you collect or write it).
    """
    spark.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    parts = []
    content, products = list(content), list(products)
    if content:
        parts.append(_read(spark, content))
    if products:
        p = _read(spark, products)
        parts.append(p.where(shelf_predicate(p.columns, "spark")))
    if not parts:
        raise ValueError("name at least one canonical content or products Parquet path")
    facts = parts[0]
    for p in parts[1:]:
        facts = facts.unionByName(p, allowMissingColumns=True)
    keep = [c for c in facts.columns if c in set(panel_keys(facts.columns)) | set(panel_measures(facts.columns))]
    facts = facts.select(*keep)
    facts.createOrReplaceTempView(_VIEW)
    return spark.sql(panel_sql(_VIEW, facts.columns, dialect="spark"))


def spark_daily_pandas(spark: SparkSession, content: Iterable[str | os.PathLike[str]] = (),
                       products: Iterable[str | os.PathLike[str]] = ()) -> pd.DataFrame:
    """:func:`spark_daily` collected into pandas with the dtypes and order of ``Dataset.daily``."""
    sdf = spark_daily(spark, content, products)
    rows: list[Any] = sdf.collect()
    frame = pd.DataFrame([r.asDict() for r in rows], columns=sdf.columns)
    keys = panel_keys(sdf.columns)
    measures = panel_measures(sdf.columns)
    return _conform_panel(frame, keys, measures)
