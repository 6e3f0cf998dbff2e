"""CPU used while the live timer runs with the shared display open, against a bare window.

    python benchmarks/timer_idle.py [--seconds 20] [--runs 3]

Runs offscreen unless a display is set. Prints a table: CPU seconds used per minute of
running, as a median of several runs, and as a share of one core. Target: under 1%.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from sanctuary_desktop.domain.clock import SteadyClock
from sanctuary_desktop.domain.timer import Action
from sanctuary_desktop.services import cohorts, demo
from sanctuary_desktop.services.runner import ServiceRunner
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.events import Events
from sanctuary_desktop.ui.live_window import LiveWindow
from sanctuary_desktop.ui.service_client import ServiceClient
from sanctuary_desktop.ui.sounds import RecordingSounds


def spin(app: QApplication, seconds: float) -> tuple[float, float]:
    """Run the event loop for ``seconds``; return (CPU seconds, wall seconds)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    cpu, wall = time.process_time(), time.perf_counter()
    loop.exec()
    return time.process_time() - cpu, time.perf_counter() - wall


def wait_idle(app: QApplication, ctx: AppContext) -> None:
    while not ctx.services.idle:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)

    with tempfile.TemporaryDirectory() as tmp:
        folder = DataFolder(Path(tmp)).prepare()
        runner = ServiceRunner(lambda: Database(folder.sqlite_url, backups_dir=folder.backups))
        runner.start()
        events = Events()
        ctx = AppContext(
            services=ServiceClient(runner, events),
            events=events,
            settings=QSettings(str(folder.root / "settings.ini"), QSettings.Format.IniFormat),
            data_dir=folder.root,
            clock=SteadyClock(),
        )
        cohort = runner.submit(demo.create_sample).result()
        plan = runner.submit(cohorts.get_plan, cohort.id).result()
        now = datetime.now(UTC) - timedelta(days=1)
        call = next(c for c in plan.calls if c.starts_at > now and not c.cancelled)

        bare = QWidget()
        bare.resize(1280, 800)
        bare.show()
        baseline = [spin(app, args.seconds) for _ in range(args.runs)]
        bare.close()

        window = LiveWindow(ctx, call.id, sounds=RecordingSounds())
        window.show()
        wait_idle(app, ctx)
        window.show_display(None)
        window.do(Action.START, values=window.turn_order())
        wait_idle(app, ctx)
        running = [spin(app, args.seconds) for _ in range(args.runs)]
        window.close()
        wait_idle(app, ctx)
        runner.shutdown()

    rows = [("bare PySide6 window", baseline), ("live timer + shared display", running)]
    runs = f"({args.runs} runs of {args.seconds:g} s)"
    print(f"{'case':32} {'CPU s / min':>12} {'% of a core':>12}   {runs}")
    for name, samples in rows:
        per_minute = statistics.median(cpu / wall * 60 for cpu, wall in samples)
        print(f"{name:32} {per_minute:12.3f} {per_minute / 60 * 100:11.2f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
