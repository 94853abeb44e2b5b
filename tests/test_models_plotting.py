"""Trend plots return their Axes with bilingual labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from fact_toolkit.models import daily_series, fit_snowball, forecast_metric, regime_changes  # noqa: E402
from fact_toolkit.plotting import trends as tp  # noqa: E402
from fact_toolkit.sample import simulate_account  # noqa: E402


@pytest.fixture(scope="module")
def series():
    return daily_series(simulate_account(21, days=240), by=None)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_series_and_regimes(series) -> None:
    ax = tp.plot_series(series, "gpm", lang="en")
    assert ax.get_xlabel() == "date" and "GPM" in ax.get_title()
    assert tp.plot_series(series, "views", lang="zh").get_ylabel() == "观看次数"
    ax = tp.plot_regimes(series, regime_changes(series), lang="en")
    assert ax.get_title() == "GPM level shifts"


def test_forecast_and_snowball(series) -> None:
    r = forecast_metric(series, "gpm", horizon=7, models=("seasonal_naive",), folds=2)
    ax = tp.plot_forecast(r, lang="en")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "forecast (seasonal_naive)" in labels
    table = __import__("pandas").DataFrame([fit_snowball(series, group="g", var=True).as_row()])
    ax = tp.plot_snowball(table, lang="zh")
    assert ax.get_title().startswith("雪球效应")
