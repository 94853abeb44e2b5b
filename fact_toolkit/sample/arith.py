"""Exact small arithmetic the simulator and its export writers share.

Money on the cent grid (``_cents``; sums to the cent, ``_money_sum``), whole counts (binomial
draws, ``_count``; sums, ``_int_sum``; rounding to a step, ``_round_to``; a day's totals split
between sessions, ``_split``) and timestamps on whole seconds (``_at``). The values the files
state go through these, so the truth file's totals match a loader's to the cent.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

__all__ = ["_cents", "_count", "_money_sum", "_int_sum", "_to_date", "_round_to", "_split", "_at"]


def _cents(x: np.ndarray | pd.Series) -> np.ndarray:
    """Money rounded to cents, as float (half away from zero on the cent grid)."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) * 100.0 + 0.5) / 100.0


def _count(n: np.ndarray, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Binomial draws with array n and p (p clipped to [0, 1])."""
    return rng.binomial(np.asarray(n, dtype=np.int64), np.clip(np.asarray(p, dtype=float), 0.0, 1.0))


def _money_sum(values: pd.Series | np.ndarray) -> float | None:
    """Exact sum of cent amounts (missing skipped); ``None`` when nothing is present."""
    a = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    a = a[~np.isnan(a)]
    if a.size == 0:
        return None
    cents = int(np.rint(a * 100.0).astype(np.int64).sum())
    return round(cents / 100.0, 2)


def _int_sum(values: pd.Series | np.ndarray) -> int | None:
    a = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    a = a[~np.isnan(a)]
    return None if a.size == 0 else int(np.rint(a).astype(np.int64).sum())


def _to_date(x: str | _dt.date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(x).normalize()


def _round_to(v: np.ndarray, step: int) -> np.ndarray:
    """Round non-negative integers to the nearest multiple of ``step`` (half up)."""
    v = np.asarray(v, dtype=np.int64)
    return (v + step // 2) // step * step


def _split(total: np.ndarray, share: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Split integer day totals between sessions: ``floor(total*share)`` and the rest."""
    total = np.asarray(total, dtype=np.int64)
    part = np.floor(total * share).astype(np.int64)
    return np.where(first, part, total - part)


def _at(day: np.ndarray, minutes: np.ndarray) -> pd.DatetimeIndex:
    """Timestamps: day (datetime64[D]-like) plus whole seconds ``minutes * 60``."""
    secs = np.rint(np.asarray(minutes, dtype=float) * 60.0).astype(np.int64)
    return pd.DatetimeIndex(pd.to_datetime(day).values + secs.astype("timedelta64[s]"))
