"""The load report: where every row of every input file went.

For every file and in total: ``rows_read = rows_loaded + rows_quarantined + rows_summary``,
exactly. Quarantined rows carry their reason (file, row, column, value, rule).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._atomic import atomic_write_bytes
from .errors import display_path


__all__ = ["QuarantinedRow", "Mismatch", "FileReport", "LoadReport", "display_path", "QUARANTINE_EXAMPLES",
           "QUARANTINE_FILE", "QUARANTINE_COLUMNS"]

#: quarantine entries written inline in ``load_report.json`` (all of them go to :data:`QUARANTINE_FILE`)
QUARANTINE_EXAMPLES = 100
#: the Parquet file beside the tables holding every quarantine entry
QUARANTINE_FILE = "quarantine.parquet"
#: its columns (those of :class:`QuarantinedRow`)
QUARANTINE_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "rule", "reason")



@dataclass(frozen=True)
class QuarantinedRow:
    """One problem with one input row; the row is kept out of the tables."""

    file: str
    row: int
    column: str
    value: str
    rule: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason} (value {self.value!r}, rule {self.rule})"


@dataclass(frozen=True)
class Mismatch:
    """A platform-reported metric that disagrees with the value recomputed from the row."""

    file: str
    row: int
    metric: str
    reported: float
    recomputed: float


@dataclass
class FileReport:
    """What happened to one file (or one sheet of a workbook)."""

    file: str
    kind: str = ""
    table: str = ""
    format: str = ""
    encoding: str | None = None
    sheet: str | None = None
    header_row: int = 0
    banner: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_summary: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mismatches: int = 0
    cached: bool = False
    #: the zone the file's times were read in (Seller Center files: inferred from the currency)
    timezone: str = ""

    @property
    def balanced(self) -> bool:
        """True when every row read is accounted for exactly once."""
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_summary


@dataclass
class LoadReport:
    """Row accounting, quarantine and reconciliation for one :func:`fact_toolkit.load` call."""

    files: list[FileReport] = field(default_factory=list)
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: the engine that ran (``pandas`` or ``duckdb``) and why (``engine="auto"`` decides by size)
    engine: str = "pandas"
    engine_reason: str = ""

    @property
    def totals(self) -> dict[str, int]:
        """Row counts added over all files."""
        keys = ("rows_read", "rows_loaded", "rows_quarantined", "rows_summary")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}

    @property
    def balanced(self) -> bool:
        """True when every file balances (and so the totals do)."""
        return all(f.balanced for f in self.files)

    def quarantine_frame(self) -> Any:
        """Every quarantine entry as a pandas DataFrame (:data:`QUARANTINE_COLUMNS`).

        Returns
        -------
        pandas.DataFrame
            One row per entry; ``row`` is the file's row number (1 = the first line).
        """
        import pandas as pd

        q = self.quarantine
        data = {c: pd.array([getattr(e, c) for e in q], dtype="string") for c in QUARANTINE_COLUMNS if c != "row"}
        data["row"] = pd.array([e.row for e in q], dtype="int64")
        return pd.DataFrame({c: data[c] for c in QUARANTINE_COLUMNS})

    def quarantine_counts(self) -> list[dict[str, Any]]:
        """Quarantine entries and distinct rows per file and rule, in order of first appearance."""
        entries: dict[tuple[str, str], int] = {}
        rows: dict[tuple[str, str], set[int]] = {}
        for e in self.quarantine:
            k = (e.file, e.rule)
            entries[k] = entries.get(k, 0) + 1
            rows.setdefault(k, set()).add(e.row)
        return [{"file": f, "rule": r, "entries": n, "rows": len(rows[(f, r)])} for (f, r), n in entries.items()]

    def write_quarantine(self, path: str | Path) -> Path:
        """Write every quarantine entry as Parquet, atomically (empty file when there are none)."""
        from ._atomic import atomic_path

        target = Path(path)
        with atomic_path(target) as tmp:
            self.quarantine_frame().to_parquet(tmp, index=False)
        return target

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape of ``load_report.json``).

        The quarantine is summarised: counts per file and rule, and the first
        :data:`QUARANTINE_EXAMPLES` entries; every entry is in :data:`QUARANTINE_FILE`
        (:meth:`write_quarantine`) and in :attr:`quarantine`.
        """
        return {
            "engine": self.engine,
            "engine_reason": self.engine_reason,
            "totals": self.totals,
            "files": [asdict(f) for f in self.files],
            "quarantine_total": len(self.quarantine),
            "quarantine_counts": self.quarantine_counts(),
            "quarantine_file": QUARANTINE_FILE,
            "quarantine": [asdict(q) for q in self.quarantine[:QUARANTINE_EXAMPLES]],
            "mismatches": [asdict(m) for m in self.mismatches],
            "warnings": list(self.warnings),
            "skipped": list(self.skipped),
        }

    def write_json(self, path: str | Path) -> Path:
        """Write the report as JSON, atomically."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)
        # file names that are not valid UTF-8 keep their original bytes (surrogateescape)
        return atomic_write_bytes(path, (text + "\n").encode("utf-8", "surrogateescape"))

    def __str__(self) -> str:
        t = self.totals
        lines = [
            f"{len(self.files)} file(s): {t['rows_read']} rows read = {t['rows_loaded']} loaded"
            f" + {t['rows_quarantined']} quarantined + {t['rows_summary']} summary rows"
        ]
        if self.engine_reason:
            lines.append(f"  engine: {self.engine} ({self.engine_reason})")
        from .schema import FILE_KINDS

        for f in self.files:
            name = Path(f.file).name + (f" [{f.sheet}]" if f.sheet else "")
            family = f" ({FILE_KINDS[f.kind].label})" if f.kind in FILE_KINDS else ""
            lines.append(
                f"  {name}: {f.kind}{family} → {f.table}, {f.rows_read} read, {f.rows_loaded} loaded, "
                f"{f.rows_quarantined} quarantined, {f.rows_summary} summary"
                + (" (from the parse cache)" if f.cached else "")
            )
            lines.extend(f"    note: {w}" for w in f.warnings)
        for s in self.skipped:
            lines.append(f"  skipped folder: {s}")
        for q in self.quarantine[:10]:
            lines.append(f"  quarantined: {q}")
        if len(self.quarantine) > 10:
            lines.append(f"  … {len(self.quarantine) - 10} more quarantine entries")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:  # pragma: no cover - notebook display
        return "```\n" + str(self) + "\n```"
