"""Rows of cell values (a worksheet, an HTML table) into a :class:`~.table.RawTable`.

Column-wise and vectorised: cells are classified per column (empty / text / number / date)
and formatted as text with array operations, not one Python call per cell.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cell_text import _cell_text, _count_nonempty, _format_value
from .header import _SAMPLE_RECORDS, HeaderScore, _banner, _clean_header, _column_names, find_header_row
from .table import _LSTR, RawTable

__all__ = ["_table_from_cells", "_TYPE_OF", "_format_arrow"]

_NUM_TYPES = [int, float, np.float64, np.int64]
_TYPE_OF = np.frompyfunc(type, 1, 1)  # each cell's Python type, without a Python-level loop
_DATE_CELL_TYPES = [_dt.datetime, _dt.date, pd.Timestamp]


def _cell_columns(data: list[list[Any]], width: int) -> list[pd.Series]:
    """Rows of cells → one object Series per column (ragged rows padded with None)."""
    if any(len(r) != width for r in data):
        data = [list(r[:width]) + [None] * (width - len(r)) for r in data]
    if not data:
        return [pd.Series([], dtype=object) for _ in range(width)]
    frame = pd.DataFrame(data, columns=range(width), dtype=object)
    return [frame[j] for j in range(width)]


def _cell_kinds(col: pd.Series) -> tuple[np.ndarray, ...]:
    """Masks of (empty, string, number, date) cells, each cell's Python type, float values.

    Whitespace-only strings are empty. The last array holds the value of every Python
    ``float`` cell (0 elsewhere), so callers need not convert the cells again.
    """
    values = col.to_numpy(dtype=object)
    n = len(values)
    floats = np.zeros(n)
    if n and pd.api.types.infer_dtype(values, skipna=False) == "string":  # C scan: a text column
        types = np.full(n, str, dtype=object)
        is_str = np.ones(n, dtype=bool)
        empty = np.zeros(n, dtype=bool)
        is_num = np.zeros(n, dtype=bool)
        is_date = np.zeros(n, dtype=bool)
    else:
        types = np.asarray(_TYPE_OF(values), dtype=object)
        is_str = np.array(types == str, dtype=bool)
        is_float = np.array(types == float, dtype=bool)
        if int(is_str.sum()) + int(is_float.sum()) == n:  # the usual export column: text and numbers
            is_int, empty = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        else:
            is_int = np.array(types == int, dtype=bool)
            empty = np.array(types == type(None), dtype=bool)
        if is_float.any():
            floats[is_float] = values[is_float].astype(np.float64)
            empty[is_float] = np.isnan(floats[is_float])
        # other types (numpy scalars, dates, NaT, pd.NA ...) are few: look at them one kind at a time
        odd = np.flatnonzero(~(is_str | is_float | is_int | empty))
        is_num = is_float | is_int
        is_date = np.zeros(n, dtype=bool)
        if len(odd):
            empty[odd] = pd.isna(values[odd])
            odd_types = pd.Series(types[odd], dtype=object)
            is_num[odd] = odd_types.isin(_NUM_TYPES).to_numpy(dtype=bool)
            is_date[odd] = odd_types.isin(_DATE_CELL_TYPES).to_numpy(dtype=bool)
    if is_str.any():
        text = pa.array(values[is_str], type=_LSTR)
        blank = np.zeros(n, dtype=bool)
        blank[is_str] = np.asarray(pc.equal(pc.utf8_trim_whitespace(text), "").to_numpy(zero_copy_only=False),
                                   dtype=bool)
        empty |= blank
        is_str &= ~blank
    is_num &= ~empty
    is_date &= ~empty
    return empty, is_str, is_num, is_date, types, floats


def _typed_column(col: pd.Series, kinds: tuple[np.ndarray, ...]) -> pd.Series:
    """xlsx column: float64 if all numbers, datetime64 if all dates, else strings."""
    empty, is_str, is_num, is_date, _, _ = kinds
    present = ~empty
    if present.any() and (is_num == present).all():
        out = np.full(len(col), np.nan)
        out[is_num] = col[is_num].to_numpy(dtype=np.float64)
        return pd.Series(out)
    if present.any() and (is_date == present).all():
        stamps = col.where(present, None).map(
            lambda v: v if v is None or isinstance(v, _dt.datetime) else _dt.datetime(v.year, v.month, v.day))
        return pd.Series(pd.to_datetime(stamps.map(
            lambda v: v.replace(tzinfo=None) if v is not None and v.tzinfo else v)))
    return _text_column(col, kinds)


def _text_column(col: pd.Series, kinds: tuple[np.ndarray, ...]) -> pd.Series:
    """Strings as they are; other cells formatted faithfully (see ``_format_value``).

    Built in Arrow: the text cells, the formatted numbers and the empty cells are three
    arrays put back in cell order with one ``take`` (no Python string per number).
    """
    empty, is_str, _, _, types, floats = kinds
    values = col.to_numpy(dtype=object)
    other = ~empty & ~is_str
    pieces: list[pa.Array] = []
    where: list[np.ndarray] = []
    for mask, make in ((is_str, lambda m: pa.array(values[m], type=_LSTR)),
                       (other, lambda m: _format_arrow(values[m], types[m], floats[m])),
                       (empty, lambda m: pa.nulls(int(m.sum()), _LSTR))):
        if mask.any():
            pieces.append(make(mask))
            where.append(np.flatnonzero(mask))
    return pd.Series(pd.arrays.ArrowStringArray(_in_cell_order(pieces, where, len(values))))


def _in_cell_order(pieces: list[pa.Array], where: list[np.ndarray], n: int) -> pa.Array:
    """Text pieces, each for the cell positions in ``where``, as one array in cell order (one ``take``)."""
    if not pieces:
        return pa.array([], type=_LSTR)
    if len(pieces) == 1:
        return pieces[0]
    order = np.empty(n, dtype=np.int64)
    order[np.concatenate(where)] = np.arange(n, dtype=np.int64)
    return pa.concat_arrays(pieces).take(pa.array(order))


def _format_arrow(values: np.ndarray, types: np.ndarray, floats: np.ndarray | None = None) -> pa.Array:
    """:func:`_format_value` for many non-empty cells, as an Arrow string array.

    Floats are formatted vectorised: integral ones as integers, the others with Arrow's
    shortest round-trip digits, which are repr's where neither uses an exponent (repr:
    1e-4 <= |x| < 1e16); the remaining floats by numpy (also repr's text) and every other
    type one by one. ``floats``: the float cells' values, when the caller has them.
    """
    n = len(values)
    is_float = np.array(types == float, dtype=bool)
    if floats is None:
        f = np.zeros(n)
        f[is_float] = values[is_float].astype(np.float64)
    else:
        f = floats
    with np.errstate(invalid="ignore"):
        integral = is_float & np.isfinite(f) & (f == np.trunc(f)) & (np.abs(f) < 2**53)
        plain = is_float & ~integral & (np.abs(f) >= 1e-4) & (np.abs(f) < 1e16)
    pieces: list[pa.Array] = []
    where: list[np.ndarray] = []
    if integral.any():
        pieces.append(pc.cast(pa.array(f[integral].astype(np.int64)), _LSTR))
        where.append(np.flatnonzero(integral))
    if plain.any():
        at = np.flatnonzero(plain)
        text = pc.cast(pa.array(f[at]), _LSTR)
        exp = np.asarray(pc.match_substring(text, "e").to_numpy(zero_copy_only=False), dtype=bool)
        pieces.append(text.filter(pa.array(~exp)))
        where.append(at[~exp])
        plain[at[exp]] = False
    rest = ~integral & ~plain
    if rest.any():
        at = np.flatnonzero(rest)
        floats = is_float[at]
        text_rest = np.empty(len(at), dtype=object)
        text_rest[floats] = f[at[floats]].astype(str)  # numpy's str is the shortest round-trip form, as repr
        text_rest[~floats] = [_format_value(v) for v in values[at[~floats]]]
        pieces.append(pa.array(text_rest, type=_LSTR))
        where.append(at)
    return _in_cell_order(pieces, where, n)


def _table_from_cells(path: Path, rows: list[list[Any]], row_numbers: Sequence[int],
                      header_score: HeaderScore | None, *, typed: bool, fmt: str,
                      encoding: str | None, sheet: str | None) -> RawTable | None:
    """Build a RawTable from rows of cell values; ``None`` if every cell is empty.

    Column-wise and vectorised: cells are classified per column (empty / text / number /
    date) with array operations, not one Python call per cell.
    """
    first = next((i for i, r in enumerate(rows) if _count_nonempty(r)), None)
    if first is None:
        return None
    top = rows[: _SAMPLE_RECORDS + first]
    h = find_header_row(top, header_score)
    raw_header = [_clean_header(_cell_text(c)) for c in rows[h]]
    data = rows[h + 1:]
    width = max([len(raw_header)] + [len(r) for r in data])
    header_cells = (raw_header + [""] * width)[:width]
    columns = _cell_columns(data, width)
    kinds = [_cell_kinds(c) for c in columns]
    nonempty_row = np.zeros(len(data), dtype=bool)
    for k in kinds:
        nonempty_row |= ~k[0]
    keep = np.flatnonzero(nonempty_row)

    def blank(j: int) -> bool:
        return header_cells[j] == "" and bool(kinds[j][0].all())

    lo, hi = 0, width
    while lo < hi and blank(lo):
        lo += 1
    while hi > lo and blank(hi - 1):
        hi -= 1
    headers = header_cells[lo:hi]
    names = _column_names(headers)
    make = _typed_column if typed else _text_column
    out: dict[str, pd.Series] = {}
    every = len(keep) == len(data)  # no empty rows: nothing to take
    for name, j in zip(names, range(lo, hi), strict=True):
        col = columns[j] if every else columns[j].iloc[keep].reset_index(drop=True)
        sub = kinds[j] if every else tuple(k[keep] for k in kinds[j])
        out[name] = make(col, sub).reset_index(drop=True)
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(keep)), copy=False)
    numbers = np.asarray(row_numbers, dtype=np.int64)[h + 1:][keep] if len(data) else np.array([], dtype=np.int64)
    return RawTable(path=path, frame=frame, headers=headers,
                    row_numbers=numbers.astype(np.int64),
                    header_row=int(row_numbers[h]), encoding=encoding, format=fmt, sheet=sheet,
                    banner=_banner(rows[:h]))
