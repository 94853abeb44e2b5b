"""Notebook 02's helpers: parameters, missing numbers in words, horizon summaries."""

from __future__ import annotations

import math
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from fact_toolkit.errors import FactInputError
from fact_toolkit.models import notebook as nbk
from fact_toolkit.models.snowball import SnowballResult


def test_channel_c_is_rejected_at_the_parameters_check() -> None:
    with pytest.raises(FactInputError, match="channel: C .*overlay"):
        nbk.check_params("data/sample", channel="C")
    assert nbk.check_params("data/sample", channel="T").group == "T"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_missing_placebo_and_granger_are_explained_not_nan(lang) -> None:
    r = SnowballResult("F", 0.3, 0.1, 0.5, 0.01, math.nan, 200, "", True,
                       {"traffic": "view_pv", "var": {"granger_p_value": math.nan}})
    text = nbk.say_snowball(r, lang)
    assert "nan" not in text.lower()
    assert ("not available because" in text) if lang == "en" else ("不可用" in text)
    ok = SnowballResult("F", 0.3, 0.1, 0.5, 0.01, 0.4, 200, "", True,
                        {"traffic": "view_pv", "var": {"granger_p_value": 0.02}})
    assert "Placebo p=0.40" in nbk.say_snowball(ok, "en") and "Granger test p=0.020" in nbk.say_snowball(ok, "en")


def _fc(metric: str, values: list[float]) -> NS:
    return NS(metric=metric, horizon=len(values), messages=[],
              table=pd.DataFrame({"forecast": values, "lower": values, "upper": values}))


def test_horizon_gpm_is_a_ratio_of_sums_and_totals_say_what_they_are() -> None:
    # daily GMV 100 and 900 on 1,000 and 3,000 views: horizon GPM 1000/4000*1000 = 250,
    # while the median of the daily GPM forecasts (100, 300) would say 200
    res = {"gpm": _fc("gpm", [100.0, 300.0]), "views": _fc("views", [1000.0, 3000.0]),
           "gmv": _fc("gmv", [100.0, 900.0])}
    assert nbk.horizon_gpm(res) == (250.0, "")
    text = nbk.say_forecast(res["gpm"], "en", results=res, currency="CNY")
    assert "around 250 CNY per 1,000 views" in text and "Σ forecast GMV ÷ Σ forecast views" in text
    total = nbk.say_forecast(res["gmv"], "en", results=res, currency="CNY")
    assert "total about 1,000 CNY (the sum of daily median forecasts)" in total
    alone = nbk.say_forecast(res["gpm"], "en", results={"gpm": res["gpm"]}, currency="CNY")
    assert "not available because there is no gmv or views forecast" in alone


def test_structural_section_says_why_a_metric_cannot_be_fitted(monkeypatch) -> None:
    import IPython.display

    shown: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(getattr(obj, "data", str(obj))))
    s = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=5), "view_pv": [1000.0] * 5,
                      "paid_amount": [100.0] * 5, "gpm": [100.0] * 5, "campaign_id": pd.NA})
    from fact_toolkit.plotting.trends import structural_section

    structural_section(s, "en", metrics=("gpm",))
    assert len(shown) == 1 and shown[0].startswith("**gpm** — not available because")
