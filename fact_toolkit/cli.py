"""The ``fact-toolkit`` command: a thin front over the package.

Exit codes: 0 success; 2 unusable input (one line on stderr naming the file and the
problem, no traceback; ``--verbose`` adds details); 1 a bug.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ._json import jsonable
from .errors import FactInputError

if TYPE_CHECKING:  # pandas loads with the first command that needs it, not with `--help` or `report`
    import pandas as pd

__all__ = ["app", "main"]

app = typer.Typer(
    name="fact-toolkit",
    help="Douyin / TikTok Shop exports → trustworthy tables, exact metrics, FACT channel views.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
_STATE = {"verbose": False}


def _guard(fn: F) -> F:
    """Turn FactInputError into exit 2 with one line; anything else into exit 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FactInputError as err:
            typer.echo(f"error: {err}", err=True)
            if _STATE["verbose"]:
                traceback.print_exc()
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as err:  # a bug: say so, show the trace when asked
            typer.echo(f"internal error (a bug in fact_toolkit): {type(err).__name__}: {err}", err=True)
            if _STATE["verbose"]:
                traceback.print_exc()
            else:
                typer.echo("run again with --verbose for the traceback", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show details on errors.")] = False) -> None:
    _STATE["verbose"] = verbose


Paths = Annotated[list[Path], typer.Argument(help="Export files, folders or globs (raw exports or canonical tables).")]


@app.command()
@_guard
def sample(
    out: Annotated[Path, typer.Option(help="Folder to write the sample exports into.")] = Path("data/sample"),
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed → byte-identical files).")] = None,
    days: Annotated[int, typer.Option(help="Days to simulate.")] = 730,
) -> None:
    """Write the simulated sample brand as a shop would download its exports."""
    from .sample import DEFAULT_SEED, write_sample

    written = write_sample(out, seed=DEFAULT_SEED if seed is None else seed, days=days)
    for p in written:
        typer.echo(str(p))


@app.command("load")
@_guard
def load_cmd(
    paths: Paths,
    out: Annotated[Path, typer.Option(help="Folder for the canonical tables (Parquet) and load_report.json.")],
    kind: Annotated[str | None, typer.Option(help="Force the file kind instead of recognising it.")] = None,
    locale: Annotated[str | None, typer.Option(help="Number locale: 'id' or 'vi' for dot-thousands.")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse parsed rows of unchanged files.")] = True,
    engine: Annotated[str, typer.Option(help="auto (DuckDB above ~2M rows) | pandas (every row kept) | "
                                             "duckdb (panel and accounts)")] = "auto",
) -> None:
    """Load exports into canonical tables and write them with the load report."""
    from .loader import load

    ds = load(*paths, kind=kind, locale=locale, cache=cache, engine=engine)
    ds.write(out)
    typer.echo(str(ds.report))
    typer.echo(f"written to {out}")


_TABLE_COLUMNS = ["rows", "gmv", "paid_amount", "net_gmv", "views", "gpm", "ad_spend", "roi", "gmv_share"]


def _format_table(table: pd.DataFrame) -> str:
    """Counts without decimals, money and ratios with two, shares as percentages."""
    import pandas as pd

    counts = {"rows", "views", "viewers", "orders", "buyers", "exposures", "items", "new_followers"}

    def fmt(col: str, v: object) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return "-"
        if col == "gmv_share":
            return f"{float(v):.1%}"
        if col in counts:
            return f"{float(v):,.0f}"
        return f"{float(v):,.2f}"

    shown = pd.DataFrame({c: [fmt(c, v) for v in table[c]] for c in table.columns}, index=table.index)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        return shown.to_string(justify="right")


@app.command()
@_guard
def summary(
    paths: Paths,
    by: Annotated[str, typer.Option(help="Canonical column(s) to group by, comma-separated.")] = "fact_channel",
    format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
    kind: Annotated[str | None, typer.Option(help="Force the file kind instead of recognising it.")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse parsed rows of unchanged files.")] = True,
) -> None:
    """Per-group GMV, paid amount, views, GPM, ROI and share, as ratios of sums."""
    from .loader import load

    if format not in {"table", "csv", "json"}:
        raise FactInputError("--format", f"unknown format {format!r}", fix="use table, csv or json")
    ds = load(*paths, kind=kind, cache=cache)
    facts = ds.facts()
    cols = [c.strip() for c in by.split(",") if c.strip()]
    unknown = [c for c in cols if c not in facts.columns]
    if unknown:
        raise FactInputError("--by", f"no column {', '.join(unknown)} in the loaded data",
                             fix=f"choose from: {', '.join(map(str, facts.columns))}")
    table = ds.summary(by=cols or None)
    if table.empty or int(table["rows"].sum()) == 0:
        t = ds.report.totals
        raise FactInputError(", ".join(map(str, paths)),
                             f"no rows loaded ({t['rows_read']} read, {t['rows_quarantined']} quarantined)",
                             fix="see the quarantine list: fact-toolkit load PATH --out DIR writes load_report.json")
    if format == "json":
        rows = [{k: jsonable(v) for k, v in rec.items()} for rec in table.reset_index().to_dict("records")]
        typer.echo(json.dumps({"by": cols, "rows": rows, "rows_read": ds.report.totals["rows_read"]},
                              ensure_ascii=False, indent=2))
    elif format == "csv":
        sys.stdout.write(table.to_csv())
    else:
        typer.echo(_format_table(table[[c for c in _TABLE_COLUMNS if c in table.columns]]))
        t = ds.report.totals
        typer.echo(f"\n{t['rows_read']} rows read = {t['rows_loaded']} loaded + {t['rows_quarantined']} "
                   f"quarantined + {t['rows_summary']} summary rows. GPM = paid amount (else GMV) ÷ views "
                   "× 1000; ROI = paid amount ÷ ad spend; ratios of sums, '-' where undefined.")


@app.command()
@_guard
def doctor(
    kernel: Annotated[str, typer.Option(help="The Jupyter kernel the reports run in.")] = "python3",
    as_json: Annotated[bool, typer.Option("--json", help="The checks as JSON.")] = False,
) -> None:
    """What this machine has and lacks for fact_toolkit, each line with its fix.

    Exit status 0 when `make report` and `make test` will work here, 1 otherwise
    (optional extras, Spark and Chromium, never fail it).
    """
    from .doctor import as_records, format_checks, ready, run_checks

    checks = run_checks(kernel=kernel)
    if as_json:
        typer.echo(json.dumps({"ready": ready(checks), "checks": as_records(checks)}, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_checks(checks))
    if not ready(checks):
        raise typer.Exit(1)


def _register_commands() -> None:
    """Commands that live beside their concern (models, reports …), added to the one app."""
    from .models.commands import register as register_models
    from .reports.commands import register as register_reports

    register_models(app)
    register_reports(app)


_register_commands()


def main() -> None:
    """Console-script entry point.

    Ends the process: runs the exit handlers (joblib's worker pools, coverage …), flushes
    the output streams and leaves through :func:`os._exit`, skipping only the
    interpreter's teardown of pandas, matplotlib and Jupyter modules, which took another
    0.2–0.3 s after each command. Every command has finished and written (atomically) what
    it writes by then. Call :data:`app` to run a command inside another program.
    """
    try:
        app()
        code: int = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:  # a message instead of a status, as sys.exit("...") gives
            print(stop.code, file=sys.stderr)
            code = 1
    atexit._run_exitfuncs()  # what a normal exit runs first (logging.shutdown is one of them)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
