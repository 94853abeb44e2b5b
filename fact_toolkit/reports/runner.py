"""Render every configured report: in parallel, isolated from each other's failures.

One run = hash the inputs → execute the notebook (papermill) while the KPIs are computed
from the same data in a thread → what changed vs the previous successful run → alerts →
header cell → notebook, HTML and manifest in the run's folder → on success only,
``latest/<name>.html`` and ``latest/<name>.json`` (that run's manifest). A failing run
keeps its executed notebook (papermill's error banner) and an HTML marked FAILED; the
previous ``latest/`` files stay as they were. When the day's folder already holds a
successful run (a rerun on the same day failed), the failure goes to
``<folder>/failed-<HHMMSS>/`` so the day's good files stay.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ReportConfig, RunSpec
from .manifest import (MANIFEST_VERSION, collect_inputs, fingerprint, identical_run, package_versions,
                       read_manifest, write_manifest)

__all__ = ["RunResult", "run_one", "run_reports", "exit_code", "default_jobs", "failed_folder", "shared_kpis",
           "LATEST"]

#: folder (under out_dir) with the last successful HTML and manifest of every run
LATEST = "latest"


@dataclass
class RunResult:
    """How one run ended (what the parent process gets back from a worker)."""

    name: str
    status: str
    seconds: float
    folder: str
    html: str | None = None
    notebook: str | None = None
    manifest: str | None = None
    error: dict | None = None
    alerts: list[dict] = field(default_factory=list)
    identical_to: dict | None = None
    #: what the kernel printed to stderr, kept off the page (see :mod:`.streams`)
    warnings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "success"


@dataclass(frozen=True)
class _Task:
    spec: RunSpec
    root: Path
    out_dir: Path
    kernel: str
    cell_timeout: float | None
    date: dt.date
    preload: str | None = None
    shared: str | None = None  # folder where this invocation's runs share KPIs of the same data


def default_jobs() -> int:
    """Parallel runs by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def failed_folder(folder: Path, started: dt.datetime) -> Path:
    """Where a failed attempt goes when ``folder`` already holds a successful run of that day.

    ``<folder>/failed-<HHMMSS>`` (``-2``, ``-3``… when that exists already).

    Examples
    --------
    >>> failed_folder(Path("/nonexistent/r/2026-01-05"), dt.datetime(2026, 1, 5, 7, 3, 9)).name
    'failed-070309'
    """
    base = folder / f"failed-{started:%H%M%S}"
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    return target


def _holds_success(folder: Path) -> bool:
    m = read_manifest(folder / "manifest.json")
    return bool(m) and m.get("status") == "success"


