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
