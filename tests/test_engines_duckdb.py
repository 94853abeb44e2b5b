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


# ------------------------------------------------------------------ the grouped main scan
# (rows are grouped on raw account cells and parsed per group; IDs checked by the key scan)

VIDEO_HEADER = ["视频ID", "达人昵称", "达人抖音号", "账号类型", "发布时间", "视频观看次数", "点赞数", "成交订单数",
                "用户支付金额(元)", "成交金额(元)"]


def _video(vid: str, name: str, acct: str, atype: str, when: str, gmv: str, views: str = "100") -> list[str]:
    return [vid, name, acct, atype, when, views, "5", "1", gmv, gmv]


def _write_parquet(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {h: pa.array([r[j] for r in rows], pa.string()) for j, h in enumerate(header)}
    pq.write_table(pa.table(cols), path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_account_cells_needing_normalisation_group_like_pandas(tmp_path: Path, fmt: str) -> None:
    # one official account written three ways (spaces, full-width letters, "Official" in English)
    # and one creator: two panel rows on 2026-04-17 holding 10 + 20 + 30 = 60 and 7
    rows = [_video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            _video("1002", " 品牌店 ", " brand01 ", " 官方账号", "2026-04-17 11:00:00", "20"),
            _video("1003", "品牌店", "ｂｒａｎｄ01", "Official", "2026-04-17 12:00:00", "30"),
            _video("1004", "小美", "talent09", "达人", "2026-04-17 13:00:00", "7")]
    write = write_csv if fmt == "csv" else _write_parquet
    p = write(tmp_path / f"短视频明细.{fmt}", VIDEO_HEADER, rows)
    a, b = _compare([p])
    daily = b.daily.set_index("account_id")
    assert sorted(daily.index) == ["brand01", "talent09"]
    assert daily.loc["brand01", "gmv"] == 60.0 and daily.loc["brand01", "content_count"] == 3
    assert daily.loc["brand01", "fact_channel"] == "F" and daily.loc["talent09", "fact_channel"] == "A"
    assert daily.loc["brand01", "account_name"] == "品牌店"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_total_rows_at_the_edges_and_an_account_called_total(tmp_path: Path, fmt: str) -> None:
    # a total in the ID column at the top, one in the name column at the bottom; an account
    # really named "Total" in the middle stays data: 4 videos loaded, 2 summary rows
    rows = [["合计", "", "", "", "", "400", "20", "4", "100", "100"],
            _video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            _video("1002", "Total", "acct_total", "达人", "2026-04-17 11:00:00", "20"),
            _video("1003", "品牌店", "brand01", "官方账号", "2026-04-18 10:00:00", "30"),
            _video("1004", "小美", "talent09", "达人", "2026-04-18 13:00:00", "40"),
            ["", "总计", "", "", "", "400", "20", "4", "100", "100"]]
    write = write_csv if fmt == "csv" else _write_parquet
    p = write(tmp_path / f"短视频明细.{fmt}", VIDEO_HEADER, rows)
    a, b = _compare([p])
    fr = b.report.files[0]
    assert (fr.rows_read, fr.rows_loaded, fr.rows_summary, fr.rows_quarantined) == (6, 4, 2, 0)
    assert b.daily["gmv"].sum() == 100.0
    assert "Total" in set(b.daily["account_name"])


@pytest.mark.parametrize("bad_cell", [False, True])
def test_total_rows_on_the_inner_edge_records_beside_repeats(tmp_path: Path, bad_cell: bool) -> None:
    # totals as the second and the second-to-last records of a file large enough to be
    # scanned in parallel (its total rows are then checked against its edge records), a
    # video repeated (identical) and optionally a count that does not parse: the details
    # pass (the repeats only, or every problem row) tests total labels on the edge records
    # alone and must still find both. 3,007 records: 2 summary, 1 duplicate (+1 parse
    # failure) quarantined, the rest loaded
    middle = [_video(str(5000 + i), "品牌店", "brand01", "官方账号", f"2026-04-{1 + i // 100:02d} 10:{i % 60:02d}:00",
                     str(i % 50)) for i in range(3000)]
    rows = [_video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            ["合计", "", "", "", "", "400", "20", "4", "100", "100"],
            _video("1002", "甲", "a1", "达人", "2026-04-17 11:00:00", "20"),
            *middle,
            _video("1003", "品牌店", "brand01", "官方账号", "2026-04-18 10:00:00", "30",
                   views="一百" if bad_cell else "100"),
            _video("1002", "甲", "a1", "达人", "2026-04-17 11:00:00", "20"),
            ["", "总计", "", "", "", "400", "20", "4", "100", "100"],
            _video("1004", "小美", "talent09", "达人", "2026-04-18 13:00:00", "40")]
    a, b = _compare([write_csv(tmp_path / "短视频明细.csv", VIDEO_HEADER, rows)])
    fr = b.report.files[0]
    assert (fr.rows_read, fr.rows_summary, fr.rows_quarantined, fr.rows_loaded) == (
        (3007, 2, 2, 3003) if bad_cell else (3007, 2, 1, 3004))
    assert sorted(q.rule for q in b.report.quarantine) == ["duplicate", *(["parse_int"] if bad_cell else [])]


def test_a_record_of_empty_cells_before_the_total_row(tmp_path: Path) -> None:
    # a record of empty cells (numbered, never counted), then data, a total row as the second
    # counted record, a count that does not parse and a repeat: the total row is still found
    # by the details pass (and not quarantined as a row missing its required values)
    rows = [[""] * len(VIDEO_HEADER),
            _video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            ["合计", "", "", "", "", "400", "20", "4", "100", "100"],
            _video("1002", "甲", "a1", "达人", "2026-04-17 11:00:00", "20"),
            _video("1003", "品牌店", "brand01", "官方账号", "2026-04-18 10:00:00", "30", views="一百"),
            _video("1002", "甲", "a1", "达人", "2026-04-17 11:00:00", "20"),
            _video("1004", "小美", "talent09", "达人", "2026-04-18 13:00:00", "40")]
    a, b = _compare([write_csv(tmp_path / "短视频明细.csv", VIDEO_HEADER, rows)])
    assert b.report.totals == {"rows_read": 6, "rows_loaded": 3, "rows_quarantined": 2, "rows_summary": 1}
    assert [(q.row, q.rule) for q in b.report.quarantine] == [(6, "parse_int"), (7, "duplicate")]
    pd.testing.assert_frame_equal(a.report.quarantine_frame(), b.report.quarantine_frame())


def test_a_repeated_row_that_breaks_a_rule_lists_its_entries_in_the_pandas_order(tmp_path: Path) -> None:
    # video 2 twice, both with -5 views: the second copy's entries are its duplicate entry,
    # then its rule entry, on both paths (the first copy has only the rule entry)
    v = lambda i, views="100": _video(str(i), "品牌店", "brand01", "官方账号",  # noqa: E731
                                      f"2026-04-17 10:{i:02d}:00", "10", views)
    a, b = _compare([write_csv(tmp_path / "短视频明细.csv", VIDEO_HEADER, [v(1), v(2, "-5"), v(3), v(2, "-5"), v(4)])])
    assert [(q.row, q.rule) for q in b.report.quarantine] == [(3, "non_negative"), (5, "duplicate"),
                                                              (5, "non_negative")]
    pd.testing.assert_frame_equal(a.report.quarantine_frame(), b.report.quarantine_frame())


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("other_id", ["1009", " 1009", "1.5e+18"])
def test_repeated_video_ids_plain_or_not(tmp_path: Path, fmt: str, other_id: str) -> None:
    # 1002 twice with identical values (kept once), 1003 twice with different GMV (both set
    # aside); the last ID is plain digits, digits with a space (parsed by the full grammar) or
    # scientific notation (quarantined)
    rows = [_video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            _video("1002", "品牌店", "brand01", "官方账号", "2026-04-17 11:00:00", "20"),
            _video("1002", "品牌店", "brand01", "官方账号", "2026-04-17 11:00:00", "20"),
            _video("1003", "小美", "talent09", "达人", "2026-04-17 12:00:00", "30"),
            _video("1003", "小美", "talent09", "达人", "2026-04-17 12:00:00", "31"),
            _video(other_id, "小美", "talent09", "达人", "2026-04-18 12:00:00", "40")]
    write = write_csv if fmt == "csv" else _write_parquet
    p = write(tmp_path / f"短视频明细.{fmt}", VIDEO_HEADER, rows)
    a, b = _compare([p])
    rules = sorted(q.rule for q in b.report.quarantine)
    sci = other_id.endswith("e+18")
    assert rules == sorted(["duplicate", "conflicting_duplicate", "conflicting_duplicate",
                            *(["parse_id"] if sci else [])])
    fr = b.report.files[0]
    assert (fr.rows_loaded, fr.rows_quarantined) == ((2, 4) if sci else (3, 3))
    assert b.daily["gmv"].sum() == (30.0 if sci else 70.0)


def test_repeated_ids_across_a_csv_and_a_parquet_file(tmp_path: Path) -> None:
    rows = [_video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            _video("1002", "小美", "talent09", "达人", "2026-04-17 11:00:00", "20")]
    c = write_csv(tmp_path / "短视频明细.csv", VIDEO_HEADER, rows)
    q = _write_parquet(tmp_path / "短视频明细2.parquet", VIDEO_HEADER, [rows[1]])
    a, b = _compare([c, q])
    assert [q.rule for q in b.report.quarantine] == ["duplicate"]
    assert b.daily["gmv"].sum() == 30.0


def test_times_in_two_formats_take_the_fast_path_or_the_full_grammar(tmp_path: Path) -> None:
    # the sample decides the fast format (slashes); dashes and Chinese dates still parse
    rows = [_video(str(1000 + i), "小美", "talent09", "达人", f"2026/04/{1 + i % 28:02d} 10:00:00", "1")
            for i in range(250)]
    rows += [_video("2001", "小美", "talent09", "达人", "2026-04-17 10:00:00", "2"),
             _video("2002", "小美", "talent09", "达人", "2026年4月17日", "3"),
             _video("2003", "小美", "talent09", "达人", "yesterday", "4")]
    p = write_csv(tmp_path / "短视频明细.csv", VIDEO_HEADER, rows)
    a, b = _compare([p])
    assert [q.rule for q in b.report.quarantine] == ["parse_datetime"]
    assert b.daily.loc[b.daily["date"] == pd.Timestamp("2026-04-17"), "gmv"].sum() == 9 + 2 + 3


def test_record_longer_than_duckdbs_line_limit_goes_through_the_normal_reader(tmp_path: Path) -> None:
    from fact_toolkit.engines.rowscan.sources import _CSV_MAX_LINE

    # 30 note columns (ignored) of 100,000 characters each on one record: a 3 MB line
    width = 30
    assert width * 100_000 > _CSV_MAX_LINE
    header = VIDEO_HEADER + [f"备注{j}" for j in range(width)]
    rows = [_video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10") + [""] * width,
            _video("1002", "小美", "talent09", "达人", "2026-04-17 11:00:00", "20") + ["x" * 100_000] * width]
    p = write_csv(tmp_path / "短视频明细.csv", header, rows)
    a, b = _compare([p])
    assert b.daily["gmv"].sum() == 30.0


@pytest.mark.parametrize(("text", "blank"), [
    (b"h\na\nb\n", False), (b"h\na\n\nb\n", True), (b"h\na\nb\n\n\n", False), (b"h\r\na\r\n\r\nb\r\n", True),
    (b"h\ra\r\rb\r", True), (b"h\na\nb\n \n", False), (b"h\n\na\n", True)])
@pytest.mark.parametrize("block", [3, 1 << 20])
def test_blank_record_found_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: bytes,
                                          blank: bool, block: int) -> None:
    from fact_toolkit.engines.rowscan import sources

    monkeypatch.setattr(sources, "_BLANK_BLOCK", block)
    p = tmp_path / "x.csv"
    p.write_bytes(text)
    assert sources._has_blank_record(p, 2) is blank


@pytest.mark.parametrize("repeat", [False, True])
def test_blank_line_only_matters_when_rows_are_numbered(tmp_path: Path, repeat: bool) -> None:
    # DuckDB skips the blank line; counts and sums do not change. With a repeated ID (a row
    # number is reported) the file is re-read by the normal reader: the copy is row 5
    rows = [_video("1001", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10"),
            _video("1002", "小美", "talent09", "达人", "2026-04-17 11:00:00", "20"),
            _video("1001" if repeat else "1003", "品牌店", "brand01", "官方账号", "2026-04-17 10:00:00", "10")]
    p = write_csv(tmp_path / "短视频明细.csv", VIDEO_HEADER, rows)
    lines = p.read_text(encoding="utf-8").split("\n")
    p.write_text("\n".join([*lines[:2], "", *lines[2:]]), encoding="utf-8")
    a, b = _compare([p])
    assert b.report.files[0].rows_read == 3
    assert [(q.row, q.rule) for q in b.report.quarantine] == ([(5, "duplicate")] if repeat else [])
    assert b.daily["gmv"].sum() == (30.0 if repeat else 40.0)


@pytest.mark.parametrize(("cells", "currency"), [
    (["£1,250.00", "12.50"], "GBP"),  # a symbol the engine's own short list lacked
    (["HK$1,250.00", "12.50"], "HKD"),  # HK$ before $
    (["1250.00", "¥12.50"], "CNY"),  # the first money column has no symbol: the next one decides
])
def test_currency_detection_matches_pandas_path(tmp_path: Path, cells: list[str], currency: str) -> None:
    p = write_csv(tmp_path / "live.csv", ["Creator name", "Start time", "GMV", "Refunds", "Views"],
                  [["shop", "2026-03-20 19:00", cells[0], cells[1], "1000"],
                   ["shop", "2026-03-21 19:00", cells[0], cells[1], "1000"]])
    a, b = _compare([p])
    assert a.content["currency"].tolist() == [currency, currency]
    assert b.daily["currency"].tolist() == [currency, currency]


@pytest.mark.parametrize("label", ["合计：", "Ｔｏｔａｌ", "总计"])
def test_full_width_total_labels_match_pandas_path(tmp_path: Path, label: str) -> None:
    rows = [_video("7301", "甲", "a1", "达人", "2026-03-20 10:00:00", "10.5"),
            _video("7302", "乙", "a2", "达人", "2026-03-21 10:00:00", "20.5"),
            [label, "", "", "", "", "200", "10", "2", "31", "31"]]
    a, b = _compare([write_csv(tmp_path / "v.csv", VIDEO_HEADER, rows)])
    assert a.report.totals["rows_summary"] == b.report.totals["rows_summary"] == 1


def test_a_repeated_id_differing_only_in_text_is_one_version_in_both_paths(tmp_path: Path) -> None:
    # the same video exported twice, its creator renamed in between: same numbers, so a
    # plain duplicate (one copy kept), not a conflicting one
    rows = [_video("7301", "甲", "a1", "达人", "2026-03-20 10:00:00", "10.5"),
            _video("7301", "甲 (新名)", "a1", "达人", "2026-03-20 10:00:00", "10.5"),
            _video("7302", "乙", "a2", "达人", "2026-03-21 10:00:00", "20.5")]
    a, b = _compare([write_csv(tmp_path / "v.csv", VIDEO_HEADER, rows)])
    assert [q.rule for q in a.report.quarantine] == [q.rule for q in b.report.quarantine] == ["duplicate"]
    assert b.daily["content_count"].sum() == 2


def _limit_mib(con: duckdb.DuckDBPyConnection) -> float:
    """The connection's memory limit as DuckDB reports it (``'1.0 GiB'``), in MiB."""
    number, unit = con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0].split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "TiB": 1024 ** 2}[unit]


