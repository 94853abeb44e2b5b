"""How every ``fact-toolkit`` command ends on an error: one line and an exit code.

Shared by :mod:`fact_toolkit.cli` and the commands other packages register on its app
(:mod:`fact_toolkit.models.commands`, :mod:`fact_toolkit.reports.commands`), which
therefore need not import the CLI module that imports them.
"""

from __future__ import annotations

import os
import sys
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
    """Turn FactInputError into exit 2 with one line; a closed output pipe into a quiet exit
    141; anything else into exit 1."""

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
        except BrokenPipeError:
            # the reader stopped reading (``… | head``): not an error of ours; say nothing more
            # (stdout goes to /dev/null so the final flush cannot fail again) and end as a
            # program killed by SIGPIPE does, 128 + 13
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except Exception as err:  # a bug: say so, show the trace when asked
            typer.echo(f"internal error (a bug in fact_toolkit): {type(err).__name__}: {err}", err=True)
            if STATE["verbose"]:
                traceback.print_exc()
            else:
                typer.echo("run again with --verbose for the traceback", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
