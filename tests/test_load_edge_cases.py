"""Edge cases found in review: each a small file in a real shape, with hand-checked outcomes."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit import FactInputError

from .conftest import LIVE_HEADER, live_rows, write_csv


def test_account_named_total_in_the_middle_is_data(tmp_path: Path) -> None:
    rows = live_rows() + live_rows()
    for i, r in enumerate(rows):
        r[1] = f"acc{i}"
    rows[2][0] = "Total"  # a real account name, in the middle of the file
    ds = ft.load(write_csv(tmp_path / "t.csv", LIVE_HEADER, rows))
    f = ds.report.files[0]
    assert (f.rows_loaded, f.rows_summary) == (6, 0)
    assert "Total" in set(ds.content["account_name"])


def test_total_row_with_full_width_colon_and_mismatched_totals(tmp_path: Path) -> None:
    rows = live_rows() + [["合计："] + [""] * 14 + ["9999.00", "", ""]]
    ds = ft.load(write_csv(tmp_path / "t.csv", LIVE_HEADER, rows))
    f = ds.report.files[0]
    assert f.rows_summary == 1 and f.rows_loaded == 3
    # the export's own total (9999) disagrees with its rows (6000): said, not hidden
    assert any("paid_amount = 9,999.00" in w and "6,000.00" in w for w in f.warnings)


def test_unusable_sheet_is_listed_and_the_usable_one_loaded(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "直播明细"
    ws.append(LIVE_HEADER)
    for r in live_rows():
        ws.append(r)
    notes = wb.create_sheet("备注")
    notes.append(["说明", "内容"])
    for i in range(5):
        notes.append([f"第{i}条", "导出说明"])
    wb.save(tmp_path / "book.xlsx")
    ds = ft.load(tmp_path / "book.xlsx")
    assert ds.report.totals["rows_loaded"] == 3
    [f] = ds.report.files
    assert any("skipped 5 row(s)" in w and "备注" in w for w in f.warnings)
    assert "备注" in str(ds.report)


def test_a_column_that_is_mostly_unreadable_is_one_clear_error(tmp_path: Path) -> None:
    rows = live_rows() * 3
    for i, r in enumerate(rows):
        r[3] = f"2026/04/{10 + i:02d} 10:00:00"
        r[8] = "很多"  # every 观看次数 cell is text
    with pytest.raises(FactInputError) as info:
        ft.load(write_csv(tmp_path / "v.csv", LIVE_HEADER, rows))
    msg = str(info.value)
    assert "9 of 9 cells cannot be read as int" in msg and "直播间观看次数" in msg and "row 2" in msg


def test_follower_ranges_and_rates_without_percent(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "达人.csv", ["达人昵称", "达人抖音号", "粉丝数", "佣金率"],
                  [["a", "a1", "7.5w~10w", "25%"], ["b", "b1", "10w+", "0.3"], ["c", "c1", "1.2万", "32"]])
    ds = ft.load(p)
    t = ds.tables["talents"]
    assert t["followers"].tolist() == [87500.0, 100000.0]  # the middle of 7.5w~10w; the lower end of 10w+
    [q] = ds.report.quarantine  # 32 is not a rate: 32% must be written with %
    assert (q.row, q.rule) == (4, "rate_range")


def test_tiktok_average_price_is_gmv_over_orders(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "tt.csv", ["Creator name", "Start time", "GMV", "Orders", "Customers", "Views",
                                        "Avg. price"],
                  [["shop", "2026-03-20 19:00", "$1,000.00", "20", "10", "5000", "50.00"]])
    ds = ft.load(p)
    assert ds.report.files[0].kind == "tiktok_live"
    assert ds.content["currency"].tolist() == ["USD"]
    assert not ds.report.mismatches  # 1000 / 20 orders = 50, not 1000 / 10 customers


def test_english_live_list_without_direct_gmv_is_tiktok_and_not_yuan(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "live.csv", ["Creator name", "LIVE start time", "Views", "GMV"],
                  [["shop", "2026-03-20 19:00", "1000", "250.5"]])
    ds = ft.load(p)
    f = ds.report.files[0]
    assert f.kind == "tiktok_live"
    assert ds.content["currency"].tolist() == ["USD"]
    assert any("assumed USD" in w for w in f.warnings)  # no symbol in the cells: said so


@pytest.mark.parametrize(
    ("header", "kind", "content_type"),
    [
        (["视频ID", "达人昵称", "发布时间", "视频观看次数", "用户支付金额(元)", "成交订单数"], "compass_video", "video"),
        (["主播昵称", "开播时间", "下播时间", "观看次数", "用户支付金额", "点赞次数", "评论次数"], "compass_live", "live"),
    ],
)
def test_minimal_live_and_video_lists_are_told_apart(tmp_path: Path, header: list[str], kind: str,
                                                     content_type: str) -> None:
    row = ["7301234567890123456" if h == "视频ID" else "2026-04-17 10:00:00" if "时间" in h else
           "x" if "昵称" in h else "10" for h in header]
    ds = ft.load(write_csv(tmp_path / "f.csv", header, [row]))
    assert ds.report.files[0].kind == kind
    assert ds.content["content_type"].tolist() == [content_type]


def test_unit_suffix_headers_map(tmp_path: Path) -> None:
    header = [h + "(人数)" if h.endswith("人数") else h for h in LIVE_HEADER]
    ds = ft.load(write_csv(tmp_path / "u.csv", header, live_rows()))
    assert ds.content["view_uv"].tolist() == [9000, 18000, 25000]


def test_daily_overview_loaded_twice_is_counted_once(tmp_path: Path) -> None:
    header = ["日期", "直播间观看次数", "直播间用户支付金额"]
    rows = [["2026-04-17", "1000", "500.00"], ["2026-04-18", "2000", "700.00"]]
    a = write_csv(tmp_path / "核心数据.csv", header, rows)
    b = tmp_path / "核心数据 (1).csv"
    shutil.copy(a, b)
    ds = ft.load(a, b)
    assert ds.report.totals == {"rows_read": 4, "rows_loaded": 2, "rows_quarantined": 2, "rows_summary": 0}
    assert ds.summary(by=None)["paid_amount"].iloc[0] == 1200.0
    assert {q.rule for q in ds.report.quarantine} == {"duplicate"}


def test_folder_holding_toolkit_output_is_not_loaded_twice(tmp_path: Path, live_csv: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(live_csv, folder / "live.csv")
    ft.load(folder).write(folder / "out")
    again = ft.load(folder)
    assert again.report.totals["rows_loaded"] == 3 and again.report.totals["rows_quarantined"] == 0
    assert any("out" in s for s in again.report.skipped)
    direct = ft.load(folder / "out" / "content.parquet")
    assert direct.content["paid_amount"].sum() == 6000.0


def test_non_utf8_file_name(tmp_path: Path, live_csv: Path) -> None:
    import os

    name = os.fsdecode(b"\xd6\xb1\xb2\xa5.csv")  # 直播 in GBK bytes: not valid UTF-8
    p = tmp_path / name
    shutil.copy(live_csv, p)
    ds = ft.load(p)
    assert ds.content["paid_amount"].sum() == 6000.0
    ds.report.write_json(tmp_path / "r.json")
    assert (tmp_path / "r.json").stat().st_size > 0


def test_other_currency_symbols(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "gb.csv", ["Creator name", "Start time", "GMV", "Views"],
                  [["shop", "2026-03-20 19:00", "£1,250.00", "1000"]])
    ds = ft.load(p)
    assert ds.content["gmv"].tolist() == [1250.0]
    assert ds.content["currency"].tolist() == ["GBP"]


def test_overflowing_number_is_quarantined(tmp_path: Path) -> None:
    rows = live_rows()
    rows[0][15] = "1e400"
    ds = ft.load(write_csv(tmp_path / "o.csv", LIVE_HEADER, rows))
    assert ds.report.totals["rows_loaded"] == 2
    assert pd.notna(ds.summary(by=None)["paid_amount"].iloc[0])


def test_error_for_a_non_utf8_file_name_is_printable(tmp_path: Path) -> None:
    import os

    p = tmp_path / os.fsdecode(b"\xd6\xb1\xb2\xa5.csv")
    p.write_bytes(b"")
    msg = str(pytest.raises(FactInputError, ft.load, p).value)
    msg.encode("utf-8")  # no surrogates: a terminal can print it
    assert "\\xb2\\xa5" in msg and "empty" in msg


def test_cell_longer_than_pythons_csv_limit_loads(tmp_path) -> None:
    # Python's csv module refuses cells over 131,072 characters by default
    rows = live_rows()
    rows[2][0] = "长" * 200_000
    ds = ft.load(write_csv(tmp_path / "long.csv", LIVE_HEADER, rows), cache=False)
    assert len(ds.content) == 3
    assert ds.content["account_name"].str.len().max() == 200_000
    # a multi-line cell is fine too: only lines that are whole records mean a lost quote
    rows[2][0] = "第一行\n第二行\n第三行"
    assert len(ft.load(write_csv(tmp_path / "multi.csv", LIVE_HEADER, rows), cache=False).content) == 3
