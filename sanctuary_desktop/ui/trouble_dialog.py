"""When the data cannot be opened: what is wrong, in plain words, and the ways out.

Shown at start-up before the event loop runs, so ``exec()`` is safe here (the rule
against it is about qasync's loop, which has not started yet).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.services.opening import OpeningProblem, Trouble

if TYPE_CHECKING:
    from sanctuary_desktop.services.backups import BackupInfo


class Way(StrEnum):
    RESTORE = "restore"
    OTHER_FOLDER = "other-folder"
    QUIT = "quit"


class TroubleDialog(QDialog):
    def __init__(
        self,
        problem: OpeningProblem,
        database: Path,
        backup: BackupInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.problem = problem
        self.backup = backup
        self.way = Way.QUIT
        self.other_folder: Path | None = None
        self.setWindowTitle("Sanctuary Desktop cannot open your data")
        self.setMinimumWidth(660)

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48)
        )
        headline = QLabel(problem.headline)
        headline.setProperty("role", "title")
        headline.setWordWrap(True)
        advice = QLabel(problem.advice)
        advice.setWordWrap(True)
        where = QLabel(f"Data file: {database}")
        where.setProperty("role", "muted")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QPlainTextEdit(problem.detail)
        details.setReadOnly(True)
        details.setMaximumHeight(56)
        details.setAccessibleName("What the system reported")

        self.restore_button = QPushButton()
        self.restore_button.setProperty("role", "primary")
        self.restore_button.clicked.connect(lambda: self._choose(Way.RESTORE))
        offer_restore = backup is not None and problem.restoring_helps
        if backup is not None and offer_restore:
            self.restore_button.setText(
                f"Restore the backup of {backup.taken_at.astimezone():%d %b %Y, %H:%M}"
            )
            kept = (
                "The backups are kept as they are."
                if problem.trouble is Trouble.MISSING
                else "The file that cannot be opened is kept aside, not deleted."
            )
            self.restore_button.setToolTip(f"It holds {backup.summary}. {kept}")
        self.restore_button.setVisible(offer_restore)
        self.folder_button = QPushButton("Open another data folder…")
        self.folder_button.clicked.connect(self.choose_folder)
        quit_button = QPushButton("Quit")
        quit_button.clicked.connect(lambda: self._choose(Way.QUIT))

        text = QVBoxLayout()
        text.addWidget(headline)
        text.addWidget(advice)
        if offer_restore and backup is not None:
            holds = QLabel(f"The latest good backup holds {backup.summary}.")
            holds.setWordWrap(True)
            text.addWidget(holds)
        text.addWidget(where)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(details)
        layout.addLayout(buttons)
        (self.restore_button if offer_restore else self.folder_button).setDefault(True)

    def _choose(self, way: Way) -> None:
        self.way = way
        self.accept()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Choose a data folder")
        if chosen:
            self.other_folder = Path(chosen)
            self._choose(Way.OTHER_FOLDER)
