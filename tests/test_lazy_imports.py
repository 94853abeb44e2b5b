"""``import fact_toolkit`` is light: heavy modules load with the first name that needs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import fact_toolkit
import fact_toolkit.models
import fact_toolkit.reports
import fact_toolkit.sample


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_packages_and_the_cli_loads_no_pandas() -> None:
    loaded = _modules_after("import fact_toolkit, fact_toolkit.models, fact_toolkit.reports, fact_toolkit.cli")
    assert not {"pandas", "scipy", "statsmodels", "pandera", "matplotlib"} & loaded


def test_a_public_name_loads_its_module_once_used() -> None:
    loaded = _modules_after("import fact_toolkit; fact_toolkit.load")
    assert {"pandas", "fact_toolkit.loader"} <= loaded


@pytest.mark.parametrize("package", [fact_toolkit, fact_toolkit.models, fact_toolkit.reports,
                                     fact_toolkit.sample])
def test_every_exported_name_resolves_and_is_listed(package: object) -> None:
    for name in package.__all__:  # type: ignore[attr-defined]
        assert getattr(package, name) is not None
        assert name in dir(package)
    from fact_toolkit.engines.dispatch import load

    assert fact_toolkit.load is load


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        fact_toolkit.nonexistent  # noqa: B018


def test_submodules_are_attributes_as_before() -> None:
    loaded = _modules_after("import fact_toolkit; fact_toolkit.schema.TABLES; fact_toolkit.models.trend")
    assert {"fact_toolkit.schema", "fact_toolkit.models.trend"} <= loaded


def test_the_console_entry_runs_exit_handlers_before_leaving() -> None:
    code = ("import atexit, sys; atexit.register(lambda: print('handlers ran', flush=True)); "
            "sys.argv = ['fact-toolkit', '--help']; from fact_toolkit.cli import main; main()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0
    assert "Usage" in out.stdout and out.stdout.rstrip().endswith("handlers ran")
