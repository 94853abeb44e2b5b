"""Diagnosis functions on tiny hand-built tables; every expected number is worked out in the comments."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fact_toolkit import FactInputError
from fact_toolkit.channels import TopKolRule, apply_top_kol_rule
from fact_toolkit.loader import read_campaign_calendar
from fact_toolkit.diagnosis import (LEVERS, best_and_worst, bottleneck, campaign_uplift, capability_scores,
                                    concentration, contribution, crowd_assets, entropy, funnel_diagnosis,
                                    funnel_rates, gpm_roi_ranking, halo_effect, high_gpm_low_exposure,
                                    label_dispersion, metric_value, percentile_score, recommend_lever,
                                    session_review, summarize_capabilities, talent_activity, talent_matrix)


# --- concentration --------------------------------------------------------------------------------------

def test_hhi_and_top_share_by_hand() -> None:
    # shares 0.4, 0.3, 0.2, 0.1 → HHI = .16 + .09 + .04 + .01 = 0.30; top-2 share 0.7
    c = concentration([40, 30, 20, 10, 0, float("nan")], top=2)
    assert c["n"] == 4
    assert c["top_share"] == pytest.approx(0.7)
    assert c["hhi"] == pytest.approx(0.30)
    assert c["equivalent_n"] == pytest.approx(1 / 0.30)


def test_hhi_of_equal_talents_is_one_over_n() -> None:
    c = concentration([5.0] * 20, top=10)
    assert c["hhi"] == pytest.approx(0.05)
    assert c["top_share"] == pytest.approx(0.5)


# --- funnel and bottleneck ------------------------------------------------------------------------------

def test_bottleneck_picks_largest_shortfall() -> None:
    # a +20%, b −37.5%, c −16.7% → b
    assert bottleneck({"a": 0.30, "b": 0.05, "c": 0.5}, {"a": 0.25, "b": 0.08, "c": 0.6}) == ("b", -0.375)
    stage, gap = bottleneck({"a": 0.3}, {"a": 0.2})
    assert stage is None and math.isnan(gap)
    # within tolerance → no bottleneck
    assert bottleneck({"a": 0.99}, {"a": 1.0}, tolerance=0.02)[0] is None


def _funnel_rows() -> pd.DataFrame:
    # F in Jan: views 100/1000 = 0.10 then 0.12 (Feb), 0.14 (Mar) — Apr is the current month with
    # exposure→view 0.15 (+25% vs history median 0.12) but click→order 0.05 vs history 0.10 (−50%).
    rows = []
    for month, ev, co in (("2025-01-10", 100, 10), ("2025-02-10", 120, 10), ("2025-03-10", 140, 10),
                          ("2025-04-10", 150, 5)):
        rows.append({"date": pd.Timestamp(month), "fact_channel": "F", "exposure_uv": 1000, "view_uv": ev,
                     "product_exposure_uv": 50, "product_click_uv": 100, "buyers": co})
    return pd.DataFrame(rows)


def test_funnel_rates_are_ratios_of_sums() -> None:
    r = funnel_rates(_funnel_rows(), by="fact_channel").loc["F"]
    assert r["exposure_view_rate"] == pytest.approx(510 / 4000)
    assert r["click_order_rate"] == pytest.approx(35 / 400)


def test_funnel_diagnosis_against_history_and_peers() -> None:
    bench = pd.DataFrame({"metric": ["exposure_view_rate", "click_order_rate"], "p25": [0.1, 0.05],
                          "p50": [0.2, 0.08], "p75": [0.3, 0.12]})
    d = funnel_diagnosis(_funnel_rows(), bench)
    row = d.set_index("stage").loc["click_order_rate"]
    assert row["current"] == pytest.approx(0.05)
    assert row["history"] == pytest.approx(0.10)
    assert row["vs_history"] == pytest.approx(-0.5)
    assert row["vs_peer"] == pytest.approx(0.05 / 0.08 - 1)
    ev = d.set_index("stage").loc["exposure_view_rate"]
    assert ev["history"] == pytest.approx(0.12) and ev["vs_peer"] == pytest.approx(-0.25)
    # click→order −50% vs history; vs peers: exposure→view −25%, click→order −37.5% → click→order
    assert set(d["bottleneck_history"]) == {"click_order_rate"}
    assert set(d["bottleneck_peer"]) == {"click_order_rate"}
    assert d.attrs["month"] == "2025-04"


# --- campaign uplift ------------------------------------------------------------------------------------

def test_campaign_uplift_weekday_matched() -> None:
    # Pre-period: four weeks, weekdays 100, weekends 200. Window Mon 3 – Wed 5 Feb 2025 (3 weekdays):
    # baseline 300; actual 150 each → 450 → uplift +50%. The week after: back to 100 (decay 1 day).
    idx = pd.date_range("2025-01-06", "2025-02-16")
    s = pd.Series([200.0 if d.day_of_week >= 5 else 100.0 for d in idx], index=idx)
    s["2025-02-03":"2025-02-05"] = 150.0
    r = campaign_uplift(s, pd.Timestamp("2025-02-03"), pd.Timestamp("2025-02-05"))
    assert (r["baseline"], r["actual"]) == (300.0, 450.0)
    assert r["uplift"] == pytest.approx(0.5)
    assert r["pre_days"] == 28 and r["window_days"] == 3
    assert r["decay_days"] == 1.0
    assert r["post_uplift_7d"] == pytest.approx(0.0)


def test_campaign_uplift_weekend_heavy_window_is_not_flattered() -> None:
    # Same pre-period; window Sat–Sun at their usual 200: a plain mean baseline (≈128.6/day) would
    # call this +56%, the weekday-matched one says 0.
    idx = pd.date_range("2025-01-06", "2025-02-16")
    s = pd.Series([200.0 if d.day_of_week >= 5 else 100.0 for d in idx], index=idx)
    r = campaign_uplift(s, pd.Timestamp("2025-02-08"), pd.Timestamp("2025-02-09"))
    assert r["uplift"] == pytest.approx(0.0)


def test_campaign_uplift_needs_pre_period() -> None:
    idx = pd.date_range("2025-01-06", "2025-01-20")
    r = campaign_uplift(pd.Series(1.0, index=idx), pd.Timestamp("2025-01-08"), pd.Timestamp("2025-01-10"))
    assert math.isnan(r["uplift"]) and r["pre_days"] == 2


# --- halo -----------------------------------------------------------------------------------------------

def test_halo_baseline_matched_on_weekday_and_campaign() -> None:
    # 4 weeks from Mon 6 Jan. Clean level 10, but campaign days (27 Jan – 2 Feb) are 20 whether or not
    # they follow a T session. T session on Sun 26 Jan → halo = 27 Jan – 2 Feb, all in the campaign.
    # The only clean campaign days are 13–19 Jan (at 20): each halo day has exactly 1 matched clean day
    # (same weekday, campaign, within ±4 weeks) — below the default 3, so no halo is measured.
    idx = pd.date_range("2025-01-06", "2025-02-02")
    s = pd.Series(10.0, index=idx)
    camp = pd.Series(False, index=idx)
    camp["2025-01-13":"2025-01-19"] = True
    camp["2025-01-27":"2025-02-02"] = True
    s[camp] = 20.0
    s["2025-01-27":"2025-02-02"] = 22.0
    r = halo_effect(s, [pd.Timestamp("2025-01-26")], camp, window=7)
    assert r["halo_days_total"] == 7 and r["halo_days"] == 0 and r["enough"] is False
    assert math.isnan(r["lift"])
    # accepting one matched day: baseline 7 × 20 = 140, actual 7 × 22 = 154 → +10%, from 7 clean days
    r = halo_effect(s, [pd.Timestamp("2025-01-26")], camp, window=7, min_matched=1)
    assert r["halo_days"] == 7 and r["clean_days"] == 7 and r["matched_per_day"] == 1.0
    assert r["baseline"] == pytest.approx(140.0)
    assert r["actual"] == pytest.approx(154.0)
    assert r["lift"] == pytest.approx(0.1)
    # ignoring campaign status mixes 10, 20, 10 into Mon–Sat baselines (40/3 each) and 10, 20 into Sunday's
    # (26 Jan is the session day): baseline 6 × 40/3 + 15 = 95 → 154/95 − 1 = +62%, overstating the halo
    r2 = halo_effect(s, [pd.Timestamp("2025-01-26")], None, window=7, min_matched=1)
    assert r2["baseline"] == pytest.approx(95.0)
    assert r2["lift"] == pytest.approx(154 / 95 - 1)


def test_halo_baseline_is_local_and_clean() -> None:
    # 13 weeks from Mon 2 Dec. December (2–29 Dec) runs at 100, January on at 10; session Sun 2 Feb,
    # halo 3–9 Feb at 12. A halo day's baseline is the same weekday 1–4 weeks around it: for Mon 3 Feb
    # 6, 13, 20, 27 Jan and 10, 17, 24 Feb (3 Mar is past the data) = 7 days at 10; Sun 9 Feb loses
    # 2 Feb (the session day) → 6. December is more than 4 weeks away and never enters: baseline 70.
    idx = pd.date_range("2024-12-02", "2025-03-02")
    s = pd.Series(10.0, index=idx)
    s["2024-12-02":"2024-12-29"] = 100.0
    s["2025-02-03":"2025-02-09"] = 12.0
    r = halo_effect(s, [pd.Timestamp("2025-02-02")])
    assert r["halo_days"] == 7 and r["enough"]
    assert r["actual"] == pytest.approx(84.0) and r["baseline"] == pytest.approx(70.0)
    assert r["lift"] == pytest.approx(0.2)
    # clean days used: 6 Jan – 2 Mar (56 days) minus 2–9 Feb (session day + halo) = 48
    assert r["clean_days"] == 48 and r["matched_per_day"] == pytest.approx(48 / 7)
    # a second session on Wed 5 Feb: its day is not a halo day, and its own 7 days after are not clean.
    # Halo days = 3, 4, 6, …, 12 Feb = 9; a flat series shows no lift.
    flat = pd.Series(10.0, index=idx)
    r = halo_effect(flat, [pd.Timestamp("2025-02-02"), pd.Timestamp("2025-02-05")])
    assert r["halo_days_total"] == 9 and r["halo_days"] == 9 and r["lift"] == pytest.approx(0.0)


def test_describe_halo_says_when_clean_days_are_too_few() -> None:
    from fact_toolkit.diagnosis import narrative as nv

    t = pd.DataFrame({"account_name": ["k"], "paid_amount": [100.0]})
    halo = pd.DataFrame([{"fact_channel": "F", "measure": "gmv", "halo_days": 0, "halo_days_total": 7,
                          "clean_days": 0, "lift": float("nan")}])
    text = nv.describe_halo(t, halo, "CNY", "en")
    assert "not enough clean days" in text and "nan" not in text.lower()


# --- entropy and labels ---------------------------------------------------------------------------------

def test_entropy_by_hand() -> None:
    assert entropy(["a", "b"]) == 1.0
    assert entropy(["a", "a", "a", "b"]) == pytest.approx(-(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25)))
    assert entropy(["x"] * 5) == 0.0
    assert entropy(["a", "b", "c", "d"], normalise=True) == 1.0
    assert math.isnan(entropy([]))


def test_label_dispersion_per_account() -> None:
    # focused: 5 videos all "通勤,职场" → 2 tags equally often → 1 bit
    # scattered: 5 videos with 5 different single tags → log2(5) bits
    rows = [{"account_name": "focused", "tags": "通勤,职场", "paid_amount": 100.0, "view_pv": 100}] * 5
    rows += [{"account_name": "scattered", "tags": t, "paid_amount": 10.0, "view_pv": 100}
             for t in ("穿搭", "美食", "旅行", "数码", "宠物")]
    rows += [{"account_name": "tiny", "tags": "a", "paid_amount": 1.0, "view_pv": 1}]
    d = label_dispersion(pd.DataFrame(rows), min_items=5)
    assert list(d.index) == ["scattered", "focused"]  # tiny has < 5 items
    assert d.loc["focused", "entropy"] == pytest.approx(1.0)
    assert d.loc["scattered", "entropy"] == pytest.approx(math.log2(5))
    assert d.loc["scattered", "entropy_norm"] == pytest.approx(1.0)
    assert d.loc["focused", "gpm"] == pytest.approx(1000.0)
    assert d.loc["scattered", "top_tag_share"] == pytest.approx(0.2)
    assert math.isnan(d.attrs["spearman"])  # fewer than 5 accounts


def test_high_gpm_low_exposure() -> None:
    f = pd.DataFrame({"gpm": [100, 200, 300, 900, 850], "exposure": [50, 10, 90, 20, 95]})
    # GPM cut (q75) = 850, exposure cut (median) = 50 → only row 3
    assert high_gpm_low_exposure(f).tolist() == [False, False, False, True, False]


# --- scores and the lever -------------------------------------------------------------------------------

def test_percentile_score_by_hand() -> None:
    assert percentile_score(680, 420, 680, 1050) == 50.0
    assert percentile_score(865, 420, 680, 1050) == pytest.approx(62.5)   # halfway p50→p75
    assert percentile_score(290, 420, 680, 1050) == pytest.approx(12.5)   # 130 below p25 at 25/260 per unit
    assert percentile_score(10_000, 420, 680, 1050) == 100.0             # clipped
    assert percentile_score(0.09, 0.06, 0.09, 0.14, lower_is_better=True) == 50.0
    assert percentile_score(0.14, 0.06, 0.09, 0.14, lower_is_better=True) == 25.0
    assert math.isnan(percentile_score(float("nan"), 1, 2, 3))


def test_capability_scores_against_benchmarks_and_history() -> None:
    # content: GPM 680 = peer p50 → 50; brand: followers per 1K views 5 in the last month vs 2, 3, 4, 5
    # earlier (p25 2.75, p50 3.5, p75 4.25) → 5 is 0.75 above p75 at 25/0.75 per unit → 100.
    months = pd.to_datetime(["2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15", "2025-05-15"])
    content = pd.DataFrame({"date": months, "paid_amount": [680.0] * 5, "view_pv": [1000] * 5,
                            "new_followers": [2, 3, 4, 5, 5]})
    bench = pd.DataFrame({"metric": ["gpm"], "p25": [420.0], "p50": [680.0], "p75": [1050.0]})
    m = capability_scores(content, content, bench).set_index("metric")
    assert m.loc["gpm", "basis"] == "peer" and m.loc["gpm", "score"] == pytest.approx(50.0)
    f = m.loc["followers_per_1k_views"]
    assert f["basis"] == "own history"
    assert (f["p25"], f["p50"], f["p75"]) == pytest.approx((2.75, 3.5, 4.25))
    assert f["value"] == pytest.approx(5.0) and f["score"] == 100.0
    assert m.loc["fan_buyer_share", "basis"] == "n/a"
    caps = summarize_capabilities(m.reset_index())
    assert caps.loc["content", "score"] == pytest.approx(50.0)
    assert caps.loc["brand", "score"] == pytest.approx(100.0)
    assert math.isnan(caps.loc["price", "score"])


def test_metric_value_ratio_of_sums() -> None:
    t = pd.DataFrame({"gmv": [100.0, 300.0], "paid_amount": [90.0, 270.0], "likes": [5, 15], "comments": [0, 5],
                      "shares": [5, 10], "view_pv": [100, 300]})
    assert metric_value(t, "discount_depth") == pytest.approx(0.1)
    assert metric_value(t, "interaction_rate") == pytest.approx(40 / 400)
    assert math.isnan(metric_value(t, "fan_buyer_share"))


def test_lever_mapping_is_the_seeds() -> None:
    table = LEVERS.set_index("capability")["channels"].to_dict()
    assert table == {"content": "F", "brand": "T+A", "product": "F+A", "price": "A"}
    rec = recommend_lever({"content": 40.0, "brand": 75.0, "product": 60.0, "price": float("nan")})
    assert rec["capability"].tolist() == ["brand", "product", "content"]
    assert rec["channels"].iloc[0] == "T+A"
    assert "KOL" in rec["reason_en"].iloc[0] and "头部大V" in rec["reason_zh"].iloc[0]


# --- contribution, ranking, sessions, talents, crowd --------------------------------------------------

def test_contribution_never_adds_currencies() -> None:
    f = pd.DataFrame({"date": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-02-01", "2025-01-07"]),
                      "fact_channel": ["F", "A", "F", "other"], "gmv": [300.0, 100.0, 600.0, 50.0],
                      "refund_amount": [30.0, 0.0, 60.0, 5.0], "currency": ["CNY", "CNY", "CNY", "USD"]})
    c = contribution(f).set_index(["currency", "period", "fact_channel"])
    jan = pd.Timestamp("2025-01-01")
    assert c.loc[("CNY", jan, "F"), "share"] == pytest.approx(0.75)
    assert c.loc[("USD", jan, "other"), "share"] == pytest.approx(1.0)
    assert c.loc[("CNY", pd.Timestamp("2025-02-01"), "F"), "growth"] == pytest.approx(1.0)
    assert c.loc[("CNY", jan, "F"), "net_gmv"] == pytest.approx(270.0)


def test_gpm_vs_roi_disagreement() -> None:
    # F: GPM 100, ROI 100/10 = 10; A: GPM 300, ROI 3; T: GPM 200, ROI 2 → GPM ranks F3 A1 T2, ROI F1 A2 T3
    t = pd.DataFrame({"fact_channel": ["F", "A", "T"], "paid_amount": [100.0, 90.0, 300.0],
                      "view_pv": [1000, 300, 1500], "ad_spend": [10.0, 0.0, 0.0], "commission": [0.0, 30.0, 150.0]})
    r = gpm_roi_ranking(t)
    assert r.loc["F", "rank_gpm"] == 3 and r.loc["F", "rank_roi"] == 1 and r.loc["F", "disagree"]
    assert r.loc["A", "roi"] == pytest.approx(3.0) and not r.loc["A", "disagree"]


def test_session_review_and_why() -> None:
    # three sessions of one account; s2 has twice the median GPM because click→order doubled
    t = pd.DataFrame({"content_id": ["s1", "s2", "s3"], "content_type": ["live"] * 3, "account_name": ["x"] * 3,
                      "date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
                      "paid_amount": [100.0, 200.0, 50.0], "view_pv": [1000] * 3, "view_uv": [800] * 3,
                      "exposure_uv": [4000] * 3, "product_exposure_uv": [400] * 3, "product_click_uv": [40] * 3,
                      "buyers": [2, 4, 1]})
    bench = pd.DataFrame({"metric": ["gpm"], "p25": [60.0], "p50": [100.0], "p75": [150.0]})
    r = session_review(t, bench)
    assert r["gpm"].tolist() == [100.0, 200.0, 50.0]
    assert r["gpm_vs_own"].tolist() == [0.0, 1.0, -0.5]
    assert r["gpm_peer"].tolist() == ["p50–p75", "≥p75", "<p25"]
    bw = best_and_worst(r, 1).set_index("rank")
    assert bw.loc["best", "content_id"] == "s2" and bw.loc["best", "why_kpi"] == "click_order_rate"
    assert bw.loc["best", "why_change"] == pytest.approx(1.0)
    assert bw.loc["worst", "content_id"] == "s3" and bw.loc["worst", "why_kpi"] == "click_order_rate"


def test_talent_matrix_and_activity() -> None:
    t = pd.DataFrame({"date": pd.to_datetime(["2025-01-03", "2025-01-09", "2025-02-01", "2025-02-02"]),
                      "fact_channel": ["A"] * 4, "account_id": ["x", "y", "x", "z"], "account_name": ["X", "Y", "X", "Z"],
                      "paid_amount": [100.0, 200.0, 300.0, 400.0], "view_pv": [1000, 1000, 1000, 1000],
                      "commission": [25.0, 50.0, 75.0, 100.0], "refund_amount": [10.0, 0.0, 0.0, 0.0]})
    tal = pd.DataFrame({"talent_id": ["x", "y"], "tier": ["head", "tail"], "followers": [2_000_000, 5_000]})
    m = talent_matrix(t, tal)
    assert m.loc["x", "paid_amount"] == 400.0 and m.loc["x", "gpm"] == pytest.approx(200.0)
    assert m.loc["x", "roi_commission"] == pytest.approx(4.0)
    assert m.loc["x", "net_after_commission"] == pytest.approx(400 - 10 - 100)
    assert m["tier"].to_dict() == {"x": "head", "z": "unknown", "y": "tail"}
    a = talent_activity(t)
    assert a[["active", "new", "returning"]].values.tolist() == [[2, 2, 0], [2, 1, 1]]
    assert a["new_gmv_share"].tolist() == pytest.approx([1.0, 400 / 700])


def test_crowd_assets() -> None:
    t = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-02-01"]), "fact_channel": ["F"] * 3,
                      "new_followers": [10, 30, 5], "view_pv": [1000, 3000, 1000], "buyers": [10, 10, 4],
                      "fan_buyers": [2, 3, 1]})
    c = crowd_assets(t)
    assert c["followers_per_1k_views"].tolist() == [10.0, 5.0]
    assert c["fan_buyer_share"].tolist() == [0.25, 0.25]


# --- part 1: top-KOL rule and calendar override ---------------------------------------------------------

def test_top_kol_rule_grammar() -> None:
    assert TopKolRule.parse("followers>=6000000").threshold == 6_000_000
    assert TopKolRule.parse("followers >= 600万").threshold == 6_000_000
    assert TopKolRule.parse("gmv>=1,000,000").kind == "gmv"
    assert TopKolRule.parse("list:a, b").ids == frozenset({"a", "b"})
    for bad in ("followers>5", "fans>=1", "list:", ""):
        with pytest.raises(FactInputError, match="top_kol_rule"):
            TopKolRule.parse(bad)


def test_apply_top_kol_rule() -> None:
    t = pd.DataFrame({"account_id": ["big", "small", "own"], "account_type": ["affiliate", "affiliate", "official"],
                      "fact_channel": ["A", "A", "F"], "gmv": [10.0, 1.0, 99.0]})
    tal = pd.DataFrame({"talent_id": ["big", "small"], "followers": [7_000_000, 10]})
    assert apply_top_kol_rule(t, "followers>=6000000", tal).tolist() == ["T", "A", "F"]
    assert apply_top_kol_rule(t, "followers>=8000000", tal).tolist() == ["A", "A", "F"]
    assert apply_top_kol_rule(t, "gmv>=5").tolist() == ["T", "A", "F"]
    assert apply_top_kol_rule(t, "list:small").tolist() == ["A", "T", "F"]


def test_campaign_calendar_from_toml_and_csv(tmp_path: Path) -> None:
    toml = tmp_path / "cal.toml"
    toml.write_text('[[campaign]]\ncampaign_id = "2026-618"\nname = "618"\nstart = 2026-05-20\nend = 2026-06-18\n'
                    'preheat_start = 2026-05-13\n', encoding="utf-8")
    cal = read_campaign_calendar(toml)
    assert cal.loc[0, "campaign_id"] == "2026-618"
    assert cal.loc[0, "start"] == pd.Timestamp("2026-05-20") and cal.loc[0, "end"] == pd.Timestamp("2026-06-18")
    csv = tmp_path / "cal.csv"
    csv.write_text("活动ID,活动名称,开始日期,结束日期\n2026-x,大促,2026-07-01,2026-07-03\n", encoding="utf-8")
    cal2 = read_campaign_calendar(csv)
    assert cal2.loc[0, "name"] == "大促" and cal2.loc[0, "end"] == pd.Timestamp("2026-07-03")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[campaign]]\ncampaign_id = "x"\nstart = 2026-05-20\nend = 2026-05-01\n', encoding="utf-8")
    with pytest.raises(FactInputError, match="ends before it starts"):
        read_campaign_calendar(bad)
    assert np.dtype(cal["start"].dtype) == np.dtype("datetime64[ns]")


def test_top_kol_rule_colon_form_for_notebook_parameters() -> None:
    # papermill cannot parse a parameters line whose string holds ">=", so notebooks use ":"
    assert TopKolRule.parse("followers:500万").threshold == 5_000_000
    assert TopKolRule.parse("gmv:2000000") == TopKolRule.parse("gmv>=2000000")


# --- review fixes: partial last month, wording, ratio of sums, no "nan" in text -----------------------

def _daily_to_nov3() -> pd.DataFrame:
    # every day 1 Sep – 3 Nov 2026: F sells 10 a day, A (talent "x") 5 a day, 1000 views each
    days = pd.date_range("2026-09-01", "2026-11-03")
    rows = [{"date": d, "fact_channel": ch, "account_id": acc, "gmv": v, "paid_amount": v, "view_pv": 1000,
             "exposure_uv": 1000, "view_uv": 100, "product_exposure_uv": 50, "product_click_uv": 10, "buyers": 1}
            for d in days for ch, acc, v in (("F", "f", 10.0), ("A", "x", 5.0))]
    return pd.DataFrame(rows)


SPAN = (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-03"))


def test_partial_last_month_is_not_compared() -> None:
    from fact_toolkit.diagnosis import month_on_month
    from fact_toolkit.diagnosis import narrative as nv

    t = _daily_to_nov3()
    # without a range, 3 days of November against 31 of October: F 30 / 310 − 1 = −90% (the old finding)
    naive = contribution(t).set_index(["period", "fact_channel"])
    assert naive.loc[(pd.Timestamp("2026-11-01"), "F"), "growth"] == pytest.approx(30 / 310 - 1)
    c = contribution(t, span=SPAN)
    nov = c[c["period"] == pd.Timestamp("2026-11-01")]
    assert nov["growth"].isna().all() and set(nov["days"]) == {3} and not nov["complete"].any()
    # October is compared with September: 310 / 300 − 1 = +3.3% for both channels
    octo = c[c["period"] == pd.Timestamp("2026-10-01")].set_index("fact_channel")
    assert octo.loc["F", "growth"] == pytest.approx(310 / 300 - 1)
    text = nv.describe_contribution(c, None, "en")
    assert "2026-11 is partial (3 of 30 days)" in text and "In 2026-10" in text and "-90%" not in text
    m = month_on_month(t, metrics=("paid_amount",), span=SPAN)
    assert m.attrs["months"] == ("2026-09", "2026-10") and m.attrs["partial"] == ("2026-11", 3, 30)
    assert m.loc["F", "paid_amount_change"] == pytest.approx(310 / 300 - 1)
    assert funnel_diagnosis(t, span=SPAN).attrs["month"] == "2026-10"
    a = talent_activity(t, span=SPAN)
    assert a["complete"].tolist() == [True, True, False] and a["days"].tolist() == [30, 31, 3]
    m = pd.DataFrame({"paid_amount": [10.0], "hidden_gem": [False], "account_name": ["X"]})
    text = nv.describe_talents(m, concentration(m["paid_amount"]), a, "en")
    assert "2026-11 is partial" in text and "In 2026-10, 1 talents were active (1 the month before)" in text


def test_own_history_uses_complete_months_only() -> None:
    # completion rate 0.2, 0.3, 0.4, 0.5 in Jan–Apr (whole months), 0.0 on 1–2 May (partial, range ends 2 May):
    # current = April 0.5 against Jan–Mar p25/p50/p75 0.25/0.3/0.35 → 75 + (0.5 − 0.35) × 25/0.05 → 100
    dates = pd.date_range("2025-01-01", "2025-05-02")
    rate = {1: 0.2, 2: 0.3, 3: 0.4, 4: 0.5, 5: 0.0}
    content = pd.DataFrame({"date": dates, "view_pv": 100, "completion_rate": [rate[d.month] for d in dates]})
    m = capability_scores(content, content, span=(dates[0], dates[-1])).set_index("metric")
    r = m.loc["completion_rate"]
    assert r["basis"] == "own history" and r["value"] == pytest.approx(0.5)
    assert (r["p25"], r["p50"], r["p75"]) == pytest.approx((0.25, 0.3, 0.35)) and r["score"] == 100.0


def test_growth_wording_when_every_channel_fell() -> None:
    from fact_toolkit.diagnosis import narrative as nv

    # F 300 → 150 (−50%), A 100 → 90 (−10%): A fell least, not "grew fastest"
    f = pd.DataFrame({"date": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-02-01", "2025-02-02"]),
                      "fact_channel": ["F", "A", "F", "A"], "gmv": [300.0, 100.0, 150.0, 90.0]})
    en = nv.describe_contribution(contribution(f), None, "en")
    assert "grew fastest" not in en
    assert "talents (A) fell least (-10%)" in en and "self-broadcast (F) did worst (-50%)" in en
    zh = nv.describe_contribution(contribution(f), None, "zh")
    assert "增长最快" not in zh and "跌幅最小的是达人矩阵(A)（-10%）" in zh


def test_followers_per_1k_views_is_a_ratio_of_sums() -> None:
    from fact_toolkit.diagnosis import narrative as nv

    # 10 / 1,000 and 1,000 / 10,000 views: monthly 10 and 100 (mean 55), overall 1010 / 11000 × 1000 = 91.82
    t = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-02-01"]), "fact_channel": ["F", "F"],
                      "new_followers": [10, 1000], "view_pv": [1000, 10000]})
    c = crowd_assets(t)
    assert c["followers_per_1k_views"].tolist() == [10.0, 100.0]
    assert c.attrs["followers_per_1k_views"] == pytest.approx(1010 / 11000 * 1000)
    text = nv.describe_crowd(c, "en")
    assert "91.82 per 1K views overall" in text and "55.00" not in text


def test_findings_never_print_nan() -> None:
    from fact_toolkit.diagnosis import narrative as nv

    # every talent sold 0: no HHI, no top-10 share — said in words
    m = pd.DataFrame({"paid_amount": [0.0, 0.0], "hidden_gem": [False, False], "account_name": ["a", "b"]})
    text = nv.describe_talents(m, concentration(m["paid_amount"]), pd.DataFrame(), "en")
    assert "nan" not in text.lower() and "not available because" in text
    assert "nan" not in nv.describe_talents(m, concentration(m["paid_amount"]), pd.DataFrame(), "zh").lower()
    # every GPM missing: no crash
    forms = pd.DataFrame({"gpm": [np.nan, np.nan], "exposures": [1.0, 2.0]}, index=["x", "y"])
    text = nv.describe_forms(forms, "en")
    assert text.startswith("2 content forms; GPM is not available because")
    # sessions: not the by-construction "half beat the median" but the spread around it —
    # gpm_vs_own 0, +100%, −50%: one of three (33%) more than 20% above, one more than 20% below
    review = pd.DataFrame({"gpm_vs_own": [0.0, 1.0, -0.5], "gpm": [100.0, 200.0, 50.0]})
    text = nv.describe_sessions(review, pd.DataFrame(), "en")
    assert text == ("3 live sessions. 33% of them beat their account's median GPM by more than 20% and 33% fall "
                    "more than 20% below it.")


def test_capability_metrics_take_peer_benchmarks() -> None:
    from fact_toolkit.diagnosis import BENCHMARK_METRICS

    assert {"completion_rate", "followers_per_1k_views", "fan_buyer_share", "discount_depth"} <= BENCHMARK_METRICS
    # completion rate 0.3 over 1,000 views against peers 0.2/0.3/0.4 → 50, basis "peer"
    content = pd.DataFrame({"date": pd.to_datetime(["2025-01-10"]), "view_pv": [1000], "completion_rate": [0.3]})
    bench = pd.DataFrame({"metric": ["completion_rate"], "p25": [0.2], "p50": [0.3], "p75": [0.4]})
    m = capability_scores(content, content, bench)
    r = m.set_index("metric").loc["completion_rate"]
    assert r["basis"] == "peer" and r["score"] == pytest.approx(50.0)
    assert m.columns.tolist()[:5] == ["capability", "metric", "value", "score", "basis"]
    assert summarize_capabilities(m).loc["content", "basis"] == "peer"
