"""The snowball estimator: parameter recovery on the simulator, placebo, bad input, batch."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fact_toolkit.models import fit_snowball, min_days, snowball_table
from fact_toolkit.sample import simulate_account

SEEDS = range(20)


def _observable(seed: int, elasticity: float) -> pd.DataFrame:
    """What real data shows: no organic_exposure_pv (paid exposure = 千川 展示次数 is kept)."""
    return simulate_account(seed, elasticity=elasticity).drop(columns=["organic_exposure_pv", "gpm"])


@pytest.fixture(scope="module")
def fits() -> dict[float, list]:
    return {el: [fit_snowball(_observable(s, el), var=False) for s in SEEDS] for el in (0.4, 0.0)}


def test_recovers_elasticity_04(fits) -> None:
    covered = sum(r.ci_low <= 0.4 <= r.ci_high for r in fits[0.4])
    assert covered >= 17, [round(r.elasticity, 3) for r in fits[0.4]]
    assert all(r.details["traffic"] == "organic_view_pv" for r in fits[0.4])


def test_no_false_snowball_at_zero(fits) -> None:
    significant = sum(r.p_value < 0.05 for r in fits[0.0])
    assert significant <= 3
    # not significant: "no detectable snowball" when the interval is narrow, else it says the data cannot tell
    assert all(r.verdict.startswith(("no detectable snowball", "too little variation in GPM to tell"))
               or r.p_value < 0.05 for r in fits[0.0])
    assert all(r.mde > 0 for r in fits[0.0])


def test_placebo_rarely_fires_on_the_true_law(fits) -> None:
    # the placebo is a 5 % test: on 40 fits from the true law it must not fire wholesale
    fired = sum(r.placebo_p_value < 0.05 for el in fits for r in fits[el])
    assert fired <= 8


def test_total_views_without_paid_exposure_is_diluted_not_inflated() -> None:
    """Without paid exposure the estimate is for total views: ε × organic share, below ε."""
    ests = []
    for s in range(5):
        df = _observable(s, 0.4).drop(columns=["paid_exposure_pv"])
        r = fit_snowball(df, var=False)
        assert r.details["traffic"] == "view_pv"
        ests.append(r.elasticity)
    share = np.mean([(1 - d.paid_exposure_pv / d.exposure_pv).mean() for d in
                     (simulate_account(s, elasticity=0.4) for s in range(5))])
    assert np.mean(ests) < 0.4
    assert abs(np.mean(ests) - 0.4 * share) < 0.06


def test_same_day_gpm_never_enters() -> None:
    r = fit_snowball(_observable(1, 0.4), var=False)
    names = list(r.details["result"].params.index)
    assert "log_gpm7.L0" not in names and "log_gpm7" not in names
    assert min(int(n.split(".L")[1]) for n in names if n.startswith("log_gpm7.L")) == 1


def test_verdict_words_and_var_view() -> None:
    r = fit_snowball(_observable(2, 0.4))
    assert r.verdict.startswith("each +10% GPM brought +")
    assert "organic views" in r.verdict
    assert 0 <= r.details["var"]["granger_p_value"] <= 1
    assert len(r.details["var"]["irf_traffic_to_gpm"]) == 15
    zh = fit_snowball(_observable(2, 0.4), var=False, lang="zh")
    assert zh.verdict.startswith("GPM 每提高 10%")


def test_too_few_days_is_a_row_not_an_error() -> None:
    r = fit_snowball(simulate_account(1, days=60), var=False)
    assert math.isnan(r.elasticity) and not r.converged
    assert r.verdict == f"not enough data (60 days, need {min_days(7)})"


def test_gaps_and_zero_view_days_use_the_longest_stretch() -> None:
    df = _observable(3, 0.4)
    df = df[~df["date"].between("2025-03-01", "2025-03-05")]  # a gap
    df.loc[df.index[400], "view_pv"] = 0  # a zero-view day: GPM missing, not 0
    r = fit_snowball(df, var=False)
    assert np.isfinite(r.elasticity)
    assert r.n_days == 730
    assert any("longest unbroken stretch" in n for n in r.details["notes"])
    assert r.details["days_used"] < 730 - 5


def test_constant_series_is_explained() -> None:
    d = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=300), "view_pv": 1000,
                      "paid_amount": 500.0, "campaign_id": None})
    r = fit_snowball(d, var=False)
    assert r.verdict == "not available: traffic is constant"
    d2 = d.assign(view_pv=np.random.default_rng(0).integers(900, 1100, 300))
    d2["paid_amount"] = d2["view_pv"] * 0.5  # GPM exactly 500 every day
    assert fit_snowball(d2, var=False).verdict == "not available: GPM is constant"


def test_table_goes_on_after_bad_groups() -> None:
    good = _observable(4, 0.4).assign(account_id="good")
    short = simulate_account(5, days=40).assign(account_id="short")
    shelf = good.assign(account_id="shelf", view_pv=np.nan)
    table = snowball_table(pd.concat([good, short, shelf], ignore_index=True), by="account_id", var=False)
    assert table["group"].tolist() == ["good", "shelf", "short"]
    assert np.isfinite(table.loc[0, "elasticity"])
    assert table.loc[2, "verdict"] == f"not enough data (40 days, need {min_days(7)})"
    assert table.loc[1, "verdict"].startswith("not available: no view_pv")
    assert {"group", "elasticity", "ci_low", "ci_high", "p_value", "placebo_p_value", "n_days",
            "verdict"} <= set(table.columns)


def test_parallel_batch_matches_serial() -> None:
    frames = [_observable(s, 0.4).assign(account_id=f"acc{s}") for s in (6, 7)]
    panel = pd.concat(frames, ignore_index=True)
    serial = snowball_table(panel, by="account_id", var=False)
    parallel = snowball_table(panel, by="account_id", var=False, n_jobs=2)
    np.testing.assert_allclose(serial["elasticity"], parallel["elasticity"])
