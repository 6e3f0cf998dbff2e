"""The live call: the agenda, a large countdown, the controls, and notes beside them.

What is shown comes from ``LiveTimer.tick(clock())`` each time it is painted; the
QTimer only decides when to look again (when the shown second will change), so
nothing drifts and the app stays nearly idle while the timer runs. Every command's
event is written to the store at once, through the one database thread.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from sanctuary_desktop.domain.agenda import AgendaItem
from sanctuary_desktop.domain.protocols import Role, StopKind
from sanctuary_desktop.domain.timer import (
    Action,
    LiveEvent,
    LiveTimer,
    Mark,
    Phase,
    Snapshot,
    TimerError,
    clock_text,
    countdown_text,
)
from sanctuary_desktop.domain.timer import (
    Signal as TimerSignal,
)
from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.services import backups, live
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.live_notes import NotesPane
from sanctuary_desktop.ui.live_record import RecordView
from sanctuary_desktop.ui.pdf_export import open_session_notes
from sanctuary_desktop.ui.shared_display import SharedDisplay
from sanctuary_desktop.ui.sounds import SoundPlayer, Sounds
from sanctuary_desktop.ui.tables import Column, RowsModel
from sanctuary_desktop.ui.theme import Colors, set_role
from sanctuary_desktop.ui.timer_style import (
    ProgressRing,
    level_color_on_window,
    paused_color_on_window,
)
from sanctuary_desktop.ui.widgets import ask_to_confirm

IDLE_LOOK_MS = 1000  # paused or not started: the projected end still moves
KEYS: tuple[tuple[str, str, str], ...] = (
    # (key sequence, what it does, button name)
    ("Space", "Start, pause or resume", "start"),
    ("Right", "Next turn or stage", "next"),
    ("Left", "Back a turn or stage", "back"),
    ("Shift+Right", "Skip this stage", "skip"),
    ("R", "Restart this stage", "restart"),
    ("+", "Add a minute", "plus1"),
    ("-", "Take a minute away", "minus1"),
    ("Ctrl++", "Add five minutes", "plus5"),
    ("Ctrl+-", "Take five minutes away", "minus5"),
    ("M", "Mute or unmute the chimes", "mute"),
    ("D", "Show the shared display", "display"),
    ("N", "Write a note", "note"),
    ("F1", "This list of keys", "help"),
)
# Keys of the note being typed (the timer's keys type letters meanwhile).
NOTE_KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+Enter", "Save the note and start a new one"),
    ("Esc", "Leave the note: the keys drive the timer again"),
)
# The timer's keys that also work while the shared display is the window in front.
DISPLAY_KEYS = frozenset(name for _keys, _what, name in KEYS) - {"display"}


def key_text(name: str) -> str:
    for keys, _what, button in KEYS:
        if button == name:
            return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
    raise KeyError(name)


def behind_text(seconds: float) -> str:
    """'3 min behind', '2 min ahead' or 'on time', for ``Snapshot.pace``."""
    minutes = round(abs(seconds) / 60)
    if minutes == 0:
        return "on time"
    return f"{minutes} min {'behind' if seconds > 0 else 'ahead'}"


class KeysDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys for the live call")
        grid = QGridLayout()
        for row, (keys, what, _name) in enumerate(KEYS):
            key = QLabel(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText))
            key.setStyleSheet("font-weight: 600; padding-right: 16px;")
            grid.addWidget(key, row, 0)
            grid.addWidget(QLabel(what), row, 1)
        heading = QLabel("While you type a note")
        heading.setProperty("role", "section")
        grid.addWidget(heading, len(KEYS), 0, 1, 2)
        for row, (keys, what) in enumerate(NOTE_KEYS, start=len(KEYS) + 1):
            key = QLabel(keys)
            key.setStyleSheet("font-weight: 600; padding-right: 16px;")
            grid.addWidget(key, row, 0)
            grid.addWidget(QLabel(what), row, 1)
        note = QLabel(
            "While you type a note, the keys type. N always starts a new note; the timer's "
            "keys also work while the shared display is the window in front."
        )
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(box)


class LiveWindow(QMainWindow):
    """One call, run live. Open it through ``MainWindow.open_live``: one window per call."""

    closed = Signal(int)  # call id
    under_way_changed = Signal(bool)  # started and not finished (running or paused)
    refreshed = Signal()  # after each look at the clock

    def __init__(
        self,
        ctx: AppContext,
        call_id: int,
        *,
        sounds: Sounds | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.call_id = call_id
        self.call: live.LiveCall | None = None
        self.timer: LiveTimer | None = None
        self.snapshot: Snapshot | None = None
        self.sounds: Sounds = sounds if sounds is not None else SoundPlayer(self)
        self.display: SharedDisplay | None = None
        self.display_shortcuts: list[QShortcut] = []
        self._sized = False
        self._under_way = False
        self._may_close = False  # the facilitator has said how to leave a running call
        self.leave_box: QMessageBox | None = None
        self.flash_on_end = bool(ctx.settings.value(ctx.setting_key("live/flash"), False, bool))
        self.setWindowTitle("Live call")
        self.resize(1280, 800)

        self.look_again = QTimer(self)
        self.look_again.setSingleShot(True)
        self.look_again.setTimerType(Qt.TimerType.PreciseTimer)
        self.look_again.timeout.connect(self.refresh)

        self._build()
        self._shortcuts()
        muted = bool(ctx.settings.value(ctx.setting_key("live/muted"), False, bool))
        if isinstance(self.sounds, SoundPlayer):
            self.sounds.availability_changed.connect(lambda _on: self._show_sound())
        self.set_muted(muted)
        ctx.services.call(live.open_live, call_id, then=self.load)

    # -- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel("Loading the call…")
        self.title.setProperty("role", "title")
        self.subtitle = QLabel("")
        self.subtitle.setProperty("role", "subtitle")

        self.agenda_model: RowsModel[tuple[int, AgendaItem, int, Mark]] = RowsModel(
            [
                Column(
                    "Stage",
                    lambda r: r[1].label,
                    tooltip=lambda r: r[1].label,
                    foreground=self._mark_color,
                    background=_current_background,
                ),
                Column(
                    "Min",
                    lambda r: str(r[2]),
                    align_right=True,
                    foreground=self._mark_color,
                    background=_current_background,
                ),
            ]
        )
        self.agenda = QTableView()
        self.agenda.setModel(self.agenda_model)
        self.agenda.verticalHeader().hide()
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.agenda.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.agenda.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agenda.setAccessibleName("Agenda")
        header = self.agenda.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self.stage = QLabel("")
        self.stage.setWordWrap(True)
        stage_font = QFont(self.font())
        stage_font.setPointSizeF(20)
        stage_font.setBold(True)
        self.stage.setFont(stage_font)
        self.countdown = QLabel("0:00")
        digits = QFont(self.font())
        digits.setPointSizeF(88)
        digits.setBold(True)
        digits.setFeature(QFont.Tag("tnum"), 1)  # digits of one width: no jitter
        self.countdown.setFont(digits)
        self.countdown.setAccessibleName("Time left in this stage")
        self.ring = ProgressRing()
        self.ring.setFixedSize(QSize(150, 150))
        self.paused_badge = QLabel("PAUSED")
        self.paused_badge.setAccessibleName("The timer is paused")
        badge_font = QFont(self.font())
        badge_font.setPointSizeF(16)
        badge_font.setBold(True)
        badge_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
        self.paused_badge.setFont(badge_font)
        self.paused_badge.setStyleSheet(
            f"background: {Colors.PAUSED_BADGE.css()}; color: {Colors.ON_PAUSED_BADGE.css()};"
            " border-radius: 6px;"
            " padding: 6px 14px;"
        )
        self.paused_badge.hide()
        self.turn = QLabel("")
        turn_font = QFont(self.font())
        turn_font.setPointSizeF(14)
        self.turn.setFont(turn_font)
        self.state_line = QLabel("")
        self.state_line.setProperty("role", "muted")

        self.cues = QGridLayout()
        self.cues.setColumnStretch(1, 1)
        # One pair of labels per role, made once: a stage change only sets their text.
        self.cue_labels: dict[Role, tuple[QLabel, QLabel]] = {}
        for role in Role:
            self._add_cue_row(role)
        self.prompt = QLabel("")
        self.prompt.setWordWrap(True)
        self.prompt.setProperty("role", "muted")
        self.next_line = QLabel("")
        self.next_line.setWordWrap(True)

        self.call_line = QLabel("")
        self.call_line.setAccessibleName("The call as a whole")
        self.zones_button = QToolButton()
        self.zones_button.setText("In everyone's time")
        self.zones_button.setCheckable(True)
        self.zones_button.toggled.connect(self._show_zones)
        self.zones = QLabel("")
        self.zones.setWordWrap(True)
        self.zones.setProperty("role", "muted")
        self.zones.hide()

        self.late = QFrame()
        self.late.setProperty("role", "card")
        self.late_text = QLabel("")
        self.late_text.setWordWrap(True)
        set_role(self.late_text, "warning")
        self.shorten = QPushButton("Shorten to end on time")
        self.shorten.setProperty("role", "secondary")
        self.shorten.clicked.connect(self.apply_shortening)
        late_layout = QHBoxLayout(self.late)
        late_layout.addWidget(self.late_text, 1)
        late_layout.addWidget(self.shorten)
        self.late.hide()

        self.buttons: dict[str, QPushButton] = {}
        controls = QHBoxLayout()
        for name, text, slot in (
            ("back", "◀ Back", lambda: self.do(Action.BACK)),
            ("start", "Start", self.start_or_pause),
            ("next", "Next ▶", lambda: self.do(Action.NEXT)),
            ("skip", "Skip", lambda: self.do(Action.SKIP)),
            ("restart", "Restart", lambda: self.do(Action.RESTART)),
            ("minus5", "−5", lambda: self.do(Action.ADJUST, -300)),
            ("minus1", "−1", lambda: self.do(Action.ADJUST, -60)),
            ("plus1", "+1", lambda: self.do(Action.ADJUST, 60)),
            ("plus5", "+5", lambda: self.do(Action.ADJUST, 300)),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            self.buttons[name] = button
            controls.addWidget(button)
        start = self.buttons["start"]
        start.setProperty("role", "primary")
        start.setMinimumWidth(120)
        controls.addStretch(1)
        self.mute = QPushButton("Chimes on")
        self.mute.setCheckable(True)
        self.mute.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mute.toggled.connect(self.set_muted)
        self.display_button = QPushButton("Shared display")
        self.display_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.display_menu = QMenu(self.display_button)
        self.display_menu.aboutToShow.connect(self._fill_display_menu)
        self.display_button.setMenu(self.display_menu)
        self.more = QToolButton()
        self.more.setText("More")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more_menu = QMenu(self.more)
        self.flash_action = more_menu.addAction("Flash at the end of a stage")
        self.flash_action.setCheckable(True)
        self.flash_action.setChecked(self.flash_on_end)
        self.flash_action.toggled.connect(self._set_flash)
        more_menu.addAction("Keys…", self.show_keys)
        more_menu.addAction("Session notes (PDF)…", self.export_notes)
        self.copy_link_action = more_menu.addAction("Copy video link", self.copy_video_link)
        more_menu.addSeparator()
        more_menu.addAction("Finish the call…", self.ask_to_finish)
        more_menu.addAction("Start over…", self.ask_to_start_over)
        self.more.setMenu(more_menu)
        for name in ("minus5", "minus1", "plus1", "plus5"):
            self.buttons[name].setFixedWidth(52)
        for keys, what, name in KEYS:
            if name in self.buttons:
                shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
                self.buttons[name].setToolTip(f"{what} ({shown})")
        self.display_button.setToolTip(
            f"Show the timer in its own window, to share or project ({key_text('display')})"
        )

        timer_row = QHBoxLayout()
        timer_row.addWidget(self.countdown, 1)
        timer_row.addWidget(self.paused_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        timer_row.addSpacing(12)
        timer_row.addWidget(self.ring)
        self.copy_link = QPushButton("Copy video link")
        self.copy_link.setObjectName("copy_link")
        self.copy_link.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays the timer's
        self.copy_link.clicked.connect(self.copy_video_link)
        self._show_video_link()
        # Made now, so "copied" showing there later does not shift the call's layout.
        self.statusBar().setSizeGripEnabled(False)
        call_row = QHBoxLayout()
        call_row.addWidget(self.call_line, 1)
        call_row.addWidget(self.copy_link)
        call_row.addWidget(self.zones_button)

        face = QWidget()
        face_layout = QVBoxLayout(face)
        face_layout.addWidget(self.stage)
        face_layout.addLayout(timer_row)
        face_layout.addWidget(self.turn)
        face_layout.addWidget(self.state_line)
        face_layout.addLayout(self.cues)
        face_layout.addWidget(self.prompt)
        face_layout.addWidget(self.next_line)
        face_layout.addStretch(1)
        face_layout.addWidget(self.late)
        face_layout.addLayout(call_row)
        face_layout.addWidget(self.zones)

        self.record = RecordView()
        self.center = QStackedWidget()
        self.center.addWidget(face)
        self.center.addWidget(self.record)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.center, 1)
        middle_layout.addLayout(controls)

        self.notes = NotesPane(self.ctx)
        self.notes.attendance_changed.connect(self._attendance_changed)
        self.notes.leave_requested.connect(lambda: self.setFocus())

        self.split = split = QSplitter()
        split.addWidget(self.agenda)
        split.addWidget(middle)
        split.addWidget(self.notes)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setStretchFactor(2, 3)
        self.agenda.setMinimumWidth(200)
        self.notes.setMinimumWidth(340)

        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        for widget in (self.mute, self.display_button, self.more):
            top.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        root = QWidget()
        layout = QVBoxLayout(root)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.setCentralWidget(root)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _shortcuts(self) -> None:
        self.key_actions = actions = {
            "start": self.start_or_pause,
            "next": lambda: self.do(Action.NEXT),
            "back": lambda: self.do(Action.BACK),
            "skip": lambda: self.do(Action.SKIP),
            "restart": lambda: self.do(Action.RESTART),
            "plus1": lambda: self.do(Action.ADJUST, 60),
            "minus1": lambda: self.do(Action.ADJUST, -60),
            "plus5": lambda: self.do(Action.ADJUST, 300),
            "minus5": lambda: self.do(Action.ADJUST, -300),
            "mute": self.mute.toggle,
            "display": self.show_display,
            "note": self.new_note,
            "help": self.show_keys,
        }
        self.shortcuts = self._make_shortcuts(self, set(actions))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _make_shortcuts(self, parent: QWidget, names: set[str]) -> list[QShortcut]:
        """The timer's keys (those in ``names``) on ``parent``'s window."""
        made = []
        for keys, _what, name in KEYS:
            if name in names:
                shortcut = QShortcut(QKeySequence(keys), parent)
                shortcut.activated.connect(self.key_actions[name])
                made.append(shortcut)
        if "plus1" in names:  # "=" is "+" without Shift on most keyboards.
            equals = QShortcut(QKeySequence("="), parent)
            equals.activated.connect(self.key_actions["plus1"])
            made.append(equals)
        return made

    def new_note(self) -> None:
        """N: a new note, from this window or the shared display."""
        if not self.isActiveWindow():
            self.bring_forward()
        self.notes.new_note()

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """In the notes pane the keys are the pane's (Space ticks a box, arrows move in
        a list); elsewhere in this window they drive the timer."""
        if not Shiboken.isValid(self):
            return
        in_notes = new is not None and (new is self.notes or self.notes.isAncestorOf(new))
        for shortcut in self.shortcuts:
            if shortcut.key().toString() != "F1":
                shortcut.setEnabled(not in_notes)

    # -- loading ---------------------------------------------------------------------

    def load(self, call: live.LiveCall) -> None:
        if not Shiboken.isValid(self):
            return  # closed before the call had loaded
        self.call = call
        self.timer = call.timer()
        view = call.call
        home = self.ctx.facilitator_zone
        local = view.starts_at.astimezone(zone(home))
        self.setWindowTitle(f"Live: {view.label} · {view.cohort_name}")
        self.title.setText(f"{view.cohort_name} · {view.label}")
        self.subtitle.setText(f"{local:%A %d %B, %H:%M} {city_of(home)} · {view.minutes} minutes")
        self.notes.set_call(call)
        self._show_video_link()
        if isinstance(self.sounds, SoundPlayer):
            self.sounds.preload()  # finds out now whether there is sound, not at the first chime
        self._show_sound()
        self.refresh()
        resumed = resumed_text(self.timer, self.ctx.facilitator_zone)
        if resumed:
            self.state_line.setText(resumed)

    # -- the video-call link ---------------------------------------------------------

    def video_link(self) -> str:
        """The link the call is joined by: its own, else the cohort's ("" if none)."""
        return self.call.call.join_link if self.call is not None else ""

    def _show_video_link(self) -> None:
        link = self.video_link()
        self.copy_link.setEnabled(bool(link))
        if hasattr(self, "copy_link_action"):
            self.copy_link_action.setEnabled(bool(link))
        if link:
            self.copy_link.setToolTip(f"Copy {link} to paste into the chat or an email")
        elif self.call is None:
            self.copy_link.setToolTip("Loading the call…")
        else:
            self.copy_link.setToolTip(
                "This call has no video link: add one to the call (Calls tab, Move…) "
                "or to the cohort (Edit cohort)"
            )

    def copy_video_link(self) -> None:
        link = self.video_link()
        if not link:
            return
        QApplication.clipboard().setText(link)
        self.statusBar().showMessage(f"Video link copied: {link}", 8000)

    # -- commands --------------------------------------------------------------------

    def start_or_pause(self) -> None:
        if self.timer is None:
            return
        phase = self.timer.phase
        if phase is Phase.READY:
            self.do(Action.START, values=self.turn_order())
        elif phase is Phase.RUNNING:
            self.do(Action.PAUSE)
        elif phase is Phase.PAUSED:
            self.do(Action.RESUME)

    def turn_order(self) -> tuple[int, ...]:
        return self.call.turn_order(self.notes.present()) if self.call else ()

    def do(self, action: Action, amount: int = 0, values: Sequence[int] = ()) -> None:
        if self.timer is None or self.call is None:
            return
        try:
            tick = self.timer.command(action, self.ctx.clock(), amount, values)
        except TimerError:
            self.refresh()  # the clock got there first (a hard stop moved on): show it
            return
        self._write(tick.events)
        self._play(tick.signals)
        self.refresh(after_command=True)

    def _write(self, events: Sequence[LiveEvent]) -> None:
        if events and self.call is not None:
            self.ctx.services.call(live.append_events, self.call.run_id, events)

    def _play(self, signals: Sequence[TimerSignal]) -> None:
        for signal in signals:
            self.sounds.play(signal)
        if self.flash_on_end and TimerSignal.END in signals and self.display is not None:
            self.display.flash()

    def _attendance_changed(self, present: frozenset[int]) -> None:
        if self.timer is not None and self.timer.phase in (Phase.RUNNING, Phase.PAUSED):
            self.do(Action.ORDER, values=self.turn_order())
        else:
            self.refresh()

    def apply_shortening(self) -> None:
        if self.timer is None:
            return
        plan = self.timer.shortened_plan(self.ctx.clock())
        if plan is not None:
            self.do(Action.RESHAPE, values=plan)

    def ask_to_finish(self) -> None:
        if self.timer is None or self.timer.phase in (Phase.READY, Phase.FINISHED):
            return
        ask_to_confirm(
            self,
            "Finish the call",
            "Finish the call now? The stages not reached stay as they are in the record.",
            "Finish",
            lambda: self.do(Action.FINISH),
            destructive=False,
        )

    def ask_to_start_over(self) -> None:
        def start_over() -> None:
            self.timer = None  # nothing more from the old run may reach the store
            self.look_again.stop()
            self.ctx.services.call(live.start_over, self.call_id, then=self.load)

        ask_to_confirm(
            self,
            "Start over",
            "Forget this call's timer record and start again from its agenda?",
            "Start over",
            start_over,
            details="Notes and attendance are kept.",
        )

    def set_muted(self, muted: bool) -> None:
        self.sounds.set_muted(muted)
        if self.mute.isChecked() != muted:
            self.mute.setChecked(muted)
        self.ctx.settings.setValue(self.ctx.setting_key("live/muted"), muted)
        self._show_sound()

    def _show_sound(self) -> None:
        """Chimes on or off, or, when this machine cannot play them, that sound is
        unavailable (no audio output, or QtMultimedia missing or failing)."""
        available = self.sounds.available
        self.mute.setEnabled(available)
        if available:
            self.mute.setText("Chimes off" if self.sounds.muted else "Chimes on")
            self.mute.setToolTip(f"Mute or unmute the chimes ({key_text('mute')})")
        else:
            reason = getattr(self.sounds, "reason", "") or "no audio output was found"
            self.mute.setText("Sound unavailable")
            self.mute.setToolTip(
                f"The chimes cannot play: {reason}. For a sign you can see, use "
                "More ▸ Flash at the end of a stage, with the shared display open."
            )

    def _set_flash(self, on: bool) -> None:
        self.flash_on_end = on
        self.ctx.settings.setValue(self.ctx.setting_key("live/flash"), on)

    def export_notes(self) -> None:
        if self.call is not None:
            self.notes.save_now()
            view = self.call.call
            open_session_notes(self.ctx, self, view.id, view.cohort_name, view.label)

    def show_keys(self) -> None:
        display = self.display
        in_front = display is not None and display.isActiveWindow()
        dialog = KeysDialog(display if in_front else self)  # where F1 was pressed
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- the shared display ----------------------------------------------------------

    def _fill_display_menu(self) -> None:
        self.display_menu.clear()
        self.display_menu.addAction("In a window", lambda: self.show_display(None))
        app_screens = self.screen().virtualSiblings() if self.screen() else []
        for number, screen in enumerate(app_screens, start=1):
            size = screen.size()
            text = (
                f"Full screen on screen {number}: {screen.name()} ({size.width()}×{size.height()})"
            )
            self.display_menu.addAction(text, partial(self.show_display, screen))
        if self.display is not None and self.display.isVisible():
            self.display_menu.addSeparator()
            self.display_menu.addAction("Close the shared display", self.display.close)

    def show_display(self, screen: object = None) -> SharedDisplay:
        from PySide6.QtGui import QScreen

        if self.display is None:
            self.display = SharedDisplay()
            self.display.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            # Never what keeps the app open: it goes when the call's window goes.
            self.display.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
            # The timer's keys work there too: it is often the window in front.
            self.display_shortcuts = self._make_shortcuts(self.display, set(DISPLAY_KEYS))
        if isinstance(screen, QScreen):
            self.display.show_on(screen)
        else:
            self.display.resize(1280, 720)
            self.display.show()
            self.display.raise_()
        self.activateWindow()  # the keys stay with the facilitator's window
        self.refresh()
        return self.display

    # -- showing ---------------------------------------------------------------------

    def refresh(self, after_command: bool = False) -> None:
        """Read the clock, show what changed, and decide when to look again."""
        if self.timer is None or self.call is None:
            return
        now = self.ctx.clock()
        tick = self.timer.tick(now)
        self._write(tick.events)
        if not after_command:
            self._play(tick.signals)
        snap = tick.snapshot
        previous, self.snapshot = self.snapshot, snap
        if previous is not None and previous.phase is not snap.phase is Phase.FINISHED:
            # Right after the call, while nothing else is happening: a backup.
            self.ctx.services.call(backups.take, "after-call", keep=self.ctx.backups_kept)
        self._show(snap, previous)
        if self.display is not None and self.display.isVisible():
            self.display.show_snapshot(snap, self._names())
        self._schedule(snap)
        under_way = snap.phase in (Phase.RUNNING, Phase.PAUSED)
        if under_way != self._under_way:
            self._under_way = under_way
            self.under_way_changed.emit(under_way)
        self.refreshed.emit()

    def _names(self) -> dict[int, str]:
        return {p.id: p.name for p in self.call.people} if self.call else {}

    def _schedule(self, snap: Snapshot) -> None:
        if snap.phase is Phase.FINISHED:
            self.look_again.stop()
            return
        if snap.phase is not Phase.RUNNING:
            self.look_again.start(IDLE_LOOK_MS)
            return
        # Look again just after the shown second changes (and the call's elapsed second).
        remaining = snap.remaining
        to_change = (
            remaining - math.floor(remaining)
            if remaining > 0
            else math.ceil(-remaining) + remaining
        )
        elapsed = snap.call_elapsed
        to_elapsed = math.ceil(elapsed) - elapsed
        delay = min(d if d > 0.001 else 1.0 for d in (to_change, to_elapsed))
        self.look_again.start(int(delay * 1000) + 5)

    def _show(self, snap: Snapshot, previous: Snapshot | None) -> None:
        assert self.call is not None and self.timer is not None
        moved = previous is None or (
            previous.index,
            previous.phase,
            previous.minutes,
            previous.marks,
        ) != (snap.index, snap.phase, snap.minutes, snap.marks)
        if moved:
            self._show_stage(snap)
        _set_text(self.countdown, countdown_text(snap.remaining))
        paused = snap.phase is Phase.PAUSED
        color = paused_color_on_window() if paused else level_color_on_window(snap.level)
        if (
            previous is None
            or previous.level != snap.level
            or previous.phase != snap.phase
            or moved
        ):
            self.countdown.setStyleSheet(f"color: {color.name()};")
        self.paused_badge.setVisible(paused)
        self.ring.set_state(snap.progress, color)
        if snap.turn is not None:
            names = self._names()
            upcoming = ""
            if snap.turn.index + 1 < snap.turn.count:
                following = self.timer.order[snap.turn.index + 1]
                upcoming = f" · next: {names.get(following, '')}"
            _set_text(
                self.turn,
                f"Turn {snap.turn.index + 1} of {snap.turn.count}: "
                f"{names.get(snap.turn.person, '')}{upcoming}",
            )
        else:
            _set_text(self.turn, "")
        self.turn.setVisible(snap.turn is not None)
        self._show_call_line(snap)
        self._show_late(snap)
        self._show_controls(snap)

    def _add_cue_row(self, role: Role) -> None:
        row = len(self.cue_labels)
        role_label = QLabel(role.label)
        role_label.setStyleSheet("font-weight: 600;")
        cue = QLabel("")
        cue.setWordWrap(True)
        self.cues.addWidget(role_label, row, 0, Qt.AlignmentFlag.AlignTop)
        self.cues.addWidget(cue, row, 1)
        self.cue_labels[role] = (role_label, cue)

    def _show_stage(self, snap: Snapshot) -> None:
        assert self.call is not None and self.timer is not None
        rows = [
            (index, item, snap.minutes[index], snap.marks[index])
            for index, item in enumerate(self.timer.items)
        ]
        self.agenda_model.set_rows(rows)
        if snap.phase is not Phase.FINISHED:
            self.agenda.scrollTo(self.agenda_model.index(snap.index, 0))
        item = snap.item
        presenter = self.call.name_of(item.presenter)
        self.stage.setText(item.label + (f" · {presenter} presents" if presenter else ""))
        self.notes.set_stage(item.label)
        for role in item.cues:  # a protocol's own roles get a row the first time they speak
            if role not in self.cue_labels:
                self._add_cue_row(role)
        for role, (role_label, cue) in self.cue_labels.items():
            text = item.cues.get(role, "")
            cue.setText(text)
            role_label.setVisible(bool(text))
            cue.setVisible(bool(text))
        self.prompt.setText(item.prompt)
        self.prompt.setVisible(bool(item.prompt))
        stop = "hard stop: moves on at zero" if item.stop is StopKind.HARD else "soft stop"
        if snap.phase is Phase.READY:
            state = "Ready. Press Start (Space) when everyone is here."
        elif snap.phase is Phase.PAUSED:
            state = f"Paused: press {key_text('start')} or Resume to go on."
        elif snap.phase is Phase.FINISHED:
            state = "The call is finished."
        else:
            state = f"{snap.minutes[snap.index]} min planned · {stop}"
        self.state_line.setText(state)
        if snap.next_item is not None:
            upcoming = snap.next_item
            self.next_line.setText(f"Next: {upcoming.label} · {snap.minutes[snap.index + 1]} min")
        else:
            self.next_line.setText("Next: the end of the call")
        finished = snap.phase is Phase.FINISHED
        self.center.setCurrentIndex(1 if finished else 0)
        if finished:
            self.record.set_records(self.timer.record(snap.at))
        self.buttons["start"].setText(
            {Phase.READY: "Start", Phase.RUNNING: "Pause", Phase.PAUSED: "Resume"}.get(
                snap.phase, "Finished"
            )
        )
        self.buttons["start"].setToolTip(f"{self.buttons['start'].text()} ({key_text('start')})")

    def _show_call_line(self, snap: Snapshot) -> None:
        home = self.ctx.facilitator_zone
        end = snap.projected_end.astimezone(zone(home))
        if snap.phase is Phase.READY:
            text = f"Planned end {end:%H:%M} {city_of(home)}"
        elif snap.phase is Phase.FINISHED:
            text = f"Finished at {end:%H:%M} after {clock_text(snap.call_elapsed)}"
        else:
            text = (
                f"Elapsed {clock_text(snap.call_elapsed)} · {behind_text(snap.pace)} · "
                f"ends {end:%H:%M} {city_of(home)}"
            )
        _set_text(self.call_line, text)
        behind = snap.pace >= 60
        set_role(self.call_line, "warning" if behind else "")
        if self.zones.isVisible():
            self._show_zones(True)

    def _show_zones(self, on: bool) -> None:
        self.zones.setVisible(on)
        if not on or self.snapshot is None or self.call is None:
            return
        end = self.snapshot.projected_end
        lines = []
        for person in self.call.people:
            local = end.astimezone(zone(person.time_zone))
            lines.append(f"{person.name}: {local:%H:%M %a} ({city_of(person.time_zone)})")
        _set_text(self.zones, "Ends at  " + " · ".join(lines))

    def _show_late(self, snap: Snapshot) -> None:
        plan = None
        if self.timer is not None and snap.phase in (Phase.RUNNING, Phase.PAUSED):
            plan = self.timer.shortened_plan(snap.at)
        self.late.setVisible(plan is not None)
        if plan is None:
            return
        changes = [
            f"{item.label} {old}→{new}"
            for item, old, new in zip(self.timer.items, snap.minutes, plan, strict=True)  # type: ignore[union-attr]
            if old != new
        ]
        shown = ", ".join(changes[:4]) + (
            f" and {len(changes) - 4} more" if len(changes) > 4 else ""
        )
        _set_text(
            self.late_text,
            f"Running {behind_text(snap.pace)}. To end on time, shorten the later "
            f"stages that are not fixed: {shown} minutes.",
        )

    def _show_controls(self, snap: Snapshot) -> None:
        assert self.timer is not None
        running = snap.phase in (Phase.RUNNING, Phase.PAUSED)
        for name in ("next", "skip", "restart", "minus5", "minus1", "plus1", "plus5"):
            self.buttons[name].setEnabled(running)
        self.buttons["back"].setEnabled(self.timer.can(Action.BACK))
        self.buttons["start"].setEnabled(snap.phase is not Phase.FINISHED)

    def _mark_color(self, row: tuple[int, AgendaItem, int, Mark]) -> QColor | None:
        mark = row[3]
        if mark is Mark.CURRENT:
            return Colors.TEXT.color()
        if mark in (Mark.DONE, Mark.SKIPPED):
            return Colors.MUTED_TEXT.color()
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            width = self.split.width()
            self.split.setSizes([int(width * 0.2), int(width * 0.5), int(width * 0.3)])

    # -- closing ---------------------------------------------------------------------

    @property
    def under_way(self) -> bool:
        """Started and not finished: running, or paused."""
        return self.timer is not None and self.timer.phase in (Phase.RUNNING, Phase.PAUSED)

    @property
    def running(self) -> bool:
        return self.timer is not None and self.timer.phase is Phase.RUNNING

    def status_badge(self) -> LiveBadge:
        """A small button for the main window's status bar, shown while this call is under
        way: it says so, and brings this window back (it may be running in the background)."""
        return LiveBadge(self)

    def ask_to_quit(self, then: Callable[[], object]) -> bool:
        """The app is quitting. True: close this window now. False: a running call asks
        first (pause it, or let the timer keep time while the app is closed, or cancel),
        and ``then`` runs after an answer that lets the app go."""
        if not self.running or self._may_close:
            return True
        self.bring_forward()
        self.ask_how_to_leave(quitting=True, then=then)
        return False

    def ask_how_to_leave(
        self, *, quitting: bool = False, then: Callable[[], object] | None = None
    ) -> QMessageBox:
        """Closing while the call runs: pause it, keep it running, or cancel."""
        if self.leave_box is not None and Shiboken.isValid(self.leave_box):
            self.leave_box.close()
        snap = self.snapshot
        where = ""
        if snap is not None:
            where = f" ({countdown_text(snap.remaining)} left in {snap.item.label})"
        label = self.call.call.label if self.call else "The call"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "The call is still running",
            f"{label} is still running{where}.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        pause = box.addButton(
            "Pause and quit" if quitting else "Pause and close", QMessageBox.ButtonRole.AcceptRole
        )
        keep = box.addButton(
            "Quit, the timer keeps time" if quitting else "Keep it running",
            QMessageBox.ButtonRole.ActionRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(pause)
        if quitting:
            box.setInformativeText(
                "Paused, it waits for you. Left running, the timer keeps time while the app is "
                "closed, and the call picks up where the clock has got to when you open it "
                "again. The shared display closes with the app."
            )
        else:
            box.setInformativeText(
                "Paused, it waits for you; the shared display closes. Kept running, the timer "
                "goes on in the background and the shared display stays up for the group; "
                "the call's button in the main window's status bar, or Run live on the Calls "
                "tab, brings this window back."
            )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is pause:
                if self.running:
                    self.do(Action.PAUSE)
                self._leave(then)
            elif clicked is keep:
                if quitting or not _another_main_window(self):
                    self._leave(then)  # nothing to come back to: the timer keeps time
                else:
                    self.hide()  # the display and the timer carry on

        box.finished.connect(answered)
        self.leave_box = box
        box.open()
        return box

    def _leave(self, then: Callable[[], object] | None) -> None:
        self._may_close = True
        self.close()
        if then is not None:
            then()

    def _close_now(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running and not self._may_close:
            event.ignore()
            self.bring_forward()
            self.ask_how_to_leave()
            return
        if self.notes.busy():
            # The last words are still being written: close once they are in the store.
            event.ignore()
            self.notes.save_now(then=self._close_now)
            return
        self.look_again.stop()
        if self.display is not None:
            self.display.close()
        self.closed.emit(self.call_id)
        super().closeEvent(event)


class LiveBadge(QPushButton):
    """The main window's sign of a call under way; a click brings its window back."""

    def __init__(self, window: LiveWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clicked.connect(window.bring_forward)
        window.refreshed.connect(self.update_text)
        window.closed.connect(self._window_closed)
        self.update_text()

    def _window_closed(self, _call_id: int) -> None:
        self.deleteLater()

    def update_text(self) -> None:
        if not Shiboken.isValid(self) or not Shiboken.isValid(self.window_):
            return
        window = self.window_
        snap = window.snapshot
        label = window.call.call.label if window.call else "A call"
        if snap is None or not window.under_way:
            self.hide()
            return
        if snap.phase is Phase.PAUSED:
            text = f"⏸ {label} is paused"
            said = f"{label} is paused in {snap.item.label}"
        else:
            text = f"● {label} is running · {countdown_text(snap.remaining)}"
            said = f"{label} is running: {countdown_text(snap.remaining)} left in {snap.item.label}"
        if self.text() != text:
            self.setText(text)
            self.setToolTip(f"{said}. Click to bring the live call's window back.")
            self.setAccessibleName(said)
        self.show()


def resumed_text(timer: LiveTimer, home: str) -> str:
    """What the live window says on opening a call already under way: true to the log."""
    if timer.phase is Phase.RUNNING:
        return "Resumed: the timer kept running while this window was closed."
    if timer.phase is Phase.PAUSED:
        paused = next((e.at for e in reversed(timer.events) if e.action is Action.PAUSE), None)
        since = f" since {paused.astimezone(zone(home)):%H:%M}" if paused else ""
        return f"Paused{since}: press {key_text('start')} or Resume to go on."
    return ""


def _another_main_window(window: QWidget) -> bool:
    """Is there a main window to come back to (not quitting, not only this one)?"""
    return any(
        isinstance(other, QMainWindow) and other is not window and other.isVisible()
        for other in QApplication.topLevelWidgets()
    )


def _current_background(row: tuple[int, AgendaItem, int, Mark]) -> QColor | None:
    return Colors.ACCENT_SOFT.color() if row[3] is Mark.CURRENT else None


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)
