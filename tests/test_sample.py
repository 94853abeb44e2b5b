"""Tests of the sample-brand simulator (fact_toolkit.sample)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from fact_toolkit.sample import SampleBrand, simulate, simulate_account, write_sample
from fact_toolkit.schema import column_aliases, normalize_header

DAYS = 60


@pytest.fixture(scope="module")
def brand() -> SampleBrand:
    return simulate(seed=7, days=DAYS)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    a = write_sample(tmp_path_factory.mktemp("a"), seed=7, days=DAYS)
    b = write_sample(tmp_path_factory.mktemp("b"), seed=7, days=DAYS)
    return a, b


def _gpm7(df: pd.DataFrame, gpm_ref: float) -> np.ndarray:
    """GPM over the seven days before each day (ratio of sums), GPM_ref on day 0."""
    paid = np.concatenate([[0.0], np.cumsum(df["paid_amount"].to_numpy())])
    views = np.concatenate([[0], np.cumsum(df["view_pv"].to_numpy())])
    t = np.arange(len(df))
    lo = np.maximum(t - 7, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (paid[t] - paid[lo]) / (views[t] - views[lo]) * 1000.0
    g[0] = gpm_ref
    return g


def _ols_slope(y: np.ndarray, x: np.ndarray, weekday: np.ndarray) -> float:
    dummies = (weekday[:, None] == np.arange(7)[None, :]).astype(float)
    design = np.column_stack([x, dummies])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(coef[0])


# --- one account: the snowball law ------------------------------------------------------------


def test_simulate_account_columns_and_determinism() -> None:
    a = simulate_account(3, days=120)
    b = simulate_account(3, days=120)
    assert list(a.columns) == [
        "date", "exposure_pv", "organic_exposure_pv", "paid_exposure_pv", "view_pv", "view_uv",
        "product_exposure_uv", "product_click_uv", "buyers", "orders", "paid_amount", "gmv", "ad_spend",
        "campaign_id", "gpm"]
    pd.testing.assert_frame_equal(a, b)
    assert (a["exposure_pv"] == a["organic_exposure_pv"] + a["paid_exposure_pv"]).all()
    assert (a["view_pv"] <= a["exposure_pv"]).all() and (a["buyers"] <= a["product_click_uv"]).all()
    assert (a["orders"] >= a["buyers"]).all() and (a["gmv"] >= a["paid_amount"]).all()
    np.testing.assert_allclose(a["gpm"], a["paid_amount"] / a["view_pv"] * 1000)


def test_snowball_law_is_exact() -> None:
    df = simulate_account(11, days=730, elasticity=0.4)
    law = df.attrs["law"]
    g = _gpm7(df, law["gpm_ref"])
    wd = np.asarray(law["weekday_effect"])[df["date"].dt.day_of_week.to_numpy()]
    pred = (law["a"] + law["elasticity"] * np.log(g / law["gpm_ref"]) + wd
            + np.asarray(law["campaign_effect"]) + np.asarray(law["u"]))
    assert np.max(np.abs(np.log(df["organic_exposure_pv"].to_numpy()) - pred)) < 1e-4


def test_disturbance_is_ar1() -> None:
    u = np.asarray(simulate_account(5, days=3650, campaigns=False).attrs["law"]["u"])
    rho = float(np.dot(u[1:], u[:-1]) / np.dot(u[:-1], u[:-1]))
    sigma = float(np.std(u[1:] - rho * u[:-1]))
    assert abs(rho - 0.5) < 0.08
    assert abs(sigma - 0.15) < 0.02


def test_zero_elasticity_means_no_dependence_on_lagged_gpm() -> None:
    df = simulate_account(21, days=3650, elasticity=0.0, campaigns=False, ad_spend=False)
    g = _gpm7(df, 600.0)
    y = np.log(df["organic_exposure_pv"].to_numpy())[8:]
    x = np.log(g)[8:]
    assert abs(np.corrcoef(y, x)[0, 1]) < 0.1
    assert abs(_ols_slope(y, x, df["date"].dt.day_of_week.to_numpy()[8:])) < 0.15


def test_positive_elasticity_gives_clear_positive_slope() -> None:
    df = simulate_account(21, days=3650, elasticity=0.8, campaigns=False, ad_spend=False)
    g = _gpm7(df, 600.0)
    y = np.log(df["organic_exposure_pv"].to_numpy())[8:]
    x = np.log(g)[8:]
    assert _ols_slope(y, x, df["date"].dt.day_of_week.to_numpy()[8:]) > 0.5


def test_ad_spend_and_campaign_switches() -> None:
    df = simulate_account(2, days=400, ad_spend=False, campaigns=False)
    assert (df["ad_spend"] == 0).all() and (df["paid_exposure_pv"] == 0).all()
    assert df["campaign_id"].isna().all()
    df = simulate_account(2, days=400)
    assert (df["ad_spend"] > 0).all()
    six18 = df[(df["date"] >= "2025-05-20") & (df["date"] <= "2025-06-18")]
    assert (six18["campaign_id"] == "2025-618").all()
    assert df[(df["date"] >= "2025-04-01") & (df["date"] <= "2025-04-30")]["campaign_id"].isna().all()


# --- the brand ------------------------------------------------------------------------------------


def test_brand_is_deterministic(brand: SampleBrand) -> None:
    again = simulate(seed=7, days=DAYS)
    for name in ("content", "shelf", "talents", "tiktok", "benchmarks", "ads", "products", "f_daily"):
        pd.testing.assert_frame_equal(getattr(brand, name), getattr(again, name))
    assert json.dumps(brand.truth, sort_keys=True, default=str) == json.dumps(again.truth, sort_keys=True,
                                                                               default=str)


def test_brand_sizes_and_counts(brand: SampleBrand) -> None:
    tal = brand.talents
    a = tal[tal["fact_channel"] == "A"]
    t = tal[tal["fact_channel"] == "T"]
    assert len(a) >= 150 and (a["followers"] <= 3_000_000).all()
    assert len(t) >= 5 and (t["followers"] >= 6_000_000).all()
    assert (tal["is_top_kol"] == (tal["fact_channel"] == "T")).all()
    assert a["commission_rate"].between(0.15, 0.35).all()
    assert (t["commission_rate"] > a["commission_rate"].max()).all()
    c = brand.content
    f = c[c["fact_channel"] == "F"]
    assert f["account_id"].nunique() == 3
    assert set(f["content_type"]) == {"live", "video"}
    per_day = f[f["content_type"] == "live"].groupby(["account_id", "date"]).size()
    assert per_day.between(1, 2).all() and len(per_day) == 3 * DAYS
    assert set(c.loc[c["content_type"] == "video", "content_form"]) == {"知识分享", "街拍", "好物分享", "剧情植入"}
    assert 6 <= len(brand.products) <= 10
    assert len(brand.shelf) == DAYS * len(brand.products)
    refund = c["refund_amount"] / c["gmv"]
    assert refund[c["gmv"] > 100].between(0.049, 0.121).all()
    assert (brand.tiktok["currency"] == "USD").all() and (brand.tiktok["fact_channel"] == "F").all()
    assert (c.loc[c["fact_channel"] == "F", "commission"] == 0).all()


def test_f_sessions_split_the_daily_law(brand: SampleBrand) -> None:
    live = brand.content[(brand.content["fact_channel"] == "F") & (brand.content["content_type"] == "live")]
    got = live.groupby(["account_id", "date"])[["view_pv", "paid_amount", "ad_spend"]].sum()
    want = brand.f_daily.set_index(["account_id", "date"])[["view_pv", "paid_amount", "ad_spend"]]
    want = want.loc[got.index]
    assert (got["view_pv"].to_numpy() == want["view_pv"].to_numpy()).all()
    np.testing.assert_allclose(got["paid_amount"], want["paid_amount"], atol=0.005)
    np.testing.assert_allclose(got["ad_spend"], want["ad_spend"], atol=0.005)


def test_campaign_windows_carry_campaign_id(brand: SampleBrand) -> None:
    cal = brand.campaigns
    for frame in (brand.content, brand.shelf):
        for row in cal.itertuples(index=False):
            inside = frame["date"].between(row.start, row.end)
            assert (frame.loc[inside, "campaign_id"] == row.campaign_id).all()
        in_any = np.zeros(len(frame), dtype=bool)
        for row in cal.itertuples(index=False):
            in_any |= frame["date"].between(row.start, row.end).to_numpy()
        assert frame.loc[~in_any, "campaign_id"].isna().all()
    assert brand.content["campaign_id"].notna().any()  # 双12 starts on the default start date


def _money(s: pd.Series) -> float:
    return round(int(np.rint(s.dropna().to_numpy(dtype=float) * 100).sum()) / 100, 2)


def test_truth_totals_equal_frame_sums(brand: SampleBrand) -> None:
    tot = brand.truth["totals"]
    frames = {
        "罗盘_直播明细_自播.xlsx": brand.content, "达人直播_头部达人.csv": brand.content,
        "短视频明细.csv": brand.content,
    }
    for name, frame in frames.items():
        sub = frame[frame["source_file"] == name]
        want = tot["by_file"][name]
        assert want["rows"] == len(sub)
        for col in ("gmv", "paid_amount", "refund_amount", "commission"):
            assert want[col] == _money(sub[col]), (name, col)
        assert want["view_pv"] == int(sub["view_pv"].sum())
    assert tot["by_file"]["短视频明细.csv"]["ad_spend"] is None
    assert tot["by_file"]["商品载体_商品卡.xlsx"]["gmv"] == _money(brand.shelf["gmv"])
    assert tot["by_file"]["千川_投放日报_gbk.csv"]["ad_spend"] == _money(
        brand.content.loc[brand.content["source_file"] == "罗盘_直播明细_自播.xlsx", "ad_spend"])
    sales = pd.concat([brand.content, brand.shelf, brand.tiktok], ignore_index=True)
    for (cur, ch), sub in sales.groupby(["currency", "fact_channel"]):
        want = tot["by_currency_channel"][cur][ch]
        assert want["rows"] == len(sub)
        assert want["gmv"] == _money(sub["gmv"])
        if cur == "CNY":  # the TikTok shop (USD) reports GMV, not paid amount
            assert want["paid_amount"] == _money(sub["paid_amount"])
            assert want["refund_amount"] == _money(sub["refund_amount"])
    assert set(tot["by_currency_channel"]["CNY"]) == {"F", "A", "T", "S"}
    assert set(tot["by_currency_channel"]["USD"]) == {"F"}  # a shop's LIVE list holds its own LIVEs


# --- the files ------------------------------------------------------------------------------------


def test_write_sample_is_byte_identical(written: tuple[list[Path], list[Path]]) -> None:
    a, b = written
    assert [p.name for p in a] == [p.name for p in b]
    assert len(a) == 9
    for p, q in zip(a, b):
        assert hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256(q.read_bytes()).digest(), p.name
    assert sum(p.stat().st_size for p in a) < 5 * 1024 * 1024
    assert not [x for x in a[0].parent.iterdir() if x.name.endswith(".tmp")]


def _xlsx_rows(path: Path) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.active.iter_rows(values_only=True))
    finally:
        wb.close()


def _headers(path: Path) -> list[str]:
    if path.suffix == ".xlsx":
        rows = _xlsx_rows(path)
        return [h for h in (rows[2] if path.name.startswith("tiktok") else rows[0]) if h is not None]
    enc = "gb18030" if "gbk" in path.name else "utf-8-sig"
    return next(csv.reader(io.StringIO(path.read_bytes().decode(enc))))


def test_every_header_maps_to_the_schema(written: tuple[list[Path], list[Path]]) -> None:
    tables = {"罗盘_直播明细_自播.xlsx": "content", "达人直播_头部达人.csv": "content", "短视频明细.csv": "content",
              "tiktok_live_list.xlsx": "content", "商品载体_商品卡.xlsx": "products",
              "千川_投放日报_gbk.csv": "ads", "达人列表.csv": "talents", "benchmarks.csv": "benchmarks"}
    folder = written[0][0].parent
    for name, table in tables.items():
        aliases = column_aliases(table)
        missing = [h for h in _headers(folder / name) if normalize_header(h) not in aliases]
        assert not missing, (name, missing)


def test_files_say_what_the_truth_says(written: tuple[list[Path], list[Path]]) -> None:
    folder = written[0][0].parent
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    by_file = truth["totals"]["by_file"]

    rows = _xlsx_rows(folder / "罗盘_直播明细_自播.xlsx")
    head, body = rows[0], rows[1:]
    assert body[-1][0] == "合计"
    data = pd.DataFrame(body[:-1], columns=head)
    want = by_file["罗盘_直播明细_自播.xlsx"]
    assert len(data) == want["rows"]
    assert _money(data["直播间用户支付金额"]) == want["paid_amount"]
    assert _money(data["投放消耗"]) == want["ad_spend"]
    assert data["直播间曝光次数"].map(lambda v: isinstance(v, str) and v.endswith("万")).any()

    raw = (folder / "短视频明细.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    video = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    want = by_file["短视频明细.csv"]
    assert len(video) == want["rows"]
    assert _money(video["用户支付金额(元)"].astype(float)) == want["paid_amount"]
    assert video["视频ID"].str.endswith("\t").any()
    assert video["视频ID"].str.strip().str.fullmatch(r"7\d{18}").all()
    assert video["视频标题"].str.contains("\n").sum() == 1 and video["视频标题"].str.contains(",").sum() == 1
    sav = video["看后搜用户支付金额(元)"]
    assert sav.isin(["-", "--"]).sum() == want["search_after_view_missing"]
    assert _money(pd.to_numeric(sav, errors="coerce")) == want["search_after_view_amount"]

    ads = pd.read_csv(io.BytesIO((folder / "千川_投放日报_gbk.csv").read_bytes()), encoding="gb18030", dtype=str)
    assert _money(ads["消耗"].astype(float)) == by_file["千川_投放日报_gbk.csv"]["ad_spend"] \
        == by_file["罗盘_直播明细_自播.xlsx"]["ad_spend"]

    tt = _xlsx_rows(folder / "tiktok_live_list.xlsx")
    assert " ~ " in tt[0][0] and all(v is None for v in tt[1]) and tt[2][0] == "Creator name"
    assert len(tt) - 3 == by_file["tiktok_live_list.xlsx"]["rows"]
    assert by_file["tiktok_live_list.xlsx"]["currency"] == "USD"
    assert {"seed", "days", "start", "end", "elasticity", "dilution", "GPM_ref", "accounts", "products",
            "campaigns", "totals"} <= set(truth)
