"""Cell values as plain JSON values: missing and non-finite numbers become ``null``."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["jsonable"]


def jsonable(value: Any) -> Any:
    """A pandas/numpy cell as a JSON-ready Python value.

    ``None``, ``pd.NA``, ``NaT``, NaN and ±inf become None (JSON ``null``, never a fake 0);
    timestamps become ISO text; numpy scalars become Python numbers.

    Examples
    --------
    >>> import numpy as np
    >>> [jsonable(v) for v in (np.int64(3), np.float64("nan"), pd.NA, float("inf"), "F")]
    [3, None, None, None, 'F']
    """
    import pandas as pd  # here, not at module level: the CLI imports this module before it needs pandas

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
