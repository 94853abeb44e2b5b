"""Shared plotting plumbing: CJK fonts, the ``ax=None`` idiom, bilingual labels."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, LogFormatter

from ..fonts import BUNDLED_FONT, BUNDLED_FONT_PACKAGE, bundled_font_path
from ..formatting import compact_number

__all__ = ["CJK_FONTS", "FontChoice", "FontWarning", "font_choice", "CompactLogFormatter", "compact_number",
           "setup_fonts", "get_ax", "label", "log_scale", "business_axis", "metric_axis", "compact_legend"]

#: CJK-capable fonts in order of preference (Linux, macOS, Windows)
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Arial Unicode MS",
)


class FontWarning(UserWarning):
    """No font that can draw Chinese characters is installed."""


@dataclass(frozen=True)
class FontChoice:
    """The CJK font the plots use and where it comes from.

    Attributes
    ----------
    name : str or None
        Family name put first in matplotlib's sans-serif list; None when there is none.
    source : {"system", "bundled", "none"}
        ``system``: installed on the machine (preferred); ``bundled``: the font that
        comes with the package's dependency ``noto-cjk-sans-otc``.
    path : str or None
        The font file.
    """

    name: str | None
    source: str
    path: str | None


@lru_cache(maxsize=1)
def font_choice() -> FontChoice:
    """Choose the CJK font once per process: a system one when installed, else the bundled one.

    The bundled collection is registered with matplotlib's font manager the first time
    this runs; nothing is installed on the system.

    Returns
    -------
    FontChoice
    """
    fm = font_manager.fontManager  # looked up at call time: a test may build its own manager
    bundled = bundled_font_path()
    on_system: dict[str, str] = {}
    for entry in fm.ttflist:
        if bundled is None or Path(entry.fname) != bundled:
            on_system.setdefault(entry.name, entry.fname)
    for name in CJK_FONTS:
        if name in on_system:
            return FontChoice(name, "system", on_system[name])
    if bundled is None:
        return FontChoice(None, "none", None)
    if not any(Path(entry.fname) == bundled for entry in fm.ttflist):
        fm.addfont(str(bundled))
    return FontChoice(BUNDLED_FONT, "bundled", str(bundled))


@lru_cache(maxsize=1)
def setup_fonts() -> str | None:
    """Put the CJK font (:func:`font_choice`) in front of matplotlib's sans-serif list.

    Called once, lazily, by every ``plot_*`` function. A CJK font installed on the system
    is preferred; otherwise the one that comes with the package (Noto Sans CJK SC) is
    registered, so Chinese labels render on a bare server too. Warns (``FontWarning``)
    only when neither exists, which means the package was installed without its
    dependencies.

    Returns
    -------
    str or None
        The CJK font used, or None when there is none.
    """
    choice = font_choice()
    found = [choice.name] if choice.name else []
    current = [f for f in mpl.rcParams["font.sans-serif"] if f not in found]
    mpl.rcParams["font.sans-serif"] = [*found, *current]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    if choice.name is None:
        warnings.warn(
            f"no CJK font found: Chinese labels will show as empty boxes. The package normally brings one "
            f"({BUNDLED_FONT_PACKAGE}): reinstall with `pip install {BUNDLED_FONT_PACKAGE}` (or `make` again) "
            "and restart the kernel",
            FontWarning,
            stacklevel=3,
        )
    return choice.name


def get_ax(ax: Axes | None = None, figsize: tuple[float, float] = (8.0, 4.5)) -> Axes:
    """Return ``ax``, or a new Axes on a new figure when ``ax`` is None.

    New figures use no constrained layout: it measures every text again on each draw
    and was most of the cost of drawing. Notebooks' inline backend crops figures to their
    content (``bbox_inches="tight"``); save with ``bbox_inches="tight"`` too.
    """
    setup_fonts()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
        _skip_repl_redraw()
    return ax


def _skip_repl_redraw() -> bool:
    """Under IPython's inline backend, draw each figure once instead of twice.

    After every cell pyplot's REPL hook draws all open figures, then the inline backend
    draws them again to make the PNG it displays; the first draw is thrown away (in the
    report notebooks about a third of the plotting time). With the inline backend the
    hook is removed (the PNG is the same); other backends (ipympl, GUI) keep it.
    Returns True when the hook was removed.
    """
    import sys

    ipython = sys.modules.get("IPython")
    hook = getattr(plt, "_draw_all_if_interactive", None)
    if ipython is None or hook is None or "inline" not in str(mpl.rcParams._get("backend")):
        return False
    ip = ipython.get_ipython()
    if ip is None or hook not in ip.events.callbacks.get("post_execute", []):
        return False
    ip.events.unregister("post_execute", hook)
    return True


class CompactLogFormatter(LogFormatter):
    """Log-axis tick labels as plain compact numbers (``1万``, ``10万``; ``10K``) instead of
    matplotlib's default ``10⁴`` powers.

    Which ticks get a label is matplotlib's own rule (:class:`~matplotlib.ticker.LogFormatter`);
    only the text differs. The default labels are mathtext, and parsing them was about a
    fifth of the time the report notebooks spent drawing.
    """

    def __init__(self, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        return compact_number(x, self.lang)


def log_scale(ax: Axes, axis: str = "x", lang: str = "zh") -> Axes:
    """Put an axis on a log scale labelled by :class:`CompactLogFormatter`.

    Parameters
    ----------
    ax : Axes
    axis : {"x", "y", "both"}
    lang : {"zh", "en"}

    Returns
    -------
    Axes
        ``ax``.
    """
    for name, a in _axes(ax, axis):
        (ax.set_xscale if name == "x" else ax.set_yscale)("log")
        a.set_major_formatter(CompactLogFormatter(lang))  # matplotlib's defaults: the same rule, mathtext text
        a.set_minor_formatter(CompactLogFormatter(lang))
    return ax


def _axes(ax: Axes, axis: str) -> list[tuple[str, Any]]:
    """``("x", ax.xaxis)`` and/or ``("y", ax.yaxis)`` for ``axis`` in {"x", "y", "both"}."""
    return [(name, ax.xaxis if name == "x" else ax.yaxis) for name in (("x", "y") if axis == "both" else (axis,))]


def _tick(unit: str, lang: str) -> FuncFormatter:
    if unit in ("rate", "change"):
        def fmt(x: float, _pos: object = None) -> str:
            text = f"{x * 100:.1f}".rstrip("0").rstrip(".")
            return f"{'+' if unit == 'change' and x > 0 else ''}{text}%"
    elif unit == "change_pct":
        def fmt(x: float, _pos: object = None) -> str:
            return f"{x:+.0f}%" if x else "0%"
    else:
        def fmt(x: float, _pos: object = None) -> str:
            return compact_number(x, lang)
    return FuncFormatter(fmt)


def business_axis(ax: Axes, axis: str = "y", unit: str = "money", lang: str = "zh") -> Axes:
    """Label a linear axis in business units, never with an offset (``1e7``) above it.

    Parameters
    ----------
    ax : Axes
    axis : {"x", "y", "both"}
    unit : {"money", "count", "number", "rate", "change", "change_pct"}
        ``money`` / ``count`` / ``number``: compact 万/亿 (zh) or K/M (en); ``rate``: a
        fraction as ``12%``; ``change``: a fraction as ``+12%``; ``change_pct``: already
        in percent.
    lang : {"zh", "en"}

    Returns
    -------
    Axes
        ``ax``.
    """
    for _, a in _axes(ax, axis):
        a.set_major_formatter(_tick(unit, lang))
    return ax


def metric_axis(ax: Axes, metric: str, axis: str = "y", lang: str = "zh") -> Axes:
    """:func:`business_axis` in the unit the registry gives ``metric`` (:func:`fact_toolkit.formatting.column_unit`)."""
    from ..formatting import column_unit

    return business_axis(ax, axis, column_unit(metric), lang)


def compact_legend(legend: Any, lang: str = "zh", unit: str = "money") -> Any:
    """Rewrite a size or colour legend in business units and the page's language.

    Numeric labels are formatted like the axis (``6000000`` → ``600万``); seaborn's
    section titles that are column names (``paid_amount``, ``channel``) get their label
    (:func:`fact_toolkit.formatting.column_label`).
    """
    from ..formatting import COLUMNS, column_label

    if legend is None:
        return legend
    fmt = _tick(unit, lang)
    for t in [legend.get_title(), *legend.get_texts()]:
        raw = t.get_text()
        try:
            v = float(raw.replace("−", "-").replace(",", ""))
        except ValueError:
            if raw and (raw in COLUMNS or "_" in raw or raw in ("channel", "items", "gmv", "gpm")):
                t.set_text(column_label(raw, lang))
            continue
        t.set_text(fmt(v))
    return legend


def label(metric: str, lang: str = "zh") -> str:
    """The Chinese (``zh``) or English (``en``) label of a registered metric or column."""
    from ..formatting import COLUMNS, registered

    found = registered(metric)
    if found is not None:
        return found[1 if lang == "zh" else 2]
    if metric in COLUMNS:
        return COLUMNS[metric][1 if lang == "zh" else 2]
    return metric