#: one text of 1M × 105 characters (about 105 MB): a table no small memory limit holds
_TOO_BIG = "SELECT string_agg(repeat('x', 100) || (i % 10000 + 10000), '') AS s FROM range(1000000) t(i)"


def test_the_fallback_memory_limit_is_measured_by_duckdb_not_probed_at_import() -> None:
    import subprocess
    import sys

    from fact_toolkit.engines.duckdb_engine import FALLBACK_MEMORY_LIMIT

    # importing the engine asks the OS nothing (os.sysconf does not exist on Windows)
    code = "import os; del os.sysconf; import fact_toolkit.engines.duckdb_engine; print('imported')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and "imported" in out.stdout, out.stderr[-2000:]
    # applied, it is three quarters of the memory DuckDB sees (its own default is 80 %)
    con = duckdb.connect()
    try:
        con.sql("SET memory_limit = '80%'")
        eighty = _limit_mib(con)
        con.sql(f"SET memory_limit = '{FALLBACK_MEMORY_LIMIT}'")
        fallback = _limit_mib(con)
    finally:
        con.close()
    assert fallback / eighty == pytest.approx(0.75 / 0.80, rel=0.01)


def test_lines_from_arrow_get_the_pandas_paths_dtypes() -> None:
    # DuckDB's grouped lines become pandas columns straight from Arrow: a day, a text column
    # with no value at all (Arrow's null type), a money sum, an int sum with a missing value
    # and the row counts, each in the dtype the pandas path gives that kind (validate.DTYPES)
    import datetime as dt

    import pyarrow as pa

    from fact_toolkit.dataset import ROWS, present
    from fact_toolkit.engines.duckdb_engine import _lines

    lines = pa.table({
        "date": pa.array([dt.datetime(2026, 4, 17), dt.datetime(2026, 4, 18)], pa.timestamp("us")),
        "account_id": pa.array([None, None], pa.null()),
        "account_name": ["甲", None],
        "gmv": [1000.5, None], present("gmv"): [2, 0],
        "view_pv": pa.array([30000, None], pa.int64()), present("view_pv"): [2, 1],
        ROWS: [2, 1],
    })
    got = _lines("content", lines, ["date", "account_id", "account_name"], ["gmv", "view_pv"])
    assert {c: str(t) for c, t in got.dtypes.items()} == {
        "date": "datetime64[ns]", "account_id": "string", "account_name": "string", "gmv": "float64",
        present("gmv"): "Int64", "view_pv": "Int64", present("view_pv"): "Int64", ROWS: "Int64"}
    assert got["date"].tolist() == [pd.Timestamp("2026-04-17"), pd.Timestamp("2026-04-18")]
    assert got["account_id"].isna().all() and got["account_name"].tolist()[0] == "甲"
    assert got["view_pv"].tolist()[0] == 30000 and got["view_pv"].isna().tolist() == [False, True]


