"""Loaded datasets kept in memory for processes forked later (the report kernels).

``fact-toolkit report`` renders several notebooks that each start with
``fact_toolkit.load(data_path)`` on the same exports. Their kernels are forked from one
preload server (:mod:`fact_toolkit.reports.preload`); the runner loads each data folder
once, hands the :class:`~fact_toolkit.dataset.Dataset` to the server, and the server keeps
it here before it forks any kernel. A kernel's :func:`fact_toolkit.load` with the same
files and options then returns a private deep copy instead of reading, parsing and
validating the exports again.

A dataset is recognised by every input file's resolved path, size, modification time and
inode (and the folders skipped as toolkit outputs) plus every option of
:func:`~fact_toolkit.load` that changes the result: a changed, added or removed file, or a
different option, is a miss and loads normally. Nothing is kept unless a caller asks
(:func:`keep`); an empty memo costs :func:`~fact_toolkit.load` nothing.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = ["active", "dataset_key", "keep", "recall", "forget"]

_KEPT: dict[tuple, Dataset] = {}


def _stat(path: Path) -> tuple:
    st = path.stat()
    return str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino


#: options naming a file whose content changes the result (a campaign calendar)
_FILE_OPTIONS = ("campaigns",)


def _hashable(value: Any, file: bool = False) -> Any:
    """An option as a hashable value; None when it cannot be recognised again (a DataFrame).

    With ``file``, a path is recognised by the file's path, size, mtime and inode.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (str, os.PathLike)):
        p = Path(value)
        return ("path", *_stat(p)) if file and p.is_file() else ("text", str(value))
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, (str, int, float)) for v in value):
        items = [str(v) for v in value]
        return ("items", *(sorted(items) if isinstance(value, (set, frozenset)) else items))
    return None  # a DataFrame, an iterator …


def dataset_key(paths: Iterable[str | os.PathLike[str]], options: Mapping[str, Any]) -> tuple | None:
    """What identifies ``load(*paths, **options)``'s result, or None when it cannot be kept.

    Parameters
    ----------
    paths : iterable of path-like
        As given to :func:`fact_toolkit.load`.
    options : mapping
        Every result-changing option of :func:`fact_toolkit.load` (with its default).

    Returns
    -------
    tuple or None
        The paths as given (the load report names files that way), every file (resolved
        path, size, mtime, inode), the skipped folders and the options.
    """
    from .io.files import expand_paths

    paths = list(paths)
    skipped: list[str] = []
    try:
        files = tuple(_stat(f) for f in expand_paths(paths, skipped))
    except Exception:  # noqa: BLE001 - a bad path: load() itself raises the clear error
        return None
    opts = []
    for name in sorted(options):
        value = _hashable(options[name], file=name in _FILE_OPTIONS)
        if value is None and options[name] is not None:
            return None
        opts.append((name, value))
    return tuple(map(str, paths)), files, tuple(skipped), tuple(opts)


def keep(key: tuple, dataset: Dataset) -> None:
    """Keep ``dataset`` (as loaded, not copied) for :func:`recall` with ``key``.

    Parameters
    ----------
    key : tuple
        :func:`dataset_key` of the load that produced ``dataset``, computed before it.
    dataset : Dataset
    """
    _KEPT[key] = dataset


def recall(key: tuple | None) -> Dataset | None:
    """The dataset kept with ``key``, as a private deep copy.

    Parameters
    ----------
    key : tuple or None

    Returns
    -------
    Dataset or None
        None when nothing is kept with ``key``.
    """
    if key is None or key not in _KEPT:
        return None
    return copy.deepcopy(_KEPT[key])


def active() -> bool:
    """True when some dataset is kept (only then does :func:`fact_toolkit.load` look here).

    Returns
    -------
    bool
    """
    return bool(_KEPT)


def forget() -> None:
    """Drop every kept dataset (tests; a process that wants its memory back)."""
    _KEPT.clear()
