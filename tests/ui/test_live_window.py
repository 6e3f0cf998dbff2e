"""The live window: controls and keys, the clock's truth, notes, the shared display."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.timer import Action, Phase, Signal, countdown_text
from sanctuary_desktop.services import cohorts, demo, live, records
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.live_window import KEYS, KeysDialog, LiveWindow
from tests.ui.conftest import settle


class HeardSounds:
    def __init__(self) -> None:
        self.heard: list[Signal] = []
        self.muted = False
        self.available = True

    def play(self, signal: Signal) -> None:
        if not self.muted:
            self.heard.append(signal)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted


def next_call(ctx: AppContext) -> tuple[int, datetime]:
    runner = ctx.services.runner
    cohort = runner.submit(demo.create_sample, today=date(2026, 11, 23)).result()
    plan = runner.submit(cohorts.get_plan, cohort.id).result()
    call = next(c for c in plan.calls if c.starts_at > ctx.clock() and not c.cancelled)
    return call.id, call.starts_at


def let_go(_widget: object) -> None:
    """Before qtbot closes a test's windows: a call a test left running must not ask how
    to leave, or its question stays open for the tests that follow."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LiveWindow):
            widget._may_close = True


@pytest.fixture
def live_window(qtbot: QtBot, ctx: AppContext) -> tuple[LiveWindow, ManualClock, HeardSounds]:
    call_id, starts = next_call(ctx)
    clock = ManualClock(starts - timedelta(minutes=1))
    ctx.clock = clock
    sounds = HeardSounds()
    window = LiveWindow(ctx, call_id, sounds=sounds)
    qtbot.addWidget(window, before_close_func=let_go)
    window.show()
    settle(qtbot, ctx)
    assert window.timer is not None
    return window, clock, sounds


def press(qtbot: QtBot, window: LiveWindow, key: str) -> None:
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(key)[0]
    QTest.keyClick(window, combo.key(), combo.keyboardModifiers())


def stored_events(ctx: AppContext, call_id: int) -> tuple[Action, ...]:
    run = ctx.services.runner.submit(live.open_live, call_id).result().value
    return tuple(event.action for event in run.events)


