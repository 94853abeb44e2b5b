"""Tests for fact_toolkit.io.readers (and the FactInputError message format).

Every fixture is a small file written into ``tmp_path`` in the shape the platforms
export: Compass/千川 CSV in UTF-8 or GB18030, TikTok xlsx with a date-range banner,
Compass "xls" files that are HTML tables, parquet written by the toolkit itself.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle

import numpy as np
import pandas as pd
import pytest

from fact_toolkit.errors import FactError, FactInputError
from fact_toolkit.io.readers import csv_body
from fact_toolkit.io.readers import (
    SUPPORTED_SUFFIXES,
    RawTable,
    find_header_row,
    read_raw,
    sniff_encoding,
)

openpyxl = pytest.importorskip("openpyxl")


def one(path, **kwargs) -> RawTable:
    tables = read_raw(path, **kwargs)
    assert len(tables) == 1
    return tables[0]


def cells(table: RawTable, column: str) -> list:
    """Column values as plain Python objects, ``None`` for missing."""
    return [None if pd.isna(v) else v for v in table.frame[column].tolist()]


# --------------------------------------------------------------------------- errors


def test_fact_input_error_message_is_one_line_with_row_and_column():
    err = FactInputError("shop/订单.csv", "bad value\n'abc'", fix="fix it\r\nnow", row=12, column="GMV")
    assert str(err) == "shop/订单.csv: row 12, column GMV: bad value 'abc'. fix it now"
    assert (err.file, err.problem, err.fix, err.row, err.column) == (
        "shop/订单.csv", "bad value\n'abc'", "fix it\r\nnow", 12, "GMV")
    assert isinstance(err, FactError)


def test_fact_input_error_without_fix_or_row():
    assert str(FactInputError("a.csv", "file not found")) == "a.csv: file not found."
    assert str(FactInputError("a.csv", "the file is empty.", fix="re-download the export")) == (
        "a.csv: the file is empty. re-download the export")


def test_fact_input_error_pickles():
    err = FactInputError("a.csv", "oops", fix="retry", row=3)
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.row == 3 and back.fix == "retry"


# --------------------------------------------------------------------------- CSV


def test_utf8_csv_keeps_every_cell_as_exact_text(tmp_path):
    p = tmp_path / "compass.csv"
    p.write_text("商品ID,直播间观看次数,成交金额,备注\n"
                 "3701234567890123456,1.2万,00123,-\n"
                 "3701234567890123457,,1,234.50,--\n".replace("1,234.50", '"1,234.50"'),
                 encoding="utf-8")
    t = one(p)
    assert t.format == "csv" and t.encoding == "utf-8" and t.sheet is None
    assert t.header_row == 1 and t.banner == []
    assert t.headers == ["商品ID", "直播间观看次数", "成交金额", "备注"]
    assert list(t.frame.columns) == t.headers
    assert cells(t, "商品ID") == ["3701234567890123456", "3701234567890123457"]
    assert cells(t, "直播间观看次数") == ["1.2万", None]
    assert cells(t, "成交金额") == ["00123", "1,234.50"]
    assert cells(t, "备注") == ["-", "--"]
    assert t.row_numbers.tolist() == [2, 3] and t.row_numbers.dtype == np.int64
    for column in t.frame.columns:
        assert pd.api.types.is_string_dtype(t.frame[column])
        assert t.frame[column].str.len().notna().any()  # .str works
    assert t.frame[["直播间观看次数"]].isna().to_numpy().tolist() == [[False], [True]]
    assert isinstance(t.frame.index, pd.RangeIndex)


def test_utf8_bom_csv(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeff订单编号,金额\r\n1001,9.90\r\n".encode("utf-8"))
    t = one(p)
    assert t.encoding == "utf-8-sig"
    assert t.headers == ["订单编号", "金额"]
    assert cells(t, "金额") == ["9.90"]


def test_gb18030_csv_with_chinese_headers_and_banner(tmp_path):
    text = ("统计时间：2026-03-16 ~ 2026-04-12\n"
            "\n"
            "直播间观看次数,直播间用户支付金额,直播间成交人数\n"
            "1.2万,¥3,456.00,89\n"
            "5600,0,--\n")
    p = tmp_path / "gbk.csv"
    p.write_bytes(text.replace("¥3,456.00", '"¥3,456.00"').encode("gb18030"))
    t = one(p)
    assert t.encoding == "gb18030"
    assert t.headers == ["直播间观看次数", "直播间用户支付金额", "直播间成交人数"]
    assert t.header_row == 3
    assert t.banner == ["统计时间：2026-03-16 ~ 2026-04-12"]
    assert cells(t, "直播间用户支付金额") == ["¥3,456.00", "0"]
    assert cells(t, "直播间成交人数") == ["89", "--"]
    assert t.row_numbers.tolist() == [4, 5]


def test_crlf_line_endings_leave_no_carriage_returns(tmp_path):
    p = tmp_path / "crlf.csv"
    p.write_bytes(b"a,b\r\n1,2\r\n3,4\r\n")
    t = one(p)
    assert cells(t, "b") == ["2", "4"]
    assert t.row_numbers.tolist() == [2, 3]


def test_multiline_quoted_field_counts_as_one_record(tmp_path):
    p = tmp_path / "multi.csv"
    p.write_bytes(b'title,note\r\n"A","line one\r\nline two"\r\n"B","x"\r\n')
    t = one(p)
    assert cells(t, "note") == ["line one\r\nline two", "x"]
    assert t.row_numbers.tolist() == [2, 3]


def test_blank_line_in_data_is_dropped_but_counted(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text("a,b\n1,2\n\n3,4\n,\n5,6\n", encoding="utf-8")
    t = one(p)
    assert cells(t, "a") == ["1", "3", "5"]
    # record 3 is a blank line, record 5 is ",": both dropped, numbering keeps them
    assert t.row_numbers.tolist() == [2, 4, 6]


def test_banner_with_multiline_cell_and_blank_lines_before_header(tmp_path):
    p = tmp_path / "banner.csv"
    p.write_bytes(b'"report\nfor shop"\n\n\r\nname,value\r\n"p\r\nq",1\r\n\r\nr,2\r\n')
    t = one(p)
    assert t.header_row == 4
    assert t.banner == ["report\nfor shop"]
    assert cells(t, "name") == ["p\r\nq", "r"]
    assert t.row_numbers.tolist() == [5, 7]


def test_row_numbers_stay_aligned_across_many_pyarrow_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_body, "_BLOCK_SIZE", 4096)
    lines = ["id,text"]
    expected = {}
    record = 1
    for i in range(3000):
        if i % 7 == 0:
            lines.append("")  # blank record
            record += 1
        text = f'"multi\nline {i}"' if i % 5 == 0 else f"t{i}"
        lines.append(f"{i},{text}")
        record += 1
        expected[str(i)] = record
    p = tmp_path / "many.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t = one(p)
    assert len(t.frame) == 3000
    assert dict(zip(cells(t, "id"), t.row_numbers.tolist())) == expected
    assert cells(t, "text")[5] == "multi\nline 5"


def test_tab_and_semicolon_delimiters_are_sniffed(tmp_path):
    tsv = tmp_path / "export.tsv"
    tsv.write_text("商品,成交金额\t订单数\n连衣裙,1,234\t5\n", encoding="utf-8")
    t = one(tsv)
    assert t.headers == ["商品,成交金额", "订单数"]
    semi = tmp_path / "semi.csv"
    semi.write_text("a;b;c\n1,5;2;3\n4;5;6\n", encoding="utf-8")
    t = one(semi)
    assert t.headers == ["a", "b", "c"] and cells(t, "a") == ["1,5", "4"]


def test_utf16_unicode_text_export(tmp_path):
    p = tmp_path / "unicode.txt"
    p.write_bytes("达人昵称\tGMV\n小美\t1,234\n".encode("utf-16"))
    t = one(p)
    assert t.encoding == "utf-16"
    assert t.headers == ["达人昵称", "GMV"] and cells(t, "GMV") == ["1,234"]


def test_duplicate_and_empty_headers(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text("商品信息,商品信息,,商品信息.1,金额,,\n"
                 "A,B,,C,1,,\n"
                 "D,E,x,F,2,,\n", encoding="utf-8")
    t = one(p)
    # the two trailing columns have neither header nor data: dropped
    assert t.headers == ["商品信息", "商品信息", "", "商品信息.1", "金额"]
    assert list(t.frame.columns) == ["商品信息", "商品信息.1", "Unnamed: 2", "商品信息.1.1", "金额"]
    assert t.frame.iloc[1].tolist() == ["D", "E", "x", "F", "2"]
    assert cells(t, "Unnamed: 2") == [None, "x"]


def test_header_only_csv_gives_empty_frame(tmp_path):
    p = tmp_path / "header_only.csv"
    p.write_text("日期,GMV,订单数\n", encoding="utf-8")
    t = one(p)
    assert t.frame.empty and list(t.frame.columns) == ["日期", "GMV", "订单数"]
    assert t.row_numbers.tolist() == [] and t.header_row == 1


def test_ragged_row_is_an_error_naming_file_and_row(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(FactInputError) as info:
        read_raw(p)
    assert info.value.row == 3
    assert "ragged.csv: row 3:" in str(info.value) and "\n" not in str(info.value)


def test_ragged_row_far_below_the_sample(tmp_path):
    rows = ["a,b"] + [f"{i},x" for i in range(500)] + ["1,2,3"] + ["9,y"]
    p = tmp_path / "ragged_late.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(FactInputError) as info:
        read_raw(p)
    assert info.value.row == 502


def test_short_rows_are_padded_and_trailing_empty_cells_tolerated(tmp_path):
    rows = ["a,b,c"] + [f"{i},x,y" for i in range(100)] + ["short", "1,2,3,,"]
    p = tmp_path / "short.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    t = one(p)
    assert len(t.frame) == 102
    assert t.frame.iloc[100].tolist()[0] == "short" and t.frame.iloc[100].isna().tolist() == [False, True, True]
    assert t.frame.iloc[101].tolist() == ["1", "2", "3"]
    assert t.row_numbers[-2:].tolist() == [102, 103]


def test_ids_keep_all_nineteen_digits(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text("订单编号,达人ID\n3701234567890123456,0000123\n", encoding="utf-8")
    t = one(p)
    assert cells(t, "订单编号") == ["3701234567890123456"]
    assert cells(t, "达人ID") == ["0000123"]


def test_header_score_picks_the_header_below_a_two_cell_banner(tmp_path):
    p = tmp_path / "scored.csv"
    p.write_text("店铺,小美旗舰店\n日期,2026-03-16\n日期,GMV,订单数\n2026-03-16,100,3\n",
                 encoding="utf-8")
    known = {"日期", "GMV", "订单数"}

    def score(row):
        return sum(cell in known for cell in row)

    t = one(p, header_score=score)
    assert t.header_row == 3
    assert t.banner == ["店铺 小美旗舰店", "日期 2026-03-16"]
    assert t.headers == ["日期", "GMV", "订单数"] and t.row_numbers.tolist() == [4]


def test_input_file_is_not_modified(tmp_path):
    p = tmp_path / "keep.csv"
    p.write_bytes(b"a,b\n1,2\n")
    os.utime(p, (1_700_000_000, 1_700_000_000))
    one(p)
    assert p.read_bytes() == b"a,b\n1,2\n" and p.stat().st_mtime == 1_700_000_000


# --------------------------------------------------------------------------- header search


def test_find_header_row_skips_one_cell_banner_and_blank_row():
    rows = [["2026-03-16 ~ 2026-04-12"], [], ["Creator name", "GMV", "Views"], ["a", "1", "2"]]
    assert find_header_row(rows) == 2


def test_find_header_row_compares_with_next_non_empty_row():
    rows = [["统计时间", "2026-03-16 ~ 2026-04-12"], [None, ""], ["日期", "GMV", "订单数"], ["x", 1, 2]]
    assert find_header_row(rows) == 2
    rows = [["店铺", "小美"], ["日期", "GMV", "订单数"]]
    assert find_header_row(rows) == 1


def test_find_header_row_with_scorer_and_fallbacks():
    rows = [["a", "b"], ["日期", "GMV"], ["日期", "GMV"]]

    def score(row):
        return sum(c in {"日期", "GMV"} for c in row)

    assert find_header_row(rows, score) == 1  # earliest of the best
    assert find_header_row(rows, lambda row: 1) == 0  # best score < 2: heuristic
    assert find_header_row([[], ["only"], ["x"]]) == 1  # single column: first non-empty
    assert find_header_row([[""] * 3] * 40 + [["a", "b"]], max_scan=30) == 40
    with pytest.raises(ValueError):
        find_header_row([[], [None, " "]])


# --------------------------------------------------------------------------- encodings


def test_sniff_encoding_on_bytes():
    assert sniff_encoding(b"\xef\xbb\xbfa,b") == "utf-8-sig"
    assert sniff_encoding("达人,GMV".encode("utf-8")) == "utf-8"
    assert sniff_encoding("达人,GMV".encode("gbk")) == "gb18030"
    assert sniff_encoding("达人\t1".encode("utf-16")) == "utf-16"


def test_sniff_encoding_does_not_cut_a_character_at_the_chunk_edge(tmp_path):
    p = tmp_path / "big.csv"
    body = ("直播间" * 200_000).encode("utf-8")  # 1.8 MB, 3-byte characters
    p.write_bytes(b"x" + body)  # the 1 MB chunk edge falls inside a character
    assert sniff_encoding(p) == "utf-8"
    p.write_bytes(b"x" + ("直播间" * 200_000).encode("gb18030"))
    assert sniff_encoding(p) == "gb18030"


def test_gb18030_detected_from_the_tail_of_a_long_file(tmp_path):
    p = tmp_path / "late_chinese.csv"
    ascii_rows = "".join(f"{i},abc\n" for i in range(200_000))  # > 1 MB of ASCII
    p.write_bytes(("id,name\n" + ascii_rows + "9,连衣裙\n").encode("gb18030"))
    t = one(p)
    assert t.encoding == "gb18030"
    assert cells(t, "name")[-1] == "连衣裙"


# --------------------------------------------------------------------------- xlsx


def _tiktok_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Creator analytics"
    ws["A1"] = "2026-03-16 ~ 2026-04-12"
    ws.append([])  # row 2 stays empty
    ws.cell(3, 1, "Creator name")
    for col, name in enumerate(["GMV", "Views", "Date", "Creator ID", "Joined"], start=2):
        ws.cell(3, col, name)
    ws.append(["小美", 1234.5, "1,234", 46097, "7212345678901234567", dt.datetime(2026, 3, 16, 9, 30)])
    ws.append(["Bob", 12, 5600, 46098, 7212345678, dt.date(2026, 3, 17)])
    ws.append([None] * 6)
    ws.append(["Cara", None, "1.2K", 46099, None, None])
    wb.save(path)


def test_tiktok_xlsx_banner_blank_row_header(tmp_path):
    p = tmp_path / "tiktok.xlsx"
    _tiktok_workbook(p)
    t = one(p)
    assert t.format == "xlsx" and t.encoding is None and t.sheet == "Creator analytics"
    assert t.header_row == 3
    assert t.banner == ["2026-03-16 ~ 2026-04-12"]
    assert t.headers == ["Creator name", "GMV", "Views", "Date", "Creator ID", "Joined"]
    assert t.row_numbers.tolist() == [4, 5, 7]  # row 6 is empty
    f = t.frame
    assert f["GMV"].dtype == np.float64 and cells(t, "GMV") == [1234.5, 12.0, None]
    # numbers stored as text in some cells -> the whole column is text; 5600 keeps no ".0"
    assert pd.api.types.is_string_dtype(f["Views"]) and cells(t, "Views") == ["1,234", "5600", "1.2K"]
    # an Excel serial date stored as a plain number stays a number
    assert f["Date"].dtype == np.float64 and cells(t, "Date") == [46097.0, 46098.0, 46099.0]
    assert cells(t, "Creator ID") == ["7212345678901234567", "7212345678", None]
    assert f["Joined"].dtype.kind == "M"
    assert cells(t, "Joined") == [pd.Timestamp("2026-03-16 09:30"), pd.Timestamp("2026-03-17"), None]


def test_xlsx_every_non_empty_sheet_and_sheet_selection(tmp_path):
    p = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "GMV"
    wb.active.append(["日期", "GMV"])
    wb.active.append([dt.date(2026, 3, 16), 10])
    wb.create_sheet("空白")
    other = wb.create_sheet("订单")
    other.append(["订单编号", "状态", "金额"])
    other.append(["A1", True, 1.5])
    wb.save(p)
    tables = read_raw(p)
    assert [t.sheet for t in tables] == ["GMV", "订单"]
    assert cells(tables[1], "状态") == ["TRUE"]
    assert one(p, sheet="订单").headers == ["订单编号", "状态", "金额"]
    assert one(p, sheet=0).sheet == "GMV"
    with pytest.raises(FactInputError, match="no sheet named 'missing'"):
        read_raw(p, sheet="missing")


def test_work_while_reading_runs_once_per_workbook_and_changes_nothing(tmp_path):
    p = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["日期", "GMV"])
    wb.active.append([dt.date(2026, 3, 16), 10])
    other = wb.create_sheet("订单")
    other.append(["订单编号", "金额"])
    other.append(["A1", 1.5])
    wb.save(p)
    calls = []
    tables = read_raw(p, while_reading=lambda: calls.append(1))
    assert calls == [1]  # once, though two sheets are read
    plain = read_raw(p)
    assert [t.frame.to_dict("list") for t in tables] == [t.frame.to_dict("list") for t in plain]
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("日期,GMV\n2026-03-16,10\n", encoding="utf-8")
    read_raw(csv_file, while_reading=lambda: calls.append(2))
    assert calls == [1]  # not for other formats


def test_truncated_xlsx_is_a_one_line_error(tmp_path):
    p = tmp_path / "半截.xlsx"
    _tiktok_workbook(p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(FactInputError) as info:
        read_raw(p)
    message = str(info.value)
    assert "半截.xlsx" in message and "not a readable xlsx workbook" in message
    assert "\n" not in message and info.value.fix.startswith("re-download the export")


def test_xls_that_is_really_an_xlsx(tmp_path):
    p = tmp_path / "export.xls"
    _tiktok_workbook(p)
    assert one(p).header_row == 3


# --------------------------------------------------------------------------- HTML "xls"


HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<style>td {{ mso-number-format: "\\@"; }}</style></head><body>
<table border="1">
<tr><td colspan="3">数据时间：2026-03-16 ~ 2026-04-12</td></tr>
<tr><th>商品名称</th><th>商品ID</th><th>成交金额</th></tr>
<tr><td> 连衣裙&nbsp;</td><td>3701234567890123456</td><td>1,234.50</td></tr>
<tr><td></td><td></td><td></td></tr>
<tr><td>T恤 &amp; 短裤</td><td>00123</td><td>-</td></tr>
</table></body></html>
"""