def _spy_loads(monkeypatch: pytest.MonkeyPatch, default: str, fallback: str) -> list[tuple[str, str | None]]:
    """Set the engine's two memory limits and record each whole load's (limit, raise-to)."""
    from fact_toolkit.engines import duckdb_engine

    monkeypatch.setattr(duckdb_engine, "DEFAULT_MEMORY_LIMIT", default)
    monkeypatch.setattr(duckdb_engine, "FALLBACK_MEMORY_LIMIT", fallback)
    loads: list[tuple[str, str | None]] = []
    real = duckdb_engine._load

    def spy(paths: tuple[str, ...], options: object, limit: str, more: str | None, threads: int | None) -> ft.Dataset:
        loads.append((limit, more))
        return real(paths, options, limit, more, threads)  # type: ignore[arg-type]

    monkeypatch.setattr(duckdb_engine, "_load", spy)
    return loads


def test_out_of_memory_retries_the_load_once_at_the_higher_limit_then_says_so(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB's CSV reader wants 32 MiB blocks: under 1 MB and then 2 MB nothing can be read. The
    # load runs once under each limit and ends in one line naming the last one, not in an
    # internal error.
    path = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, live_rows())
    loads = _spy_loads(monkeypatch, "1MB", "2MB")
    with pytest.raises(FactInputError, match=r"直播明细\.csv: DuckDB ran out of memory under memory_limit='2MB'") as err:
        load_duckdb(path)
    assert loads == [("1MB", "2MB"), ("2MB", None)]
    assert "\n" not in str(err.value) and "Possible solutions" not in str(err.value)
    loads.clear()
    with pytest.raises(FactInputError, match="memory_limit='1MB'"):
        load_duckdb(path, memory_limit="1MB")  # a limit given is the only one
    assert loads == [("1MB", None)]


