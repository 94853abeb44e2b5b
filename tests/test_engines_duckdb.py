"""The DuckDB engine gives the pandas path's panel, counts and quarantine on small files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit import FactInputError
from fact_toolkit.engines import load_duckdb
from fact_toolkit.io.convert import parse_column
from fact_toolkit.io.sql import parse_sql

from .conftest import LIVE_HEADER, UNUSABLE_FILES, live_rows, write_csv

CELLS = ["1.2万", "1,234.5", "¥1,234.50", "￥12", "12.3%", "-30%", "1.74K", "3.5亿", "Rp9.467.316", "139.000₫",
         "--", "-", " 12 ", "１２３", "1e5", "1_000", "inf", "nan", "NaN", "abc", "-2147483648",
         "-2147483648.0", "5.", "+5", "1.5", "2,5", "'123", "", None, "1.2w", "3701234567890123456",
         "3701234567890123456.0 ", "9007199254740993", "1分30秒", "3小时5分钟45秒", "1m28s", "01:30", "1:02:03",
         "2小时", "2026/04/17 10:52:25", "2026年4月17日", "45123.5", "2026-04-17", "20250801", "2026-4-7 1:2:3",
         "04/17/2026", "2026-02-30", "2026-04-17T10:00:00+00:00", "2026-04-17 10:00 PM", "1.5M", "-5"]


def _same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    if isinstance(a, float):
        return abs(a - float(b)) <= 1e-9 * abs(a)
    return a == b


@pytest.mark.parametrize("kind", ["int", "money", "rate", "duration", "duration_min", "datetime", "date", "id",
                                  "text"])
def test_sql_grammar_matches_python_parsers(kind: str) -> None:
    frame = pd.DataFrame({"x": pd.array(CELLS, dtype="string")})
    con = duckdb.connect()
    con.sql("SET TimeZone = 'UTC'")
    con.register("t", frame)
    p = parse_sql("x", kind)
    got = con.sql(f"SELECT {p.value} AS v, {p.invalid} AS bad FROM t").df()
    values, invalid = parse_column(frame["x"], kind)
    if kind == "datetime":
        values = values.dt.tz_localize(None)
    for i, cell in enumerate(CELLS):
        assert _same(values.iloc[i], got["v"].iloc[i]), (kind, cell, values.iloc[i], got["v"].iloc[i])
        assert bool(invalid.iloc[i]) == bool(got["bad"].iloc[i]), (kind, cell)


def _compare(paths: list[Path], **kw: object) -> tuple[ft.Dataset, ft.Dataset]:
    a = ft.load(*paths, **kw)
    b = load_duckdb(*paths, **kw)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=False, rtol=1e-12, atol=0.005)
    assert a.report.totals == b.report.totals
    for fa, fb in zip(a.report.files, b.report.files, strict=True):
        assert (fa.file, fa.kind, fa.rows_read, fa.rows_loaded, fa.rows_quarantined, fa.rows_summary) == (
            fb.file, fb.kind, fb.rows_read, fb.rows_loaded, fb.rows_quarantined, fb.rows_summary)
    key = lambda q: (q.file, q.row, q.column, q.rule, q.value)  # noqa: E731
    assert sorted(map(key, a.report.quarantine)) == sorted(map(key, b.report.quarantine))
    return a, b


def test_sample_csv_exports_match_pandas_path(sample_dir: Path) -> None:
    # UTF-8-BOM + CRLF + a multi-line quoted title; plain UTF-8; a GB18030 ads file (pandas path)
    a, b = _compare([sample_dir / "短视频明细.csv", sample_dir / "达人直播_头部达人.csv", sample_dir / "达人列表.csv"])
    assert b.daily["content_count"].sum() == len(a.content)
    assert set(b.tables) >= {"daily", "accounts", "talents"}
    acc = b.tables["accounts"]
    assert acc["content_count"].sum() == len(a.content)
    assert acc["gmv"].sum() == pytest.approx(a.content["gmv"].sum())


def test_canonical_parquet_written_by_dataset_write(tmp_path: Path, sample_dir: Path) -> None:
    ds = ft.load(sample_dir / "短视频明细.csv", sample_dir / "达人直播_头部达人.csv")
    ds.write(tmp_path / "out")
    _compare([tmp_path / "out" / "content.parquet"])


def test_bad_cells_duplicates_and_totals_quarantined_identically(tmp_path: Path) -> None:
    rows = live_rows()
    rows[0][8] = "一万"   # text in a count
    rows[1][12] = "-5"    # negative count
    rows.append(["合计", "", "", "", "", "", "", "", "60000", "", "", "", "", "", "6600", "6000", "", ""])
    bad = write_csv(tmp_path / "bad.csv", LIVE_HEADER, rows, newline="\r\n")
    a_rows = live_rows()
    a = write_csv(tmp_path / "a.csv", LIVE_HEADER, a_rows)
    b_rows = live_rows()
    b_rows[1][15] = "2500.00"  # a conflicting copy of session 2
    b = write_csv(tmp_path / "b.csv", LIVE_HEADER, b_rows)
    pa_, pb_ = _compare([bad, a, b])
    rules = sorted(q.rule for q in pb_.report.quarantine)
    assert "parse_int" in rules and "non_negative" in rules and "duplicate" in rules
    assert "conflicting_duplicate" in rules
    entry = next(q for q in pb_.report.quarantine if q.rule == "parse_int")
    assert (entry.row, entry.column, entry.value) == (2, "直播间观看次数", "一万")


def test_gb18030_csv_is_transcoded(tmp_path: Path) -> None:
    gbk = write_csv(tmp_path / "gbk.csv", LIVE_HEADER, live_rows(), encoding="gb18030", newline="\r\n")
    a, b = _compare([gbk])
    assert b.report.files[0].encoding == "gb18030"


def test_blank_line_between_records_numbers_rows_like_pandas(tmp_path: Path) -> None:
    rows = live_rows()
    rows[2][12] = "x"
    p = write_csv(tmp_path / "blank.csv", LIVE_HEADER, rows)
    text = p.read_text(encoding="utf-8").split("\n")
    p.write_text("\n".join([*text[:2], "", *text[2:]]), encoding="utf-8")
    a, b = _compare([p])
    assert [q.row for q in b.report.quarantine] == [5]


@pytest.mark.parametrize(("name", "content", "expect"), UNUSABLE_FILES)
def test_unusable_files_raise_naming_the_file(tmp_path: Path, name: str, content: bytes, expect: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(FactInputError) as info:
        load_duckdb(p)
    msg = str(info.value)
    assert name in msg and "\n" not in msg and expect in msg


def test_csv_duckdb_rejects_is_read_by_the_normal_reader(tmp_path: Path) -> None:
    rows = live_rows() * 30
    for i, r in enumerate(rows):
        r[3] = f"2026/04/{1 + i % 28:02d} {i % 24:02d}:00:00"
    rows[-1] = rows[-1][:-3]  # a short row far below the sampled records: the normal reader pads it
    p = write_csv(tmp_path / "short.csv", LIVE_HEADER, rows)
    _compare([p])
