"""The one definition of the daily panel query, rendered for DuckDB and for Spark SQL.

:attr:`fact_toolkit.Dataset.daily` groups the fact rows (content plus shelf product rows)
by :data:`~fact_toolkit.dataset.PANEL_KEYS` and adds up the
:data:`~fact_toolkit.dataset.ADDITIVE` columns; ``content_count`` is the number of rows.
This module states that query once — the grain, the measures, which product rows are
shelf facts — and renders it as SQL text for either engine, so the DuckDB engine and the
Spark engine aggregate by the same definition.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..dataset import ADDITIVE, PANEL_KEYS
from ..schema import SHELF_CARRIERS, TABLES

__all__ = ["PANEL_KEYS", "MEASURES", "panel_keys", "panel_measures", "shelf_predicate", "panel_sql",
           "quote", "conform_panel"]

#: additive columns summed into the panel (``content_count`` is the row count)
MEASURES: tuple[str, ...] = tuple(c for c in ADDITIVE if c != "content_count")


def quote(name: str, dialect: str) -> str:
    """Quote an identifier for ``dialect`` (``duckdb`` or ``spark``)."""
    if dialect == "spark":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def panel_keys(columns: Iterable[str]) -> list[str]:
    """The panel keys present among ``columns``, in panel order."""
    have = set(columns)
    return [k for k in PANEL_KEYS if k in have]


def panel_measures(columns: Iterable[str]) -> list[str]:
    """The additive measures present among ``columns``, in panel order."""
    have = set(columns)
    return [m for m in MEASURES if m in have]


def shelf_predicate(columns: Iterable[str], dialect: str = "duckdb") -> str:
    """SQL predicate selecting shelf (S) product rows, as :meth:`Dataset.facts` does."""
    have = set(columns)
    q = lambda c: quote(c, dialect)  # noqa: E731
    parts = []
    if "fact_channel" in have:
        parts.append(f"coalesce({q('fact_channel')} = 'S', FALSE)")
    if "carrier" in have:
        carriers = ", ".join("'" + c + "'" for c in sorted(SHELF_CARRIERS))
        parts.append(f"coalesce({q('carrier')} IN ({carriers}), FALSE)")
    return "(" + " OR ".join(parts) + ")" if parts else "FALSE"


def panel_sql(source: str, columns: Iterable[str], dialect: str = "duckdb", where: str | None = None,
              count: str = "content_count") -> str:
    """``SELECT keys, SUM(measures), COUNT(*) FROM source GROUP BY keys`` for ``dialect``.

    Parameters
    ----------
    source : str
        A table name, view or parenthesised subquery holding fact rows.
    columns : iterable of str
        The columns ``source`` has (decides which keys and measures exist).
    dialect : {"duckdb", "spark"}
        SQL dialect (identifier quoting; integer sums are cast to BIGINT).
    where : str, optional
        A filter on the rows (e.g. :func:`shelf_predicate`).
    count : str
        Name of the row-count column; when ``columns`` already holds it (partial panels
        being combined), it is summed instead of counted.

    Returns
    -------
    str

    Examples
    --------
    >>> print(panel_sql("t", ["date", "fact_channel", "gmv"]))  # doctest: +NORMALIZE_WHITESPACE
    SELECT "date", "fact_channel", SUM("gmv") AS "gmv", COUNT(*) AS "content_count" FROM t
    GROUP BY "date", "fact_channel"
    """
    cols = list(columns)
    keys = panel_keys(cols)
    measures = panel_measures(cols)
    q = lambda c: quote(c, dialect)  # noqa: E731
    sums = [f"SUM({q(m)}) AS {q(m)}" for m in measures]
    n = f"CAST(SUM({q(count)}) AS BIGINT)" if count in cols else "COUNT(*)"
    select = ", ".join([*map(q, keys), *sums, f"{n} AS {q(count)}"])
    sql = f"SELECT {select} FROM {source}"
    if where:
        sql += f" WHERE {where}"
    if keys:
        sql += " GROUP BY " + ", ".join(map(q, keys))
    return sql


def conform_panel(whole: pd.DataFrame, keys: list[str], measures: list[str]) -> pd.DataFrame:
    """A panel collected from an engine, in ``Dataset.daily``'s dtypes and order.

    Keys become ``string`` (``date``: ``datetime64[ns]``), integer measures ``Int64``, the
    rest ``float64``; lines with equal keys are added up (``content_count`` too).

    Parameters
    ----------
    whole : pandas.DataFrame
        Keys, measures and ``content_count``.
    keys, measures : list of str
        The panel keys and measures present.

    Returns
    -------
    pandas.DataFrame
    """
    spec = TABLES["daily"]
    out: dict[str, pd.Series] = {}
    for k in keys:
        s = whole[k]
        out[k] = (pd.to_datetime(s).astype("datetime64[ns]") if k == "date"
                  else s.astype("string"))
    for m in [*measures, "content_count"]:
        kind = spec.column(m).kind
        s = whole[m]
        if kind == "int":
            out[m] = pd.to_numeric(s.astype("object").where(s.notna(), None)).astype("Float64").astype("Int64") \
                if s.dtype == object else s.astype("Float64").astype("Int64")
        else:
            out[m] = s.astype("float64")
    frame = pd.DataFrame(out)
    g = frame.groupby(keys, dropna=False, sort=True, observed=True)
    summed = g[measures].sum(min_count=1)
    summed["content_count"] = g["content_count"].sum().astype("Int64")
    return summed.reset_index()
