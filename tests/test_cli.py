"""The `fact-toolkit` command: outputs, files written, and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from fact_toolkit.cli import app

from .conftest import LIVE_HEADER, live_rows, write_csv

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess."""
    return subprocess.run([sys.executable, "-m", "fact_toolkit.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_summary_json_uses_registry_names(live_csv: Path) -> None:
    res = runner.invoke(app, ["summary", str(live_csv), "--by", "fact_channel", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    rows = {r["fact_channel"]: r for r in doc["rows"]}
    assert rows["F"]["paid_amount"] == 3000.0
    assert rows["F"]["gpm"] == pytest.approx(100.0)
    assert rows["F"]["roi"] == pytest.approx(2.0)
    assert rows["A"]["ad_spend"] == 0.0
    assert doc["rows_read"] == 3


def test_summary_table_and_csv(live_csv: Path) -> None:
    res = runner.invoke(app, ["summary", str(live_csv)])
    assert res.exit_code == 0
    assert "gpm" in res.stdout and "3 rows read = 3 loaded" in res.stdout
    res = runner.invoke(app, ["summary", str(live_csv), "--by", "date,fact_channel", "--format", "csv"])
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("date,fact_channel,")
    assert len(lines) == 1 + 3  # 04-17 F, 04-18 A, 04-18 F


def test_load_writes_tables_and_report(tmp_path: Path, live_csv: Path) -> None:
    out = tmp_path / "tables"
    res = runner.invoke(app, ["load", str(live_csv), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads((out / "load_report.json").read_text(encoding="utf-8"))
    assert rep["totals"] == {"rows_read": 3, "rows_loaded": 3, "rows_quarantined": 0, "rows_summary": 0}
    f = rep["files"][0]
    assert (f["kind"], f["encoding"], f["header_row"]) == ("compass_live", "utf-8", 1)
    content = pd.read_parquet(out / "content.parquet")
    assert content["paid_amount"].sum() == 6000.0
    daily = pd.read_parquet(out / "daily.parquet")
    assert daily["paid_amount"].sum() == 6000.0 and len(daily) == 3
    # canonical tables load back and summarise the same
    again = runner.invoke(app, ["summary", str(out / "content.parquet"), "--format", "json"])
    assert json.loads(again.stdout)["rows"] == json.loads(
        runner.invoke(app, ["summary", str(live_csv), "--format", "json"]).stdout)["rows"]


def test_quarantine_is_listed_in_the_report(tmp_path: Path) -> None:
    rows = live_rows()
    rows[0][9] = "n/a?"
    out = tmp_path / "o"
    res = runner.invoke(app, ["load", str(write_csv(tmp_path / "q.csv", LIVE_HEADER, rows)), "--out", str(out)])
    assert res.exit_code == 0
    rep = json.loads((out / "load_report.json").read_text(encoding="utf-8"))
    assert rep["totals"]["rows_quarantined"] == 1
    q = rep["quarantine"][0]
    assert (q["row"], q["column"], q["value"]) == (2, "人均观看时长(分钟)", "n/a?")


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {
        "empty": tmp / "empty.csv",
        "header_only": tmp / "header_only.csv",
        "garbage": tmp / "garbage.csv",
        "unknown_columns": tmp / "unknown.csv",
        "truncated_xlsx": tmp / "broken.xlsx",
        "missing_path": tmp / "does_not_exist.csv",
    }
    files["empty"].write_bytes(b"")
    files["header_only"].write_text(",".join(LIVE_HEADER) + "\n", encoding="utf-8")
    files["garbage"].write_bytes(bytes(range(256)) * 4)
    files["unknown_columns"].write_text("foo,bar\n1,2\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.append(["订单id"])
    wb.save(tmp / "ok.xlsx")
    data = (tmp / "ok.xlsx").read_bytes()
    files["truncated_xlsx"].write_bytes(data[: len(data) // 3])
    return files


@pytest.mark.parametrize("case", ["empty", "header_only", "garbage", "unknown_columns", "truncated_xlsx",
                                  "missing_path"])
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, case: str) -> None:
    path = _bad_inputs(tmp_path)[case]
    res = runner.invoke(app, ["summary", str(path)])
    assert res.exit_code == 2
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert path.name in err and "Traceback" not in err


def test_real_process_exit_codes(tmp_path: Path, live_csv: Path) -> None:
    ok = run("summary", str(live_csv), "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["rows_read"] == 3
    bad = run("summary", str(tmp_path / "nope.csv"))
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "nope.csv" in bad.stderr and "Traceback" not in bad.stderr
    verbose = run("--verbose", "summary", str(tmp_path / "nope.csv"))
    assert verbose.returncode == 2 and "Traceback" in verbose.stderr


def test_unknown_by_column_is_input_error(live_csv: Path) -> None:
    res = runner.invoke(app, ["summary", str(live_csv), "--by", "nonsense"])
    assert res.exit_code == 2 and "nonsense" in res.stderr


def test_a_closed_output_pipe_is_not_an_internal_error(sample_dir: Path) -> None:
    # `fact-toolkit summary … | head -2`: the reader goes away after two lines
    proc = subprocess.Popen([sys.executable, "-m", "fact_toolkit.cli", "summary", str(sample_dir), "--by", "date"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    with proc.stdout, proc.stderr:
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert first.strip()
    assert "internal error" not in err and "Traceback" not in err
    assert code in (0, 141)  # 141 = 128 + SIGPIPE, as a program the pipe killed
