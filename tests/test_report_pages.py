"""What a reader sees: every configured report rendered, and no stderr on any page.

Renders ``reports/runs.toml`` (all four notebooks on the bundled sample) once into a
temporary folder, then reads each page's body (styles and scripts removed) the way a
reader would: no stderr output area, no warning text, no missing-glyph message. A
notebook that does print a warning is rendered too: its page stays clean and the text
is kept in the run's manifest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from fact_toolkit.reports.config import load_config, parse_date
from fact_toolkit.reports.runner import run_reports

ROOT = Path(__file__).resolve().parents[1]
STDERR_AREA = "application/vnd.jupyter.stderr"
WARNING_TEXT = re.compile(r"FontWarning|Glyph \d+|missing from font|\w+Warning\b|Traceback")


def body(html_text: str) -> str:
    """The page without its stylesheet and scripts (which name stderr/warning classes)."""
    return re.sub(r"(?s)<style.*?</style>|<script.*?</script>", "", html_text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    cfg = load_config(ROOT / "reports" / "runs.toml")
    from dataclasses import replace

    results = run_reports(replace(cfg, out_dir=out), date=parse_date("2026-12-01"), quiet=True)
    assert [r.status for r in results] == ["success"] * len(cfg.runs), [r.error for r in results]
    return {r.name: Path(r.html) for r in results}


def test_every_configured_page_is_free_of_stderr_and_warnings(rendered: dict[str, Path]) -> None:
    assert len(rendered) == 4
    for name, page in rendered.items():
        text = body(page.read_text(encoding="utf-8"))
        assert STDERR_AREA not in text, f"{name}: a stderr output area is on the page"
        found = WARNING_TEXT.findall(text)
        assert not found, f"{name}: warning text on the page: {found[:5]}"
        assert text.count("<img") >= 1, f"{name}: no chart"


def test_every_run_records_its_warnings_in_the_manifest(rendered: dict[str, Path]) -> None:
    for name, page in rendered.items():
        manifest = json.loads((page.parent / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["warnings"] == [], f"{name} printed to stderr: {manifest['warnings'][:2]}"


def test_a_noisy_notebook_keeps_its_warning_off_the_page(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("data_path = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import sys, warnings\nwarnings.warn('careful: 42 rows guessed')\n"
                                  "print('visible result 7')\nprint('noise on stderr', file=sys.stderr)"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, tmp_path / "noisy.ipynb")
    (tmp_path / "runs.toml").write_text(
        f'root = "{tmp_path.as_posix()}"\nout_dir = "out"\n\n[[run]]\nname = "noisy"\n'
        f'notebook = "{(tmp_path / "noisy.ipynb").as_posix()}"\n', encoding="utf-8")
    [result] = run_reports(load_config(tmp_path / "runs.toml"), date=parse_date("2026-12-01"), quiet=True)
    assert result.ok, result.error
    text = body(Path(result.html).read_text(encoding="utf-8"))
    assert "visible result 7" in text
    assert STDERR_AREA not in text and "careful" not in text and "noise on stderr" not in text
    manifest = json.loads(Path(result.manifest).read_text(encoding="utf-8"))
    [kept] = manifest["warnings"]
    assert kept["cell"] == 1  # the index of the cell in the notebook
    assert "UserWarning: careful: 42 rows guessed" in kept["text"] and "noise on stderr" in kept["text"]
