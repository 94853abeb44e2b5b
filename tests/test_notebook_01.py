"""notebooks/01_channel_diagnosis.ipynb: stored clean, runs under papermill with other parameters."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks" / "01_channel_diagnosis.ipynb"


def _papermill(tmp_path: Path, **params: str):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NB), str(out), parameters=params, cwd=str(ROOT / "notebooks"), progress_bar=False,
                        kernel_name="python3")
    return nbformat.read(out, as_version=4)


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            parts.append(str(data.get("text/markdown", "")) + str(data.get("text/html", "")) + o.get("text", ""))
    return "\n".join(parts)


def test_notebook_is_stored_clean() -> None:
    nb = nbformat.read(NB, as_version=4)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                         "language": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    first = code[0]
    assert first.metadata.get("tags") == ["parameters"]
    names = [line.split("=")[0].strip() for line in first.source.splitlines() if line.strip()]
    assert names == ["data_path", "brand", "start", "end", "benchmarks_path", "top_kol_rule", "lang", "plan_weeks"]
    assert "check_params" in code[1].source
    # thin: no section cell holds more than three lines
    assert max(len(c.source.splitlines()) for c in code[2:]) <= 3


@pytest.mark.slow
def test_papermill_other_seed_range_and_language(tmp_path: Path) -> None:
    from fact_toolkit.sample import write_sample

    data = tmp_path / "seed7"
    write_sample(data, seed=7, days=400)
    nb = _papermill(tmp_path, data_path=str(data), brand="Seed7", start="2025-03-01", end="2025-12-31",
                    benchmarks_path="", top_kol_rule="gmv>=2000000", lang="en")
    text = _text(nb)
    assert "Seed7: 2025-03-01 to 2025-12-31" in text
    assert "no peer benchmarks" in text and "Lever to push" in text
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    assert sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})) >= 10


def test_papermill_bad_parameters_stop_with_one_line(tmp_path: Path) -> None:
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        _papermill(tmp_path, start="2026-06-01", end="2026-01-01")
    assert err.value.ename == "FactInputError"
    assert err.value.evalue == ("parameters start/end: end 2026-01-01 is before start 2026-06-01. "
                                "swap them or pick a later end")
    assert err.value.exec_count == 1 or "check_params" in err.value.source

# `make test` runs every notebook under `pytest --nbval-lax notebooks/` after this suite.


@pytest.mark.slow
def test_papermill_on_a_tiktok_seller_center_folder(tmp_path: Path) -> None:
    """The five Seller Center downloads of one shop, as they come, without editing the notebook."""
    from fact_toolkit.sample import write_tiktok_shop

    data = tmp_path / "Toko Qimu ~ week 12"
    write_tiktok_shop(data)
    nb = _papermill(tmp_path, data_path=str(data), brand="Toko Qimu", start="2026-03-16", end="2026-03-22",
                    benchmarks_path="", top_kol_rule="followers:5000000", lang="en")
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    text = _text(nb)
    assert "channels A, F, S, main currency IDR" in text
    # 25M (LIVE list) + 16.95M (videos: no own account given, all creators) + 6.5M (shelf)
    assert "IDR 48.45M" in text
    # the session review's GPM is TikTok's GMV/1K views: Direct GMV 10M ÷ 20,000 views × 1000
    assert "The best session was Flash sale Senin on 2026-03-16: GPM 500,000" in text
