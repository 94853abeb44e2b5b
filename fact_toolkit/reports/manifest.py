"""Per-run manifest: what went in (files with sizes and SHA-256, parameters, package
versions), when it ran, how it ended, and whether it repeats the previous run exactly.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from .._atomic import atomic_write_text

__all__ = ["MANIFEST_VERSION", "PACKAGES", "sha256_file", "file_entry", "collect_inputs", "package_versions",
           "fingerprint", "identical_run", "read_manifest", "write_manifest"]

MANIFEST_VERSION = 1
#: distributions whose versions every manifest records
PACKAGES: tuple[str, ...] = (
    "fact_toolkit", "pandas", "numpy", "pyarrow", "matplotlib", "seaborn", "statsmodels", "papermill",
    "nbconvert", "nbformat", "nbclient", "ipykernel", "jupyter_client",
)
_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (read in 1 MiB chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path.resolve())


def file_entry(path: str | Path, role: str, root: Path | None = None) -> dict:
    """``{"path", "role", "size", "sha256"}`` of one file; ``path`` relative to ``root`` when inside it."""
    path = Path(path)
    return {"path": _shown(path, root), "role": role, "size": path.stat().st_size, "sha256": sha256_file(path)}


def collect_inputs(notebook: Path, paths: Iterable[Path], root: Path | None = None) -> list[dict]:
    """Entries for the notebook and every file under the given files/folders.

    Folders are walked recursively in sorted order; hidden files and folders (``.x``)
    and ``__pycache__`` are skipped.
    """
    entries = [file_entry(notebook, "notebook", root)]
    seen: set[Path] = {Path(notebook).resolve()}
    for p in paths:
        p = Path(p)
        files = [p] if p.is_file() else sorted(
            f for f in p.rglob("*")
            if f.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                       for part in f.relative_to(p).parts))
        for f in files:
            r = f.resolve()
            if r not in seen:
                seen.add(r)
                entries.append(file_entry(f, "input", root))
    return entries


def package_versions(names: Sequence[str] = PACKAGES) -> dict[str, str | None]:
    """Installed versions of ``names`` plus ``python`` and ``platform`` (None = not installed)."""
    out: dict[str, str | None] = {"python": platform.python_version(), "platform": platform.platform()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["executable"] = sys.executable
    return out


def fingerprint(inputs: Sequence[Mapping[str, Any]], parameters: Mapping[str, Any]) -> str:
    """SHA-256 over the inputs (path, size, hash) and the parameters, as canonical JSON."""
    key = {"inputs": sorted((e["path"], e["size"], e["sha256"]) for e in inputs),
           "parameters": parameters}
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def identical_run(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict | None:
    """When ``current`` repeats ``previous`` (same fingerprint), who it repeats; else None.

    Returns
    -------
    dict or None
        ``{"date", "started", "folder"}`` of the previous run.
    """
    if not previous or not current.get("fingerprint"):
        return None
    if previous.get("fingerprint") != current.get("fingerprint"):
        return None
    return {"date": previous.get("date"), "started": previous.get("started"), "folder": previous.get("folder")}


def read_manifest(path: str | Path) -> dict | None:
    """A manifest as a dict, or None when missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_manifest(path: str | Path, manifest: Mapping[str, Any]) -> Path:
    """Write a manifest as indented UTF-8 JSON, atomically."""
    return atomic_write_text(path, json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n")
