"""The one place unexpected errors end up: logged, then shown with details to copy."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)


class ErrorDialog(QDialog):
    def __init__(self, summary: str, details: str, log_path: Path | None, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.setMinimumSize(560, 360)
        layout = QVBoxLayout(self)
        where = f" The details are also in the log:\n{log_path}" if log_path else ""
        intro = QLabel(
            f"<b>{summary}</b><br>Your data is safe: everything saved before this stays "
            f"saved, and the app keeps running.{where}"
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy details")
        copy.setAccessibleName("Copy error details")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def describe(error: BaseException) -> tuple[str, str]:
    summary = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return summary, details


class ErrorReporter(QObject):
    """Installed as sys.excepthook and threading.excepthook; shows errors on the GUI thread."""

    _report = Signal(object)

    def __init__(self, parent_widget: QWidget | None = None, log_path: Path | None = None):
        super().__init__()
        self.parent_widget = parent_widget
        self.log_path = log_path
        self.shown: list[ErrorDialog] = []
        self._report.connect(self.show_error)

    def install(self) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def _excepthook(
        self,
        kind: type[BaseException],
        error: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        log.error("unexpected error", exc_info=(kind, error, tb))
        self._report.emit(error)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error(
                "unexpected error in thread %s",
                args.thread.name if args.thread else "?",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )
            self._report.emit(args.exc_value)

    def show_error(self, error: BaseException) -> None:
        summary, details = describe(error)
        dialog = ErrorDialog(summary, details, self.log_path, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shown.append(dialog)
        dialog.finished.connect(lambda _result: self.shown.remove(dialog))
        dialog.open()  # not exec(): a nested loop would stall the qasync loop
