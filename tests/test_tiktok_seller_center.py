"""One Indonesian TikTok shop's week of Seller Center downloads, loaded together.

The five files are written by :mod:`fact_toolkit.sample.tiktok` in the shapes Seller
Center hands out. Every expected number below is worked out by hand from the literals
in that module (the arithmetic is in the comments).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit.errors import FactInputError
from fact_toolkit.metrics import METRICS, row_values, summarize
from fact_toolkit.sample.tiktok import FILES, OWN_ACCOUNT, write_tiktok_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiktok") / "Toko Qimu ~ week 12"
    write_tiktok_shop(folder)
    return folder


@pytest.fixture(scope="module")
def ds(shop: Path) -> ft.Dataset:
    return ft.load(shop, own_accounts=[OWN_ACCOUNT], cache=False)


def _file(ds: ft.Dataset, key: str):
    return next(f for f in ds.report.files if Path(f.file).name == FILES[key])


# --------------------------------------------------------------------------- the shapes


def test_fixtures_have_the_real_shapes(shop: Path) -> None:
    names = sorted(p.name for p in shop.iterdir())
    assert names == sorted(FILES.values())
    assert any(" " in n and "~" in n for n in names)
    with zipfile.ZipFile(shop / FILES["live"]) as z:
        assert b'<dimension ref="A1:A1"/>' in z.read("xl/worksheets/sheet1.xml")
    ws = openpyxl.load_workbook(shop / FILES["live"]).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "2026-03-16 ~ 2026-03-22" and all(v is None for v in rows[1])
    assert rows[2][0] == "Livestream"
    assert rows[3][3] == "Rp12.500.000" and rows[3][21] == "5.50%" and rows[3][11] == "20000"  # text cells
    products = list(openpyxl.load_workbook(shop / FILES["products"]).active.iter_rows(values_only=True))
    assert products[0][0].endswith("\n") and "Product  card items sold" in products[2]
    zh = list(openpyxl.load_workbook(shop / FILES["live_products"]).active.iter_rows(values_only=True))
    assert zh[2] == ("商品信息", "商品信息", "总成交额", "佣金", "成交件数")
    ads = openpyxl.load_workbook(shop / FILES["ads"])
    assert ads.sheetnames == ["Data"]
    data = list(ads["Data"].iter_rows(values_only=True))
    assert data[1][4] == 1839234567890123 and isinstance(data[1][4], int)  # a number cell
    assert all(all(v in (None, "") for v in r) for r in data[4:]) and len(data) == 14  # ten empty rows
    videos = list(openpyxl.load_workbook(shop / FILES["videos"]).active.iter_rows(values_only=True))
    assert videos[1][5] == "Kemeja Linen(1730899853179979036)"


def test_the_generator_is_byte_identical(tmp_path: Path) -> None:
    a = write_tiktok_shop(tmp_path / "a")
    b = write_tiktok_shop(tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


# --------------------------------------------------------------------------- loading


def test_five_families_load_into_one_dataset(ds: ft.Dataset) -> None:
    kinds = {k: (_file(ds, k).kind, _file(ds, k).table) for k in FILES}
    assert kinds == {
        "live": ("tiktok_live", "content"), "videos": ("tiktok_video", "content"),
        "products": ("tiktok_product_list", "products"), "live_products": ("tiktok_live_product", "products"),
        "ads": ("tiktok_gmv_max", "ads"),
    }
    assert ds.report.balanced and not ds.report.quarantine and not ds.report.mismatches
    live = _file(ds, "live")
    assert live.header_row == 3 and live.rows_read == 3  # the trailing empty rows are no rows
    assert _file(ds, "ads").rows_read == 3 and _file(ds, "ads").header_row == 1
    assert _file(ds, "products").rows_read == 8  # 2 products × 4 carriers
    for t in ("content", "products", "ads"):
        assert ds.tables[t]["currency"].unique().tolist() == ["IDR"]


def test_time_zone_is_inferred_from_the_currency_and_reported(ds: ft.Dataset, shop: Path) -> None:
    live = _file(ds, "live")
    assert live.timezone == "Asia/Jakarta"
    assert any("Asia/Jakarta" in w and "IDR" in w for w in live.warnings)
    assert "Asia/Jakarta" in str(ds.report)
    first = ds.content.loc[ds.content["title"] == "Flash sale Senin", "start_time"].iloc[0]
    assert first == pd.Timestamp("2026-03-16 19:00", tz="Asia/Jakarta")
    told = ft.load(shop / FILES["live"], tz="Asia/Makassar", cache=False)
    assert told.report.files[0].timezone == "Asia/Makassar"
    assert str(told.content["start_time"].dt.tz) == "Asia/Makassar"


def test_ids_titles_and_repeated_headers(ds: ft.Dataset) -> None:
    c = ds.content.set_index("title")
    assert c.loc["Batik dress haul", "product_id"] == "1730899853179979037"  # out of the title's parentheses
    assert c.loc["Linen shirt try-on", "content_id"] == "7480000000000000001"
    live_detail = ds.products[ds.products["source_kind"] == "tiktok_live_product"]
    assert live_detail["product_id"].tolist() == ["1730899853179979036", "1730899853179979037"]
    assert live_detail["title"].tolist() == ["Kemeja Linen", "Dress Batik"]
    assert live_detail["gmv"].tolist() == [15_000_000.0, 10_000_000.0]
    assert live_detail["commission"].tolist() == [750_000.0, 500_000.0]
    assert ds.tables["ads"]["plan_id"].unique().tolist() == ["1839234567890123"]


def test_period_files_take_the_banner_range_and_stay_out_of_the_daily_panel(ds: ft.Dataset) -> None:
    p = ds.products
    assert p["date"].isna().all() if "date" in p else True
    assert (p["period_start"] == pd.Timestamp("2026-03-16")).all()
    assert (p["period_end"] == pd.Timestamp("2026-03-22")).all()
    daily = ds.daily
    # the panel holds the content rows only: 3 LIVEs + 3 videos on six different days
    assert int(daily["content_count"].sum()) == 6
    assert float(daily["gmv"].sum()) == 25_000_000 + 6_000_000 + 9_600_000 + 1_350_000
    assert "S" not in set(daily["fact_channel"])  # the shelf has a period, not days
    assert any("does not split it into days" in w for w in _file(ds, "products").warnings)


# --------------------------------------------------------------------------- FACT and totals


def test_summary_by_channel_counts_everything_once(ds: ft.Dataset) -> None:
    s = ds.summary(by="fact_channel")
    assert sorted(s.index) == ["A", "F", "S"]
    # F: LIVE Gross revenue 12.5M + 8M + 4.5M = 25M, plus the shop's own video 6M
    assert s.loc["F", "gmv"] == 31_000_000
    # A: Sinta 9.6M + Rina 1.35M
    assert s.loc["A", "gmv"] == 10_950_000
    # S: Shop tab 2M + 3M, Product card 1M + 0.5M; the LIVE/Video blocks and the LIVE
    # product detail repeat the LIVE list and the videos and are not counted again
    assert s.loc["S", "gmv"] == 6_500_000
    assert s["gmv"].sum() == 48_450_000
    assert s.loc["S", "rows"] == 4
    # GPM F: LIVEs by Direct GMV (10M + 7.2M + 4M = 21.2M) and the video by its GMV (6M)
    # over all views (20,000 + 16,000 + 10,000 + 50,000 = 96,000)
    assert s.loc["F", "gpm"] == pytest.approx(27_200_000 / 96_000 * 1000)
    assert s.loc["A", "gpm"] == pytest.approx(10_950_000 / 100_000 * 1000)
    # ROI F: GMV Max cost 2M + 1.5M + 0.5M attached to the three LIVEs; the video has no spend
    assert s.loc["F", "roi"] == pytest.approx(25_000_000 / 4_000_000)
    assert s.loc["F", "ad_spend"] == 4_000_000
    assert np.isnan(s.loc["A", "roi"])


def test_without_own_accounts_every_video_is_a_creator_and_the_report_says_so(shop: Path) -> None:
    ds = ft.load(shop, cache=False)
    s = ds.summary(by="fact_channel")
    assert s.loc["F", "gmv"] == 25_000_000 and s.loc["A", "gmv"] == 16_950_000
    assert any("own_accounts" in w and "TikTok video" in w for w in ds.report.warnings)


def test_live_product_detail_alone_is_the_shops_own_live(shop: Path) -> None:
    ds = ft.load(shop / FILES["live_products"], cache=False)
    s = ds.summary(by="fact_channel")
    assert s.index.tolist() == ["F"] and s.loc["F", "gmv"] == 25_000_000


def test_product_list_alone_counts_its_live_and_video_blocks(shop: Path) -> None:
    ds = ft.load(shop / FILES["products"], cache=False)
    s = ds.summary(by="carrier", metrics=["gmv"])
    # with no content loaded the LIVE and Video blocks are the only record of those sales
    assert s["gmv"].to_dict() == {"card": 1_500_000, "live": 25_000_000, "shop_tab": 5_000_000,
                                  "video": 16_950_000}


# --------------------------------------------------------------------------- platform definitions


def test_every_reported_rate_equals_the_registry_definition_on_every_row(ds: ft.Dataset) -> None:
    c = ds.content
    for metric, col in (("gpm", "reported_gpm"), ("product_ctr", "reported_product_ctr"),
                        ("click_order_rate", "reported_click_order_rate")):
        ours = row_values(c, metric)
        theirs = c[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        assert np.isfinite(ours).all() and np.isfinite(theirs).all(), metric
        tol = 0.5 if metric == "gpm" else 0.00005  # the rupiah, or 2 dp of a percentage
        assert np.abs(ours - theirs).max() <= tol, metric
    live = c["source_kind"] == "tiktok_live"  # Avg. price: the LIVE list's own column (GMV ÷ orders)
    assert np.abs(row_values(c[live], "aov") - c.loc[live, "reported_aov"].astype(float)).max() <= 0.5
    # and the summary of one session is the session's own Seller Center number
    per = summarize(c, by="content_id", metrics=["gpm", "product_ctr"])
    flash = c.loc[c["title"] == "Flash sale Senin", "content_id"].iloc[0]
    assert per.loc[flash, "gpm"] == 500_000  # 10,000,000 ÷ 20,000 × 1000 (not 12.5M ÷ 20,000)
    assert per.loc[flash, "product_ctr"] == pytest.approx(0.055)  # 1,100 ÷ 20,000 views


def test_the_registry_holds_one_definition_per_source() -> None:
    gpm = METRICS["gpm"]
    assert gpm.definition("tiktok_live").numerator == ("direct_gmv",)
    assert gpm.definition("tiktok_video").numerator == ("gmv",)
    assert gpm.definition("compass_live").numerator == ("paid_amount", "gmv")
    assert METRICS["product_ctr"].definition("tiktok_live").denominator == ("view_pv",)
    assert METRICS["click_order_rate"].definition("tiktok_live").numerator == ("orders",)


def test_a_wrong_platform_number_is_listed(tmp_path: Path, shop: Path) -> None:
    wb = openpyxl.load_workbook(shop / FILES["live"])
    ws = wb.active
    ws.cell(row=4, column=11).value = "Rp625.000"  # Gross revenue ÷ views: the misreading, 25 % off
    ws.cell(row=5, column=22).value = "11.43%"  # product clicks ÷ impressions instead of ÷ views
    wb.save(tmp_path / "live.xlsx")
    ds = ft.load(tmp_path / "live.xlsx", cache=False)
    assert sorted((m.row, m.metric) for m in ds.report.mismatches) == [(4, "gpm"), (5, "product_ctr")]


def test_platform_metrics_doc_holds_the_registry_table() -> None:
    from fact_toolkit.metrics import definitions_markdown

    doc = (Path(__file__).resolve().parents[1] / "docs" / "platform_metrics.md").read_text(encoding="utf-8")
    block = doc.split("<!-- registry: begin -->\n", 1)[1].split("<!-- registry: end -->", 1)[0]
    assert block == definitions_markdown(), "run `make docs`"
    assert "Direct GMV ÷ Views × 1000" in doc


# --------------------------------------------------------------------------- bad input


def test_unknown_seller_center_variant_names_the_closest_family(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026-03-16 ~ 2026-03-22"])
    ws.append([])
    ws.append(["Creator name", "Creator ID", "Video Info", "VV", "Likes", "Orders", "GPM (Rp)"])
    ws.append(["Toko Qimu", "tokoqimu", "x", "100", "5", "1", "Rp1.000"])
    wb.save(tmp_path / "video variant.xlsx")
    with pytest.raises(FactInputError) as err:
        ft.load(tmp_path / "video variant.xlsx", cache=False)
    text = str(err.value)
    assert "\n" not in text
    assert "closest known family is tiktok_video" in text and "start_time" in text and "Start time" in text


def test_cli_summary_shows_f_a_s_in_idr_with_roi(shop: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "fact_toolkit.cli", "summary", str(shop), "--by", "fact_channel",
                          "--own-accounts", OWN_ACCOUNT, "--no-cache"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    rows = {ln.split()[0]: ln for ln in lines if re.match(r"^[FAS]\s", ln)}
    assert set(rows) == {"F", "A", "S"}
    assert "31,000,000.00" in rows["F"] and "6.25" in rows["F"]
    assert "Money in IDR." in run.stdout
    js = subprocess.run([sys.executable, "-m", "fact_toolkit.cli", "summary", str(shop), "--format", "json",
                         "--no-cache"], capture_output=True, text=True, check=True)
    got = {r["fact_channel"]: r["gmv"] for r in json.loads(js.stdout)["rows"]}
    assert got == {"A": 16_950_000, "F": 25_000_000, "S": 6_500_000}


def test_cli_unknown_variant_is_one_line_exit_2(tmp_path: Path) -> None:
    pd.DataFrame({"Creator name": ["a"], "VV": ["1"], "Likes": ["2"]}).to_csv(tmp_path / "v.csv", index=False)
    run = subprocess.run([sys.executable, "-m", "fact_toolkit.cli", "summary", str(tmp_path / "v.csv"), "--no-cache"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "closest known family" in run.stderr


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_english_live_product_detail(tmp_path: Path) -> None:
    p = _sheet(tmp_path / "live products.xlsx", [
        ["Date Start: 2026-03-16 - Date End: 2026-03-22"], [],
        ["Product ID", "Product name", "GMV", "Commission", "Items sold"],
        ["1730899853179979036", "Kemeja Linen", "Rp15.000.000", "Rp750.000", "70"]])
    ds = ft.load(p, cache=False)
    f = ds.report.files[0]
    assert (f.kind, f.table) == ("tiktok_live_product", "products")
    row = ds.products.iloc[0]
    assert (row["product_id"], row["gmv"], row["carrier"], row["fact_channel"]) == (
        "1730899853179979036", 15_000_000, "live", "F")
    assert row["period_start"] == pd.Timestamp("2026-03-16")


def test_a_period_file_without_its_banner_stops_in_one_line(tmp_path: Path) -> None:
    p = _sheet(tmp_path / "no banner.xlsx", [["商品信息", "商品信息", "总成交额", "佣金", "成交件数"],
                                             ["1730899853179979036", "Kemeja Linen", "Rp1.000", "Rp10", "1"]])
    with pytest.raises(FactInputError, match="no date range") as err:
        ft.load(p, cache=False)
    assert "\n" not in str(err.value)


def test_vietnamese_shop_time_zone_from_the_dong(tmp_path: Path) -> None:
    p = _sheet(tmp_path / "vn.xlsx", [["2026-03-16 ~ 2026-03-22"], [],
                                      ["Livestream", "Start time", "Gross revenue", "Direct GMV", "Views",
                                       "GMV/1K views"],
                                      ["Live 1", "2026-03-16 20:00:00", "139.000₫", "100.000₫", "100", "1.000.000₫"]])
    ds = ft.load(p, cache=False)
    f = ds.report.files[0]
    assert f.kind == "tiktok_live" and f.timezone == "Asia/Ho_Chi_Minh"
    assert ds.content["currency"].tolist() == ["VND"]
    assert not ds.report.mismatches  # 100,000 ÷ 100 × 1000 = 1,000,000


def test_files_in_two_zones_keep_each_rows_local_date(tmp_path: Path, shop: Path) -> None:
    us = _sheet(tmp_path / "us.xlsx", [["2026-03-16 ~ 2026-03-22"], [],
                                       ["Livestream", "Start time", "Gross revenue", "Direct GMV", "Views"],
                                       ["US live", "2026-03-16 23:30:00", "$100.00", "$90.00", "1000"]])
    ds = ft.load(us, shop / FILES["live"], tz=None, cache=False)
    c = ds.content.set_index("title")
    assert str(c["start_time"].dt.tz) == "UTC"
    # 23:30 in Shanghai (USD names no zone) is 15:30 UTC; its date stays the local 2026-03-16
    assert c.loc["US live", "date"] == pd.Timestamp("2026-03-16")
    assert c.loc["Flash sale Senin", "start_time"] == pd.Timestamp("2026-03-16 12:00", tz="UTC")
    assert any("different time zones" in w for w in ds.report.warnings)


def test_gpm_series_of_the_models_follow_the_registry(ds: ft.Dataset) -> None:
    from fact_toolkit.models.series import gpm_money

    live = ds.content[ds.content["source_kind"] == "tiktok_live"]
    assert gpm_money(live).tolist() == [10_000_000, 7_200_000, 4_000_000]  # Direct GMV, not Gross revenue


def test_written_tables_load_back_to_the_same_summary(ds: ft.Dataset, tmp_path: Path) -> None:
    ds.write(tmp_path / "tables")
    back = ft.load(tmp_path / "tables", cache=False)
    cols = ["gmv", "gpm", "roi", "rows"]
    pd.testing.assert_frame_equal(back.summary()[cols], ds.summary()[cols])
    assert not back.report.mismatches
    assert any("already carried their spend" in w for w in back.report.warnings)  # not attached twice


def test_gmv_max_spend_without_its_session_is_reported(shop: Path) -> None:
    ds = ft.load(shop / FILES["ads"], shop / FILES["videos"], cache=False)
    assert "ad_spend" not in ds.content or ds.content["ad_spend"].isna().all()
    assert any("3 LIVE(s) with spend 4,000,000.00 not matched" in w for w in ds.report.warnings)


def test_load_report_names_each_family(ds: ft.Dataset) -> None:
    text = str(ds.report)
    for label in ("TikTok Seller Center LIVE list", "TikTok Seller Center product list by channel",
                  "TikTok Seller Center LIVE product detail", "TikTok Seller Center shoppable-video list",
                  "TikTok GMV Max / LIVE ads report"):
        assert label in text


def test_the_same_download_twice_counts_once(tmp_path: Path, shop: Path) -> None:
    import shutil

    folder = tmp_path / "twice"
    shutil.copytree(shop, folder)
    shutil.copy2(folder / FILES["products"], folder / "Product list by channel (1).xlsx")
    shutil.copy2(folder / FILES["live"], folder / "LIVE list (1).xlsx")
    ds = ft.load(folder, own_accounts=[OWN_ACCOUNT], cache=False)
    assert ds.summary()["gmv"].sum() == 48_450_000  # as with one copy of each
    assert len(ds.report.quarantine) == 8 + 3 and {q.rule for q in ds.report.quarantine} == {"duplicate"}


def test_a_source_definition_counts_only_on_tables_holding_that_source() -> None:
    douyin = pd.DataFrame({"source_kind": ["compass_live"], "paid_amount": [100.0], "view_pv": [1000],
                           "product_click_pv": [30]})
    assert "product_ctr" not in summarize(douyin).columns  # no 商品曝光 columns, and no TikTok rows
    with pytest.raises(KeyError, match="product_ctr needs"):
        summarize(douyin, metrics=["product_ctr"])
    tiktok = douyin.assign(source_kind="tiktok_live")
    assert summarize(tiktok)["product_ctr"].iloc[0] == pytest.approx(0.03)  # TikTok's CTR: clicks ÷ views


def test_the_duckdb_engine_runs_the_seller_center_rules_too(shop: Path, ds: ft.Dataset) -> None:
    # engine="auto" sends inputs above its threshold to DuckDB: the TikTok-only rules (own
    # account's videos → F, GMV Max spend onto its LIVEs, the period files' banner range,
    # the zone from the currency) must hold there as well — the same numbers as above
    big = ft.load(shop, own_accounts=[OWN_ACCOUNT], cache=False, engine="duckdb")
    s = big.summary(by="fact_channel")
    assert s.loc["F", "gmv"] == 31_000_000 and s.loc["A", "gmv"] == 10_950_000 and s.loc["S", "gmv"] == 6_500_000
    assert s.loc["F", "ad_spend"] == 4_000_000
    assert s.loc["F", "roi"] == pytest.approx(25_000_000 / 4_000_000)
    keys = ["date", "account_id", "fact_channel", "currency", "source_kind"]
    a = ds.daily.sort_values(keys).reset_index(drop=True)
    b = big.daily.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[list(b.columns)], b, check_dtype=False)
    assert big.report.totals == ds.report.totals
    assert {f.timezone for f in big.report.files if f.table == "content"} == \
        {f.timezone for f in ds.report.files if f.table == "content"}
