"""The report runner end to end on fixture notebooks (five papermill runs in all).

Three invocations share one output folder:

1. 2026-01-05: ``ok`` (succeeds, copy A of two sample files) and ``boom`` (raises.ipynb told not
   to raise), 2 jobs.
2. 2026-01-12 through the CLI: ``ok`` on copy B (one GMV cell + 1000) and ``boom`` now raising,
   with alerts and ``--fail-on-alert``.
3. 2026-01-19: ``ok`` alone again, unchanged: the manifest says it repeats run 2.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from importlib import metadata
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from fact_toolkit.reports.commands import register
from fact_toolkit.reports.config import load_config, parse_date
from fact_toolkit.reports.runner import exit_code, run_reports

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
EDITED_FILE = "达人直播_头部达人.csv"
EDITED_ROW = "vicky_buyer"           # the talent whose 2026-11-27 session's 直播间成交金额 gets + 1000
OLD, NEW = ",72550.39,", ",73550.39,"  # inside the last 7 days of the data (2026-11-24 – 2026-11-30)
SAMPLE_FILES = (EDITED_FILE, "达人列表.csv")


def config_text(root: Path, data: str, boom_raises: bool, alerts: str = "") -> str:
    return f"""
root = "{root.as_posix()}"
out_dir = "out"

[[run]]
name = "ok"
title = "Fixture that succeeds"
notebook = "{(FIXTURES / 'succeeds.ipynb').as_posix()}"
parameters = {{ data_path = "{data}", label = "weekly" }}
{alerts}

