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

import pytest

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


# (module, an import that goes upward from it, the contract it breaks, the edge named)
_UPWARD = [
    # schema sits near the bottom; the metric registry is a layer above it
    ("schema.py", "from .metrics import METRICS", "fact_toolkit layers", "fact_toolkit.schema -> fact_toolkit.metrics"),
    # the panel definition is the engines' lowest layer; the DuckDB engine's row SQL sits above it
    ("engines/panel.py", "from .rowscan import rowsql", "fact_toolkit.engines layers", None),
    # the brand's parameters are the sample's lowest layer; the snowball law that uses them sits above
    ("sample/brand.py", "from .snowball import simulate_account", "fact_toolkit.sample layers",
     "fact_toolkit.sample.brand -> fact_toolkit.sample.snowball"),
    # a cell's text is below the encoding sniffer, which it must not need
    ("io/readers/cell_text.py", "from .encoding import _UTF8_BOM", "fact_toolkit.io.readers layers",
     "fact_toolkit.io.readers.cell_text -> fact_toolkit.io.readers.encoding"),
    # the levers are the what-if package's lowest layer; the engine that applies them sits above
    ("whatif/levers.py", "from .engine import run_scenario", "fact_toolkit.whatif layers",
     "fact_toolkit.whatif.levers -> fact_toolkit.whatif.engine"),
]


@pytest.mark.parametrize(("module", "line", "contract", "edge"), _UPWARD, ids=[u[0] for u in _UPWARD])
def test_an_upward_import_breaks_its_contract(tmp_path: Path, module: str, line: str, contract: str,
                                              edge: str | None) -> None:
    shutil.copytree(ROOT / "fact_toolkit", tmp_path / "fact_toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "fact_toolkit" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa: E402\n", encoding="utf-8")
    out = _lint(tmp_path, pythonpath=tmp_path)
    assert out.returncode != 0
    assert f"{contract} (docs/DEVELOPING.md) BROKEN" in out.stdout
    if edge:
        assert edge in out.stdout
