"""Table validation with pandera, and the quarantine of rows that fail it.

The pandera schema of each canonical table is derived from :mod:`fact_toolkit.schema`:
dtypes, non-negative counts and money (refunds excepted), required values present.
Validation runs lazily so every failing row and check is reported at once, and its
``failure_cases`` frame becomes quarantine entries. Duplicate keys are handled before
pandera runs: identical repeats (the same export downloaded twice) are kept once and the
repeats quarantined; repeats with *different* values are all quarantined, because the
toolkit cannot know which one is right.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import pandas as pd


@contextmanager
def _without_pyspark_import_warning() -> Iterator[None]:
    """Silence the one warning pyspark gives when pandera imports it.

    pandera imports ``pyspark.pandas`` (at import and again when its backends register)
    when pyspark is installed — the optional ``spark`` extra — and pyspark warns that it
    does not fully support pandas 3. The pandas path never uses pyspark.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                                category=FutureWarning)
        yield


with _without_pyspark_import_warning():
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

from .report import QuarantinedRow
from .schema import TABLES

__all__ = ["warm_up", "table_schema", "validate_table", "find_duplicates", "version_columns", "value_text",
           "DTYPES", "REPEAT_REASON", "CONFLICT_REASON"]

#: the reason of an identical repeat's quarantine entry (``what``: the key and its value, or
#: "this row"; ``file`` and ``row``: the copy kept). The DuckDB engine writes the same words in
#: SQL (:func:`fact_toolkit.io.sql.format_sql`)
REPEAT_REASON = "{what} repeats {file} row {row} with identical values; kept once"
#: the reason of each copy of a key repeated with different values (``n`` copies)
CONFLICT_REASON = "{what} appears {n} times with different numbers; all copies set aside: keep one version in the inputs"

#: pandas dtype of each column kind after parsing
DTYPES: dict[str, str] = {
    "id": "string",
    "text": "string",
    "category": "string",
    "int": "Int64",
    "float": "float64",
    "money": "float64",
    "rate": "float64",
    "duration": "float64",
    "duration_min": "float64",
    "datetime": "datetime64[ns, Asia/Shanghai]",
    "date": "datetime64[ns]",
    "bool": "boolean",
    "range": "float64",
}


