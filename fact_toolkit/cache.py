"""Parquet cache of parsed exports, keyed by file content.

Parsing a large export is the slow part of a load. The first load of a file stores its
parsed rows (Parquet) and everything the load report needs (JSON) under a key made of
the file's SHA-256, the parse options and the toolkit's version; a later load of the same
bytes with the same options reads them back and skips reading and parsing. A changed
file has another hash, so a stale entry is never used. ``fact-toolkit load --no-cache``
(``load(..., cache=False)``) bypasses the cache.

The cache lives in ``$FACT_TOOLKIT_CACHE``, else ``$XDG_CACHE_HOME/fact_toolkit``, else
``~/.cache/fact_toolkit``. Entries are written to a temporary folder and renamed into
place, so an interrupted write never leaves a half entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import warnings
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .io.convert import Converted, constant_strings
from .io.headers import KindMatch
from .report import FileReport, QuarantinedRow, display_path

__all__ = ["cache_dir", "file_digest", "cache_key", "read_entry", "write_entry", "CACHE_FORMAT"]

#: bump when the cached layout or the parsing rules change
CACHE_FORMAT = "1"


def cache_dir() -> Path:
    """The cache folder (see the module notes for how it is chosen)."""
    env = os.environ.get("FACT_TOOLKIT_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "fact_toolkit"


def file_digest(path: str | os.PathLike[str], chunk: int = 1 << 22) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def cache_key(digest: str, options: dict[str, Any]) -> str:
    """The entry name for a file's digest and the options that shape its parsing."""
    from . import __version__
    from .schema import data_dictionary

    schema_hash = hashlib.sha256(data_dictionary().encode()).hexdigest()[:12]
    text = json.dumps({"digest": digest, "options": options, "version": __version__,
                       "format": CACHE_FORMAT, "schema": schema_hash, "code": _code_hash()},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _code_files() -> list[Path]:
    """The modules that turn a file into parsed rows: every module of ``io`` (its subpackages too) and the schema."""
    here = Path(__file__).parent
    return sorted([*(here / "io").rglob("*.py"), here / "schema.py"])


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """Hash of the modules that turn a file into parsed rows: a parser fix invalidates entries."""
    h = hashlib.sha256()
    for f in _code_files():
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def read_entry(key: str, path: Path) -> list[tuple[FileReport, Converted]] | None:
    """Read a cache entry back for ``path``; None when there is none (or it is unreadable)."""
    folder = cache_dir() / key
    meta_file = folder / "meta.json"
    if not meta_file.exists():
        return None
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        parts = []
        for i, part in enumerate(meta["parts"]):
            frame = pd.read_parquet(folder / f"part-{i}.parquet")
            shown = display_path(path)
            frame["source_file"] = constant_strings(shown, len(frame), frame.index)
            report = FileReport(**{**part["report"], "file": shown})
            match = KindMatch(**part["match"])
            bad = {int(pos): [QuarantinedRow(**{**q, "file": shown}) for q in entries]
                   for pos, entries in part["bad_rows"].items()}
            conv = Converted(match, frame, bad, part["summary_rows"], part["summary_values"], part["warnings"])
            parts.append((report, conv))
        return parts
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is ignored and rewritten


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    """What ``DataFrame.to_parquet`` writes (pandas metadata included), without writing it."""
    with warnings.catch_warnings():
        # pyarrow reads ``.values`` of tz-aware columns, which pandas 3 deprecates (GH#68426);
        # pandas' own to_parquet silences the same warning
        warnings.filterwarnings("ignore", message=r"(Series|DatetimeIndex)\.values returning an ndarray")
        return pa.Table.from_pandas(frame, preserve_index=False)


def write_entry(key: str, parts: list[tuple[FileReport, Converted]], *,
                background: bool = False) -> threading.Thread | None:
    """Store the parsed parts of one file under ``key`` (atomically; errors are not fatal).

    The entry (reports, quarantine, frames as Arrow tables) is captured in the calling
    thread, so later changes to the parts do not reach the cache. With
    ``background=True`` the Parquet files are compressed and written by a thread, which
    is returned: join it before relying on the entry (the loader joins it before ``load``
    returns). That thread runs only Arrow's writer, which releases the GIL and touches no
    Python state (not even the ``warnings`` filters, which are not thread-safe).
    """
    root = cache_dir()
    target = root / key
    if target.exists():
        return None
    meta = {"parts": []}
    tables = []
    for report, conv in parts:
        tables.append(_to_arrow(conv.frame))
        meta["parts"].append({
            "report": asdict(report),
            "match": asdict(conv.match),
            "bad_rows": {str(pos): [asdict(q) for q in entries] for pos, entries in conv.bad_rows.items()},
            "summary_rows": conv.summary_rows,
            "summary_values": conv.summary_values,
            "warnings": conv.warnings,
        })
    text = json.dumps(meta, ensure_ascii=False, default=str)

    def write() -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
        except OSError:
            return
        try:
            for i, table in enumerate(tables):
                pq.write_table(table, tmp / f"part-{i}.parquet", compression="snappy")
            (tmp / "meta.json").write_text(text, encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    if not background:
        write()
        return None
    thread = threading.Thread(target=write, name=f"fact_toolkit-cache-{key[:8]}")
    thread.start()
    return thread
