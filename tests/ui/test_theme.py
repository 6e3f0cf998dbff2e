"""Light and dark: every colour is a role with both values, the palette is complete and
readable in both schemes, the app follows the system when its scheme changes, and the
timer's colours keep their meaning and 4.5:1 in both."""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.contrast import contrast_ratio_hex
from sanctuary_desktop.domain.timer import Level
from sanctuary_desktop.ui import theme
from sanctuary_desktop.ui.tables import Column, RowsModel
from sanctuary_desktop.ui.theme import Colors, apply_theme, build_palette, is_dark, set_role
from sanctuary_desktop.ui.timer_style import (
    contrast_ratio,
    level_color,
    level_color_light,
    level_color_on_window,
    paused_color,
    paused_color_on_window,
)

UI = Path(__file__).resolve().parents[2] / "sanctuary_desktop" / "ui"
SCHEMES = (False, True)
R = QPalette.ColorRole
# (text, background) pairs of the palette a widget draws with.
PALETTE_PAIRS = (
    (R.WindowText, R.Window),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),
    (R.ToolTipText, R.ToolTipBase),
    (R.Link, R.Base),
)


@pytest.fixture
def restored(qapp: QApplication) -> Iterator[QApplication]:
    """Whatever a test does to the scheme, the tests after it see the light look."""
    style, palette, font, sheet = (
        qapp.style().name(),
        qapp.palette(),
        qapp.font(),
        qapp.styleSheet(),
    )
    yield qapp
    apply_theme(qapp, scheme=Qt.ColorScheme.Light)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyle(style)


def ratio(one: QColor, other: QColor) -> float:
    return contrast_ratio_hex(one.name(), other.name())


def test_every_role_has_a_light_and_a_dark_value() -> None:
    roles = theme.all_roles()
    assert len(roles) > 60
    for name, pair in roles.items():
        for value in (pair.light, pair.dark):
            assert re.fullmatch(r"#[0-9a-f]{6}", value), (name, value)
    # A role that differs nowhere is deliberate: the projected display, filled badges.
    same = {name for name, pair in roles.items() if pair.light == pair.dark}
    assert same <= {
        "ACCENT_FILL",
        "ON_ACCENT",
        "PAUSED_BADGE",
        "ON_PAUSED_BADGE",
    } | {name for name in roles if name.startswith("DISPLAY_")}


@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
def test_text_reads_on_its_background_in_both_schemes(dark: bool) -> None:
    low = []
    for text, background, needed in theme.TEXT_ON_BACKGROUND:
        got = theme.contrast(theme.role(text), theme.role(background), dark=dark)
        if got < needed:
            low.append(f"{text} on {background}: {got:.2f} < {needed}")
    assert not low


@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
def test_every_cohort_colour_reads_in_a_calendar_chip(dark: bool) -> None:
    chip_text, on_strong = Colors.CAL_CHIP_TEXT.color(dark=dark), Colors.ON_COHORT.color(dark=dark)
    for cohort_id in range(theme.cohort_hue_count()):
        strong, tint = theme.cohort_colors(cohort_id, dark=dark)
        assert ratio(chip_text, tint) >= 4.5, (cohort_id, tint.name())
        assert ratio(strong, tint) >= 4.5, (cohort_id, strong.name())  # the chip's time
        assert ratio(on_strong, strong) >= 4.5, (cohort_id, strong.name())  # selected
        assert ratio(strong, Colors.BASE.color(dark=dark)) >= 3  # the agenda's dot


@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
def test_the_palette_is_complete_and_readable(dark: bool) -> None:
    palette = build_palette(dark=dark)
    for text, background in PALETTE_PAIRS:
        got = ratio(palette.color(text), palette.color(background))
        assert got >= 4.5, (dark, text, background, got)
    disabled = QPalette.ColorGroup.Disabled
    assert ratio(palette.color(disabled, R.Text), palette.color(disabled, R.Base)) >= 2.5
    other = build_palette(dark=not dark)
    for text, background in PALETTE_PAIRS[:4]:
        assert palette.color(text) != other.color(text)
        assert palette.color(background) != other.color(background)


def test_the_app_follows_the_system_scheme(qtbot: QtBot, restored: QApplication) -> None:
    app = restored
    apply_theme(app, scheme=Qt.ColorScheme.Light)
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    error, muted = QLabel("A name is needed"), QLabel("in your time")
    set_role(error, "error")
    set_role(muted, "muted")
    box = QGroupBox("Group 1 · one person")
    set_role(box, "warning")
    for widget in (error, muted, box):
        layout.addWidget(widget)
    holder.show()
    light_base = app.palette().color(R.Base)
    assert not is_dark()
    assert error.palette().color(R.WindowText) == Colors.ERROR.color(dark=False)

    # What the system says when the user picks a dark look (the offscreen platform never
    # changes its scheme itself, so the signal is sent as the platform would send it).
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark()
    palette = app.palette()
    assert palette.color(R.Base) != light_base
    assert palette.color(R.Base) == Colors.BASE.color(dark=True)
    for text, background in PALETTE_PAIRS:
        assert ratio(palette.color(text), palette.color(background)) >= 4.5
    assert Colors.SIDEBAR.dark in app.styleSheet()
    assert error.palette().color(R.WindowText) == Colors.ERROR.color(dark=True)
    assert muted.palette().color(R.WindowText) == Colors.MUTED_TEXT.color(dark=True)
    assert ratio(error.palette().color(R.WindowText), palette.color(R.Window)) >= 4.5

    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark()
    assert app.palette().color(R.Base) == light_base
    assert error.palette().color(R.WindowText) == Colors.ERROR.color(dark=False)


