"""Lazy package exports (PEP 562): ``import fact_toolkit`` costs milliseconds, not seconds.

A package lists where each public name lives; the submodule is imported the first time
the name is used (``fact_toolkit.load``, ``from fact_toolkit.models import fit_snowball``)
and the value is then cached in the package namespace. Commands that need none of the
heavy modules (``fact-toolkit --help``, ``fact-toolkit report`` before it starts the
notebook kernels' preload server) no longer pay for pandas, pandera, scipy and statsmodels
at start-up.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` exporting ``name → ".submodule"``.

    Submodules not yet imported are attributes too (``fact_toolkit.schema`` after a bare
    ``import fact_toolkit``), as they were when the package imported them eagerly.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    where : mapping
        Public name → relative module that defines it.

    Returns
    -------
    (__getattr__, __dir__)

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("fact_toolkit", {"summarize": ".metrics"})
    >>> getattr_("summarize").__name__
    'summarize'
    """
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
