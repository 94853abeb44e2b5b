"""Daily series, calendar regressors and regime changes on hand-built tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fact_toolkit.errors import FactInputError
from fact_toolkit.models import daily_series, holiday_frame, regime_changes, regressors, rolling_gpm


def _panel() -> pd.DataFrame:
    # two channels; F has two rows on 1 Jan (ratio of sums), nothing on 2 Jan, zero views on 3 Jan
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-03", "2026-01-01", "2026-01-02"]),
        "fact_channel": ["F", "F", "F", "A", "A"],
        "view_pv": [1000, 3000, 0, 500, 500],
        "paid_amount": [100.0, 900.0, 50.0, 10.0, 20.0],
        "campaign_id": [None, "2026-nhj", None, None, None],
    })


def test_gpm_is_ratio_of_sums_and_gaps_stay_missing() -> None:
    s = daily_series(_panel(), by="fact_channel")
    f = s[s["group"] == "F"].reset_index(drop=True)
    assert f["date"].dt.strftime("%m-%d").tolist() == ["01-01", "01-02", "01-03"]
    assert f["gpm"].iloc[0] == pytest.approx(250.0)  # (100 + 900) / 4000 * 1000, not mean(100, 300)
    assert math.isnan(f["gpm"].iloc[1])  # a gap
    assert math.isnan(f["gpm"].iloc[2])  # zero views: missing, not 0
    assert f["observed"].tolist() == [True, False, True]
    assert f["campaign_id"].iloc[0] == "2026-nhj"
    a = s[s["group"] == "A"]
    assert a["gpm7"].round(2).tolist() == [20.0, 30.0]  # (10 + 20) / 1000 * 1000 on day 2


def test_rolling_gpm_skips_missing_days() -> None:
    out = rolling_gpm([100.0, np.nan, 300.0], [1000, np.nan, 1000], window=7)
    assert out.round(1).tolist() == [100.0, 100.0, 200.0]


def test_all_group_and_unknown_column() -> None:
    s = daily_series(_panel(), by="all")
    assert set(s["group"]) == {"all"}
    assert s.loc[s["date"] == "2026-01-01", "gpm"].iloc[0] == pytest.approx(1010.0 / 4500 * 1000)
    with pytest.raises(FactInputError, match="--by"):
        daily_series(_panel(), by="nope")


def test_mixed_currency_groups_are_split() -> None:
    t = _panel().assign(currency=["CNY", "CNY", "CNY", "CNY", "USD"])
    groups = set(daily_series(t, by="fact_channel")["group"])
    assert groups == {"F", "A (CNY)", "A (USD)"}


def test_ads_impressions_become_paid_exposure() -> None:
    t = _panel().assign(account_id=["x", "x", "x", "y", "y"], exposure_pv=[5000, 9000, 10, 800, 900])
    ads = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-03"]), "account_id": ["x", "x"],
                        "impressions": [2000, 7]})
    s = daily_series(t, by="fact_channel", ads=ads)
    f = s[s["group"] == "F"]
    assert f["paid_exposure_pv"].tolist()[0] == 2000
    assert f["paid_exposure_pv"].tolist()[2] == 7
    assert s[s["group"] == "A"]["paid_exposure_pv"].isna().all()


def test_holidays_and_swaps_both_calendars() -> None:
    h = holiday_frame(pd.to_datetime(["2025-10-01", "2025-09-28", "2025-10-09", "2027-02-06"]))
    assert h["holiday"].tolist() == [1.0, 0.0, 0.0, 1.0]  # 2027 comes from holidays-CN
    assert h["workday_swap"].tolist() == [0.0, 1.0, 0.0, 0.0]  # Sunday 28 Sep 2025 was a working day
    assert h["calendar_source"].tolist()[-1] == "holidays-CN"


def test_campaign_regressors_by_tier_and_preheat() -> None:
    r = regressors(pd.date_range("2025-05-12", periods=3), holidays=False)
    # 618 preheat starts 2025-05-13, the window 2025-05-20
    assert r["preheat"].tolist() == [0.0, 1.0, 1.0]
    assert r["campaign_S"].sum() == 0
    r2 = regressors(pd.to_datetime(["2025-07-01"]), pd.Series(["my-sale"]), holidays=False)
    assert r2["campaign_other"].tolist() == [1.0]


def test_regime_change_found_on_a_step() -> None:
    d = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=120),
                      "paid_amount": [100.0] * 60 + [200.0] * 60, "view_pv": [1000] * 120})
    reg = regime_changes(d)
    assert reg["date"].tolist() == [pd.Timestamp("2026-03-02")]
    assert reg[["gpm_before", "gpm_after"]].iloc[0].tolist() == [100.0, 200.0]
    flat = d.assign(paid_amount=100.0)
    assert regime_changes(flat).empty


def test_gpm_pairs_money_with_views_shelf_rows_left_out() -> None:
    # F: 1000 views, paid 100; S (shelf): no views, paid 900 -> GPM 100, not (100 + 900) / 1000 * 1000
    t = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-01"]), "fact_channel": ["F", "S"],
                      "view_pv": [1000, None], "paid_amount": [100.0, 900.0], "gmv": [110.0, 950.0]})
    s = daily_series(t, by=None)
    assert s["gpm"].tolist() == [100.0] and s["gpm7"].tolist() == [100.0]
    assert (s["paid_amount"].iloc[0], s["gmv"].iloc[0]) == (1000.0, 1060.0)  # GMV series keeps the full total
    # regime changes read the same paired amount: a shelf with no views does not move the level
    days = pd.date_range("2026-01-01", periods=120)
    f = pd.DataFrame({"date": days, "view_pv": 1000.0, "paid_amount": [100.0] * 60 + [200.0] * 60})
    shelf = pd.DataFrame({"date": days, "view_pv": np.nan, "paid_amount": 5000.0})
    reg = regime_changes(daily_series(pd.concat([f, shelf], ignore_index=True), by=None))
    assert reg[["gpm_before", "gpm_after"]].to_dict("records") == [{"gpm_before": 100.0, "gpm_after": 200.0}]


def test_money_column_is_chosen_within_each_currency() -> None:
    # CNY rows report paid amount; the TikTok (USD) row has GMV only -> its GPM uses GMV, not NaN
    t = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"] * 2), "fact_channel": ["F", "other"],
                      "currency": ["CNY", "USD"], "view_pv": [1000, 200],
                      "paid_amount": [100.0, None], "gmv": [110.0, 30.0]})
    s = daily_series(t, by="fact_channel").set_index("group")
    assert s.loc["F", "gpm"] == 100.0 and s.loc["other", "gpm"] == 150.0  # 30 / 200 * 1000
    assert (s.loc["F", "currency"], s.loc["other", "currency"]) == ("CNY", "USD")
