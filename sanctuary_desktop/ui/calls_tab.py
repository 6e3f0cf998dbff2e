"""The Calls tab: a cohort's calls, everyone's local time for each, and calendar export."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import (
    MAX_CALLS,
    WEEKDAY_NAMES,
    Cadence,
    CadenceKind,
    describe,
    generate_starts,
    local_to_utc,
)
from sanctuary_desktop.domain.timeplan import Band, LocalSlot, local_slots
from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.export.files import safe_file_name
from sanctuary_desktop.services import calls
from sanctuary_desktop.services.views import CallView, CohortPlan
from sanctuary_desktop.ui.cohort_dialogs import video_link_edit
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.pdf_export import open_session_notes
from sanctuary_desktop.ui.record_dialog import RecordDialog
from sanctuary_desktop.ui.tables import ROW_ROLE, Column, RowsModel, table_view
from sanctuary_desktop.ui.theme import Colors
from sanctuary_desktop.ui.widgets import (
    FieldForm,
    ask_to_confirm,
    count_of,
    reload_button,
    to_date,
    to_qdate,
    to_time,
)

BAND_COLORS = {
    Band.GOOD: Colors.BAND_GOOD,
    Band.EDGE: Colors.BAND_EDGE,
    Band.NIGHT: Colors.BAND_NIGHT,
}
WEEK_CHOICES = (("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("last", -1))


class SeriesDialog(QDialog):
    """Generate calls from a cadence, previewing the dates before anything is written."""

    def __init__(self, ctx: AppContext, plan: CohortPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        cohort = plan.cohort
        self.setWindowTitle("Generate a series of calls")
        self.setMinimumWidth(560)
        self.form = FieldForm()
        self.kind = QComboBox()
        self.kind.addItem("Monthly, on a weekday", CadenceKind.MONTHLY_WEEKDAY)
        self.kind.addItem("Weekly", CadenceKind.WEEKLY)
        self.kind.addItem("Every few weeks", CadenceKind.EVERY_N_WEEKS)
        self.week = QComboBox()
        for label, value in WEEK_CHOICES:
            self.week.addItem(label, value)
        self.week.setAccessibleName("Week of the month")
        self.weekday = QComboBox()
        for i, name in enumerate(WEEKDAY_NAMES):
            self.weekday.addItem(name, i)
        self.weekday.setCurrentIndex(3)
        self.weekday.setAccessibleName("Weekday")
        self.every = QSpinBox()
        self.every.setRange(1, 52)
        self.every.setValue(2)
        self.every.setPrefix("every ")
        self.every.setSuffix(" weeks")
        self.every.setAccessibleName("Every N weeks")
        day_row = QWidget()
        day_layout = QHBoxLayout(day_row)
        day_layout.setContentsMargins(0, 0, 0, 0)
        self.the = QLabel("the")
        for widget in (self.the, self.week, self.weekday, self.every):
            day_layout.addWidget(widget)
        day_layout.addStretch(1)
        self.start_time = QTimeEdit(QTime(9, 0))
        self.start_time.setDisplayFormat("HH:mm")
        self.today = ctx.clock().astimezone(zone(cohort.home_tz)).date()
        self.first = QDateEdit(to_qdate(max(cohort.start_date, self.today)))
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("ddd d MMM yyyy")
        self.by_count = QRadioButton("this many calls:")
        self.count = QSpinBox()
        self.count.setRange(0, MAX_CALLS)
        self.count.setValue(7)
        self.by_until = QRadioButton("until the cohort ends")
        self.by_count.setChecked(True)
        repeat = QWidget()
        repeat_layout = QHBoxLayout(repeat)
        repeat_layout.setContentsMargins(0, 0, 0, 0)
        repeat_layout.addWidget(self.by_count)
        repeat_layout.addWidget(self.count)
        repeat_layout.addWidget(self.by_until)
        repeat_layout.addStretch(1)
        self.count.setAccessibleName("Number of calls")
        self.replace = QComboBox()
        self.replace.addItem("Keep the calls already planned", False)
        self.replace.addItem("Replace upcoming calls", True)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setProperty("role", "muted")
        self.preview.setMinimumHeight(120)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.form.add_row("Repeats", self.kind)
        self.form.add_row("Weekday", day_row, "On", also=("Week of month", "Every N weeks"))
        self.form.add_row("Time", self.start_time, f"Start time ({city_of(cohort.home_tz)})")
        self.form.add_row("First date", self.first, "From")
        self.form.add_row("Repeat", repeat, "Ends after", also=("Count", "Until"))
        self.form.add_row("Existing calls", self.replace)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add these calls")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        for signal in (
            self.kind.currentIndexChanged,
            self.week.currentIndexChanged,
            self.weekday.currentIndexChanged,
            self.every.valueChanged,
            self.start_time.timeChanged,
            self.first.dateChanged,
            self.count.valueChanged,
            self.by_count.toggled,
        ):
            signal.connect(self.update_preview)
        self.update_preview()

    def cadence(self) -> Cadence:
        kind = CadenceKind(self.kind.currentData())
        return Cadence(
            kind=kind,
            first_date=to_date(self.first.date()),
            local_time=to_time(self.start_time.time()),
            zone=self.plan.cohort.home_tz,
            count=self.count.value() if self.by_count.isChecked() else None,
            until=None if self.by_count.isChecked() else self.plan.cohort.end_date,
            weekday=int(self.weekday.currentData()),
            week_of_month=int(self.week.currentData()),
            interval_weeks=self.every.value() if kind is CadenceKind.EVERY_N_WEEKS else 1,
            # From today on, a call whose time has passed today is not part of the series;
            # a date picked in the past is taken as meant (the preview says so).
            not_before=self.ctx.clock() if to_date(self.first.date()) >= self.today else None,
        )

    def update_preview(self) -> None:
        kind = CadenceKind(self.kind.currentData())
        self.week.setVisible(kind is CadenceKind.MONTHLY_WEEKDAY)
        self.the.setVisible(kind is CadenceKind.MONTHLY_WEEKDAY)
        self.every.setVisible(kind is CadenceKind.EVERY_N_WEEKS)
        self.count.setEnabled(self.by_count.isChecked())
        self.form.clear_errors()
        try:
            cadence = self.cadence()
            starts = generate_starts(cadence)
        except ValidationError as error:
            self.form.show_errors(error)
            self.preview.setText("")
            self.ok.setEnabled(False)
            return
        home = zone(self.plan.cohort.home_tz)
        shown = [f"{s.astimezone(home):%a %d %b %Y, %H:%M}" for s in starts[:8]]
        more = f"\n… and {len(starts) - 8} more" if len(starts) > 8 else ""
        past = sum(1 for s in starts if s < self.ctx.clock())
        warning = (
            f"<p style='color:{Colors.ERROR.css()}'>"
            + ("The first call is" if past == 1 else f"The first {past} calls are")
            + " already past and will be counted as held. "
            + "Pick a later first date to plan only calls still to come.</p>"
            if past
            else ""
        )
        self.preview.setText(
            warning
            + html.escape(f"{describe(cadence)}:").replace("\n", "<br>")
            + "<br>"
            + "<br>".join(html.escape(line) for line in shown)
            + html.escape(more).replace("\n", "<br>")
        )
        self.ok.setEnabled(True)

    def submit(self) -> None:
        try:
            cadence = self.cadence()
        except ValidationError as error:
            self.form.show_errors(error)
            return
        self.ok.setEnabled(False)
        self.ctx.services.call(
            calls.generate_series,
            self.plan.cohort.id,
            cadence,
            replace_planned=bool(self.replace.currentData()),
            then=lambda _views: self.accept(),
            failed=self._failed,
        )

    def _failed(self, error: ValidationError) -> None:
        self.ok.setEnabled(True)
        self.form.show_errors(error)


class CallDialog(RecordDialog):
    """Add one call, or move and re-time an existing one."""

    def __init__(
        self,
        ctx: AppContext,
        plan: CohortPlan,
        call: CallView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.call = call
        home_name = plan.cohort.home_tz
        home = zone(home_name)
        self.setWindowTitle(f"Move {call.label}" if call else "Add a call")
        self.form = FieldForm()
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH:mm")
        self.minutes = QSpinBox()
        self.minutes.setRange(-1, limits.MAX_CALL_MINUTES)
        self.minutes.setSingleStep(15)
        self.minutes.setSuffix(" minutes")
        self.title = QLineEdit()
        self.title.setPlaceholderText("Leave empty for “Call N of M”")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Only for you")
        cohort_link = plan.cohort.video_link
        self.video_link = video_link_edit(
            f"Leave empty for the cohort's: {cohort_link}"
            if cohort_link
            else "https://… this call's own Zoom, Teams, Meet, Jitsi or Whereby link"
        )
        self.video_link.setMinimumWidth(380)  # room to read a link before saving it
        self.video_link.setToolTip(
            "A link for this call only; empty, the call uses the cohort's link"
            + (f" ({cohort_link})" if cohort_link else " (the cohort has none yet)")
        )
        self.form.add_row("Date", self.day)
        self.form.add_row("Start", self.start, f"Start ({city_of(home_name)})")
        self.form.add_row("Length", self.minutes)
        self.form.add_row("Title", self.title)
        self.form.add_row("Video link", self.video_link)
        self.form.add_row("Notes", self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save" if call else "Add call")
        self.reload_button = reload_button(buttons, self.reload)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        if call is not None:
            self.fill(call)
        else:
            day = ctx.clock().astimezone(home).date() + timedelta(days=7)
            local = datetime.combine(day, time(9, 0), home)
            self.day.setDate(to_qdate(local.date()))
            self.start.setTime(QTime(local.hour, local.minute))
            self.minutes.setValue(plan.cohort.call_minutes)

    def fill(self, call: CallView) -> None:
        """Show a call's stored values: when the dialog opens, and on Reload."""
        self.call = call
        local = call.starts_at.astimezone(zone(self.plan.cohort.home_tz))
        self.day.setDate(to_qdate(local.date()))
        self.start.setTime(QTime(local.hour, local.minute))
        self.minutes.setValue(call.minutes)
        self.title.setText(call.title)
        self.video_link.setText(call.video_link)
        self.video_link.setCursorPosition(0)
        self.notes.setPlainText(call.notes)

    def record(self) -> CallView | None:
        return self.call

    def read_again(self) -> Callable[..., Any]:
        return calls.get_call

    def starts_at(self) -> datetime:
        return local_to_utc(
            to_date(self.day.date()),
            to_time(self.start.time()),
            self.plan.cohort.home_tz,
        )

    def submit(self) -> None:
        texts = {
            "title": self.title.text(),
            "notes": self.notes.toPlainText(),
            "video_link": self.video_link.text(),
        }
        if self.call is None:
            self.save_with(
                calls.add_call, self.plan.cohort.id, self.starts_at(), self.minutes.value(), **texts
            )
        else:
            self.save_with(
                calls.update_call,
                self.call.id,
                starts_at=self.starts_at(),
                minutes=self.minutes.value(),
                read_at=self.call.updated_at,
                **texts,
            )


class CallsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: CohortPlan | None = None
        self.dialog: QWidget | None = None
        self.slots: dict[int, list[LocalSlot]] = {}
        self.model: RowsModel[CallView] = RowsModel(self._columns())
        self.table = table_view()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Calls")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        # Only `activated`: it comes with a double-click (or a single click, where the
        # platform says so) and with Enter. Connecting doubleClicked as well opened two
        # dialogs for one double-click.
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.editing: dict[int, CallDialog] = {}  # call id -> its open dialog
        self.select_when_loaded: int | None = None  # a call just added

        self.slot_model: RowsModel[LocalSlot] = RowsModel(
            [
                Column("Participant", lambda s: s.person.name),
                Column("Where", lambda s: s.person.city),
                Column(
                    "Their time",
                    lambda s: f"{s.label}–{s.end:%H:%M}",
                    background=lambda s: BAND_COLORS[s.band].color(),
                ),
                Column(
                    "",
                    lambda s: ", ".join(
                        part
                        for part in (
                            s.day_note,
                            ("early" if s.early else "late") if s.out_of_hours else "",
                        )
                        if part
                    ),
                    foreground=lambda _s: Colors.WARNING.color(),
                ),
            ]
        )
        self.slot_table = table_view()
        self.slot_table.setModel(self.slot_model)
        self.slot_table.setAccessibleName("Local times of the selected call")
        self.slot_table.verticalHeader().hide()
        self.slot_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.slot_table.horizontalHeader().setStretchLastSection(True)
        self.slot_title = QLabel("Select a call to see everyone's local time")
        self.slot_title.setProperty("role", "section")
        self.slot_title.setWordWrap(True)

        self.generate_button = QPushButton("Generate series…")
        self.generate_button.setProperty("role", "primary")
        self.generate_button.clicked.connect(self.generate)
        self.add_button = QPushButton("Add call…")
        self.add_button.clicked.connect(self.add)
        self.live_button = QPushButton("Run live…")
        self.live_button.setProperty("role", "primary")
        self.live_button.setToolTip("Open the call's timer, shared display and notes")
        self.live_button.clicked.connect(self.run_live)
        self.notes_button = QPushButton("Session notes (PDF)…")
        self.notes_button.setToolTip("Notes of the selected call to share back with the cohort")
        self.notes_button.clicked.connect(self.export_notes)
        self.move_button = QPushButton("Move…")
        self.move_button.clicked.connect(self.edit_selected)
        self.cancel_button = QPushButton("Cancel call")
        self.cancel_button.clicked.connect(self.toggle_cancel)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton("Export to calendar…")
        self.export_button.setToolTip(
            "Save an .ics file that Google Calendar, Outlook and Apple Calendar import"
        )
        export_menu = QMenu(self.export_button)
        export_menu.addAction("All calls of this cohort…").triggered.connect(
            lambda: self.export_ics(only_selected=False)
        )
        self.export_selected_action = export_menu.addAction("Only the selected call…")
        self.export_selected_action.triggered.connect(lambda: self.export_ics(only_selected=True))
        self.export_button.setMenu(export_menu)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.message = QLabel()
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for button in (self.export_button, self.add_button, self.generate_button):
            bar.addWidget(button)
        selection_bar = QHBoxLayout()
        for button in (
            self.live_button,
            self.notes_button,
            self.move_button,
            self.cancel_button,
            self.delete_button,
        ):
            selection_bar.addWidget(button)
        selection_bar.addStretch(1)
        calls_side = QWidget()
        calls_layout = QVBoxLayout(calls_side)
        calls_layout.setContentsMargins(0, 0, 0, 0)
        calls_layout.addWidget(self.table, 1)
        calls_layout.addLayout(selection_bar)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        self.side_layout = side_layout
        side_layout.addWidget(self.slot_title)
        side_layout.addWidget(self.slot_table, 1)
        self.empty = QLabel(
            "No calls yet. Use “Generate series…” to plan them all at once — for example "
            "the first Thursday of each month at 9:00 — or add single calls."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        splitter = QSplitter()
        splitter.addWidget(calls_side)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        # Side by side when both tables fit in full, else the local times go below the
        # calls (at 1280x800 side by side would hide everyone's "Their time").
        self.splitter = splitter
        self.body = QStackedWidget()
        self.body.addWidget(self.empty)
        self.body.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.body, 1)
        self.message.hide()
        self._update_buttons()

    @staticmethod
    def _full_width(table: QTableView) -> int:
        """The width a table needs to show every column whole."""
        header = table.horizontalHeader()
        columns = sum(
            max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
            for c in range(header.count())
        )
        scroll = table.verticalScrollBar().sizeHint().width()
        return columns + 2 * table.frameWidth() + scroll + 4

    def _arrange(self) -> None:
        calls_width = self._full_width(self.table)
        side_width = max(self._full_width(self.slot_table), 320)
        handle = self.splitter.handleWidth() + 8
        wide = self.width() >= calls_width + side_width + handle
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            self.side_layout.setContentsMargins(*((8, 0, 0, 0) if wide else (0, 8, 0, 0)))
        if wide:
            self.splitter.setSizes([calls_width, max(self.width() - calls_width - handle, 1)])
        else:
            rows = self.model.rowCount()
            row_height = self.table.verticalHeader().defaultSectionSize()
            calls_height = min(
                max(rows, 3) * row_height
                + self.table.horizontalHeader().height()
                + 2 * self.table.frameWidth()
                + 50,  # the buttons under the table
                self.height() // 2,
            )
            self.splitter.setSizes([calls_height, max(self.height() - calls_height, 1)])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    # -- columns and data ----------------------------------------------------------------

    def _columns(self) -> list[Column[CallView]]:
        def mine(call: CallView) -> datetime:
            return call.starts_at.astimezone(zone(self.ctx.facilitator_zone))

        def out_count(call: CallView) -> str:
            slots = self.slots.get(call.id, [])
            n = sum(1 for s in slots if s.out_of_hours)
            if call.cancelled or not slots:
                return ""
            return "everyone in hours" if n == 0 else f"{n} out of hours"

        def out_names(call: CallView) -> str:
            return ", ".join(
                f"{s.person.name} ({s.label})"
                for s in self.slots.get(call.id, [])
                if s.out_of_hours
            )

        def muted(call: CallView) -> QColor | None:
            return (
                Colors.MUTED_TEXT.color()
                if call.cancelled or call.is_held(self.ctx.clock())
                else None
            )

        return [
            Column("Call", lambda c: c.label, foreground=muted, tooltip=lambda c: c.notes),
            Column("Date", lambda c: f"{mine(c):%a %d %b %Y}", foreground=muted),
            Column(
                "Your time",
                lambda c: f"{mine(c):%H:%M}–{mine(c) + timedelta(minutes=c.minutes):%H:%M}",
                tooltip=lambda c: (
                    f"{c.minutes} minutes; in the cohort's home zone "
                    f"{c.starts_at.astimezone(zone(c.cohort_tz)):%a %H:%M} ({c.cohort_tz})"
                ),
                foreground=muted,
            ),
            Column(
                "Time zones",
                lambda c: "cancelled" if c.cancelled else out_count(c),
                tooltip=out_names,
                foreground=lambda c: (
                    Colors.WARNING.color() if out_names(c) and not c.cancelled else muted(c)
                ),
            ),
        ]

    def set_plan(self, plan: CohortPlan) -> None:
        selected = self.selected()
        self.plan = plan
        cohort = plan.cohort
        people = plan.people
        self.slots = {
            c.id: local_slots(c.starts_at, c.minutes, people, cohort.waking_hours, cohort.home_tz)
            for c in plan.calls
        }
        self.model.set_rows(plan.calls)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        now = self.ctx.clock()
        held = sum(1 for c in plan.calls if c.is_held(now))
        planned = sum(1 for c in plan.calls if not c.cancelled)
        self.summary.setText(
            f"{count_of(planned, 'call')}, {held} held · "
            f"times in {city_of(self.ctx.facilitator_zone)}"
        )
        self.body.setCurrentIndex(1 if plan.calls else 0)
        self._arrange()
        wanted = self.select_when_loaded
        if wanted is not None and any(c.id == wanted for c in plan.calls):
            self.select_when_loaded = None
            self.select_call(wanted)
        elif selected is not None:
            self.select_call(selected.id)
        elif plan.calls:
            upcoming = [c for c in plan.calls if not c.cancelled and not c.is_held(now)]
            self.select_call((upcoming or list(plan.calls))[0].id)
        self._selection_changed()

    def selected(self) -> CallView | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def run_live(self) -> None:
        call = self.selected()
        if call is not None and not call.cancelled:
            self.ctx.events.run_live.emit(call.id)

    def export_notes(self) -> None:
        call = self.selected()
        if call is not None and self.plan is not None:
            open_session_notes(self.ctx, self, call.id, self.plan.cohort.name, call.label)

    def select_call(self, call_id: int) -> None:
        for row, call in enumerate(self.model.rows):
            if call.id == call_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def _selection_changed(self) -> None:
        call = self.selected()
        if call is None or self.plan is None:
            self.slot_model.set_rows([])
            self.slot_title.setText("Select a call to see everyone's local time")
        else:
            mine = call.starts_at.astimezone(zone(self.ctx.facilitator_zone))
            self.slot_title.setText(f"{call.label}: {mine:%A %d %B, %H:%M} for you")
            self.slot_model.set_rows(self.slots.get(call.id, []))
            self.slot_table.resizeColumnsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        call = self.selected()
        for button in (self.move_button, self.cancel_button, self.delete_button):
            button.setEnabled(call is not None)
        self.live_button.setEnabled(call is not None and not call.cancelled)
        self.notes_button.setEnabled(call is not None and not call.cancelled)
        self.cancel_button.setText("Restore call" if call and call.cancelled else "Cancel call")
        self.export_selected_action.setEnabled(call is not None)
        for button in (self.generate_button, self.add_button):
            button.setEnabled(self.plan is not None)
        self.export_button.setEnabled(bool(self.plan and self.plan.calls))

    def show_message(self, text: str, *, error: bool = False) -> None:
        color = (Colors.ERROR if error else Colors.SUCCESS).css()
        self.message.setText(f"<span style='color:{color}'>{text}</span>")
        self.message.show()

    # -- actions -------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def generate(self) -> None:
        if self.plan is not None:
            self._open(SeriesDialog(self.ctx, self.plan, self))

    def add(self) -> None:
        if self.plan is not None:
            dialog = CallDialog(self.ctx, self.plan, None, self)
            dialog.saved.connect(self._added)
            self._open(dialog)

    def _added(self, view: CallView) -> None:
        # The list is reloaded after the save: select the new call when it arrives.
        self.select_when_loaded = view.id
        self.select_call(view.id)

    def edit_selected(self) -> None:
        call = self.selected()
        if self.plan is None or call is None:
            return
        open_already = self.editing.get(call.id)
        if open_already is not None:
            # One dialog per call: a second one would save over the first's changes.
            open_already.raise_()
            open_already.activateWindow()
            return
        dialog = CallDialog(self.ctx, self.plan, call, self)
        self.editing[call.id] = dialog
        dialog.finished.connect(lambda _result, key=call.id: self.editing.pop(key, None))
        self._open(dialog)

    def toggle_cancel(self) -> None:
        call = self.selected()
        if call is not None:
            self.ctx.services.call(
                calls.set_cancelled,
                call.id,
                not call.cancelled,
                failed=lambda error: self.show_message(str(error), error=True),
            )

    def delete_selected(self) -> None:
        call = self.selected()
        if call is None:
            return
        self.dialog = ask_to_confirm(
            self,
            "Delete call",
            f"Delete {call.label} with its attendance and notes?",
            "Delete call",
            lambda: self.ctx.services.call(calls.delete_call, call.id),
            details="To keep a record that it did not happen, cancel it instead.",
        )

    def export_ics(self, *, only_selected: bool) -> None:
        call = self.selected() if only_selected else None
        if self.plan is None or (only_selected and call is None):
            return
        suggested = Path.home() / safe_file_name(
            self.plan.cohort.name, call.label if call else "calls", suffix=".ics", fallback="calls"
        )
        dialog = QFileDialog(self, "Export calls to a calendar file", str(suggested))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("Calendar files (*.ics)")
        dialog.setDefaultSuffix("ics")
        dialog.fileSelected.connect(
            lambda path: self.write_ics(Path(path), call.id if call else None)
        )
        self._open(dialog)

    def write_ics(self, path: Path, call_id: int | None = None) -> None:
        if self.plan is None:
            return
        from sanctuary_desktop.services import calendar_export  # loads icalendar on first use

        self.ctx.services.call(
            calendar_export.write_cohort_calendar,
            self.plan.cohort.id,
            path,
            call_id=call_id,
            then=lambda count: self.show_message(
                f"Saved {count} call{'s' if count != 1 else ''} to {path}. Open it with your "
                "calendar (Google Calendar, Outlook or Apple Calendar) or send it to the cohort."
            ),
            failed=lambda error: self.show_message(str(error), error=True),
        )
