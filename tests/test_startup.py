"""The real start-up path: qasync loop, database thread, migration, window, clean exit."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

HARNESS = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sanctuary_desktop.ui import main_window

shown = main_window.MainWindow.show

def show_then_quit(self):
    shown(self)
    def check():
        page = self.cohorts_page
        if self.ctx.services.idle and page.right.currentWidget() is page.welcome:
            print("WELCOME SHOWN", flush=True)
            self.close()
            QApplication.instance().quit()
        else:
            QTimer.singleShot(50, check)
    QTimer.singleShot(50, check)

main_window.MainWindow.show = show_then_quit
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_gui_starts_migrates_and_quits_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "profile"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", HARNESS, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WELCOME SHOWN" in result.stdout
    database = data / "sanctuary.db"
    assert database.exists()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    log = (data / "logs" / "sanctuary.log").read_text(encoding="utf-8")
    assert "starting" in log and "closed" in log
    assert stat.S_IMODE((data / "settings.ini").stat().st_mode) == 0o600


FIRST_PAINT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sanctuary_desktop.ui import main_window, widgets

waited = widgets.wait_until_painted

def painted_then_report(widget, *, timeout_ms):
    result = waited(widget, timeout_ms=timeout_ms)
    windows = QApplication.topLevelWidgets()
    window = next(w for w in windows if isinstance(w, main_window.MainWindow))
    page = window.cohorts_page
    rows = [page.model.rows[r].name for r in range(page.model.rowCount())]
    print("PAINTED", result, window.isVisible(), flush=True)
    print("ROWS", "|".join(rows), flush=True)
    print("LOADED", " ".join(sorted(
        name for name in ("sqlalchemy", "alembic", "reportlab", "sanctuary_desktop.store.models",
                          "sanctuary_desktop.services.views", "PySide6.QtNetwork")
        if name in sys.modules)), flush=True)
    print("OPENED", window.ctx.services.runner._db is not None, flush=True)
    return result

widgets.wait_until_painted = painted_then_report
finish = main_window.MainWindow.finish_building

def finish_then_quit(self):
    finish(self)
    def quit():
        self.close()
        QApplication.instance().quit()
    QTimer.singleShot(0, quit)  # from the app's own event loop, once it runs

main_window.MainWindow.finish_building = finish_then_quit
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    """The app's Python on the offscreen platform; fails the test if it fails."""
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def sample_folder(tmp_path: Path) -> Path:
    data = tmp_path / "profile"
    run_python("-m", "sanctuary_desktop", "--data-dir", str(data), "demo")
    return data


def test_the_window_paints_the_cohort_list_before_sqlalchemy_loads(tmp_path: Path) -> None:
    """The first paint shows the real list, read through sqlite3, with the ORM not loaded."""
    data = sample_folder(tmp_path)
    result = run_python("-c", FIRST_PAINT, "--data-dir", str(data))
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["PAINTED"] == "True True"
    assert lines["ROWS"].startswith("Tending the Commons")
    assert lines["LOADED"] == ""  # none of them: the first paint waits for none
    assert lines["OPENED"] == "False"  # the database thread has not even started


def test_a_database_that_needs_migrating_starts_without_a_first_look(tmp_path: Path) -> None:
    """An older schema: the first look steps aside, the usual path migrates and opens."""
    import sqlite3

    from alembic import command
    from alembic.script import ScriptDirectory

    from sanctuary_desktop.store.database import Database
    from sanctuary_desktop.store.migrate import alembic_config
    from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

    data = tmp_path / "profile"
    data.mkdir(mode=0o700)
    # The schema as the version before this one made it (the migrations' own way there).
    db = Database(f"sqlite:///{data / 'sanctuary.db'}")
    config = alembic_config(db)
    head = ScriptDirectory.from_config(config).get_revision("head")
    assert head is not None and isinstance(head.down_revision, str)
    older = head.down_revision
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, older)
        conn.commit()
    db.dispose()
    result = run_python("-c", FIRST_PAINT, "--data-dir", str(data))
    assert "PAINTED" not in result.stdout  # no first look was taken
    with sqlite3.connect(data / "sanctuary.db") as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    conn.close()
    assert version == (SCHEMA_HEAD,)
    log = (data / "logs" / "sanctuary.log").read_text(encoding="utf-8")
    assert f"database migrated from {older} to {SCHEMA_HEAD}" in log


def test_a_window_left_on_another_page_opens_there_without_a_first_look(
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QSettings

    data = sample_folder(tmp_path)
    settings = QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("v1/window/page", 1)
    settings.sync()
    script = FIRST_PAINT.replace(
        "    QTimer.singleShot(0, quit)",
        "    print('PAGE', type(self.stack.currentWidget()).__name__, flush=True)\n"
        "    QTimer.singleShot(0, quit)",
    )
    result = run_python("-c", script, "--data-dir", str(data))
    assert "PAINTED" not in result.stdout
    assert "PAGE CalendarPage" in result.stdout


def test_sigterm_ends_the_app_as_quit_does(tmp_path: Path) -> None:
    """A logout or `kill` closes the log and releases the folder: the next start is not
    told the app is already open."""
    import signal
    import time

    data = sample_folder(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sanctuary_desktop", "--data-dir", str(data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = data / "logs" / "sanctuary.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        # The start-up backup is taken from the running loop: the app is fully up.
        if log.exists() and "backup written" in log.read_text(encoding="utf-8"):
            break
        time.sleep(0.1)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert log.read_text(encoding="utf-8").splitlines()[-1].endswith("closed")
    assert not (data / "sanctuary.lock").exists()