[[run]]
name = "boom"
notebook = "{(FIXTURES / 'raises.ipynb').as_posix()}"
parameters = {{ should_raise = {str(boom_raises).lower()} }}
"""


ALERTS = """alerts = [
  { metric = "gmv", change = ">0" },
  { metric = "gpm", change = "<0" },
  { metric = "refund_rate", above = 0.5 },
]"""


@pytest.fixture(scope="module")
def rounds(tmp_path_factory, sample_dir):
    root = tmp_path_factory.mktemp("reports")
    for copy in ("copy_a", "copy_b"):  # two files of the sample keep the KPI loads short
        (root / copy).mkdir()
        for name in SAMPLE_FILES:
            shutil.copy2(sample_dir / name, root / copy / name)
    target = root / "copy_b" / EDITED_FILE
    text = target.read_bytes().decode("utf-8")
    assert text.count(OLD) == 1 and EDITED_ROW in text.split(OLD)[0].splitlines()[-1]
    target.write_bytes(text.replace(OLD, NEW).encode("utf-8"))
    out = root / "out"

    cfg1 = root / "runs1.toml"
    cfg1.write_text(config_text(root, "copy_a", boom_raises=False), encoding="utf-8")
    first = run_reports(load_config(cfg1), date=parse_date("2026-01-05"), jobs=2, quiet=True)
    latest_1 = {n: (out / "latest" / f"{n}.html").read_bytes() for n in ("ok", "boom")}

    cfg2 = root / "runs2.toml"
    cfg2.write_text(config_text(root, "copy_b", boom_raises=True, alerts=ALERTS), encoding="utf-8")
    app = typer.Typer()
    register(app)
    cli = CliRunner().invoke(app, ["--config", str(cfg2), "--date", "2026-01-12", "--jobs", "2", "--quiet",
                                   "--fail-on-alert"])
    third = run_reports(load_config(cfg2, only=["ok"]), date=parse_date("2026-01-19"), jobs=1, quiet=True)
    return {"root": root, "out": out, "first": first, "cli": cli, "third": third, "latest_1": latest_1}


def manifest(out: Path, name: str, date: str) -> dict:
    return json.loads((out / name / date / "manifest.json").read_text(encoding="utf-8"))


def body(html_text: str) -> str:
    return re.sub(r"(?s)<style.*?</style>|<script.*?</script>", "", html_text)


def test_first_round_renders_both(rounds):
    assert [(r.name, r.status) for r in rounds["first"]] == [("ok", "success"), ("boom", "success")]
    out = rounds["out"]
    for name in ("ok", "boom"):
        folder = out / name / "2026-01-05"
        assert {p.name for p in folder.iterdir()} == {f"{name}.ipynb", f"{name}.html", "manifest.json"}
        assert rounds["latest_1"][name] == (folder / f"{name}.html").read_bytes()


def test_html_has_no_code_and_inlines_the_plot(rounds):
    page = (rounds["out"] / "ok" / "2026-01-05" / "ok.html").read_text(encoding="utf-8")
    shown = body(page)
    assert "FIXTURE_CODE_MARKER" not in page and "plt.subplots" not in page
    assert "jp-InputPrompt" not in shown and "jp-CodeMirrorEditor" not in shown
    # the only input areas left are the markdown cells' (header + the fixture's title)
    assert shown.count("jp-InputArea ") == shown.count("jp-MarkdownCell") == 2
    assert "hello from weekly" in shown                      # outputs are kept
    assert "data:image/png;base64," in shown                 # the figure is inside the file
    assert re.search(r'<img[^>]+src="(?!data:)', shown) is None


def test_manifest_fields_and_hashes(rounds):
    m = manifest(rounds["out"], "ok", "2026-01-05")
    assert m["status"] == "success" and m["error"] is None
    assert m["parameters"] == {"data_path": "copy_a", "label": "weekly"}
    assert m["parameters_passed"]["data_path"] == str((rounds["root"] / "copy_a").resolve())
    assert m["started"] <= m["finished"] and m["duration_seconds"] > 0
    assert m["packages"]["pandas"] == metadata.version("pandas")
    assert m["packages"]["papermill"] == metadata.version("papermill")
    files = {e["path"]: e for e in m["inputs"]}
    expected = sorted(p for p in (rounds["root"] / "copy_a").rglob("*") if p.is_file())
    assert sorted(k for k in files if k.startswith("copy_a/")) == [p.relative_to(rounds["root"]).as_posix()
                                                                    for p in expected]
    for p in expected:
        e = files[p.relative_to(rounds["root"]).as_posix()]
        assert e["size"] == p.stat().st_size
        assert e["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
    nb_entry = [e for e in m["inputs"] if e["role"] == "notebook"][0]
    assert nb_entry["sha256"] == hashlib.sha256((FIXTURES / "succeeds.ipynb").read_bytes()).hexdigest()
    assert m["previous_success"] is None and m["identical_to_previous"] is None


def test_failure_is_isolated_and_reported(rounds):
    cli = rounds["cli"]
    assert cli.exit_code == 3                              # a failure outranks --fail-on-alert (4)
    assert "1 report(s) FAILED" in cli.output and "boom: ValueError: boom from the fixture" in cli.output
    out = rounds["out"]
    ok = manifest(out, "ok", "2026-01-12")
    assert ok["status"] == "success"                       # the other run still rendered
    boom = manifest(out, "boom", "2026-01-12")
    assert boom["status"] == "failed"
    assert (boom["error"]["ename"], boom["error"]["evalue"]) == ("ValueError", "boom from the fixture")
    executed = json.loads((out / "boom" / "2026-01-12" / "boom.ipynb").read_text(encoding="utf-8"))
    assert any("papermill-error-cell-tag" in c["metadata"].get("tags", []) for c in executed["cells"])
    failed_page = (out / "boom" / "2026-01-12" / "boom.html").read_text(encoding="utf-8")
    assert "<title>[FAILED] boom" in failed_page and "运行失败" in failed_page
    assert (out / "latest" / "boom.html").read_bytes() == rounds["latest_1"]["boom"]   # previous good one kept
    assert json.loads((out / "latest" / "boom.json").read_text(encoding="utf-8"))["date"] == "2026-01-05"
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".*.executing.ipynb"))


def test_what_changed_shows_the_hand_made_edit(rounds):
    m = manifest(rounds["out"], "ok", "2026-01-12")
    assert m["previous_success"]["date"] == "2026-01-05"
    gmv = {r["fact_channel"]: r for r in m["changes"] if r["metric"] == "gmv" and r["currency"] == "CNY"}
    edited = [t for t in m["kpis"]["talents"] if t["account_id"] == EDITED_ROW][0]["fact_channel"]
    for channel, row in gmv.items():
        want = 1000.0 if channel in (edited, "all") else 0.0
        assert row["change"] == pytest.approx(want, abs=1e-6), channel
    assert gmv[edited]["change_pct"] == pytest.approx(1000.0 / gmv[edited]["previous"])
    # GPM is paid amount ÷ views: the edit touched 成交金额 only, so no GPM moved
    assert all(r["change"] == 0 for r in m["changes"] if r["metric"] == "gpm" and r["change"] is not None)
    page = (rounds["out"] / "ok" / "2026-01-12" / "ok.html").read_text(encoding="utf-8")
    assert "(+1,000, +" in page and "最近 7 天与上次成功运行（2026-01-05）的最近 7 天相比" in page  # a zh page
    # both sides are the last 7 days of each run's data, and the page says which dates
    assert m["changes_windows"]["current_window"] == {"from": "2026-11-24", "to": "2026-11-30", "complete": True}
    assert "截至 2026-11-30 的最近 7 天(2026-11-24 – 2026-11-30) 对比 截至 2026-11-30 的最近 7 天" in page


def test_alerts_fire_and_do_not_fire(rounds):
    m = manifest(rounds["out"], "ok", "2026-01-12")
    fired = {(a["metric"], a["fact_channel"]) for a in m["alerts"]}
    edited = [t for t in m["kpis"]["talents"] if t["account_id"] == EDITED_ROW][0]["fact_channel"]
    assert fired == {("gmv", edited)}            # GMV up in one channel; no GPM fell; refund rates < 50 %
    assert "1 条告警" in body((rounds["out"] / "ok" / "2026-01-12" / "ok.html").read_text(encoding="utf-8"))
    assert "gmv" in rounds["cli"].output and edited in rounds["cli"].output


def test_identical_rerun_is_recognised(rounds):
    (r,) = rounds["third"]
    assert r.ok and r.identical_to["date"] == "2026-01-12"
    m = manifest(rounds["out"], "ok", "2026-01-19")
    assert m["identical_to_previous"]["date"] == "2026-01-12"
    assert m["kpis"] == manifest(rounds["out"], "ok", "2026-01-12")["kpis"]
    assert "输入文件与参数与 2026-01-12 的运行完全相同" in (
        rounds["out"] / "ok" / "2026-01-19" / "ok.html").read_text(encoding="utf-8")
    assert exit_code(rounds["third"]) == 0


def test_index_lists_every_run_with_relative_links(rounds):
    page = (rounds["out"] / "index.html").read_text(encoding="utf-8")
    assert page.count("<tr><td><b>") == 2
    assert 'href="latest/ok.html"' in page and 'href="ok/2026-01-19/ok.html"' in page
    assert 'href="boom/2026-01-12/boom.html"' in page and "ValueError" in page
    assert "成交金额" in page and "GPM" in page and "<svg class='ft-spark'" in page  # tiles and sparklines
    assert all(not h.startswith(("/", "http")) for h in re.findall(r'href="([^"]+)"', page))


def test_undeclared_parameter_stops_before_anything_runs(tmp_path, sample_dir):
    cfg = tmp_path / "runs.toml"
    cfg.write_text(f"""root = "{tmp_path.as_posix()}"
