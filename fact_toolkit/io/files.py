"""Which files a list of paths names: files, folders (searched recursively) and globs."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import FactInputError
from ..report import QUARANTINE_FILE
from .readers import SUPPORTED_SUFFIXES

__all__ = ["expand_paths"]

#: the file that marks a folder of canonical tables written by ``Dataset.write``
_SKIP_NAMES = ("load_report.json",)
#: files beside the tables in such a folder that are not tables to load again (the quarantine,
#: the DuckDB engine's per-account summary, derived from its panel)
_DERIVED_OUTPUTS = frozenset({QUARANTINE_FILE, "accounts.parquet"})


def expand_paths(paths: Iterable[str | os.PathLike[str]], skipped: list[str] | None = None) -> list[Path]:
    """Files named by paths, folders (searched recursively) and globs, in a stable order.

    Folders of canonical tables written by the toolkit inside a searched folder are
    passed over (they repeat their inputs) and named in ``skipped`` when given; in a
    named folder of such tables, the quarantine and the accounts summary written beside
    them are not tables to load again.

    Raises
    ------
    FactInputError
        For a path or glob that names nothing.
    """
    out: list[Path] = []
    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            hits = sorted(Path(p) for p in glob.glob(text, recursive=True))
            if not hits:
                raise FactInputError(text, "no file matches this pattern", fix="check the glob")
            out.extend(h for h in hits if h.is_file())
            continue
        p = Path(text)
        if p.is_dir():
            # folders the toolkit wrote itself (they hold a load_report.json) repeat their
            # inputs; inside a folder being searched they are skipped (name one to load it)
            outputs = {d.parent for d in p.rglob(_SKIP_NAMES[0]) if d.parent != p}
            if skipped is not None:
                skipped.extend(f"{o} (canonical tables written by fact_toolkit; name it to load it)"
                               for o in sorted(outputs))
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not any(o in f.parents for o in outputs)
                and not (f.name in _DERIVED_OUTPUTS and (f.parent / _SKIP_NAMES[0]).exists())
            )
            if not found:
                raise FactInputError(p, "the folder holds no export files",
                                     fix=f"put files with suffixes {', '.join(SUPPORTED_SUFFIXES)} in it")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise FactInputError(p, "file not found", fix="check the path")
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
