"""KPIs from canonical rows and the what-changed table, on tables checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from fact_toolkit.reports.changes import changes_table_html, compare_kpis
from fact_toolkit.reports.kpis import channel_row, compute_kpis


def facts() -> pd.DataFrame:
    """Three weeks ending 2026-03-21.

    last 7 days (03-15..21): F paid 300 on 1000 views; A talent t1 paid 100 on 500 views
    the 7 before (03-08..14): F paid 400 on 1000 views
    earlier (03-01): F paid 100 on 1000 views, ad spend 50
    """
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-03-01", "2026-03-10", "2026-03-20", "2026-03-21"]),
        "fact_channel": ["F", "F", "F", "A"],
        "currency": ["CNY"] * 4,
        "account_id": ["me", "me", "me", "t1"],
        "account_name": ["旗舰店", "旗舰店", "旗舰店", "达人一"],
        "gmv": [110.0, 440.0, 330.0, 100.0],
        "paid_amount": [100.0, 400.0, 300.0, 100.0],
        "refund_amount": [10.0, 0.0, 30.0, 20.0],
        "ad_spend": [50.0, 0.0, 0.0, 0.0],
        "view_pv": [1000, 1000, 1000, 500],
    })


def test_periods_and_channel_values():
    k = compute_kpis(facts())
    assert (k["data_from"], k["data_to"]) == ("2026-03-01", "2026-03-21")
    f_all = channel_row(k, "F", "CNY")
    assert f_all["gmv"] == pytest.approx(880.0)
    assert f_all["gpm"] == pytest.approx(800 / 3000 * 1000)      # 266.67, a ratio of sums
    assert f_all["roi"] == pytest.approx(800 / 50)                # 16
    assert f_all["refund_rate"] == pytest.approx(40 / 880)
    assert channel_row(k, "F", "CNY", "last_7d")["gpm"] == pytest.approx(300.0)
    assert channel_row(k, "F", "CNY", "prev_7d")["gpm"] == pytest.approx(400.0)
    assert channel_row(k, "A", "CNY", "prev_7d") is None
    total = channel_row(k, "all", "CNY")
    assert total["gmv"] == pytest.approx(980.0)
    assert total["gpm"] == pytest.approx(900 / 3500 * 1000)


def test_talent_share_is_of_the_whole_brand():
    k = compute_kpis(facts())
    (t_all,) = [t for t in k["talents"] if t["period"] == "all"]
    assert (t_all["account_id"], t_all["fact_channel"]) == ("t1", "A")
    assert t_all["talent_gmv_share"] == pytest.approx(100 / 980)
    (t_week,) = [t for t in k["talents"] if t["period"] == "last_7d"]
    assert t_week["talent_gmv_share"] == pytest.approx(100 / 430)  # F 330 + A 100 in the last week


def test_compare_kpis_hand_computed():
    before = compute_kpis(facts())
    changed = facts()
    changed.loc[3, ["gmv", "paid_amount"]] = [150.0, 150.0]  # the talent sells 50 more
    rows = compare_kpis(compute_kpis(changed), before)
    by = {(r["fact_channel"], r["metric"]): r for r in rows}
    assert by[("A", "gmv")]["change"] == pytest.approx(50.0)
    assert by[("A", "gmv")]["change_pct"] == pytest.approx(0.5)
    assert by[("A", "gpm")]["change"] == pytest.approx(100.0)   # 150/500*1000 - 100/500*1000
    assert by[("F", "gmv")]["change"] == 0.0
    assert by[("all", "gmv")]["change"] == pytest.approx(50.0)
    assert [r["fact_channel"] for r in rows][::3] == ["F", "A", "all"]
    page = changes_table_html(rows, "2026-03-14")
    assert '100 → <b>150</b> <span style="color:#2b8a3e">(+50, +50.0%)</span>' in page  # the talent's GMV
    assert "<th>成交金额</th>" in page and "<th>GMV</th>" in changes_table_html(rows, "2026-03-14", lang="en")


def test_compare_without_previous():
    rows = compare_kpis(compute_kpis(facts()), None)
    assert all(r["previous"] is None and r["change"] is None for r in rows)
    assert "→" not in changes_table_html(rows, None)
