"""The registry's ratio helpers, and the rule that no module writes a metric's scale by hand.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import ast
import io
import math
import tokenize
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fact_toolkit
from fact_toolkit.metrics import EXTRA_METRICS, METRICS, compute, numerator_of, ratio, ratio_of_sums, summarize

PACKAGE = Path(fact_toolkit.__file__).parent

# --- ratio -------------------------------------------------------------------------------


def test_ratio_of_two_sums_uses_the_metric_scale() -> None:
    # (100 + 900) paid over (1,000 + 3,000) views, per 1,000 views: 1000 / 4000 * 1000 = 250
    assert ratio("gpm", 100.0 + 900.0, 1_000.0 + 3_000.0) == 250.0
    # ROI has scale 1: 300 / 100 = 3
    assert ratio("roi", 300.0, 100.0) == 3.0
    # CPM: 400 yuan of spend over 40,000 impressions, per 1,000: 400 / 40000 * 1000 = 10
    assert ratio("cpm", 400.0, 40_000.0) == 10.0


def test_ratio_row_wise_gives_nan_for_zero_or_missing_denominators() -> None:
    got = ratio("gpm", np.array([100.0, 50.0, 7.0, np.nan]), np.array([1_000.0, 0.0, np.nan, 500.0]))
    # 100 / 1000 * 1000 = 100; zero views; missing views; missing paid amount
    assert got[0] == 100.0
    assert np.isnan(got[1:]).all()


def test_ratio_keeps_a_series_index_and_aligns_the_denominator() -> None:
    paid = pd.Series([300.0, 80.0], index=["F", "A"])
    views = pd.Series([2_000.0, 1_000.0], index=["A", "F"])  # other order: aligned by label
    got = ratio("gpm", paid, views)
    # F: 300 / 1000 * 1000 = 300; A: 80 / 2000 * 1000 = 40
    assert got.to_dict() == {"F": 300.0, "A": 40.0}


def test_ratio_reads_nullable_columns() -> None:
    got = ratio("aov", pd.Series([500.0, 20.0], dtype="Float64"), pd.Series([4, pd.NA], dtype="Int64"))
    assert got.iloc[0] == 125.0  # 500 / 4
    assert math.isnan(got.iloc[1])


def test_ratio_refuses_additive_and_unknown_metrics() -> None:
    with pytest.raises(ValueError, match="additive"):
        ratio("gmv", 1.0, 1.0)
    with pytest.raises(KeyError, match="unknown metric"):
        ratio("gpm_per_viewer", 1.0, 1.0)


def test_ratio_of_sums_pairs_rows_and_is_not_a_mean_of_ratios() -> None:
    paid = [100.0, 900.0, 50.0]
    views = [1_000.0, 3_000.0, np.nan]  # the third row has no views: it does not count
    # (100 + 900) / (1000 + 3000) * 1000 = 250; the mean of the row GPMs would be (100 + 300) / 2 = 200
    assert ratio_of_sums("gpm", paid, views) == 250.0
    assert math.isnan(ratio_of_sums("gpm", [100.0], [0.0]))
    assert math.isnan(ratio_of_sums("gpm", [np.nan], [1_000.0]))
    with pytest.raises(ValueError, match="length"):
        ratio_of_sums("gpm", [1.0, 2.0], [1.0])


def test_ratio_of_sums_equals_the_registry_compute() -> None:
    t = pd.DataFrame({"paid_amount": [100.0, 900.0, 50.0], "view_pv": [1_000.0, 3_000.0, np.nan]})
    assert ratio_of_sums("gpm", t["paid_amount"], t["view_pv"]) == compute(t, "gpm") == 250.0


def test_ratio_of_group_sums_equals_summarize() -> None:
    t = pd.DataFrame({"fact_channel": ["F", "F", "A"], "gmv": [100.0, 900.0, 1_000.0],
                      "view_pv": [1_000, 2_000, 4_000]})
    sums = t.groupby("fact_channel")[["gmv", "view_pv"]].sum()
    by_hand = ratio("gpm", sums["gmv"], sums["view_pv"])
    # A: 1000 / 4000 * 1000 = 250; F: 1000 / 3000 * 1000 = 333.33…
    assert by_hand["A"] == 250.0
    assert by_hand["F"] == pytest.approx(1_000 / 3)
    pd.testing.assert_series_equal(by_hand, summarize(t, by="fact_channel", metrics=["gpm"])["gpm"],
                                   check_names=False)


def test_numerator_of_inverts_ratio() -> None:
    assert numerator_of("gpm", 250.0, 4_000.0) == 1_000.0  # 250 per 1K views over 4,000 views
    assert numerator_of("cpm", 10.0, 40_000.0) == 400.0  # 10 per 1K impressions over 40,000
    assert numerator_of("roi", 3.0, 100.0) == 300.0


def test_extra_metrics_are_not_listed_by_default_but_compute_by_name() -> None:
    assert not set(EXTRA_METRICS) & set(METRICS)
    t = pd.DataFrame({"new_followers": [10, 30], "view_pv": [1_000, 3_000]})
    assert "followers_per_1k_views" not in summarize(t).columns
    assert compute(t, "followers_per_1k_views") == 10.0  # 40 / 4000 * 1000


# --- no metric scale written by hand outside the registry ---------------------------------

#: modules allowed to multiply or divide by 1000: the registry itself; the sentences'
#: compact numbers (``x / 1e3`` K, inside f-strings, which Python 3.12 tokenizes); and the
#: sample simulator, which writes the platform's own reported figures into synthetic exports
#: (it sits below the metrics layer, so it cannot import the registry). Number formatting
#: (formatting.py) and parsing (io/parse.py) need no entry today: they scale by tables.
ALLOWED = ("metrics.py", "diagnosis/narrative.py", "sample/")


def per_mille_uses(source: str) -> list[int]:
    """Lines where the code (not a string or comment) multiplies or divides by the number 1000."""
    toks = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    lines = []
    for i, t in enumerate(toks):
        if t.type != tokenize.NUMBER or t.string.lower().endswith("j"):
            continue
        if ast.literal_eval(t.string) != 1000:
            continue
        around = {toks[j].string for j in (i - 1, i + 1) if 0 <= j < len(toks) and toks[j].type == tokenize.OP}
        if around & {"*", "/", "*=", "/="}:
            lines.append(t.start[0])
    return lines


def test_the_scan_finds_a_hand_written_gpm() -> None:
    assert per_mille_uses("gpm = paid / views * 1000\n") == [1]
    assert per_mille_uses("x = (a - b) * views / 1e3\ny = 1000 * a\n") == [1, 2]
    assert per_mille_uses('s = "paid / views * 1000"  # * 1000\nn = 10000 * 2\nk = {1000: "K"}\n') == []


def test_no_metric_scale_outside_the_registry() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ALLOWED or any(rel.startswith(a) for a in ALLOWED if a.endswith("/")):
            continue
        found += [f"fact_toolkit/{rel}:{n}" for n in per_mille_uses(path.read_text(encoding="utf-8"))]
    assert not found, ("a metric's × 1000 written by hand (use fact_toolkit.metrics.ratio / ratio_of_sums / "
                       "numerator_of, which take the scale from the registry): " + ", ".join(found))
