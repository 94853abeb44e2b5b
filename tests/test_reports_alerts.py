"""Alert rules: the grammar, and firing / not firing on hand-built KPIs."""

from __future__ import annotations

import pytest

from fact_toolkit.errors import FactInputError
from fact_toolkit.reports.alerts import evaluate, parse_rule, parse_rules


def ch(period: str, channel: str, **values) -> dict:
    return {"period": period, "fact_channel": channel, "currency": "CNY", **values}


KPIS = {
    "channels": [
        ch("all", "F", gpm=500.0, refund_rate=0.08, gmv=1000.0),
        ch("all", "A", gpm=200.0, refund_rate=0.12, gmv=400.0),
        ch("all", "S", gpm=None, refund_rate=0.11, gmv=600.0),
        ch("all", "all", gpm=400.0, refund_rate=0.10, gmv=2000.0),
        # F: 420 / 600 - 1 = -30 %; A: 190 / 200 - 1 = -5 %
        ch("last_7d", "F", gpm=420.0, gmv=300.0), ch("prev_7d", "F", gpm=600.0),
        ch("last_7d", "A", gpm=190.0, gmv=100.0), ch("prev_7d", "A", gpm=200.0),
    ],
    "talents": [
        {"period": "all", "fact_channel": "T", "currency": "CNY", "account_id": "t1", "account_name": "大V",
         "gmv": 900.0, "talent_gmv_share": 0.45},
        {"period": "all", "fact_channel": "A", "currency": "CNY", "account_id": "t2", "account_name": "小达人",
         "gmv": 300.0, "talent_gmv_share": 0.15},
    ],
}


def fired(rule: dict, previous: dict | None = None) -> list[dict]:
    return evaluate([parse_rule(rule)], KPIS, previous)


def test_week_on_week_drop_fires_only_for_the_channel_that_dropped():
    (a,) = fired({"metric": "gpm", "channel": "F", "change_wow": "<-20%"})
    assert a["fact_channel"] == "F"
    assert a["change"] == pytest.approx(420 / 600 - 1)
    assert fired({"metric": "gpm", "channel": "A", "change_wow": "<-0.20"}) == []
    # without a channel every channel is checked: only F dropped by more than 20 %
    assert [x["fact_channel"] for x in fired({"metric": "gpm", "change_wow": "<-20%"})] == ["F"]
    # a 5 % drop fires a 4 % rule
    assert [x["fact_channel"] for x in fired({"metric": "gpm", "change_wow": "<=-4%"})] == ["F", "A"]


def test_refund_rate_above_checks_channels_not_the_total():
    # A 12 % and S 11 % are above 10 %; F 8 % is not; the brand total (exactly 10 %) is not a channel
    assert [x["fact_channel"] for x in fired({"metric": "refund_rate", "above": 0.10})] == ["A", "S"]
    assert fired({"metric": "refund_rate", "channel": "all", "above": 0.10}) == []
    assert [x["fact_channel"] for x in fired({"metric": "refund_rate", "channel": "all", "above": 0.09})] == ["all"]


def test_missing_value_never_fires():
    assert fired({"metric": "gpm", "channel": "S", "below": 1000}) == []


def test_talent_share():
    (a,) = fired({"metric": "talent_gmv_share", "above": 0.40})
    assert (a["account_id"], a["value"]) == ("t1", 0.45)
    assert "大V" in a["message"] and "45.0%" in a["message"]
    assert fired({"metric": "talent_gmv_share", "above": 0.50}) == []
    assert fired({"metric": "talent_gmv_share", "channel": "A", "above": 0.40}) == []


def test_change_compares_last_7_days_with_the_previous_runs_last_7_days():
    # whole-data totals (F 1000 vs 900: +11 %; A 400 vs 800: -50 %) cover different dates and are ignored;
    # last 7 days: F 300 vs 375 = -20 % fires, A 100 vs 100 = 0 % does not
    previous = {"channels": [ch("all", "F", gmv=900.0), ch("all", "A", gmv=800.0),
                             ch("last_7d", "F", gmv=375.0), ch("last_7d", "A", gmv=100.0)]}
    (a,) = fired({"metric": "gmv", "change": "<-10%"}, previous)
    assert (a["fact_channel"], a["reference"], a["change"]) == ("F", 375.0, pytest.approx(-0.2))
    assert "previous run's last 7 days" in a["message"]
    assert fired({"metric": "gmv", "change": "<-10%"}, None) == []  # first run: nothing to compare
    assert parse_rule({"metric": "gmv", "change": "<-10%"}).period == "last_7d"


