"""The what-if panel without a browser: set widget values, check chart, table and headline."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from fact_toolkit import whatif as w
from fact_toolkit.widgets import WhatIfPanel

from .test_whatif import panel as hand_panel


@pytest.fixture
def base() -> pd.DataFrame:
    return w.baseline(hand_panel(), weeks=1)


def gmv_shown(p: WhatIfPanel) -> float:
    v = p.kpi.value
    return float(v.split("data-value='")[1].split("'")[0])


def png(p: WhatIfPanel) -> str:
    return p.chart.outputs[0]["data"]["image/png"]


def test_moving_a_slider_updates_headline_table_and_chart(base):
    p = WhatIfPanel(base, horizon_weeks=4, elasticity=0.0, assumptions=w.Assumptions(dilution=0.0), lang="en")
    assert gmv_shown(p) == pytest.approx(4 * (1100 + 600))
    table0, chart0, renders0 = p.table.value, png(p), p.renders
    p.sliders["cvr"].value = 1.5  # all channels: GMV × 1.5
    assert p.renders == renders0 + 1
    assert gmv_shown(p) == pytest.approx(4 * (1100 + 600) * 1.5)
    # GMV over 4 weeks: F 4 × 1100 × 1.5 = 6,600; S 4 × 600 × 1.5 = 3,600; total 10,200
    assert p.table.value != table0
    # 4 weeks × 1,100 × 1.5, 4 × 600 × 1.5 and their sum, through the one formatter (10,200 → 10.2K in English)
    assert all(x in p.table.value for x in ("<td>6,600</td>", "<td>3,600</td>", "<td>10.2K</td>"))
    assert png(p) != chart0
    lines = p.figure.axes[0].get_lines()
    assert max(max(line.get_ydata()) for line in lines if len(line.get_ydata())) == pytest.approx(1700 * 1.5)


def test_channel_levers_and_chart_follow_the_dropdown(base):
    p = WhatIfPanel(base, horizon_weeks=2, elasticity=0.0, assumptions=w.Assumptions(dilution=0.0))
    p.channel.value = "F"
    p.sliders["ctr"].value = 2.0
    assert p.levers["F"].ctr == 2.0 and p.levers["S"].ctr == 1.0
    assert gmv_shown(p) == pytest.approx(2 * 1100 * 2)  # the headline follows the chosen channel
    p.channel.value = "S"
    assert p.sliders["ctr"].value == 1.0  # sliders show S's own levers
    assert "F" not in p.figure.axes[0].get_title() and "S" in p.figure.axes[0].get_title()


def test_sliders_clamp_and_engine_errors_show_in_the_panel(base):
    p = WhatIfPanel(base, elasticity=0.0)
    p.sliders["price"].value = 9.0
    assert p.sliders["price"].value == w.LEVER_RANGES["price"][1]
    d = hand_panel()
    d.loc[d.fact_channel.eq("F"), "buyers"] = pd.array([24, 36], dtype="Int64")  # CVR 60 %
    p = WhatIfPanel(w.baseline(d, weeks=1), elasticity=0.0)
    good = gmv_shown(p)
    p.sliders["cvr"].value = 2.0
    assert "cvr would be 120.0%" in p.status.value and "Cannot compute" not in p.status.value
    assert "无法计算" in p.status.value
    assert gmv_shown(p) == good  # the last good scenario stays on screen
    p.sliders["cvr"].value = 1.5
    assert p.status.value == ""


def test_presets_and_reset(base):
    p = WhatIfPanel(base, elasticity=0.3)
    g0 = gmv_shown(p)
    p.preset_buttons["price_minus_5"].click()
    assert p.sliders["price"].value == 0.95 and all(lv.price == 0.95 for lv in p.levers.values())
    assert gmv_shown(p) != g0
    p.preset_buttons["content_power_plus_10"].click()
    assert p.sliders["view_rate"].value == pytest.approx(1.1) and p.sliders["price"].value == 1.0
    p.reset_button.click()
    assert all(lv == w.Levers() for lv in p.levers.values())
    assert gmv_shown(p) == pytest.approx(g0)


def test_unavailable_channels_are_named_not_zero(base):
    p = WhatIfPanel(base)
    assert [v for _, v in p.channel.options] == ["all", "F", "S"]
    assert "A: no rows for this channel in the data" in p.notes.value
    with pytest.raises(w.FactInputError, match="'T' has no baseline data"):
        WhatIfPanel(base, channel="T")


def test_model_elasticities_are_shown_not_a_slider(base):
    el = pd.DataFrame({"elasticity": [0.5, 0.1, 0.2, 0.0, 0.3]}, index=list(w.CHANNELS))
    p = WhatIfPanel(base, elasticity=el, lang="en")
    assert "elasticity" not in p.sliders and "F 0.50" in p.notes.value
    assert p.scenario.elasticity["F"] == 0.5


def test_export_neutralises_formulas_and_keeps_numbers(base, tmp_path):
    b = base.rename(index={"F": "=HYPERLINK(\"x\")"})
    p = WhatIfPanel(b, elasticity=0.0, export_dir=tmp_path)
    p.sliders["cvr"].value = 0.9
    csv = p.export("csv")
    assert csv is not None and csv.parent == tmp_path and "Saved" not in p.status.value
    text = csv.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    back = pd.read_csv(csv)
    assert pd.api.types.is_float_dtype(back["change_pct"]) and (back["change_pct"].dropna() < 0).any()
    xlsx = p.export("xlsx", tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in cells
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert any(isinstance(v, float) and v < 0 for v in cells)


def test_notebook_helpers_panel_from_inputs_and_static_figure(base):
    from types import SimpleNamespace

    from fact_toolkit.plotting.whatif import whatif_static_figure

    params = {"horizon_weeks": 3, "channel": "F", "lang": "en"}
    user = SimpleNamespace(base=base, params=params, panel_elasticity=0.2, assumptions=w.Assumptions(),
                           elasticities=w.resolve_elasticity("user", 0.2))
    p = WhatIfPanel.from_inputs(user)
    assert p.sliders["elasticity"].value == 0.2 and p.sliders["horizon"].value == 3
    model = SimpleNamespace(**{**vars(user), "panel_elasticity": user.elasticities})
    assert "elasticity" not in WhatIfPanel.from_inputs(model).sliders  # shown, not a slider
    fig = whatif_static_figure(w.static_scenario(user), channel="F", lang="en")
    assert len(fig.axes) == 2 and all(ax.has_data() for ax in fig.axes)
    import matplotlib.pyplot as plt

    plt.close(fig)
