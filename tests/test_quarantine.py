"""The quarantine sequence: entries one by one and as columnar blocks, in file order."""

from __future__ import annotations

import pyarrow as pa

from fact_toolkit.report import QUARANTINE_COLUMNS, Quarantine, QuarantinedRow


def _entry(file: str, row: int) -> QuarantinedRow:
    return QuarantinedRow(file, row, "gmv", "x", "parse_money", f"gmv: cannot read 'x' (row {row})")


def _block(entries: list[QuarantinedRow]) -> pa.Table:
    return pa.table({c: [getattr(e, c) for e in entries] for c in QUARANTINE_COLUMNS})


def test_entries_are_ordered_by_file_rank_and_keep_their_order_within_a_file() -> None:
    # b.csv (rank 1) was loaded before a.csv (rank 0) here: a's entries go first, each file's
    # entries stay in the order they were added (rows 9 then 3 for b, 5 then 2 for a)
    q = Quarantine()
    q.add_table(_block([_entry("b.csv", 9), _entry("a.csv", 5)]))
    q.append(_entry("b.csv", 3))
    q.add_table(_block([_entry("a.csv", 2)]))
    q.sort_by_file({"a.csv": 0, "b.csv": 1})
    assert [(e.file, e.row) for e in q] == [("a.csv", 5), ("a.csv", 2), ("b.csv", 9), ("b.csv", 3)]


def test_entries_already_in_file_order_are_left_as_they_are() -> None:
    # one file's 1.2 million duplicate entries are in order already: sorting them copied every
    # entry (450 MB on the 20M-row live list), so an ordered quarantine keeps its blocks
    first, second = _block([_entry("a.csv", 4), _entry("a.csv", 2)]), _block([_entry("b.csv", 7)])
    q = Quarantine()
    q.add_table(first)
    q.add_table(second)
    before = list(q._blocks)
    q.sort_by_file({"a.csv": 0, "b.csv": 1})
    assert all(x is y for x, y in zip(q._blocks, before, strict=True))
    assert [(e.file, e.row) for e in q] == [("a.csv", 4), ("a.csv", 2), ("b.csv", 7)]
    q.sort_by_file({"a.csv": 1, "b.csv": 0})
    assert [(e.file, e.row) for e in q] == [("b.csv", 7), ("a.csv", 4), ("a.csv", 2)]
