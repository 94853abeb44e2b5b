"""CLI commands ``fact-toolkit snowball`` and ``fact-toolkit forecast`` (added by :func:`register`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from .._json import jsonable
from ..errors import FactInputError

__all__ = ["register", "snowball_cmd", "forecast_cmd"]

Paths = Annotated[list[Path], typer.Argument(help="Export files, folders or globs (raw exports or canonical tables).")]
_FIELDS = ("group", "elasticity", "ci_low", "ci_high", "p_value", "placebo_p_value", "n_days", "verdict")


def _load(paths: list[Path]) -> Any:
    from ..loader import load

    return load(*paths)


def _check_by(by: str) -> str:
    if by not in ("fact_channel", "account_id", "all"):
        raise FactInputError("--by", f"unknown grouping {by!r}", fix="use fact_channel, account_id or all")
    return by


def snowball_cmd(
    paths: Paths,
    by: Annotated[str, typer.Option(help="fact_channel | account_id | all")] = "fact_channel",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: {\"results\": [...]}.")] = False,
    lags: Annotated[int, typer.Option(help="Days of lags (traffic and 7-day GPM).")] = 7,
    traffic: Annotated[str, typer.Option(help="view_pv | exposure_pv | organic")] = "view_pv",
    jobs: Annotated[int, typer.Option(help="Parallel workers.")] = 1,
) -> None:
    """Long-run elasticity of organic traffic to the preceding week's GPM, per group."""
    from .snowball import TRAFFIC_CHOICES, snowball_table

    _check_by(by)
    if traffic not in TRAFFIC_CHOICES:
        raise FactInputError("--traffic", f"unknown traffic {traffic!r}", fix=f"use {', '.join(TRAFFIC_CHOICES)}")
    if lags < 1:
        raise FactInputError("--lags", "must be at least 1", fix="use e.g. --lags 7")
    table = snowball_table(_load(paths), by=by, lags=lags, traffic=traffic, n_jobs=jobs)
    rows = [{k: jsonable(r[k]) for k in _FIELDS} for r in table.to_dict("records")]
    if as_json:
        typer.echo(json.dumps({"results": rows}, ensure_ascii=False, indent=2))
        return
    for r in rows:
        e = "-" if r["elasticity"] is None else f"{r['elasticity']:.3f}"
        typer.echo(f"{r['group']}: elasticity {e} · {r['n_days']} days · {r['verdict']}")


def forecast_cmd(
    paths: Paths,
    horizon: Annotated[int, typer.Option(help="Days ahead.")] = 28,
    by: Annotated[str, typer.Option(help="fact_channel | account_id | all")] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: {\"results\": [...]}.")] = False,
    metrics: Annotated[str, typer.Option(help="Comma-separated: gpm, views, gmv.")] = "gpm,views,gmv",
) -> None:
    """Forecast GPM, views and GMV with intervals; the model is chosen by a rolling-origin backtest."""
    from .forecast import forecast_metric
    from .series import daily_series, split_groups

    _check_by(by)
    if not 1 <= horizon <= 365:
        raise FactInputError("--horizon", f"{horizon} days is out of range", fix="use 1 to 365 days")
    wanted = tuple(m.strip() for m in metrics.split(",") if m.strip())
    bad = [m for m in wanted if m not in ("gpm", "views", "gmv")]
    if bad or not wanted:
        raise FactInputError("--metrics", f"unknown metric {', '.join(bad) or '(none)'}", fix="use gpm, views, gmv")
    series = daily_series(_load(paths), by=by)
    results = []
    for group, frame in split_groups(series).items():
        for m in wanted:
            results.append(forecast_metric(frame, m, horizon, group=group))
    if as_json:
        typer.echo(json.dumps({"results": [r.as_dict() for r in results]}, ensure_ascii=False, indent=2))
        return
    for r in results:
        head = f"{r.group} · {r.metric}"
        if r.table.empty:
            typer.echo(f"{head}: {'; '.join(r.messages)}")
            continue
        chosen = r.backtest.set_index("model").loc[r.model]
        typer.echo(f"{head}: model {r.model} (backtest MASE {chosen['mase']:.2f}, MAPE {chosen['mape']:.1%}, "
                   f"{r.level:.0%} interval coverage {chosen['coverage']:.0%})")
        first, last = r.table.iloc[0], r.table.iloc[-1]
        typer.echo(f"  {first['date']:%Y-%m-%d}: {first['forecast']:,.2f} [{first['lower']:,.2f}–{first['upper']:,.2f}]"
                   f"  …  {last['date']:%Y-%m-%d}: {last['forecast']:,.2f} [{last['lower']:,.2f}–{last['upper']:,.2f}]")
        for msg in r.messages:
            typer.echo(f"  note: {msg}")


def register(app: typer.Typer) -> None:
    """Add ``snowball`` and ``forecast`` to a typer app (wrapped like the other commands)."""
    from .._guard import guard

    app.command("snowball")(guard(snowball_cmd))
    app.command("forecast")(guard(forecast_cmd))
