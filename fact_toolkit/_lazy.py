"""Lazy package exports (PEP 562): ``import fact_toolkit`` costs milliseconds, not seconds.

A package lists where each public name lives once, as ``if TYPE_CHECKING:`` imports
that type checkers read too; the submodule is imported the first time the name is used
(``fact_toolkit.load``, ``from fact_toolkit.models import fit_snowball``) and the value
is then cached in the package namespace. Commands that need none of the
heavy modules (``fact-toolkit --help``, ``fact-toolkit report`` before it starts the
notebook kernels' preload server) no longer pay for pandas, pandera, scipy and statsmodels
at start-up.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["declared_imports", "lazy_exports"]


def declared_imports(init_file: str) -> dict[str, str]:
    """Name → relative module, read from the ``if TYPE_CHECKING:`` block of a package's ``__init__``.

    That block is the package's one list of what lives where: type checkers and IDEs read
    it statically, and :func:`lazy_exports` loads each name from the module it names.

    Parameters
    ----------
    init_file : str
        The package's ``__init__.py`` (its ``__file__``).

    Returns
    -------
    dict
        e.g. ``{"load": ".loader", "Dataset": ".dataset", …}``.
    """
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"))
    where: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.level:
                    module = "." * stmt.level + (stmt.module or "")
                    where.update({alias.asname or alias.name: module for alias in stmt.names})
    return where


def lazy_exports(package: str, init_file: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose names load on first use.

    Which module defines each name is read from the package's ``if TYPE_CHECKING:``
    imports (:func:`declared_imports`). Submodules not yet imported are attributes too
    (``fact_toolkit.schema`` after a bare ``import fact_toolkit``), as they were when the
    package imported them eagerly.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    init_file : str
        The package's ``__file__``.

    Returns
    -------
    (__getattr__, __dir__)

    Examples
    --------
    >>> import fact_toolkit
    >>> getattr_, dir_ = lazy_exports("fact_toolkit", fact_toolkit.__file__)
    >>> getattr_("summarize").__name__
    'summarize'
    """
    where = declared_imports(init_file)

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(where[name], package), name)
        elif not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            value = importlib.import_module(f"{package}.{name}")  # a submodule: ``fact_toolkit.schema``
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
