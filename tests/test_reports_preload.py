"""Kernels forked from the preload server behave like freshly started kernels.

One notebook prints what a kernel sees (working directory, environment, pandas' display
options chosen at import, the matplotlib backend); it runs once in a normal kernel and once
in a kernel forked from a :class:`PreloadServer` that imported pandas and matplotlib
before any kernel existed. Plus the small parts: the Popen stand-in, the command check,
the KPIs shared between runs and the single draw under the inline backend.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from fact_toolkit.reports import preload as pl
from fact_toolkit.reports.runner import shared_kpis

PROBE = """
import json, os, sys
preloaded = "pandas" in sys.modules
import pandas as pd
import matplotlib
import matplotlib.pyplot as plt
print(json.dumps({
    "cwd": os.getcwd(),
    "probe_env": os.environ.get("FT_PRELOAD_PROBE"),
    "parent_pid_set": bool(os.environ.get("JPY_PARENT_PID")),
    "max_columns": pd.get_option("display.max_columns"),
    "encoding": pd.get_option("display.encoding"),
    "backend": matplotlib.get_backend(),
    "preloaded": preloaded,
}))
"""


def _run(tmp_path: Path, name: str, cwd: Path, **extra: object) -> dict:
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PROBE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    src, out = tmp_path / f"{name}.ipynb", tmp_path / f"{name}.out.ipynb"
    nbformat.write(nb, src)
    pm.execute_notebook(str(src), str(out), kernel_name="python3", cwd=str(cwd), progress_bar=False,
                        extra_arguments=["--IPKernelApp.log_level=ERROR"], **extra)
    done = nbformat.read(out, as_version=4)
    text = "".join(o.get("text", "") for o in done.cells[0].outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


def test_forked_kernel_sees_what_a_fresh_kernel_sees(tmp_path, monkeypatch):
    work = tmp_path / "work dir"
    work.mkdir()
    monkeypatch.setenv("FT_PRELOAD_PROBE", "from the runner")
    fresh = _run(tmp_path, "fresh", work)
    with pl.PreloadServer(modules=("pandas", "matplotlib.pyplot")) as server:
        forked = _run(tmp_path, "forked", work, kernel_manager_class=pl.kernel_manager_class(server.address))
    assert fresh["cwd"] == str(work)
    assert fresh["probe_env"] == "from the runner"
    assert fresh["max_columns"] == 20  # pandas' choice inside a kernel (0 in a terminal)
    assert forked == {**fresh, "preloaded": True}
    assert fresh["preloaded"] is False


def test_forked_kernel_popen_stand_in_follows_the_process():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    kernel = pl.ForkedKernel(proc.pid)
    assert kernel.poll() is None
    kernel.terminate()
    proc.wait(timeout=10)  # reaped here, as the server's children are reaped by the system
    assert kernel.wait(timeout=5) == 0
    assert kernel.poll() == 0
    kernel.kill()  # a no-op once gone


def test_only_this_pythons_ipykernel_launcher_is_forked():
    assert pl._is_launcher([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not pl._is_launcher(["/usr/bin/other-python", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not pl._is_launcher([sys.executable, "-m", "other_kernel", "-f", "k.json"])
    assert not pl._is_launcher([sys.executable])


def test_preload_makes_pandas_believe_it_is_in_a_kernel():
    code = ("import importlib.util as u, sys; s = u.spec_from_file_location('p', sys.argv[1]); "
            "m = u.module_from_spec(s); s.loader.exec_module(m); print(m.preload(('pandas', 'no_such_mod_x'))); "
            "import pandas as pd, builtins; print(pd.get_option('display.max_columns'), "
            "pd.get_option('display.encoding'), hasattr(builtins, 'get_ipython'))")
    out = subprocess.run([sys.executable, "-c", code, pl.__file__], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['no_such_mod_x']", "20 UTF-8 False"]


def test_runs_on_the_same_data_share_one_kpi_computation(tmp_path, monkeypatch):
    import fact_toolkit.reports.kpis as kpis

    calls = []

    def fake(path):
        calls.append(path)
        return {"gmv": 1.5, "window": ("2026-01-01", "2026-01-07")}

    monkeypatch.setattr(kpis, "load_kpis", fake)
    a = tmp_path / "a"
    a.mkdir()
    first = shared_kpis(a, tmp_path)
    second = shared_kpis(a, tmp_path)
    assert first == second == {"gmv": 1.5, "window": ["2026-01-01", "2026-01-07"]}  # as a manifest keeps them
    assert len(calls) == 1
    shared_kpis(tmp_path / "b", tmp_path)  # another data path: computed
    shared_kpis(a, None)  # nothing shared: computed
    assert len(calls) == 3


def test_failed_kpis_are_not_shared(tmp_path, monkeypatch):
    import fact_toolkit.reports.kpis as kpis

    def boom(path):
        raise ValueError("bad export")

    monkeypatch.setattr(kpis, "load_kpis", boom)
    for _ in range(2):
        with pytest.raises(ValueError, match="bad export"):
            shared_kpis(tmp_path, tmp_path)


class _Events:
    def __init__(self, hook):
        self.callbacks = {"post_execute": [hook]}

    def unregister(self, event, fn):
        self.callbacks[event].remove(fn)


@pytest.mark.parametrize("backend, removed", [("module://matplotlib_inline.backend_inline", True),
                                              ("inline", True), ("module://ipympl.backend_nbagg", False)])
def test_inline_backend_draws_each_figure_once(monkeypatch, backend, removed):
    import matplotlib.pyplot as plt

    from fact_toolkit.plotting import _style

    shell = types.SimpleNamespace(events=_Events(plt._draw_all_if_interactive))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.setattr(_style.mpl.rcParams, "_get", lambda key: backend)
    assert _style._skip_repl_redraw() is removed
    assert (plt._draw_all_if_interactive in shell.events.callbacks["post_execute"]) is not removed
    assert _style._skip_repl_redraw() is False  # nothing (left) to remove


def test_outside_ipython_nothing_changes(monkeypatch):
    from fact_toolkit.plotting import _style

    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    assert _style._skip_repl_redraw() is False


def test_stop_ends_the_server_even_while_it_imports():
    server = pl.PreloadServer(modules=("json",))
    folder = Path(server.address).parent
    assert folder.is_dir()
    server.stop()
    server.stop()  # twice is harmless
    assert server._proc.poll() is not None and not folder.exists()


def test_only_the_shutdown_interrupt_line_is_dropped_from_kernel_logs() -> None:
    import logging

    from fact_toolkit.reports.preload import _quiet_shutdown_interrupt

    def record(msg: str) -> logging.LogRecord:
        return logging.LogRecord("IPKernelApp", logging.ERROR, __file__, 1, msg, None, None)

    assert _quiet_shutdown_interrupt(record("KeyboardInterrupt caught in kernel.")) is False
    assert _quiet_shutdown_interrupt(record("Exception in message handler:")) is True
