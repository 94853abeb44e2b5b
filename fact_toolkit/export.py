"""Tables out to CSV and xlsx, safe to open in a spreadsheet.

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return) is
read by Excel, WPS and LibreOffice as a formula, so a talent nickname such as
``=HYPERLINK(...)`` could run when the file is opened (CSV/formula injection). Such text
cells get a leading apostrophe. Numbers are left alone: a real ``-0.05`` stays a number.

Examples
--------
>>> import pandas as pd
>>> neutralise_formulas(pd.DataFrame({"name": ["=1+1", "Coco"], "change": [-0.05, 0.1]}))
    name  change
0  '=1+1   -0.05
1   Coco    0.10
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._atomic import atomic_path

__all__ = ["FORMULA_PREFIXES", "neutralise_formulas", "neutralise_text", "write_csv", "write_xlsx"]

#: first characters that make a spreadsheet read a text cell as a formula
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """Prefix a text value that a spreadsheet would run as a formula with ``'``; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with the index as columns and every risky text cell neutralised.

    Text cells change wherever they are: object, string and categorical columns, and the
    index (any level, categorical included), which becomes columns. Numeric columns keep
    their values and dtypes, and numbers inside object or categorical columns stay
    numbers, so negative numbers are never quoted.

    Examples
    --------
    >>> t = pd.DataFrame({"who": pd.Categorical(["=HYPERLINK(1)", "ok"]), "n": [-1, 2]},
    ...                  index=pd.CategoricalIndex(["@x", "y"], name="id"))
    >>> neutralise_formulas(t).to_dict("list")
    {'id': ["'@x", 'y'], 'who': ["'=HYPERLINK(1)", 'ok'], 'n': [-1, 2]}
    """
    out = frame.reset_index() if _has_meaningful_index(frame) else frame.copy()
    out.columns = [neutralise_text(" / ".join(map(str, c)) if isinstance(c, tuple) else str(c))
                   for c in out.columns]
    for i in range(out.shape[1]):  # by position: neutralised names may repeat
        s = out.iloc[:, i]
        dtype = s.dtype
        if (isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype)
                or pd.api.types.is_string_dtype(dtype)):
            out.isetitem(i, s.astype(object).map(neutralise_text))
    return out


def _has_meaningful_index(frame: pd.DataFrame) -> bool:
    idx = frame.index
    return not (isinstance(idx, pd.RangeIndex) and idx.name is None)


def write_csv(frame: pd.DataFrame, target: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write ``frame`` (neutralised) as CSV atomically; UTF-8 with BOM so Excel reads Chinese."""
    target = Path(target)
    with atomic_path(target) as tmp:
        neutralise_formulas(frame).to_csv(tmp, index=False, encoding=encoding)
    return target


def write_xlsx(frame: pd.DataFrame, target: str | Path, *, sheet_name: str = "scenario") -> Path:
    """Write ``frame`` (neutralised) as an xlsx workbook atomically (openpyxl)."""
    target = Path(target)
    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            neutralise_formulas(frame).to_excel(writer, sheet_name=sheet_name[:31], index=False)
    return target
