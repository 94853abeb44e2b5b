"""The run configuration is checked in full before anything executes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fact_toolkit.errors import FactInputError
from fact_toolkit.reports.config import check_kernel, load_config, parse_date

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"


def write_config(tmp_path: Path, body: str, head: str = "") -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "x.csv").write_text("a\n1\n", encoding="utf-8")
    path = tmp_path / "runs.toml"
    path.write_text(f'{head}\nroot = "{tmp_path.as_posix()}"\n{body}', encoding="utf-8")
    return path


def run_table(name: str = "ok", notebook: str = "succeeds.ipynb", params: str = 'data_path = "data/x.csv"',
              extra: str = "") -> str:
    return (f'[[run]]\nname = "{name}"\nnotebook = "{(FIXTURES / notebook).as_posix()}"\n'
            f"parameters = {{ {params} }}\n{extra}\n")


def test_default_configuration_is_valid():
    cfg = load_config(ROOT / "reports" / "runs.toml")
    assert cfg.root == ROOT
    assert cfg.out_dir == ROOT / "reports"
    assert "overview" in cfg.names()
    overview = cfg.runs[cfg.names().index("overview")]
    assert overview.data_path == ROOT / "data" / "sample"
    assert overview.parameters["data_path"] == "data/sample"  # as written; papermill gets the absolute path


def test_valid_run_resolves_paths_and_folder(tmp_path):
    cfg = load_config(write_config(tmp_path, run_table(extra='output = "weekly/{name}-{date}"')))
    (run,) = cfg.runs
    assert run.passed["data_path"] == str((tmp_path / "data" / "x.csv").resolve())
    assert run.parameters == {"data_path": "data/x.csv"}
    assert run.folder(cfg.out_dir, dt.date(2026, 3, 9)) == tmp_path / "reports" / "weekly" / "ok-2026-03-09"


def test_undeclared_parameter_names_the_run_and_the_parameter(tmp_path):
    cfg = write_config(tmp_path, run_table() + run_table("bad", "undeclared.ipynb", 'lang = "en", data_path = "data"'))
    with pytest.raises(FactInputError) as err:
        load_config(cfg)
    msg = str(err.value)
    assert "run 'bad'" in msg and "data_path" in msg and "declares lang" in msg
    assert "\n" not in msg


@pytest.mark.parametrize(("body", "needle"), [
    (run_table(notebook="missing.ipynb"), "not found"),
    (run_table(params='data_path = "data/nope.csv"'), "does not exist"),
    (run_table(params='data_path = "data/x.csv", label = 3'), "is not str"),
    (run_table(extra='output = "../{name}"'), "leaves the output folder"),
    (run_table(extra='output = "{name}/{when}"'), "unknown placeholder"),
    (run_table(extra="colour = 1"), "unknown key(s) colour"),
    (run_table(extra='alerts = [{metric = "gpm", above = 1, below = 2}]'), "exactly one condition"),
    (run_table() + run_table(), "appears twice"),
    (run_table(extra='output = "shared"'), "lacks {name} and {date}"),
    (run_table(extra='output = "{name}"'), "lacks {date}: each run would overwrite its own earlier reports"),
    (run_table(extra='output = "weekly/{date}"'), "lacks {name}"),
    (run_table(name="latest"), "uses latest/"),
    (run_table("a", extra='output = "{name}-x/{date}"') + run_table("a-x"),
     "run 'a-x': output '{name}/{date}' writes into the folder of run 'a'"),
    (run_table(name="has space"), "not a simple name"),
    ("", "no [[run]]"),
])
def test_problems_are_one_clear_error(tmp_path, body, needle):
    with pytest.raises(FactInputError, match=None) as err:
        load_config(write_config(tmp_path, body), check_kernel_spec=False)
    assert needle in str(err.value)


def test_bad_date_parameter_is_caught(tmp_path):
    nb = tmp_path / "dated.ipynb"
    nb.write_text((FIXTURES / "undeclared.ipynb").read_text(encoding="utf-8").replace(
        'lang = \\"zh\\"', 'end_date = \\"2026-01-31\\"'), encoding="utf-8")
    body = f'[[run]]\nname = "d"\nnotebook = "{nb.as_posix()}"\nparameters = {{ end_date = "2026-02-30" }}\n'
    with pytest.raises(FactInputError) as err:
        load_config(write_config(tmp_path, body), check_kernel_spec=False)
    assert "run 'd', parameter end_date" in str(err.value) and "not a date" in str(err.value)


def dated_notebook(tmp_path: Path, declaration: str) -> Path:
    """The undeclared.ipynb fixture with its parameters cell replaced by ``declaration``."""
    import nbformat

    nb = nbformat.read(FIXTURES / "undeclared.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    cell.source = declaration
    nbformat.write(nb, tmp_path / "dated.ipynb")
    return tmp_path / "dated.ipynb"


@pytest.mark.parametrize("params", ['start = "2025-02-30"', 'end = "2025-2-3"', 'update_date = "tomorrow"',
                                    "start = 2025", 'start = "2025-02-28", end = "2025-02-30"'])
def test_dates_are_checked_by_name_when_the_default_is_none(tmp_path, params):
    # notebook 02 declares start = None, end = None: the date check must not rely on an ISO default
    nb = dated_notebook(tmp_path, "start = None\nend = None\nupdate_date = None\ndate_col = \"order_date\"")
    body = f'[[run]]\nname = "d"\nnotebook = "{nb.as_posix()}"\nparameters = {{ {params} }}\n'
    with pytest.raises(FactInputError) as err:
        load_config(write_config(tmp_path, body), check_kernel_spec=False)
    assert "run 'd', parameter" in str(err.value) and "not a date" in str(err.value)


def test_good_dates_pass_and_bare_toml_dates_become_text(tmp_path):
    nb = dated_notebook(tmp_path, "start = None\nend = None\ndate_col = \"order_date\"")
    body = (f'[[run]]\nname = "d"\nnotebook = "{nb.as_posix()}"\n'
            'parameters = { start = "2025-02-28", end = 2025-03-31, date_col = "paid_day" }\n')
    (run,) = load_config(write_config(tmp_path, body), check_kernel_spec=False).runs
    # a column name is not a date (its default is text that is not a date); a TOML date reaches papermill as text
    assert run.passed == {"start": "2025-02-28", "end": "2025-03-31", "date_col": "paid_day"}
    assert run.parameters["end"] == "2025-03-31"


def test_only_unknown_name(tmp_path):
    with pytest.raises(FactInputError) as err:
        load_config(write_config(tmp_path, run_table()), only=["nope"], check_kernel_spec=False)
    assert "no run named nope" in str(err.value) and "ok" in str(err.value)


def test_only_keeps_all_names_for_the_index(tmp_path):
    cfg = load_config(write_config(tmp_path, run_table() + run_table("other")), only=["other"],
                      check_kernel_spec=False)
    assert cfg.names() == ["other"]
    assert cfg.all_names == ("ok", "other")


def test_parse_date():
    assert parse_date("2026-03-09") == dt.date(2026, 3, 9)
    for bad in ("2026-13-01", "09/03/2026", "2026-3-9"):
        with pytest.raises(FactInputError, match="not a date"):
            parse_date(bad)


def test_kernel_check(tmp_path, monkeypatch):
    assert check_kernel("python3") == "python3"
    with pytest.raises(FactInputError, match="no Jupyter kernel named"):
        check_kernel("no-such-kernel-here")
    # a kernelspec that starts another interpreter is refused
    spec = tmp_path / "kernels" / "elsewhere"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text('{"argv": ["/usr/bin/false", "-m", "ipykernel_launcher", "-f", '
                                      '"{connection_file}"], "display_name": "x", "language": "python"}')
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(FactInputError, match="not this environment's Python"):
        check_kernel("elsewhere")
