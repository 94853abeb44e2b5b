"""Read a ``.parquet`` file with pyarrow, as stored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ...errors import FactInputError
from .table import _FIX_REDOWNLOAD, _LSTR, STRING_DTYPE, RawTable

__all__ = ["_read_parquet", "_PARQUET_MAGIC"]

_PARQUET_MAGIC = b"PAR1"


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as err:
        reason = " ".join(str(err).split())[:160]
        raise FactInputError(path, f"not a readable parquet file ({reason})",
                             fix=_FIX_REDOWNLOAD) from None
    frame = table.to_pandas(types_mapper={pa.string(): STRING_DTYPE,
                                          _LSTR: STRING_DTYPE}.get)
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    elif not frame.index.equals(pd.RangeIndex(len(frame))):
        frame = frame.reset_index(drop=True)
    headers = [str(c) for c in frame.columns]
    return RawTable(path=path, frame=frame, headers=headers,
                    row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64), header_row=0,
                    encoding=None, format="parquet")
