"""The result of every reader: :class:`RawTable`, a table of cells with their rows in the file.

Also the text dtype the readers produce and the advice shared by every format's errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["RawTable", "STRING_DTYPE", "_LSTR", "_FIX_REDOWNLOAD"]

#: dtype of every text column produced by the readers (arrow-backed, missing = ``pd.NA``).
STRING_DTYPE = pd.StringDtype("pyarrow")
_LSTR = pa.large_string()           # text columns (pandas' str arrays are large_string: no cast)
_FIX_REDOWNLOAD = "re-download the export"


@dataclass
class RawTable:
    """One table of cells read from a file, data rows only.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    frame : pandas.DataFrame
        One column per header cell, data rows only (no banner, no header), default
        ``RangeIndex``. CSV/HTML columns are ``string[pyarrow]`` (missing = ``pd.NA``);
        xlsx columns are float64, datetime64 or ``string[pyarrow]``; parquet as stored.
    headers : list of str
        The header cells as in the file (stripped), before de-duplication; same length
        and order as ``frame.columns``.
    row_numbers : numpy.ndarray
        int64, 1-based row number of each data row as an analyst sees it in Excel.
    header_row : int
        1-based row number of the header (0 for parquet: no header row).
    encoding : str or None
        Text encoding of CSV/HTML files, ``None`` for xlsx/parquet.
    format : str
        ``"csv"``, ``"xlsx"``, ``"html"`` or ``"parquet"``.
    sheet : str or None
        Worksheet name (xlsx), ``"table N"`` for an HTML file with several tables.
    banner : list of str
        Text of the non-empty rows above the header (cells joined with a space).
    """

    path: Path
    frame: pd.DataFrame
    headers: list[str]
    row_numbers: np.ndarray
    header_row: int
    encoding: str | None
    format: str
    sheet: str | None = None
    banner: list[str] = field(default_factory=list)