def test_a_load_whose_step_raised_the_limit_is_not_run_again_at_that_limit(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # A repeated session sends the load through a work table. Here that step also holds a
    # 105 MB text that fits neither under 64 MB nor under the 96 MB it raises the limit to:
    # the load then fails under 96 MB, and running it all again under the same 96 MB would
    # only fail again, later.
    from fact_toolkit.engines.rowscan import repeats

    rows = live_rows()
    path = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, [*rows, rows[0]])
    loads = _spy_loads(monkeypatch, "64MB", "96MB")
    real = repeats._work_table
    def with_too_big(ctx: object, name: str, select: str) -> None:
        real(ctx, name + "_big", _TOO_BIG)  # type: ignore[arg-type]
        real(ctx, name, select)  # type: ignore[arg-type]

    monkeypatch.setattr(repeats, "_work_table", with_too_big)
    with pytest.raises(FactInputError, match="memory_limit='96MB'"):
        load_duckdb(path)
    assert loads == [("64MB", "96MB")]


@pytest.mark.parametrize("more", [None, "1GB"])
def test_a_work_table_too_big_for_the_limit_raises_it_once_or_fails(tmp_path: Path, more: str | None) -> None:
    # One text of 1M × 105 characters (_TOO_BIG) cannot be held under a 20 MB limit. With a
    # higher limit to go to, the table is made under it (and the limit stays raised for the
    # rest of the load); without one, DuckDB's own error comes through.
    from fact_toolkit.engines.rowscan.repeats import _work_table
    from fact_toolkit.engines.rowscan.sources import _Ctx

    con = duckdb.connect()
    try:
        con.sql("SET memory_limit = '20MB'")
        con.sql(f"SET temp_directory = '{tmp_path / 'spill'}'")
        ctx = _Ctx(con, tmp_path, None, "Asia/Shanghai", None, None, more_memory=more)
        if more is None:
            with pytest.raises(duckdb.OutOfMemoryException):
                _work_table(ctx, "big", _TOO_BIG)
            return
        _work_table(ctx, "big", _TOO_BIG)
        assert con.sql("SELECT strlen(s) FROM big").fetchall() == [(1_000_000 * 105,)]
        assert _limit_mib(con) > 900  # 1GB, not 20MB any more
        assert ctx.more_memory is None
    finally:
        con.close()
