"""The Parquet parse cache: a second load of unchanged files skips parsing, and equals the first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import fact_toolkit as ft
from fact_toolkit import cache

from .conftest import LIVE_HEADER, live_rows, write_csv


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FACT_TOOLKIT_CACHE", str(folder))
    return folder


def test_second_load_reads_the_cache_and_is_identical(own_cache: Path, sample_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "exports"
    shutil.copytree(sample_dir, data)
    first = ft.load(data)
    assert not any(f.cached for f in first.report.files)
    assert len(list(own_cache.iterdir())) == len(list(data.glob("*.csv")) + list(data.glob("*.xlsx")))
    second = ft.load(data)
    assert all(f.cached for f in second.report.files)
    for name, table in first.tables.items():
        pd.testing.assert_frame_equal(table, second.tables[name], check_exact=True)
    assert first.report.totals == second.report.totals
    assert first.report.quarantine == second.report.quarantine


def test_changed_file_is_parsed_again(own_cache: Path, tmp_path: Path) -> None:
    p = write_csv(tmp_path / "live.csv", LIVE_HEADER, live_rows())
    assert ft.load(p).content["paid_amount"].sum() == 6000.0
    rows = live_rows()
    rows[0][15] = "1500.00"
    write_csv(p, LIVE_HEADER, rows)
    again = ft.load(p)
    assert not again.report.files[0].cached
    assert again.content["paid_amount"].sum() == 6500.0


def test_same_bytes_at_another_path_report_the_new_path(own_cache: Path, tmp_path: Path) -> None:
    rows = live_rows()
    rows[0][8] = "oops"
    a = write_csv(tmp_path / "a.csv", LIVE_HEADER, rows)
    ft.load(a)
    b = tmp_path / "b.csv"
    shutil.copy(a, b)
    ds = ft.load(b)
    assert ds.report.files[0].cached
    assert set(ds.content["source_file"]) == {str(b)}
    assert [q.file for q in ds.report.quarantine] == [str(b)]


def test_no_cache_writes_nothing(own_cache: Path, live_csv: Path) -> None:
    ds = ft.load(live_csv, cache=False)
    assert not ds.report.files[0].cached
    assert not own_cache.exists() or not any(own_cache.iterdir())


def test_cache_key_depends_on_options() -> None:
    assert cache.cache_key("abc", {"locale": None}) != cache.cache_key("abc", {"locale": "id"})
    assert cache.cache_key("abc", {"locale": None}) == cache.cache_key("abc", {"locale": None})


def test_a_fix_in_any_reader_module_invalidates_the_entries() -> None:
    # the readers are a subpackage of io: its modules count as much as io/parse.py
    root = Path(cache.__file__).parent
    hashed = {f.relative_to(root).as_posix() for f in cache._code_files()}
    assert {"io/parse.py", "io/convert.py", "io/headers.py", "schema.py", "io/readers/__init__.py",
            "io/readers/csv_body.py", "io/readers/workbook.py", "io/readers/header.py"} <= hashed
    assert not any(name.startswith(("engines/", "loader")) for name in hashed)