def shared_kpis(data_path: str | Path, shared: str | Path | None, preload: str | None = None) -> dict:
    """:func:`~fact_toolkit.reports.kpis.load_kpis` once per data folder and invocation.

    Runs of one ``fact-toolkit report`` on the same ``data_path`` (the four sample reports)
    need the same KPIs: the first run to ask computes them and leaves them (JSON, as the
    manifest keeps them) in ``shared``; the others wait for it and read them (an exclusive
    lock per data path). A failure is not shared: the next run tries itself. Without
    ``shared`` the KPIs are simply computed.

    With ``preload`` (the address of the kernels' preload server; :func:`_prefetch` passes
    it before any kernel starts) the dataset loaded for the KPIs is also handed to that
    server (:func:`~fact_toolkit.reports.preload.keep_dataset`), so every kernel forked
    afterwards gets it from :func:`fact_toolkit.load` instead of loading the same exports
    again.

    Parameters
    ----------
    data_path : str or Path
        The run's exports (as the notebook gets them: the load report names files that way).
    shared : path or None
        This invocation's private folder (KPI files, locks, hand-over files).
    preload : str, optional
        Address of the kernels' preload server.

    Returns
    -------
    dict
        The KPIs (as a manifest keeps them).
    """
    import hashlib
    import json

    from .._atomic import atomic_write_text
    from .kpis import load_kpis

    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: every run computes its own
        shared = None
    if shared is None:
        return load_kpis(data_path)
    key = hashlib.sha256(str(Path(data_path).resolve()).encode()).hexdigest()[:24]
    target = Path(shared) / f"{key}.json"
    with open(Path(shared) / f"{key}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if target.is_file():
                return json.loads(target.read_text(encoding="utf-8"))
            if preload is None:
                kpis = load_kpis(data_path)
            else:
                from ..loader import memo_key
                from .preload import keep_dataset

                before = memo_key(data_path)  # files as they were before reading them

                def hand_over(dataset: Any) -> None:
                    if before is not None and memo_key(data_path) == before:  # not rewritten meanwhile
                        keep_dataset(preload, before, dataset, shared)

                kpis = load_kpis(data_path, on_loaded=hand_over)
            # through JSON as a manifest keeps them, so every run gets the same values
            kpis = json.loads(json.dumps(kpis, ensure_ascii=False, default=str))
            atomic_write_text(target, json.dumps(kpis, ensure_ascii=False))
            return kpis
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _kpis_for(spec: RunSpec, data_fp: str | None, previous: dict | None,
              pool: ThreadPoolExecutor, shared: str | None = None) -> Future | dict | None:
    """Reuse the previous run's KPIs when its data files are byte-identical, else compute in a thread."""
    if spec.data_path is None:
        return None
    if (previous and previous.get("data_fingerprint") == data_fp and previous.get("kpis") is not None
            and "daily" in previous["kpis"]):  # KPIs recorded before the daily series are computed again
        return previous["kpis"]
    return pool.submit(shared_kpis, spec.passed["data_path"], shared)


def run_one(task: _Task) -> RunResult:
    """Render one run (see the module docstring); never raises for a failing notebook."""
    from .alerts import evaluate
    from .changes import change_windows, compare_kpis
    from .render import execute, header_markdown, insert_header, notebook_to_html, write_html, write_notebook
    from .streams import take_stderr
    from .summary import collect_findings, page_lang, select_language

    spec, t0, started_at = task.spec, time.perf_counter(), dt.datetime.now().astimezone()
    started = started_at.isoformat(timespec="seconds")
    day_folder = spec.folder(task.out_dir, task.date)
    day_folder.mkdir(parents=True, exist_ok=True)
    folder = day_folder  # moves to failed-<HHMMSS>/ when this attempt fails and the day has a good run
    latest = task.out_dir / LATEST
    previous = read_manifest(latest / f"{spec.name}.json")

    def targets(f: Path) -> tuple[Path, Path, Path]:
        return f / f"{spec.name}.ipynb", f / f"{spec.name}.html", f / "manifest.json"

    def divert_failure() -> None:
        nonlocal folder, nb_target, html_target, manifest_target
        if folder == day_folder and _holds_success(day_folder):
            folder = failed_folder(day_folder, started_at)
            folder.mkdir(parents=True)
            nb_target, html_target, manifest_target = targets(folder)
            manifest["folder"] = _rel(folder, task.out_dir)

    nb_target, html_target, manifest_target = targets(folder)
    scratch = day_folder / f".{spec.name}.executing.ipynb"
    manifest: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION, "name": spec.name, "title": spec.title, "date": task.date.isoformat(),
        "folder": _rel(folder, task.out_dir), "notebook": _rel(spec.notebook, task.root),
        "parameters": spec.parameters, "parameters_passed": spec.passed, "kernel": task.kernel,
        "cwd": str(task.root), "started": started,
    }
    status, error, kpis, kpi_error, alerts, changes, identical = "failed", None, None, None, [], [], None
    stderr: list[dict] = []
    windows: dict | None = None
    try:
        inputs = collect_inputs(spec.notebook, spec.input_paths(), task.root)
        data = [e for e in inputs if e["role"] == "input"]
        data_fp = fingerprint(data, {}) if spec.data_path is not None else None
        manifest.update(inputs=inputs, fingerprint=fingerprint(inputs, spec.parameters), data_fingerprint=data_fp,
                        packages=package_versions())
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = _kpis_for(spec, data_fp, previous, pool, task.shared)
            via = {"preload": task.preload} if task.preload else {}  # only when there is a server
            nb, error = execute(spec.notebook, scratch, spec.passed, kernel=task.kernel, cwd=task.root,
                                cell_timeout=task.cell_timeout, **via)
            status = "success" if error is None else "failed"
            stderr = take_stderr(nb)  # warnings go to the manifest and the log, never onto the page
            if isinstance(pending, Future):
                try:
                    kpis = pending.result()
                except Exception as err:  # noqa: BLE001 - shown in the report, not fatal
                    kpi_error = f"{type(err).__name__}: {err}"
            else:
                kpis = pending
        if spec.data_path is None:
            kpi_error = "the run has no data_path parameter"
        prev_kpis = previous.get("kpis") if previous else None
        changes = compare_kpis(kpis, prev_kpis) if kpis else []
        windows = change_windows(kpis, prev_kpis) if kpis else None
        alerts = evaluate(spec.alerts, kpis, prev_kpis) if kpis else []
        identical = identical_run(manifest, previous)
        lang = page_lang(spec.parameters)
        select_language(nb, lang)
        header = header_markdown(
            name=spec.name, title=spec.title, date=task.date.isoformat(), status=status, error=error,
            changes=changes, previous=previous if prev_kpis else None, alerts=alerts, identical=identical,
            kpi_error=kpi_error, data_range=((kpis or {}).get("data_from"), (kpis or {}).get("data_to")),
            windows=windows, lang=lang, kpis=kpis, findings=collect_findings(nb))
        insert_header(nb, header)
        title = f"{'[FAILED] ' if status != 'success' else ''}{spec.title or spec.name} · {task.date.isoformat()}"
        page = notebook_to_html(nb, title, lang)  # before writing anything: a conversion error leaves the day intact
        if status != "success":
            divert_failure()
        write_notebook(nb, nb_target)
        write_html(page, html_target)
        if status == "success":
            write_html(page, latest / f"{spec.name}.html")
    except Exception as err:  # noqa: BLE001 - a broken run must not stop the others
        status = "failed"
        error = {"ename": type(err).__name__, "evalue": str(err), "cell_index": None, "exec_count": None,
                 "traceback": traceback.format_exc()}
        divert_failure()
    finally:
        if scratch.exists():
            scratch.unlink()
    seconds = time.perf_counter() - t0
    manifest.update(
        finished=_now(), duration_seconds=round(seconds, 3), status=status, error=error,
        previous_success=({"date": previous.get("date"), "started": previous.get("started"),
                           "folder": previous.get("folder")} if previous else None),
        identical_to_previous=identical, kpis=kpis, kpi_error=kpi_error, changes=changes, changes_windows=windows,
        alerts=alerts, warnings=stderr,
        outputs={"notebook": _rel(nb_target, task.out_dir) if nb_target.exists() else None,
                 "html": _rel(html_target, task.out_dir) if html_target.exists() else None,
                 "latest": f"{LATEST}/{spec.name}.html" if status == "success" else None},
    )
    write_manifest(manifest_target, manifest)
    if status == "success":
        write_manifest(latest / f"{spec.name}.json", manifest)
    return RunResult(name=spec.name, status=status, seconds=seconds, folder=str(folder),
                     html=str(html_target) if html_target.exists() else None,
                     notebook=str(nb_target) if nb_target.exists() else None, manifest=str(manifest_target),
                     error=error, alerts=alerts, identical_to=identical, warnings=stderr)


