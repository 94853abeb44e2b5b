"""The load report: where every row of every input file went.

For every file and in total: ``rows_read = rows_loaded + rows_quarantined + rows_summary``,
exactly. Quarantined rows carry their reason (file, row, column, value, rule).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, overload

from ._atomic import atomic_write_bytes
from .errors import display_path


__all__ = ["QuarantinedRow", "Quarantine", "Mismatch", "FileReport", "LoadReport", "display_path",
           "QUARANTINE_EXAMPLES", "QUARANTINE_FILE", "QUARANTINE_COLUMNS"]

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


class Quarantine(Sequence[QuarantinedRow]):
    """Every quarantine entry of a load, in order: a sequence of :class:`QuarantinedRow`.

    Entries are added one by one (:meth:`append`, :meth:`extend`) or, by a loader that has
    many, as a columnar block (:meth:`add_table`: an Arrow table of
    :data:`QUARANTINE_COLUMNS`), which is kept as it is: 1.2 million entries as Python
    objects took about 800 MB and five seconds to build. Objects are made only for the
    entries read one by one; :meth:`table` and :meth:`frame` give all of them columnar.

    Examples
    --------
    >>> q = Quarantine([QuarantinedRow("a.csv", 2, "gmv", "x", "parse_money", "gmv: cannot read 'x'")])
    >>> len(q), q[0].row, q == [q[0]]
    (1, 2, True)
    """

    def __init__(self, entries: Iterable[QuarantinedRow] = ()) -> None:
        self._blocks: list[list[QuarantinedRow] | Any] = []
        self._len = 0
        self.extend(entries)

    def __len__(self) -> int:
        return self._len

    def append(self, entry: QuarantinedRow) -> None:
        """Add one entry at the end."""
        if not self._blocks or not isinstance(self._blocks[-1], list):
            self._blocks.append([])
        self._blocks[-1].append(entry)  # type: ignore[union-attr]
        self._len += 1

    def extend(self, entries: Iterable[QuarantinedRow]) -> None:
        """Add entries at the end (another :class:`Quarantine`'s blocks are kept as they are)."""
        if isinstance(entries, Quarantine):
            for block in list(entries._blocks):  # a snapshot: ``q.extend(q)`` ends
                if isinstance(block, list):
                    self._blocks.append(list(block))
                    self._len += len(block)
                else:
                    self.add_table(block)
            return
        for e in entries:
            self.append(e)

    def add_table(self, table: Any) -> None:
        """Add a block of entries: a ``pyarrow.Table`` with the :data:`QUARANTINE_COLUMNS`."""
        import pyarrow as pa

        if table.num_rows == 0:
            return
        self._blocks.append(table.select(list(QUARANTINE_COLUMNS)).cast(_arrow_schema(pa)))
        self._len += table.num_rows

    def __iter__(self) -> Iterator[QuarantinedRow]:
        for block in self._blocks:
            if isinstance(block, list):
                yield from block
            else:
                for batch in block.to_batches(max_chunksize=65536):
                    cols = [batch.column(c).to_pylist() for c in QUARANTINE_COLUMNS]
                    yield from (QuarantinedRow(*values) for values in zip(*cols, strict=True))

    @overload
    def __getitem__(self, i: int) -> QuarantinedRow: ...

    @overload
    def __getitem__(self, i: slice) -> list[QuarantinedRow]: ...

    def __getitem__(self, i: int | slice) -> QuarantinedRow | list[QuarantinedRow]:
        if isinstance(i, slice):
            start, stop, step = i.indices(self._len)
            if step != 1:
                return list(self)[i]
            return list(islice(self, start, stop))
        k = i + self._len if i < 0 else i
        if not 0 <= k < self._len:
            raise IndexError("quarantine index out of range")
        for block in self._blocks:
            n = len(block) if isinstance(block, list) else block.num_rows
            if k < n:
                if isinstance(block, list):
                    return block[k]
                return QuarantinedRow(*(block.column(c)[k].as_py() for c in QUARANTINE_COLUMNS))
            k -= n
        raise IndexError("quarantine index out of range")  # pragma: no cover - lengths agree

    def __delitem__(self, i: slice) -> None:
        """``del q[n:]``: :meth:`truncate` (no other deletion is supported)."""
        if not isinstance(i, slice) or i.stop is not None or i.step not in (None, 1):
            raise TypeError("only del quarantine[n:] is supported")
        self.truncate(i.indices(self._len)[0])

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` entries (a loader retrying a file drops what it added)."""
        keep: list[list[QuarantinedRow] | Any] = []
        left = n
        for block in self._blocks:
            size = len(block) if isinstance(block, list) else block.num_rows
            if left <= 0:
                break
            keep.append(block[:left] if isinstance(block, list) else block.slice(0, left))
            left -= min(size, left)
        self._blocks = keep
        self._len = min(n, self._len)

    def sort_by_file(self, rank: dict[str, int]) -> None:
        """Order entries by their file's ``rank`` (0 when absent), keeping the order within a file."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if all(isinstance(b, list) for b in self._blocks):
            entries = sorted(self, key=lambda q: rank.get(q.file, 0))
            self._blocks, self._len = [], 0
            self.extend(entries)
            return
        table = self.table()
        files = table.column("file").unique().to_pylist()
        order = pc.index_in(table.column("file"), pa.array(files, pa.string()))
        ranks = np.array([rank.get(f, 0) for f in files], dtype=np.int64)[order.to_numpy(zero_copy_only=False)]
        if bool((ranks[1:] >= ranks[:-1]).all()):
            return  # in order already (one file, or files in turn): a sort would copy every entry
        by = pa.table({"r": ranks, "i": np.arange(table.num_rows)})
        self._blocks = [table.take(pc.sort_indices(by, [("r", "ascending"), ("i", "ascending")]))]

    def table(self) -> Any:
        """Every entry as one ``pyarrow.Table`` (:data:`QUARANTINE_COLUMNS`; ``row`` as int64)."""
        import pyarrow as pa

        schema = _arrow_schema(pa)
        parts = [b if not isinstance(b, list) else pa.table(
            {c: pa.array([getattr(e, c) for e in b], schema.field(c).type) for c in QUARANTINE_COLUMNS},
            schema=schema) for b in self._blocks]
        return pa.concat_tables(parts) if parts else schema.empty_table()

    def frame(self) -> Any:
        """Every entry as a pandas DataFrame: string columns, ``row`` as int64."""
        import pandas as pd
        import pyarrow as pa

        return self.table().to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Quarantine, list, tuple)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Quarantine({len(self)} entries)"

    def __copy__(self) -> Quarantine:
        # a copy's entry lists are its own (Arrow blocks are immutable, shared)
        q = Quarantine()
        q._blocks = [list(b) if isinstance(b, list) else b for b in self._blocks]
        q._len = self._len
        return q


def _arrow_schema(pa: Any) -> Any:
    return pa.schema([(c, pa.int64() if c == "row" else pa.string()) for c in QUARANTINE_COLUMNS])


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
    quarantine: Quarantine = field(default_factory=Quarantine)
    mismatches: list[Mismatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: the engine that ran (``pandas`` or ``duckdb``) and why (``engine="auto"`` decides by size)
    engine: str = "pandas"
    engine_reason: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.quarantine, Quarantine):
            self.quarantine = Quarantine(self.quarantine)

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
        return self.quarantine.frame()

    def quarantine_counts(self) -> list[dict[str, Any]]:
        """Quarantine entries and distinct rows per file and rule, in order of first appearance."""
        import numpy as np
        import pyarrow as pa

        t = self.quarantine.table()
        if t.num_rows == 0:
            return []
        g = t.select(["file", "rule", "row"]).append_column("i", pa.array(np.arange(t.num_rows))).group_by(
            ["file", "rule"], use_threads=False).aggregate(
            [("i", "min"), ("i", "count"), ("row", "count_distinct")]).sort_by("i_min")
        return [{"file": f, "rule": r, "entries": n, "rows": d} for f, r, n, d in zip(
            *(g.column(c).to_pylist() for c in ("file", "rule", "i_count", "row_count_distinct")), strict=True)]

    def write_quarantine(self, path: str | Path) -> Path:
        """Write every quarantine entry as Parquet, atomically (empty file when there are none)."""
        from ._atomic import atomic_path

        import pyarrow as pa
        import pyarrow.parquet as pq

        table = self.quarantine.table()
        # the pandas description of :meth:`quarantine_frame`'s dtypes (no frame of all entries is built)
        described = pa.Table.from_pandas(Quarantine().frame(), preserve_index=False).schema.metadata
        target = Path(path)
        with atomic_path(target) as tmp:
            pq.write_table(table.replace_schema_metadata(described), tmp)
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