def test_the_style_sheet_sets_no_background_without_its_text() -> None:
    for dark in SCHEMES:
        sheet = theme.style_sheet(dark=dark)
        for rule in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
            selector, body = rule
            if re.search(r"(^|[\s;])background(-color)?\s*:", body) and "swatch]" not in selector:
                assert re.search(r"(^|[\s;])color\s*:", body), (dark, selector.strip())


@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
def test_the_timer_keeps_its_meaning_and_its_contrast(dark: bool) -> None:
    window = Colors.WINDOW.color(dark=dark)
    base = Colors.BASE.color(dark=dark)
    colours = [level_color_on_window(level, dark=dark) for level in Level]
    assert len({c.name() for c in colours}) == len(Level)  # each level its own colour
    for level, colour in zip(Level, colours, strict=True):
        assert contrast_ratio(colour, window) >= 4.5, (level, colour.name())
        assert contrast_ratio(colour, base) >= 4.5, (level, colour.name())
    # Warmer as time runs out: warning (amber), urgent (orange), overtime (red).
    hues = [colorsys.rgb_to_hsv(c.redF(), c.greenF(), c.blueF())[0] * 360 for c in colours[1:]]
    assert 25 <= hues[0] <= 50 and 10 <= hues[1] < hues[0] and hues[2] < hues[1], hues
    paused = paused_color(dark=dark)
    assert contrast_ratio(paused, window) >= 4.5
    assert paused.name() not in {c.name() for c in colours}
    # The shared display is dark in both schemes.
    display = Colors.DISPLAY_BACKGROUND.color(dark=dark)
    for level in Level:
        assert contrast_ratio(level_color(level), display) >= 4.5


def test_the_live_windows_colours_follow_the_scheme(restored: QApplication) -> None:
    apply_theme(restored, scheme=Qt.ColorScheme.Dark)
    assert level_color_light(Level.CALM) == level_color_on_window(Level.CALM, dark=True)
    assert paused_color_on_window() == paused_color(dark=True)
    apply_theme(restored, scheme=Qt.ColorScheme.Light)
    assert level_color_light(Level.CALM) == Colors.TIMER_CALM.color(dark=False)
    assert paused_color_on_window() == paused_color(dark=False)


def test_a_table_cell_with_a_background_always_gets_readable_text(
    restored: QApplication,
) -> None:
    band = Column[str](
        "Out of hours",
        lambda r: r,
        background=lambda r: QColor(theme.BAND_EDGE) if r == "edge" else None,
    )
    warned = Column[str]("Check", lambda r: r, foreground=lambda r: QColor(theme.WARN))
    model = RowsModel([band, warned])
    model.set_rows(["edge", "fine"])
    fore, back = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole
    for scheme in (Qt.ColorScheme.Light, Qt.ColorScheme.Dark):
        apply_theme(restored, scheme=scheme)
        dark = scheme == Qt.ColorScheme.Dark
        cell = model.index(0, 0)
        background = model.data(cell, back).color()
        assert background == Colors.BAND_EDGE.color(dark=dark)  # a light value, shown dark
        assert ratio(model.data(cell, fore).color(), background) >= 4.5
        assert model.data(model.index(1, 0), back) is None
        warning = model.data(model.index(0, 1), fore).color()
        assert warning == Colors.WARNING.color(dark=dark)
        assert ratio(warning, Colors.BASE.color(dark=dark)) >= 4.5


# Files other engineers are still moving onto theme roles (see the issue 15 report).
PENDING: set[str] = set()
HARD_CODED = re.compile(
    r"#[0-9a-fA-F]{6}\b|QColor\(\s*[\"']|QColor\(\s*\d|:\s*(white|black)\s*;"
    r"|GlobalColor\.(white|black)"
)


def test_no_colour_is_hard_coded_outside_the_theme() -> None:
    found = []
    for path in sorted(UI.glob("*.py")):
        if path.name in {"theme.py"} | PENDING:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0] if not re.search(r"[\"'][^\"']*#", line) else line
            if HARD_CODED.search(code) and not line.lstrip().startswith("#"):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found


def test_a_platform_naming_no_scheme_is_read_from_its_palette() -> None:
    assert theme.palette_is_dark(build_palette(dark=True))
    assert not theme.palette_is_dark(build_palette(dark=False))


def test_painted_pages_follow_the_scheme(qtbot: QtBot, restored: QApplication) -> None:
    """The month grid paints with the roles of the scheme in force, repainted on a switch."""
    from datetime import date

    from sanctuary_desktop.ui.calendar_page import MonthGrid

    apply_theme(restored)
    grid = MonthGrid()
    qtbot.addWidget(grid)
    grid.resize(700, 500)
    grid.select(date(2026, 12, 9), None)
    grid.show()
    seen = {}
    for scheme in (Qt.ColorScheme.Light, Qt.ColorScheme.Dark):
        QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)
        image = grid.grab().toImage()
        # A weekday cell in the middle of the month, away from its number and the lines.
        seen[scheme] = image.pixelColor(int(grid.width() * 0.35), int(grid.height() * 0.62))
    light, dark = seen[Qt.ColorScheme.Light], seen[Qt.ColorScheme.Dark]
    assert light.name() == Colors.BASE.light
    assert dark.name() == Colors.BASE.dark
