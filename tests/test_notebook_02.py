"""Notebook 02 runs top to bottom under papermill with non-default parameters, and is stored clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from fact_toolkit.errors import FactInputError
from fact_toolkit.models.notebook import check_params

NB = Path(__file__).resolve().parents[1] / "notebooks" / "02_gpm_trends.ipynb"


def test_stored_without_outputs() -> None:
    nb = nbformat.read(NB, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_parameters_are_checked() -> None:
    with pytest.raises(FactInputError, match="horizon"):
        check_params("data/sample", horizon=0)
    with pytest.raises(FactInputError, match="lang"):
        check_params("data/sample", lang="fr")
    with pytest.raises(FactInputError, match="data_path"):
        check_params("no/such/folder")
    p = check_params("data/sample", channel=None, account="qimu_hz_channel")
    assert (p.by, p.group) == ("account_id", "qimu_hz_channel")


@pytest.mark.slow
def test_runs_with_non_default_parameters(tmp_path) -> None:
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NB), str(out), cwd=str(NB.parent), progress_bar=False,
                        parameters={"account": "qimu_hz_channel", "horizon": 14, "lang": "en",
                                    "start": "2025-06-01", "end": "2026-10-31"})
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/markdown", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "qimu_hz_channel: 518 days, 2025-06-01 – 2026-10-31" in text
    assert "Placebo p=" in text and "backtest MASE" in text
