"""A cell's text and emptiness: how a typed cell (xlsx number, date, duration) is written as text."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

__all__ = ["_cell_text", "_format_value", "_count_nonempty"]


def _cell_text(value: Any) -> str:
    """Text of a cell for header search: ``None`` → ``""``, numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _format_value(value)


def _format_value(value: Any) -> str:
    """Format a non-string xlsx cell faithfully as text.

    Integral floats are written without ``.0`` (Excel stores every number as a float;
    ``1200`` in the sheet is ``1200.0`` from the reader), other floats with ``repr``.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        total = value.total_seconds()
        sign = "-" if total < 0 else ""
        total = abs(total)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        sec = f"{int(seconds):02d}" if float(seconds).is_integer() else f"{seconds:06.3f}"
        return f"{sign}{int(hours)}:{int(minutes):02d}:{sec}"
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _count_nonempty(cells: Sequence[Any]) -> int:
    return sum(1 for c in cells if not _is_empty(c))
