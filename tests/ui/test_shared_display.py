"""The shared display, fed snapshots from a real live timer on a clock moved by hand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QFontMetricsF, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.agenda import build_agenda
from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.protocols import Role, builtin_protocols
from sanctuary_desktop.domain.timer import Action, Level, LiveTimer, Phase, Snapshot
from sanctuary_desktop.ui.shared_display import (
    BACKGROUND,
    WINDOW_TITLE,
    SharedDisplay,
)
from sanctuary_desktop.ui.timer_style import (
    PAUSED_BADGE,
    ProgressRing,
    contrast_ratio,
    level_color,
    level_color_light,
    paused_color,
)

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
PEOPLE = (11, 12, 13, 14)
NAMES = {11: "Aroha Ngata", 12: "Marie-Ève Tremblay", 13: "Siobhán Ó Briain", 14: "陈静"}


class Call:
    """The Peer Input Process with two presenters, run on a clock moved by hand."""

    def __init__(self) -> None:
        protocol = next(p for p in builtin_protocols() if p.key == "peer-input-90")
        self.items = build_agenda(protocol, [11, 12])
        self.clock = ManualClock(START)
        self.timer = LiveTimer(self.items, START, call_minutes=90)

    def start(self) -> Snapshot:
        return self.timer.command(Action.START, self.clock(), values=PEOPLE).snapshot

    def do(self, action: Action) -> Snapshot:
        return self.timer.command(action, self.clock()).snapshot

    def after(self, seconds: float) -> Snapshot:
        self.clock.advance(seconds)
        return self.timer.tick(self.clock()).snapshot

    def go_to(self, label: str) -> Snapshot:
        while self.timer.items[self.timer.index].label != label:
            self.do(Action.SKIP)
        return self.after(0)


@pytest.fixture
def call() -> Call:
    return Call()


@pytest.fixture
def display(qtbot: QtBot) -> Iterator[SharedDisplay]:
    widget = SharedDisplay()
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    yield widget
    widget.end_flash()


def text_color(label: QWidget) -> QColor:
    return label.palette().color(QPalette.ColorRole.WindowText)


def fits(label: QLabel, window: SharedDisplay) -> bool:
    """The label's whole text is inside the label, and the label inside the window."""
    width = QFontMetrics(label.font()).horizontalAdvance(label.text())
    return width <= label.width() and QRect(window.rect()).contains(label.geometry())


def digit_height(display: SharedDisplay) -> float:
    return QFontMetricsF(display.digits.font()).tightBoundingRect("0").height()


# -- what is shown -------------------------------------------------------------------------


def test_digits_stage_and_cues_follow_the_snapshots(display: SharedDisplay, call: Call) -> None:
    assert display.windowTitle() == WINDOW_TITLE
    display.show_snapshot(call.start(), NAMES)
    assert display.digits.text() == "5:00"
    assert display.stage.text() == "Arrive: meditation"
    assert display.turn.isHidden()
    assert display.status.text() == ""
    first_cues = call.items[0].cues
    assert display.cue_texts == dict(first_cues)
    assert len(display.cues) == 4
    assert "Presenter" in display.cues[0].text()
    assert "Arrive with everyone. Nothing to prepare now." in display.cues[0].text()

    display.show_snapshot(call.after(61.5), NAMES)
    assert display.digits.text() == "3:59"

    snap = call.go_to("Round 1: Generative discussion")
    display.show_snapshot(snap, NAMES)
    assert display.stage.text() == "Round 1: Generative discussion"
    assert display.digits.text() == "12:00"
    assert display.cue_texts[Role.PRESENTER].startswith("Camera off.")
    assert all(label.isVisible() for label in display.cues)


def test_the_turn_line_names_whose_turn_it_is(display: SharedDisplay, call: Call) -> None:
    call.start()
    snap = call.go_to("Check-in round")
    display.show_snapshot(snap, NAMES)
    assert display.turn.isVisible()
    assert display.turn.text() == "Turn 1 of 4 · Aroha Ngata"
    assert display.digits.text() == "2:30"  # ten minutes shared by four

    display.show_snapshot(call.do(Action.NEXT), NAMES)
    assert display.turn.text() == "Turn 2 of 4 · Marie-Ève Tremblay"

    display.show_snapshot(call.do(Action.NEXT), {})
    assert display.turn.text() == "Turn 3 of 4"  # a name not known is left out, not guessed

    display.show_snapshot(call.go_to("Round 1: The challenge"), NAMES)
    assert display.turn.isHidden()


