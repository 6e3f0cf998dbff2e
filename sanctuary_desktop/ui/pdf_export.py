"""Every PDF export goes through here: build it off the GUI thread, preview, save, print.

The document is built on the database thread (it reads the store), so the window and
a running timer keep going. QtPdf (from the Qt add-ons) shows the pages; QtPdf is
imported when the first preview opens, never at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.export.files import safe_file_name, write_atomically
from sanctuary_desktop.ui.context import AppContext

log = logging.getLogger(__name__)


def file_name(*parts: str, suffix: str = ".pdf") -> str:
    """A file name from a cohort and a document's name, safe on every system."""
    return safe_file_name(*parts, suffix=suffix)


class PdfExportDialog(QDialog):
    """'Session notes: Call 3 of 7' — a preview of the pages, then Save or Print."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        suggested_name: str,
        build: Callable[..., bytes],  # a service: called with the database first
        *args: Any,
        parent: QWidget | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.suggested_name = suggested_name
        self.data: bytes | None = None
        self.saved_path: Path | None = None
        self.setWindowTitle(title)
        self.resize(760, 860)
        self.status = QLabel("Preparing the document…")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "muted")
        self.pages_host = QVBoxLayout()
        self.save_button = QPushButton("Save as PDF…")
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.choose_file)
        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.print_document)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for button in (self.save_button, self.print_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.pages_host, 1)
        layout.addLayout(buttons)
        ctx.services.call(build, *args, then=self.show_document, failed=self.show_error, **kwargs)

    # -- the document ----------------------------------------------------------------

    def show_document(self, data: bytes) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.data = data
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Preview of the pages")
        self.pages_host.addWidget(self.view)
        pages = self.document.pageCount()
        self.status.setText(
            f"{pages} page{'s' if pages != 1 else ''}, {self.ctx.paper.label}. "
            "Check it, then save or print."
        )
        for button in (self.save_button, self.print_button):
            button.setEnabled(True)

    def show_error(self, error: ValidationError) -> None:
        self.status.setText(str(error))
        self.status.setProperty("role", "warning")
        self.status.style().polish(self.status)

    # -- saving ----------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = self.ctx.settings.value(self.ctx.setting_key("export/folder"), str(Path.home()))
        start = Path(str(folder)) / self.suggested_name
        dialog = QFileDialog(self, "Save the PDF", str(start))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF documents (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self.save_to(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.file_dialog = dialog

    def save_to(self, path: Path) -> None:
        if self.data is None:
            return
        data = self.data

        def saved(_result: object) -> None:
            self.saved_path = path
            self.ctx.settings.setValue(self.ctx.setting_key("export/folder"), str(path.parent))
            self.status.setText(f"Saved to {path}")

        def refused(error: ValidationError) -> None:
            self.show_error(error)

        self.ctx.services.call(_write, path, data, then=saved, failed=refused)

    # -- printing --------------------------------------------------------------------

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # QPrintDialog's typed open() wants a slot; show() window-modal does the same.
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        self.print_dialog = dialog
        self.printer = printer

    def print_to(self, printer: Any) -> int:
        """Draw each page as an image at the printer's resolution; returns pages printed."""
        pages = self.document.pageCount()
        painter = QPainter()
        if not painter.begin(printer):
            self.show_error(ValidationError.single("Printer", "could not be opened"))
            return 0
        try:
            for index in range(pages):
                if index:
                    printer.newPage()
                target = painter.viewport()
                size = self.document.pagePointSize(index)
                scale = min(target.width() / size.width(), target.height() / size.height())
                image: QImage = self.document.render(
                    index, QSize(int(size.width() * scale), int(size.height() * scale))
                )
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        self.status.setText(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")
        return pages


def _write(_db: object, path: Path, data: bytes) -> Path:
    """On the database thread, like every other write: whole or not at all."""
    try:
        write_atomically(path, data)
    except OSError as error:
        raise ValidationError.single("File", f"could not be saved: {error.strerror}") from error
    return path


HANDOUT_TITLES = {
    "protocol": "Protocol card",
    "calendar": "Calendar in everyone's time",
    "roster": "Roster and buddy pairs",
    "schedule": "Presenter schedule",
    "harvest": "Learning harvest",
}


def open_session_notes(
    ctx: AppContext, parent: QWidget, call_id: int, cohort_name: str, call_label: str
) -> PdfExportDialog:
    from sanctuary_desktop.services import notes_report

    dialog = PdfExportDialog(
        ctx,
        f"Session notes: {call_label}",
        file_name(cohort_name, call_label, "session notes"),
        notes_report.session_notes_pdf,
        call_id,
        paper=ctx.paper,
        facilitator_zone=ctx.facilitator_zone,
        parent=parent,
    )
    return _show(dialog)


def open_handout(
    ctx: AppContext, parent: QWidget, cohort_id: int, cohort_name: str, kind: str
) -> PdfExportDialog:
    from sanctuary_desktop.services import handouts

    title = HANDOUT_TITLES[kind]
    dialog = PdfExportDialog(
        ctx,
        f"{title}: {cohort_name}",
        file_name(cohort_name, title),
        handouts.handout_pdf,
        cohort_id,
        handouts.Handout(kind),
        paper=ctx.paper,
        facilitator_zone=ctx.facilitator_zone,
        parent=parent,
    )
    return _show(dialog)


def _show(dialog: PdfExportDialog) -> PdfExportDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
