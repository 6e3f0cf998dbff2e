"""Grab the main pages with the sample cohort, at laptop and desktop sizes.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.timer import Action
from sanctuary_desktop.services import cohorts, demo
from sanctuary_desktop.services.runner import ServiceRunner
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.events import Events
from sanctuary_desktop.ui.main_window import MainWindow
from sanctuary_desktop.ui.service_client import ServiceClient
from sanctuary_desktop.ui.theme import apply_theme

SIZES = ((1280, 800), (1920, 1080))


def settle(app: QApplication, ctx: AppContext, seconds: float = 10.0) -> None:
    """Let every service answer arrive and the pages repaint."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if ctx.services.idle:
            break
    for _ in range(5):
        app.processEvents()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        folder = DataFolder(Path(tmp) / "data").prepare()
        runner = ServiceRunner(lambda: Database(folder.sqlite_url, backups_dir=folder.backups))
        events = Events()
        ctx = AppContext(
            services=ServiceClient(runner, events),
            events=events,
            settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat),
            data_dir=folder.root,
        )
        ctx.set_facilitator_zone("America/Vancouver")
        window = MainWindow(ctx)
        window.show()
        settle(app, ctx)
        window.resize(*SIZES[0])
        settle(app, ctx)
        window.grab().save(str(out / "welcome-1280x800.png"))
        runner.submit(demo.create_sample, today=date.today()).result()
        events.data_changed.emit(frozenset(Topic))
        settle(app, ctx)
        page = window.cohorts_page
        for width, height in SIZES:
            window.resize(width, height)
            for index, name in enumerate(("roster", "calls", "timezones", "agendas")):
                window.show_page(0)
                page.tabs.setCurrentIndex(index)
                settle(app, ctx)
                window.grab().save(str(out / f"{name}-{width}x{height}.png"))
            window.show_page(1)
            settle(app, ctx)
            window.grab().save(str(out / f"calendar-{width}x{height}.png"))
            window.show_page(2)
            settle(app, ctx)
            window.grab().save(str(out / f"protocols-{width}x{height}.png"))
        grab_live_call(app, ctx, window, out)
        window.close()
        runner.shutdown()


def grab_live_call(app: QApplication, ctx: AppContext, window: MainWindow, out: Path) -> None:
    """The next call, run live into its first generative discussion, with a note taken."""
    cohort_id = window.cohorts_page.selected_id
    assert cohort_id is not None
    plan = ctx.services.runner.submit(cohorts.get_plan, cohort_id).result()
    call = next(c for c in plan.calls if c.starts_at.date() >= date.today() and not c.cancelled)
    clock = ManualClock(call.starts_at)
    ctx.clock = clock
    live = window.open_live(call.id)
    settle(app, ctx)
    live.do(Action.START, values=live.turn_order())
    for minutes in (5, 10, 7, 5):
        clock.advance(minutes * 60 - 20)
        live.do(Action.SKIP)
    clock.advance(10 * 60 + 5)
    live.notes.text.setPlainText("Trust takes longer to build than funders expect")
    live.notes.save_now()
    settle(app, ctx)
    for width, height in SIZES:
        live.resize(width, height)
        live.refresh()
        settle(app, ctx)
        live.grab().save(str(out / f"live-{width}x{height}.png"))
    live.close()
    settle(app, ctx)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots"))
