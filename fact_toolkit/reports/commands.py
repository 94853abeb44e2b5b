"""``fact-toolkit report``: the command-line front of :mod:`fact_toolkit.reports`."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["report", "register"]


def _skip_slow_optional_imports() -> None:
    """Keep jsonschema from compiling its optional IRI grammar in this CLI process.

    ``jsonschema`` (imported by nbformat, hence papermill and nbconvert) loads
    ``rfc3987_syntax`` when installed, which builds ~40 lark parsers at import: about
    1.3 s per process, paid before any notebook runs. Notebook schemas use no ``iri``
    format, so the command marks the module absent (only when nothing imported it yet).
    Library users importing :mod:`fact_toolkit.reports` are not affected.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def report(
    config: Annotated[Path, typer.Option("--config", "-c", help="Run configuration (TOML).")] = Path(
        "reports/runs.toml"),
    only: Annotated[list[str] | None, typer.Option("--only", help="Render only this run (repeatable).")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                             help="Runs rendered at once (default: number of CPUs).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or per-run lines (cron).")] = False,
    fail_on_alert: Annotated[bool, typer.Option("--fail-on-alert",
                                                help="Exit 4 when an alert fires (and nothing failed).")] = False,
    date: Annotated[str | None, typer.Option("--date", help="Report date YYYY-MM-DD (default today).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: out_dir of the config).")] = None,
    preload: Annotated[bool, typer.Option("--preload/--no-preload",
                                          help="Fork the kernels from one process that imported the "
                                               "notebooks' libraries once (two or more runs).")] = True,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF beside each HTML page (headless "
                                                    "Chromium; says so when it is not installed).")] = False,
) -> None:
    """Render every configured notebook to code-free HTML, with what changed and alerts.

    Exit status: 0 all rendered; 2 bad configuration (nothing ran); 3 a run failed
    (the others still rendered; listed at the end); 4 an alert fired with --fail-on-alert.
    """
    from dataclasses import replace

    _skip_slow_optional_imports()
    from .config import load_config, parse_date
    from .runner import exit_code, run_reports

    from .preload import PreloadServer, available

    # first: its imports are the longest wait before the first kernel can start
    server = PreloadServer() if preload and available() else None
    try:
        day = parse_date(date)
        cfg = load_config(config, only=only or None)
        if out is not None:
            cfg = replace(cfg, out_dir=out.expanduser().resolve())
        results = run_reports(cfg, date=day, jobs=jobs, quiet=quiet, preload=server or False)
    finally:
        if server is not None:
            server.stop()  # run_reports stops it too; stopping twice is harmless
    if pdf:
        _write_pdfs(results, cfg.out_dir, quiet)
    failed = [r for r in results if not r.ok]
    alerts = [(r.name, a) for r in results for a in r.alerts]
    if not quiet:
        typer.echo(f"{len(results) - len(failed)} of {len(results)} report(s) rendered → "
                   f"{cfg.out_dir / 'index.html'}")
    if alerts and (not quiet or fail_on_alert):
        typer.echo(f"{len(alerts)} alert(s):", err=fail_on_alert)
        for name, a in alerts:
            typer.echo(f"  {name}: {a['message']}", err=fail_on_alert)
    if failed:
        typer.echo(f"{len(failed)} report(s) FAILED:", err=True)
        for r in failed:
            e = r.error or {}
            first = (str(e.get("evalue") or "").splitlines() or [""])[0][:300]
            typer.echo(f"  {r.name}: {e.get('ename', '')}: {first} (notebook: {r.notebook or r.folder})", err=True)
    code = exit_code(results, fail_on_alert)
    if code:
        raise typer.Exit(code)


def _write_pdfs(results: list, out_dir: Path, quiet: bool) -> None:
    """A PDF beside each page written (and beside ``latest/<name>.html`` for successes)."""
    from .pdf import PdfUnavailable, html_to_pdf
    from .runner import LATEST

    from .._atomic import atomic_write_bytes

    for r in results:
        if not r.html:
            continue
        try:
            written = html_to_pdf(Path(r.html))
        except PdfUnavailable as err:
            typer.echo(str(err), err=True)
            return
        except (RuntimeError, OSError, subprocess.SubprocessError) as err:
            typer.echo(f"--pdf: {r.name}: {err}", err=True)
            continue
        if r.ok:  # latest/<name>.html is this page: its PDF is the same file
            atomic_write_bytes(out_dir / LATEST / f"{r.name}.pdf", written.read_bytes())
        if not quiet:
            typer.echo(f"PDF → {written}")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app`` (wrapped in the CLI's error guard)."""
    from .._guard import guard

    app.command("report")(guard(report))
