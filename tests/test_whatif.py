"""The what-if engine on small hand-built panels whose numbers a person can check."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from fact_toolkit import whatif as w
from fact_toolkit.errors import FactInputError

NO_DILUTION = w.Assumptions(dilution=0.0)


def panel(**extra_rows) -> pd.DataFrame:
    """One week of F (two days) and S, in CNY.

    F: exposure 10000 → views 2000 (20 %) → product exposures 1000 (50 %) → clicks 100
    (10 %) → buyers 10 (10 %); paid 1000 (AOV 100, GPM 500); GMV 1100; refunds 110;
    ad spend 100. S: product exposures 500 → clicks 50 → buyers 5, paid 600 (AOV 120).
    """
    rows = [
        dict(date="2026-03-02", fact_channel="F", account_id="own1", exposure_pv=4000, view_pv=800,
             product_exposure_uv=400, product_click_uv=40, buyers=4, paid_amount=400.0, gmv=440.0,
             refund_amount=44.0, ad_spend=40.0, commission=0.0, content_count=1),
        dict(date="2026-03-05", fact_channel="F", account_id="own1", exposure_pv=6000, view_pv=1200,
             product_exposure_uv=600, product_click_uv=60, buyers=6, paid_amount=600.0, gmv=660.0,
             refund_amount=66.0, ad_spend=60.0, commission=0.0, content_count=2),
        dict(date="2026-03-08", fact_channel="S", account_id=None, exposure_pv=None, view_pv=None,
             product_exposure_uv=500, product_click_uv=50, buyers=5, paid_amount=600.0, gmv=600.0,
             refund_amount=0.0, ad_spend=None, commission=None, content_count=4),
    ]
    for r in extra_rows.get("rows", []):
        rows.append(r)
    d = pd.DataFrame(rows)
    d["date"] = pd.to_datetime(d["date"])
    d["currency"] = "CNY"
    for c in ("exposure_pv", "view_pv", "product_exposure_uv", "product_click_uv", "buyers", "content_count"):
        d[c] = d[c].astype("Int64")
    d["account_id"] = d["account_id"].astype("string")
    d["fact_channel"] = d["fact_channel"].astype("string")
    return d


@pytest.fixture
def base() -> pd.DataFrame:
    return w.baseline(panel(), weeks=1)


def week(sc: w.Scenario, ch: str, n: int, case: str = "scenario") -> pd.Series:
    p = sc.path
    return p.loc[(p.channel == ch) & (p.week == n) & (p.case == case)].iloc[0]


# --------------------------------------------------------------------------- baseline


def test_baseline_is_ratios_of_sums(base):
    f = base.loc["F"]
    assert f["available"]
    assert (f["exposure"], f["views"], f["buyers"], f["paid_amount"]) == (10000, 2000, 10, 1000)
    assert (f["view_rate"], f["product_rate"], f["ctr"], f["cvr"]) == (0.2, 0.5, 0.1, 0.1)
    assert (f["aov"], f["gpm"], f["ad_spend"], f["roi"], f["spend_coverage"]) == (100, 500, 100, 10, 1)
    assert f["gmv_ratio"] == pytest.approx(1.1) and f["refund_rate"] == pytest.approx(0.1)
    assert f["content_count"] == 3 and f["accounts"] == 1
    # no ads file: a stated share of traffic is assumed paid
    assert f["paid_traffic"] == pytest.approx(3000) and "assumed 30%" in f["paid_source"]


def test_shelf_starts_at_product_exposure_and_feeds_back_on_product_gpm(base):
    s = base.loc["S"]
    assert s["available"] and np.isnan(s["exposure"]) and np.isnan(s["views"]) and np.isnan(s["view_rate"])
    assert s["traffic"] == 500 and s["ctr"] == 0.1 and s["aov"] == 120
    assert s["feedback_metric"] == "product_gpm" and s["gpm"] == 1200


def test_missing_channels_are_unavailable_not_zero(base):
    for ch in ("A", "T", "other"):
        assert not base.loc[ch, "available"]
        assert base.loc[ch, "reason"] == "no rows for this channel in the data"
        assert np.isnan(base.loc[ch, "paid_amount"])
    sc = w.run_scenario(base, w.Levers(cvr=1.2), horizon_weeks=2)
    assert set(sc.path.channel) == {"F", "S"}
    row = sc.summary.loc[("A", "gmv")]
    assert np.isnan(row["scenario"]) and row["note"].startswith("unavailable: no rows")


def test_old_rows_and_other_currencies_are_named_in_the_reason():
    d = panel(rows=[dict(date="2026-01-05", fact_channel="T", account_id="kol", exposure_pv=10, view_pv=5,
                         product_exposure_uv=2, product_click_uv=1, buyers=1, paid_amount=9.0, gmv=9.0),
                    dict(date="2026-03-08", fact_channel="other", account_id="tt", exposure_pv=10, view_pv=5,
                         product_exposure_uv=2, product_click_uv=1, buyers=1, paid_amount=1.0, gmv=1.0)])
    d.loc[d.fact_channel.eq("other"), "currency"] = "USD"
    b = w.baseline(d, weeks=1)
    assert b.loc["T", "reason"].startswith("no rows in the last 1 weeks (2026-03-02 – 2026-03-08)")
    assert "another currency than CNY" in b.loc["other", "reason"]
    assert w.baseline(d, weeks=1, currency="USD").loc["other", "available"]


def test_roi_pairs_spend_with_the_amount_of_rows_that_report_it():
    d = panel(rows=[dict(date="2026-03-06", fact_channel="F", account_id="own1", exposure_pv=1000, view_pv=200,
                         product_exposure_uv=100, product_click_uv=10, buyers=1, paid_amount=500.0, gmv=550.0,
                         refund_amount=0.0, ad_spend=None, commission=0.0, content_count=1)])
    b = w.baseline(d, weeks=1)
    f = b.loc["F"]
    assert f["spend_coverage"] == pytest.approx(1000 / 1500) and f["roi"] == pytest.approx(10)  # 1000 ÷ 100
    sc = w.run_scenario(b, w.Levers(cvr=1.2), horizon_weeks=1, elasticity=0.0, assumptions=NO_DILUTION)
    assert week(sc, "F", 1)["roi"] == pytest.approx(12)
    assert sc.summary.loc[("total", "roi"), "scenario"] == pytest.approx(12)


def test_paid_traffic_comes_from_the_ads_file():
    ads = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-05"]), "account_id": ["own1", "own1"],
                        "ad_spend": [40.0, 60.0], "impressions": [1500, 2500], "currency": "CNY"})
    ds = SimpleNamespace(daily=panel(), tables={"ads": ads})
    f = w.baseline(ds, weeks=1).loc["F"]
    assert (f["paid_traffic"], f["organic_traffic"]) == (4000, 6000)
    assert f["paid_source"] == "ads file impressions"


# --------------------------------------------------------------------------- engine, by hand


def test_no_feedback_gmv_is_exposure_times_rates_times_aov(base):
    lv = w.Levers(view_rate=1.5, ctr=1.2, cvr=1.1)
    sc = w.run_scenario(base, lv, horizon_weeks=4, elasticity=0.0, assumptions=NO_DILUTION)
    # 10000 × (0.2·1.5) × 0.5 × (0.1·1.2) × (0.1·1.1) = 19.8 buyers; × AOV 100 = 1980 paid; × 1.1 = 2178 GMV
    for n in range(1, 5):
        r = week(sc, "F", n)
        assert r["buyers"] == pytest.approx(19.8, rel=1e-12)
        assert r["paid_amount"] == pytest.approx(1980, rel=1e-12)
        assert r["gmv"] == pytest.approx(2178, rel=1e-12)
        assert r["net_gmv"] == pytest.approx(2178 * 0.9, rel=1e-12)
        assert r["gpm"] == pytest.approx(1980 / 3000 * 1000, rel=1e-12)
    assert sc.summary.loc[("F", "gmv"), "scenario"] == pytest.approx(4 * 2178, rel=1e-12)
    assert sc.summary.loc[("F", "gmv"), "baseline"] == pytest.approx(4 * 1100, rel=1e-12)


def test_one_step_of_feedback_in_closed_form(base):
    # CVR × 1.21 lifts GPM by 21 % in week 1; week 2 organic traffic × 1.21^0.5 = 1.1
    sc = w.run_scenario(base, w.Levers(cvr=1.21), horizon_weeks=3, elasticity=0.5, assumptions=NO_DILUTION)
    w1, w2, w3 = (week(sc, "F", n) for n in (1, 2, 3))
    assert w1["gpm"] == pytest.approx(605, rel=1e-12) and w1["exposure"] == pytest.approx(10000)
    # organic 7000 × 1.1 + paid 3000 = 10700 exposure; paid = 10700 × 0.2 × 0.5 × 0.1 × 0.121 × 100
    assert w2["exposure"] == pytest.approx(7000 * 1.1 + 3000, rel=1e-12)
    assert w2["paid_amount"] == pytest.approx(10700 * 0.2 * 0.5 * 0.1 * 0.121 * 100, rel=1e-12)
    assert w3["paid_amount"] == pytest.approx(w2["paid_amount"], rel=1e-12)  # no dilution: a new level
    # with dilution 0.5 the extra views convert worse: G2 = 605 × (10700/10000)^-0.5
    sc = w.run_scenario(base, w.Levers(cvr=1.21), horizon_weeks=2, elasticity=0.5,
                        assumptions=w.Assumptions(dilution=0.5))
    assert week(sc, "F", 2)["gpm"] == pytest.approx(605 * 1.07 ** -0.5, rel=1e-12)


def test_elasticity_zero_leaves_later_weeks_unchanged(base):
    sc = w.run_scenario(base, w.Levers(cvr=1.3, view_rate=1.2, content=1.5), horizon_weeks=5, elasticity=0.0)
    s = sc.path[sc.path.case == "scenario"].set_index(["channel", "week"])
    for ch in ("F", "S"):
        first = s.loc[(ch, 1)]
        for n in range(2, 6):
            pd.testing.assert_series_equal(s.loc[(ch, n)], first, check_names=False)


def test_levers_at_baseline_reproduce_the_baseline_exactly(base):
    sc = w.run_scenario(base, w.Levers(), horizon_weeks=6, elasticity=0.8, assumptions=w.Assumptions(dilution=0.4))
    p = sc.path
    b = p[p.case == "baseline"].drop(columns="case").reset_index(drop=True)
    s = p[p.case == "scenario"].drop(columns="case").reset_index(drop=True)
    pd.testing.assert_frame_equal(b, s, rtol=1e-14)
    assert (sc.summary["change_pct"].dropna() == 0).all()
    assert week(sc, "F", 6)["gmv"] == pytest.approx(1100)


def test_price_moves_aov_and_conversion(base):
    sc = w.run_scenario(base, w.Levers(price=0.9), horizon_weeks=1, elasticity=0.0,
                        assumptions=w.Assumptions(price_response=2.0, dilution=0.0))
    # buyers 10 × 0.9^-2; paid = buyers × 100 × 0.9 = 1000 / 0.9
    assert week(sc, "F", 1)["buyers"] == pytest.approx(10 / 0.81)
    assert week(sc, "F", 1)["paid_amount"] == pytest.approx(1000 / 0.9)


def test_ad_spend_has_diminishing_returns(base):
    sc = w.run_scenario(base, w.Levers(ad_spend=2.25), horizon_weeks=1, elasticity=0.0,
                        assumptions=w.Assumptions(ad_returns=0.5, dilution=0.0))
    r = week(sc, "F", 1)
    assert r["exposure"] == pytest.approx(7000 + 3000 * 1.5)  # paid traffic × 2.25^0.5
    assert r["ad_spend"] == 225 and r["roi"] == pytest.approx(r["paid_amount"] / 225)


def test_content_and_talents_scale_organic_traffic(base):
    asm = w.Assumptions(content_returns=0.5, talent_returns=1.0, dilution=0.0)
    sc = w.run_scenario(base, {"F": w.Levers(content=2.25, talents=1.5)}, horizon_weeks=1, elasticity=0.0,
                        assumptions=asm)
    assert week(sc, "F", 1)["exposure"] == pytest.approx(7000 * 1.5 * 1.5 + 3000)
    assert week(sc, "S", 1)["traffic"] == pytest.approx(500)  # levers given for F only


def test_total_gpm_uses_only_channels_with_views(base):
    sc = w.run_scenario(base, None, horizon_weeks=2)
    tot = sc.summary.loc[("total", "gpm")]
    assert tot["baseline"] == pytest.approx(500) and tot["note"] == "channels with views only"
    assert sc.total("gmv", "baseline") == pytest.approx(2 * (1100 + 600))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("levers, text", [
    (w.Levers(cvr=3.0), "lever cvr = 3 is outside the sensible range 0.5–2"),
    (w.Levers(price=0.2), "lever price = 0.2 is outside"),
    (w.Levers(campaign_share=1.5), "lever campaign_share = 1.5 is outside"),
    (w.Levers(ad_spend=float("nan")), "lever ad_spend = nan is not a number"),
])
def test_out_of_range_levers_are_rejected(base, levers, text):
    with pytest.raises(FactInputError, match=text.replace("(", r"\(")):
        w.run_scenario(base, levers)


def test_a_rate_above_one_is_rejected():
    d = panel()
    d.loc[d.fact_channel.eq("F"), "buyers"] = pd.array([24, 36], dtype="Int64")  # CVR 0.6
    b = w.baseline(d, weeks=1)
    with pytest.raises(FactInputError, match=r"levers\[F\].*cvr would be 120.0%.*at most 1.67"):
        w.run_scenario(b, w.Levers(cvr=2.0))


def test_bad_horizon_elasticity_and_channel_are_rejected(base):
    with pytest.raises(FactInputError, match="horizon_weeks: 0 is outside 1–104"):
        w.run_scenario(base, horizon_weeks=0)
    with pytest.raises(FactInputError, match="elasticity -0.5 for F is outside 0–2"):
        w.run_scenario(base, elasticity=-0.5)
    with pytest.raises(FactInputError, match="unknown channel 'X'"):
        w.run_scenario(base, {"X": w.Levers()})
    with pytest.raises(FactInputError, match="weeks"):
        w.baseline(panel(), weeks=0)


def test_check_params(tmp_path):
    ok = w.check_params(data_path=tmp_path, channel="all", horizon_weeks=12, elasticity_source="user",
                        elasticity=0.3, lang="en")
    assert ok["data_path"] == tmp_path
    with pytest.raises(FactInputError, match="channel: 'Q' is not a channel"):
        w.check_params(data_path=tmp_path, channel="Q", horizon_weeks=12, elasticity_source="user",
                       elasticity=0.3, lang="en")
    with pytest.raises(FactInputError, match="elasticity_source: 'guess'"):
        w.check_params(data_path=tmp_path, channel="F", horizon_weeks=12, elasticity_source="guess",
                       elasticity=0.3, lang="en")
    with pytest.raises(FactInputError, match="no such file or folder"):
        w.check_params(data_path=tmp_path / "nope", channel="F", horizon_weeks=12, elasticity_source="user",
                       elasticity=0.3, lang="en")


# --------------------------------------------------------------------------- elasticity source


def test_user_elasticity_for_every_channel():
    t = w.resolve_elasticity("user", 0.25)
    assert (t["elasticity"] == 0.25).all() and (t["source"] == "user").all()


def test_model_source_without_the_model_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "fact_toolkit.models.snowball", None)  # import fails
    monkeypatch.setitem(sys.modules, "fact_toolkit.models.snowball_panel", None)
    with pytest.raises(FactInputError, match="snowball model .* is unavailable.*elasticity_source=\"user\""):
        w.resolve_elasticity("model", 0.3, panel())


def test_model_source_uses_the_snowball_table(sample_dir):
    pytest.importorskip("fact_toolkit.models.snowball")
    import fact_toolkit as ft

    ds = ft.load(sample_dir)
    t = w.resolve_elasticity("model", 0.3, ds)
    assert set(t.index) == set(w.CHANNELS)
    assert t["elasticity"].between(0, 2).all()
    assert t["source"].str.startswith(("model", "user (")).all()
    # F is the pooled panel estimate of its three accounts, with its interval
    from fact_toolkit.models.snowball_panel import channel_elasticity

    f = channel_elasticity(ds, "F")
    assert f.method == "panel" and f.found and len(f.accounts) == 3
    assert t.loc["F", "source"] == "model"
    assert t.loc["F", ["elasticity", "ci_low", "ci_high"]].tolist() == pytest.approx([f.elasticity, f.ci_low, f.ci_high])


# --------------------------------------------------------------------------- sample brand


def test_sample_brand_baseline_and_presets(sample_dir):
    import fact_toolkit as ft

    ds = ft.load(sample_dir)
    b = w.baseline(ds, weeks=8)
    assert list(b.index[b["available"]]) == ["F", "A", "T", "S"]
    # the TikTok account (F, USD) is left out of the CNY baseline, not added to it
    assert (b.loc[b["available"], "currency"] == "CNY").all()
    assert not b.loc["other", "available"]
    assert (b.loc[b["available"], "coverage"] > 0.95).all()
    # F's paid traffic comes from the 千川 file
    assert b.loc["F", "paid_source"] == "ads file impressions"
    # the baseline reproduces the paid amount of the window's non-campaign days, per week
    d = ds.daily
    win = d[(d.date > d.date.max() - pd.Timedelta(days=56)) & d.fact_channel.eq("F")]
    camp_days = win.loc[win.campaign_id.notna(), "date"].unique()
    off = win[~win.date.isin(camp_days)]
    n_off = 56 - len(camp_days)
    assert 7 <= n_off < 56  # the sample's last 8 weeks hold 双11
    assert b.loc["F", "baseline_days"] == f"{n_off} non-campaign days of 56"
    assert b.loc["F", "paid_amount"] * n_off / 7 == pytest.approx(off["paid_amount"].sum())
    table = w.compare_presets(b, lang="en")
    assert list(table.index) == ["Baseline", *[w.PRESET_LABELS[p][1] for p in w.PRESETS]]
    assert table.loc["Content power +10% (exposure→view rate)", "gmv_change_pct"] > 0


# --------------------------------------------------------------------------- review fixes


def test_a_currency_without_paid_amount_uses_its_gmv():
    # the TikTok row (USD) reports GMV only; CNY rows have paid amount
    d = panel(rows=[dict(date="2026-03-08", fact_channel="other", account_id="tt", exposure_pv=100, view_pv=20,
                         product_exposure_uv=10, product_click_uv=4, buyers=2, paid_amount=None, gmv=50.0)])
    d.loc[d.fact_channel.eq("other"), "currency"] = "USD"
    o = w.baseline(d, weeks=1, currency="USD").loc["other"]
    assert o["available"] and o["stages"].endswith("→ gmv")
    assert (o["paid_amount"], o["aov"], o["gpm"]) == (50.0, 25.0, 2500.0)  # 50 / 20 views * 1000
    assert w.baseline(d, weeks=1).loc["F", "currency"] == "CNY"  # CNY still holds the most money


def test_content_power_raises_gmv_and_does_not_lower_gpm(base):
    # a better exposure→view rate converts more of the same exposed people: no dilution, so
    # views and GMV rise 10 % and GPM stays at 500 every week, with dilution and snowball on
    sc = w.run_scenario(base, w.preset_levers("content_power_plus_10"), horizon_weeks=4, elasticity=0.4,
                        assumptions=w.Assumptions(dilution=0.3))
    for n in range(1, 5):
        r, b = week(sc, "F", n), week(sc, "F", n, "baseline")
        assert r["exposure"] == pytest.approx(10000) and r["views"] == pytest.approx(2200)
        assert r["gmv"] == pytest.approx(1.1 * b["gmv"]) and r["gpm"] == pytest.approx(500)
    # new traffic (more content) is still diluted: GPM falls by (traffic ratio)^-0.3
    sc = w.run_scenario(base, {"F": w.Levers(content=2.0)}, horizon_weeks=1, elasticity=0.0,
                        assumptions=w.Assumptions(dilution=0.3, content_returns=1.0))
    assert week(sc, "F", 1)["gpm"] == pytest.approx(500 * (17000 / 10000) ** -0.3)


def campaign_panel() -> pd.DataFrame:
    """Two weeks of F: 7 ordinary days (1000 exposure, 200 paid a day), then 7 campaign days at double."""
    days = pd.date_range("2026-03-02", periods=14)
    k = np.r_[np.ones(7), 2 * np.ones(7)]
    return pd.DataFrame({"date": days, "fact_channel": "F", "currency": "CNY", "account_id": "own1",
                         "exposure_pv": 1000 * k, "view_pv": 100 * k, "product_exposure_uv": 50 * k,
                         "product_click_uv": 10 * k, "buyers": 2 * k, "paid_amount": 200 * k,
                         "campaign_id": [None] * 7 + ["2026-x"] * 7})


def test_campaign_days_are_left_out_of_the_baseline_and_added_back_explicitly():
    f = w.baseline(campaign_panel(), weeks=2).loc["F"]
    # levels from the 7 ordinary days (one week), not the campaign-inflated 2-week average (10500)
    assert (f["exposure"], f["paid_amount"], f["gpm"]) == (7000, 1400, 2000)
    assert f["baseline_days"] == "7 non-campaign days of 14"
    assert (f["window_campaign_share"], f["campaign_share"], f["campaign_lift"]) == (0.5, 0.5, 1.0)
    b = w.baseline(campaign_panel(), weeks=2)
    run = lambda share: week(w.run_scenario(b, w.Levers(campaign_share=share), horizon_weeks=1, elasticity=0.0,
                                            assumptions=NO_DILUTION), "F", 1)
    assert run(0.0)["exposure"] == pytest.approx(7000) and run(0.0)["paid_amount"] == pytest.approx(1400)
    assert run(1.0)["exposure"] == pytest.approx(14000)  # every day a campaign day: × (1 + 1.0)
    assert run(None)["exposure"] == pytest.approx(7000 * 1.5)  # default: last year's share 0.5


def test_model_elasticity_only_where_the_model_found_a_snowball():
    table = pd.DataFrame({"group": ["F", "A", "T"], "elasticity": [0.4, 0.05, -0.3], "ci_low": [0.3, -0.1, -0.5],
                          "ci_high": [0.5, 0.2, -0.1], "p_value": [0.001, 0.6, 0.01],
                          "verdict": ["each +10% GPM brought …", "no detectable snowball …", "traffic fell …"]})
    t = w.resolve_elasticity("model", 0.25, table=table)
    assert (t.loc["F", "elasticity"], t.loc["F", "source"]) == (0.4, "model")
    for ch in ("A", "T"):
        assert t.loc[ch, "elasticity"] == 0.25
        assert t.loc[ch, "source"].startswith("user (the model found no detectable snowball")
    assert t.loc["A", "verdict"] == "no detectable snowball …"
    assert t.loc["S", "source"] == "user (the model has no estimate for this channel)"


def test_the_panel_is_built_once_per_read_and_not_for_the_ads_alone():
    import pandas as pd

    from fact_toolkit.whatif import _as_frames

    class Counting:
        builds = 0
        tables = {"ads": pd.DataFrame({"ad_spend": [1.0]})}

        @property
        def daily(self):
            type(self).builds += 1
            return pd.DataFrame({"gmv": [2.0]})

    data = Counting()
    daily, ads = _as_frames(data)
    assert Counting.builds == 1 and daily["gmv"].tolist() == [2.0] and ads["ad_spend"].tolist() == [1.0]
    assert _as_frames(data, daily=False)[0] is None and Counting.builds == 1
