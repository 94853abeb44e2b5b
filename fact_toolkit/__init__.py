"""fact_toolkit: Douyin e-commerce / TikTok Shop exports into trustworthy tables.

The public surface::

    ds = fact_toolkit.load("data/sample")       # files, folders, globs
    ds.report                                   # where every row went
    ds.summary(by="fact_channel")               # GMV, GPM, ROI … as ratios of sums
    fact_toolkit.summarize(ds.content, by=["account_id"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from .errors import FactError, FactInputError

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from .dataset import Dataset
    from .engines.dispatch import load
    from .formatting import format_table
    from .metrics import METRICS, summarize
    from .report import LoadReport
    from .schema import CHANNELS, FILE_KINDS, TABLES, FactChannel

__getattr__, __dir__ = lazy_exports(__name__, __file__)

__version__ = "0.1.0"

__all__ = [
    "CHANNELS",
    "Dataset",
    "FILE_KINDS",
    "FactChannel",
    "FactError",
    "FactInputError",
    "LoadReport",
    "METRICS",
    "TABLES",
    "__version__",
    "format_table",
    "load",
    "summarize",
]
