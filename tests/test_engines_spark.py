"""The Spark engine (local[2]) aggregates canonical Parquet to the same panel as pandas."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import fact_toolkit as ft

pytestmark = pytest.mark.slow

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (optional extra: fact_toolkit[spark])")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip("no Java runtime on PATH: Spark cannot start", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # py4j gateway sockets
        session = (SparkSession.builder.master("local[2]").appName("fact_toolkit-test")
                   .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


def test_spark_panel_equals_pandas_daily(tmp_path: Path, sample_dir: Path, spark) -> None:
    from fact_toolkit.engines.spark_engine import spark_daily_pandas

    ds = ft.load(sample_dir / "短视频明细.csv", sample_dir / "达人直播_头部达人.csv",
                 sample_dir / "商品载体_商品卡.xlsx")
    out = tmp_path / "out"
    ds.write(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        got = spark_daily_pandas(spark, content=[out / "content.parquet"], products=[out / "products.parquet"])
    pd.testing.assert_frame_equal(ds.daily, got, check_exact=False, rtol=1e-12, atol=0.005)
    assert got["content_count"].sum() == len(ds.facts())
