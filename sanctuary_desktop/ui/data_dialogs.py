"""Moving and restoring data: archives to and from another machine, and backups.

Every file is read and written on the database thread; these dialogs only show what a
file holds and ask what to do with it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.zones import zone
from sanctuary_desktop.services import archive, backups
from sanctuary_desktop.services.archive import ArchivePreview, ImportChoice, ImportResult
from sanctuary_desktop.services.backups import BackupInfo
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import Column, RowsModel, table_view
from sanctuary_desktop.ui.theme import Colors
from sanctuary_desktop.ui.widgets import ask_to_confirm

ARCHIVE_FILTER = "Sanctuary Desktop archives (*.sanctuary)"
CHOICE_LABELS = {
    ImportChoice.SKIP: "Keep the one here, skip this",
    ImportChoice.COPY: "Import as a separate copy",
    ImportChoice.REPLACE: "Replace the one here",
}


def import_summary(result: ImportResult) -> str:
    parts = []
    if result.imported:
        parts.append("Imported " + ", ".join(c.name for c in result.imported))
    if result.skipped:
        parts.append("kept the ones already here: " + ", ".join(result.skipped))
    return ("; ".join(parts) or "Nothing was imported") + "."


class ArchiveImportDialog(QDialog):
    """What an archive holds, and for each cohort already here, what to do with it."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.preview: ArchivePreview | None = None
        self.import_result: ImportResult | None = None
        self.choices: dict[int, QComboBox] = {}
        self.setWindowTitle("Import an archive")
        self.setMinimumWidth(560)
        self.heading = QLabel(f"Reading {path.name}…")
        self.heading.setWordWrap(True)
        self.grid = QGridLayout()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        ctx.services.call(
            archive.preview_archive, path, then=self.show_preview, failed=self.show_error
        )

    def show_preview(self, preview: ArchivePreview) -> None:
        self.preview = preview
        made = preview.created_at.astimezone()
        self.heading.setText(
            f"<b>{self.path.name}</b>, made {made:%d %B %Y, %H:%M} with version "
            f"{preview.app_version}, holds {len(preview.cohorts)} cohort"
            f"{'s' if len(preview.cohorts) != 1 else ''}."
        )
        for row, cohort in enumerate(preview.cohorts):
            label = QLabel(
                f"<b>{cohort.name}</b><br>{cohort.start_date:%b %Y} – {cohort.end_date:%b %Y}"
                f" · {cohort.participants} people, {cohort.calls} calls, {cohort.notes} notes"
            )
            self.grid.addWidget(label, row, 0)
            if cohort.already_present:
                choice = QComboBox()
                for value, text in CHOICE_LABELS.items():
                    choice.addItem(text, value.value)
                choice.setAccessibleName(f"What to do with {cohort.name}")
                self.choices[cohort.index] = choice
                self.grid.addWidget(choice, row, 1)
            else:
                self.grid.addWidget(QLabel("New here: will be imported"), row, 1)
        self.import_button.setEnabled(bool(preview.cohorts))

    def chosen(self) -> dict[int, ImportChoice]:
        return {
            index: ImportChoice(str(combo.currentData())) for index, combo in self.choices.items()
        }

    def run_import(self) -> None:
        self.import_button.setEnabled(False)
        self.message.setText("Importing…")
        self.ctx.services.call(
            archive.import_archive,
            self.path,
            self.chosen(),
            then=self.imported,
            failed=self.show_error,
        )

    def imported(self, result: ImportResult) -> None:
        self.import_result = result
        self.message.setText(import_summary(result))
        self.accept()

    def show_error(self, error: ValidationError) -> None:
        self.message.setText(f"<span style='color:{Colors.ERROR.css()}'>{error}</span>")
        self.import_button.setEnabled(self.preview is not None)


class RestoreDialog(QDialog):
    """The backups, newest first, with what each holds; restore one after asking."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.restored: BackupInfo | None = None
        self.setWindowTitle("Restore from a backup")
        self.resize(720, 420)
        intro = QLabel(
            "Backups are taken when the app starts, once a day, before each upgrade and after "
            "each live call. Restoring replaces all your data with the backup's; what you have "
            "now is kept as a backup first."
        )
        intro.setWordWrap(True)
        self.model: RowsModel[BackupInfo] = RowsModel(
            [
                Column("Taken", lambda b: f"{self.local(b.taken_at):%a %d %b %Y, %H:%M}"),
                Column("Why", lambda b: b.reason.replace("-", " ")),
                Column("Holds", lambda b: b.summary if b.ok else f"cannot be read: {b.problem}"),
            ]
        )
        self.table = table_view()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Backups")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setProperty("role", "primary")
        self.restore_button.clicked.connect(self.ask_to_restore)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # activated: a double-click, or Enter, as the platform has it.
        self.table.activated.connect(lambda _index: self.ask_to_restore())
        ctx.services.call(backups.list_all, then=self.show_backups)

    def local(self, instant: datetime) -> datetime:
        """An instant in the zone chosen in Settings, as every other time in the app."""
        return instant.astimezone(zone(self.ctx.facilitator_zone))

    def show_backups(self, found: list[BackupInfo]) -> None:
        self.model.set_rows(found)
        self.table.resizeColumnsToContents()
        if found:
            self.table.selectRow(0)
        else:
            self.message.setText("There are no backups yet.")
        self.restore_button.setEnabled(bool(found))

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def ask_to_restore(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        if not backup.ok:
            self.message.setText(
                f"<span style='color:{Colors.WARNING.css()}'>This backup cannot be restored: "
                f"{backup.problem}</span>"
            )
            return
        ask_to_confirm(
            self,
            "Restore from a backup",
            f"Replace all your data with the backup of "
            f"{self.local(backup.taken_at):%A %d %B %Y, %H:%M}?",
            "Restore",
            lambda: self.restore(backup),
            details=f"It holds {backup.summary}. What you have now is kept as a backup first.",
        )

    def restore(self, backup: BackupInfo) -> None:
        self.restore_button.setEnabled(False)
        self.message.setText("Restoring…")
        self.ctx.services.call(
            backups.restore, backup.path, then=self.done_restoring, failed=self.show_error
        )

    def done_restoring(self, info: BackupInfo) -> None:
        self.restored = info
        self.accept()

    def show_error(self, error: ValidationError) -> None:
        self.message.setText(f"<span style='color:{Colors.ERROR.css()}'>{error}</span>")
        self.restore_button.setEnabled(True)


def choose_archive_to_save(parent: QWidget, suggested: str) -> QFileDialog:
    dialog = QFileDialog(parent, "Export to an archive", str(Path.home() / suggested))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(ARCHIVE_FILTER)
    dialog.setDefaultSuffix("sanctuary")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


def choose_archive_to_open(parent: QWidget) -> QFileDialog:
    dialog = QFileDialog(parent, "Import an archive", str(Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(f"{ARCHIVE_FILTER};;All files (*)")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog
