"""Where a path given to a notebook or command points, wherever it is run from.

papermill runs a notebook with ``cwd`` set to ``notebooks/`` (or the project root, or a
scheduled job's folder), so a relative ``data_path = "data/sample"`` must be found from
any of them. One rule serves every notebook and the report runner.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "find_path"]


def project_root() -> Path:
    """The folder holding ``fact_toolkit/``, ``data/`` and ``notebooks/``."""
    return Path(__file__).resolve().parents[1]


def find_path(path: str | os.PathLike[str]) -> Path:
    """The first existing place a path names; the path as given when none exists.

    An absolute path, or one that exists relative to the working directory, is returned
    as given; otherwise a relative path is tried against each parent of the working
    directory (a notebook run from ``notebooks/``) and then the project root. Callers
    check ``.exists()`` and say what is wrong in their own words.

    Examples
    --------
    >>> find_path("data/sample").exists()   # doctest: +SKIP
    True
    """
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p
    cwd = Path.cwd()
    for base in (*cwd.parents, project_root()):
        if (base / p).exists():
            return base / p
    return p
