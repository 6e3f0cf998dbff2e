"""The export dialog: built off the GUI thread, previewed, saved whole, printed."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.platypus import Paragraph

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.export import pdf
from sanctuary_desktop.export.paper import PaperSize
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.pdf_export import PdfExportDialog, file_name
from tests.ui.conftest import settle


def three_pages(_db: object, paper: PaperSize = PaperSize.A4) -> bytes:
    st = pdf.styles()
    story = [Paragraph(pdf.text(f"Line {n}: Mere Tūhoe-Walker"), st.body) for n in range(150)]
    return pdf.render(
        pdf.DocumentHead("Session notes", "Kōwhai circle", "Call 1 of 7"), story, paper
    )


def refuse(_db: object) -> bytes:
    raise ValidationError.single("Session", "no call with id 99")


def test_preview_then_save_whole_and_private(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = PdfExportDialog(ctx, "Session notes", "notes.pdf", three_pages)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, ctx)
    assert dialog.data is not None
    pages = len(pypdf.PdfReader(io.BytesIO(dialog.data)).pages)
    assert pages > 1
    assert dialog.document.pageCount() == pages
    assert f"{pages} pages" in dialog.status.text()
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "notes.pdf"
    dialog.save_to(target)
    settle(qtbot, ctx)
    assert dialog.saved_path == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Tūhoe" in pypdf.PdfReader(target).pages[0].extract_text()
    assert [p.name for p in out.iterdir()] == ["notes.pdf"]  # no temporary left over


def test_a_refused_build_says_why(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = PdfExportDialog(ctx, "Session notes", "notes.pdf", refuse)
    qtbot.addWidget(dialog)
    settle(qtbot, ctx)
    assert "no call with id 99" in dialog.status.text()
    assert not dialog.save_button.isEnabled()


def test_saving_into_a_missing_folder_says_so(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    dialog = PdfExportDialog(ctx, "Session notes", "notes.pdf", three_pages)
    qtbot.addWidget(dialog)
    settle(qtbot, ctx)
    dialog.save_to(tmp_path / "gone" / "notes.pdf")
    settle(qtbot, ctx)
    assert "could not be saved" in dialog.status.text()
    assert dialog.saved_path is None


def test_printing_sends_every_page(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = PdfExportDialog(ctx, "Session notes", "notes.pdf", three_pages)
    qtbot.addWidget(dialog)
    settle(qtbot, ctx)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = dialog.document.pageCount()
    assert dialog.print_to(printer) == pages
    assert len(pypdf.PdfReader(tmp_path / "printed.pdf").pages) == pages


def test_file_names_are_safe() -> None:
    assert file_name("Kōwhai / circle", "Call 3 of 7", "session notes") == (
        "Kōwhai - circle Call 3 of 7 session notes.pdf"
    )
    assert file_name("", "") == "document.pdf"
    assert file_name("a:b*c?") == "a - b c.pdf"
