"""The real app started on data in trouble, and twice on one data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanctuary_desktop.services import cohorts
from sanctuary_desktop.store.database import Database

# The trouble dialog answers as a facilitator would, and says what it was shown.
TROUBLE = """
import sys
from sanctuary_desktop.ui import trouble_dialog, main_window
from sanctuary_desktop.ui.trouble_dialog import Way
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ANSWER = Way(sys.argv.pop())

def answer(self):
    print("TROUBLE", self.problem.trouble.value, flush=True)
    print("RESTORE OFFERED", self.restore_button.isVisibleTo(self), flush=True)
    self.way = ANSWER
    return 1

trouble_dialog.TroubleDialog.exec = answer
shown = main_window.MainWindow.show

def show_then_quit(self):
    shown(self)
    def check():
        if self.ctx.services.idle:
            print("WINDOW SHOWN", flush=True)
            self.close()
            QApplication.instance().quit()
        else:
            QTimer.singleShot(50, check)
    QTimer.singleShot(50, check)

main_window.MainWindow.show = show_then_quit
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""

# The first copy waits until a second launch asks it to come forward.
FIRST = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sanctuary_desktop.ui import main_window

def come_forward(self):
    print("CAME FORWARD", flush=True)
    self.close()
    QApplication.instance().quit()

shown = main_window.MainWindow.show

def show(self):
    shown(self)
    print("READY", flush=True)
    QTimer.singleShot(60_000, QApplication.instance().quit)  # never hang the suite

main_window.MainWindow.show = show
main_window.MainWindow.come_forward = come_forward
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def make_sample(data: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "sanctuary_desktop", "--data-dir", str(data), "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr


def test_a_garbage_data_file_is_named_and_left_alone_on_quit(tmp_path: Path) -> None:
    data = tmp_path / "profile"
    data.mkdir(mode=0o700)
    garbage = os.urandom(20_000)
    (data / "sanctuary.db").write_bytes(garbage)
    run = start(TROUBLE, "--data-dir", str(data), "quit")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    assert "TROUBLE not-a-database" in out
    assert "RESTORE OFFERED False" in out  # there is no backup yet
    assert "WINDOW SHOWN" not in out
    assert (data / "sanctuary.db").read_bytes() == garbage


def test_restoring_the_latest_backup_opens_the_app_and_keeps_the_damaged_file(
    tmp_path: Path,
) -> None:
    data = tmp_path / "profile"
    make_sample(data)
    # A backup in the data folder (as start-up, daily and after-call ones are), then ruin.
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "sanctuary_desktop",
            "--data-dir",
            str(data),
            "backup",
            "-o",
            str(tmp_path / "copy.db"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    garbage = b"not a database any more " * 500
    (data / "sanctuary.db").write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        Path(f"{data / 'sanctuary.db'}{suffix}").unlink(missing_ok=True)
    second = start(TROUBLE, "--data-dir", str(data), "restore")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "TROUBLE not-a-database" in out and "RESTORE OFFERED True" in out
    assert "WINDOW SHOWN" in out
    kept = [p for p in (data / "backups").iterdir() if p.read_bytes() == garbage]
    assert len(kept) == 1  # the damaged file, set aside, not deleted
    db = Database(f"sqlite:///{data / 'sanctuary.db'}")
    assert [c.name for c in cohorts.list_cohorts(db)] == ["Tending the Commons — peer circle"]
    db.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="the harness reads pipes line by line")
def test_a_second_launch_brings_the_first_forward(tmp_path: Path) -> None:
    data = tmp_path / "profile"
    first = start(FIRST, "--data-dir", str(data))
    try:
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "READY"
        second = subprocess.run(
            [sys.executable, "-m", "sanctuary_desktop", "--data-dir", str(data)],
            capture_output=True,
            text=True,
            timeout=120,
            env=ENV,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout
        out, err = first.communicate(timeout=60)
        assert "CAME FORWARD" in out, err
        assert first.returncode == 0
    finally:
        first.kill()
        first.communicate()
