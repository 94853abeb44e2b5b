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

if TYPE_CHECKING:  # the names for type checkers and IDEs; at run time they load on first use
    from .dataset import Dataset
    from .loader import load
    from .metrics import METRICS, summarize
    from .report import LoadReport
    from .schema import CHANNELS, FILE_KINDS, TABLES, FactChannel

#: public name → submodule defining it (imported on first use, see :mod:`fact_toolkit._lazy`)
_WHERE = {
    "Dataset": ".dataset",
    "load": ".loader",
    "METRICS": ".metrics",
    "summarize": ".metrics",
    "LoadReport": ".report",
    "CHANNELS": ".schema",
    "FILE_KINDS": ".schema",
    "TABLES": ".schema",
    "FactChannel": ".schema",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

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
    "load",
    "summarize",
]