def _prefetch(tasks: Sequence[_Task]) -> None:
    """With a preload server: each data folder loaded once, here, before any kernel starts.

    :func:`shared_kpis` leaves the KPIs for the runs and hands the dataset to the server,
    so every kernel gets it from :func:`fact_toolkit.load` (:mod:`fact_toolkit.memo`). This
    overlaps the server's imports; a failure is left to the runs, which try again and
    report it.
    """
    done: set[str] = set()
    for t in tasks:
        path = t.spec.passed.get("data_path")  # spelled as the notebook gets it: the load report names files so
        if t.preload is None or not isinstance(path, str) or path in done:
            continue
        done.add(path)
        try:
            shared_kpis(path, t.shared, t.preload)
        except Exception:  # noqa: BLE001 - the run computes (and reports) it itself
            pass


def _longest_first(tasks: Sequence[_Task]) -> list[_Task]:
    """Start the runs that took longest last time first (unknown first): shorter total wall time."""
    def last(t: _Task) -> float:
        m = read_manifest(t.out_dir / LATEST / f"{t.spec.name}.json")
        d = (m or {}).get("duration_seconds")
        return float(d) if isinstance(d, (int, float)) else float("inf")

    return sorted(tasks, key=last, reverse=True)


def run_reports(config: ReportConfig, *, date: dt.date | None = None, jobs: int | None = None,
                quiet: bool = False, echo: Callable[[str], None] | None = None,
                preload: Any = True) -> list[RunResult]:
    """Render every run of ``config`` and rebuild ``index.html``; results in configuration order.

    Parameters
    ----------
    config : ReportConfig
        Validated configuration (:func:`fact_toolkit.reports.config.load_config`).
    date : date, optional
        The reports' date (folder name, header); default today.
    jobs : int, optional
        Runs rendered at the same time, each in its own process; default
        :func:`default_jobs`. One job (or one run) renders in this process.
    quiet : bool
        No progress bar and no per-run lines.
    echo : callable, optional
        Where per-run lines go (default: ``tqdm.write``).
    preload : bool or PreloadServer
        With two or more runs, fork every kernel from one process that imported the
        notebooks' libraries once (:mod:`fact_toolkit.reports.preload`) instead of
        starting each from scratch. The notebooks compute the same; only start-up is shared.
        A :class:`~fact_toolkit.reports.preload.PreloadServer` started earlier by the
        caller is used (and stopped) instead of a new one.
    """
    from tqdm.auto import tqdm

    from .index import write_index

    date = date or dt.date.today()
    jobs = max(1, jobs or default_jobs())
    from .preload import PreloadServer, available

    server = preload if isinstance(preload, PreloadServer) else None
    if server is not None and len(config.runs) < 2:
        server.stop()  # one run gains nothing from it
        server = None
    elif server is None and preload and len(config.runs) > 1 and available():
        server = PreloadServer()  # imports in the background while the first runs get ready
    shared = tempfile.mkdtemp(prefix="ft-report-")
    tasks = [_Task(spec=s, root=config.root, out_dir=config.out_dir, kernel=config.kernel,
                   cell_timeout=config.cell_timeout, date=date, preload=server.address if server else None,
                   shared=shared)
             for s in config.runs]
    results: dict[str, RunResult] = {}
    bar = tqdm(total=len(tasks), unit="report", desc="reports", disable=quiet, leave=True)
    say = echo or tqdm.write

    def done(r: RunResult) -> None:
        results[r.name] = r
        bar.update(1)
        if not quiet:
            mark = "ok" if r.ok else "FAILED"
            extra = f", {len(r.alerts)} alert(s)" if r.alerts else ""
            say(f"{mark:>6}  {r.name} ({r.seconds:.1f} s{extra}) → {r.html or r.folder}")
            for w in r.warnings:  # the log: kept off the page, not lost (all of it is in the manifest)
                first = (w["text"].splitlines() or [""])[0][:200]
                say(f"        warning in {r.name}, cell {w['cell']}: {first} (manifest: {r.manifest})")

    try:
        if jobs == 1 or len(tasks) == 1:
            _prefetch(tasks)
            for t in tasks:
                done(run_one(t))
        else:
            import multiprocessing

            if multiprocessing.get_start_method() == "fork":
                from .render import warm_up

                warm_up()  # once here (while the preload server imports) instead of once per worker
            _prefetch(tasks)
            with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
                futures = {pool.submit(run_one, t): t for t in _longest_first(tasks)}
                for fut in as_completed(futures):
                    t = futures[fut]
                    try:
                        done(fut.result())
                    except Exception as err:  # noqa: BLE001 - e.g. a worker killed by the OS
                        done(RunResult(name=t.spec.name, status="failed", seconds=0.0,
                                       folder=str(t.spec.folder(t.out_dir, date)),
                                       error={"ename": type(err).__name__, "evalue": str(err)}))
    finally:
        bar.close()
        if server is not None:
            server.stop()
        shutil.rmtree(shared, ignore_errors=True)
    write_index(config)
    return [results[t.spec.name] for t in tasks]


def exit_code(results: Sequence[RunResult], fail_on_alert: bool = False) -> int:
    """0 all rendered; 3 at least one run failed; 4 alerts fired and ``fail_on_alert`` (no failure).

    Examples
    --------
    >>> ok = RunResult("a", "success", 1.0, "f", alerts=[{"message": "x"}])
    >>> exit_code([ok]), exit_code([ok], fail_on_alert=True)
    (0, 4)
    """
    if any(not r.ok for r in results):
        return 3
    if fail_on_alert and any(r.alerts for r in results):
        return 4
    return 0
