"""The CJK font that comes with the package (no matplotlib or browser needed to find it).

The dependency ``noto-cjk-sans-otc`` carries Google's Noto Sans CJK collection (SIL Open
Font License 1.1). Plots register its *Noto Sans CJK SC* face with matplotlib when the
machine has no CJK font (:func:`fact_toolkit.plotting.setup_fonts`); headless Chromium
is pointed at it through fontconfig (:func:`fact_toolkit.browser.chromium_env`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["BUNDLED_FONT", "BUNDLED_FONT_PACKAGE", "bundled_font_path"]

#: the PyPI distribution that carries the font
BUNDLED_FONT_PACKAGE = "noto-cjk-sans-otc"
#: the face of the collection used for Chinese text
BUNDLED_FONT = "Noto Sans CJK SC"


def bundled_font_path() -> Path | None:
    """The Noto Sans CJK collection file, or None when the dependency is missing."""
    try:
        root = resources.files("noto_cjk_sans_otc")
    except ModuleNotFoundError:
        return None
    path = Path(str(root / "NotoSansCJK-Regular.ttc"))
    return path if path.is_file() else None