def test_the_colour_follows_the_level(display: SharedDisplay, call: Call) -> None:
    call.start()
    snap = call.go_to("Round 1: The challenge")  # a soft stop: it runs on into overtime
    seen: list[Level] = []
    for _ in range(100):
        display.show_snapshot(snap, NAMES)
        assert text_color(display.digits) == level_color(snap.level)
        assert display.ring.color == level_color(snap.level)
        if not seen or seen[-1] is not snap.level:
            seen.append(snap.level)
        if snap.level is Level.OVERTIME:
            break
        snap = call.after(10)
    assert seen == [Level.CALM, Level.WARNING, Level.URGENT, Level.OVERTIME]
    assert display.digits.text().startswith("+")


def test_the_levels_have_distinct_colours_on_dark_and_light() -> None:
    for colours in ([level_color(v) for v in Level], [level_color_light(v) for v in Level]):
        assert len({c.name() for c in colours}) == len(Level)
    assert level_color(Level.CALM).lightness() > 220  # near white on the dark display
    # Every light-background colour keeps enough contrast with the app's window colour.
    assert all(level_color_light(v).lightness() < 120 for v in Level)


def test_paused_and_finished_say_so(display: SharedDisplay, call: Call) -> None:
    call.start()
    running = call.after(30)
    display.show_snapshot(running, NAMES)
    bright = text_color(display.digits)

    paused = call.do(Action.PAUSE)
    display.show_snapshot(paused, NAMES)
    assert paused.phase is Phase.PAUSED
    assert display.status.text() == "PAUSED"
    assert display.status.isVisible()
    assert display.digits.text() == "4:30"
    assert text_color(display.digits).lightness() < bright.lightness()  # dimmed while still

    display.show_snapshot(call.do(Action.RESUME), NAMES)
    assert display.status.text() == ""
    assert text_color(display.digits) == bright

    display.show_snapshot(call.do(Action.FINISH), NAMES)
    assert display.status.text() == "Call finished"
    assert display.status.isVisible()
    assert not display.digits.isVisible()
    assert not any(label.isVisible() for label in display.cues)


def test_a_new_second_changes_only_the_digits(
    display: SharedDisplay, call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    call.start()
    display.show_snapshot(call.go_to("Round 1: The challenge"), NAMES)
    cues, stage_font = list(display.cues), display.stage.font()
    placed: list[None] = []
    place = SharedDisplay._place
    monkeypatch.setattr(SharedDisplay, "_place", lambda self: placed.append(place(self)))
    for _ in range(5):
        display.show_snapshot(call.after(1), NAMES)
    assert display.digits.text() == "6:55"
    assert placed == []  # nothing laid out again
    assert display.cues == cues
    assert display.stage.font() == stage_font

    display.show_snapshot(call.after(420), NAMES)  # into overtime: '+0:05' is a new shape
    assert display.digits.text() == "+0:05"
    assert len(placed) == 1


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (800, 450)])
def test_the_digits_fill_the_window_and_are_never_clipped(
    display: SharedDisplay, call: Call, size: tuple[int, int]
) -> None:
    width, height = size
    display.resize(width, height)
    call.start()
    snap = call.go_to("Round 1: Generative discussion")
    display.show_snapshot(snap, NAMES)
    assert fits(display.digits, display)
    assert digit_height(display) >= 0.28 * height  # readable from across a room

    display.show_snapshot(call.after(12 * 60 + 3723), NAMES)  # over by an hour and more
    assert display.digits.text() == "+1:02:03"
    assert fits(display.digits, display)
    assert digit_height(display) >= 0.18 * height
    assert fits(display.stage, display)
    for label in display.cues:
        assert label.heightForWidth(label.width()) <= label.height()


# -- the window ----------------------------------------------------------------------------


