"""``fact-toolkit doctor``: what this machine has and lacks, each line with its fix.

Required checks decide whether the README's two commands (``make report``, ``make
test``) will work here; optional ones name what an extra needs (Spark, the browser
test). Nothing is installed or changed: the checks only look (the cache check writes
and removes one small file).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

__all__ = ["Check", "CORE_PACKAGES", "as_records", "format_checks", "ready", "run_checks"]

#: distributions the reports and the tests import (the project's own dependencies)
CORE_PACKAGES: tuple[str, ...] = (
    "pandas", "numpy", "pyarrow", "matplotlib", "seaborn", "statsmodels", "ipywidgets", "ipykernel",
    "papermill", "nbconvert", "duckdb", "python-calamine", "openpyxl", "pandera", "noto-cjk-sans-otc",
)
_REINSTALL = "run `make report` or `make test` (they install what is missing into .venv), or " \
             "`pip install -e .` in this environment"


@dataclass(frozen=True)
class Check:
    """One line of the doctor's answer.

    Attributes
    ----------
    name : str
        What was checked (``font``, ``kernel`` …).
    ok : bool
    required : bool
        Whether ``make report`` / ``make test`` need it (optional: an extra needs it).
    found : str
        What the machine has.
    fix : str
        What to do when it is not ok (empty when ok).
    """

    name: str
    ok: bool
    required: bool
    found: str
    fix: str = ""


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, True, f"{version} ({sys.executable})",
                 "" if ok else "install Python 3.11 or newer and run make again")


def _packages() -> Check:
    missing, found = [], []
    for name in CORE_PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check("packages", False, True, f"missing: {', '.join(missing)}", _REINSTALL)
    return Check("packages", True, True, f"{len(found)} core packages ({', '.join(found[:4])} …)")


def _font() -> Check:
    from .fonts import BUNDLED_FONT_PACKAGE
    from .plotting._style import font_choice

    choice = font_choice()
    if choice.name is None:
        return Check("font", False, True, "no CJK font: Chinese chart labels would show as boxes",
                     f"pip install {BUNDLED_FONT_PACKAGE} (a dependency: {_REINSTALL})")
    where = "installed on the system" if choice.source == "system" else f"bundled ({BUNDLED_FONT_PACKAGE})"
    return Check("font", True, True, f"{choice.name}, {where}: {choice.path}")


def _kernel(name: str) -> Check:
    from .errors import FactInputError
    from .reports.config import check_kernel

    try:
        check_kernel(name)
    except FactInputError as err:
        return Check("kernel", False, True, err.problem, err.fix)
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return Check("kernel", True, True, f"{name!r} runs this environment's Python ({spec.argv[0]} → {sys.executable})")


def _duckdb() -> Check:
    try:
        duckdb = importlib.import_module("duckdb")
    except ImportError:
        return Check("duckdb", False, True, "not installed", _REINSTALL)
    with duckdb.connect() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    engine = ""
    try:
        from .engines import duckdb_engine

        engine = f"; the loader sets {getattr(duckdb_engine, 'DEFAULT_MEMORY_LIMIT', '?')} (spills to disk beyond)"
    except ImportError:  # pragma: no cover - the engine ships with the package
        pass
    return Check("duckdb", True, True, f"{duckdb.__version__}, memory limit {limit} by default, {threads} threads"
                 f"{engine}")


def _cache() -> Check:
    from .cache import cache_dir

    folder = cache_dir()
    fix = (f"make {folder} writable, or point FACT_TOOLKIT_CACHE at a writable folder "
           "(or load with cache=False / --no-cache)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", delete=True) as fh:
            fh.write(b"ok")
    except OSError as err:
        return Check("cache", False, True, f"{folder} is not writable ({err.strerror or err})", fix)
    return Check("cache", True, True, f"{folder} is writable")


def _java_version() -> str | None:
    java = shutil.which("java")
    if java is None:
        return None
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = (done.stderr or done.stdout).strip().splitlines()
    return first[0] if first else java


def _spark() -> Check:
    try:
        spark = f"pyspark {metadata.version('pyspark')}"
    except metadata.PackageNotFoundError:
        spark = None
    java = _java_version()
    found = f"{spark or 'pyspark not installed'}; {java or 'no java on PATH'}"
    fixes = []
    if spark is None:
        fixes.append("pip install -e '.[spark]'")
    if java is None:
        fixes.append("install Java 17 (Debian: apt-get install openjdk-17-jre-headless)")
    return Check("spark (optional)", not fixes, False, found, "; ".join(fixes))


def _chromium() -> Check:
    from .browser import find_chromium

    path = find_chromium()
    if path is not None:
        return Check("chromium (optional)", True, False, f"{path} (browser tests, report --pdf)")
    return Check("chromium (optional)", False, False, "not found: the browser tests skip, report --pdf is off",
                 "apt-get install chromium (Debian), or set FT_CHROMIUM to a Chromium binary")


def run_checks(kernel: str = "python3") -> list[Check]:
    """Every check, required ones first.

    Parameters
    ----------
    kernel : str
        The Jupyter kernel the reports run in (``kernel`` of ``reports/runs.toml``).

    Returns
    -------
    list of Check
    """
    steps: Sequence[Callable[[], Check]] = (
        _python, _packages, _font, lambda: _kernel(kernel), _duckdb, _cache, _spark, _chromium)
    checks = []
    for step in steps:
        try:
            checks.append(step())
        except Exception as err:  # noqa: BLE001 - a check that breaks is itself a finding
            name = getattr(step, "__name__", "check").strip("_<>") or "check"
            checks.append(Check(name, False, True, f"the check failed: {type(err).__name__}: {err}", _REINSTALL))
    return checks


def ready(checks: Sequence[Check]) -> bool:
    """True when every required check passed (``make report`` and ``make test`` will work)."""
    return all(c.ok for c in checks if c.required)


def format_checks(checks: Sequence[Check]) -> str:
    """One line per check (``ok`` / ``MISSING`` / ``optional``), its fix on the next line, a verdict last."""
    width = max(len(c.name) for c in checks)
    lines = []
    for c in checks:
        mark = "ok" if c.ok else ("MISSING" if c.required else "absent")
        lines.append(f"{mark:<8}{c.name:<{width}}  {c.found}")
        if not c.ok and c.fix:
            lines.append(f"{'':<8}{'':<{width}}  fix: {c.fix}")
    lines.append("")
    lines.append("ready: `make report` and `make test` will work here" if ready(checks) else
                 "NOT READY: fix the MISSING lines above")
    return "\n".join(lines)


def as_records(checks: Sequence[Check]) -> list[dict]:
    """The checks as plain dicts (for ``--json``)."""
    return [asdict(c) for c in checks]
