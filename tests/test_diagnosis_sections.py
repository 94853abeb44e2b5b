"""Parameter checks, every section on the sample, and graceful degradation on thin data."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import fact_toolkit as ft  # noqa: E402
from fact_toolkit import FactInputError  # noqa: E402
from fact_toolkit import diagnosis as dg  # noqa: E402
from fact_toolkit.plotting.diagnosis import plot_section  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sample_ds(sample_dir: Path) -> ft.Dataset:
    return ft.load(sample_dir)


@pytest.fixture(scope="module")
def inp(sample_ds: ft.Dataset, sample_dir: Path) -> dg.DiagnosisInput:
    return dg.check_params(str(sample_dir), brand="栖木", start="2025-01-01", end="2026-11-30",
                           benchmarks_path=str(sample_dir / "benchmarks.csv"), dataset=sample_ds)


@pytest.fixture(scope="module")
def one_live_file(sample_dir: Path) -> dg.DiagnosisInput:
    ds = ft.load(sample_dir / "罗盘_直播明细_自播.xlsx")
    return dg.check_params("one file", start="2025-01-01", end="2026-11-30", benchmarks_path="", lang="en",
                           dataset=ds)


def test_end_before_start_is_one_line(sample_ds: ft.Dataset) -> None:
    with pytest.raises(FactInputError) as err:
        dg.check_params("x", start="2025-06-01", end="2025-01-01", dataset=sample_ds)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("parameters start/end: end 2025-01-01 is before start 2025-06-01")


def test_range_without_data_names_the_covered_range(sample_ds: ft.Dataset) -> None:
    with pytest.raises(FactInputError, match=r"no data between 2030-01-01 and 2030-02-01.*2024-12-01 to 2026-11-30"):
        dg.check_params("x", start="2030-01-01", end="2030-02-01", dataset=sample_ds)


def test_benchmarks_with_unknown_metric(tmp_path: Path, sample_ds: ft.Dataset) -> None:
    bad = tmp_path / "bench.csv"
    bad.write_text("category,metric,p25,p50,p75\n女装,gpm,1,2,3\n女装,happiness,1,2,3\n", encoding="utf-8")
    with pytest.raises(FactInputError, match=r"benchmarks_path .*unknown metric\(s\) happiness"):
        dg.check_params("x", benchmarks_path=str(bad), dataset=sample_ds)


@pytest.mark.parametrize(("kw", "pattern"), [
    ({"lang": "fr"}, "parameter lang"), ({"start": "soon"}, "parameter start"),
    ({"top_kol_rule": "big ones"}, "parameter top_kol_rule"),
    ({"benchmarks_path": "nowhere.csv"}, "benchmarks_path .*file not found"),
])
def test_other_bad_parameters(kw: dict, pattern: str, sample_ds: ft.Dataset) -> None:
    with pytest.raises(FactInputError, match=pattern):
        dg.check_params("x", dataset=sample_ds, **kw)


def test_missing_data_path() -> None:
    with pytest.raises(FactInputError, match="data_path"):
        dg.check_params("no/such/folder")


def test_params_limit_range_and_apply_rule(inp: dg.DiagnosisInput, sample_ds: ft.Dataset) -> None:
    c = inp.content
    assert c["date"].min() >= inp.start and c["date"].max() <= inp.end
    assert inp.currency == "CNY" and inp.category == "女装"
    assert set(inp.benchmarks["metric"]) >= {"gpm", "click_order_rate"}
    # 6 KOLs ≥ 6M followers are T under followers>=5000000; a list rule moves only the one listed
    assert c.loc[c["fact_channel"] == "T", "account_id"].nunique() == 6
    one = dg.check_params("x", top_kol_rule="list:coco_fashion", start="2025-01-01", end="2026-11-30",
                          dataset=sample_ds)
    assert set(one.content.loc[one.content["fact_channel"] == "T", "account_id"]) == {"coco_fashion"}


def test_every_section_on_the_sample(inp: dg.DiagnosisInput) -> None:
    for lang in ("zh", "en"):
        inp.lang = lang
        for sec in dg.all_sections(inp):
            assert sec.available, (sec.key, sec.text)
            assert sec.text and "nan" not in sec.text.lower()
            assert bool(CJK.search(sec.title)) == (lang == "zh") or sec.key == "params"
            if lang == "en":
                continue
            ax = plot_section(sec)
            if sec.key != "params":
                assert ax is not None, sec.key
                plt.close(ax.figure)
    inp.lang = "zh"


def test_findings_come_from_the_numbers(inp: dg.DiagnosisInput) -> None:
    inp.lang = "en"
    sec = dg.section_contribution(inp)
    c = sec.data["plot"]
    cny = c[c["currency"] == "CNY"].groupby("fact_channel")["gmv"].sum()
    top = cny.idxmax()
    share = cny.max() / cny.sum()
    assert f"with {share * 100:.0f}%" in sec.text and {"F": "self-broadcast (F)"}.get(top, top) in sec.text
    assert "USD" in sec.text  # the TikTok shop is mentioned apart, not added
    cap = dg.section_capabilities(inp)
    rec = cap.data["recommendation"]
    assert rec["lever_en"].iloc[0] in cap.text
    inp.lang = "zh"


def test_one_live_file_degrades(one_live_file: dg.DiagnosisInput) -> None:
    secs = {s.key: s for s in dg.all_sections(one_live_file)}
    for key in ("talents", "halo", "forms", "labels"):
        assert not secs[key].available
        assert secs[key].text.startswith("Not available because"), secs[key].text
        assert plot_section(secs[key]) is None
    assert "no top-KOL (T)" in secs["halo"].text and "tags" in secs["labels"].text
    for key in ("contribution", "gpm_roi", "funnel", "sessions", "campaigns", "crowd", "capabilities"):
        assert secs[key].available, (key, secs[key].text)
    assert "own history only" in secs["funnel"].text
    m = secs["capabilities"].table
    assert set(m.loc[m["score"].notna(), "basis"]) == {"own history"}


def test_chinese_figure_renders(tmp_path: Path, inp: dg.DiagnosisInput) -> None:
    inp.lang = "zh"
    ax = plot_section(dg.section_funnel(inp))
    out = tmp_path / "funnel.png"
    ax.figure.savefig(out, dpi=60)
    texts = [ax.get_title(), ax.get_ylabel(), *[t.get_text() for t in ax.get_xticklabels()],
             *[t.get_text() for t in ax.get_legend().get_texts()]]
    assert out.stat().st_size > 10_000
    assert CJK.search(ax.get_title()) and sum(bool(CJK.search(t)) for t in texts) >= 6
    from matplotlib.font_manager import findfont, FontProperties

    font = findfont(FontProperties(family=matplotlib.rcParams["font.sans-serif"][0]))
    assert "DejaVu" not in font  # a CJK font was put first
    plt.close(ax.figure)


def test_end_mid_month_compares_complete_months(sample_ds: ft.Dataset, sample_dir: Path) -> None:
    # the range ends on 3 Nov: November holds 3 of 30 days and is left out of every comparison
    mid = dg.check_params(str(sample_dir), start="2025-01-01", end="2026-11-03", lang="en",
                          benchmarks_path=str(sample_dir / "benchmarks.csv"), dataset=sample_ds)
    note = "2026-11 is partial (3 of 30 days)"
    for sec in (dg.section_contribution(mid), dg.section_gpm_roi(mid), dg.section_funnel(mid),
                dg.section_talents(mid), dg.section_crowd(mid)):
        assert note in sec.text, (sec.key, sec.text)
    assert dg.section_funnel(mid).table.attrs["month"] == "2026-10"
    assert "In 2026-10" in dg.section_contribution(mid).text


def test_benchmarks_may_name_capability_metrics(tmp_path: Path, sample_ds: ft.Dataset) -> None:
    ok = tmp_path / "bench.csv"
    ok.write_text("category,metric,p25,p50,p75\n女装,gpm,400,680,1050\n女装,completion_rate,0.1,0.2,0.3\n",
                  encoding="utf-8")
    got = dg.check_params("x", benchmarks_path=str(ok), dataset=sample_ds)
    m = dg.section_capabilities(got).table.set_index("metric")
    assert m.loc["completion_rate", "basis"] == "peer" and m.loc["gpm", "basis"] == "peer"


def test_roi_is_labelled_after_commission(inp: dg.DiagnosisInput) -> None:
    for lang, label in (("en", "ROI after commission"), ("zh", "扣佣ROI")):
        inp.lang = lang
        sec = dg.section_gpm_roi(inp)
        assert label in sec.table.columns and "roi" not in sec.table.columns
        assert label in sec.text or label in sec.title
    inp.lang = "zh"


def test_session_dots_have_the_same_jitter_on_every_render() -> None:
    import numpy as np
    import pandas as pd

    from fact_toolkit.plotting.diagnosis import plot_session_gpm

    review = pd.DataFrame({"account_name": ["a"] * 4 + ["b"] * 2, "gpm": [10.0, 20.0, 30.0, 40.0, 5.0, 6.0]})
    before = np.random.get_state()[1].copy()
    offsets = []
    for _ in range(2):
        ax = plot_session_gpm(review)
        offsets.append(np.vstack([c.get_offsets() for c in ax.collections]))
        plt.close(ax.figure)
    assert offsets[0].shape == (6, 2)
    np.testing.assert_array_equal(offsets[0], offsets[1])  # a rerun draws the same picture
    assert sorted(offsets[0][:, 0]) == [5.0, 6.0, 10.0, 20.0, 30.0, 40.0]  # x is the GPM itself
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # global random state untouched


@pytest.mark.parametrize(("lang", "unit"), [("zh", "万"), ("en", "K")])
def test_log_axes_label_ticks_as_plain_compact_numbers(inp: dg.DiagnosisInput, lang: str, unit: str) -> None:
    inp.lang = lang
    ax = plot_section(dg.section_opportunities(inp))  # exposure (x) and GPM (y), both on log scales
    ax.figure.canvas.draw()
    assert ax.get_xscale() == ax.get_yscale() == "log"
    labels = [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels()) if t.get_text()]
    assert labels and not any("$" in t for t in labels)  # no mathtext 10^k
    assert any(t.endswith(unit) for t in labels)  # exposure runs to tens of thousands
    assert "100" in labels  # GPM ticks as plain numbers
    plt.close(ax.figure)