def test_html_table_named_xls(tmp_path):
    p = tmp_path / "compass.xls"
    p.write_text(HTML.format(charset="utf-8"), encoding="utf-8")
    t = one(p)
    assert t.format == "html" and t.encoding == "utf-8"
    assert t.header_row == 2 and t.banner == ["数据时间：2026-03-16 ~ 2026-04-12"]
    assert t.headers == ["商品名称", "商品ID", "成交金额"]
    assert cells(t, "商品名称") == ["连衣裙", "T恤 & 短裤"]
    assert cells(t, "商品ID") == ["3701234567890123456", "00123"]
    assert cells(t, "成交金额") == ["1,234.50", "-"]
    assert t.row_numbers.tolist() == [3, 5]
    assert all(pd.api.types.is_string_dtype(t.frame[c]) for c in t.frame.columns)


def test_html_xls_in_gbk(tmp_path):
    p = tmp_path / "compass_gbk.xls"
    p.write_bytes(HTML.format(charset="gbk").encode("gb18030"))
    t = one(p)
    assert t.encoding == "gb18030" and t.headers == ["商品名称", "商品ID", "成交金额"]


# --------------------------------------------------------------------------- parquet


def test_parquet_round_trip(tmp_path):
    p = tmp_path / "t.parquet"
    df = pd.DataFrame({"订单编号": ["3701234567890123456", None], "金额": [1.5, 2.0], "件数": [1, 2]})
    df.to_parquet(p)
    t = one(p)
    assert t.format == "parquet" and t.header_row == 0 and t.encoding is None
    assert t.headers == ["订单编号", "金额", "件数"]
    assert t.row_numbers.tolist() == [1, 2]
    assert cells(t, "订单编号") == ["3701234567890123456", None]
    assert t.frame["金额"].tolist() == [1.5, 2.0] and t.frame["件数"].dtype == np.int64


