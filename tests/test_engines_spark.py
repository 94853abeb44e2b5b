"""The Spark engine (local[2]) builds the panel of ``Dataset.daily`` from canonical Parquet.

pyspark comes with the ``spark`` extra and needs Java 17; ``.ci/run`` installs both, so these
tests run on every submission (they skip only on a machine without them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit.dataset import Dataset
from fact_toolkit.engines.panel import conform_panel, panel_keys, panel_measures

ROOT = Path(__file__).resolve().parents[1]

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


def _spark_panel(spark, out: Path) -> pd.DataFrame:
    from fact_toolkit.engines.spark_engine import spark_daily_pandas

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        return spark_daily_pandas(spark, content=[out / "content.parquet"], products=[out / "products.parquet"])


def _same_panel(want: pd.DataFrame, got: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(want, got, check_exact=False, rtol=1e-12, atol=0.005)


def test_spark_panel_equals_pandas_daily(tmp_path: Path, sample_dir: Path, spark) -> None:
    ds = ft.load(sample_dir / "短视频明细.csv", sample_dir / "达人直播_头部达人.csv",
                 sample_dir / "商品载体_商品卡.xlsx")
    ds.write(tmp_path)
    got = _spark_panel(spark, tmp_path)
    _same_panel(ds.daily, got)
    assert got["content_count"].sum() == len(ds.facts())


def test_a_group_missing_one_paid_amount_has_no_total_not_a_partial_sum(tmp_path: Path, sample_dir: Path,
                                                                           spark) -> None:
    ds = ft.load(sample_dir)
    content = ds.content.copy()
    # the first session of the self-broadcast list shares its day and account with one more session
    first = content["source_file"].str.endswith("罗盘_直播明细_自播.xlsx") & (content["source_row"] == 5)
    assert first.sum() == 1
    row = content.loc[first].iloc[0]
    group = (content["fact_channel"] == "F") & (content["date"] == row["date"]) & \
        (content["account_id"] == row["account_id"]) & (content["content_type"] == row["content_type"])
    assert group.sum() == 2
    # summing what is there would put the other session's 22,918.07 CNY on F
    assert content.loc[group & ~first, "paid_amount"].sum() == pytest.approx(22_918.07)
    content.loc[first, "paid_amount"] = np.nan
    edited = Dataset({"content": content, "products": ds.products})
    edited.write(tmp_path)

    want = edited.daily
    got = _spark_panel(spark, tmp_path)
    _same_panel(want, got)
    cell = (got["fact_channel"] == "F") & (got["date"] == row["date"]) & (got["account_id"] == row["account_id"]) & \
        (got["content_type"] == row["content_type"])
    assert cell.sum() == 1
    assert pd.isna(got.loc[cell, "paid_amount"].iloc[0])
    assert got.loc[cell, "gmv"].notna().all()  # only the measure a row lacks is blank
    f = got["fact_channel"] == "F"
    assert got.loc[f, "paid_amount"].sum() == pytest.approx(
        content.loc[(content["fact_channel"] == "F") & ~group, "paid_amount"].sum())


def test_product_rows_count_as_dataset_facts_counts_them(tmp_path: Path, sample_dir: Path, spark) -> None:
    ds = ft.load(sample_dir / "短视频明细.csv", sample_dir / "商品载体_商品卡.xlsx")
    assert set(ds.content["content_type"].unique()) == {"video"}
    products = ds.products.copy()
    assert len(products) == 5840 and set(products["carrier"].unique()) == {"card"}
    products.loc[:49, "carrier"] = "image_text"   # 图文: no content table holds them → facts
    products.loc[50:149, "carrier"] = "live"      # no live session loaded → facts
    products.loc[150:179, "carrier"] = "video"    # videos loaded: the same sales again → not facts
    edited = Dataset({"content": ds.content, "products": products})
    edited.write(tmp_path)

    n_facts = len(ds.content) + 5840 - 30
    assert len(edited.facts()) == n_facts
    got = _spark_panel(spark, tmp_path)
    _same_panel(edited.daily, got)
    assert got["content_count"].sum() == n_facts
    counted = products.loc[:149, "gmv"].sum()
    assert counted > 0
    assert got["gmv"].sum() == pytest.approx(ds.content["gmv"].sum() + products.loc[150:, "gmv"].sum() + counted
                                             - products.loc[150:179, "gmv"].sum())


def test_exports_with_different_columns_are_merged_not_cut(tmp_path: Path, sample_dir: Path, spark) -> None:
    from fact_toolkit.engines.spark_engine import spark_daily_pandas

    videos = ft.load(sample_dir / "短视频明细.csv")
    lives = ft.load(sample_dir / "达人直播_头部达人.csv")
    only_lives = set(panel_measures(lives.content.columns)) - set(videos.content.columns)
    assert {"ad_spend", "view_uv"} <= only_lives
    videos.write(tmp_path / "canonical" / "a_videos")  # first in the glob's order
    lives.write(tmp_path / "canonical" / "b_lives")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        got = spark_daily_pandas(spark, content=[str(tmp_path / "canonical" / "*" / "content.parquet")])
    both = ft.load(sample_dir / "短视频明细.csv", sample_dir / "达人直播_头部达人.csv")
    _same_panel(both.daily, got)
    for m in only_lives:
        assert got[m].notna().any(), m
    assert got["ad_spend"].sum() == pytest.approx(lives.content["ad_spend"].sum())


def test_the_callers_session_is_left_as_it_was(tmp_path: Path, sample_dir: Path, spark) -> None:
    from fact_toolkit.engines.spark_engine import spark_daily

    ds = ft.load(sample_dir / "达人直播_头部达人.csv", sample_dir / "商品载体_商品卡.xlsx")
    ds.write(tmp_path)
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    try:
        before = dict(spark.conf.getAll)
        tables = sorted(t.name for t in spark.catalog.listTables())
        sdf = spark_daily(spark, content=[tmp_path / "content.parquet"], products=[tmp_path / "products.parquet"])
        assert dict(spark.conf.getAll) == before
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            rows = sdf.collect()  # runs with the caller's settings, and still gives local days
        assert dict(spark.conf.getAll) == before
        assert sorted(t.name for t in spark.catalog.listTables()) == tables
    finally:
        spark.conf.unset("spark.sql.session.timeZone")
    got = conform_panel(pd.DataFrame([r.asDict() for r in rows], columns=sdf.columns), panel_keys(sdf.columns),
                        panel_measures(sdf.columns))
    _same_panel(ds.daily, got)


def _readme_spark_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, flags=re.S) if "spark_daily" in b]
    assert len(blocks) == 1, "the README has one Spark example"
    return blocks[0]


def test_the_readme_spark_example_runs_as_written(tmp_path: Path, sample_dir: Path) -> None:
    code = _readme_spark_example()
    cluster = '"spark://host:7077"'
    assert code.count(cluster) == 1
    for month, files in {"2026-03": ["短视频明细.csv", "商品载体_商品卡.xlsx"], "2026-04": ["达人直播_头部达人.csv"]}.items():
        (tmp_path / "exports" / month).mkdir(parents=True)
        for f in files:
            shutil.copy(sample_dir / f, tmp_path / "exports" / month / f)
    # a fresh process in the folder the example's relative paths name (Spark resolves them
    # against the directory its JVM started in), on local[2] instead of the cluster
    script = tmp_path / "example.py"
    script.write_text(code.replace(cluster, '"local[2]"') + "\nspark.stop()\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-W", "ignore::FutureWarning", str(script)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    written = pd.read_parquet(tmp_path / "daily")
    got = conform_panel(written, panel_keys(written.columns), panel_measures(written.columns))
    _same_panel(ft.load(tmp_path / "exports").daily, got)


def test_the_spark_extra_brings_spark_connect_and_the_panel_runs_through_it(tmp_path: Path, sample_dir: Path) -> None:
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(req.replace(" ", "").startswith("pyspark[connect]") for req in extra["spark"])
    ds = ft.load(sample_dir / "达人直播_头部达人.csv", sample_dir / "商品载体_商品卡.xlsx")
    ds.write(tmp_path / "canonical")
    # .remote("local[2]") starts a local Spark Connect server and talks to it over gRPC, as
    # .remote("sc://host:15002") does: it needs the client's packages (grpcio, zstandard …)
    code = textwrap.dedent("""
        from pyspark.sql import SparkSession
        from fact_toolkit.engines.spark_engine import spark_daily_pandas

        spark = SparkSession.builder.remote("local[2]").getOrCreate()
        assert type(spark).__module__ == "pyspark.sql.connect.session", type(spark)
        got = spark_daily_pandas(spark, content=["canonical/content.parquet"], products=["canonical/products.parquet"])
        got.to_pickle("got.pkl")
        spark.stop()
    """)
    out = subprocess.run([sys.executable, "-W", "ignore::FutureWarning", "-c", code], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    _same_panel(ds.daily, pd.read_pickle(tmp_path / "got.pkl"))
