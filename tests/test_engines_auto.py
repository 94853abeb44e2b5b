"""``engine="auto"``: the default picks the engine by the inputs' size and says why."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import fact_toolkit as ft
from fact_toolkit.cli import app
from fact_toolkit.engines.dispatch import choose_engine

from .conftest import LIVE_HEADER, live_rows, write_csv


def test_small_inputs_load_with_pandas_and_the_report_says_why(live_csv: Path) -> None:
    ds = ft.load(live_csv)
    assert ds.report.engine == "pandas"
    assert "about 3 rows, at most 2,000,000" in ds.report.engine_reason
    assert len(ds.content) == 3


def test_above_the_threshold_duckdb_runs(live_csv: Path) -> None:
    engine, why = choose_engine([live_csv], threshold=2)
    assert engine == "duckdb" and "about 3 rows, more than 2" in why


def test_parquet_rows_come_from_the_footer(tmp_path: Path) -> None:
    p = tmp_path / "content.parquet"
    pq.write_table(pa.table({"x": list(range(1234))}), p)
    assert choose_engine([p], threshold=1233)[0] == "duckdb"
    assert choose_engine([p], threshold=1234)[0] == "pandas"


def test_an_explicit_engine_is_kept(live_csv: Path) -> None:
    ds = ft.load(live_csv, engine="duckdb")
    assert (ds.report.engine, ds.report.engine_reason) == ("duckdb", "engine='duckdb' was asked for")


def test_cli_default_is_auto_and_the_report_names_the_engine(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, live_rows())
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["load", str(p), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads((out / "load_report.json").read_text(encoding="utf-8"))
    assert rep["engine"] == "pandas" and rep["engine_reason"].startswith("engine='auto'")
    assert "engine: pandas" in res.output


@pytest.mark.parametrize("bad", ["spark", "Auto"])
def test_unknown_engine_is_one_clear_error(live_csv: Path, bad: str) -> None:
    with pytest.raises(ft.FactInputError, match="unknown engine"):
        ft.load(live_csv, engine=bad)


def _bad_rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        r = live_rows()[i % 3]
        r[3] = f"2026/04/{1 + i // 200:02d} {i % 24:02d}:{(i // 24) % 60:02d}:00"
        r[8] = "一万" if i % 3 == 1 else r[8]  # every third row: text in a count
        rows.append(r)
    return rows


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_quarantine_goes_to_parquet_and_the_json_keeps_counts_and_100_examples(tmp_path: Path,
                                                                                engine: str) -> None:
    # 330 sessions, 110 with 一万 in 直播间观看次数: 110 quarantine entries, 100 inline
    p = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, _bad_rows(330))
    ds = ft.load(p, engine=engine)
    assert len(ds.report.quarantine) == 110
    out = tmp_path / "out"
    ds.write(out)
    import pandas as pd

    q = pd.read_parquet(out / "quarantine.parquet")
    assert list(q.columns) == ["file", "row", "column", "value", "rule", "reason"]
    assert len(q) == 110 and set(q["rule"]) == {"parse_int"} and set(q["value"]) == {"一万"}
    assert sorted(q["row"])[:2] == [3, 6]  # data row 2 is file row 3 (the header is row 1)
    pd.testing.assert_frame_equal(q, ds.report.quarantine_frame())
    rep = json.loads((out / "load_report.json").read_text(encoding="utf-8"))
    assert rep["quarantine_total"] == 110 and len(rep["quarantine"]) == 100
    assert rep["quarantine_counts"] == [{"file": str(p), "rule": "parse_int", "entries": 110, "rows": 110}]
    # the written folder loads again without its quarantine file being taken for an export
    again = ft.load(out, engine="pandas")
    assert again.report.totals["rows_read"] > 0
