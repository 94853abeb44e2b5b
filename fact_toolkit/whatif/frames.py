"""What-if inputs: the daily panel and the ads table of a Dataset, read as floats.

Helpers of the sibling modules (the baseline, the estimates, the elasticity); nothing public.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import FactInputError

__all__: list[str] = []  # helpers for the sibling modules only


def _as_frames(data: Any, daily: bool = True) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The daily panel (None when ``daily`` is False) and the ads table (or None) of a
    Dataset or a daily-like frame.

    The panel is built from the facts on every access of ``Dataset.daily``: it is read
    once here, and not at all when only the ads are wanted (``hasattr`` on the instance
    would build it too, so the property is looked up on the class).
    """
    if isinstance(data, pd.DataFrame):
        return data, None
    has_daily = hasattr(type(data), "daily") or "daily" in getattr(data, "__dict__", {})
    if has_daily and hasattr(data, "tables"):
        return (data.daily if daily else None), data.tables.get("ads")
    raise FactInputError("data", f"expected a Dataset or a daily DataFrame, got {type(data).__name__}",
                         fix="pass fact_toolkit.load(...) or its .daily")


def _pick(frame: pd.DataFrame, alternatives: tuple[str, ...]) -> tuple[str | None, float]:
    """The alternative column present on the largest share of rows, and that share."""
    best, share = None, 0.0
    n = len(frame)
    for c in alternatives:
        if c in frame and n:
            s = float(frame[c].notna().mean())
            if s > share + 1e-12:
                best, share = c, s
    return best, share


def _num(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _amount_column(frame: pd.DataFrame) -> str:
    """``paid_amount`` when these rows (one currency's) have any, else ``gmv``."""
    return "paid_amount" if "paid_amount" in frame and frame["paid_amount"].notna().any() else "gmv"
