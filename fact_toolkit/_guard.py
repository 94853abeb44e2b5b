"""How every ``fact-toolkit`` command ends on an error: one line and an exit code.

Shared by :mod:`fact_toolkit.cli` and the commands other packages register on its app
(:mod:`fact_toolkit.models.commands`, :mod:`fact_toolkit.reports.commands`), which
therefore need not import the CLI module that imports them.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

from .errors import FactInputError

__all__ = ["STATE", "guard"]

F = TypeVar("F", bound=Callable[..., Any])
#: set by the ``--verbose`` option of the command line
STATE = {"verbose": False}


def guard(fn: F) -> F:
    """Turn FactInputError into exit 2 with one line; anything else into exit 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FactInputError as err:
            typer.echo(f"error: {err}", err=True)
            if STATE["verbose"]:
                traceback.print_exc()
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as err:  # a bug: say so, show the trace when asked
            typer.echo(f"internal error (a bug in fact_toolkit): {type(err).__name__}: {err}", err=True)
            if STATE["verbose"]:
                traceback.print_exc()
            else:
                typer.echo("run again with --verbose for the traceback", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
