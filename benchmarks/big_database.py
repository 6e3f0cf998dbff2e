"""How the app feels with years of data: switching cohorts, the calendar month, search.

    python benchmarks/big_database.py [--runs 7] [--db FILE]

Builds the big database of make_big_db.py (200 cohorts, 6,000 calls, 2,000 people,
100,000 notes) unless --db names one, then opens it the way the app does: a
ServiceRunner on its own thread, an AppContext and the real MainWindow, offscreen
unless a display is set. Each action is timed from the moment it is asked for until
every service answer has arrived and the view shows the result (its pending paint
included):

- switching cohorts: another cohort chosen in the list, until its plan is on every tab;
- the calendar month: from the Cohorts page to the Calendar page on another month, until
  that month's calls are in the grid;
- searching all notes for a word: typed into the Search page (`search_for`) until its
  results list shows that word's hits; without a Search page, `services.search.search_all`
  through the ServiceClient; n/a while neither exists. A different word each run.

Prints the median of several runs of each (one unmeasured run first). Target: < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_big_db beside this file

from make_big_db import PLACE_NAMES, SEARCH_WORD, build

TARGET_MS = 100.0


def no_display() -> bool:
    return not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a database made by make_big_db.py")
    args = parser.parse_args()
    if no_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Qt after the platform is chosen.
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from sanctuary_desktop.services.runner import ServiceRunner
    from sanctuary_desktop.store.database import Database
    from sanctuary_desktop.store.location import DataFolder
    from sanctuary_desktop.ui.context import AppContext
    from sanctuary_desktop.ui.events import Events
    from sanctuary_desktop.ui.gc_guard import GuiThreadCollector
    from sanctuary_desktop.ui.main_window import MainWindow
    from sanctuary_desktop.ui.service_client import ServiceClient
    from sanctuary_desktop.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    # As in app.run_gui: cyclic garbage is collected on the GUI thread, from a timer.
    collector = GuiThreadCollector(app)
    collector.start()

    def wait_until(done: Callable[[], bool], timeout: float = 30.0) -> None:
        """Run the event loop (sleeping in it, as the app does) until ``done()``."""
        if done():
            return
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(1)
        poll.timeout.connect(lambda: done() and loop.quit())
        QTimer.singleShot(int(timeout * 1000), loop.quit)
        poll.start()
        loop.exec()
        poll.stop()
        if not done():
            raise TimeoutError("the view did not fill in time")

    def timed(act: Callable[[], None], filled: Callable[[], bool]) -> float:
        start = time.perf_counter()
        act()
        wait_until(lambda: ctx.services.idle and filled())
        app.processEvents()  # the paint the answer asked for
        return (time.perf_counter() - start) * 1000

    results: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        root.mkdir(mode=0o700)
        folder = DataFolder(root)
        if args.db:
            shutil.copyfile(args.db, folder.database)
        else:
            started = time.perf_counter()
            build(folder.database)
            print(f"(big database built in {time.perf_counter() - started:.1f} s)")
        folder.prepare()
        runner = ServiceRunner(lambda: Database(folder.sqlite_url, backups_dir=folder.backups))
        runner.start().result()
        events = Events()
        ctx = AppContext(
            services=ServiceClient(runner, events),
            events=events,
            settings=QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat),
            data_dir=folder.root,
        )
        window = MainWindow(ctx)
        window.show()
        page = window.cohorts_page
        wait_until(lambda: ctx.services.idle and page.plan is not None)

        # Switching cohorts: a different one each time, as a facilitator clicking down the list.
        switches: list[float] = []
        for run in range(args.runs + 1):
            row = (run * 7 + 3) % page.proxy.rowCount()
            wanted = page.model.rows[row].id

            def choose(row: int = row) -> None:
                page.list.setCurrentIndex(page.proxy.index(row, 0))

            def shown(wanted: int = wanted) -> bool:
                return page.plan is not None and page.plan.cohort.id == wanted

            ms = timed(choose, shown)
            if run:
                switches.append(ms)
        results.append(("switch cohorts", switches))

        # The calendar month page: opened from the Cohorts page on another month each time.
        calendar = window.calendar_page
        months: list[float] = []
        year, month = calendar.shown_month
        for run in range(args.runs + 1):
            window.show_page(0)
            app.processEvents()
            month = month - 1 or 12
            year = year - 1 if month == 12 else year

            def open_month(year: int = year, month: int = month) -> None:
                window.show_page(1)
                calendar.show_month(year, month)

            def in_grid() -> bool:
                loader = calendar.month_loader
                return not loader.busy and loader.loaded_ticket == loader.ticket

            ms = timed(open_month, in_grid)
            if run:
                months.append(ms)
        shown_calls = len(calendar.month_calls)
        results.append((f"calendar month ({shown_calls} calls)", months))
        window.show_page(0)

        # Searching every note for a word in the Search page (its box, its results list),
        # then scrolling the results to the end, which loads the next page of notes.
        words = [SEARCH_WORD, *PLACE_NAMES[: args.runs]]
        searcher = window.search_page
        window.show_page(3)
        searches: list[float] = []
        pages: list[float] = []
        for run, word in enumerate(words):

            def type_and_search(word: str = word) -> None:
                searcher.search_for(word)

            def listed(word: str = word) -> bool:
                return searcher.results.query == word

            ms = timed(type_and_search, listed)
            loaded = searcher.model.notes_loaded

            def more(loaded: int = loaded) -> bool:
                return searcher.model.notes_loaded > loaded

            page_ms = timed(searcher.view.scrollToBottom, more)
            if run:
                searches.append(ms)
                pages.append(page_ms)
        results.append(("search all notes (search page)", searches))
        results.append(("next 50 notes, scrolled to", pages))
        window.show_page(0)

        window.close()
        wait_until(lambda: ctx.services.idle)
        runner.shutdown()

    print(f"(median of {args.runs} runs after one unmeasured run; big database)")
    print(f"{'action':36} {'median ms':>10} {'max ms':>8}  target < {TARGET_MS:.0f} ms")
    for name, samples in results:
        median = statistics.median(samples)
        verdict = "met" if median < TARGET_MS else "MISSED"
        print(f"{name:36} {median:10.0f} {max(samples):8.0f}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
