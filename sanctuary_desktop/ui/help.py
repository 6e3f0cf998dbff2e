"""Help: the About dialog, the short guide (offline, from the package's resources) and
the standard shortcuts' fall-backs where the platform has none."""

from __future__ import annotations

import importlib.resources
import platform
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop import APP_NAME, __version__

GUIDE_FILE = "guide.html"
APP_LICENCE = "MIT"


@dataclass(frozen=True)
class Credit:
    """A library or font the app ships with, and its licence."""

    name: str
    licence: str
    what: str


CREDITS: tuple[Credit, ...] = (
    Credit("Qt and PySide6", "LGPL-3.0", "the windows, the timer, sound"),
    Credit("SQLAlchemy", "MIT", "the database"),
    Credit("Alembic", "MIT", "database upgrades"),
    Credit("reportlab", "BSD", "the PDFs"),
    Credit("qasync", "BSD", "Qt and asyncio together"),
    Credit("Babel", "BSD", "time zone names in English and French (CLDR)"),
    Credit("icalendar", "BSD", "calendar files"),
    Credit("platformdirs", "MIT", "where the data folder lives"),
    Credit("tzdata", "Apache-2.0", "the time zone database"),
    Credit(
        "DejaVu Sans fonts",
        "Bitstream Vera licence, DejaVu changes in the public domain",
        "names with accents in every PDF (LICENSE-DejaVu.txt beside the fonts)",
    ),
)


def guide_html() -> str:
    """The guide's text, read from the package (a checkout, a wheel, a frozen app)."""
    resource = importlib.resources.files("sanctuary_desktop.resources").joinpath("help", GUIDE_FILE)
    return resource.read_text(encoding="utf-8")


def standard_keys(standard: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, or ``fallback`` where it has none
    (Qt gives Quit and Preferences no key on some Linux desktops)."""
    keys = QKeySequence.keyBindings(standard)
    return keys if keys else [QKeySequence(fallback)]


class GuideDialog(QDialog):
    """The short guide to planning, running and printing, shown offline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} guide")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Guide")
        # Links inside the guide move within it; nothing is fetched from anywhere.
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 640)


class AboutDialog(QDialog):
    """The version, the licence, where the data lives, and what the app is made with."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.data_dir = data_dir
        title = QLabel(f"{APP_NAME} {__version__}")
        title.setProperty("role", "title")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary = QLabel(
            "Plan cohorts, run live calls, print what was learned. Everything stays on "
            f"this computer. Free software under the {APP_LICENCE} licence."
        )
        summary.setWordWrap(True)
        folder_heading = QLabel("Your data lives in")
        folder_heading.setProperty("role", "section")
        self.folder = QLabel(str(data_dir))
        self.folder.setAccessibleName("Data folder")
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        made_heading = QLabel("Made with")
        made_heading.setProperty("role", "section")
        self.credits = QTextBrowser()
        self.credits.setAccessibleName("Libraries and fonts")
        self.credits.setOpenLinks(False)
        self.credits.setHtml(credits_html())
        self.credits.setMinimumHeight(220)
        runtime = QLabel(
            f"Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}"
        )
        runtime.setProperty("role", "muted")
        runtime.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (
            title,
            summary,
            folder_heading,
            self.folder,
            made_heading,
            self.credits,
            runtime,
            buttons,
        ):
            layout.addWidget(widget)
        self.resize(560, 560)

    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and screen readers)."""
        return "\n".join(
            [
                f"{APP_NAME} {__version__}",
                f"{APP_LICENCE} licence",
                str(self.data_dir),
                self.credits.toPlainText(),
            ]
        )


def credits_html() -> str:
    rows = "".join(
        f"<tr><td><b>{escape(c.name)}</b></td><td>{escape(c.licence)}</td>"
        f"<td>{escape(c.what)}</td></tr>"
        for c in CREDITS
    )
    return (
        '<table cellpadding="3"><tr><th align="left">Library or font</th>'
        f'<th align="left">Licence</th><th align="left">For</th></tr>{rows}</table>'
        "<p>Qt and PySide6 are used under the LGPL version 3: they are separate libraries "
        "the app loads, and can be replaced by other builds of the same version.</p>"
    )
