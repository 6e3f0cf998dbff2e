"""Create, edit and duplicate a cohort."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import CohortDraft, WakingHours
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import cohorts
from sanctuary_desktop.services.views import CohortView
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.record_dialog import RecordDialog
from sanctuary_desktop.ui.widgets import (
    FieldForm,
    ZonePicker,
    reload_button,
    to_date,
    to_qdate,
    to_time,
)


def video_link_edit(placeholder: str) -> QLineEdit:
    """A one-line field for a video-call link (the cohort's, or a call's own)."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    # A little over the limit, so a link too long is refused by name, not cut silently.
    edit.setMaxLength(limits.MAX_LINK + 1)
    edit.setClearButtonEnabled(True)
    edit.setAccessibleName("Video link")
    return edit


def date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


class CohortDialog(RecordDialog):
    """New cohort when `cohort` is None, otherwise edit it. Emits `saved` with the view."""

    def __init__(
        self, ctx: AppContext, cohort: CohortView | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort = cohort
        self.setWindowTitle("Edit cohort" if cohort else "New cohort")
        self.setMinimumWidth(560)
        today = ctx.clock().date()

        self.form = FieldForm()
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Women leading on climate — spring 2027")
        self.focus = QLineEdit()
        self.focus.setPlaceholderText("Who it is for and what it is about")
        self.facilitators = QLineEdit()
        self.facilitators.setPlaceholderText("Names, separated by commas")
        self.video_link = video_link_edit(
            "https://… a Zoom, Teams, Meet, Jitsi or Whereby link, for every call"
        )
        self.zone = ZonePicker()
        self.zone.set_zone_name(ctx.facilitator_zone)
        self.start = date_edit(today)
        self.end = date_edit(today + timedelta(days=210))
        self.minutes = QSpinBox()
        self.minutes.setRange(-1, limits.MAX_CALL_MINUTES)
        self.minutes.setSuffix(" minutes")
        self.minutes.setSingleStep(15)
        self.minutes.setValue(90)
        hours = WakingHours()
        self.day_start = QTimeEdit(QTime(hours.start.hour, hours.start.minute))
        self.day_end = QTimeEdit(QTime(hours.end.hour, hours.end.minute))
        for edit in (self.day_start, self.day_end):
            edit.setDisplayFormat("HH:mm")
        self.day_start.setAccessibleName("Earliest reasonable local time")
        self.day_end.setAccessibleName("Latest reasonable local time")
        hours_row = QWidget()
        hours_layout = QHBoxLayout(hours_row)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(QLabel("from"))
        hours_layout.addWidget(self.day_start)
        hours_layout.addWidget(QLabel("to"))
        hours_layout.addWidget(self.day_end)
        hours_layout.addWidget(QLabel("in each participant's own time"))
        hours_layout.addStretch(1)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)

        self.form.add_row("Name", self.name)
        self.form.add_row("Focus", self.focus)
        self.form.add_row("Facilitators", self.facilitators)
        self.form.add_row("Video link", self.video_link)
        self.form.add_row("Home time zone", self.zone)
        self.form.add_row("Start date", self.start)
        self.form.add_row("End date", self.end)
        self.form.add_row("Call length", self.minutes)
        self.form.add_row("Reasonable hours", hours_row)
        self.form.add_row("Notes", self.notes)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Create cohort" if cohort is None else "Save")
        self.reload_button = reload_button(buttons, self.reload)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        if cohort is not None:
            self.fill(cohort)

    def fill(self, cohort: CohortView) -> None:
        """Show a cohort's stored values: when the dialog opens, and on Reload."""
        self.cohort = cohort
        draft = cohort.draft()
        self.name.setText(draft.name)
        self.focus.setText(draft.focus)
        self.facilitators.setText(draft.facilitators)
        self.video_link.setText(draft.video_link)
        self.video_link.setCursorPosition(0)
        self.zone.set_zone_name(draft.home_tz)
        self.start.setDate(to_qdate(draft.start_date))
        self.end.setDate(to_qdate(draft.end_date))
        self.minutes.setValue(draft.call_minutes)
        hours = draft.waking_hours
        self.day_start.setTime(QTime(hours.start.hour, hours.start.minute))
        self.day_end.setTime(QTime(hours.end.hour, hours.end.minute))
        self.notes.setPlainText(draft.notes)

    def record(self) -> CohortView | None:
        return self.cohort

    def read_again(self) -> Callable[..., Any]:
        return cohorts.get_cohort

    def draft(self) -> CohortDraft:
        return CohortDraft(
            name=self.name.text(),
            focus=self.focus.text(),
            facilitators=self.facilitators.text(),
            home_tz=self.zone.zone_name(),
            start_date=to_date(self.start.date()),
            end_date=to_date(self.end.date()),
            call_minutes=self.minutes.value(),
            notes=self.notes.toPlainText(),
            waking_hours=WakingHours(to_time(self.day_start.time()), to_time(self.day_end.time())),
            video_link=self.video_link.text(),
            read_at=self.cohort.updated_at if self.cohort else None,
        )

    def submit(self) -> None:
        self.form.clear_errors()
        try:
            draft = self.draft().validated()
        except ValidationError as error:
            self.form.show_errors(error)
            return
        if self.cohort is None:
            self.save_with(cohorts.create_cohort, draft)
        else:
            self.save_with(cohorts.update_cohort, self.cohort.id, draft)


class DuplicateDialog(QDialog):
    """A new intake: the same settings, new dates, no people."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, source: CohortView, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.setWindowTitle("Duplicate as a new intake")
        span = source.end_date - source.start_date
        start = max(source.end_date + timedelta(days=30), ctx.clock().date())
        self.form = FieldForm()
        intro = QLabel(
            f"Copies the settings of <b>{source.name}</b> (focus, facilitators, time zone, "
            "call length, reasonable hours, video link). People and calls are not copied."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(f"{source.name} (new intake)")
        self.start = date_edit(start)
        self.end = date_edit(start + span)
        self.form.add_row("Name", self.name)
        self.form.add_row("Start date", self.start)
        self.form.add_row("End date", self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create new intake")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def submit(self) -> None:
        self.form.clear_errors()
        self.ctx.services.call(
            cohorts.duplicate_as_new_intake,
            self.source.id,
            name=self.name.text(),
            start_date=to_date(self.start.date()),
            end_date=to_date(self.end.date()),
            then=self._done,
            failed=self.form.show_errors,
        )

    def _done(self, view: CohortView) -> None:
        self.saved.emit(view)
        self.accept()
