"""Committed notebooks are stored clean: no outputs, no execution counts, literal parameters.

Runs on every ``*.ipynb`` under ``notebooks/`` and the test fixtures, so a notebook saved
with its outputs fails ``make test`` before it reaches a commit.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("notebooks/**/*.ipynb"), *ROOT.glob("tests/fixtures/notebooks/*.ipynb")])
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def non_literal_lines(source: str) -> list[str]:
    """Statements of a parameters cell that are not ``name = <literal>`` (comments are fine).

    >>> non_literal_lines('a = 1  # one\\nb: str = "x"\\nc = [1, {"k": None}]')
    []
    >>> non_literal_lines('import os\\nd = os.getcwd()\\ne = 1 + 2')
    ['import os', 'd = os.getcwd()', 'e = 1 + 2']
    """
    bad = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            value = node.value
        else:
            bad.append(ast.get_source_segment(source, node) or ast.dump(node))
            continue
        try:
            ast.literal_eval(value)
        except ValueError:
            bad.append(ast.get_source_segment(source, node) or ast.dump(node))
    return bad


def test_the_literal_check_itself():
    assert non_literal_lines('x = -1.5\ny = "a"\nz = None\nw = (1, "b")') == []
    assert non_literal_lines("x = y") == ["x = y"]
    assert non_literal_lines('x = f"{1}"') == ['x = f"{1}"']


def test_there_are_notebooks_to_check():
    assert (ROOT / "notebooks" / "00_overview.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_is_stored_clean(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"])
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; clear them before committing " \
                      "(JupyterLab: Edit → Clear Outputs of All Cells) or run `jupyter nbconvert --clear-output " \
                      "--inplace`"
    assert nb["metadata"].get("kernelspec") == KERNELSPEC, f"{path.name}: kernelspec must be {KERNELSPEC}"
    params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) <= 1, f"{path.name}: more than one cell tagged 'parameters'"
    if path.parent.name == "notebooks":
        assert params, f"{path.name}: no cell tagged 'parameters'"
        first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert first_code is params[0], f"{path.name}: the parameters cell must be the first code cell"
    for cell in params:
        source = "".join(cell["source"])
        bad = non_literal_lines(source)
        assert not bad, f"{path.name}: the parameters cell may hold only literals; found {bad}"
