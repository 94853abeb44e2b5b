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
