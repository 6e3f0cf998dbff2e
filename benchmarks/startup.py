"""Start-up time of the app against a bare PySide6 window, and the app's resident memory.

    python benchmarks/startup.py [--runs 7] [--db FILE]

Each run is a new process. The clock starts in this (parent) process just before the
child is created and stops when the child prints the wall time of the moment it is ready,
so interpreter start, imports, Qt, the database and the first answers all count:

- bare window: QApplication and a 1280x800 QWidget shown, ready at its first turn of the
  event loop;
- the app (``python -m sanctuary_desktop`` with MainWindow.show patched to watch): ready
  when the cohort list has rows and the first cohort's plan is shown; "all answered" is
  later, when every service call made at start-up has come back (the start-up backup is
  one of them).

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
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
window.show()

def ready():
    print(f"READY {time.time():.6f}", flush=True)
    app.quit()

QTimer.singleShot(0, ready)
app.exec()
"""

# Watches the real start-up path from inside: the window is shown by app.run_gui as usual.
APP = """
import sys, time
from PySide6.QtCore import QEventLoop, QTimer
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

def show_and_watch(self):
    shown(self)
    page = self.cohorts_page
    ready = []

    def settle():
        app = QApplication.instance()
        while not self.ctx.services.idle:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        app.processEvents()

    def act():
        # What big_database.py times, to see the memory they leave behind.
        rows = page.model.rows
        for row in range(1, min(len(rows), 8)):
            page._select_row(row)
            settle()
        self.show_page(1)
        settle()
        for step in (-1, -1, -1, 3):
            self.calendar_page.step_month(step)
            settle()
        searcher = getattr(self, "search_page", None)
        if searcher is not None and hasattr(searcher, "search_for"):
            self.stack.setCurrentWidget(searcher)
            searcher.search_for(SEARCH_WORD)
            settle()
        else:
            try:
                from sanctuary_desktop.services.search import search_all
            except ImportError:
                search_all = None
            if search_all is not None:
                self.ctx.services.call(search_all, SEARCH_WORD, limit=50)
                settle()
        self.show_page(0)
        settle()

    def check():
        if not ready and page.model.rowCount() > 0 and page.right.currentWidget() is page.detail:
            ready.append(time.time())
            QApplication.instance().processEvents()  # the first paint with the list filled
            print(f"READY {time.time():.6f}", flush=True)
        if ready and self.ctx.services.idle:
            print(f"IDLE {time.time():.6f}", flush=True)
            print(f"RSS {rss_mb():.1f}", flush=True)
            if ACTIONS:
                act()
                print(f"RSS_AFTER {rss_mb():.1f}", flush=True)
            self.close()
            QApplication.instance().quit()
            return
        QTimer.singleShot(2, check)

    QTimer.singleShot(0, check)

main_window.MainWindow.show = show_and_watch
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_child(args: list[str]) -> dict[str, float]:
    """Start a child, read its KEY value lines; times become seconds since the start."""
    env = dict(os.environ)
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
        if key in ("READY", "IDLE"):
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

    def row(name: str, ready: float, idle: float | None = None) -> None:
        ratio = ready / base
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        idle_text = f"{idle * 1000:8.0f}" if idle is not None else f"{'':8}"
        print(
            f"{name:34} {ready * 1000:8.0f} {idle_text} {ratio:6.2f}x  "
            f"{verdict if idle is not None else ''}"
        )

    def median_of(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"(median of {args.runs} runs each, alternating; times from process creation)")
    print(f"{'start-up':34} {'ready ms':>8} {'all ms':>8} {'ratio':>7}  target <= {TARGET_RATIO}x")
    print(f"{'bare PySide6 window':34} {base * 1000:8.0f}")
    row("app, sample cohort", median_of(sample_runs, "READY"), median_of(sample_runs, "IDLE"))
    row("app, big database", median_of(big_runs, "READY"), median_of(big_runs, "IDLE"))
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
