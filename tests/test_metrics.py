"""Tests for fact_toolkit.metrics: every expected number below was worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fact_toolkit.metrics import METRICS, FactAccessor, Metric, compute, metric_names, summarize
from fact_toolkit.schema import TABLES

# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def sessions() -> pd.DataFrame:
    """Two live sessions with every funnel column, small round numbers."""
    return pd.DataFrame(
        {
            "content_id": ["7300000000000000001", "7300000000000000002"],
            "fact_channel": ["F", "A"],
            "exposure_uv": [10_000, 30_000],
            "exposure_pv": [20_000, 60_000],
            "view_uv": [1_000, 3_000],
            "view_pv": [2_000, 6_000],
            "avg_watch_sec": [60.0, 20.0],
            "product_exposure_uv": [500, 1_500],
            "product_exposure_pv": [800, 3_200],
            "product_click_uv": [100, 300],
            "product_click_pv": [150, 450],
            "orders": [30, 30],
            "buyers": [20, 30],
            "gmv": [2_400.0, 5_600.0],
            "paid_amount": [2_000.0, 4_000.0],
            "refund_amount": [200.0, 600.0],
            "ad_spend": [1_000.0, 0.0],
            "commission": [0.0, 800.0],
        }
    )


# --- the golden rule: ratio of sums ----------------------------------------------------------


def test_gpm_is_ratio_of_sums_not_mean_of_ratios() -> None:
    # per-row GPMs: 100, 450, 250 -> mean 266.67; ratio of sums: 1500 / 5000 * 1000 = 300
    t = pd.DataFrame({"paid_amount": [100.0, 900.0, 500.0], "view_pv": [1000, 2000, 2000]})
    assert compute(t, "gpm") == pytest.approx(300.0)
    assert compute(t, "gpm") != pytest.approx(np.mean(t.paid_amount / t.view_pv * 1000))


def test_gpm_two_rows_exact() -> None:
    # 100/1000 and 900/2000: mean of per-row GPMs 275, ratio of sums 1000/3000*1000
    t = pd.DataFrame({"paid_amount": [100.0, 900.0], "view_pv": [1000, 2000]})
    assert compute(t, "gpm") == pytest.approx(1000 / 3)
    assert compute(t, "gpm") == pytest.approx(333.3333333)


def test_every_registered_metric_by_hand(sessions: pd.DataFrame) -> None:
    expected = {
        "gmv": 8_000.0,
        "paid_amount": 6_000.0,
        "net_gmv": 8_000.0 - 800.0,
        "refund_amount": 800.0,
        "ad_spend": 1_000.0,
        "commission": 800.0,
        "orders": 60.0,
        "buyers": 50.0,
        "views": 8_000.0,
        "viewers": 4_000.0,
        "exposures": 80_000.0,
        "gpm": 6_000 / 8_000 * 1000,  # 750: paid amount is present, so it wins over GMV
        "show_gpm": 6_000 / 80_000 * 1000,  # 75
        "product_gpm": 6_000 / 4_000 * 1000,  # 1500
        "roi": 6_000 / 1_000,
        "uv_value": 8_000 / 4_000,
        "aov": 6_000 / 50,
        "exposure_view_rate": 4_000 / 40_000,
        "exposure_view_rate_pv": 8_000 / 80_000,
        "view_product_rate": 2_000 / 4_000,
        "product_ctr": 400 / 2_000,
        "product_ctr_pv": 600 / 4_000,
        "click_order_rate": 50 / 400,
        "click_order_rate_pv": 60 / 600,
        "refund_rate": 800 / 8_000,
        "avg_watch_sec": (60 * 1_000 + 20 * 3_000) / 4_000,  # 30 s, not the mean 40 s
        "commission_rate": 800 / 6_000,
        "net_roi": 7_200 / 1_000,
    }
    for name, value in expected.items():
        assert compute(sessions, name) == pytest.approx(value), name
    row = summarize(sessions).loc["total"]
    for name, value in expected.items():
        assert row[name] == pytest.approx(value), name
    assert row["rows"] == 2
    assert row["gmv_share"] == pytest.approx(1.0)


def test_summarize_by_channel_by_hand(sessions: pd.DataFrame) -> None:
    s = summarize(sessions, by="fact_channel", metrics=["gpm", "roi", "gmv"])
    assert list(s.columns) == ["gpm", "roi", "gmv", "gmv_share", "rows"]
    assert list(s.index) == ["A", "F"]
    assert s.index.name == "fact_channel"
    assert s.loc["F", "gpm"] == pytest.approx(1_000.0)  # 2000 / 2000 * 1000
    assert s.loc["A", "gpm"] == pytest.approx(4_000 / 6)  # 4000 / 6000 * 1000
    assert s.loc["F", "roi"] == pytest.approx(2.0)
    assert math.isnan(s.loc["A", "roi"])  # A spent nothing: ROI is missing, not inf
    assert s.loc["F", "gmv_share"] == pytest.approx(0.3)
    assert s.loc["A", "gmv_share"] == pytest.approx(0.7)
    assert s["rows"].tolist() == [1, 1]


def test_default_columns_follow_registry_order(sessions: pd.DataFrame) -> None:
    s = summarize(sessions, by="fact_channel")
    names = [n for n in METRICS if METRICS[n].supported_by(sessions.columns)]
    assert list(s.columns) == [*names, "gmv_share", "rows"]


# --- missing values and zero denominators ------------------------------------------------------


def test_zero_denominator_gives_nan() -> None:
    t = pd.DataFrame({"paid_amount": [100.0, 50.0], "view_pv": [0, 0], "ad_spend": [0.0, 0.0]})
    assert math.isnan(compute(t, "gpm"))
    assert math.isnan(compute(t, "roi"))
    s = summarize(t, metrics=["gpm", "roi"])
    assert s[["gpm", "roi"]].isna().all().all()
    assert not np.isinf(s[["gpm", "roi"]].to_numpy()).any()


def test_zero_numerator_is_zero_not_nan() -> None:
    t = pd.DataFrame({"paid_amount": [0.0], "view_pv": [100]})
    assert compute(t, "gpm") == 0.0


def test_all_missing_gives_nan() -> None:
    t = pd.DataFrame(
        {"gmv": pd.array([None, None], dtype="Float64"), "view_pv": pd.array([None, None], dtype="Int64")}
    )
    assert math.isnan(compute(t, "gmv"))  # min_count=1: not 0
    assert math.isnan(compute(t, "views"))
    assert math.isnan(compute(t, "gpm"))
    s = summarize(t)
    assert s.loc["total", ["gmv", "views", "gpm", "gmv_share"]].isna().all()


def test_empty_table() -> None:
    t = pd.DataFrame({"gmv": pd.Series([], dtype="float64"), "view_pv": pd.Series([], dtype="int64"),
                      "fact_channel": pd.Series([], dtype="str")})
    assert math.isnan(compute(t, "gpm"))
    assert math.isnan(compute(t, "gmv"))
    assert summarize(t).loc["total", "rows"] == 0
    assert len(summarize(t, by="fact_channel")) == 0


def test_pairing_rule_excludes_unpaired_rows_from_ratio() -> None:
    # the shelf row has paid money but no views: it must not inflate GPM
    t = pd.DataFrame(
        {
            "carrier": ["live", "live", "card"],
            "paid_amount": [100.0, 900.0, 5_000.0],
            "view_pv": pd.array([1000, 2000, None], dtype="Int64"),
        }
    )
    assert compute(t, "gpm") == pytest.approx(1000 / 3)
    assert compute(t, "paid_amount") == pytest.approx(6_000.0)
    assert compute(t, "views") == pytest.approx(3_000.0)


def test_pairing_rule_missing_numerator_drops_its_denominator() -> None:
    # second row has views but no money: its views must not dilute GPM either
    t = pd.DataFrame({"paid_amount": [100.0, np.nan], "view_pv": [1000, 9000]})
    assert compute(t, "gpm") == pytest.approx(100.0)
    assert compute(t, "views") == pytest.approx(10_000.0)


def test_pairing_rule_for_weighted_and_subtracted_metrics() -> None:
    t = pd.DataFrame(
        {
            "avg_watch_sec": [60.0, np.nan, 30.0],
            "view_uv": [100, 500, 300],
            "gmv": [1_000.0, 2_000.0, 3_000.0],
            "refund_amount": [100.0, 200.0, np.nan],
        }
    )
    # (60*100 + 30*300) / (100 + 300) = 37.5; the 500 viewers without a watch time do not count
    assert compute(t, "avg_watch_sec") == pytest.approx(37.5)
    # net GMV only over rows where refunds are known: (1000-100) + (2000-200)
    assert compute(t, "net_gmv") == pytest.approx(2_700.0)
    assert compute(t, "refund_rate") == pytest.approx(300 / 3_000)


def test_pairing_rule_inside_groups() -> None:
    t = pd.DataFrame(
        {
            "fact_channel": ["F", "F", "S"],
            "paid_amount": [100.0, 900.0, 5_000.0],
            "view_pv": [1000.0, 2000.0, np.nan],
        }
    )
    s = summarize(t, by="fact_channel", metrics=["gpm", "paid_amount"])
    assert s.loc["F", "gpm"] == pytest.approx(1000 / 3)
    assert math.isnan(s.loc["S", "gpm"])
    assert s.loc["S", "paid_amount"] == pytest.approx(5_000.0)


# --- paid amount, else GMV ----------------------------------------------------------------------


def test_gmv_fallback_without_paid_column() -> None:
    t = pd.DataFrame({"gmv": [300.0, 700.0], "view_pv": [1000, 1000], "buyers": [3, 7]})
    assert compute(t, "gpm") == pytest.approx(500.0)
    assert compute(t, "aov") == pytest.approx(100.0)
    assert "paid_amount" not in metric_names(t)
    assert "gpm" in metric_names(t)


def test_gmv_fallback_when_paid_column_is_all_missing() -> None:
    t = pd.DataFrame({"gmv": [300.0, 700.0], "paid_amount": [np.nan, np.nan], "view_pv": [1000, 1000]})
    assert compute(t, "gpm") == pytest.approx(500.0)
    assert math.isnan(compute(t, "paid_amount"))


def test_paid_amount_wins_for_every_row_when_it_has_any_value() -> None:
    # the choice is per table: the second row's GMV is not used to fill its missing paid amount
    t = pd.DataFrame({"gmv": [300.0, 700.0], "paid_amount": [200.0, np.nan], "view_pv": [1000, 1000]})
    assert compute(t, "gpm") == pytest.approx(200.0)


def test_fallback_choice_is_shared_by_all_groups() -> None:
    t = pd.DataFrame(
        {
            "fact_channel": ["F", "A"],
            "gmv": [300.0, 700.0],
            "paid_amount": [200.0, np.nan],
            "view_pv": [1000, 1000],
        }
    )
    s = summarize(t, by="fact_channel", metrics=["gpm"])
    assert s.loc["F", "gpm"] == pytest.approx(200.0)
    assert math.isnan(s.loc["A", "gpm"])  # not 700: no mixing of definitions across groups


# --- grouping, currencies and dtypes -------------------------------------------------------------


def test_two_currencies_add_currency_to_index() -> None:
    t = pd.DataFrame(
        {
            "fact_channel": ["F", "A", "F", "A"],
            "currency": ["CNY", "CNY", "USD", "USD"],
            "gmv": [100.0, 300.0, 10.0, 10.0],
            "view_pv": [100, 100, 50, 50],
        }
    )
    s = summarize(t, by="fact_channel", metrics=["gmv", "gpm"])
    assert list(s.index.names) == ["currency", "fact_channel"]
    assert s.loc[("CNY", "A"), "gmv"] == pytest.approx(300.0)
    assert s.loc[("USD", "F"), "gpm"] == pytest.approx(200.0)
    # shares are within each currency: 100/400, 300/400, 10/20, 10/20
    assert s.loc[("CNY", "F"), "gmv_share"] == pytest.approx(0.25)
    assert s.loc[("CNY", "A"), "gmv_share"] == pytest.approx(0.75)
    assert s.loc[("USD", "A"), "gmv_share"] == pytest.approx(0.5)
    assert s["gmv_share"].groupby(level="currency").sum().tolist() == pytest.approx([1.0, 1.0])
    whole = summarize(t, metrics=["gmv"])
    assert list(whole.index) == ["CNY", "USD"] and whole.index.name == "currency"


def test_one_currency_is_not_added_to_index() -> None:
    t = pd.DataFrame({"fact_channel": ["F", "A"], "currency": ["CNY", "CNY"], "gmv": [1.0, 3.0]})
    s = summarize(t, by="fact_channel")
    assert s.index.name == "fact_channel"


def test_compute_refuses_to_add_currencies() -> None:
    t = pd.DataFrame(
        {
            "currency": ["CNY", "USD"],
            "gmv": [100.0, 10.0],
            "product_click_uv": [10, 20],
            "product_exposure_uv": [100, 100],
        }
    )
    with pytest.raises(ValueError, match="currenc"):
        compute(t, "gmv")
    assert compute(t, "product_ctr") == pytest.approx(0.15)  # people ÷ people: no money involved


def test_missing_group_key_is_a_visible_group() -> None:
    t = pd.DataFrame({"fact_channel": ["F", None, "F"], "gmv": [1.0, 2.0, 3.0]})
    s = summarize(t, by="fact_channel", metrics=["gmv"])
    assert len(s) == 2
    assert s["gmv"].sum() == pytest.approx(6.0)
    assert s.loc[s.index.isna(), "gmv"].item() == pytest.approx(2.0)


def test_categorical_keys_show_observed_groups() -> None:
    t = pd.DataFrame(
        {
            "fact_channel": pd.Categorical(["F", "A"], categories=["F", "A", "T", "S", "other"]),
            "gmv": [1.0, 3.0],
        }
    )
    s = summarize(t, by="fact_channel", metrics=["gmv"])
    assert sorted(s.index) == ["A", "F"]


def test_several_keys() -> None:
    t = pd.DataFrame(
        {
            "date": ["2026-06-18", "2026-06-18", "2026-06-19"],
            "fact_channel": ["F", "F", "F"],
            "gmv": [1.0, 2.0, 4.0],
        }
    )
    s = summarize(t, by=["date", "fact_channel"], metrics=["gmv"], share=False)
    assert list(s.index.names) == ["date", "fact_channel"]
    assert s["gmv"].tolist() == [3.0, 4.0]
    assert list(s.columns) == ["gmv", "rows"]


def test_nullable_and_numpy_dtypes_agree(sessions: pd.DataFrame) -> None:
    nullable = sessions.copy()
    for col in sessions.columns:
        if pd.api.types.is_integer_dtype(sessions[col]):
            nullable[col] = sessions[col].astype("Int64")
        elif pd.api.types.is_float_dtype(sessions[col]):
            nullable[col] = sessions[col].astype("Float64")
    pd.testing.assert_frame_equal(summarize(nullable, by="fact_channel"), summarize(sessions, by="fact_channel"))


def test_object_column_of_numbers_is_accepted_and_text_is_refused() -> None:
    t = pd.DataFrame({"gmv": pd.Series([1.0, None, 2.5], dtype=object)})
    assert compute(t, "gmv") == pytest.approx(3.5)
    bad = pd.DataFrame({"gmv": ["¥1,234", "5"]})
    with pytest.raises(TypeError, match="gmv"):
        compute(bad, "gmv")


def test_integer_sums_do_not_overflow() -> None:
    big = 2**62
    t = pd.DataFrame({"view_pv": pd.array([big, big, big], dtype="Int64"), "gmv": [1.0, 1.0, 1.0]})
    assert compute(t, "views") == pytest.approx(3.0 * big)
    assert compute(t.astype({"view_pv": "int64"}), "views") == pytest.approx(3.0 * big)
    assert compute(t, "gpm") == pytest.approx(3.0 / (3.0 * big) * 1000)


# --- errors ------------------------------------------------------------------------------------


def test_unsupported_metric_names_missing_columns() -> None:
    t = pd.DataFrame({"gmv": [1.0]})
    with pytest.raises(KeyError, match="view_pv"):
        summarize(t, metrics=["gpm"])
    with pytest.raises(KeyError, match="view_pv"):
        compute(t, "gpm")
    with pytest.raises(KeyError, match="paid_amount or gmv"):
        compute(pd.DataFrame({"view_pv": [1]}), "gpm")


def test_unknown_metric_and_unknown_key() -> None:
    t = pd.DataFrame({"gmv": [1.0]})
    with pytest.raises(KeyError, match="unknown metric"):
        compute(t, "gmv_per_fan")
    with pytest.raises(KeyError, match="account_id"):
        summarize(t, by="account_id")


def test_custom_metric() -> None:
    per_order = Metric("gmv_per_order", ("gmv",), ("orders",), label_en="GMV per order")
    t = pd.DataFrame({"gmv": [100.0, 300.0], "orders": [1, 3], "fact_channel": ["F", "F"]})
    assert compute(t, per_order) == pytest.approx(100.0)
    s = summarize(t, by="fact_channel", metrics=[per_order, "gmv"])
    assert list(s.columns) == ["gmv_per_order", "gmv", "gmv_share", "rows"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"numerator": ()},
        {"numerator": "gmv"},
        {"denominator": ()},
        {"scale": float("nan")},
        {"basis": "yuan"},
    ],
)
def test_metric_validation(kwargs: dict) -> None:
    args = {"name": "x", "numerator": ("gmv",), "denominator": ("view_pv",)} | kwargs
    with pytest.raises(ValueError):
        Metric(**args)


# --- registry --------------------------------------------------------------------------------


def test_registry_is_complete_and_labelled() -> None:
    required = {
        "gmv", "paid_amount", "net_gmv", "refund_amount", "ad_spend", "commission", "orders", "buyers",
        "views", "viewers", "exposures", "gpm", "show_gpm", "product_gpm", "roi", "uv_value", "aov",
        "exposure_view_rate", "exposure_view_rate_pv", "view_product_rate", "product_ctr", "product_ctr_pv",
        "click_order_rate", "click_order_rate_pv", "refund_rate", "avg_watch_sec", "commission_rate", "net_roi",
    }
    assert required <= set(METRICS)
    assert metric_names() == list(METRICS)
    for name, m in METRICS.items():
        assert m.name == name
        assert m.label_zh and m.label_en and m.description, name
    assert METRICS["gpm"].label_zh == "千次观看成交金额"
    assert METRICS["product_gpm"].label_zh == "千次曝光用户支付金额"
    assert METRICS["roi"].label_zh == "整体支付ROI"
    assert METRICS["aov"].label_zh == "客单价"
    assert METRICS["gpm"].scale == 1000 and METRICS["gpm"].denominator == ("view_pv",)
    assert METRICS["gpm"].numerator == ("paid_amount", "gmv")
    assert METRICS["exposure_view_rate"].basis == "people"
    assert METRICS["exposure_view_rate_pv"].basis == "events"


def test_registry_columns_are_canonical() -> None:
    canonical = {c.name for t in TABLES.values() for c in t.columns}
    for m in METRICS.values():
        assert set(m.columns) <= canonical, m.name


# --- properties -------------------------------------------------------------------------------

_money = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_subnormal=False))
_count = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))
_rows = st.lists(st.tuples(_money, _money, _count, _money), min_size=0, max_size=8)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    paid, gmv, views, spend = zip(*rows) if rows else ((), (), (), ())
    return pd.DataFrame(
        {
            "paid_amount": pd.array(list(paid), dtype="Float64"),
            "gmv": np.array([np.nan if v is None else v for v in gmv], dtype="float64"),
            "view_pv": pd.array(list(views), dtype="Int64"),
            "ad_spend": np.array([np.nan if v is None else v for v in spend], dtype="float64"),
        }
    )


def _paired(df: pd.DataFrame, num: str, den: str) -> tuple[float, float]:
    """Σ numerator and Σ denominator over rows where both are present (independent of the module)."""
    both = df[num].notna() & df[den].notna()
    return float(df.loc[both, num].astype("float64").sum()), float(df.loc[both, den].astype("float64").sum())


def _additive(df: pd.DataFrame, col: str) -> float:
    return float(df[col].astype("float64").sum(min_count=1))


@settings(max_examples=150, deadline=None)
@given(a=_rows, b=_rows)
def test_property_union_is_ratio_of_summed_parts(a: list[tuple], b: list[tuple]) -> None:
    fa, fb = _frame(a), _frame(b)
    union = pd.concat([fa, fb], ignore_index=True)
    num = "paid_amount" if union["paid_amount"].notna().any() else "gmv"
    na, da = _paired(fa, num, "view_pv")
    nb, db = _paired(fb, num, "view_pv")
    expected_gpm = (na + nb) / (da + db) * 1000 if da + db > 0 else math.nan
    assert compute(union, "gpm") == pytest.approx(expected_gpm, rel=1e-9, nan_ok=True)
    na, da = _paired(fa, num, "ad_spend")
    nb, db = _paired(fb, num, "ad_spend")
    expected_roi = (na + nb) / (da + db) if da + db > 0 else math.nan
    assert compute(union, "roi") == pytest.approx(expected_roi, rel=1e-9, nan_ok=True)
    for metric, col in [("gmv", "gmv"), ("paid_amount", "paid_amount"), ("views", "view_pv"),
                        ("ad_spend", "ad_spend")]:
        parts = [_additive(fa, col), _additive(fb, col)]
        expected = math.nan if all(math.isnan(p) for p in parts) else float(np.nansum(parts))
        assert compute(union, metric) == pytest.approx(expected, rel=1e-9, nan_ok=True), metric


_full_rows = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1e7, allow_subnormal=False), _money, _count, _money), min_size=1, max_size=8
)


@settings(max_examples=100, deadline=None)
@given(a=_full_rows, b=_full_rows)
def test_property_groups_equal_parts(a: list[tuple], b: list[tuple]) -> None:
    # paid amount is always present here, so each part and the union choose the same numerator
    fa, fb = _frame(a).assign(part="a"), _frame(b).assign(part="b")
    metrics = ["gpm", "roi", "paid_amount", "views", "gmv"]
    s = summarize(pd.concat([fa, fb], ignore_index=True), by="part", metrics=metrics)
    for label, part in [("a", fa), ("b", fb)]:
        for metric in metrics:
            assert s.loc[label, metric] == pytest.approx(compute(part, metric), rel=1e-9, nan_ok=True)
        assert s.loc[label, "rows"] == len(part)
    total = s["gmv"].sum(min_count=1)
    if total > 0:
        assert s["gmv_share"].sum() == pytest.approx(1.0)


# --- accessor -----------------------------------------------------------------------------------


def test_accessor_is_a_thin_front(sessions: pd.DataFrame) -> None:
    assert isinstance(sessions.fact, FactAccessor)
    pd.testing.assert_frame_equal(sessions.fact.summarize(by="fact_channel"), summarize(sessions, by="fact_channel"))
    pd.testing.assert_frame_equal(
        sessions.fact.summarize(by="fact_channel", metrics=["gpm"], share=False),
        summarize(sessions, by="fact_channel", metrics=["gpm"], share=False),
    )
    assert sessions.fact.compute("gpm") == compute(sessions, "gpm")
    assert sessions.fact.metrics() == metric_names(sessions)
    assert pd.DataFrame({"gmv": [1.0], "view_pv": [1]}).fact.metrics() == ["gmv", "views", "gpm"]
