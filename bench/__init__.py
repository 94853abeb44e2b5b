"""Benchmarks of ``fact_toolkit.load``: ``python -m bench`` (or ``make bench``).

Generated inputs live in ``bench/out/`` (git-ignored) and are cached between runs,
keyed by :data:`DATA_VERSION`: bump it whenever the generator changes.
"""

from __future__ import annotations

from pathlib import Path

#: bump when the generated inputs change; cached files carry it in their names
DATA_VERSION = "v2"

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