@lru_cache(maxsize=None)
def table_schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a canonical table.

    Required columns must have a value in every row; counts and money (except refunds
    and reported net GMV) must be ≥ 0. Datetime columns are checked as datetimes of any
    time zone.
    """
    spec = TABLES[table]
    cols: dict[str, pa.Column] = {}
    for c in spec.columns:
        checks = [pa.Check.ge(0, error="must not be negative")] if c.nonneg else []
        if c.kind in {"money", "float", "range", "duration"}:
            checks.append(pa.Check(lambda v: ~np.isinf(v), element_wise=False, error="must be finite"))
        if c.kind == "rate":
            checks.append(pa.Check.in_range(0, 1, error="a rate must lie between 0 and 1"))
        dtype = None if c.kind == "datetime" else DTYPES[c.kind]
        cols[c.name] = pa.Column(dtype, checks=checks, nullable=not c.required, required=False,
                                 coerce=False)
    return pa.DataFrameSchema(cols, strict=False, name=table)


def _rule(check: object, column: str) -> tuple[str, str]:
    text = str(check)
    if "not_nullable" in text:
        return "required", f"{column}: a required value is missing"
    if "greater_than_or_equal_to" in text or "negative" in text:
        return "non_negative", f"{column}: must not be negative (counts and amounts are ≥ 0)"
    if "finite" in text:
        return "finite", f"{column}: the number is too large to be real (overflow); fix the cell"
    if "between 0 and 1" in text or "in_range" in text:
        return "rate_range", (f"{column}: a rate must lie between 0 and 1; write percentages with % "
                              "(32% not 32)")
    if "dtype" in text:
        return "dtype", f"{column}: wrong type ({text})"
    return text, f"{column}: failed check {text}"


@lru_cache(maxsize=None)
def warm_up() -> None:
    """Do pandera's one-time set-up now (its pandas backends register, and import, at the
    first validation). The loader calls it while a workbook is being decoded, so the first
    load in a process pays for it in time it would otherwise spend waiting.
    """
    empty = pd.DataFrame({"x": pd.Series([], dtype="float64")})
    with _without_pyspark_import_warning():
        pa.DataFrameSchema({"x": pa.Column("float64", checks=[pa.Check.ge(0)])}).validate(empty, lazy=True)


def validate_table(table: str, frame: pd.DataFrame) -> dict[int, list[QuarantinedRow]]:
    """Validate a parsed table; return the failing rows' quarantine entries by position.

    Parameters
    ----------
    table : str
        Canonical table name.
    frame : pandas.DataFrame
        Parsed rows with ``source_file`` and ``source_row`` and a RangeIndex.

    Returns
    -------
    dict
        Row position → quarantine entries. Table-level failures (a wrong dtype of a
        whole column) are raised as ``TypeError``: they are bugs, not bad input.
    """
    try:
        with _without_pyspark_import_warning():
            table_schema(table).validate(frame, lazy=True)
        return {}
    except SchemaErrors as err:
        cases = err.failure_cases
    bad: dict[int, list[QuarantinedRow]] = {}
    rowless = cases[cases["index"].isna()]
    if len(rowless):
        raise TypeError(f"{table}: schema failure without a row: {rowless.to_dict('records')}")
    files = frame["source_file"].to_numpy(dtype=object)
    rows = frame["source_row"].to_numpy(dtype=object)
    spec = TABLES[table]
    for column, check, value, pos in zip(cases["column"], cases["check"], cases["failure_case"],
                                         cases["index"], strict=True):
        p = int(pos)
        rule, reason = _rule(check, str(column))
        kind = spec.column(str(column)).kind if str(column) in spec.names else ""
        bad.setdefault(p, []).append(QuarantinedRow(str(files[p]), int(rows[p]), str(column),
                                                    value_text(value, kind), rule, reason))
    return bad


def value_text(value: object, kind: str) -> str:
    """A refused value as its quarantine entry writes it: a count as a whole number.

    Both loaders use it (the pandas path gets a count's failing values back as floats).

    Parameters
    ----------
    value : object
        The parsed value a rule refused.
    kind : str
        The column's kind (:mod:`fact_toolkit.schema`).

    Returns
    -------
    str

    Examples
    --------
    >>> value_text(-5.0, "int"), value_text(-3, "money"), value_text("x", "text")
    ('-5', '-3.0', 'x')
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if kind == "int" and number.is_integer():
            return str(int(number))
        return str(number)
    return str(value)


#: kinds whose values tell two rows with the same key apart (a text such as a renamed nickname does not)
_VERSION_KINDS = frozenset({"int", "float", "money", "rate", "duration", "duration_min", "range"})


def version_columns(table: str, columns: Iterable[str], key: Sequence[str]) -> list[str]:
    """The columns whose values make two rows with the same key different versions.

    Both loaders use it: the rows of a repeated key are one version (a duplicate, kept
    once) when these columns agree, else conflicting (all copies set aside).

    Parameters
    ----------
    table : str
    columns : iterable of str
        Columns present.
    key : sequence of str
        The key columns (never a version column).

    Returns
    -------
    list of str
        Numeric columns outside the key, in the table's declared order.
    """
    present = set(columns)
    return [c.name for c in TABLES[table].columns if c.name in present and c.name not in key
            and c.kind in _VERSION_KINDS]


def find_duplicates(table: str, frame: pd.DataFrame) -> dict[int, list[QuarantinedRow]]:
    """Rows that repeat: identical repeats after the first, and all conflicting ones.

    With the table's whole key present, rows repeat when their key repeats; two copies
    *conflict* when a number in them differs (labels may be spelled differently between
    a raw export and a canonical table written by the toolkit). When the file lacks part
    of the key (a daily overview without an account column, say), rows repeat only when
    every value is identical — the same export loaded twice — and nothing is called a
    conflict, since rows that differ may well be different things.

    Parameters
    ----------
    table : str
        Canonical table name (its ``key`` decides what repeats).
    frame : pandas.DataFrame
        Parsed rows with a RangeIndex, ``source_file`` and ``source_row``.

    Returns
    -------
    dict
        Row position → quarantine entries.
    """
    if frame.empty:
        return {}
    spec = TABLES[table]
    values = frame.drop(columns=["source_file", "source_row"])
    full_key = bool(spec.key) and all(k in frame for k in spec.key)
    key = list(spec.key) if full_key else list(values.columns)
    keyframe = frame[key]
    dup = np.array(keyframe.duplicated(keep=False).to_numpy(dtype=bool))
    if full_key:
        dup &= keyframe.notna().all(axis=1).to_numpy(dtype=bool)
    if not dup.any():
        return {}
    positions = np.flatnonzero(dup)
    sub = frame.iloc[positions]
    numeric = version_columns(table, values.columns, key)
    group = pd.util.hash_pandas_object(sub[key], index=False).to_numpy()
    content = (pd.util.hash_pandas_object(sub[numeric], index=False).to_numpy() if numeric
               else np.zeros(len(sub), dtype=np.uint64))
    g = pd.DataFrame({"g": group, "c": content, "pos": positions})
    versions = g.groupby("g")["c"].transform("nunique").to_numpy()
    first = g.groupby("g")["pos"].transform("min").to_numpy()
    sizes = g.groupby("g")["pos"].transform("size").to_numpy()
    files = frame["source_file"].to_numpy(dtype=object)
    rows = frame["source_row"].to_numpy(dtype=object)
    keyname = "+".join(key) if full_key else "all columns"
    keyvals = (sub[key].astype("string").fillna("").agg("/".join, axis=1).tolist() if full_key
               else [""] * len(sub))
    bad: dict[int, list[QuarantinedRow]] = {}
    for pos, nv, f, size, keyval in zip(positions, versions, first, sizes, keyvals, strict=True):
        p, f = int(pos), int(f)
        if nv == 1:
            if p == f:
                continue
            what = f"{keyname} {keyval}" if full_key else "this row"
            reason = REPEAT_REASON.format(what=what, file=files[f], row=rows[f])
            rule = "duplicate"
        else:
            reason = CONFLICT_REASON.format(what=f"{keyname} {keyval}", n=int(size))
            rule = "conflicting_duplicate"
        bad[p] = [QuarantinedRow(str(files[p]), int(rows[p]), keyname, keyval, rule, reason)]
    return bad