# --------------------------------------------------------------------------- bad input


def test_missing_path(tmp_path):
    with pytest.raises(FactInputError, match="file not found") as info:
        read_raw(tmp_path / "nope.csv")
    assert "nope.csv" in str(info.value) and info.value.fix == "check the path"


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path, content):
    p = tmp_path / "empty.csv"
    p.write_bytes(content)
    with pytest.raises(FactInputError, match="the file is empty"):
        read_raw(p)


def test_empty_xlsx_file(tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    with pytest.raises(FactInputError, match="the file is empty"):
        read_raw(p)


def test_binary_garbage_csv(tmp_path):
    p = tmp_path / "garbage.csv"
    p.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(FactInputError, match=r"not a text CSV file \(binary content\)") as info:
        read_raw(p)
    assert "garbage.csv" in str(info.value)


def test_unsupported_suffix_lists_supported_ones(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(FactInputError) as info:
        read_raw(p)
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(info.value)


def test_vectorised_cell_formatting_equals_the_one_cell_rule() -> None:
    import datetime as dt

    import pandas as pd

    from fact_toolkit.io.readers.cell_text import _format_value
    from fact_toolkit.io.readers.grid import _TYPE_OF, _format_arrow

    def _format_values(cells: pd.Series) -> list[str]:
        values = cells.to_numpy(dtype=object)
        return list(_format_arrow(values, np.asarray(_TYPE_OF(values), dtype=object)).to_pylist())

    cells = [0.1, 1234.56, 1e20, 1e-7, 2.5e16, -3.25, 1200.0, 2.0**53, 7, True,
             dt.datetime(2026, 4, 17, 10, 52, 25), dt.date(2026, 4, 17)]
    assert list(_format_values(pd.Series(cells, dtype=object))) == [_format_value(v) for v in cells]
    # money with cents, fractions, tiny and huge magnitudes, both signs: the same text as repr
    rng = np.random.default_rng(7)
    many = np.concatenate([np.round(rng.uniform(-1e6, 1e6, 20_000), 2), rng.uniform(0, 1, 20_000),
                           10.0 ** rng.uniform(-9, 22, 20_000), [1e-4, 9.999e-5, 1e15, 999999999999999.9]])
    cells = [float(v) for v in many]
    assert list(_format_values(pd.Series(cells, dtype=object))) == [_format_value(v) for v in cells]
