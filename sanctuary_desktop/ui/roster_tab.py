"""The Roster tab: participants, their intake, and importing a roster from CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.roster_csv import RosterPreview, RosterRow, read_roster_csv
from sanctuary_desktop.domain.zones import city_of
from sanctuary_desktop.services import participant_edits, roster
from sanctuary_desktop.services.views import CohortPlan, ParticipantView
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.record_dialog import RecordDialog
from sanctuary_desktop.ui.tables import ROW_ROLE, SORT_ROLE, Column, RowsModel, table_view
from sanctuary_desktop.ui.theme import Colors, Pair
from sanctuary_desktop.ui.widgets import (
    FieldForm,
    ZonePicker,
    ask_to_confirm,
    reload_button,
    to_date,
    to_qdate,
)

STATUS_COLORS: dict[IntakeStatus, Pair | None] = {
    IntakeStatus.ACCEPTED: None,
    IntakeStatus.APPLIED: Colors.STATUS_APPLIED,
    IntakeStatus.INTERVIEWED: Colors.STATUS_INTERVIEWED,
    IntakeStatus.DECLINED: Colors.MUTED_TEXT,
    IntakeStatus.WITHDRAWN: Colors.MUTED_TEXT,
}


def status_color(status: IntakeStatus) -> QColor | None:
    """A status's colour in the scheme in force (None: the table's text)."""
    pair = STATUS_COLORS[status]
    return pair.color() if pair is not None else None


def _years(p: ParticipantView) -> str:
    return "" if p.years_in_practice is None else str(p.years_in_practice)


ROSTER_COLUMNS: list[Column[ParticipantView]] = [
    Column("Name", lambda p: p.name),
    Column("Organisation", lambda p: p.organisation),
    Column("Email", lambda p: p.email),
    Column("Time zone", lambda p: f"{city_of(p.time_zone)}", tooltip=lambda p: p.time_zone),
    Column("Years", _years, sort_key=lambda p: p.years_in_practice or -1, align_right=True),
    Column(
        "Status",
        lambda p: p.status.label,
        foreground=lambda p: status_color(p.status),
        sort_key=lambda p: list(IntakeStatus).index(p.status),
    ),
    Column(
        "Interviewed",
        lambda p: f"{p.interview_date:%d %b %Y}" if p.interview_date else "",
        sort_key=lambda p: p.interview_date or date.min,
    ),
]


class ParticipantDialog(RecordDialog):
    def __init__(
        self,
        ctx: AppContext,
        cohort_id: int,
        default_zone: str,
        participant: ParticipantView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.participant = participant
        self.setWindowTitle("Edit participant" if participant else "Add participant")
        self.setMinimumWidth(520)
        self.form = FieldForm()
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.organisation = QLineEdit()
        self.zone = ZonePicker()
        self.zone.set_zone_name(default_zone)
        self.years = QSpinBox()
        self.years.setRange(-1, limits.MAX_YEARS_IN_PRACTICE)
        self.years.setSpecialValueText("not known")
        self.years.setValue(-1)
        self.status = QComboBox()
        for status in IntakeStatus:
            self.status.addItem(status.label, status)
        self.status.setCurrentIndex(list(IntakeStatus).index(IntakeStatus.APPLIED))
        self.interviewed = QCheckBox("Interviewed on")
        self.interview_date = QDateEdit()
        self.interview_date.setCalendarPopup(True)
        self.interview_date.setDisplayFormat("ddd d MMM yyyy")
        self.interview_date.setDate(to_qdate(ctx.clock().date()))
        self.interview_date.setEnabled(False)
        self.interviewed.toggled.connect(self.interview_date.setEnabled)
        interview = QWidget()
        row = QHBoxLayout(interview)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.interviewed)
        row.addWidget(self.interview_date)
        row.addStretch(1)
        self.interview_date.setAccessibleName("Interview date")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        self.form.add_row("Name", self.name)
        self.form.add_row("Email", self.email)
        self.form.add_row("Organisation", self.organisation)
        self.form.add_row("Time zone", self.zone)
        self.form.add_row("Years in practice", self.years)
        self.form.add_row("Intake status", self.status)
        self.form.add_row("Interview", interview)
        self.form.add_row("Notes", self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save" if participant else "Add participant")
        self.reload_button = reload_button(buttons, self.reload)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        if participant is not None:
            self.fill(participant)

    def fill(self, participant: ParticipantView) -> None:
        """Show a participant's stored values: when the dialog opens, and on Reload."""
        self.participant = participant
        draft = participant.draft()
        self.name.setText(draft.name)
        self.email.setText(draft.email)
        self.organisation.setText(draft.organisation)
        self.zone.set_zone_name(draft.time_zone)
        self.years.setValue(-1 if draft.years_in_practice is None else draft.years_in_practice)
        self.status.setCurrentIndex(list(IntakeStatus).index(draft.status))
        if draft.interview_date:
            self.interview_date.setDate(to_qdate(draft.interview_date))
        self.interviewed.setChecked(draft.interview_date is not None)
        self.interview_date.setEnabled(self.interviewed.isChecked())
        self.notes.setPlainText(draft.notes)

    def record(self) -> ParticipantView | None:
        return self.participant

    def read_again(self) -> Callable[..., Any]:
        return participant_edits.get_participant

    def draft(self) -> ParticipantDraft:
        years = self.years.value()
        return ParticipantDraft(
            name=self.name.text(),
            email=self.email.text(),
            organisation=self.organisation.text(),
            time_zone=self.zone.zone_name(),
            years_in_practice=None if years < 0 else years,
            status=IntakeStatus(self.status.currentData()),
            interview_date=(
                to_date(self.interview_date.date()) if self.interviewed.isChecked() else None
            ),
            notes=self.notes.toPlainText(),
        )

    def submit(self) -> None:
        self.form.clear_errors()
        try:
            draft = self.draft().validated()
        except ValidationError as error:
            self.form.show_errors(error)
            return
        if self.participant is None:
            self.save_with(roster.add_participant, self.cohort_id, draft)
        else:
            self.save_with(
                participant_edits.update_participant_as_read,
                self.participant.id,
                draft,
                self.participant,
            )


