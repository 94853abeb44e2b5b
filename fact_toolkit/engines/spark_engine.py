"""The daily panel on Spark: canonical Parquet tables in, the same panel out.

For users who outgrow one machine: point :func:`spark_daily` at canonical ``content``
and ``products`` Parquet tables — as :meth:`fact_toolkit.Dataset.write` writes them
(``out/content.parquet``, ``out/products.parquet``), on local disk, HDFS or S3 — and a
``SparkSession`` (``local[*]``, ``spark://…`` or Spark Connect's ``.remote("sc://…")``).

The panel is built by the definition :attr:`fact_toolkit.Dataset.daily` uses, rendered by
:mod:`fact_toolkit.engines.panel`:

- the fact rows are :meth:`fact_toolkit.Dataset.facts`'s: every content row, and every
  product row except those whose carrier (live, video) repeats a content type that was
  loaded (:data:`~fact_toolkit.dataset.REPEATED_CARRIERS`) — shelf cards, 图文 and 其他
  rows always count, and live/video carrier rows count when no such content was loaded;
- the grain and measures of :func:`~fact_toolkit.engines.panel.panel_sql`, whose sums are
  missing when any row of the group lacks the value (never a partial sum).

Several exports (a glob, or a list of files) are read with their columns merged
(``mergeSchema``): a column that only some files have is missing in the others' rows,
never dropped. The caller's session is left as it was: no setting is changed and no view
is registered. ``orders`` and a daily overview are not read (they count only when no
content was loaded; load such exports with :func:`fact_toolkit.load`). pyspark is
optional: ``pip install 'fact_toolkit[spark]'`` brings it with the Spark Connect client.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .panel import REPEATED_CARRIERS, conform_panel, panel_keys, panel_measures, panel_sql

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

__all__ = ["spark_daily", "spark_daily_pandas"]

#: set only while the files' columns are read (then restored): pandas writes tz-aware times
#: (``start_time``) as Parquet TIMESTAMP(NANOS, UTC), which Spark cannot type otherwise
_NANOS_AS_LONG = "spark.sql.legacy.parquet.nanosAsLong"
#: columns the panel reads besides its keys and measures (the facts rule's)
_RULE_COLUMNS = ("carrier",)
_NANOS_PER_DAY = 86_400 * 10**9


def _merged_schema(spark: SparkSession, paths: list[str]) -> StructType:
    """Every column any of the files has, their schemas merged; the session left as it was."""
    was_set = _NANOS_AS_LONG in spark.conf.getAll
    before = spark.conf.get(_NANOS_AS_LONG) if was_set else None
    spark.conf.set(_NANOS_AS_LONG, "true")
    try:
        return spark.read.option("mergeSchema", "true").parquet(*paths).schema
    finally:
        if was_set:
            spark.conf.set(_NANOS_AS_LONG, before)
        else:
            spark.conf.unset(_NANOS_AS_LONG)


def _read(spark: SparkSession, paths: Iterable[str | os.PathLike[str]]) -> DataFrame:
    """The panel's columns of canonical Parquet files (or folders, or globs), merged across files.

    A file without a column gives missing values in its rows, never a dropped column. The
    frame is read with an explicit schema, so that running it later needs no setting.
    ``date`` becomes the local day as ``timestamp_ntz``, whatever the session's time zone.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StructType

    paths = [str(p) for p in paths]
    merged = _merged_schema(spark, paths)
    have = merged.fieldNames()
    wanted = [*panel_keys(have), *panel_measures(have), *(c for c in _RULE_COLUMNS if c in have)]
    df = spark.read.schema(StructType([merged[c] for c in wanted])).parquet(*paths)
    if "date" in wanted:
        if isinstance(merged["date"].dataType, LongType):  # pandas' TIMESTAMP(NANOS): naive local time
            days = F.floor(F.col("date") / F.lit(_NANOS_PER_DAY)).cast("int")
            df = df.withColumn("date", F.date_from_unix_date(days).cast("timestamp_ntz"))
        else:
            df = df.withColumn("date", F.col("date").cast("timestamp_ntz"))
    return df


def _facts(content: DataFrame | None, products: DataFrame | None) -> DataFrame:
    """:meth:`fact_toolkit.Dataset.facts` of content and products, on Spark."""
    from pyspark.sql import functions as F

    parts = []
    if content is not None:
        parts.append(content)
    if products is not None:
        if "carrier" in products.columns and content is not None and "content_type" in content.columns:
            loaded = (content.select(F.col("content_type").alias("_loaded_type"))
                      .where(F.col("_loaded_type").isin(*REPEATED_CARRIERS)).distinct())
            products = products.join(loaded, products["carrier"] == loaded["_loaded_type"], "left_anti")
        parts.append(products)
    facts = parts[0]
    for p in parts[1:]:
        facts = facts.unionByName(p, allowMissingColumns=True)
    return facts


def spark_daily(spark: SparkSession, content: Iterable[str | os.PathLike[str]] = (),
                products: Iterable[str | os.PathLike[str]] = ()) -> DataFrame:
    """Aggregate canonical fact rows to the daily panel on Spark.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        Any session: ``SparkSession.builder.master("local[2]")``, ``.master("spark://host:7077")``
        or ``.remote("sc://host:15002")``. Its settings are not changed.
    content : iterable of path
        Canonical ``content.parquet`` files, folders or globs (``Dataset.write`` output);
        exports with different columns are merged.
    products : iterable of path
        Canonical ``products.parquet``; which rows are facts is :meth:`Dataset.facts`'s rule.

    Returns
    -------
    pyspark.sql.DataFrame
        One row per date × fact_channel × account × content type × campaign × currency (the
        keys present), with the additive sums and ``content_count`` (lazy: nothing runs until
        you collect or write it). ``date`` is a ``timestamp_ntz`` (the local day).

    Raises
    ------
    ValueError
        When neither content nor products paths are given.
    """
    content, products = list(content), list(products)
    if not content and not products:
        raise ValueError("name at least one canonical content or products Parquet path")
    facts = _facts(_read(spark, content) if content else None, _read(spark, products) if products else None)
    facts = facts.select(*panel_keys(facts.columns), *panel_measures(facts.columns))
    # spark.sql(…, facts=frame) names the frame for this one query only (no view is left behind)
    return spark.sql(panel_sql("{facts}", facts.columns, dialect="spark"), facts=facts)


def spark_daily_pandas(spark: SparkSession, content: Iterable[str | os.PathLike[str]] = (),
                       products: Iterable[str | os.PathLike[str]] = ()) -> pd.DataFrame:
    """:func:`spark_daily` collected into pandas with the dtypes and order of ``Dataset.daily``."""
    sdf = spark_daily(spark, content, products)
    rows: list[Any] = sdf.collect()
    frame = pd.DataFrame([r.asDict() for r in rows], columns=sdf.columns)
    return conform_panel(frame, panel_keys(sdf.columns), panel_measures(sdf.columns))
