"""Tests for fact_toolkit.io.parse (hand-checkable examples + property tests)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fact_toolkit.io.parse import (
    MISSING_TOKENS,
    Parsed,
    parse_datetime,
    parse_duration,
    parse_id,
    parse_int,
    parse_number,
    parse_range,
    parse_rate,
)

TZ = "Asia/Shanghai"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def one(fn, cell, **kw):
    """Parse a single cell; return (value, invalid)."""
    r = fn(pd.Series([cell], dtype=object if not isinstance(cell, str) else "str"), **kw)
    return r.values.iloc[0], bool(r.invalid.iloc[0])


STRING_DTYPES = ["str", object, pd.StringDtype("pyarrow"), pd.StringDtype("python")]


# --------------------------------------------------------------------- contract


def test_missing_tokens_exact():
    assert MISSING_TOKENS == frozenset(
        {"", "-", "--", "—", "N/A", "n/a", "NA", "null", "NULL", "None", "nan", "-2147483648"}
    )


def test_parsed_is_namedtuple_with_aligned_index():
    s = pd.Series(["1", "x", None], index=[10, 20, 30], name="gmv")
    r = parse_number(s)
    assert isinstance(r, Parsed)
    values, invalid = r
    assert list(values.index) == [10, 20, 30] and list(invalid.index) == [10, 20, 30]
    assert values.dtype == np.float64 and invalid.dtype == bool
    assert values.name == "gmv"


# ----------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1234.5", 1234.5),
        ("-30", -30.0),
        ("1,234.5", 1234.5),
        ("1.2万", 12000.0),
        ("1.2w", 12000.0),
        ("1.2W", 12000.0),
        ("3亿", 300_000_000.0),
        ("1.74K", 1740.0),
        ("1.74k", 1740.0),
        ("2.5M", 2_500_000.0),
        ("12.3%", 0.123),
        ("-30%", -0.3),
        ("¥12.5", 12.5),
        ("￥12.5", 12.5),
        ("12.5元", 12.5),
        ("12.5(元)", 12.5),
        ("$3.99", 3.99),
        ("¥1,234", 1234.0),
        ("1.2万元", 12000.0),
        ("Rp9.467.316", 9467316.0),
        ("139.000₫", 139000.0),
        ("Rp1.234,5", 1234.5),
        ("１２３．５", 123.5),
        ("１．２万", 12000.0),
        ("  12 ", 12.0),
        ("\t5\t", 5.0),
        ("'42", 42.0),
        ("1.1万", 11000.0),
    ],
)
def test_parse_number_examples(cell, expected):
    value, invalid = one(parse_number, cell)
    assert value == expected
    assert not invalid


@pytest.mark.parametrize("cell", ["abc", "12abc", "1.2.3", "12,3", "万", "1-2"])
def test_parse_number_invalid_text(cell):
    value, invalid = one(parse_number, cell)
    assert math.isnan(value)
    assert invalid


@pytest.mark.parametrize("token", sorted(MISSING_TOKENS) + ["  -  ", " N/A\t"])
def test_missing_tokens_are_nan_not_zero_not_invalid(token):
    s = pd.Series([token, "5"], dtype="str")
    for fn in (parse_number, parse_rate, parse_duration):
        r = fn(s)
        assert math.isnan(r.values.iloc[0]) and r.values.iloc[0] != 0
        assert not r.invalid.iloc[0]
        assert r.values.iloc[1] != 0
    r = parse_int(s)
    assert r.values.isna().iloc[0] and not r.invalid.iloc[0]
    r = parse_datetime(s)
    assert pd.isna(r.values.iloc[0]) and not r.invalid.iloc[0]
    r = parse_id(s)
    assert pd.isna(r.values.iloc[0]) and not r.invalid.iloc[0]
    df = parse_range(s)
    assert df[["min", "max", "mid"]].iloc[0].isna().all() and not df["invalid"].iloc[0]


def test_none_and_nan_are_missing():
    r = parse_number(pd.Series([None, np.nan, "1"], dtype=object))
    assert r.values.isna().tolist() == [True, True, False]
    assert not r.invalid.any()


@pytest.mark.parametrize("dtype", STRING_DTYPES)
def test_parse_number_string_dtypes(dtype):
    s = pd.Series(["1", "1.2万", None, "x"], dtype=dtype)
    r = parse_number(s)
    assert r.values.iloc[:2].tolist() == [1.0, 12000.0]
    assert r.values.iloc[2:].isna().all()
    assert r.invalid.tolist() == [False, False, False, True]


def test_parse_number_numeric_input():
    r = parse_number(pd.Series([1.5, -2147483648.0, np.nan, 3.0]))
    assert r.values.iloc[[0, 3]].tolist() == [1.5, 3.0]
    assert r.values.iloc[[1, 2]].isna().all()
    assert not r.invalid.any()
    r = parse_number(pd.Series([7, -2147483648], dtype="int64"))
    assert r.values.dtype == np.float64
    assert r.values.iloc[0] == 7.0 and math.isnan(r.values.iloc[1])
    r = parse_number(pd.Series([7, None], dtype="Int64"))
    assert r.values.iloc[0] == 7.0 and math.isnan(r.values.iloc[1])


def test_parse_number_mixed_object_column():
    s = pd.Series([1, 2.5, "1.2万", None, "-", "x", True], dtype=object)
    r = parse_number(s)
    assert r.values.iloc[:3].tolist() == [1.0, 2.5, 12000.0]
    assert r.values.iloc[3:].isna().all()
    assert r.invalid.tolist() == [False, False, False, False, False, True, True]


def test_parse_number_locale_dotted():
    s = pd.Series(["9.467.316", "1.234,5", "12", "-"], dtype="str")
    r = parse_number(s, locale="id")
    assert r.values.iloc[:3].tolist() == [9467316.0, 1234.5, 12.0]
    r = parse_number(s, locale="vi")
    assert r.values.iloc[:3].tolist() == [9467316.0, 1234.5, 12.0]
    # without a locale or currency, dots are decimal points
    assert parse_number(pd.Series(["1.5"])).values.iloc[0] == 1.5


def test_parse_number_large_column_fast_and_slow_paths_agree():
    clean = [f"{i}.25" for i in range(1000)]
    dirty = [f"{i:,}.25" if i % 10 == 0 else c for i, c in enumerate(clean)]
    a = parse_number(pd.Series(clean)).values
    b = parse_number(pd.Series(dirty)).values
    pd.testing.assert_series_equal(a, b)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_property_formats(x):
    cells = [f"{x:,.2f}", f"¥{x:.2f}", f"{x / 1e4:.4f}万"]
    r = parse_number(pd.Series(cells, dtype="str"))
    assert not r.invalid.any()
    v = r.values.to_numpy()
    assert v[0] == pytest.approx(x, abs=0.006)
    assert v[1] == pytest.approx(x, abs=0.006)
    assert v[2] == pytest.approx(x, abs=0.51, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_property_rupiah(n):
    cell = "Rp" + f"{n:,}".replace(",", ".")
    value, invalid = one(parse_number, cell)
    assert not invalid
    assert value == n


# ------------------------------------------------------------------- parse_rate


def test_parse_rate():
    r = parse_rate(pd.Series(["12.3%", "0.123", "-30%", "--", "abc", "１２．３％"]))
    assert r.values.iloc[[0, 1, 2, 5]].tolist() == [0.123, 0.123, -0.3, 0.123]
    assert r.values.iloc[[3, 4]].isna().all()
    assert r.invalid.tolist() == [False, False, False, False, True, False]
    assert parse_rate(pd.Series([0.25])).values.tolist() == [0.25]


# -------------------------------------------------------------------- parse_int


def test_parse_int():
    r = parse_int(pd.Series(["1.2万", "1,234", "1.5", "-", "42", "abc", "-2147483648"]))
    assert r.values.dtype == "Int64"
    assert r.values.iloc[[0, 1, 4]].tolist() == [12000, 1234, 42]
    assert r.values.iloc[[2, 3, 5, 6]].isna().all()
    assert r.invalid.tolist() == [False, False, True, False, False, True, False]


def test_parse_int_exact_beyond_float_precision():
    # 2**53 + 1 has no float64; 18 digits still fit int64; 19 digits and a decimal
    # that large are refused rather than rounded
    r = parse_int(pd.Series(["9007199254740993", "-123456789012345678", "1234567890123456789",
                             "9007199254740993.0", "¥1,234", "1.2e3"]))
    assert r.values.iloc[[0, 1, 4, 5]].tolist() == [9007199254740993, -123456789012345678, 1234, 1200]
    assert r.invalid.tolist() == [False, False, True, True, False, False]


def test_parse_number_grouping_commas_must_be_well_formed():
    r = parse_number(pd.Series(["¥1,234.50", "1,2345", "12,345,678", "-1,000", "1,234万"]))
    assert r.values.iloc[[0, 2, 3, 4]].tolist() == [1234.5, 12345678.0, -1000.0, 12340000.0]
    assert r.invalid.tolist() == [False, True, False, False, False]


def test_parse_int_numeric_input():
    r = parse_int(pd.Series([1.0, 1.5, np.nan]))
    assert r.values.iloc[0] == 1 and r.values.iloc[1:].isna().all()
    assert r.invalid.tolist() == [False, True, False]
    big = 2**62 + 1
    r = parse_int(pd.Series([big, -2147483648], dtype="int64"))
    assert r.values.iloc[0] == big and pd.isna(r.values.iloc[1])
    assert r.values.dtype == "Int64"


# ------------------------------------------------------------------ parse_range


def test_parse_range():
    s = pd.Series(
        ["7.5w~10w", "1万～2万", "100-200", "-5--3", "10至20", "10—20", "30", "-", "abc", "Rp10.000-Rp20.000"],
        index=list("abcdefghij"),
    )
    df = parse_range(s)
    assert list(df.columns) == ["min", "max", "mid", "invalid"]
    assert list(df.index) == list("abcdefghij")
    assert df.dtypes.tolist() == [np.float64, np.float64, np.float64, bool]
    assert df.loc["a"].tolist()[:3] == [75000.0, 100000.0, 87500.0]
    assert df.loc["b"].tolist()[:3] == [10000.0, 20000.0, 15000.0]
    assert df.loc["c"].tolist()[:3] == [100.0, 200.0, 150.0]
    assert df.loc["d"].tolist()[:3] == [-5.0, -3.0, -4.0]
    assert df.loc["e"].tolist()[:3] == [10.0, 20.0, 15.0]
    assert df.loc["f"].tolist()[:3] == [10.0, 20.0, 15.0]
    assert df.loc["g"].tolist()[:3] == [30.0, 30.0, 30.0]
    assert df.loc["h", ["min", "max", "mid"]].isna().all()
    assert df.loc["i", ["min", "max", "mid"]].isna().all()
    assert df.loc["j"].tolist()[:3] == [10000.0, 20000.0, 15000.0]
    assert df["invalid"].tolist() == [False] * 8 + [True, False]


def test_parse_range_negative_single_and_numeric():
    df = parse_range(pd.Series(["-30"]))
    assert df.iloc[0].tolist()[:3] == [-30.0, -30.0, -30.0]
    df = parse_range(pd.Series([1.5, np.nan]))
    assert df["min"].iloc[0] == 1.5 and df["mid"].iloc[0] == 1.5
    assert math.isnan(df["max"].iloc[1]) and not df["invalid"].any()


# --------------------------------------------------------------- parse_duration


@pytest.mark.parametrize(
    ("cell", "seconds"),
    [
        ("1分30秒", 90.0),
        ("3小时5分钟45秒", 11145.0),
        ("2小时", 7200.0),
        ("45秒", 45.0),
        ("1m28s", 88.0),
        ("1h2m3s", 3723.0),
        ("01:30", 90.0),
        ("01:01:01", 3661.0),
        ("1.5小时", 5400.0),
        ("90", 90.0),
    ],
)
def test_parse_duration_examples(cell, seconds):
    value, invalid = one(parse_duration, cell)
    assert value == seconds and not invalid


def test_parse_duration_units_and_invalid():
    assert parse_duration(pd.Series(["90", "1.5"]), unit="min").values.tolist() == [5400.0, 90.0]
    assert parse_duration(pd.Series([3.0]), unit="min").values.tolist() == [180.0]
    assert parse_duration(pd.Series([3.0])).values.tolist() == [3.0]
    r = parse_duration(pd.Series(["abc", "1分30秒"]))
    assert r.invalid.tolist() == [True, False]
    with pytest.raises(ValueError):
        parse_duration(pd.Series(["1"]), unit="fortnight")
    td = pd.Series(pd.to_timedelta(["00:01:30", None]))
    r = parse_duration(td)
    assert r.values.iloc[0] == 90.0 and math.isnan(r.values.iloc[1])


# --------------------------------------------------------------- parse_datetime


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026/04/17 10:52:25", "2026-04-17 10:52:25"),
        ("2026-04-17", "2026-04-17"),
        ("2026-04-17 10:52", "2026-04-17 10:52"),
        ("2026/4/7", "2026-04-07"),
        ("20250801", "2025-08-01"),
        ("45123", "2023-07-16"),
        ("45123.5", "2023-07-16 12:00"),
        ("2026-04-17 10:52:25   ", "2026-04-17 10:52:25"),
        ("2026年4月17日", "2026-04-17"),
        ("2026年4月17日 10:52:25", "2026-04-17 10:52:25"),
    ],
)
def test_parse_datetime_examples(cell, expected):
    value, invalid = one(parse_datetime, cell)
    assert value == ts(expected) and not invalid


def test_parse_datetime_dtype_and_numeric_input():
    r = parse_datetime(pd.Series([20250801, 45123, 12]))
    assert str(r.values.dtype) == "datetime64[ns, Asia/Shanghai]"
    assert r.values.iloc[0] == ts("2025-08-01") and r.values.iloc[1] == ts("2023-07-16")
    assert pd.isna(r.values.iloc[2]) and r.invalid.tolist() == [False, False, True]
    r = parse_datetime(pd.Series([45123.5, np.nan]))
    assert r.values.iloc[0] == ts("2023-07-16 12:00") and pd.isna(r.values.iloc[1])
    assert not r.invalid.any()


def test_parse_datetime_excel_serial_range():
    r = parse_datetime(pd.Series(["19999", "80001", "80000"]))
    assert r.invalid.tolist() == [True, True, False]


def test_parse_datetime_invalid_and_mixed():
    r = parse_datetime(pd.Series(["2026-02-30", "abc", "2026-04-17", "-"]))
    assert r.invalid.tolist() == [True, True, False, False]
    assert r.values.isna().tolist() == [True, True, False, True]
    s = pd.Series([dt.datetime(2026, 4, 17, 8), "2026-04-18", 45123, None], dtype=object)
    r = parse_datetime(s)
    assert r.values.iloc[:3].tolist() == [ts("2026-04-17 08:00"), ts("2026-04-18"), ts("2023-07-16")]
    assert not r.invalid.any()


def test_parse_datetime_datetime_input_localize_or_convert():
    naive = pd.Series(pd.to_datetime(["2026-04-17 10:00", None]))
    r = parse_datetime(naive)
    assert r.values.iloc[0] == ts("2026-04-17 10:00") and pd.isna(r.values.iloc[1])
    aware = pd.Series(pd.to_datetime(["2026-04-17 02:00"]).tz_localize("UTC"))
    r = parse_datetime(aware)
    assert r.values.iloc[0] == ts("2026-04-17 10:00")
    assert str(r.values.dtype) == "datetime64[ns, Asia/Shanghai]"


def test_parse_datetime_other_tz_and_dayfirst():
    r = parse_datetime(pd.Series(["2026-04-17 10:00"]), tz="Asia/Jakarta")
    assert r.values.iloc[0] == pd.Timestamp("2026-04-17 10:00", tz="Asia/Jakarta")
    assert parse_datetime(pd.Series(["01/02/2026"]), dayfirst=True).values.iloc[0] == ts("2026-02-01")
    assert parse_datetime(pd.Series(["01/02/2026"])).values.iloc[0] == ts("2026-01-02")


def test_parse_datetime_many_rows_fast_path():
    texts = pd.date_range("2026-01-01", periods=500, freq="37min").strftime("%Y-%m-%d %H:%M:%S")
    s = pd.Series(list(texts) + ["2026/4/7"], dtype="str")
    r = parse_datetime(s)
    assert not r.invalid.any()
    assert r.values.iloc[0] == ts("2026-01-01") and r.values.iloc[-1] == ts("2026-04-07")


# --------------------------------------------------------------------- parse_id


def test_parse_id_strings():
    s = pd.Series(
        ["'3701234567890123456", "3701234567890123456.0", "\t123 ", "7.01e+18", "7.01E18", "SKU-1.0", "--", None]
    )
    r = parse_id(s)
    assert r.values.dtype == pd.StringDtype()
    assert r.values.iloc[:3].tolist() == ["3701234567890123456", "3701234567890123456", "123"]
    assert r.values.iloc[5] == "SKU-1.0"
    assert r.values.iloc[[3, 4, 6, 7]].isna().all()
    assert r.invalid.tolist() == [False, False, False, True, True, False, False, False]


def test_parse_id_numeric_input():
    r = parse_id(pd.Series([3701234567890.0, 7.01e18, np.nan]))
    assert r.values.iloc[0] == "3701234567890"
    assert r.values.iloc[1:].isna().all()
    assert r.invalid.tolist() == [False, True, False]
    r = parse_id(pd.Series([3701234567890123456, -2147483648], dtype="int64"))
    assert r.values.iloc[0] == "3701234567890123456" and pd.isna(r.values.iloc[1])
    assert r.values.dtype == pd.StringDtype()
    r = parse_id(pd.Series([3701234567890123456, "abc", 12.0], dtype=object))
    assert r.values.tolist() == ["3701234567890123456", "abc", "12"]


def test_signed_exponents_parse() -> None:
    # "7.01e+18" in a number column (an ID mangled by Excel, or a huge count) must not crash
    r = parse_number(pd.Series(["7.01e+18", "1e+3", "2E-2"]))
    assert r.values.tolist() == [7.01e18, 1000.0, 0.02]
    assert not r.invalid.any()
