"""Reconciliation of platform-reported metrics, by the metric registry, on pandas and in SQL.

An export may carry the platform's own GPM, CTR, AOV … next to the columns they are
computed from. Each such value is compared with the value recomputed from the same row;
a disagreement beyond rounding is a :class:`~fact_toolkit.report.Mismatch`.

No formula is written here. Which metric recomputes a ``reported_*`` column, from which
columns, with which scale, and how a source (file kind) defines it its own way, all come
from :mod:`fact_toolkit.metrics` (:func:`~fact_toolkit.metrics.reported_metrics`,
:meth:`~fact_toolkit.metrics.Metric.definition`). This module adds the tolerance and
evaluates the registry's definitions on a pandas frame (:func:`frame_mismatches`, through
:func:`~fact_toolkit.metrics.row_values`) or renders them as SQL over canonical columns
(:func:`checks`, :func:`recomputed_sql`, :func:`mismatched_sql`), so the pandas loader and
the DuckDB engine flag the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .metrics import Metric, reported_metrics, row_values
from .schema import TABLES

__all__ = ["Term", "Check", "TOLERANCE", "tolerance", "checks", "frame_mismatches", "recomputed_sql",
           "mismatched_sql"]

#: (absolute, relative) tolerance by the reported column's kind
TOLERANCE: dict[str, tuple[float, float]] = {"rate": (0.0001, 0.0), "money": (0.01, 0.001),
                                              "float": (0.01, 0.001)}


def tolerance(table: str, reported: str) -> tuple[float, float]:
    """(absolute, relative) tolerance of the reported column ``reported`` of ``table``."""
    return TOLERANCE.get(TABLES[table].column(reported).kind, (0.01, 0.001))


@dataclass(frozen=True)
class Term:
    """One registry metric's definition with its columns chosen for a file.

    On one row: ``numerator ÷ denominator × scale``, or ``numerator − subtract`` for an
    additive metric (``denominator`` None), as :class:`~fact_toolkit.metrics.Metric` defines it.
    """

    metric: str
    numerator: str
    denominator: str | None
    scale: float
    subtract: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """A reported column and the registry terms recomputing it, in order of preference.

    A row is recomputed by the first term its columns support (CTR per people, else per
    events); the mismatch is named after the first metric, as on the pandas path.
    """

    metric: str
    reported: str
    terms: tuple[Term, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the check reads."""
        cols = [self.reported]
        for t in self.terms:
            cols += [t.numerator, *t.subtract, *([t.denominator] if t.denominator else [])]
        return tuple(dict.fromkeys(cols))


def _term(m: Metric, source: str, has: Callable[[str], bool]) -> Term | None:
    """``m`` as ``source`` defines it, its alternatives chosen as on the pandas path (the first with a value)."""
    d = m.definition(source)
    if d.weight is not None:
        return None  # an average stored per row: never a reported column
    num = next((c for c in d.numerator if has(c)), None)
    den = None if d.denominator is None else next((c for c in d.denominator if has(c)), None)
    if num is None or (d.denominator is not None and den is None) or not all(has(c) for c in d.subtract):
        return None
    return Term(d.name, num, den, float(d.scale), tuple(d.subtract))


def checks(kind: str, has: Callable[[str], bool]) -> list[Check]:
    """The checks a file of ``kind`` (the rows' ``source_kind``) gets, given which columns hold values.

    Parameters
    ----------
    kind : str
        A key of :data:`fact_toolkit.schema.FILE_KINDS`: the source whose definitions apply.
    has : callable
        ``has(column)``: the file has the canonical column with at least one value.

    Returns
    -------
    list of Check
        In the order of :func:`~fact_toolkit.metrics.reported_metrics` (the pandas path's).

    Examples
    --------
    >>> have = {"reported_gpm", "direct_gmv", "gmv", "view_pv"}.__contains__
    >>> [(t.numerator, t.denominator, t.scale) for t in checks("tiktok_live", have)[0].terms]
    [('direct_gmv', 'view_pv', 1000.0)]
    >>> [(t.numerator, t.denominator) for t in checks("compass_live", have)[0].terms]
    [('gmv', 'view_pv')]
    """
    out: list[Check] = []
    for col, metrics in reported_metrics().items():
        if not has(col):
            continue
        terms = tuple(t for m in metrics if (t := _term(m, kind, has)) is not None)
        if terms:
            out.append(Check(metrics[0].name, col, terms))
    return out