def _row_problem(row: RosterRow) -> str:
    return "; ".join(f"{e.field}: {e.message}" for e in row.errors) if row.errors else "Ready"


PREVIEW_COLUMNS: list[Column[RosterRow]] = [
    Column("Line", lambda r: str(r.line), sort_key=lambda r: r.line, align_right=True),
    Column("Name", lambda r: r.draft.name if r.draft else r.values.get("name", "")),
    Column("Email", lambda r: r.draft.email if r.draft else r.values.get("email", "")),
    Column("Time zone", lambda r: r.draft.time_zone if r.draft else r.values.get("time_zone", "")),
    Column(
        "Check",
        _row_problem,
        foreground=lambda r: (Colors.ERROR if r.errors else Colors.SUCCESS).color(),
        tooltip=_row_problem,
    ),
]


class CsvImportDialog(QDialog):
    """Shows every row and every problem before anything is written."""

    imported = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        cohort_id: int,
        default_zone: str,
        existing_emails: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.default_zone = default_zone
        self.existing_emails = existing_emails
        self.preview: RosterPreview | None = None
        self.setWindowTitle("Import a roster from CSV")
        self.resize(820, 520)
        intro = QLabel(
            "Choose a CSV file saved from a spreadsheet, with a header row. Recognised "
            "columns: <b>Name</b>, Email, Organisation, Time zone (a city such as Auckland "
            f"works), Years in practice, Status. People without a time zone get "
            f"{city_of(default_zone)}'s."
        )
        intro.setWordWrap(True)
        self.path_label = QLabel("No file chosen")
        self.path_label.setProperty("role", "muted")
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.path_label, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model: RowsModel[RosterRow] = RowsModel(PREVIEW_COLUMNS)
        self.table = table_view()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Rows to import")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_rows)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        dialog = QFileDialog(
            self, "Choose a roster CSV", str(Path.home()), "CSV files (*.csv *.txt)"
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def load_file(self, path: Path) -> None:
        self.path_label.setText(str(path))
        try:
            # Only an ordinary file, and at most the limit: a pipe or a device is refused.
            data = roster.read_roster_file(path)
        except ValidationError as error:
            self._show_file_error(str(error))
            return
        self.load_bytes(data)

    def load_bytes(self, data: bytes) -> None:
        try:
            preview = read_roster_csv(
                data, default_zone=self.default_zone, existing_emails=self.existing_emails
            )
        except ValidationError as error:
            self._show_file_error(str(error))
            return
        self.preview = preview
        self.model.set_rows(preview.rows)
        self.table.resizeColumnsToContents()
        good, bad = len(preview.good), len(preview.bad)
        parts = [f"{good} {'person is' if good == 1 else 'people are'} ready to import."]
        if bad:
            parts.append(
                f"<span style='color:{Colors.ERROR.css()}'>{bad} row{'s' if bad != 1 else ''} "
                "cannot be imported (see Check); they will be left out.</span>"
            )
        if preview.ignored_columns:
            parts.append("Ignored columns: " + ", ".join(preview.ignored_columns) + ".")
        self.summary.setText(" ".join(parts))
        self.import_button.setText(f"Import {good} participant{'s' if good != 1 else ''}")
        self.import_button.setEnabled(good > 0)

    def _show_file_error(self, message: str) -> None:
        self.preview = None
        self.model.set_rows([])
        self.summary.setText(f"<span style='color:{Colors.ERROR.css()}'>{message}</span>")
        self.import_button.setEnabled(False)

    def import_rows(self) -> None:
        if self.preview is None or not self.preview.good:
            return
        self.import_button.setEnabled(False)
        self.ctx.services.call(
            roster.import_participants,
            self.cohort_id,
            list(self.preview.good),
            then=self._done,
            failed=lambda error: self._show_file_error(str(error)),
        )

    def _done(self, added: list[ParticipantView]) -> None:
        self.imported.emit(len(added))
        self.accept()


class RosterTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: CohortPlan | None = None
        self.dialog: QDialog | None = None
        self.model: RowsModel[ParticipantView] = RowsModel(ROSTER_COLUMNS)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(5)
        self.table = table_view()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Participants")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Long organisations and emails give way first, elided, so the row fits the window.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Only `activated` (double-click or Enter): doubleClicked as well opened two dialogs.
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.editing: dict[int, ParticipantDialog] = {}  # participant id -> its open dialog

        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by intake status")
        self.status_filter.addItem("Everyone", "")
        for status in IntakeStatus:
            self.status_filter.addItem(status.label, status.label)
        self.status_filter.currentIndexChanged.connect(self._filter)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        self.add_button = QPushButton("Add participant…")
        self.add_button.setProperty("role", "primary")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = QPushButton("Import CSV…")
        self.import_button.clicked.connect(self.import_csv)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove_selected)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.status_filter)
        bar.addWidget(self.count)
        bar.addStretch(1)
        for button in (self.import_button, self.edit_button, self.remove_button, self.add_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_plan(self, plan: CohortPlan) -> None:
        selected = self.selected()
        self.plan = plan
        self.model.set_rows(plan.participants)
        self.table.resizeColumnsToContents()
        accepted = sum(1 for p in plan.participants if p.status is IntakeStatus.ACCEPTED)
        total = len(plan.participants)
        self.count.setText(f"{total} on the roster, {accepted} accepted")
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()

    def show_participant(self, participant_id: int) -> None:
        """Select someone and give the table the keys, showing everyone if the status
        filter hides them."""
        self.select(participant_id)
        chosen = self.selected()
        if chosen is None or chosen.id != participant_id:
            self.status_filter.setCurrentIndex(0)
            self.select(participant_id)
        self.table.setFocus()

    def _filter(self) -> None:
        label = self.status_filter.currentData()
        self.proxy.setFilterRegularExpression(f"^{label}$" if label else "")

    def selected(self) -> ParticipantView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(ROW_ROLE) if rows else None

    def select(self, participant_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE).id == participant_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        for button in (self.add_button, self.import_button):
            button.setEnabled(self.plan is not None)

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def add(self) -> None:
        if self.plan is None:
            return
        dialog = ParticipantDialog(
            self.ctx, self.plan.cohort.id, self.plan.cohort.home_tz, None, self
        )
        dialog.saved.connect(lambda view: self.select(view.id))
        self._open(dialog)

    def edit_selected(self) -> None:
        person = self.selected()
        if self.plan is None or person is None:
            return
        open_already = self.editing.get(person.id)
        if open_already is not None:
            # One dialog per person: a second one would save over the first's changes.
            open_already.raise_()
            open_already.activateWindow()
            return
        dialog = ParticipantDialog(
            self.ctx, self.plan.cohort.id, self.plan.cohort.home_tz, person, self
        )
        self.editing[person.id] = dialog
        dialog.finished.connect(lambda _result, key=person.id: self.editing.pop(key, None))
        self._open(dialog)

    def remove_selected(self) -> None:
        person = self.selected()
        if person is None:
            return
        self.dialog = ask_to_confirm(
            self,
            "Remove participant",
            f"Remove {person.name} from this cohort, with their attendance?",
            "Remove",
            lambda: self.ctx.services.call(roster.remove_participant, person.id),
            details="To keep their history, set their status to Withdrawn instead.",
        )

    def import_csv(self) -> None:
        if self.plan is None:
            return
        emails = {p.email for p in self.plan.participants if p.email}
        dialog = CsvImportDialog(
            self.ctx, self.plan.cohort.id, self.plan.cohort.home_tz, emails, self
        )
        self._open(dialog)
        dialog.choose_file()
