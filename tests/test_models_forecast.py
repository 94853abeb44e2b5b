"""Seasonal naive, backtest scores, structural fits and forecasts."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from fact_toolkit.models import (daily_series, decompose, fit_structural, forecast_metric, rolling_origin,
                                 seasonal_naive)
from fact_toolkit.models.commands import register
from fact_toolkit.sample import simulate_account


def test_seasonal_naive_repeats_last_week() -> None:
    h = np.log(np.tile([1.0, 2, 3, 4, 5, 6, 7], 4))
    fc = seasonal_naive(h, 9)
    assert np.exp(fc["forecast"]).round(6).tolist() == [1, 2, 3, 4, 5, 6, 7, 1, 2]
    # a perfectly weekly history has zero seasonal errors: the interval collapses on the forecast
    assert np.allclose(fc["lower"], fc["forecast"]) and np.allclose(fc["upper"], fc["forecast"])


def test_backtest_scores_by_hand() -> None:
    # a weekly pattern that doubles from the last 14 days on: seasonal naive is off by 100 % there
    base = np.tile([10.0, 20, 30, 40, 50, 60, 70], 12)
    y = np.log(np.r_[base, 2 * base[:14]])
    summary, points = rolling_origin(y, {"naive": lambda h, k: seasonal_naive(h, k)}, horizon=14, folds=1)
    row = summary.iloc[0]
    assert row["folds"] == 1 and row["points"] == 14
    assert row["mape"] == pytest.approx(0.5)  # |2x - x| / 2x
    assert row["coverage"] == 0.0
    assert np.isnan(row["mase"])  # exactly weekly training data: the MASE scale is 0, so MASE is undefined


def test_structural_fit_reports_effects_and_convergence() -> None:
    s = daily_series(simulate_account(11, days=400), by=None)
    fit = fit_structural(s, "views")
    assert fit.converged is True and fit.warnings == []
    eff = fit.effects.set_index("regressor")
    # the simulator lifts log exposure by 0.35 in tier-S windows (views follow exposure)
    assert eff.loc["campaign_S", "ci_low"] < 0.35 < eff.loc["campaign_S", "ci_high"] + 0.1
    assert (eff["ci_low"] <= eff["coef"]).all()
    d = decompose(s, "gpm")
    assert np.allclose(d["trend"] + d["seasonal"] + d["resid"], d["observed"])


def test_non_convergence_is_reported_not_hidden() -> None:
    s = daily_series(simulate_account(12, days=200), by=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out of the fit
        fit = fit_structural(s, "gpm", maxiter=2)
    assert fit.converged is False
    assert any("ConvergenceWarning" in w for w in fit.warnings)


def test_forecast_with_backtest_and_intervals() -> None:
    s = daily_series(simulate_account(13, days=300), by=None)
    r = forecast_metric(s, "views", horizon=14, folds=2)
    assert set(r.backtest["model"]) == {"seasonal_naive", "structural"}
    assert r.model == r.backtest.sort_values("mase")["model"].iloc[0]
    assert len(r.table) == 14
    assert r.table["date"].iloc[0] == s["date"].iloc[-1] + pd.Timedelta(days=1)
    assert (r.table["lower"] <= r.table["forecast"]).all() and (r.table["forecast"] <= r.table["upper"]).all()
    assert (r.table["lower"] > 0).all()


def test_forecast_bad_input_messages() -> None:
    short = daily_series(simulate_account(14, days=50), by=None)
    r = forecast_metric(short, "gpm", horizon=28)
    assert r.table.empty and r.messages == ["not enough data (50 days, need 105)"]
    const = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=200), "view_pv": 1000, "paid_amount": 100.0})
    r2 = forecast_metric(daily_series(const, by=None), "gpm")
    assert r2.messages == ["not available: gpm is constant"]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    a = typer.Typer()
    register(a)
    return a


def test_cli_snowball_json_shape(app, tmp_path) -> None:
    df = simulate_account(15, elasticity=0.4).drop(columns=["organic_exposure_pv", "gpm"])
    # a Compass daily export as a shop downloads it
    raw = pd.DataFrame({"日期": df["date"].dt.strftime("%Y-%m-%d"), "直播间曝光次数": df["exposure_pv"],
                        "直播间观看次数": df["view_pv"], "直播间用户支付金额": df["paid_amount"],
                        "投放消耗": df["ad_spend"]})
    path = tmp_path / "compass_daily.csv"
    raw.to_csv(path, index=False)
    res = CliRunner().invoke(app, ["snowball", str(path), "--by", "all", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert list(out) == ["results"]
    row = out["results"][0]
    assert list(row) == ["group", "elasticity", "ci_low", "ci_high", "p_value", "placebo_p_value", "mde", "n_days",
                         "verdict"]
    assert row["mde"] > 0
    assert row["group"] == "all" and row["n_days"] == 730
    assert row["ci_low"] < row["elasticity"] < row["ci_high"]


def test_cli_errors_are_one_line(app, tmp_path) -> None:
    res = CliRunner().invoke(app, ["snowball", str(tmp_path), "--by", "nope"])
    assert res.exit_code == 2
    res = CliRunner().invoke(app, ["forecast", str(tmp_path), "--horizon", "0"])
    assert res.exit_code == 2


def test_cli_forecast_json(app, tmp_path) -> None:
    df = simulate_account(16, days=200)
    raw = pd.DataFrame({"日期": df["date"].dt.strftime("%Y-%m-%d"), "直播间观看次数": df["view_pv"],
                        "直播间用户支付金额": df["paid_amount"]})
    path = tmp_path / "daily.csv"
    raw.to_csv(path, index=False)
    res = CliRunner().invoke(app, ["forecast", str(path), "--horizon", "7", "--metrics", "gpm", "--json"])
    assert res.exit_code == 0, res.output
    r = json.loads(res.output)["results"][0]
    assert r["metric"] == "gpm" and len(r["forecast"]) == 7
    assert {b["model"] for b in r["backtest"]} == {"seasonal_naive", "structural"}