def _recomputed(frame: pd.DataFrame, metrics: list[Metric]) -> np.ndarray:
    """Each row's value by the first metric its columns support (NaN where none does)."""
    out = np.full(len(frame), np.nan)
    for m in metrics:
        values = row_values(frame, m)
        fill = np.isnan(out) & np.isfinite(values)
        out[fill] = values[fill]
    return out


def frame_mismatches(frame: pd.DataFrame, table: str) -> Iterator[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """Rows of one file whose reported metrics disagree with the registry's value.

    Each ``reported_*`` column is recomputed by the registry metrics that name it, by each
    row's own source definition (TikTok LIVE: Direct GMV ÷ views).

    Parameters
    ----------
    frame : pandas.DataFrame
        One file's rows in canonical columns (with ``source_kind``).
    table : str
        The canonical table (for the reported column's tolerance).

    Yields
    ------
    (metric, positions, reported, recomputed)
        The metric named in the mismatch, the rows' positions in ``frame`` and their
        reported and recomputed values (float64).
    """
    for col, metrics in reported_metrics().items():
        if col not in frame or not frame[col].notna().any():
            continue
        reported = frame[col].astype("Float64").astype("float64").to_numpy()
        rec = _recomputed(frame, metrics)
        abs_tol, rel_tol = tolerance(table, col)
        with np.errstate(invalid="ignore"):
            bad = np.abs(reported - rec) > abs_tol + rel_tol * np.abs(rec)
        pos = np.flatnonzero(bad)
        if len(pos):
            yield str(metrics[0].name), pos, reported[pos], rec[pos]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _term_sql(t: Term, col: Callable[[str], str]) -> str:
    n = f"CAST({col(t.numerator)} AS DOUBLE)"
    for c in t.subtract:
        n = f"({n} - CAST({col(c)} AS DOUBLE))"
    if t.denominator is None:
        return n if t.scale == 1.0 else f"({n} * {t.scale!r})"
    d = f"CAST({col(t.denominator)} AS DOUBLE)"
    return f"(CASE WHEN {d} <> 0 THEN {n} / {d} * {t.scale!r} END)"


def recomputed_sql(check: Check, col: Callable[[str], str] = _q) -> str:
    """The recomputed value as a DuckDB expression (NULL where undefined), from the registry's terms.

    ``col`` maps a canonical column name to its SQL expression (default: the quoted name).
    The operations run in the order :func:`fact_toolkit.metrics.row_values` runs them, so
    the doubles are identical.

    Examples
    --------
    >>> c = checks("compass_live", {"reported_gpm", "gmv", "view_pv"}.__contains__)[0]
    >>> recomputed_sql(c)
    '(CASE WHEN CAST("view_pv" AS DOUBLE) <> 0 THEN CAST("gmv" AS DOUBLE) / CAST("view_pv" AS DOUBLE) * 1000.0 END)'
    """
    parts = [_term_sql(t, col) for t in check.terms]
    return parts[0] if len(parts) == 1 else "coalesce(" + ", ".join(parts) + ")"


def mismatched_sql(check: Check, table: str, col: Callable[[str], str] = _q) -> str:
    """:func:`frame_mismatches`' test as a DuckDB boolean expression (never NULL)."""
    abs_tol, rel_tol = tolerance(table, check.reported)
    rec = recomputed_sql(check, col)
    rep = f"CAST({col(check.reported)} AS DOUBLE)"
    return f"coalesce(abs({rep} - {rec}) > {abs_tol!r} + {rel_tol!r} * abs({rec}), FALSE)"
