"""One rule for where a notebook's relative data path points, from any working folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fact_toolkit.paths import find_path, project_root


def test_found_from_the_project_root_from_notebooks_and_from_elsewhere(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    root = project_root()
    assert (root / "data" / "sample").is_dir()
    monkeypatch.chdir(root)
    assert find_path("data/sample") == Path("data/sample")        # as given when it exists here
    monkeypatch.chdir(root / "notebooks")
    assert find_path("data/sample") == root / "data" / "sample"   # a parent of the working folder
    monkeypatch.chdir(tmp_path)
    assert find_path("data/sample") == root / "data" / "sample"   # the project root
    assert find_path("no/such/folder") == Path("no/such/folder")  # callers check .exists()
    assert find_path(tmp_path) == tmp_path                        # absolute: as given
