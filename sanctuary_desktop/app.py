"""GUI start-up: data folder, logging, error hook, database thread, QApplication, qasync."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sanctuary_desktop import APP_ID, APP_NAME, __version__
from sanctuary_desktop.bootstrap import (
    LOG_NAME,
    configure_logging,
    data_folder,
    database_for,
    server_url,
)
from sanctuary_desktop.store.location import PRIVATE_FILE

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtCore import QObject, QTimer
    from PySide6.QtGui import QIcon

    from sanctuary_desktop.services.opening import OpeningProblem
    from sanctuary_desktop.store.database import Database
    from sanctuary_desktop.store.location import DataFolder
    from sanctuary_desktop.ui.context import AppContext
    from sanctuary_desktop.ui.single_instance import SingleInstance
    from sanctuary_desktop.ui.trouble_dialog import Way

log = logging.getLogger(__name__)
STARTED_MS = 3000  # by then the window and its first lists are shown


def private_settings_path(root: Path) -> Path:
    """The settings file, made owner-only if it is not there; one that is there keeps its
    mode (the app changes no mode of a file it did not just make)."""
    path = root / "settings.ini"
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
    return path


def app_icon() -> QIcon:
    import importlib.resources

    from PySide6.QtGui import QIcon

    icon = importlib.resources.files("sanctuary_desktop.resources").joinpath("icons/sanctuary.svg")
    with importlib.resources.as_file(icon) as path:
        return QIcon(str(path))


def run_gui(args: argparse.Namespace) -> int:
    """Open the app. What start-up waits for is kept small: with the local file, the window
    shows a first look at the cohort list (read through sqlite3 alone) before SQLAlchemy and
    the rest of the UI load; those then load while the database thread opens the file."""
    # Start-up makes objects and drops next to none: collecting now would only slow it
    # down. GuiThreadCollector (ui/gc_guard.py) collects from the GUI thread from here on.
    gc.disable()
    os.environ.setdefault("QT_API", "pyside6")  # qasync would otherwise look for PyQt first
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from sanctuary_desktop.domain.clock import SteadyClock
    from sanctuary_desktop.services.cohort_list import first_look
    from sanctuary_desktop.services.runner import ServiceRunner
    from sanctuary_desktop.ui.context import AppContext
    from sanctuary_desktop.ui.events import Events
    from sanctuary_desktop.ui.gc_guard import GuiThreadCollector
    from sanctuary_desktop.ui.main_window import COHORTS, MainWindow, saved_page
    from sanctuary_desktop.ui.service_client import ServiceClient
    from sanctuary_desktop.ui.single_instance import SingleInstance
    from sanctuary_desktop.ui.theme import apply_theme
    from sanctuary_desktop.ui.widgets import wait_until_painted

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Sanctuary Desktop")
    app.setDesktopFileName(APP_ID)
    apply_theme(app)
    collector = GuiThreadCollector(app)
    collector.start()

    data_dir: str | None = args.data_dir
    while True:
        try:
            folder = data_folder(data_dir)
        except OSError as error:
            from sanctuary_desktop.services.opening import diagnose
            from sanctuary_desktop.ui.trouble_dialog import Way

            way, other = ask_about_trouble(diagnose(error), Path(data_dir or "."), None)
            if way is Way.OTHER_FOLDER and other is not None:
                data_dir = str(other)
                continue
            return 1
        instance = SingleInstance(folder.root)
        try:
            held_elsewhere = not instance.acquire()
        except OSError as error:  # a read-only folder, a full disk: not another copy
            from sanctuary_desktop.services.opening import diagnose
            from sanctuary_desktop.ui.trouble_dialog import Way

            way, other = ask_about_trouble(diagnose(error, folder.database), folder.database, None)
            if way is Way.OTHER_FOLDER and other is not None:
                data_dir = str(other)
                continue
            return 1
        if held_elsewhere:
            configure_logging(folder, verbose=args.verbose)
            return already_open(instance)

        server = server_url(args.database_url)
        runner = ServiceRunner(partial(database_for, folder, server))
        events = Events()
        settings = QSettings(str(private_settings_path(folder.root)), QSettings.Format.IniFormat)
        ctx = AppContext(
            services=ServiceClient(runner, events),
            events=events,
            settings=settings,
            data_dir=folder.root,
            log_path=folder.logs / LOG_NAME,
            clock=SteadyClock(),  # the live timer's pace, kept right across sleep
        )
        # A first look only where the window opens on the Cohorts page: other pages need
        # the database, and the window would only move from one page to another.
        rows = (
            first_look(folder.database, ctx.clock(), include_archived=False)
            if not server and saved_page(ctx) == COHORTS
            else None
        )
        if rows is None:  # the window's first calls open the database: log them
            log_path = configure_logging(folder, verbose=args.verbose)
        window = MainWindow(ctx, first_look=rows)
        if rows is not None:
            window.show()
            wait_until_painted(window.cohorts_page.list.viewport(), timeout_ms=1000)
            log_path = configure_logging(folder, verbose=args.verbose)
        log.info("%s %s starting; data folder %s", APP_NAME, __version__, folder.root)
        app.setWindowIcon(app_icon())
        opened = runner.start()  # opens, checks and migrates while the rest is built
        instance.listen()
        window.finish_building()
        from sanctuary_desktop.services.opening import OpeningProblem

        try:
            opened.result()
            break
        except OpeningProblem as problem:
            from sanctuary_desktop.ui.trouble_dialog import Way

            log.error("cannot open the data: %s", problem)
            window.hide()
            window.deleteLater()
            runner.shutdown()
            instance.release()
            way, other = ask_about_trouble(problem, folder.database, folder.backups)
            if way is Way.RESTORE:
                if not restore_latest(folder):
                    return 1
            elif way is Way.OTHER_FOLDER and other is not None:
                data_dir = str(other)
            else:
                return 1

    import asyncio

    import qasync

    from sanctuary_desktop.ui.errors import ErrorReporter

    reporter = ErrorReporter(log_path=log_path)
    reporter.install()
    ctx.services.unexpected_error.connect(reporter.show_error)
    reporter.parent_widget = window
    instance.come_forward.connect(window.come_forward)
    if not window.isVisible():
        window.show()
    schedule_backups(ctx, window)
    # The pages and the first lists are built by then; later collections skip them.
    QTimer.singleShot(STARTED_MS, collector.freeze)

    # Connected before the loop runs: a quit in its very first turn must still end it.
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    quit_on_sigterm(app)

    async def until_quit() -> None:
        await closing.wait()

    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as loop_runner:
            loop_runner.run(until_quit())
    finally:
        runner.shutdown()
        instance.release()
        log.info("closed")
    return 0


def quit_on_sigterm(app: QObject) -> None:
    """SIGTERM (a logout, a `kill`) ends the app as Quit does: the log closes, the lock
    goes, and a live call's timer keeps time in its log. Python runs a signal handler only
    when it next runs code, so the wakeup pipe makes Qt's loop wake for it; no polling."""
    if sys.platform == "win32":
        return
    import signal

    from PySide6.QtCore import QCoreApplication, QSocketNotifier

    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    os.set_blocking(writer, False)
    signal.set_wakeup_fd(writer)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: QCoreApplication.quit())
    wakeup = QSocketNotifier(reader, QSocketNotifier.Type.Read, app)
    wakeup.activated.connect(lambda: os.read(reader, 512))


