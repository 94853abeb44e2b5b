"""Fit a model over many groups in parallel, one row per group, never one exception.

Workers are joblib ``loky`` processes limited to one BLAS/OpenMP thread each
(``inner_max_num_threads=1``, plus ``threadpoolctl`` inside the worker when it is
installed), so *n* workers use *n* cores and not *n × cores* threads.  A group that
cannot be fitted gets a row whose verdict says why ("not enough data (n days, need m)",
"not available: …", or "failed: <error>"), and the batch goes on.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from .series import split_groups

__all__ = ["fit_many", "one_blas_thread"]


_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
            "openblas_set_num_threads")
_GETTERS = tuple(n.replace("set_", "get_") for n in _SETTERS)


def _openblas_handles() -> list[tuple[Any, Any]]:
    """(get, set) functions of the OpenBLAS libraries bundled with numpy and scipy."""
    import ctypes
    import glob
    import importlib.util
    import os

    found = []
    for pkg in ("numpy", "scipy"):
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.origin:
            continue
        libdir = os.path.dirname(os.path.dirname(spec.origin)) + os.sep + f"{pkg}.libs"
        for path in glob.glob(os.path.join(libdir, "*openblas*")):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for get, set_ in zip(_GETTERS, _SETTERS, strict=True):
                if hasattr(lib, get) and hasattr(lib, set_):
                    found.append((getattr(lib, get), getattr(lib, set_)))
                    break
    return found


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread in this process while fitting.

    Small time-series fits gain nothing from BLAS threads, and on some machines a
    multi-threaded OpenBLAS is 100× slower on them.  Uses ``threadpoolctl`` when it is
    installed, else sets the thread count of the OpenBLAS bundled with numpy/scipy
    directly (and restores it afterwards); a no-op when neither works.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        handles = _openblas_handles()
        before = [get() for get, _ in handles]
        for _, set_ in handles:
            set_(1)
        try:
            yield
        finally:
            for (_, set_), n in zip(handles, before, strict=True):
                set_(int(n))
        return
    with threadpool_limits(limits=1):
        yield


def _row(result: Any) -> dict[str, Any]:
    if hasattr(result, "as_row"):
        return result.as_row()
    if isinstance(result, dict):
        return result
    raise TypeError(f"cannot turn {type(result).__name__} into a row")


def _one(fn: Callable[..., Any], group: str, frame: pd.DataFrame, kw: dict[str, Any]) -> dict[str, Any]:
    with one_blas_thread():
        try:
            with warnings.catch_warnings():
                # numerical warnings inside a fit are the fit's business; it records what matters
                warnings.simplefilter("ignore", RuntimeWarning)
                return _row(fn(frame, group=group, **kw))
        except Exception as err:  # one bad group must not stop the batch
            return {"group": group, "elasticity": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                    "p_value": math.nan, "placebo_p_value": math.nan, "n_days": int(len(frame)),
                    "verdict": f"failed: {type(err).__name__}: {err}", "converged": False}


def fit_many(series: pd.DataFrame, fn: Callable[..., Any], *, n_jobs: int = 1, progress: bool = False,
             **kw: Any) -> list[dict[str, Any]]:
    """Apply ``fn(group_frame, group=name, **kw)`` to every group of a series frame.

    Parameters
    ----------
    series : pandas.DataFrame
        Output of :func:`fact_toolkit.models.series.daily_series` (column ``group``).
    fn : callable
        Returns an object with ``as_row()`` (e.g. :class:`SnowballResult`) or a dict.
    n_jobs : int, default 1
        Worker processes (``-1``: all cores); 1 runs in this process.
    progress : bool, default False
        Show a tqdm progress bar over groups.

    Returns
    -------
    list of dict
        One row per group, in group order.
    """
    groups = split_groups(series)
    items = list(groups.items())
    if n_jobs == 1 or len(items) <= 1:
        it = items
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(items, desc="groups", unit="group")
        return [_one(fn, g, f, kw) for g, f in it]
    from joblib import Parallel, delayed, parallel_config

    with parallel_config(backend="loky", n_jobs=n_jobs, inner_max_num_threads=1):
        gen = Parallel(return_as="generator")(delayed(_one)(fn, g, f, kw) for g, f in items)
        if progress:
            from tqdm.auto import tqdm

            gen = tqdm(gen, total=len(items), desc="groups", unit="group")
        rows = list(gen)
    return rows
