"""The loader end to end on small files in real export shapes, with hand-checked numbers."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit import FactInputError

from .conftest import LIVE_HEADER, UNUSABLE_FILES, live_rows, write_csv


def test_compass_live_csv_loads_with_exact_values(live_csv: Path) -> None:
    ds = ft.load(live_csv)
    c = ds.content
    assert len(c) == 3
    assert ds.report.files[0].kind == "compass_live"
    assert c["content_type"].tolist() == ["live"] * 3
    assert c["fact_channel"].tolist() == ["F", "F", "A"]
    assert c["exposure_uv"].tolist()[:2] == [15000, 30000]
    assert c["exposure_uv"].isna().tolist() == [False, False, True]  # "--" is missing, not 0
    assert pd.isna(c["refund_amount"].iloc[2])  # "-" is missing, not 0
    assert c["ad_spend"].tolist() == [500.0, 1000.0, 0.0]
    assert c["duration_sec"].tolist() == [7200.0, 5400.0, 3600.0]  # minutes column
    assert c["avg_watch_sec"].tolist() == [90.0, 120.0, 180.0]
    assert str(c["start_time"].dt.tz) == "Asia/Shanghai"
    assert c["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-04-17", "2026-04-18", "2026-04-18"]
    assert c["source_row"].tolist() == [2, 3, 4]
    assert c["content_id"].iloc[0] == "brand01@20260417100000"


def test_summary_is_ratio_of_sums(live_csv: Path) -> None:
    s = ft.load(live_csv).summary(by="fact_channel")
    assert s.loc["F", "paid_amount"] == 3000.0
    assert s.loc["F", "views"] == 30000
    assert s.loc["F", "gpm"] == pytest.approx(100.0)  # 3000 / 30000 × 1000
    assert s.loc["F", "roi"] == pytest.approx(2.0)    # 3000 / 1500
    assert s.loc["A", "gpm"] == pytest.approx(100.0)
    assert s.loc["F", "gmv_share"] == pytest.approx(3300 / 6600)


def test_gb18030_crlf_file_loads_identically(tmp_path: Path, live_csv: Path) -> None:
    gbk = write_csv(tmp_path / "gbk.csv", LIVE_HEADER, live_rows(), encoding="gb18030", newline="\r\n")
    a, b = ft.load(live_csv), ft.load(gbk)
    assert b.report.files[0].encoding == "gb18030"
    cols = ["paid_amount", "view_pv", "exposure_uv", "start_time", "account_name"]
    pd.testing.assert_frame_equal(a.content[cols], b.content[cols])


def test_total_row_is_excluded_and_counted(tmp_path: Path) -> None:
    rows = live_rows() + [["合计", "", "", "", "", "", "", "", "60000", "", "", "", "", "", "6600", "6000",
                           "", ""]]
    ds = ft.load(write_csv(tmp_path / "t.csv", LIVE_HEADER, rows))
    f = ds.report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined, f.rows_summary) == (4, 3, 0, 1)
    assert ds.content["paid_amount"].sum() == 6000.0


def test_full_width_brackets_and_spaces_in_headers(tmp_path: Path) -> None:
    header = [h.replace("(", "（").replace(")", "）") for h in LIVE_HEADER]
    header[0] = " 主播 昵称 "
    ds = ft.load(write_csv(tmp_path / "fw.csv", header, live_rows()))
    assert ds.content["duration_sec"].iloc[0] == 7200.0
    assert ds.content["account_name"].iloc[0] == "官方旗舰店"


def test_bad_cells_are_quarantined_with_reasons(tmp_path: Path) -> None:
    rows = live_rows()
    rows[0][8] = "一万"  # text in a number column
    rows[1][12] = "-5"   # a negative count
    ds = ft.load(write_csv(tmp_path / "bad.csv", LIVE_HEADER, rows))
    f = ds.report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (3, 1, 2)
    q = {(e.row, e.rule) for e in ds.report.quarantine}
    assert (2, "parse_int") in q
    assert (3, "non_negative") in q
    entry = next(e for e in ds.report.quarantine if e.row == 2)
    assert entry.column == "直播间观看次数" and entry.value == "一万"
    assert "bad.csv" in entry.file


def test_large_file_parses_columns_in_parallel_with_the_same_result(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import fact_toolkit.io.convert as convert

    base = live_rows()
    rows = []
    for i in range(20_000):  # 60,000 rows: above the parallel threshold
        for j, r in enumerate(base):
            r = list(r)
            r[1] = f"{r[1]}_{i}"
            r[3] = f"2026/04/{17 + j % 2} {10 + j}:{i % 60:02d}:{(i // 60) % 60:02d}"
            rows.append(r)
    rows[7][8] = "一万"    # a bad count: row 9 (row 1 is the header)
    rows[59_999][15] = "abc"  # bad money, last row
    path = write_csv(tmp_path / "big.csv", LIVE_HEADER, rows)
    assert len(rows) >= convert._PARALLEL_MIN_ROWS
    threaded = ft.load(path, cache=False)
    monkeypatch.setattr(convert, "_PARALLEL_MIN_ROWS", 10**12)
    serial = ft.load(path, cache=False)
    pd.testing.assert_frame_equal(threaded.content, serial.content)
    assert threaded.report.quarantine == serial.report.quarantine
    assert [(e.row, e.column) for e in threaded.report.quarantine] == [(9, "直播间观看次数"),
                                                                       (60_001, "直播间用户支付金额")]
    assert len(threaded.content) == 59_998
    # rows 7 (a 2000 session) and 59,999 (a 3000 session) are set aside
    assert threaded.content["paid_amount"].sum() == 20_000 * 6000 - 2000 - 3000


def test_duplicate_sessions_identical_kept_once_conflicting_set_aside(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", LIVE_HEADER, live_rows())
    b_rows = live_rows()
    b_rows[1][15] = "2500.00"  # session 2 again, with a different paid amount
    b = write_csv(tmp_path / "b.csv", LIVE_HEADER, b_rows)
    ds = ft.load(a, b)
    t = ds.report.totals
    assert t["rows_read"] == 6
    # sessions 1 and 3 identical in both files → kept once; session 2 conflicts → both copies out
    assert t["rows_loaded"] == 2
    assert t["rows_quarantined"] == 4
    rules = sorted(e.rule for e in ds.report.quarantine)
    assert rules == ["conflicting_duplicate", "conflicting_duplicate", "duplicate", "duplicate"]
    assert ds.content["paid_amount"].sum() == 4000.0


def _tiktok_xlsx(path: Path, gpm_cells: list[object]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026-03-16 ~ 2026-04-12"])
    ws.append([])
    ws.append(["Creator name", "LIVE name", "Start time", "Duration", "GMV", "Direct GMV", "Views",
               "Viewers", "Product impressions", "Product clicks", "CTR", "GMV/1K views"])
    # TikTok's LIVE CTR is product clicks ÷ views: 40 / 2000 = 2%, 30 / 1000 = 3%
    ws.append(["shopA", "spring sale", 46100.5, "1h2m3s", "$1,234.50", 1000.0, 2000, 1500, 800, 40,
               "2.00%", gpm_cells[0]])
    ws.append(["shopA", "restock", "2026-03-20 19:00", "45m", "$500.00", "400.00", "1,000", 900, 500, 30,
               "3.00%", gpm_cells[1]])
    wb.save(path)
    return path


def test_tiktok_banner_xlsx_serial_dates_and_reconciliation(tmp_path: Path) -> None:
    ds = ft.load(_tiktok_xlsx(tmp_path / "tt.xlsx", [500.0, "999.99"]))
    f = ds.report.files[0]
    assert f.kind == "tiktok_live"
    assert f.header_row == 3
    assert f.banner == ["2026-03-16 ~ 2026-04-12"]
    c = ds.content
    assert c["currency"].unique().tolist() == ["USD"]
    assert c["gmv"].tolist() == [1234.5, 500.0]
    assert c["view_pv"].tolist() == [2000, 1000]
    assert c["duration_sec"].tolist() == [3723.0, 2700.0]
    # Excel serial 46100.5 = 1899-12-30 + 46100.5 days = 2026-03-19 12:00
    assert c["start_time"].iloc[0].strftime("%Y-%m-%d %H:%M") == "2026-03-19 12:00"
    assert c["source_row"].tolist() == [4, 5]
    # GMV/1K views = Direct GMV / Views × 1000: row 4 → 500.0 (agrees), row 5 → 400 ≠ 999.99
    assert [(m.row, m.metric) for m in ds.report.mismatches] == [(5, "gpm")]
    assert ds.report.mismatches[0].recomputed == pytest.approx(400.0)


def test_html_table_saved_as_xls(tmp_path: Path) -> None:
    head = "".join(f"<th>{h}</th>" for h in LIVE_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in live_rows())
    p = tmp_path / "直播明细.xls"
    p.write_text(f"<html><meta charset='utf-8'><table><tr>{head}</tr>{body}</table></html>", encoding="utf-8")
    ds = ft.load(p)
    assert ds.report.files[0].format == "html"
    assert ds.content["paid_amount"].sum() == 6000.0


def test_duplicate_header_names(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "p.csv", ["商品ID", "商品信息", "商品信息", "载体类型", "账号类型", "用户支付金额"],
                  [["3701234567890123456", "连衣裙", "夏季新款", "商品卡", "官方账号", "99.50"],
                   ["3701234567890123457\t", "衬衫", "通勤", "直播", "达人", "10"]])
    ds = ft.load(p)
    prod = ds.products
    assert prod["product_id"].tolist() == ["3701234567890123456", "3701234567890123457"]
    assert prod["title"].tolist() == ["连衣裙", "衬衫"]
    assert prod["fact_channel"].tolist() == ["S", "A"]
    assert any("商品信息" in w for w in ds.report.files[0].warnings)
    # no live sessions were loaded, so the live-carrier row is a sale of its own too
    assert ds.facts()["paid_amount"].sum() == 109.5


def test_product_rows_of_loaded_content_are_not_counted_twice(tmp_path: Path, live_csv: Path) -> None:
    p = write_csv(tmp_path / "p.csv", ["商品ID", "商品名称", "载体类型", "账号类型", "用户支付金额"],
                  [["1", "连衣裙", "商品卡", "官方账号", "99.50"],
                   ["2", "衬衫", "直播", "官方账号", "6000.00"],
                   ["3", "裙", "短视频", "达人", "50.00"]])
    ds = ft.load(live_csv, p)
    # the 直播 row repeats the live sessions' 6000; shelf 99.50 and the video row 50 are new
    assert ds.facts()["paid_amount"].sum() == 6000.0 + 99.5 + 50.0


def test_daily_panel_sum_is_missing_when_a_row_lacks_the_value(tmp_path: Path) -> None:
    rows = live_rows()[:2]
    rows[1][3] = "2026/04/17 20:00:00"  # two sessions on one day
    rows[1][8] = "--"                   # the second one's views are unknown
    ds = ft.load(write_csv(tmp_path / "d.csv", LIVE_HEADER, rows))
    day = ds.daily
    assert len(day) == 1
    assert day["paid_amount"].iloc[0] == 3000.0
    assert pd.isna(day["view_pv"].iloc[0])  # not 10000: that would pair 3000 paid with one session's views
    # and the summary pairs per row: GPM from the session that has both = 1000 / 10000 × 1000
    assert ds.summary(by=None)["gpm"].iloc[0] == pytest.approx(100.0)
    assert ft.summarize(day, by=None, metrics=["gpm"])["gpm"].isna().all()


def test_scientific_notation_id_is_quarantined(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "orders.csv", ["订单id", "商品id", "支付金额", "佣金率", "预估佣金支出", "作者账号", "付款时间"],
                  [["6912345678901234567", "1", "100.00", "20.00%", "20.00", "talent09", "2026-04-17 10:52:25"],
                   ["6.91E+18", "1", "50.00", "20.00%", "10.00", "talent09", "2026-04-17 11:00:00"]])
    ds = ft.load(p)
    assert ds.report.files[0].kind == "affiliate_orders"
    assert ds.tables["orders"]["commission_rate"].tolist() == [0.2]
    [q] = ds.report.quarantine
    assert (q.row, q.rule, q.value) == (3, "parse_id", "6.91E+18")


def test_top_kol_rule_from_talent_list(tmp_path: Path, live_csv: Path) -> None:
    talents = write_csv(tmp_path / "达人列表.csv", ["达人昵称", "达人抖音号", "粉丝数"],
                        [["小美达人", "talent09", "520.3万"], ["别人", "other1", "3000"]])
    ds = ft.load(live_csv, talents)
    assert ds.content["fact_channel"].tolist() == ["F", "F", "T"]
    assert ds.tables["talents"]["followers"].tolist() == [5203000, 3000]
    ds2 = ft.load(live_csv, talents, top_kol_min_followers=10_000_000)
    assert ds2.content["fact_channel"].tolist() == ["F", "F", "A"]


def test_campaign_overlay_marks_window_days(tmp_path: Path) -> None:
    rows = live_rows()
    rows[0][3] = "2025/06/18 20:00:00"
    ds = ft.load(write_csv(tmp_path / "c.csv", LIVE_HEADER, rows))
    ids = ds.content["campaign_id"].tolist()
    assert ids[0] == "2025-618"
    assert pd.isna(ids[1])


def test_write_and_reload_canonical_tables(tmp_path: Path, live_csv: Path) -> None:
    ds = ft.load(live_csv)
    ds.write(tmp_path / "out")
    assert (tmp_path / "out" / "content.parquet").exists()
    again = ft.load(tmp_path / "out" / "content.parquet")
    a, b = ds.summary(), again.summary()
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(("name", "content", "expect"), UNUSABLE_FILES)
def test_unusable_files_raise_one_line(tmp_path: Path, name: str, content: bytes, expect: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(FactInputError) as info:
        ft.load(p)
    msg = str(info.value)
    assert expect in msg and name in msg and "\n" not in msg


def test_no_recognised_columns_names_kinds_and_headers(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "x.csv", ["foo", "bar"], [["1", "2"]])
    msg = str(pytest.raises(FactInputError, ft.load, p).value)
    assert "compass_live" in msg and "foo, bar" in msg


def test_missing_required_column_names_it_and_aliases(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "x.csv", ["订单id", "支付金额"], [["1", "2"]])
    msg = str(pytest.raises(FactInputError, ft.load, p, kind="affiliate_orders").value)
    assert "pay_time" in msg and "付款时间" in msg


def test_truncated_xlsx_and_missing_path(tmp_path: Path) -> None:
    good = _tiktok_xlsx(tmp_path / "good.xlsx", [500.0, 400.0])
    bad = tmp_path / "bad.xlsx"
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    assert "bad.xlsx" in str(pytest.raises(FactInputError, ft.load, bad).value)
    assert "not found" in str(pytest.raises(FactInputError, ft.load, tmp_path / "nope.csv").value)


def test_unknown_encoding(tmp_path: Path) -> None:
    p = tmp_path / "enc.csv"
    # UTF-16 without BOM is neither UTF-8 nor GB18030 text
    p.write_bytes(",".join(LIVE_HEADER).encode("utf-16-le")[:-1] + b"\xff\xfe\x00\xd8")
    with pytest.raises(FactInputError) as info:
        ft.load(p)
    assert "enc.csv" in str(info.value)


def test_nothing_lost_or_counted_twice(tmp_path: Path, live_csv: Path) -> None:
    rows = live_rows() + [["合计"] + [""] * (len(LIVE_HEADER) - 1)]
    rows[2][7] = "abc"
    ds = ft.load(live_csv, write_csv(tmp_path / "b.csv", LIVE_HEADER, rows))
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined + f.rows_summary
    t = ds.report.totals
    assert t == {"rows_read": 7, "rows_loaded": 3, "rows_quarantined": 3, "rows_summary": 1}
    assert not math.isnan(ds.summary(by=None)["gpm"].iloc[0])


def test_outputs_are_written_atomically_with_normal_permissions(tmp_path: Path, live_csv: Path) -> None:
    before = live_csv.read_bytes()
    out = tmp_path / "o"
    ft.load(live_csv).write(out)
    assert live_csv.read_bytes() == before  # inputs are never modified
    assert not list(out.glob(".*.tmp"))    # no temporary files left behind
    assert (out / "content.parquet").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_data_dictionary_doc_is_current() -> None:
    from fact_toolkit.schema import data_dictionary

    doc = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"
    assert doc.read_text(encoding="utf-8") == data_dictionary(), "run `make docs`"
