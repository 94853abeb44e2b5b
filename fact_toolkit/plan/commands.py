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

    from ..diagnosis import check_params
    from ..loader import load
    from .build import build_plan
    from .section import plan_table

    if not 1 <= weeks <= 104:
        raise FactInputError("--weeks", f"{weeks} weeks is out of range", fix="use 1 to 104 weeks, e.g. --weeks 8")
    if not path.exists():
        raise FactInputError(str(path), "no such file or folder", fix="point it at a folder of exports")
    if benchmarks == "auto":
        cand = path / "benchmarks.csv" if path.is_dir() else path.parent / "benchmarks.csv"
        benchmarks = str(cand) if cand.exists() else ""
    ds = load(path)
    facts = ds.facts()
    d = pd.to_datetime(facts["date"]).dropna() if "date" in facts else pd.Series(dtype="datetime64[ns]")
    if d.empty:
        raise FactInputError(str(path), "the data hold no dated sales rows",
                             fix="point it at live-session, video or product exports")
    inp = check_params(str(path), start=f"{d.min():%Y-%m-%d}", end=f"{d.max():%Y-%m-%d}",
                       benchmarks_path=benchmarks, lang=lang, dataset=ds)
    plan = build_plan(inp, weeks)
    if as_json:
        typer.echo(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
        return
    table = plan_table(plan, lang).drop(columns=[plan_table(plan, lang).columns[-1]])
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 70):
        typer.echo(table.to_string(index=False))
    w = plan.waterfall
    if len(w):
        p = w.iloc[-1]
        typer.echo(f"\ncombined plan ({', '.join(w['step'].iloc[1:-1])}): GMV over {weeks} weeks "
                   f"{w.iloc[0]['gmv']:,.0f} → {p['gmv']:,.0f} (range {p['gmv_low']:,.0f} – {p['gmv_high']:,.0f}) "
                   f"{plan.currency or ''}".rstrip())
    typer.echo(plan.seed_text)
    typer.echo("gain = what-if GMV over the horizon minus the baseline (snowball included); the range spans the "
               "elasticity's 95% interval and the lever's own spread; net gain = net GMV gain − commission − "
               "ad spend − traffic support.")


def register(app: typer.Typer) -> None:
    """Add ``plan`` to a typer app (wrapped like the other commands)."""
    from ..cli import _guard

    app.command("plan")(_guard(plan_cmd))
