"""The one table formatter: every value a person can check by eye."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

from fact_toolkit import format_table
from fact_toolkit.formatting import column_label, column_unit, compact_number, format_value
from fact_toolkit.metrics import METRICS

matplotlib.use("Agg")


@pytest.mark.parametrize(("value", "unit", "lang", "text"), [
    (16691200.0, "money", "zh", "1,669万"),     # the what-if GMV the issue saw as 1.669120e+07
    (16691200.0, "money", "en", "16.69M"),
    (123456789.0, "money", "zh", "1.235亿"),
    (9999.0, "money", "zh", "9,999"),           # below 10,000: separators, no unit
    (10000.0, "money", "zh", "1万"),
    (85.25, "money", "en", "85.25"),
    (0.07629, "rate", "zh", "7.6%"),            # a share
    (0.004, "rate", "zh", "0.40%"),
    (-0.762, "change", "zh", "-76.2%"),         # a growth
    (0.123, "change", "en", "+12.3%"),
    (0.0, "change", "en", "0.0%"),
    (10.558214, "change_pct", "zh", "+10.6%"),  # already in percent
    (8.0, "rank", "zh", "8"),                   # a rank computed as float
    (3537, "count", "en", "3,537"),
    (60271482.0, "count", "zh", "6,027万"),
    (True, "bool", "zh", "✓"),
    (False, "bool", "zh", ""),
    (np.bool_(True), "bool", "en", "✓"),
    (float("nan"), "money", "zh", "–"),
    (None, "rate", "zh", "–"),
    (pd.NA, "text", "zh", "–"),
    (float("nan"), "bool", "zh", ""),
    (14.791316, "ratio", "zh", "14.79"),        # ROI
    (1.5e-7, "number", "zh", "0.00000015"),     # never an exponent
    (pd.Timestamp("2026-11-01"), "month", "zh", "2026-11"),
    ("best", "text", "zh", "最佳"),
    ("product_ctr", "text", "en", "product exposure→click"),
    ("栖木官方旗舰店", "text", "en", "栖木官方旗舰店"),  # names from the data stay
])
def test_format_value(value, unit, lang, text):
    assert format_value(value, unit, lang) == text


def test_compact_number_is_shared_with_the_charts():
    from fact_toolkit.plotting._style import compact_number as chart_number

    assert chart_number is compact_number
    assert compact_number(123456789, "zh", grouping=True) == "1.235亿"
    assert compact_number(-16691200, "zh", grouping=True) == "-1,669万"


def test_every_metric_has_a_unit():
    assert {m.name: m.unit for m in METRICS.values() if m.name in ("gmv", "views", "gpm", "roi", "refund_rate",
                                                                   "aov", "avg_watch_sec")} == {
        "gmv": "money", "views": "count", "gpm": "money", "roi": "ratio", "refund_rate": "rate", "aov": "money",
        "avg_watch_sec": "seconds"}
    assert all(m.unit for m in METRICS.values())


def test_labels_come_from_the_registry_schema_and_vocabulary():
    assert column_label("net_gmv", "zh") == "净成交金额" and column_label("net_gmv", "en") == "Net GMV"
    assert column_label("view_pv", "zh") == "观看次数"          # a schema column
    assert column_label("rank_gpm", "en") == "GPM rank"          # a derived column
    assert column_label("gmv_change_pct", "zh") == "GMV 变化"
    assert column_label("brand_new_thing", "en") == "Brand new thing"  # never a bare code identifier
    assert column_unit("gmv_change_pct") == "change_pct" and column_unit("gpm") == "money"


def test_format_table_reads_like_a_report():
    df = pd.DataFrame({"currency": ["CNY", "CNY", "CNY"], "account_name": ["a", "b", "c"],
                       "gmv": [16691200.0, 5300.0, np.nan], "share": [0.07629, 0.5, 0.42371],
                       "growth": [-0.762, 0.1, np.nan], "rank_gpm": [8.0, 1.0, 2.0],
                       "disagree": [True, False, True]})
    styler = format_table(df, lang="zh")
    text = styler.data
    assert list(text.columns) == ["账号", "成交金额", "占比", "环比增长", "GPM 排名", "排名分歧"]  # no currency column
    assert text.to_dict("list") == {
        "账号": ["a", "b", "c"], "成交金额": ["1,669万", "5,300", "–"], "占比": ["7.6%", "50.0%", "42.4%"],
        "环比增长": ["-76.2%", "+10.0%", "–"], "GPM 排名": ["8", "1", "2"], "排名分歧": ["✓", "", "✓"]}
    html = styler.to_html()
    assert "金额单位：CNY" in html                      # the currency, once
    assert "#c92a2a" in html and "#2b8a3e" in html  # a fall in red, a rise in green
    assert "<th" in html and ">0<" not in html           # no positional index
    assert "class=\"ft-table\"" in html


def test_format_table_keeps_a_meaningful_index_and_cuts_long_tables():
    df = pd.DataFrame({"gpm": np.arange(30, dtype=float) * 10},
                      index=pd.Index([f"acc{i}" for i in range(30)], name="account_name"))
    styler = format_table(df, lang="en", max_rows=5)
    assert list(styler.data.columns) == ["Account", "GMV per 1K views (GPM)"]
    assert styler.data["Account"].tolist() == ["acc0", "acc1", "acc2", "acc3", "acc4"]
    assert "first 5 of 30 rows" in styler.to_html()
    # an unnamed integer index that is not 0..n (rows kept after a filter) is still positional
    kept = pd.DataFrame({"gmv": [1.0, 2.0]}, index=[9, 14])
    assert list(format_table(kept, lang="en").data.columns) == ["GMV"]


def test_charts_use_business_units_without_offset():
    import matplotlib.pyplot as plt
    import seaborn as sns

    from fact_toolkit.plotting._style import business_axis, compact_legend, setup_fonts

    setup_fonts()
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1.2e7, 1.5e7, 1.8e7])
    business_axis(ax, "y", "money", "zh")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "1500万" in labels and ax.yaxis.get_offset_text().get_text() == ""
    business_axis(ax, "y", "rate", "en")
    assert ax.yaxis.get_major_formatter()(0.25) == "25%"
    plt.close(fig)

    fig, ax = plt.subplots()
    d = pd.DataFrame({"x": [1, 2, 3, 4], "y": [1, 2, 3, 4], "paid_amount": [6e6, 1.2e7, 1.8e7, 2.4e7]})
    sns.scatterplot(data=d, x="x", y="y", size="paid_amount", ax=ax, legend="brief")
    legend = compact_legend(ax.get_legend(), "zh")
    texts = [legend.get_title().get_text(), *(t.get_text() for t in legend.get_texts())]
    assert "用户支付金额" in texts and any(t.endswith("万") or t.endswith("亿") for t in texts)
    assert not any(t.replace(".", "").isdigit() and len(t) > 5 for t in texts)
    plt.close(fig)


def test_a_section_renders_through_the_formatter():
    from fact_toolkit.diagnosis._base import Section

    sec = Section("contribution", "1 GMV 来源", "F 最大。其次是 A。", pd.DataFrame({"gmv": [1.2e7]}),
                  currency="CNY", stake=1.2e7)
    html = sec._repr_html_()
    assert "1,200万" in html and 'id="sec-contribution"' in html and "金额单位：CNY" in html
    _, meta = sec._repr_mimebundle_()
    assert meta["fact_toolkit_finding"] == {"text": "F 最大。", "stake": 1.2e7, "anchor": "sec-contribution"}
    assert math.isnan(Section("x", "t", "text").stake) and Section("x", "t", "text")._repr_mimebundle_()[1] == {}
