"""The run configuration (``reports/runs.toml``): parsed and fully validated before anything runs.

Layout::

    root = ".."                 # optional: folder that notebooks and *_path parameters are
                                # relative to, and the notebooks' working directory;
                                # relative to this file (default: this file's folder)
    out_dir = "reports"         # optional: where reports go, relative to root
    kernel = "python3"          # optional: Jupyter kernel; must run this environment's Python
    cell_timeout = 600          # optional: seconds one cell may run

    [[run]]
    name = "overview"                          # letters, digits, _ and -; unique
    notebook = "notebooks/00_overview.ipynb"
    parameters = { data_path = "data/sample", lang = "zh" }
    output = "{name}/{date}"                   # optional folder pattern under out_dir
    alerts = [{ metric = "refund_rate", above = 0.10 }]   # optional, see alerts.py

Every problem is a :class:`~fact_toolkit.errors.FactInputError` naming the file and
the run: unknown keys, a missing notebook, a parameter the notebook does not declare
(papermill's ``inspect_notebook``), a value of the wrong type, a date that is not
``YYYY-MM-DD`` (parameters named ``start``, ``end`` or with ``date`` in the name, or
with an ISO-date default), a ``*_path`` parameter that does not exist, an ``output``
pattern without ``{name}`` and ``{date}`` or shared with another run, a bad alert rule.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FactInputError
from .alerts import AlertRule, parse_rules

__all__ = ["RunSpec", "ReportConfig", "load_config", "parse_date", "check_kernel", "DEFAULT_CONFIG",
           "DEFAULT_OUTPUT"]

#: the configuration ``fact-toolkit report`` reads when none is given
DEFAULT_CONFIG = Path("reports/runs.toml")
#: where a run's files go under ``out_dir`` unless the run says otherwise
DEFAULT_OUTPUT = "{name}/{date}"
_TOP_KEYS = {"root", "out_dir", "kernel", "cell_timeout", "run"}
_RUN_KEYS = {"name", "notebook", "parameters", "output", "alerts", "title"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "list": (list,), "dict": (dict,)}


@dataclass(frozen=True)
class RunSpec:
    """One ``[[run]]`` of the configuration, validated.

    Attributes
    ----------
    name : str
    notebook : Path
        Absolute path of the notebook.
    parameters : dict
        As written in the configuration.
    passed : dict
        What papermill receives: ``parameters`` with every ``*_path`` value made
        absolute against the configuration's root.
    output : str
        Folder pattern under ``out_dir`` with ``{name}`` and ``{date}``.
    alerts : tuple of AlertRule
    title : str
    """

    name: str
    notebook: Path
    parameters: dict[str, Any]
    passed: dict[str, Any]
    output: str = DEFAULT_OUTPUT
    alerts: tuple[AlertRule, ...] = ()
    title: str = ""

    def folder(self, out_dir: Path, date: dt.date) -> Path:
        """The folder of this run's files for ``date``."""
        return out_dir / self.output.format(name=self.name, date=date.isoformat())

    def input_paths(self) -> list[Path]:
        """Files and folders named by ``*_path`` parameters (``data_path`` first)."""
        keys = sorted((k for k in self.passed if k.endswith("_path") and isinstance(self.passed[k], str)),
                      key=lambda k: (k != "data_path", k))
        return [Path(self.passed[k]) for k in keys]

    @property
    def data_path(self) -> Path | None:
        """The ``data_path`` parameter (absolute), the data the KPIs come from."""
        value = self.passed.get("data_path")
        return Path(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class ReportConfig:
    """A validated run configuration.

    Attributes
    ----------
    path : Path
        The configuration file.
    root : Path
        Notebooks' working directory; relative paths are resolved against it.
    out_dir : Path
        Where reports, ``latest/`` and ``index.html`` go.
    kernel : str
    cell_timeout : float or None
    runs : tuple of RunSpec
        The runs to render (all, or those picked with ``only``).
    all_names : tuple of str
        Every run name in the file (the index lists them all).
    """

    path: Path
    root: Path
    out_dir: Path
    kernel: str = "python3"
    cell_timeout: float | None = 600.0
    runs: tuple[RunSpec, ...] = field(default_factory=tuple)
    all_names: tuple[str, ...] = field(default_factory=tuple)

    def names(self) -> list[str]:
        """Run names in configuration order."""
        return [r.name for r in self.runs]


def parse_date(text: str | dt.date | None, where: str = "--date") -> dt.date:
    """``YYYY-MM-DD`` → date; None → today.

    Raises
    ------
    FactInputError
        When the text is not a real calendar date in that form.

    Examples
    --------
    >>> parse_date("2026-03-09")
    datetime.date(2026, 3, 9)
    """
    if text is None:
        return dt.date.today()
    if isinstance(text, dt.date):
        return text
    if isinstance(text, str) and _ISO_DATE.match(text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise FactInputError(where, f"{text!r} is not a date", fix="write it as YYYY-MM-DD, e.g. 2026-03-09")


def check_kernel(name: str, where: str = "kernel") -> str:
    """Make sure the kernel ``name`` runs this environment's Python; return the name.

    A kernelspec whose command is ``python``/``python3`` is started by jupyter_client
    with ``sys.executable`` (this environment); an absolute interpreter path must be
    this same interpreter.

    Raises
    ------
    FactInputError
        Unknown kernel, or one that would run another Python.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    fix = (f"install this environment's kernel with `{sys.executable} -m ipykernel install --sys-prefix "
           "--name fact-toolkit` and set kernel = \"fact-toolkit\" in the configuration")
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise FactInputError(where, f"no Jupyter kernel named {name!r}", fix=fix) from None
    cmd = spec.argv[0] if spec.argv else ""
    major, minor = sys.version_info[:2]
    if cmd in {"python", f"python{major}", f"python{major}.{minor}"}:
        return name
    try:
        same = Path(cmd).resolve() == Path(sys.executable).resolve() or Path(cmd).samefile(sys.executable)
    except OSError:
        same = False
    if not same:
        raise FactInputError(where, f"kernel {name!r} runs {cmd}, not this environment's Python "
                             f"({sys.executable})", fix=fix)
    return name


def _type_ok(value: Any, declared: str) -> bool:
    types = _TYPES.get(declared)
    if types is None:  # None, unknown or an expression: anything goes
        return True
    if bool in types:
        return isinstance(value, bool)
    return isinstance(value, types) and not isinstance(value, bool)


def _declared_type(info: Mapping[str, Any]) -> str:
    """The annotation papermill found, else the type of the literal default, else "None"."""
    tname = str(info.get("inferred_type_name") or "None")
    if tname != "None":
        return tname
    try:
        default = ast.literal_eval(str(info.get("default")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "None"
    return type(default).__name__ if default is not None else "None"


def _default_value(info: Mapping[str, Any]) -> Any:
    try:
        return ast.literal_eval(str(info.get("default")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _looks_like_date(name: str, default: Any) -> bool:
    """A date parameter: named ``start``/``end`` (alone or as a ``_`` part, e.g. ``start_day``),
    or with ``date`` in its name, unless its default is clearly something else (a number,
    a list, or text that is not a date, e.g. ``date_col = "order_date"``); or any
    parameter whose default is an ISO date.

    Examples
    --------
    >>> [_looks_like_date(n, d) for n, d in [("start", None), ("end_date", "2026-01-31"), ("update_dates", None),
    ...                                      ("date_col", "order_date"), ("horizon", 28), ("since", "2026-01-01")]]
    [True, True, True, False, False, True]
    """
    if isinstance(default, str) and _ISO_DATE.match(default):
        return True
    lowered = name.lower()
    named = "date" in lowered or bool({"start", "end"} & set(lowered.split("_")))
    return named and default is None


def _check_parameters(run: str, where: str, notebook: Path, params: Mapping[str, Any],
                      root: Path) -> dict[str, Any]:
    from papermill import inspect_notebook

    try:
        declared = inspect_notebook(str(notebook))
    except Exception as err:  # noqa: BLE001 - an unreadable notebook is a user error here
        raise FactInputError(where, f"run {run!r}: cannot read {notebook}: {err}",
                             fix="open it in JupyterLab and save it again") from None
    undeclared = [p for p in params if p not in declared]
    if undeclared:
        names = ", ".join(declared) or "none: no cell is tagged 'parameters'"
        raise FactInputError(where, f"run {run!r}: notebook {notebook.name} does not declare parameter(s) "
                             f"{', '.join(undeclared)} (it declares {names})",
                             fix="fix the name in the configuration or add it to the notebook's parameters cell")
    passed: dict[str, Any] = {}
    for key, value in params.items():
        value = _plain(value)  # a bare TOML date: the notebook gets "YYYY-MM-DD"
        info = declared[key]
        tname = _declared_type(info)
        if not _type_ok(value, tname):
            raise FactInputError(where, f"run {run!r}: parameter {key} = {value!r} is not {tname} as declared "
                                 f"in {notebook.name} ({info.get('default')})", fix=f"give {key} a {tname} value")
        if _looks_like_date(key, _default_value(info)):
            parse_date(value if isinstance(value, str) else repr(value), f"{where}: run {run!r}, parameter {key}")
        if key.endswith("_path") and isinstance(value, str):
            path = Path(value).expanduser()
            path = path if path.is_absolute() else root / path
            if not path.exists():
                raise FactInputError(where, f"run {run!r}: parameter {key} = {value!r}: {path} does not exist",
                                     fix="fix the path (relative paths start at the configuration's root)")
            value = str(path.resolve())
        passed[key] = value
    return passed


def _check_output(run: str, where: str, output: Any) -> str:
    if not isinstance(output, str) or not output.strip():
        raise FactInputError(where, f"run {run!r}: output {output!r} is not a folder pattern",
                             fix='write e.g. output = "{name}/{date}"')
    try:
        rendered = output.format(name=run, date="2000-01-01")
        fields = {f for _, f, _, _ in string.Formatter().parse(output) if f is not None}
    except (KeyError, IndexError, ValueError) as err:
        raise FactInputError(where, f"run {run!r}: output {output!r} has an unknown placeholder ({err})",
                             fix="use only {name} and {date}") from None
    parts = Path(rendered).parts
    if Path(rendered).is_absolute() or ".." in parts or (parts and parts[0] == "latest"):
        raise FactInputError(where, f"run {run!r}: output {output!r} leaves the output folder or uses latest/",
                             fix='keep it a relative folder such as "{name}/{date}"')
    missing = [f"{{{p}}}" for p in ("name", "date") if p not in fields]
    if missing:
        why = {"{name}": "other runs with the same pattern would write into the same folder",
               "{date}": "each run would overwrite its own earlier reports"}
        raise FactInputError(where, f"run {run!r}: output {output!r} lacks {' and '.join(missing)}: "
                             + "; ".join(why[m] for m in missing),
                             fix='keep both placeholders, e.g. output = "{name}/{date}" or "weekly/{name}-{date}"')
    return output


def _plain(value: Any) -> Any:
    """A bare TOML date as its ISO text (what the notebook receives and the manifest records)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _check_collision(spec: RunSpec, earlier: Sequence[RunSpec], where: str) -> None:
    """Two runs must never write into the same folder (or one inside the other's)."""
    probe = Path("out")
    day = dt.date(2000, 1, 1)
    mine = spec.folder(probe, day)
    for other in earlier:
        theirs = other.folder(probe, day)
        if mine == theirs or theirs in mine.parents or mine in theirs.parents:
            raise FactInputError(where, f"run {spec.name!r}: output {spec.output!r} writes into the folder of run "
                                 f"{other.name!r} ({other.output!r}); their reports would overwrite each other",
                                 fix='give each run its own folder, e.g. output = "{name}/{date}"')


def load_config(path: str | Path = DEFAULT_CONFIG, *, only: Sequence[str] | None = None,
                check_kernel_spec: bool = True) -> ReportConfig:
    """Read and validate a run configuration; nothing is executed.

    Parameters
    ----------
    path : str or Path
        The TOML file.
    only : sequence of str, optional
        Keep only these runs (every name must exist).
    check_kernel_spec : bool, default True
        Also check that the kernel runs this environment's Python.

    Returns
    -------
    ReportConfig

    Raises
    ------
    FactInputError
        The first problem found, naming the file and the run.
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise FactInputError(where, "configuration file not found",
                             fix="pass --config with a runs.toml (see reports/README.md)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise FactInputError(where, f"not valid TOML: {err}", fix="fix the syntax (see reports/README.md)") from None
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise FactInputError(where, f"unknown key(s) {', '.join(unknown)}",
                             fix=f"top-level keys are {', '.join(sorted(_TOP_KEYS))}; runs are [[run]] tables")
    base = path.resolve().parent
    root = (base / str(raw.get("root", "."))).resolve()
    if not root.is_dir():
        raise FactInputError(where, f"root {raw.get('root')!r} is not a folder", fix="fix root")
    out_dir = Path(str(raw.get("out_dir", "reports"))).expanduser()
    out_dir = out_dir if out_dir.is_absolute() else root / out_dir
    kernel = raw.get("kernel", "python3")
    if not isinstance(kernel, str):
        raise FactInputError(where, f"kernel {kernel!r} is not a name", fix='write kernel = "python3"')
    timeout = raw.get("cell_timeout", 600)
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise FactInputError(where, f"cell_timeout {timeout!r} is not a positive number of seconds",
                             fix="write cell_timeout = 600")
    runs_raw = raw.get("run", [])
    if not isinstance(runs_raw, list) or not runs_raw:
        raise FactInputError(where, "no [[run]] tables", fix="add at least one [[run]] (see reports/README.md)")
    names = [r.get("name") if isinstance(r, dict) else None for r in runs_raw]
    if only:
        missing = [n for n in only if n not in names]
        if missing:
            raise FactInputError("--only", f"no run named {', '.join(missing)} in {where}",
                                 fix=f"choose from {', '.join(str(n) for n in names)}")
    runs: list[RunSpec] = []
    seen: dict[str, None] = {}
    for i, r in enumerate(runs_raw, start=1):
        if not isinstance(r, dict):
            raise FactInputError(where, f"run #{i} is not a table", fix="write each run as a [[run]] table")
        name = r.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise FactInputError(where, f"run #{i}: name {name!r} is missing or not a simple name",
                                 fix="use letters, digits, _ and -")
        if name in seen:
            raise FactInputError(where, f"run {name!r} appears twice", fix="give every run its own name")
        seen[name] = None
        if only and name not in only:
            continue
        bad = sorted(set(r) - _RUN_KEYS)
        if bad:
            raise FactInputError(where, f"run {name!r}: unknown key(s) {', '.join(bad)}",
                                 fix=f"a run has {', '.join(sorted(_RUN_KEYS))}")
        nb = r.get("notebook")
        if not isinstance(nb, str):
            raise FactInputError(where, f"run {name!r}: notebook is missing",
                                 fix='add notebook = "notebooks/….ipynb"')
        nb_path = Path(nb).expanduser()
        nb_path = (nb_path if nb_path.is_absolute() else root / nb_path).resolve()
        if nb_path.suffix != ".ipynb" or not nb_path.is_file():
            raise FactInputError(where, f"run {name!r}: notebook {nb} not found (looked at {nb_path})",
                                 fix="fix the path; it is relative to the configuration's root")
        params = r.get("parameters", {})
        if not isinstance(params, dict):
            raise FactInputError(where, f"run {name!r}: parameters is not a table",
                                 fix='write parameters = { data_path = "data/sample" }')
        passed = _check_parameters(name, where, nb_path, params, root)
        output = _check_output(name, where, r.get("output", DEFAULT_OUTPUT))
        alerts = parse_rules(r.get("alerts"), f"{where}: run {name!r}")
        title = r.get("title", "")
        if not isinstance(title, str):
            raise FactInputError(where, f"run {name!r}: title is not text", fix='write title = "…"')
        spec = RunSpec(name=name, notebook=nb_path, parameters={k: _plain(v) for k, v in params.items()},
                       passed=passed, output=output, alerts=alerts, title=title)
        _check_collision(spec, runs, where)
        runs.append(spec)
    if check_kernel_spec:
        check_kernel(kernel, f"{where}: kernel")
    return ReportConfig(path=path.resolve(), root=root, out_dir=out_dir.resolve(), kernel=kernel,
                        cell_timeout=None if timeout is None else float(timeout), runs=tuple(runs),
                        all_names=tuple(seen))
