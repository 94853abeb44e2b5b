"""CLI command ``fact-toolkit plan PATH [--weeks 8] [--json]`` (added by :func:`register`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import FactInputError

__all__ = ["register", "plan_cmd"]


def plan_cmd(
    path: Annotated[Path, typer.Argument(help="A folder (or file) of exports.")],
    weeks: Annotated[int, typer.Option(help="Horizon of each simulation, in weeks.")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    benchmarks: Annotated[str, typer.Option(help="Peer benchmarks file; 'auto': benchmarks.csv inside PATH if "
                                                 "there is one; '' for none.")] = "auto",
    lang: Annotated[str, typer.Option(help="zh | en")] = "en",
) -> None:
    """Ranked actions from the diagnosis: lever, target, GMV gain over the horizon with its range, cost."""
    import pandas as pd

    from .build import plan_for_data
    from .section import plan_table

    if not 1 <= weeks <= 104:
        raise FactInputError("--weeks", f"{weeks} weeks is out of range", fix="use 1 to 104 weeks, e.g. --weeks 8")
    if not path.exists():
        raise FactInputError(str(path), "no such file or folder", fix="point it at a folder of exports")
    plan = plan_for_data(path, weeks, benchmarks=benchmarks, lang=lang)
    if as_json:
        typer.echo(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
        return
    table = plan_table(plan, lang)
    table = table.drop(columns=[table.columns[-1]])
    if table.empty:
        typer.echo("no candidate actions: the diagnosis found no weakness in these data")
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 70):
        typer.echo(table.to_string(index=False))
    w = plan.waterfall
    if len(w):
        p = w.iloc[-1]
        typer.echo(f"\ncombined plan ({', '.join(w['step'].iloc[1:-1])}): GMV over {weeks} weeks "
                   f"{w.iloc[0]['gmv']:,.0f} → {p['gmv']:,.0f} (range {p['gmv_low']:,.0f} – {p['gmv_high']:,.0f}) "
                   f"{plan.currency or ''}".rstrip())
    if not plan.seed.empty:
        typer.echo("\nthe seed's capability → lever rule (strongest capability first):")
        with pd.option_context("display.width", 250):
            typer.echo(plan.seed.round(1).to_string(index=False))
    typer.echo(plan.seed_text)
    typer.echo("gain = what-if GMV over the horizon minus the baseline (snowball included); the range spans the "
               "elasticity's 95% interval and the lever's own spread; net gain = net GMV gain − commission − "
               "ad spend − traffic support.")


def register(app: typer.Typer) -> None:
    """Add ``plan`` to a typer app (wrapped like the other commands)."""
    from .._guard import guard

    app.command("plan")(guard(plan_cmd))
