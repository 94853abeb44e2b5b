"""The import layers of ``.importlinter`` hold, and an upward import breaks them.

``lint-imports`` (import-linter) builds the graph of every import in the package and checks
the contracts: the layers written down in docs/DEVELOPING.md, and no import cycles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([str(LINT), str(ROOT / ".importlinter"), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_the_layers_and_acyclic_contracts_are_kept() -> None:
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    contracts = (ROOT / ".importlinter").read_text(encoding="utf-8").count("[importlinter:contract:")
    assert contracts >= 6  # the package's layers, the engines', the sample's, the readers', the what-if's, no cycles
    assert f"Contracts: {contracts} kept, 0 broken." in out.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fact_toolkit", tmp_path / "fact_toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    schema = tmp_path / "fact_toolkit" / "schema.py"
    # schema sits near the bottom; the metric registry is a layer above it
    schema.write_text(schema.read_text(encoding="utf-8") + "\nfrom .metrics import METRICS  # noqa: E402\n",
                      encoding="utf-8")
    out = _lint(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert "fact_toolkit layers (docs/DEVELOPING.md) BROKEN" in out.stdout
    assert "fact_toolkit.schema -> fact_toolkit.metrics" in out.stdout


def test_an_upward_import_inside_the_engines_breaks_their_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fact_toolkit", tmp_path / "fact_toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    panel = tmp_path / "fact_toolkit" / "engines" / "panel.py"
    # the panel definition is the engines' lowest layer; the DuckDB engine's row SQL sits above it
    panel.write_text(panel.read_text(encoding="utf-8") + "\nfrom .rowscan import rowsql  # noqa: E402\n",
                     encoding="utf-8")
    out = _lint(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert "fact_toolkit.engines layers (docs/DEVELOPING.md) BROKEN" in out.stdout


def test_an_upward_import_inside_the_sample_breaks_its_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fact_toolkit", tmp_path / "fact_toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    brand = tmp_path / "fact_toolkit" / "sample" / "brand.py"
    # the brand's parameters are the sample's lowest layer; the snowball law that uses them sits above
    brand.write_text(brand.read_text(encoding="utf-8") + "\nfrom .snowball import simulate_account  # noqa: E402\n",
                     encoding="utf-8")
    out = _lint(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert "fact_toolkit.sample layers (docs/DEVELOPING.md) BROKEN" in out.stdout
    assert "fact_toolkit.sample.brand -> fact_toolkit.sample.snowball" in out.stdout


def test_an_upward_import_inside_the_readers_breaks_their_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fact_toolkit", tmp_path / "fact_toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cell_text = tmp_path / "fact_toolkit" / "io" / "readers" / "cell_text.py"
    # a cell's text is below the encoding sniffer, which it must not need
    cell_text.write_text(cell_text.read_text(encoding="utf-8") + "\nfrom .encoding import _UTF8_BOM  # noqa: E402\n",
                         encoding="utf-8")
    out = _lint(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert "fact_toolkit.io.readers layers (docs/DEVELOPING.md) BROKEN" in out.stdout
    assert "fact_toolkit.io.readers.cell_text -> fact_toolkit.io.readers.encoding" in out.stdout


def test_an_upward_import_inside_the_whatif_package_breaks_its_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fact_toolkit", tmp_path / "fact_toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    levers = tmp_path / "fact_toolkit" / "whatif" / "levers.py"
    # the levers are the what-if package's lowest layer; the engine that applies them sits above
    levers.write_text(levers.read_text(encoding="utf-8") + "\nfrom .engine import run_scenario  # noqa: E402\n",
                      encoding="utf-8")
    out = _lint(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert "fact_toolkit.whatif layers (docs/DEVELOPING.md) BROKEN" in out.stdout
    assert "fact_toolkit.whatif.levers -> fact_toolkit.whatif.engine" in out.stdout
