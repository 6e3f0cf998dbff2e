"""GUI start-up: data folder, logging, error hook, database thread, QApplication, qasync."""

from __future__ import annotations

import argparse
import asyncio
import importlib.resources
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sanctuary_desktop import APP_ID, APP_NAME, __version__
from sanctuary_desktop.bootstrap import configure_logging, data_folder, database_for
from sanctuary_desktop.store.location import PRIVATE_FILE

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

log = logging.getLogger(__name__)


def private_settings_path(root: Path) -> Path:
    path = root / "settings.ini"
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    path.chmod(PRIVATE_FILE)
    return path


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon

    icon = importlib.resources.files("sanctuary_desktop.resources").joinpath("icons/sanctuary.svg")
    with importlib.resources.as_file(icon) as path:
        return QIcon(str(path))


def run_gui(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_API", "pyside6")  # qasync would otherwise look for PyQt first
    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from sanctuary_desktop.domain.clock import SteadyClock
    from sanctuary_desktop.services.runner import ServiceRunner
    from sanctuary_desktop.ui.context import AppContext
    from sanctuary_desktop.ui.errors import ErrorReporter
    from sanctuary_desktop.ui.events import Events
    from sanctuary_desktop.ui.gc_guard import GuiThreadCollector
    from sanctuary_desktop.ui.main_window import MainWindow
    from sanctuary_desktop.ui.service_client import ServiceClient
    from sanctuary_desktop.ui.theme import apply_theme

    folder = data_folder(args.data_dir)
    log_path = configure_logging(folder, verbose=args.verbose)
    log.info("%s %s starting; data folder %s", APP_NAME, __version__, folder.root)

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Sanctuary Desktop")
    app.setDesktopFileName(APP_ID)
    apply_theme(app)
    collector = GuiThreadCollector(app)
    collector.start()
    app.setWindowIcon(app_icon())

    runner = ServiceRunner(lambda: database_for(folder, args.database_url))
    runner.start()  # opens and migrates the database while the window is drawn
    events = Events()
    settings = QSettings(str(private_settings_path(folder.root)), QSettings.Format.IniFormat)
    ctx = AppContext(
        services=ServiceClient(runner, events),
        events=events,
        settings=settings,
        data_dir=folder.root,
        log_path=log_path,
        clock=SteadyClock(),  # the live timer's pace, kept right across sleep
    )
    reporter = ErrorReporter(log_path=log_path)
    reporter.install()
    ctx.services.unexpected_error.connect(reporter.show_error)

    window = MainWindow(ctx)
    reporter.parent_widget = window
    window.show()

    async def until_quit() -> None:
        closing = asyncio.Event()
        app.aboutToQuit.connect(closing.set)
        await closing.wait()

    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as loop_runner:
            loop_runner.run(until_quit())
    finally:
        runner.shutdown()
        log.info("closed")
    return 0
