"""Headless Chromium finds the bundled CJK font through :func:`fact_toolkit.browser.chromium_env`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fact_toolkit.browser import chromium_env
from fact_toolkit.fonts import BUNDLED_FONT, bundled_font_path


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match is not installed")
def test_fontconfig_with_the_env_resolves_chinese_to_the_bundled_font_or_a_system_one() -> None:
    env = chromium_env()
    assert Path(env["FONTCONFIG_FILE"]).is_file()
    # what Chromium asks fontconfig for a Simplified Chinese character
    done = subprocess.run(["fc-match", "-f", "%{family}|%{file}", "sans-serif:lang=zh-cn"], env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    family, file = done.stdout.split("|", 1)
    system = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=60).stdout
    if system.strip():  # the machine has a CJK font: fontconfig may prefer it, as it should
        assert "CJK" in family or "Hei" in family or Path(file).exists()
    else:
        assert BUNDLED_FONT in family.split(",") and Path(file) == bundled_font_path()
    # a page whose stylesheet names the font gets the bundled file
    named = subprocess.run(["fc-match", "-f", "%{file}", BUNDLED_FONT], env=env, capture_output=True, text=True,
                           timeout=60, check=True).stdout
    assert Path(named) == bundled_font_path() or system.strip()


def test_an_explicit_fontconfig_file_is_kept() -> None:
    assert chromium_env({"FONTCONFIG_FILE": "/etc/fonts/mine.conf"})["FONTCONFIG_FILE"] == "/etc/fonts/mine.conf"
