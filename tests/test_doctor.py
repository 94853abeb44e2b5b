"""``fact-toolkit doctor`` on this machine: what it finds, and the fix it prints when a piece is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fact_toolkit.cli import app
from fact_toolkit.doctor import Check, format_checks, ready, run_checks
from fact_toolkit.plotting._style import font_choice

runner = CliRunner()


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def test_this_machine_is_ready_and_names_the_font_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACT_TOOLKIT_CACHE", str(tmp_path / "cache"))
    res = runner.invoke(app, ["doctor", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["ready"] is True
    checks = {c["name"]: c for c in out["checks"]}
    assert set(checks) >= {"python", "packages", "font", "kernel", "duckdb", "cache", "spark (optional)",
                           "chromium (optional)"}
    assert checks["font"]["ok"] and font_choice().name in checks["font"]["found"]
    assert checks["cache"]["ok"] and (tmp_path / "cache").is_dir()
    assert "memory limit" in checks["duckdb"]["found"]
    assert not checks["spark (optional)"]["required"] and not checks["chromium (optional)"]["required"]


def test_an_unknown_kernel_is_missing_with_its_fix_and_exit_1() -> None:
    res = runner.invoke(app, ["doctor", "--kernel", "no-such-kernel"])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("MISSING") and "kernel" in line)
    assert "no Jupyter kernel named 'no-such-kernel'" in lines[i]
    assert "fix:" in lines[i + 1] and "ipykernel install" in lines[i + 1]
    assert lines[-1].startswith("NOT READY")


def test_an_unwritable_cache_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FACT_TOOLKIT_CACHE", str(blocker / "cache"))  # root can write anywhere, not under a file
    cache = by_name(run_checks())["cache"]
    assert not cache.ok and cache.required and "FACT_TOOLKIT_CACHE" in cache.fix


def test_optional_pieces_never_decide_readiness() -> None:
    checks = [Check("python", True, True, "3.11"), Check("spark (optional)", False, False, "no java", "install")]
    assert ready(checks)
    text = format_checks(checks)
    assert "absent  spark (optional)" in text and "fix: install" in text and text.endswith("will work here")
    assert not ready([*checks, Check("font", False, True, "none", "pip install noto-cjk-sans-otc")])
