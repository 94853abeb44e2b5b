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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._guard import STATE, guard
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


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show details on errors.")] = False) -> None:
    STATE["verbose"] = verbose


Paths = Annotated[list[Path], typer.Argument(help="Export files, folders or globs (raw exports or canonical tables).")]


@app.command()
@guard
def sample(
    out: Annotated[Path, typer.Option(help="Folder to write the sample exports into.")] = Path("data/sample"),
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed → byte-identical files).")] = None,
    days: Annotated[int, typer.Option(help="Days to simulate.")] = 730,
    tiktok: Annotated[bool, typer.Option("--tiktok", help="Write instead one Indonesian TikTok shop's week of "
                                                          "Seller Center downloads (five files).")] = False,
    elasticity: Annotated[float, typer.Option(
        help="Snowball elasticity of the F accounts' organic exposure to their lagged 7-day GPM (0: none).")] = 0.4,
) -> None:
    """Write the simulated sample brand as a shop would download its exports."""
    from .errors import FactInputError

    if tiktok:
        from .sample import write_tiktok_shop

        for p in write_tiktok_shop(out):
            typer.echo(str(p))
        return
    from .sample import DEFAULT_SEED, write_sample

    if not -2.0 <= elasticity <= 2.0:
        raise FactInputError("--elasticity", f"{elasticity:g} is out of range", fix="use a value from -2 to 2, e.g. 0.4")
    written = write_sample(out, seed=DEFAULT_SEED if seed is None else seed, days=days, elasticity=elasticity)
    for p in written:
        typer.echo(str(p))


@app.command("load")
@guard
def load_cmd(
    paths: Paths,
    out: Annotated[Path, typer.Option(help="Folder for the canonical tables (Parquet) and load_report.json.")],
    kind: Annotated[str | None, typer.Option(help="Force the file kind instead of recognising it.")] = None,
    locale: Annotated[str | None, typer.Option(help="Number locale: 'id' or 'vi' for dot-thousands.")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse parsed rows of unchanged files.")] = True,
    engine: Annotated[str, typer.Option(help="auto (DuckDB above ~2M rows) | pandas (every row kept) | "
                                             "duckdb (panel and accounts)")] = "auto",
    own_accounts: OwnAccounts = "",
    tz: TimeZone = None,
) -> None:
    """Load exports into canonical tables and write them with the load report."""
    from .engines.dispatch import load

    ds = load(*paths, kind=kind, locale=locale, cache=cache, engine=engine, own_accounts=_split(own_accounts),
              tz=tz)
    ds.write(out)
    typer.echo(str(ds.report))
    typer.echo(f"written to {out}")


OwnAccounts = Annotated[str, typer.Option("--own-accounts", help="The brand's own account IDs or names "
                                                                 "(F), comma-separated.")]
TimeZone = Annotated[str | None, typer.Option("--tz", help="Time zone of the exports' times (default: Asia/Shanghai; "
                                                           "TikTok Seller Center: inferred from the currency).")]


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


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
@guard
def summary(
    paths: Paths,
    by: Annotated[str, typer.Option(help="Canonical column(s) to group by, comma-separated.")] = "fact_channel",
    format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
    kind: Annotated[str | None, typer.Option(help="Force the file kind instead of recognising it.")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse parsed rows of unchanged files.")] = True,
    own_accounts: OwnAccounts = "",
    tz: TimeZone = None,
) -> None:
    """Per-group GMV, paid amount, views, GPM, ROI and share, as ratios of sums."""
    from .loader import load

    if format not in {"table", "csv", "json"}:
        raise FactInputError("--format", f"unknown format {format!r}", fix="use table, csv or json")
    ds = load(*paths, kind=kind, cache=cache, own_accounts=_split(own_accounts), tz=tz)
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
                   "× 1000; ROI = paid amount (else GMV) ÷ ad spend; ratios of sums, '-' where undefined. Rows of a "
                   "platform with its own definition follow it (TikTok LIVE GPM = Direct GMV ÷ views × 1000; "
                   "see docs/platform_metrics.md).")
        currencies = sorted(map(str, facts["currency"].dropna().unique())) if "currency" in facts else []
        if len(currencies) == 1:
            typer.echo(f"Money in {currencies[0]}.")


@app.command()
@guard
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
    from .plan.commands import register as register_plan
    from .reports.commands import register as register_reports

    register_models(app)
    register_plan(app)
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
