"""Datasets kept in memory (fact_toolkit.memo) and handed to forked report kernels."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pandas.testing as pdt
import pytest

import fact_toolkit as ft
from fact_toolkit import memo
from fact_toolkit.loader import memo_key
from fact_toolkit.reports import preload as pl


@pytest.fixture
def data(tmp_path: Path, sample_dir: Path) -> Path:
    d = tmp_path / "exports"
    d.mkdir()
    for name in ("短视频明细.csv", "达人列表.csv"):
        shutil.copy(sample_dir / name, d / name)
    return d


@pytest.fixture(autouse=True)
def _empty_memo():
    memo.forget()
    yield
    memo.forget()


def test_a_kept_dataset_comes_back_as_an_equal_private_copy(data: Path) -> None:
    ds = ft.load(data)
    memo.keep(memo_key(data), ds)
    again = ft.load(data)
    assert again is not ds and again.tables["content"] is not ds.tables["content"]
    for name in ds.tables:
        pdt.assert_frame_equal(again.tables[name], ds.tables[name])
    assert again.report.totals == ds.report.totals
    again.tables["content"].loc[0, "gmv"] = -1.0  # a kernel changing its copy changes nothing kept
    assert ft.load(data).tables["content"].loc[0, "gmv"] == ds.tables["content"].loc[0, "gmv"]


def test_a_changed_added_file_or_other_option_is_a_miss(data: Path) -> None:
    key = memo_key(data)
    assert key is not None and memo_key(data, top_kol_min_followers=10) != key
    assert memo_key(str(data)) == key == memo_key(data, top_kol_min_followers=5_000_000)  # defaults filled in
    memo.keep(key, ft.load(data))
    f = data / "短视频明细.csv"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert memo_key(data) != key
    shutil.copy(f, data / "copy.csv")
    assert memo_key(data) != memo_key(data / "短视频明细.csv")


def test_nothing_is_looked_up_while_the_memo_is_empty(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a: object, **k: object) -> None:
        raise AssertionError("looked up")

    monkeypatch.setattr(memo, "dataset_key", boom)
    assert not memo.active()
    ft.load(data)  # no key computed


def test_a_frame_option_cannot_be_kept(data: Path) -> None:
    import pandas as pd

    assert memo_key(data, campaigns=pd.DataFrame()) is None
    assert memo_key(data / "missing.csv") is None  # load() itself names the problem


PROBE = """
import json, time, fact_toolkit as ft, fact_toolkit.memo as memo
t0 = time.perf_counter()
ds = ft.load(DATA)
print(json.dumps({"kept": memo.active(), "rows": len(ds.tables["content"]), "seconds": time.perf_counter() - t0}))
"""


def test_a_kernel_forked_after_the_hand_off_loads_from_memory(tmp_path: Path, data: Path) -> None:
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PROBE.replace("DATA", repr(str(data))))]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, tmp_path / "probe.ipynb")
    ds = ft.load(data)
    with pl.PreloadServer(modules=("fact_toolkit",)) as server:
        assert pl.keep_dataset(server.address, memo_key(data), ds, tmp_path)
        assert not list(tmp_path.glob("dataset-*.pkl"))  # the hand-off file is gone
        pm.execute_notebook(str(tmp_path / "probe.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
                            cwd=str(tmp_path), progress_bar=False, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            kernel_manager_class=pl.kernel_manager_class(server.address))
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[0].outputs
    seen = json.loads("".join(o.get("text", "") for o in out if o.get("name") == "stdout").strip())
    assert seen["kept"] is True and seen["rows"] == len(ds.tables["content"])


def test_a_hand_off_nobody_takes_is_refused_quietly(tmp_path: Path, data: Path) -> None:
    assert not pl.keep_dataset(str(tmp_path / "no-server.sock"), memo_key(data), ft.load(data), tmp_path)
    assert not pl.keep_dataset(str(tmp_path / "no-server.sock"), None, None, tmp_path)


def test_the_key_covers_every_result_changing_option_of_load() -> None:
    import inspect

    from fact_toolkit.loader import _RESULT_OPTIONS, load

    params = set(inspect.signature(load).parameters) - {"paths", "cache", "engine"}
    assert set(_RESULT_OPTIONS) == params


def test_the_same_files_named_another_way_are_another_key(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the load report names files as they were given: a kept dataset must not answer for another spelling
    monkeypatch.chdir(data.parent)
    assert memo_key("exports") != memo_key(data)
    memo.keep(memo_key(data), ft.load(data))
    fresh = ft.load("exports")
    assert fresh.report.files[0].file.startswith("exports")


def test_an_export_rewritten_during_the_runners_load_is_not_handed_over(tmp_path: Path, data: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from fact_toolkit.reports import kpis, runner

    handed: list[tuple] = []
    monkeypatch.setattr(pl, "keep_dataset", lambda address, key, ds, folder: handed.append(key) or True)
    real = kpis.load_kpis

    def load_then_rewrite(path: Path, on_loaded=None) -> dict:
        def rewrite_first(ds: object) -> None:
            f = data / "达人列表.csv"
            st = f.stat()
            os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))  # rewritten while it was read
            on_loaded(ds)

        return real(path, on_loaded=rewrite_first)

    monkeypatch.setattr(kpis, "load_kpis", load_then_rewrite)
    runner.shared_kpis(data, tmp_path, preload=str(tmp_path / "server.sock"))
    assert handed == []
    (tmp_path / next(p.name for p in tmp_path.glob("*.json"))).unlink()
    monkeypatch.setattr(kpis, "load_kpis", real)
    runner.shared_kpis(data, tmp_path, preload=str(tmp_path / "server.sock"))
    assert handed == [memo_key(data)]


def test_a_dataset_that_cannot_be_pickled_is_refused_quietly(tmp_path: Path, data: Path) -> None:
    class Unpicklable:
        def __reduce__(self) -> tuple:
            raise TypeError("no")

    with pl.PreloadServer(modules=()) as server:
        assert not pl.keep_dataset(server.address, memo_key(data), Unpicklable(), tmp_path)
