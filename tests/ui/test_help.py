"""Help: About says the version, the licence, the data folder and what the app is made
with; the guide opens offline from the package; the keyboard card is in the Help menu;
the standard shortcuts work in the main window."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from sanctuary_desktop import __version__
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.help import CREDITS, AboutDialog, GuideDialog, guide_html, standard_keys
from sanctuary_desktop.ui.live_window import KEYS, KeysDialog
from sanctuary_desktop.ui.main_window import SEARCH, MainWindow
from sanctuary_desktop.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]


def open_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    settle(qtbot, ctx)
    return window


def press(qtbot: QtBot, window: MainWindow, keys: QKeySequence) -> None:
    combo = keys[0]
    QTest.keyClick(window, combo.key(), combo.keyboardModifiers())


def shown(window: MainWindow, kind: type[QDialog]) -> list[QDialog]:
    return [d for d in window.findChildren(kind) if d.isVisible()]


def test_about_says_version_licence_data_folder_and_credits(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    window.about()
    (about,) = shown(window, AboutDialog)
    assert isinstance(about, AboutDialog)
    text = about.text()
    assert __version__ in text
    assert "MIT licence" in text
    assert about.folder.text() == str(ctx.data_dir)
    credits = about.credits.toPlainText()
    for name, licence in (
        ("PySide6", "LGPL"),
        ("SQLAlchemy", "MIT"),
        ("reportlab", "BSD"),
        ("qasync", "BSD"),
        ("Alembic", "MIT"),
        ("Babel", "BSD"),
        ("icalendar", "BSD"),
        ("platformdirs", "MIT"),
        ("tzdata", "Apache"),
        ("DejaVu", "Bitstream Vera"),
    ):
        credit = next(c for c in CREDITS if name in c.name)
        assert licence in credit.licence, credit
        assert credit.name in credits and credit.licence in credits
    labels = " ".join(label.text() for label in about.findChildren(QLabel))
    assert f"{__version__}" in labels and str(ctx.data_dir) in labels


def test_the_guide_is_package_data_and_opens_offline(qtbot: QtBot, ctx: AppContext) -> None:
    packaged = importlib.resources.files("sanctuary_desktop.resources").joinpath(
        "help", "guide.html"
    )
    assert packaged.is_file()
    assert guide_html() == (ROOT / "resources" / "help" / "guide.html").read_text("utf-8")
    html = guide_html()
    assert "http://" not in html and "https://" not in html and "<script" not in html
    window = open_window(qtbot, ctx)
    press(qtbot, window, QKeySequence(QKeySequence.StandardKey.HelpContents))
    qtbot.waitUntil(lambda: bool(shown(window, GuideDialog)), timeout=2000)
    (guide,) = shown(window, GuideDialog)
    assert isinstance(guide, GuideDialog)
    text = guide.browser.toPlainText()
    for job in ("1. Plan", "2. Run a call", "3. Print"):
        assert job in text
    assert "Run live" in text and "Session notes" in text and "Handouts" in text


def test_the_live_keys_card_is_in_the_help_menu(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    help_menu = next(
        m
        for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        if m.title() == "&Help"
    )
    titles = [a.text() for a in help_menu.actions() if a.text()]
    assert titles[0].startswith("&Guide") and "&Keys for the live call" in titles
    next(a for a in help_menu.actions() if a.text() == "&Keys for the live call").trigger()
    (card,) = shown(window, KeysDialog)
    words = " ".join(label.text() for label in card.findChildren(QLabel))
    for _keys, what, _name in KEYS:
        assert what in words


def test_standard_shortcuts(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    press(qtbot, window, QKeySequence(QKeySequence.StandardKey.Find))
    assert window.sidebar.currentRow() == SEARCH
    preferences = standard_keys(QKeySequence.StandardKey.Preferences, "Ctrl+,")[0]
    press(qtbot, window, preferences)
    qtbot.waitUntil(lambda: bool(shown(window, SettingsDialog)), timeout=2000)
    for dialog in shown(window, SettingsDialog):
        dialog.reject()
    quit_keys = standard_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q")[0]
    press(qtbot, window, quit_keys)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_standard_keys_fall_back_only_where_the_platform_has_none(qapp: QApplication) -> None:
    assert standard_keys(QKeySequence.StandardKey.Find, "Ctrl+Alt+F") == QKeySequence.keyBindings(
        QKeySequence.StandardKey.Find
    )
    quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
    expected = quit_keys or [QKeySequence("Ctrl+Q")]
    assert standard_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q") == expected
