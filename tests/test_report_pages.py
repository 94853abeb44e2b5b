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


# --- what an analyst forwards: formatted tables, one language, a summary on top -------------

from dataclasses import replace as _replace  # noqa: E402

from .page_check import page_problems, parse_page  # noqa: E402

ARTIFACTS = ROOT / "reports" / "test-artifacts"
EN_TITLES = {"overview": "Channel overview", "channel_diagnosis": "Channel diagnosis",
             "gpm_trends": "GPM trends and the snowball", "what_if": "What-if"}


@pytest.fixture(scope="module")
def rendered_en(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same four notebooks with ``lang = "en"`` (and the index over them)."""
    out = tmp_path_factory.mktemp("pages_en")
    cfg = load_config(ROOT / "reports" / "runs.toml")
    runs = tuple(_replace(r, name=f"{r.name}_en", title=EN_TITLES.get(r.name, r.name),
                          parameters={**r.parameters, "lang": "en"}, passed={**r.passed, "lang": "en"})
                 for r in cfg.runs)
    results = run_reports(_replace(cfg, runs=runs, all_names=tuple(r.name for r in runs), out_dir=out),
                          date=parse_date("2026-12-01"), quiet=True)
    assert [r.status for r in results] == ["success"] * len(runs), [r.error for r in results]
    return {r.name: Path(r.html) for r in results}


@pytest.fixture(scope="module")
def data_names() -> set[str]:
    """Names that come from the data (accounts, content forms, tags, campaigns, the brand, the category):
    an English page may show them in Chinese."""
    import fact_toolkit as ft

    names = {"栖木"}
    ds = ft.load(ROOT / "data" / "sample")
    for table in ds.tables.values():
        for col in table.columns:
            if table[col].dtype == object or str(table[col].dtype) in ("string", "category"):
                names.update(str(v) for v in table[col].dropna().unique()[:5000] if len(str(v)) < 40)
    import pandas as pd

    names.update(str(v) for v in pd.read_csv(ROOT / "data" / "sample" / "benchmarks.csv").astype(str).stack())
    return {n for n in names if re.search(r"[\u4e00-\u9fff]", n)}


def _pages(rendered: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    pages = {name: (page, "en" if name.endswith("_en") else "zh") for name, page in rendered.items()}
    index = next(iter(rendered.values())).parents[2] / "index.html"
    pages["index" + ("_en" if next(iter(pages.values()))[1] == "en" else "")] = (index, pages[next(iter(pages))][1])
    return pages


def test_every_page_reads_like_a_report(rendered: dict[str, Path], rendered_en: dict[str, Path],
                                        data_names: set[str]) -> None:
    """No scientific notation, NaN/None/True/False cell, code-identifier header or 0/1/2 row label;
    a zh page has no English paragraph and an en page no Chinese one (names from the data aside)."""
    for name, (page, lang) in {**_pages(rendered), **_pages(rendered_en)}.items():
        text = page.read_text(encoding="utf-8")
        parsed = parse_page(text)
        assert parsed.lang == ("zh-CN" if lang == "zh" else "en"), name
        if not name.startswith("index"):
            assert len(parsed.tables) >= 2 and sum(len(t["rows"]) for t in parsed.tables) > 10, name
        problems = page_problems(text, lang, data_names)
        assert not problems, f"{name}: {problems[:8]}"


def test_the_check_finds_what_the_issue_counted() -> None:
    """The page check is not blind: a raw pandas table and a bilingual paragraph fail it."""
    import pandas as pd

    raw = pd.DataFrame({"net_gmv": [1.66912e7, None], "disagree": [True, False], "share": [1e-7, 0.5]})
    page = f"<html lang='zh-CN'><p>Every rate is a ratio of sums.</p>{raw.to_html()}</html>"
    problems = " | ".join(page_problems(page, "zh"))
    for what in ("scientific notation '1.000000e-07'", "raw value 'NaN'", "raw value 'True'",
                 "code identifier header 'net_gmv'", "rows labelled 0, 1, 2", "English paragraph"):
        assert what in problems, what
    assert page_problems("<html><p>所有比率均为总和之比。</p></html>", "en")  # Chinese on an English page
    assert not page_problems("<html><p>栖木 sells most.</p></html>", "en", {"栖木"})


def test_every_page_opens_with_its_summary(rendered: dict[str, Path], rendered_en: dict[str, Path]) -> None:
    """KPI tiles (GMV, net GMV, GPM, ROI: the last 7 days and the change), then 3–5 findings
    ordered by GMV at stake, each linking to an element of the page."""
    for name, page in {**rendered, **rendered_en}.items():
        text = page.read_text(encoding="utf-8")
        text = text.replace("'", '"')  # the page's markdown renderer writes attributes with double quotes
        summary = text.index('class="ft-summary"')
        assert summary < text.index('class="ft-table"'), f"{name}: the summary is not on top"
        assert text.count('class="ft-tile"') == 4, name
        assert text.count('class="ft-tile-change"') == 4, name
        items = re.findall(r'<li><a href="#([^"]+)">.*?</a> <span class="ft-stake">([^<]+)</span></li>', text)
        assert 3 <= len(items) <= 5, f"{name}: {len(items)} findings"
        for anchor, _ in items:
            assert f'id="{anchor}"' in text, f"{name}: the finding links to #{anchor}, which is not on the page"
    # the diagnosis page: its capability finding (all GMV of the range) comes first
    text = rendered["channel_diagnosis"].read_text(encoding="utf-8").replace("'", '"')
    first = re.search(r'<ol class="ft-findings"><li><a href="#([^"]+)"', text)
    assert first and first.group(1) == "sec-capabilities"


def test_screenshots_of_every_page(rendered: dict[str, Path], rendered_en: dict[str, Path]) -> None:
    """Real Chromium screenshots into reports/test-artifacts/ (git-ignored) to look at; not compared."""
    import subprocess
    import tempfile

    from fact_toolkit.browser import CHROMIUM_ARGS, chromium_env, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium (apt-get install chromium): screenshots not taken")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, (page, _) in {**_pages(rendered), **_pages(rendered_en)}.items():
        target = ARTIFACTS / f"{name}.png"
        target.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory(prefix="fact_toolkit_shot_") as profile:
            subprocess.run([str(chromium), *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--hide-scrollbars",
                            "--window-size=1280,4000", f"--screenshot={target}", page.as_uri()],
                           env=chromium_env(), capture_output=True, timeout=180, check=False)
        assert target.is_file() and target.stat().st_size > 20_000, f"{name}: no screenshot"


def test_pdf_beside_a_page(rendered: dict[str, Path], tmp_path: Path) -> None:
    from fact_toolkit.browser import find_chromium
    from fact_toolkit.reports.pdf import html_to_pdf

    if find_chromium() is None:
        pytest.skip("no Chromium (apt-get install chromium): no PDF")
    page = tmp_path / "overview.html"
    page.write_bytes(rendered["overview"].read_bytes())
    pdf = html_to_pdf(page)
    assert pdf == tmp_path / "overview.pdf" and pdf.read_bytes()[:5] == b"%PDF-"


def test_pdf_says_clearly_when_there_is_no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from fact_toolkit.reports import commands, pdf
    from fact_toolkit.reports.runner import RunResult

    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    page = tmp_path / "r.html"
    page.write_text("<html><body>x</body></html>", encoding="utf-8")
    with pytest.raises(pdf.PdfUnavailable, match="apt-get install chromium"):
        pdf.html_to_pdf(page)
    commands._write_pdfs([RunResult("r", "success", 1.0, str(tmp_path), html=str(page))], tmp_path, quiet=False)
    err = capsys.readouterr().err
    assert "no Chromium found, so no PDF was written (the HTML pages were)" in err
    assert not list(tmp_path.glob("*.pdf"))
