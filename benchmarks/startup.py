"""Start-up time of the app against a bare PySide6 window, and the app's resident memory.

    python benchmarks/startup.py [--runs 7] [--db FILE]

Each run is a new process. The clock starts in this (parent) process just before the
child is created and stops when the child prints the wall time of the moment it is ready,
so interpreter start, imports, Qt, the database and the first answers all count:

- bare window: QApplication and a 1280x800 QWidget shown, ready at its first paint;
- the app (``python -m sanctuary_desktop`` with MainWindow.show patched to watch): "shown"
  at the first paint of the cohort list with its rows in it, the issue's measure and the
  one the ratio is of; "plan" when the first cohort's header and tabs are filled in;
  "all" when every service call made at start-up has come back.

The cases alternate within each round, so a noisy neighbour slows all of them alike. Two
data folders: the sample cohort only, and the big database of make_big_db.py (built
here unless --db names one). For the big database the app also reports its resident
memory (VmRSS) once started and again after switching cohorts, opening the calendar
month and searching the notes, the actions big_database.py times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_big_db beside this file

from make_big_db import SEARCH_WORD, build

ROOT = Path(__file__).resolve().parent.parent

TARGET_RATIO = 2.0
TARGET_RSS_MB = 250

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"READY {time.time():.6f}", flush=True)
            app.quit()
        return False


app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""

# Watches the real start-up path from inside: the window is shown by app.run_gui as usual.
APP = """
import sys, time
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication
from sanctuary_desktop.ui import main_window

ACTIONS = sys.argv.pop(1) == "actions"
SEARCH_WORD = sys.argv.pop(1)

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

shown = main_window.MainWindow.show


# READY when the cohort list paints with rows in it (the window is on screen with the
# list filled); PLAN when the first cohort's tabs are filled; IDLE when every start-up
# service call has answered.
class Watcher(QObject):

    def __init__(self, window):
        super().__init__()
        self.window = window
        self.page = window.cohorts_page
        self.painted = False
        self.planned = False
        self.page.list.viewport().installEventFilter(self)
        QTimer.singleShot(0, self.check)

    def eventFilter(self, watched, event):
        if not self.painted and event.type() == QEvent.Type.Paint and self.page.model.rowCount():
            self.painted = True
            print(f"READY {time.time():.6f}", flush=True)
        return False

    def check(self):
        window, page = self.window, self.page
        if not self.planned and window.finished and page.right.currentWidget() is page.detail:
            self.planned = True
            QApplication.instance().processEvents()  # the first paint with the plan
            print(f"PLAN {time.time():.6f}", flush=True)
        if self.painted and self.planned and window.ctx.services.idle:
            print(f"IDLE {time.time():.6f}", flush=True)
            print(f"RSS {rss_mb():.1f}", flush=True)
            if ACTIONS:
                self.act()
                print(f"RSS_AFTER {rss_mb():.1f}", flush=True)
            window.close()
            QApplication.instance().quit()
            return
        QTimer.singleShot(2, self.check)

    def settle(self):
        app = QApplication.instance()
        while not self.window.ctx.services.idle:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        app.processEvents()

    def act(self):
        # What big_database.py times, to see the memory they leave behind.
        window, page = self.window, self.page
        for row in range(1, min(len(page.model.rows), 8)):
            page._select_row(row)
            self.settle()
        window.show_page(1)
        self.settle()
        for step in (-1, -1, -1, 3):
            window.calendar_page.step_month(step)
            self.settle()
        window.show_page(3)
        window.search_page.search_for(SEARCH_WORD)
        self.settle()
        window.show_page(0)
        self.settle()


def show_and_watch(self):
    if not hasattr(self, "watcher"):
        self.watcher = Watcher(self)
    shown(self)


main_window.MainWindow.show = show_and_watch
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_child(args: list[str]) -> dict[str, float]:
    """Start a child, read its KEY value lines; times become seconds since the start."""
    env = dict(os.environ)
    # As on a user's machine, Python keeps the compiled modules it makes on the first
    # start (some shells, like this project's sandbox, set this to turn that off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    child = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"{args[:2]} failed:\n{child.stderr}")
    found: dict[str, float] = {}
    for line in child.stdout.splitlines():
        key, _, value = line.partition(" ")
        if key in ("READY", "PLAN", "IDLE"):
            found[key] = float(value) - started
        elif key in ("RSS", "RSS_AFTER"):
            found[key] = float(value)
    return found


def app_run(data: Path, *, actions: bool = False) -> dict[str, float]:
    mode = "actions" if actions else "plain"
    return run_child(["-c", APP, mode, SEARCH_WORD, "--data-dir", str(data)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a database made by make_big_db.py")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # inherited by every child
    with tempfile.TemporaryDirectory() as tmp:
        sample, big = Path(tmp) / "sample", Path(tmp) / "big"
        subprocess.run(
            [sys.executable, "-m", "sanctuary_desktop", "--data-dir", str(sample), "demo"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        big.mkdir(mode=0o700)
        if args.db:
            shutil.copyfile(args.db, big / "sanctuary.db")
        else:
            build(big / "sanctuary.db")
        (big / "sanctuary.db").chmod(0o600)

        # One unmeasured start of each: caches warm, first-run files written.
        run_child(["-c", BARE])
        app_run(sample)
        app_run(big)
        bare: list[float] = []
        sample_runs: list[dict[str, float]] = []
        big_runs: list[dict[str, float]] = []
        for _ in range(args.runs):
            bare.append(run_child(["-c", BARE])["READY"])
            sample_runs.append(app_run(sample))
            big_runs.append(app_run(big))
        memory = [app_run(big, actions=True) for _ in range(3)]

    base = statistics.median(bare)

    def median_of(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def row(name: str, runs: list[dict[str, float]]) -> None:
        ready = median_of(runs, "READY")
        ratio = ready / base
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{name:24} {ready * 1000:8.0f} {ratio:6.2f}x {verdict:6} "
            f"{median_of(runs, 'PLAN') * 1000:8.0f} {median_of(runs, 'IDLE') * 1000:8.0f}"
        )

    print(f"(median of {args.runs} runs each, alternating; ms from process creation)")
    print(f"{'start-up':24} {'shown':>8} {'ratio':>7} {'<=' + str(TARGET_RATIO) + 'x':6} ", end="")
    print(f"{'plan':>8} {'all':>8}")
    print(f"{'bare PySide6 window':24} {base * 1000:8.0f} {1:6.2f}x")
    row("app, sample cohort", sample_runs)
    row("app, big database", big_runs)
    print()
    print(f"(median of {len(memory)} runs of the app with the big database)")
    print(f"{'resident memory':34} {'MB':>8}  target < {TARGET_RSS_MB} MB")
    for name, key in (("after start-up", "RSS"), ("after the big_database actions", "RSS_AFTER")):
        value = median_of(memory, key)
        verdict = "met" if value < TARGET_RSS_MB else "MISSED"
        print(f"{name:34} {value:8.0f}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
