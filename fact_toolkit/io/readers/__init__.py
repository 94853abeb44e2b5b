"""Turn one export file on disk into raw tables of cells.

The readers find the header row below any banner rows (a date range, a shop name, a
blank row), keep every cell as the text (CSV, HTML) or the typed value (xlsx, parquet)
that is in the file, and remember where each data row is in the file so that later
problems can be reported as "row 1234" the way an analyst sees it in Excel.

They do NOT map headers to canonical names and do NOT parse values.

Supported shapes
----------------
* CSV / TSV / TXT in UTF-8, UTF-8 with BOM, GB18030/GBK (others by detection),
  comma, tab or semicolon separated, CRLF or LF, multi-line quoted cells.
* ``.xlsx`` / ``.xlsm`` (and binary BIFF ``.xls``) through python-calamine.
* ``.xls`` files that are really HTML tables (Douyin Compass exports).
* ``.parquet`` through pyarrow.

The file's content decides the reader when it contradicts the suffix (an ``.xls`` that
is an xlsx ZIP, HTML or plain text is read as what it is).

Modules, highest first (each imports only from the rows below it; ``.importlinter``
checks this):

* :mod:`.dispatch` — :func:`read_raw`: checks the file and picks the reader by content.
* :mod:`.csv_body` (CSV data records: pyarrow, or exact Python for ragged files) |
  :mod:`.workbook` (xlsx/xls through calamine) | :mod:`.html_tables` (HTML ``.xls``) |
  :mod:`.parquet`.
* :mod:`.csv_head` (a CSV's first records, delimiter and header: :func:`csv_head_layout`,
  shared with the DuckDB engine) | :mod:`.grid` (rows of cell values → typed or text columns).
* :mod:`.header` (:func:`find_header_row`, banner rows, column names) |
  :mod:`.encoding` (:func:`sniff_encoding`, binary content).
* :mod:`.cell_text` — a cell's text and emptiness.
* :mod:`.table` — :class:`RawTable`, the result of every reader.
"""

from __future__ import annotations

from .csv_head import CsvHeadLayout, csv_head_layout
from .dispatch import SUPPORTED_SUFFIXES, read_raw
from .encoding import sniff_encoding
from .header import find_header_row
from .table import STRING_DTYPE, RawTable

# Private names the DuckDB engine (fact_toolkit.engines) imports from this package
# (``import X as X``: an explicit re-export).
from .csv_head import _read_prefix as _read_prefix
from .encoding import _ASCII_SAFE as _ASCII_SAFE
from .encoding import _FIX_ENCODING as _FIX_ENCODING
from .encoding import _HEAD_BYTES as _HEAD_BYTES
from .encoding import _UTF8_BOM as _UTF8_BOM
from .encoding import _looks_binary as _looks_binary
from .header import _banner as _banner
from .header import _column_names as _column_names
from .parquet import _PARQUET_MAGIC as _PARQUET_MAGIC
from .table import _FIX_REDOWNLOAD as _FIX_REDOWNLOAD
from .workbook import _ZIP_MAGIC as _ZIP_MAGIC

__all__ = ["RawTable", "read_raw", "sniff_encoding", "find_header_row", "SUPPORTED_SUFFIXES", "STRING_DTYPE",
           "CsvHeadLayout", "csv_head_layout"]
