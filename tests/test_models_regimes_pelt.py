"""The fast PELT in models.regimes finds exactly the breakpoints ruptures finds."""

from __future__ import annotations

import numpy as np
import pytest

from fact_toolkit.models.regimes import pelt_l2

rpt = pytest.importorskip("ruptures")


@pytest.mark.parametrize("seed", range(6))
def test_pelt_l2_matches_ruptures(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # three level shifts, rounded so ties happen
    x = np.concatenate([rng.normal(m, 1.0, n) for m, n in ((0, 80), (3, 60), (1, 90), (4, 40))]).round(1)
    pen = 10 * np.log(len(x)) * x.var()
    for m in (2, 7):
        expected = rpt.Pelt(model="l2", min_size=m, jump=1).fit(x.reshape(-1, 1)).predict(pen)
        assert list(pelt_l2(x, pen, min_size=m)) == list(expected)


@pytest.mark.parametrize("seed", range(4))
def test_pelt_l2_matches_ruptures_on_exact_ties(seed: int) -> None:
    # integer plateaus and repeated blocks: many starts cost exactly the same, so the exact
    # (ruptures-arithmetic) branch decides ties and pruning; it scores only the close starts
    rng = np.random.default_rng(100 + seed)
    x = np.repeat(rng.integers(0, 3, 40), 7).astype(float)
    for pen in (0.5, 2.0, 10 * np.log(len(x)) * max(x.var(), 0.01)):
        for m in (2, 5, 14):
            expected = rpt.Pelt(model="l2", min_size=m, jump=1).fit(x.reshape(-1, 1)).predict(pen)
            assert list(pelt_l2(x, pen, min_size=m)) == list(expected)
