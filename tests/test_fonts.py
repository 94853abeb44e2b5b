"""Chinese chart text on a machine with no CJK font: the package brings its own.

The system's fonts are hidden from matplotlib by building a font manager that sees
only matplotlib's own fonts (DejaVu …), the way a bare server looks. Then a figure
with Chinese text is drawn and every CJK character is traced to the font file that
drew it.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import _text_helpers, font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, get_font

from fact_toolkit.plotting import _style

CJK = re.compile(r"[\u4e00-\u9fff]")
TEXT = "直播间成交金额 GPM 千次观看成交 万 亿 ¥1,234"


@pytest.fixture
def bare_machine(monkeypatch: pytest.MonkeyPatch) -> font_manager.FontManager:
    """A font manager that sees matplotlib's bundled fonts only (no system font at all)."""
    real = font_manager.findSystemFonts

    def only_given_paths(fontpaths=None, fontext="ttf"):  # noqa: ANN001, ANN202 - matplotlib's signature
        return real(fontpaths, fontext) if fontpaths is not None else []

    monkeypatch.setattr(font_manager, "findSystemFonts", only_given_paths)
    bare = font_manager.FontManager()
    monkeypatch.setattr(font_manager, "fontManager", bare)
    monkeypatch.setattr(font_manager, "findfont", bare.findfont)
    with mpl.rc_context():
        _style.font_choice.cache_clear()
        _style.setup_fonts.cache_clear()
        font_manager._get_font.cache_clear()
        yield bare
    _style.font_choice.cache_clear()
    _style.setup_fonts.cache_clear()
    font_manager._get_font.cache_clear()


def test_the_bare_manager_really_has_no_cjk_font(bare_machine: font_manager.FontManager) -> None:
    names = {f.name for f in bare_machine.ttflist}
    assert "DejaVu Sans" in names
    assert not names & set(_style.CJK_FONTS)


def test_bundled_font_draws_every_chinese_glyph_without_a_warning(bare_machine: font_manager.FontManager) -> None:
    bundled = _style.bundled_font_path()
    assert bundled is not None and bundled.stat().st_size > 10_000_000  # the whole collection, not a stub
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a FontWarning or "Glyph … missing" would raise here
        assert _style.setup_fonts() == "Noto Sans CJK SC"
        choice = _style.font_choice()
        assert (choice.source, Path(choice.path)) == ("bundled", bundled)
        fig = Figure(figsize=(4, 2))
        ax = fig.subplots()
        ax.set_title(TEXT)
        ax.set_xlabel("观看次数")
        fig.canvas.draw()  # renders every text with Agg

    props = FontProperties(family=mpl.rcParams["font.sans-serif"])
    font = get_font(bare_machine._find_fonts_by_props(props))
    drawn_by = {item.char: Path(item.ft_object.fname) for item in _text_helpers.layout(TEXT + "观看次数", font)}
    cjk = {c: p for c, p in drawn_by.items() if CJK.match(c)}
    assert set(cjk) == set(CJK.findall(TEXT + "观看次数"))  # all 14 Chinese characters traced
    assert set(cjk.values()) == {bundled}, cjk


def test_a_system_cjk_font_is_preferred(bare_machine: font_manager.FontManager,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = _style.bundled_font_path()
    assert bundled is not None
    # the same file registered under a system family name stands for a CJK font the machine has
    fake = font_manager.FontEntry(fname="/usr/share/fonts/wqy-microhei.ttc", name="WenQuanYi Micro Hei")
    monkeypatch.setattr(bare_machine, "ttflist", [*bare_machine.ttflist, fake])
    choice = _style.font_choice()
    assert (choice.name, choice.source) == ("WenQuanYi Micro Hei", "system")
    assert not any(Path(f.fname) == bundled for f in bare_machine.ttflist)  # nothing registered


def test_no_font_at_all_warns_with_the_fix(bare_machine: font_manager.FontManager,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_style, "bundled_font_path", lambda: None)
    with pytest.warns(_style.FontWarning, match="noto-cjk-sans-otc"):
        assert _style.setup_fonts() is None