def schedule_backups(ctx: AppContext, window: QObject) -> QTimer:
    """A backup at start-up, and one a day for as long as the app stays open."""
    from PySide6.QtCore import QTimer

    from sanctuary_desktop.services import backups

    # A little after start-up, not ahead of the first lists the facilitator waits for.
    QTimer.singleShot(
        STARTED_MS, lambda: ctx.services.call(backups.take, "startup", keep=ctx.backups_kept)
    )
    timer = QTimer(window)
    timer.setInterval(60 * 60 * 1000)  # look every hour; a backup is due after 24 h
    timer.timeout.connect(
        lambda: ctx.services.call(backup_if_due, ctx.clock(), keep=ctx.backups_kept)
    )
    timer.start()
    return timer


def backup_if_due(db: Database, now: datetime, *, keep: int) -> None:
    from sanctuary_desktop.services import backups

    if backups.daily_due(db, now):
        backups.take(db, "daily", keep=keep)


def ask_about_trouble(
    problem: OpeningProblem, database: Path, backups: Path | None
) -> tuple[Way, Path | None]:
    from sanctuary_desktop.bootstrap import latest_backup_worth_restoring
    from sanctuary_desktop.ui.trouble_dialog import TroubleDialog

    backup = None
    if backups is not None and problem.restoring_helps:
        try:
            backup = latest_backup_worth_restoring(backups)
        except Exception:  # the offer is a courtesy; the trouble is shown regardless
            log.exception("could not list the backups")
    dialog = TroubleDialog(problem, database, backup)
    dialog.exec()
    return dialog.way, dialog.other_folder


def restore_latest(folder: DataFolder) -> bool:
    """Put the backup the trouble dialog offered in place; what was there is kept aside."""
    from PySide6.QtWidgets import QMessageBox

    from sanctuary_desktop.bootstrap import latest_backup_worth_restoring
    from sanctuary_desktop.services.backups import restore_into_folder
    from sanctuary_desktop.services.opening import diagnose
    from sanctuary_desktop.store.backups import BackupProblem

    try:
        backup = latest_backup_worth_restoring(folder.backups)
        if backup is None:
            return False
        _info, kept = restore_into_folder(folder, backup.path)
    except BackupProblem as error:
        QMessageBox.critical(None, "The backup could not be restored", str(error))
        return False
    except Exception as error:
        log.exception("restore failed")
        problem = diagnose(error, folder.database)
        QMessageBox.critical(
            None, "The backup could not be restored", f"{problem.headline} {problem.advice}"
        )
        return False
    log.warning("restored %s; the previous file is kept as %s", backup.path.name, kept)
    return True


def already_open(instance: SingleInstance) -> int:
    """A second launch on the same data folder: bring the first copy forward instead."""
    from PySide6.QtWidgets import QMessageBox

    if instance.ask_holder_to_come_forward():
        log.info("already open; the running copy was asked to come forward")
        print("Sanctuary Desktop is already open with this data folder.", flush=True)
        return 0
    pid = instance.holder()
    QMessageBox.information(
        None,
        APP_NAME,
        "Sanctuary Desktop is already open with this data folder"
        + (f" (process {pid})" if pid else "")
        + ". Use that window, or close it first.",
    )
    return 1