[[run]]
name = "fine"
notebook = "{(FIXTURES / 'succeeds.ipynb').as_posix()}"
[[run]]
name = "typo"
notebook = "{(FIXTURES / 'undeclared.ipynb').as_posix()}"
parameters = {{ lang = "en", data_path = "{sample_dir.as_posix()}" }}
""", encoding="utf-8")
    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["--config", str(cfg), "--quiet"])
    assert res.exit_code == 2
    assert "run 'typo'" in res.output and "data_path" in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "reports").exists()


def test_failed_rerun_on_the_same_day_keeps_the_days_good_report(tmp_path, monkeypatch):
    """good, then broken, then broken again on 2026-01-05: the good files stay in the day's folder."""
    import nbformat

    from fact_toolkit.reports import render

    outcomes = iter([("good morning", None), ("broken", "boom"), ("broken again", "boom")])

    def fake_execute(notebook, output, parameters, *, kernel, cwd, cell_timeout=None):
        text, err = next(outcomes)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
        return nb, (None if err is None else {"ename": "ValueError", "evalue": err, "cell_index": 0,
                                              "exec_count": 1})

    monkeypatch.setattr(render, "execute", fake_execute)
    cfg = tmp_path / "runs.toml"
    cfg.write_text(f"""root = "{tmp_path.as_posix()}"
out_dir = "out"
[[run]]
name = "r"
notebook = "{(FIXTURES / 'raises.ipynb').as_posix()}"
""", encoding="utf-8")
    config = load_config(cfg, check_kernel_spec=False)
    day = tmp_path / "out" / "r" / "2026-01-05"
    results = [run_reports(config, date=parse_date("2026-01-05"), jobs=1, quiet=True)[0] for _ in range(3)]
    assert [r.status for r in results] == ["success", "failed", "failed"]
    # the day's folder still holds the good run
    assert json.loads((day / "manifest.json").read_text(encoding="utf-8"))["status"] == "success"
    assert "good morning" in (day / "r.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "latest" / "r.html").read_bytes() == (day / "r.html").read_bytes()
    # each failure has its own failed-<HHMMSS>[-n] folder with page, notebook and manifest
    failed = sorted(p for p in day.iterdir() if p.is_dir())
    assert len(failed) == 2 and all(re.fullmatch(r"failed-\d{6}(-2)?", p.name) for p in failed)
    assert [Path(r.folder) for r in results[1:]] == failed
    for folder, text in zip(failed, ("broken", "broken again"), strict=True):
        assert {p.name for p in folder.iterdir()} == {"r.html", "r.ipynb", "manifest.json"}
        page = (folder / "r.html").read_text(encoding="utf-8")
        assert f"<p>{text}</p>" in page and "运行失败" in page
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert m["status"] == "failed" and m["folder"] == f"r/2026-01-05/{folder.name}"
        assert m["outputs"]["html"] == f"r/2026-01-05/{folder.name}/r.html"
    # the index shows the last attempt (a failure) and still links the good latest page
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="latest/r.html"' in index and f'href="r/2026-01-05/{failed[-1].name}/r.html"' in index
