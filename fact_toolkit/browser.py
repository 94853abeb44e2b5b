"""Headless Chromium for pages the toolkit renders (PDF export, screenshots, browser tests).

Chromium finds fonts through fontconfig, so on a machine without a CJK font it draws a
page's Chinese text as boxes even though the package brings a font for the charts.
:func:`chromium_env` points fontconfig at the system's configuration *plus* the folder
of the bundled Noto Sans CJK collection (nothing is installed; the configuration file
lives in a temporary folder), so a PDF or a screenshot made on a bare server reads as
it does on the analyst's laptop.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .fonts import bundled_font_path

__all__ = ["CHROMIUM_ARGS", "chromium_env", "find_chromium"]

#: flags for a headless Chromium run as root on a closed network
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
)


def find_chromium() -> Path | None:
    """``$FT_CHROMIUM``, else ``chromium`` on PATH, else ``/usr/bin/chromium``; None when none runs."""
    for candidate in (os.environ.get("FT_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


@lru_cache(maxsize=1)
def _fontconfig_file() -> str | None:
    font = bundled_font_path()
    if font is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="fact_toolkit_fonts_"))
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(font.parent))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        # Chinese text asks for the SC face, not the collection's first (JP) one
        '  <match target="pattern"><test name="lang" compare="contains"><string>zh</string></test>\n'
        '    <edit name="family" mode="prepend"><string>Noto Sans CJK SC</string></edit></match>\n'
        "</fontconfig>\n", encoding="utf-8")
    return str(conf)


def chromium_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment to start Chromium with: ``base`` (default ``os.environ``) plus a
    fontconfig file that adds the bundled CJK font to the system's fonts.

    An explicit ``FONTCONFIG_FILE`` in ``base`` is kept as it is.
    """
    env = dict(os.environ if base is None else base)
    if "FONTCONFIG_FILE" not in env:
        conf = _fontconfig_file()
        if conf is not None:
            env["FONTCONFIG_FILE"] = conf
    return env