def test_show_on_fills_the_screen_and_escape_leaves_full_screen(
    qtbot: QtBot, display: SharedDisplay, call: Call
) -> None:
    display.show_snapshot(call.start(), NAMES)
    screen = QGuiApplication.primaryScreen()
    display.show_on(screen)
    qtbot.waitUntil(display.isFullScreen)
    assert display.screen() == screen
    assert display.isVisible()

    qtbot.keyClick(display, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not display.isFullScreen())
    assert display.isVisible()  # Esc only leaves full screen; it never closes the display

    qtbot.keyClick(display, Qt.Key.Key_F)
    qtbot.waitUntil(display.isFullScreen)
    display.toggle_full_screen()
    qtbot.waitUntil(lambda: not display.isFullScreen())

    display.show_on(screen, full_screen=False)
    assert not display.isFullScreen()
    assert display.geometry().size() == screen.geometry().size()


def test_flash_brightens_the_display_once(qtbot: QtBot, display: SharedDisplay, call: Call) -> None:
    display.show_snapshot(call.start(), NAMES)
    corner = display.rect().topLeft()
    assert display.grab().toImage().pixelColor(corner).name() == BACKGROUND.name()
    display.flash()
    assert display.flashing
    assert display.flash_timer.isSingleShot() and display.flash_timer.isActive()
    lit = display.grab().toImage().pixelColor(corner)
    assert lit.lightness() > BACKGROUND.lightness() + 100
    display.end_flash()
    assert not display.flashing
    assert not display.flash_timer.isActive()

    display.flash_timer.setInterval(0)  # the timer, not the test, ends the flash
    display.flash()
    qtbot.waitUntil(lambda: not display.flashing)


def test_the_ring_repaints_only_for_a_visible_change(qtbot: QtBot) -> None:
    ring = ProgressRing()
    qtbot.addWidget(ring)
    ring.resize(100, 100)
    red = QColor("#ff0000")
    ring.set_state(0.5, red)
    painted: list[int] = []
    ring.update = lambda: painted.append(1)  # type: ignore[method-assign]
    ring.set_state(0.5001, red)  # far less than a pixel along the edge
    assert painted == []
    ring.set_state(0.52, red)
    ring.set_state(0.52, QColor("#00ff00"))
    assert len(painted) == 2
    ring.set_state(7.0, red)  # out of range is held to 0..1
    assert ring.fraction == 1.0
    assert ring.heightForWidth(80) == 80


# -- how it looks --------------------------------------------------------------------------


def test_screenshots(
    qtbot: QtBot, display: SharedDisplay, call: Call, themed: None, tmp_path: Path
) -> None:
    """For a human to look at: Peer Input mid-discussion, at a laptop and a TV's size."""
    shots = Path(os.environ.get("SANCTUARY_SHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    call.start()
    call.go_to("Round 1: Generative discussion")
    snap = call.after(12 * 60 - 95)
    assert snap.level is Level.WARNING
    for width, height in ((1280, 720), (1920, 1080)):
        display.resize(width, height)
        display.show_snapshot(snap, NAMES)
        image = display.grab()
        assert (image.width(), image.height()) == (width, height)
        assert image.save(str(shots / f"shared-display-{width}x{height}.png"))


def test_paused_is_one_cool_colour_at_every_level_and_stays_readable(
    display: SharedDisplay, call: Call
) -> None:
    """Paused must never look like running: not the level's colour dimmed (a dimmed red
    fell to 2.3:1 on the dark background), but one colour of its own, 4.5:1 or more."""
    call.start()
    call.go_to("Check-in round")  # a soft stop: turns of 150 s each for four people
    seen = set()
    for seconds in (30, 100, 15, 10):  # calm, warning, urgent, overtime
        running = call.after(seconds)
        display.show_snapshot(running, NAMES)
        running_color = text_color(display.digits)
        paused = call.do(Action.PAUSE)
        display.show_snapshot(paused, NAMES)
        color = text_color(display.digits)
        assert color != running_color
        assert contrast_ratio(color, BACKGROUND) >= 4.5, (paused.level, color.name())
        assert display.ring.color == color  # the ring stops looking alive too
        seen.add((paused.level, color.name()))
        display.show_snapshot(call.do(Action.RESUME), NAMES)
    assert len({name for _level, name in seen}) == 1
    assert {level for level, _name in seen} == set(Level)
    assert contrast_ratio(paused_color(dark=False), QColor("#fbfaf7")) >= 4.5
    assert contrast_ratio(QColor("#ffffff"), PAUSED_BADGE) >= 4.5
