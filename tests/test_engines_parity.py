"""The DuckDB engine and the pandas path agree where they once drifted apart.

Each fixture is a case a code review found the two paths disagreeing on: partial sums in
the daily panel, which product rows count as facts, reconciliation of platform-reported
metrics (the ``mismatches`` list) and a file whose repeats conflict. The expected numbers
are written out so a person can check them by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit.engines import load_duckdb

from .conftest import LIVE_HEADER, live_rows, write_csv

PRODUCT_HEADER = ["商品ID", "商品名称", "日期", "载体类型", "账号类型", "商品曝光次数", "成交订单数", "成交金额",
                  "用户支付金额"]


def _both(*paths: Path, **kw: object) -> tuple[ft.Dataset, ft.Dataset]:
    """The pandas path and the DuckDB engine on the same files; their panels and counts agree."""
    a = ft.load(*paths, engine="pandas", **kw)
    b = load_duckdb(*paths, **kw)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=False, rtol=1e-12, atol=0.005)
    assert a.report.totals == b.report.totals
    key = lambda q: (q.file, q.row, q.column, q.rule, q.value)  # noqa: E731
    assert sorted(map(key, a.report.quarantine)) == sorted(map(key, b.report.quarantine))
    mkey = lambda m: (m.file, m.row, m.metric, round(m.reported, 6), round(m.recomputed, 4))  # noqa: E731
    assert sorted(map(mkey, a.report.mismatches)) == sorted(map(mkey, b.report.mismatches))
    return a, b


def test_a_group_with_one_missing_value_has_no_total_in_either_engine(tmp_path: Path) -> None:
    # brand01 streams twice on 04-17: paid 1000 + (missing). The panel must not say 1000 next
    # to views 10000 + 20000 (GPM 33 instead of "unknown"); GMV 1100 + 2200 = 3300 is whole.
    rows = live_rows()
    rows[1][3] = "2026/04/17 15:00:00"
    rows[1][15] = "-"
    p = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, rows)
    a, b = _both(p)
    day = b.daily.set_index("account_id").loc["brand01"]
    assert pd.isna(day["paid_amount"])
    assert day["gmv"] == 3300.0 and day["view_pv"] == 30000 and day["content_count"] == 2


def _products(tmp_path: Path, carriers: list[str], name: str = "商品载体.csv") -> Path:
    rows = [[str(3700 + i), f"商品{i}", "2026-04-17", c, "官方账号", "1000", "1", f"{100 * (i + 1)}",
             f"{100 * (i + 1)}"] for i, c in enumerate(carriers)]
    return write_csv(tmp_path / name, PRODUCT_HEADER, rows)


def test_image_text_and_other_product_rows_count_beside_content(tmp_path: Path) -> None:
    # content (3 live sessions, paid 6000) plus products: 图文 100, 其他 200 count (no content
    # table holds them), 商品卡 300 counts (shelf), 直播 400 is already in the sessions
    live = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, live_rows())
    prod = _products(tmp_path, ["图文", "其他", "商品卡", "直播"])
    a, b = _both(live, prod)
    assert b.daily["paid_amount"].sum() == 6000.0 + 100 + 200 + 300
    assert b.daily["content_count"].sum() == 3 + 3


def test_products_only_carrier_rows_count_when_no_content_was_loaded(tmp_path: Path) -> None:
    # no live sessions loaded: the 直播 and 短视频 carrier rows are the only record of those sales
    prod = _products(tmp_path, ["直播", "短视频", "商品卡", "直播"])
    a, b = _both(prod)
    assert b.daily["paid_amount"].sum() == 100.0 + 200 + 300 + 400
    assert sorted(b.daily["fact_channel"]) == ["F", "S"]


def test_reported_metrics_are_reconciled_by_the_duckdb_engine_too(tmp_path: Path) -> None:
    # a Compass list with its own GPM column: session 1 says 100 (1000 / 10000 × 1000, right),
    # session 2 says 150 (2000 / 20000 × 1000 = 100: a mismatch), session 3 has none
    header = [*LIVE_HEADER, "千次观看成交金额"]
    rows = [r + [g] for r, g in zip(live_rows(), ["100", "150", "-"], strict=True)]
    p = write_csv(tmp_path / "直播明细.csv", header, rows)
    a, b = _both(p)
    assert [(m.row, m.metric, m.reported, m.recomputed) for m in b.report.mismatches] == [(3, "gpm", 150.0, 100.0)]
    assert b.report.files[0].mismatches == 1
    assert any("disagree" in w for w in b.report.warnings)


def test_reported_metrics_of_product_rows_are_reconciled(tmp_path: Path) -> None:
    # product GPM = paid ÷ product impressions × 1000: row 2 says 100 (100 / 1000 × 1000), right;
    # row 3 says 999 where 200 / 1000 × 1000 = 200
    header = [*PRODUCT_HEADER, "千次曝光用户支付金额"]
    rows = [[str(3700 + i), f"商品{i}", "2026-04-17", "商品卡", "官方账号", "1000", "1", str(v), str(v), g]
            for i, (v, g) in enumerate([(100, "100"), (200, "999")])]
    p = write_csv(tmp_path / "商品载体.csv", header, rows)
    a, b = _both(p)
    assert [(m.row, m.metric, m.reported, m.recomputed) for m in b.report.mismatches] == [
        (3, "product_gpm", 999.0, 200.0)]


def test_conflicting_repeats_without_an_id_column(tmp_path: Path) -> None:
    # a live list has no session ID: the key is account + start time. Two downloads overlap:
    # session 1 repeats identically (kept once), session 3 repeats with paid 3000 vs 3100 (both
    # copies set aside). Loaded: sessions 1, 2 → paid 1000 + 2000.
    first = write_csv(tmp_path / "直播明细_1.csv", LIVE_HEADER, live_rows())
    again = live_rows()
    again[2][15] = "3100.00"
    second = write_csv(tmp_path / "直播明细_2.csv", LIVE_HEADER, [again[0], again[2]])
    a, b = _both(first, second)
    assert sorted(q.rule for q in b.report.quarantine) == ["conflicting_duplicate", "conflicting_duplicate",
                                                           "duplicate"]
    assert b.daily["paid_amount"].sum() == 3000.0
    assert b.report.totals == {"rows_read": 5, "rows_loaded": 2, "rows_quarantined": 3, "rows_summary": 0}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_partial_group_in_a_parquet_or_csv_with_repeats(tmp_path: Path, fmt: str) -> None:
    # the missing-value rule also holds for the rows the repeat check keeps (they reach the
    # panel by a second route): session 2 repeats identically and lacks its paid amount
    rows = live_rows()
    rows[1][3] = "2026/04/17 15:00:00"
    rows[1][15] = ""
    rows.append(list(rows[1]))
    if fmt == "csv":
        p = write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        p = tmp_path / "直播明细.parquet"
        pq.write_table(pa.table({h: pa.array([r[j] or None for r in rows], pa.string())
                                 for j, h in enumerate(LIVE_HEADER)}), p)
    a, b = _both(p)
    day = b.daily.set_index("account_id").loc["brand01"]
    assert pd.isna(day["paid_amount"]) and day["content_count"] == 2


TIKTOK_LIVE_HEADER = ["Livestream", "Start time", "Gross revenue", "Direct GMV", "Orders paid for", "GMV/1K views",
                      "Views"]


def test_tiktok_live_gpm_follows_direct_gmv_on_both_engines(tmp_path: Path) -> None:
    # a TikTok LIVE list: the platform's GPM is Direct GMV ÷ views × 1000 (the registry's
    # tiktok_live definition), not gross revenue ÷ views. Session 1 says 100 = 1000 / 10000 ×
    # 1000 (right; by gross revenue it would be 110), session 2 says 110 where 2000 / 20000 ×
    # 1000 = 100 (a mismatch), session 3 has none
    rows = [["Weekday LIVE", "2026-03-16 19:00:00", "1100", "1000", "10", "100", "10000"],
            ["Promo LIVE", "2026-03-17 20:00:00", "2200", "2000", "20", "110", "20000"],
            ["Weekend LIVE", "2026-03-21 19:30:00", "330", "300", "3", "--", "3000"]]
    p = write_csv(tmp_path / "live.csv", TIKTOK_LIVE_HEADER, rows)
    a, b = _both(p, tz="Asia/Jakarta")
    assert b.report.files[0].kind == "tiktok_live"
    assert [(m.row, m.metric, m.reported, m.recomputed) for m in b.report.mismatches] == [(3, "gpm", 110.0, 100.0)]
    assert set(b.daily["source_kind"]) == {"tiktok_live"}
    # the panel keeps the source, so its GPM is still Direct GMV: (1000 + 2000 + 300) / 33000 × 1000
    assert ft.summarize(b.daily)["gpm"].iloc[0] == pytest.approx(100.0)


def _repeats_csv(path: Path, n: int) -> Path:
    """``n`` live sessions; every 1,000th row repeats the row 500 lines before it (identical),
    and every 7,001st row repeats the previous session's key with 1 yuan more paid (a
    conflicting pair)."""
    import duckdb

    duckdb.sql(f"""COPY (
        WITH r AS (SELECT i, CASE WHEN i % 1000 = 999 THEN i - 500 WHEN i % 7001 = 7000 THEN i - 1 ELSE i END AS s,
                          i % 7001 = 7000 AS c FROM range({n}) t(i))
        SELECT '主播' || (s % 300) AS "{LIVE_HEADER[0]}", 'acc' || (s % 300) AS "{LIVE_HEADER[1]}", '达人' AS "{LIVE_HEADER[2]}",
               strftime(TIMESTAMP '2025-01-01' + to_seconds(CAST((s // 300) * 3600 + (s % 300) AS BIGINT)),
                        '%Y/%m/%d %H:%M:%S') AS "{LIVE_HEADER[3]}",
               {", ".join(f"CAST(s % 97 + {k} AS VARCHAR)" for k in range(4, 15))},
               CAST(s % 1000 + CASE WHEN c THEN 1 ELSE 0 END AS VARCHAR), '0', '0'
        FROM r ORDER BY i) TO '{path}' (HEADER false)""")
    text = path.read_text(encoding="utf-8")
    path.write_text(",".join(LIVE_HEADER) + "\n" + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("pick", ["filtered", "fallback"])
def test_repeats_deep_in_a_large_file_get_the_same_row_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               pick: str, fmt: str) -> None:
    # 300,000 sessions: large enough for DuckDB to scan the file in parallel; the pandas path
    # numbers rows one by one. The engine keeps the candidates by a filtered scan
    # ("filtered": a CSV's by the hash of their raw key cells, in file order; a Parquet's by
    # their row numbers). When that gives nothing ("fallback", forced here) a CSV is numbered
    # by a one-thread scan and a Parquet's rows are joined to the candidates' numbers.
    from fact_toolkit.engines.rowscan import repeats

    picked: list[str | None] = []
    real = repeats._picked_candidates

    def pick_or_refuse(*args: object, **kwargs: object) -> str | None:
        got = real(*args, **kwargs) if pick == "filtered" else None  # type: ignore[arg-type]
        picked.append(got)
        return got

    monkeypatch.setattr(repeats, "_picked_candidates", pick_or_refuse)
    path = _repeats_csv(tmp_path / "直播明细.csv", 300_000)
    if fmt == "parquet":
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={h: "string" for h in LIVE_HEADER}))
        path.unlink()
        path = tmp_path / "直播明细.parquet"
        pq.write_table(table, path, row_group_size=20_000)
    a, b = _both(path)
    assert len(picked) == 1 and (picked[0] is not None) == (pick == "filtered")
    assert a.report.totals == b.report.totals
    # 300 identical repeats (every 1,000th row) plus the conflicting pairs, both copies of each
    assert a.report.totals["rows_quarantined"] > 300
    pd.testing.assert_frame_equal(a.report.quarantine_frame(), b.report.quarantine_frame())


def test_rows_whose_raw_key_hash_collides_with_a_candidate_are_kept(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # A CSV's candidates are told by a 64-bit hash of their raw key cells. Make it collide on
    # purpose (the hash modulo 5): about a fifth of all rows now look like candidates. The
    # order-keeping pick sees more rows than the key scan's candidates and gives up, the
    # numbered pass takes every such row, compares the real keys and keeps the ones that
    # do not repeat: the result is the pandas path's, row for row.
    from fact_toolkit.engines.rowscan import repeats, rowsql

    real = rowsql._key_raw_hash
    coarse = lambda *args: f"({real(*args)} % 5)"  # noqa: E731
    monkeypatch.setattr(rowsql, "_key_raw_hash", coarse)
    monkeypatch.setattr(repeats, "_key_raw_hash", coarse)
    picked: list[str | None] = []
    pick = repeats._picked_candidates
    monkeypatch.setattr(repeats, "_picked_candidates", lambda *a, **k: picked.append(pick(*a, **k)) or picked[-1])
    a, b = _both(_repeats_csv(tmp_path / "直播明细.csv", 20_000))
    assert picked == [None]
    # 20 identical repeats (i = 999, 1,999 … 19,999) and one conflicting pair (i = 14,000 and
    # 14,001); i = 7,000's partner, i = 6,999, is itself a repeat of session 6,499, so session
    # 6,999 appears once
    assert b.report.totals == a.report.totals == {"rows_read": 20_000, "rows_loaded": 19_978,
                                                   "rows_quarantined": 22, "rows_summary": 0}
    assert sorted(q.rule for q in b.report.quarantine) == ["conflicting_duplicate"] * 2 + ["duplicate"] * 20
    pd.testing.assert_frame_equal(a.report.quarantine_frame(), b.report.quarantine_frame())


def test_raw_key_hashes_are_compared_within_a_file_only(tmp_path: Path) -> None:
    # Two exports with their first two columns swapped. File A has session (昵称 X, 抖音号 Y)
    # once and (p, q) twice; file B has (抖音号 X, 昵称 Y) twice. Written cell by cell, B's
    # repeated row equals A's single row, so their raw-cell hashes are equal, yet the keys
    # differ (account Y in A, account X in B). A's single row must load; the two repeats are
    # each kept once: 5 read, 3 loaded, 2 quarantined.
    rest = ["官方账号", "2026/04/17 10:00:00", *live_rows()[0][4:]]
    later = ["官方账号", "2026/04/17 12:00:00", *live_rows()[0][4:]]
    swapped = [LIVE_HEADER[1], LIVE_HEADER[0], *LIVE_HEADER[2:]]
    a_path = write_csv(tmp_path / "直播明细_a.csv", LIVE_HEADER, [["X", "Y", *rest], ["p", "q", *later],
                                                                 ["p", "q", *later]])
    b_path = write_csv(tmp_path / "直播明细_b.csv", swapped, [["X", "Y", *rest], ["X", "Y", *rest]])
    a, b = _both(a_path, b_path)
    assert b.report.totals == {"rows_read": 5, "rows_loaded": 3, "rows_quarantined": 2, "rows_summary": 0}
    assert [(q.file.endswith("_a.csv"), q.row, q.rule) for q in b.report.quarantine] == [
        (True, 4, "duplicate"), (False, 3, "duplicate")]


def test_files_in_two_time_zones_are_said_alike_by_both_engines(tmp_path: Path) -> None:
    # A TikTok shop in Jakarta (rupiah, read by the pandas path inside the engine) beside a
    # Compass live list read in China's zone: both engines warn once, in the same words.
    from fact_toolkit.sample.tiktok import write_tiktok_shop

    write_tiktok_shop(tmp_path)
    write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, live_rows())
    loads = (ft.load(tmp_path, engine="pandas", cache=False), load_duckdb(tmp_path))
    said = [[w for w in ds.report.warnings if "time zones" in w] for ds in loads]
    assert said[0] == said[1] == ["content: files in different time zones (Asia/Jakarta, Asia/Shanghai): times are "
                                  "held in UTC; each row's date is its local date"]
    # each file's report names the zone its times were read in, on both engines
    zones = [{Path(f.file).name: f.timezone for f in ds.report.files} for ds in loads]
    assert zones[0] == zones[1]
    assert zones[1]["直播明细.csv"] == "Asia/Shanghai"
    # alone, the shop is in one zone: no warning on either engine
    (tmp_path / "直播明细.csv").unlink()
    assert not [w for w in load_duckdb(tmp_path).report.warnings if "time zones" in w]


def test_a_repeated_product_key_is_named_alike_by_both_engines(tmp_path: Path) -> None:
    # the key holds a date: both engines write it as pandas writes the column, 2026-04-17
    # (and words the entry alike: one identical repeat kept once, a conflicting pair set aside)
    row = ["3701", "商品1", "2026-04-17", "商品卡", "官方账号", "1000", "1", "100", "100"]
    other = ["3702", "商品2", "2026-04-18", "商品卡", "官方账号", "1000", "1", "200", "200"]
    prod = write_csv(tmp_path / "商品载体.csv", PRODUCT_HEADER, [row, row, other, [*other[:7], "201", "201"]])
    a, b = _both(prod)
    assert [q.value for q in b.report.quarantine] == ["3701/2026-04-17/card/official",
                                                      "3702/2026-04-18/card/official",
                                                      "3702/2026-04-18/card/official"]
    assert [q.value for q in a.report.quarantine] == [q.value for q in b.report.quarantine]
    pd.testing.assert_frame_equal(a.report.quarantine_frame(), b.report.quarantine_frame())
    assert b.report.quarantine[0].reason.endswith("row 2 with identical values; kept once")


def test_number_cells_in_every_form_parse_alike_in_the_main_scan(tmp_path: Path) -> None:
    # The engine's main scan reads a number cell in steps: a plain cast, then the common export
    # forms (1.2万, ¥1,234.5, 1,234) once, then the full grammar. Every form below, in a count
    # column (views: whole numbers only) and an amount column (GMV), must give the pandas
    # path's value or its quarantine entry, row by row.
    from .test_sql_common_forms import _cells

    cells = [*_cells()[:400], "12.5", "1.23456万", "-2147483648", "1e3", "1,234.5", "¥0.5万", "--", "", "1.5万"]
    template = live_rows()[0]
    rows = []
    for i, cell in enumerate(cells):
        row = list(template)
        row[3] = f"2026/04/{1 + i // 24:02d} {i % 24:02d}:00:00"
        row[8], row[14] = cell, cell
        rows.append(row)
    a, b = _both(write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, rows))
    assert b.report.totals == {"rows_read": 409, "rows_loaded": 272, "rows_quarantined": 137, "rows_summary": 0}
    got = {(q.column, q.rule) for q in b.report.quarantine}
    assert got == {("直播间观看次数", "parse_int"), ("直播间成交金额", "parse_money"), ("view_pv", "non_negative"),
                   ("gmv", "non_negative")}
    # a count is written as a whole number on both paths (-1.2万 on row 11); 12.5 is no count
    entries = {(q.row, q.column): q.value for q in b.report.quarantine}
    assert entries[(11, "view_pv")] == "-12000" and entries[(402, "直播间观看次数")] == "12.5"
