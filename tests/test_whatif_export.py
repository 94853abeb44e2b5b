"""Formula neutralisation of exported tables."""

from __future__ import annotations

import openpyxl
import pandas as pd

from fact_toolkit.export import neutralise_formulas, neutralise_text, write_csv, write_xlsx


def test_text_cells_that_look_like_formulas_get_an_apostrophe():
    for bad in ("=1+1", "+86 138", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_text(bad) == "'" + bad
    for ok in ("Coco", "小美", "", "1=1", 5, -3.5, None):
        assert neutralise_text(ok) == ok


def test_numbers_stay_numbers_and_headers_are_neutralised(tmp_path):
    df = pd.DataFrame({"达人": pd.array(["=cmd|' /C calc'!A0", "阿杰"], dtype="string"), "change": [-0.05, 0.1],
                       "=bad": [1, 2]})
    out = neutralise_formulas(df)
    assert list(out.columns) == ["达人", "change", "'=bad"]
    assert out["达人"].tolist() == ["'=cmd|' /C calc'!A0", "阿杰"]
    assert out["change"].tolist() == [-0.05, 0.1] and out["change"].dtype == "float64"
    assert df["达人"].iloc[0].startswith("=")  # the input is not modified
    ws = openpyxl.load_workbook(write_xlsx(df, tmp_path / "t.xlsx")).active
    assert [c.value for c in ws[2]] == ["'=cmd|' /C calc'!A0", -0.05, 1]
    assert write_csv(df, tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[1] == \
        "'=cmd|' /C calc'!A0,-0.05,1"


def test_categorical_columns_and_the_index_are_neutralised_numbers_stay_numbers(tmp_path):
    df = pd.DataFrame(
        {"达人": pd.Categorical(['=HYPERLINK("http://x","点我")', "阿杰", '=HYPERLINK("http://x","点我")']),
         "tier": pd.Categorical([-1, 2, -1]),                     # a categorical of numbers
         "gmv": [-5.0, 10.0, 1.5]},
        index=pd.CategoricalIndex(["=cmd|' /C calc'!A0", "@SUM(A1)", "ok"], name="account"))
    out = neutralise_formulas(df)
    assert list(out.columns) == ["account", "达人", "tier", "gmv"]
    assert out["account"].tolist() == ["'=cmd|' /C calc'!A0", "'@SUM(A1)", "ok"]
    link = '=HYPERLINK("http://x","点我")'
    assert out["达人"].tolist() == ["'" + link, "阿杰", "'" + link]
    assert out["tier"].tolist() == [-1, 2, -1] and out["gmv"].dtype == "float64"
    # an unnamed text index (not a RangeIndex) is exported too, as column "index"
    plain = neutralise_formulas(pd.DataFrame({"v": [1, 2]}, index=pd.Index(["-1+1", "b"])))
    assert plain["index"].tolist() == ["'-1+1", "b"] and plain["v"].tolist() == [1, 2]
    ws = openpyxl.load_workbook(write_xlsx(df, tmp_path / "c.xlsx")).active
    assert [c.value for c in ws[2]] == ["'=cmd|' /C calc'!A0", '\'=HYPERLINK("http://x","点我")', -1, -5.0]
    assert write_csv(df, tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()[2] == \
        "'@SUM(A1),阿杰,2,10.0"