def test_change_rules_stay_silent_on_weeks_the_data_does_not_cover():
    dated = {**KPIS, "data_from": "2026-03-12", "data_to": "2026-03-21"}   # 10 days: prev_7d starts 03-08
    assert fired({"metric": "gpm", "channel": "F", "change_wow": "<-20%"}) != []
    assert evaluate([parse_rule({"metric": "gpm", "channel": "F", "change_wow": "<-20%"})], dated) == []
    previous = {"data_from": "2026-03-10", "data_to": "2026-03-14",          # 5 days: last_7d not covered
                "channels": [ch("last_7d", "F", gmv=375.0)]}
    assert fired({"metric": "gmv", "change": "<-10%"}, previous) == []
    previous["data_from"] = "2026-03-08"                                     # 03-08 – 03-14: covered
    assert len(fired({"metric": "gmv", "change": "<-10%"}, previous)) == 1


@pytest.mark.parametrize(("rule", "needle"), [
    ({"metric": "gpmm", "above": 1}, "metric 'gpmm' is not known"),
    ({"metric": "gpm"}, "exactly one condition, found none"),
    ({"metric": "gpm", "above": 1, "change_wow": "<0"}, "found above, change_wow"),
    ({"metric": "gpm", "change_wow": "down 20%"}, "is not a comparison"),
    ({"metric": "gpm", "change_wow": -0.2}, "is not a comparison"),
    ({"metric": "gpm", "above": "10%"}, "is not a number"),
    ({"metric": "gpm", "above": True}, "is not a number"),
    ({"metric": "gpm", "channel": "X", "above": 1}, "channel 'X' is not known"),
    ({"metric": "gpm", "period": "week", "above": 1}, "period 'week' is not known"),
    ({"metric": "gpm", "treshold": 1}, "unknown key(s) treshold"),
    ({"metric": "talent_gmv_share", "change_wow": "<0"}, "above or below only"),
    ({"metric": "refund_rate", "above": 10}, "outside 0–1"),
    ({"metric": "talent_gmv_share", "above": 40}, "outside 0–1"),
    ({"metric": "gmv_share", "below": -0.1}, "outside 0–1"),
    ({"metric": "gmv", "change": ">=-0%"}, "signed zero"),
    ({"metric": "gpm", "change_wow": "<+0"}, "signed zero"),
    ({"metric": "gpm", "change_wow": "<-150%"}, "never fires"),
    ({"metric": "gpm", "change": ">-2"}, "always fires"),
    ({"metric": "gmv", "change": "<-10%", "period": "all"}, "change rules compare 7-day windows"),
])
def test_bad_rules(rule, needle):
    with pytest.raises(FactInputError) as err:
        parse_rule(rule, "runs.toml: run 'x'")
    assert needle in str(err.value) and str(err.value).startswith("runs.toml: run 'x'")


def test_rate_threshold_fix_says_rates_are_fractions():
    with pytest.raises(FactInputError) as err:
        parse_rule({"metric": "refund_rate", "above": 10}, "runs.toml: run 'x'")
    assert "0.10 = 10 %" in str(err.value) and "above = 0.1" in str(err.value)
    assert parse_rule({"metric": "refund_rate", "above": 1}).threshold == 1.0   # the edges are fine
    assert parse_rule({"metric": "gmv", "above": 10}).threshold == 10.0         # money is not a rate
    assert parse_rule({"metric": "gpm", "change_wow": "<=-100%"}).threshold == -1.0  # down to zero
    assert parse_rule({"metric": "gpm", "change_wow": ">0"}).op == ">"


def test_comparison_forms():
    assert parse_rule({"metric": "gpm", "change_wow": "<-20%"}).threshold == pytest.approx(-0.2)
    assert parse_rule({"metric": "gpm", "change_wow": " >= .5 "}).op == ">="
    assert parse_rule({"metric": "gpm", "above": 5}).op == ">"
    with pytest.raises(FactInputError, match="not a list"):
        parse_rules({"metric": "gpm", "above": 1})


def test_every_alert_also_speaks_chinese_for_a_zh_page():
    """A zh report shows ``message_zh``: the metric by its Chinese label, the rule as configured."""
    from fact_toolkit.reports.render import _alerts_html

    kpis = {"channels": [{"period": "all", "fact_channel": "F", "currency": "CNY", "refund_rate": 0.12}]}
    [fired] = evaluate([parse_rule({"metric": "refund_rate", "above": 0.1})], kpis)
    assert fired["message_zh"] == "退款率(按支付时间) F CNY = 12.0%（规则：refund_rate > 10.0%）"
    assert "退款率(按支付时间) F CNY" in _alerts_html([fired], "zh") and "refund_rate F CNY = 12.0%" in _alerts_html([fired], "en")