def test_keys_drive_the_timer_and_every_transition_is_written(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    assert window.buttons["start"].text() == "Start"
    first = window.timer.items[0]  # type: ignore[union-attr]
    assert window.countdown.text() == countdown_text(first.minutes * 60)
    press(qtbot, window, "Space")
    clock.advance(90)
    window.refresh()
    assert window.countdown.text() == countdown_text(first.minutes * 60 - 90)
    assert window.buttons["start"].text() == "Pause"
    press(qtbot, window, "+")
    assert window.countdown.text() == countdown_text(first.minutes * 60 - 30)
    press(qtbot, window, "Ctrl++")
    press(qtbot, window, "-")
    press(qtbot, window, "Ctrl+-")
    assert window.countdown.text() == countdown_text(first.minutes * 60 - 90)
    press(qtbot, window, "Space")
    clock.advance(600)
    window.refresh()
    assert window.countdown.text() == countdown_text(first.minutes * 60 - 90)
    assert "Paused" in window.state_line.text()
    press(qtbot, window, "Space")
    press(qtbot, window, "Right")
    second = window.timer.items[1]  # type: ignore[union-attr]
    assert window.stage.text().startswith(second.label)
    press(qtbot, window, "Left")
    assert window.stage.text().startswith(first.label)
    press(qtbot, window, "Shift+Right")
    press(qtbot, window, "R")
    settle(qtbot, ctx)
    assert stored_events(ctx, window.call_id) == (
        Action.START,
        Action.ADJUST,
        Action.ADJUST,
        Action.ADJUST,
        Action.ADJUST,
        Action.PAUSE,
        Action.RESUME,
        Action.NEXT,
        Action.BACK,
        Action.SKIP,
        Action.RESTART,
    )


def test_every_button_names_its_key(
    live_window: tuple[LiveWindow, ManualClock, HeardSounds],
) -> None:
    window, _, _ = live_window
    for _keys, _what, name in KEYS:
        if name in window.buttons and name != "start":
            assert "(" in window.buttons[name].toolTip(), name
    assert "Space" in window.buttons["start"].toolTip()


def test_turns_follow_attendance_and_chimes_sound(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, sounds = live_window
    assert window.call is not None and window.timer is not None
    turns_at = next(i for i, item in enumerate(window.timer.items) if item.turns)
    # Two people are away today: they get no turn.
    for row in (0, 1):
        window.notes.people.item(row).setCheckState(Qt.CheckState.Unchecked)
    settle(qtbot, ctx)
    press(qtbot, window, "Space")
    for _ in range(turns_at):
        press(qtbot, window, "Right")
    present = window.call.turn_order(window.notes.present())
    assert len(present) == len(window.call.people) - 2
    first_name = window.call.name_of(present[0])
    assert window.turn.text().startswith(f"Turn 1 of {len(present)}: {first_name}")
    item = window.timer.items[turns_at]
    turn_seconds = item.minutes * 60 / len(present)
    clock.advance(turn_seconds + 1)
    window.refresh()
    assert sounds.heard[-1] is Signal.END  # the turn's time is up
    assert window.countdown.text() == "+0:01"
    press(qtbot, window, "Right")
    assert window.turn.text().startswith("Turn 2")
    window.mute.click()
    assert sounds.muted and window.mute.text() == "Chimes off"


def test_running_late_offers_to_shorten_and_one_click_applies_it(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    assert window.timer is not None
    clock.advance(60)  # on the hour
    press(qtbot, window, "Space")
    clock.advance(20 * 60)  # the arrival ran far over
    window.refresh()
    assert window.late.isVisibleTo(window)
    assert "behind" in window.late_text.text()
    window.shorten.click()
    snap = window.snapshot
    assert snap is not None
    assert abs((snap.projected_end - snap.target_end).total_seconds()) < 60
    assert not window.late.isVisibleTo(window)
    settle(qtbot, ctx)
    assert stored_events(ctx, window.call_id)[-1] is Action.RESHAPE


def test_reopening_resumes_at_the_right_time_with_hard_stops_caught_up(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    assert window.timer is not None
    press(qtbot, window, "Space")
    clock.advance(100)
    press(qtbot, window, "Right")
    settle(qtbot, ctx)
    window.close()
    clock.advance(45)  # the app was away for 45 seconds
    again = LiveWindow(ctx, window.call_id, sounds=HeardSounds())
    qtbot.addWidget(again, before_close_func=let_go)
    settle(qtbot, ctx)
    second = again.timer.items[1]  # type: ignore[union-attr]
    assert again.snapshot is not None and again.snapshot.index == 1
    assert again.snapshot.stage_remaining == pytest.approx(second.minutes * 60 - 45)
    assert again.countdown.text() == countdown_text(again.snapshot.remaining)
    assert "Resumed" in again.state_line.text()


def test_notes_save_themselves_stamped_with_the_stage(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, _, _ = live_window
    assert window.timer is not None and window.call is not None
    press(qtbot, window, "Space")
    press(qtbot, window, "N")
    assert window.notes.text.hasFocus() or window.notes.text is window.focusWidget()
    QTest.keyClicks(window.notes.text, "Systems need")
    QTest.keyClick(window.notes.text, Qt.Key.Key_Space)  # typed into the note, not a pause
    QTest.keyClicks(window.notes.text, "patience")
    assert window.timer.phase is Phase.RUNNING
    assert window.notes.autosave.isActive()
    assert window.notes.autosave.interval() <= 2000
    window.notes.autosave.timeout.emit()  # the pause in typing, without waiting for it
    settle(qtbot, ctx)
    saved = ctx.services.runner.submit(records.list_notes, window.call_id).result()
    assert [(n.text, n.stage) for n in saved] == [
        ("Systems need patience", window.timer.items[0].label)
    ]
    QTest.keyClicks(window.notes.text, ", and rest")
    window.notes.kind.setCurrentIndex(window.notes.kind.findData(NoteKind.ACTION.value))
    window.notes.finish_note()  # no owner yet: refused, words kept
    settle(qtbot, ctx)
    assert "owner" in window.notes.status.text().lower()
    assert window.notes.text.toPlainText().endswith("and rest")
    window.notes.owner.setCurrentIndex(1)
    window.notes.finish_note()
    settle(qtbot, ctx)
    saved = ctx.services.runner.submit(records.list_notes, window.call_id).result()
    assert len(saved) == 1
    assert saved[0].kind is NoteKind.ACTION and saved[0].owner_id == window.call.people[0].id
    assert window.notes.text.toPlainText() == ""
    assert window.notes.notes_model.rowCount() == 1


def test_finishing_shows_planned_against_actual(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    assert window.timer is not None
    press(qtbot, window, "Space")
    for _ in range(100):
        if window.timer.phase is Phase.FINISHED:
            break
        clock.advance(60)
        press(qtbot, window, "Right")
    assert window.timer.phase is Phase.FINISHED
    assert window.center.currentWidget() is window.record
    assert window.record.model.rowCount() == len(window.timer.items)
    assert "Planned" in window.record.summary.text()
    settle(qtbot, ctx)
    run = ctx.services.runner.submit(live.open_live, window.call_id).result().value
    assert run.finished_at == clock()


def test_the_shared_display_follows_the_live_view(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    display = window.show_display(None)
    qtbot.addWidget(display)
    assert display.isVisible()
    press(qtbot, window, "Space")
    clock.advance(61)
    window.refresh()
    assert window.countdown.text() in display_texts(display)
    press(qtbot, window, "Right")
    assert window.timer is not None
    assert window.timer.items[1].label in display_texts(display)


def display_texts(display: object) -> str:
    from PySide6.QtWidgets import QLabel, QWidget

    assert isinstance(display, QWidget)
    texts = [label.text() for label in display.findChildren(QLabel)]
    texts.extend(str(value) for value in vars(display).values() if isinstance(value, str))
    return " | ".join(texts)


def test_screenshot_of_a_live_call(
    qtbot: QtBot,
    ctx: AppContext,
    themed: None,
    tmp_path: Path,
    live_window: tuple[LiveWindow, ManualClock, HeardSounds],
) -> None:
    window, clock, _ = live_window
    press(qtbot, window, "Space")
    clock.advance(4 * 60 + 20)
    window.refresh()
    window.grab().save(str(tmp_path / "live.png"))
    assert (tmp_path / "live.png").stat().st_size > 10_000


def test_quick_notes_never_overwrite_each_other_and_closing_keeps_the_last_words(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, _, _ = live_window
    notes = window.notes
    notes.text.setPlainText("first note")
    notes.autosave.timeout.emit()  # the first save is on its way...
    notes.finish_note()  # ...when Ctrl+Enter comes
    notes.text.setPlainText("second note")
    notes.finish_note()
    notes.text.setPlainText("third note, typed just before closing")
    window.close()  # waits for the words to be written
    settle(qtbot, ctx)
    saved = ctx.services.runner.submit(records.list_notes, window.call_id).result()
    assert sorted(n.text for n in saved) == [
        "first note",
        "second note",
        "third note, typed just before closing",
    ]
    assert not window.isVisible()


def test_keys_belong_to_the_notes_pane_while_it_has_the_focus(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, _, _ = live_window
    window.activateWindow()
    window.notes.people.setFocus()
    qtbot.waitUntil(lambda: not window.shortcuts[0].isEnabled(), timeout=2000)
    window.setFocus()
    qtbot.waitUntil(lambda: window.shortcuts[0].isEnabled(), timeout=2000)


# -- issue 13: the live call does what the facilitator meant ------------------------------


def saved_notes(ctx: AppContext, call_id: int) -> list[records.NoteView]:
    return sorted(
        ctx.services.runner.submit(records.list_notes, call_id).result(), key=lambda n: n.id
    )


def give_keys_back(qtbot: QtBot, window: LiveWindow) -> None:
    QTest.keyClick(window.notes.text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shortcuts[0].isEnabled(), timeout=2000)


@pytest.mark.parametrize("saved_between", [False, True])
def test_each_n_starts_a_new_note_with_its_own_time(
    qtbot: QtBot,
    ctx: AppContext,
    live_window: tuple[LiveWindow, ManualClock, HeardSounds],
    saved_between: bool,
) -> None:
    window, clock, _ = live_window
    window.activateWindow()
    press(qtbot, window, "Space")
    first_at = clock()
    press(qtbot, window, "N")
    QTest.keyClicks(window.notes.text, "The first thought")
    if saved_between:
        window.notes.autosave.timeout.emit()  # typing paused long enough to save
        settle(qtbot, ctx)
    give_keys_back(qtbot, window)
    clock.advance(120)
    second_at = clock()
    press(qtbot, window, "N")
    assert window.notes.text.toPlainText() == ""  # a fresh note, not the first one again
    QTest.keyClicks(window.notes.text, "A second thought")
    window.notes.autosave.timeout.emit()
    settle(qtbot, ctx)
    notes = saved_notes(ctx, window.call_id)
    assert [n.text for n in notes] == ["The first thought", "A second thought"]
    assert notes[0].created_at == first_at
    assert notes[1].created_at == second_at
    press(qtbot, window, "N")  # on an empty composer N only puts the cursor there
    assert window.notes.text.hasFocus() or window.notes.text is window.focusWidget()
    settle(qtbot, ctx)
    assert len(saved_notes(ctx, window.call_id)) == 2


def test_the_keys_card_lists_the_note_keys(
    qtbot: QtBot, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    from PySide6.QtWidgets import QLabel

    dialog = KeysDialog()
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Ctrl+Enter" in texts
    assert "Save the note and start a new one" in texts
    assert "Esc" in texts


def test_the_timer_keys_work_while_the_shared_display_is_in_front(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    assert window.timer is not None
    display = window.show_display(None)
    qtbot.addWidget(display)
    display.activateWindow()
    display.setFocus()
    qtbot.waitUntil(display.isActiveWindow, timeout=2000)
    assert not window.isActiveWindow()

    QTest.keyClick(display, Qt.Key.Key_Space)
    assert window.timer.phase is Phase.RUNNING
    clock.advance(30)
    QTest.keyClick(display, Qt.Key.Key_Plus)
    assert window.snapshot is not None
    assert window.snapshot.stage_length == window.timer.items[0].minutes * 60 + 60
    QTest.keyClick(display, Qt.Key.Key_Right)
    assert window.timer.index == 1
    QTest.keyClick(display, Qt.Key.Key_Left)
    assert window.timer.index == 0
    QTest.keyClick(display, Qt.Key.Key_Space)
    assert window.timer.phase is Phase.PAUSED
    assert display.status.text() == "PAUSED"
    QTest.keyClick(display, Qt.Key.Key_M)
    assert window.mute.text() == "Chimes off"
    QTest.keyClick(display, Qt.Key.Key_F1)
    keys = display.findChild(KeysDialog)
    assert keys is not None and keys.isVisible()
    keys.close()
    QTest.keyClick(display, Qt.Key.Key_F)  # the display's own key still works
    assert display.isFullScreen()
    QTest.keyClick(display, Qt.Key.Key_Escape)
    assert not display.isFullScreen()
    QTest.keyClick(display, Qt.Key.Key_N)  # a note: the facilitator's window comes forward
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.waitUntil(lambda: window.notes.text.hasFocus(), timeout=2000)
    settle(qtbot, ctx)
    assert stored_events(ctx, window.call_id) == (
        Action.START,
        Action.ADJUST,
        Action.NEXT,
        Action.BACK,
        Action.PAUSE,
    )


def test_the_chimes_button_says_when_sound_is_unavailable(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from tests.ui.test_sounds import FakeMultimedia

    fake = FakeMultimedia(outputs=0)
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", fake)
    call_id, starts = next_call(ctx)
    ctx.clock = ManualClock(starts)
    window = LiveWindow(ctx, call_id)  # the real player
    qtbot.addWidget(window, before_close_func=let_go)
    window.show()
    settle(qtbot, ctx)
    assert window.mute.text() == "Sound unavailable"
    assert not window.mute.isEnabled()
    assert "no audio output" in window.mute.toolTip()
    fake.plug(1)  # an output appears
    assert window.mute.text() == "Chimes on" and window.mute.isEnabled()
    window.close()


def leave_with(qtbot: QtBot, window: LiveWindow, button: str) -> None:
    box = window.leave_box
    assert box is not None and box.isVisible()
    chosen = [b for b in box.buttons() if b.text() == button]
    assert chosen, [b.text() for b in box.buttons()]
    chosen[0].click()


def test_closing_a_running_call_asks_and_pausing_closes_the_display_too(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window
    display = window.show_display(None)
    qtbot.addWidget(display)
    press(qtbot, window, "Space")
    clock.advance(60)
    window.close()
    assert window.isVisible() and display.isVisible()  # nothing happens before the answer
    assert "still running" in window.leave_box.text()  # type: ignore[union-attr]
    leave_with(qtbot, window, "Cancel")
    assert window.isVisible() and window.timer.phase is Phase.RUNNING  # type: ignore[union-attr]
    window.close()
    leave_with(qtbot, window, "Pause and close")
    assert not window.isVisible() and not display.isVisible()
    settle(qtbot, ctx)
    assert stored_events(ctx, window.call_id)[-1] is Action.PAUSE
    clock.advance(600)
    again = LiveWindow(ctx, window.call_id, sounds=HeardSounds())
    qtbot.addWidget(again, before_close_func=let_go)
    settle(qtbot, ctx)
    text = again.state_line.text()
    assert text.startswith("Paused since") and "kept" not in text
    assert again.paused_badge.isVisibleTo(again)


def test_keeping_a_call_running_in_the_background_keeps_the_display_and_shows_a_sign(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    from PySide6.QtWidgets import QMainWindow

    window, clock, _ = live_window
    main = QMainWindow()  # the app's main window, with the one-line hookup
    qtbot.addWidget(main, before_close_func=let_go)
    badge = window.status_badge()
    main.statusBar().addPermanentWidget(badge)
    main.show()
    assert not badge.isVisibleTo(main)  # not started: no sign
    display = window.show_display(None)
    qtbot.addWidget(display)
    under_way: list[bool] = []
    window.under_way_changed.connect(under_way.append)
    press(qtbot, window, "Space")
    assert under_way == [True] and window.under_way
    assert badge.isVisibleTo(main) and "is running" in badge.text()
    window.close()
    leave_with(qtbot, window, "Keep it running")
    assert not window.isVisible() and display.isVisible()
    clock.advance(61)
    window.refresh()  # the timer's own look, still made while hidden
    assert window.timer is not None and window.timer.phase is Phase.RUNNING
    assert window.countdown.text() in " | ".join(
        label.text() for label in display.findChildren(type(window.countdown))
    )
    assert window.countdown.text() in badge.text()
    badge.click()
    assert window.isVisible()
    press(qtbot, window, "Space")
    assert "is paused" in badge.text()


def test_quitting_with_a_running_call_asks_first(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, _clock, _ = live_window
    display = window.show_display(None)
    qtbot.addWidget(display)
    quits: list[str] = []
    assert window.ask_to_quit(lambda: quits.append("quit"))  # not started: nothing to ask
    press(qtbot, window, "Space")
    assert not window.ask_to_quit(lambda: quits.append("quit"))
    leave_with(qtbot, window, "Cancel")
    assert quits == [] and window.isVisible()
    assert not window.ask_to_quit(lambda: quits.append("quit"))
    leave_with(qtbot, window, "Quit, the timer keeps time")
    assert quits == ["quit"]
    assert not window.isVisible() and not display.isVisible()
    settle(qtbot, ctx)
    assert stored_events(ctx, window.call_id) == (Action.START,)  # still running
    assert window.ask_to_quit(lambda: quits.append("again"))  # answered: no second question


def test_the_call_line_says_on_time_at_the_start_of_a_call_begun_early(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    window, clock, _ = live_window  # the clock stands a minute before the start
    clock.advance(-3 * 60)  # four minutes early
    press(qtbot, window, "Space")
    clock.advance(1)
    window.refresh()
    assert "on time" in window.call_line.text()
    assert "ahead" not in window.call_line.text()


def test_paused_is_unmistakable_in_the_live_window(
    qtbot: QtBot, ctx: AppContext, live_window: tuple[LiveWindow, ManualClock, HeardSounds]
) -> None:
    from sanctuary_desktop.ui.timer_style import paused_color

    window, clock, _ = live_window
    press(qtbot, window, "Space")
    clock.advance(10)
    window.refresh()
    assert not window.paused_badge.isVisibleTo(window)
    running = window.countdown.styleSheet()
    press(qtbot, window, "Space")
    assert window.paused_badge.isVisibleTo(window)
    assert window.paused_badge.text() == "PAUSED"
    assert window.countdown.styleSheet() != running
    assert paused_color(dark=False).name() in window.countdown.styleSheet()
    assert window.ring.color == paused_color(dark=False)
    press(qtbot, window, "Space")
    assert not window.paused_badge.isVisibleTo(window)
    assert window.countdown.styleSheet() == running


def test_screenshots_running_paused_and_in_overtime(
    qtbot: QtBot,
    ctx: AppContext,
    themed: None,
    tmp_path: Path,
    live_window: tuple[LiveWindow, ManualClock, HeardSounds],
) -> None:
    """For a human to look at (set SANCTUARY_SHOTS to keep them), at 1280x800."""
    import os

    shots = Path(os.environ.get("SANCTUARY_SHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    window, clock, _ = live_window
    window.resize(1280, 800)
    display = window.show_display(None)
    qtbot.addWidget(display)
    display.resize(1280, 720)
    press(qtbot, window, "Space")
    clock.advance(60 + 20)
    window.refresh()
    assert window.timer is not None
    for name in ("running", "paused", "overtime"):
        if name == "paused":
            press(qtbot, window, "Space")
            clock.advance(30)
            window.refresh()
        if name == "overtime":
            press(qtbot, window, "Space")
            clock.advance(window.timer.items[0].minutes * 60)
            window.refresh()
        assert window.grab().save(str(shots / f"live-{name}.png"))
        assert display.grab().save(str(shots / f"display-{name}.png"))
    assert window.snapshot is not None and window.snapshot.overtime


@pytest.mark.parametrize("answer", ["keep", "pause"])
def test_quitting_the_app_mid_call_asks_and_leaves_the_timer_as_told(
    qtbot: QtBot, ctx: AppContext, answer: str
) -> None:
    """Through the real main window, with or without its hookup (ask_to_quit)."""
    from PySide6.QtWidgets import QMessageBox

    from sanctuary_desktop.ui.main_window import MainWindow

    call_id, starts = next_call(ctx)
    clock = ManualClock(starts)
    ctx.clock = clock
    main = MainWindow(ctx)
    qtbot.addWidget(main, before_close_func=let_go)
    main.show()
    settle(qtbot, ctx)
    window = main.open_live(call_id)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # to look at afterwards
    settle(qtbot, ctx)
    display = window.show_display(None)
    qtbot.addWidget(display)
    window.activateWindow()
    press(qtbot, window, "Space")
    clock.advance(60)
    main.close()
    box = window.leave_box
    assert box is not None and box.isVisible() and window.isVisible()
    role = (
        QMessageBox.ButtonRole.ActionRole if answer == "keep" else QMessageBox.ButtonRole.AcceptRole
    )
    next(b for b in box.buttons() if box.buttonRole(b) is role).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert not main.isVisible() and not display.isVisible()  # nothing left open
    settle(qtbot, ctx)
    last = stored_events(ctx, call_id)[-1]
    assert last is (Action.START if answer == "keep" else Action.PAUSE)
    (run,) = ctx.services.runner.submit(live.unfinished_runs).result()
    assert run.paused is (answer == "pause")


def test_the_main_window_shows_a_call_under_way_and_cancel_keeps_the_app_open(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from sanctuary_desktop.ui.live_window import LiveBadge
    from sanctuary_desktop.ui.main_window import MainWindow

    call_id, starts = next_call(ctx)
    clock = ManualClock(starts)
    ctx.clock = clock
    main = MainWindow(ctx)
    qtbot.addWidget(main, before_close_func=let_go)
    main.show()
    settle(qtbot, ctx)
    window = main.open_live(call_id)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    settle(qtbot, ctx)
    [badge] = main.statusBar().findChildren(LiveBadge)
    assert not badge.isVisible(), "nothing under way before the start"
    press(qtbot, window, "Space")
    clock.advance(30)
    window.refresh()
    assert badge.isVisible() and "is running" in badge.text()
    main.close()
    box = window.leave_box
    assert box is not None and box.isVisible()
    next(b for b in box.buttons() if box.buttonRole(b) is QMessageBox.ButtonRole.RejectRole).click()
    settle(qtbot, ctx)
    assert main.isVisible() and window.isVisible(), "Cancel keeps the app and the call"
    assert window.running
    press(qtbot, window, "Space")  # paused, the windows close at the end without asking


def test_a_call_left_paused_is_offered_as_paused(qtbot: QtBot, ctx: AppContext) -> None:
    from sanctuary_desktop.ui.main_window import MainWindow

    call_id, starts = next_call(ctx)
    clock = ManualClock(starts)
    ctx.clock = clock
    window = LiveWindow(ctx, call_id)
    qtbot.addWidget(window, before_close_func=let_go)
    window.show()
    settle(qtbot, ctx)
    press(qtbot, window, "Space")
    clock.advance(60)
    press(qtbot, window, "Space")
    settle(qtbot, ctx)
    runs = ctx.services.runner.submit(live.unfinished_runs).result()
    main = MainWindow(ctx)
    qtbot.addWidget(main, before_close_func=let_go)
    main.offer_to_resume(runs)
    box = main.resume_box
    assert "was paused when the app closed" in box.text()
    assert "kept time" not in box.informativeText()
    box.close()
