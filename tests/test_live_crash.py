"""Kill the app's process in the middle of a live call, start it again: nothing is lost.

Both runs are the real app (``python -m sanctuary_desktop``) on the offscreen
platform, driven through its own windows; the first is killed with SIGKILL, which
no handler can soften.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sanctuary_desktop.domain.timer import Action, LiveTimer, countdown_text
from sanctuary_desktop.services import cohorts, live, records
from sanctuary_desktop.store.database import Database

DRIVE = """
import sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from sanctuary_desktop.ui import main_window

CALL = int(sys.argv.pop())
shown = main_window.MainWindow.show

def drive(self):
    shown(self)
    state = {"step": 0}
    def step():
        window = self.live_windows.get(CALL)
        if state["step"] == 0 and self.ctx.services.idle:
            self.open_live(CALL)
            state["step"] = 1
        elif state["step"] == 1 and window.timer is not None and self.ctx.services.idle:
            QTest.keyClick(window, Qt.Key.Key_Space)
            QTest.keyClick(window, Qt.Key.Key_Right)
            window.notes.focus_composer()
            QTest.keyClicks(window.notes.text, "Trust grows slowly")
            state["step"] = 2
        elif state["step"] == 2 and window.notes.draft_id is not None and self.ctx.services.idle:
            at = window.timer.events[-1].at.isoformat()
            print("READY", at, flush=True)
            state["step"] = 3
            return  # and wait to be killed
        QTimer.singleShot(20, step)
    QTimer.singleShot(20, step)

main_window.MainWindow.show = drive
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""

RESUME = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sanctuary_desktop.ui import main_window

CALL = int(sys.argv.pop())
shown = main_window.MainWindow.show

def resume(self):
    shown(self)
    def step():
        box = getattr(self, "resume_box", None)
        window = self.live_windows.get(CALL)
        if window is None and box is not None and box.isVisible():
            box.buttons()[0].click()
        elif window is not None and window.snapshot is not None and self.ctx.services.idle:
            snap = window.snapshot
            print("SHOWN", snap.index, snap.at.isoformat(), window.countdown.text(), flush=True)
            print("NOTES", window.notes.notes_model.rowCount(), flush=True)
            self.close()  # the call is running: the live window asks how to leave it
            leave = window.leave_box
            print("ASKED", leave is not None and leave.isVisible(), flush=True)
            if leave is not None:
                keep = QMessageBox.ButtonRole.ActionRole  # the timer keeps time
                next(b for b in leave.buttons() if leave.buttonRole(b) is keep).click()
            QApplication.instance().quit()
            return
        QTimer.singleShot(20, step)
    QTimer.singleShot(20, step)

main_window.MainWindow.show = resume
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_app(script: str, data: Path, call_id: int) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-c", script, "--data-dir", str(data), str(call_id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_live_call_resumes_at_the_right_time_with_its_notes(tmp_path: Path) -> None:
    data = tmp_path / "profile"
    made = subprocess.run(
        [sys.executable, "-m", "sanctuary_desktop", "--data-dir", str(data), "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    db = Database(f"sqlite:///{data / 'sanctuary.db'}")
    cohort = cohorts.list_cohorts(db)[0]
    now = datetime.now().astimezone()
    call = next(c for c in cohorts.get_plan(db, cohort.id).calls if c.starts_at > now)
    db.dispose()

    first = run_app(DRIVE, data, call.id)
    assert first.stdout is not None
    try:
        line = first.stdout.readline()
        assert line.startswith("READY"), first.stderr.read() if first.stderr else line
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.kill()
        first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL

    second = run_app(RESUME, data, call.id)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    shown = next(line.split() for line in out.splitlines() if line.startswith("SHOWN"))
    index, at, countdown = int(shown[1]), datetime.fromisoformat(shown[2]), shown[3]
    assert index == 1  # the stage it was on when it was killed
    assert "NOTES 1" in out
    assert "ASKED True" in out  # quitting mid-call asked first

    db = Database(f"sqlite:///{data / 'sanctuary.db'}")
    run = live.open_live(db, call.id).value
    notes = records.list_notes(db, call.id)
    db.dispose()
    assert [e.action for e in run.events][:2] == [Action.START, Action.NEXT]
    assert [n.text for n in notes] == ["Trust grows slowly"]
    # What was shown after the restart counts the killed seconds too: the second stage
    # has run from its start until the moment shown, and nothing else.
    began = run.events[1].at
    snap = LiveTimer(run.items, run.call.starts_at, run.call.minutes, run.events).tick(at).snapshot
    assert snap.stage_elapsed == pytest.approx((at - began).total_seconds())
    assert countdown == countdown_text(snap.remaining)
    assert at - began < timedelta(minutes=2)
