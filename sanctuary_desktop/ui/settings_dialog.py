"""Preferences that belong to the facilitator, not to a cohort."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.zones import is_valid_zone
from sanctuary_desktop.export.paper import PaperSize
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.ui.context import MAX_BACKUPS_KEPT, MIN_BACKUPS_KEPT, AppContext
from sanctuary_desktop.ui.widgets import FieldForm, ZonePicker


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Settings")
        self.setMinimumWidth(480)
        self.form = FieldForm()
        self.zone = ZonePicker()
        self.zone.set_zone_name(ctx.facilitator_zone)
        self.form.add_row("Your time zone", self.zone)
        self.paper = QComboBox()
        for size in PaperSize:
            self.paper.addItem(size.label, size.value)
        self.paper.setCurrentIndex(self.paper.findData(ctx.paper.value))
        self.form.add_row("Paper size", self.paper)
        self.keep = QSpinBox()
        self.keep.setRange(MIN_BACKUPS_KEPT, MAX_BACKUPS_KEPT)
        self.keep.setValue(ctx.backups_kept)
        self.keep.setSuffix(" backups")
        self.keep.setToolTip(
            "Taken at start-up, once a day, before each upgrade and after each live call; "
            "the oldest go first"
        )
        self.form.add_row("Keep the newest", self.keep)
        hint = QLabel(
            "Calls are shown in your time zone, with everyone else's local time beside them. "
            "Change it when you travel."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def submit(self) -> None:
        name = self.zone.zone_name()
        if not is_valid_zone(name):
            self.form.show_errors(
                ValidationError.single("Your time zone", f"'{name}' is not a known time zone")
            )
            return
        self.ctx.set_facilitator_zone(name)
        self.ctx.set_paper(PaperSize(str(self.paper.currentData())))
        self.ctx.set_backups_kept(self.keep.value())
        # Every page shows times in this zone: let them all redraw.
        self.ctx.events.data_changed.emit(frozenset(Topic))
        self.accept()
