"""The what-if notebook in a real JupyterLab, driven by headless Chromium through Playwright.

Starts JupyterLab on 127.0.0.1 (random free port, a token, no news / update checks, a
read-only extension manager) over a temporary copy of ``notebooks/03_what_if.ipynb``,
runs all cells, moves the click→order slider with the keyboard and checks that the GMV
shown in the panel changes. A screenshot goes to ``reports/test-artifacts/`` (git-ignored).

Needs Debian's ``chromium`` (``/usr/bin/chromium``; ``.ci/run`` installs it); skipped with
that reason otherwise. Playwright's own browser download is not used.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fact_toolkit.browser import chromium_env

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "03_what_if.ipynb"
ARTIFACTS = ROOT / "reports" / "test-artifacts"
CHROMIUM = Path(os.environ.get("FT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium, "
                              "or set FT_CHROMIUM to its path)"),
]

SERVER_START_S = 90
RUN_ALL_S = int(os.environ.get("FT_BROWSER_RUN_ALL_S", "240"))
UPDATE_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server over a temporary copy of the notebook; yields (base url, token)."""
    work = tmp_path / "lab"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    token = secrets.token_hex(16)
    port = free_port()
    config = tmp_path / "jupyter_config.py"
    config.write_text(
        "c.LabApp.news_url = None\n"
        "c.LabApp.check_for_updates_class = 'jupyterlab.handlers.announcements.NeverCheckForUpdate'\n"
        "c.LabApp.extension_manager = 'readonly'\n",
        encoding="utf-8",
    )
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               MPLBACKEND="Agg")
    log = (tmp_path / "lab.log").open("wb")
    cmd = [sys.executable, "-m", "jupyterlab", f"--config={config}", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
           *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])]
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited ({proc.returncode}); log: {tmp_path / 'lab.log'}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s; log: {tmp_path / 'lab.log'}")
            time.sleep(0.5)
        yield base, token
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def wait_connected(base: str, token: str, seconds: float) -> bool:
    """True once some kernel of the server has a websocket connection (the page is attached)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5) as r:
                if any(k.get("connections", 0) > 0 for k in json.loads(r.read())):
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def gmv_value(page) -> float:
    return float(page.locator(".ft-whatif-gmv-value").first.get_attribute("data-value"))


def test_slider_moves_the_gmv_in_jupyterlab(lab):
    sync_api = pytest.importorskip("playwright.sync_api")
    base, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "whatif_jupyterlab.png"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=chromium_env())
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.goto(f"{base}/lab/tree/{NOTEBOOK.name}?token={token}", wait_until="domcontentloaded",
                      timeout=SERVER_START_S * 1000)
            page.locator(".jp-Notebook").first.wait_for(timeout=SERVER_START_S * 1000)
            # "Run All Cells" before the kernel's websocket is connected runs nothing, and now and
            # then the page never connects: wait for a connection (reload when it does not come),
            # then retry until a cell has executed
            started = page.locator(".jp-InputPrompt", has_text="[1]")
            for _attempt in range(4):
                if not wait_connected(base, token, 45):
                    page.reload(wait_until="domcontentloaded")
                    page.locator(".jp-Notebook").first.wait_for(timeout=SERVER_START_S * 1000)
                    continue
                page.locator("#jp-main-statusbar", has_text="Idle").first.wait_for(timeout=SERVER_START_S * 1000)
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
                try:
                    started.first.wait_for(state="attached", timeout=30_000)
                    break
                except sync_api.TimeoutError:
                    page.reload(wait_until="domcontentloaded")
                    page.locator(".jp-Notebook").first.wait_for(timeout=SERVER_START_S * 1000)
            else:
                page.screenshot(path=str(ARTIFACTS / "whatif_jupyterlab_failed.png"), full_page=True)
                pytest.fail("JupyterLab never executed a cell (kernel not connected); see whatif_jupyterlab_failed.png")
            kpi = page.locator(".ft-whatif-gmv-value").first
            try:
                kpi.wait_for(state="attached", timeout=RUN_ALL_S * 1000)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "whatif_jupyterlab_failed.png"), full_page=True)
                raise
            before = gmv_value(page)
            assert before > 0
            slider = page.locator(".widget-hslider", has=page.locator(".widget-label", has_text="点击-成交转化率"))
            handle = slider.locator(".noUi-handle").first
            handle.scroll_into_view_if_needed()
            handle.focus()
            for _ in range(5):  # +0.05: each key press is one 'change' (continuous_update=False)
                handle.press("ArrowRight")
            deadline = time.monotonic() + UPDATE_S
            after = before
            while time.monotonic() < deadline:
                after = gmv_value(page)
                if after != before:
                    break
                time.sleep(0.5)
            time.sleep(2)  # let the remaining key presses land before the screenshot
            after = gmv_value(page)
            kpi.scroll_into_view_if_needed()
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot: {shot}")
            assert after > before, f"GMV shown did not rise after moving the slider ({before} → {after})"
            readout = slider.locator(".widget-readout").first.inner_text()
            assert float(readout) > 1.0
            assert page.locator(".ft-whatif-status .jp-RenderedHTMLCommon, .ft-whatif-status").first \
                .inner_text().strip() == ""
        finally:
            browser.close()
