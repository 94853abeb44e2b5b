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
_FIELDS = ("group", "elasticity", "ci_low", "ci_high", "p_value", "placebo_p_value", "mde", "n_days", "verdict")
_POOLED = (*_FIELDS, "method", "n_accounts", "traffic")


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
    traffic: Annotated[str, typer.Option(
        help="auto | view_pv | exposure_pv | organic (auto: organic exposure when the ad report gives paid "
             "impressions; per group without --pooled: view_pv)")] = "auto",
    pooled: Annotated[bool, typer.Option(
        "--pooled/--no-pooled",
        help="With --by fact_channel: pool each channel's accounts in one panel (account fixed effects, "
             "Driscoll-Kraay interval) and list the accounts below it; --no-pooled fits each channel's summed "
             "series.")] = True,
    jobs: Annotated[int, typer.Option(help="Parallel workers.")] = 1,
) -> None:
    """Long-run elasticity of organic traffic to the preceding week's GPM, per channel (pooled) or group."""
    from .snowball import TRAFFIC_CHOICES, snowball_table

    _check_by(by)
    if traffic != "auto" and traffic not in TRAFFIC_CHOICES:
        raise FactInputError("--traffic", f"unknown traffic {traffic!r}",
                             fix=f"use auto, {', '.join(TRAFFIC_CHOICES)}")
    if lags < 1:
        raise FactInputError("--lags", "must be at least 1", fix="use e.g. --lags 7")
    data = _load(paths)
    if by == "fact_channel" and pooled:
        _pooled(data, lags, traffic, as_json)
        return
    table = snowball_table(data, by=by, lags=lags, traffic="view_pv" if traffic == "auto" else traffic,
                           n_jobs=jobs)
    rows = [{k: jsonable(r.get(k)) for k in _FIELDS} for r in table.to_dict("records")]
    if as_json:
        typer.echo(json.dumps({"results": rows}, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(_line(r))


def _line(r: dict[str, Any], indent: str = "") -> str:
    e = "-" if r.get("elasticity") is None else f"{r['elasticity']:.3f}"
    how = ""
    if r.get("method") == "panel":
        how = f" · pooled over {r['n_accounts']} accounts"
    elif r.get("method") == "channel series":
        how = " · channel series"
    mde = "" if r.get("mde") is None else f" · detectable ≥ {r['mde']:.2f}"
    return f"{indent}{r['group']}: elasticity {e}{how} · {r['n_days']} days{mde} · {r['verdict']}"


def _pooled(data: Any, lags: int, traffic: str, as_json: bool) -> None:
    """Each channel's pooled estimate, its accounts listed below it."""
    from .snowball_panel import snowball_channels

    channels, accounts = snowball_channels(data, lags=lags, traffic=traffic)
    out = []
    for r in channels.to_dict("records"):
        row = {k: jsonable(r.get(k)) for k in _POOLED}
        acc = accounts[accounts["channel"] == r["group"]] if len(accounts) else accounts
        row["accounts"] = [{k: jsonable(a.get(k)) for k in _FIELDS} for a in acc.to_dict("records")]
        out.append(row)
    if as_json:
        typer.echo(json.dumps({"results": out}, ensure_ascii=False, indent=2))
        return
    for row in out:
        typer.echo(_line(row))
        for a in row["accounts"] if row["method"] == "panel" else []:
            typer.echo(_line(a, "    "))


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
