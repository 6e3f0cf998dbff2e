"""A real AppContext on a temporary database, with a fixed clock."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sanctuary_desktop.services.runner import ServiceRunner
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.events import Events
from sanctuary_desktop.ui.gc_guard import GuiThreadCollector
from sanctuary_desktop.ui.service_client import ServiceClient
from sanctuary_desktop.ui.theme import apply_theme

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="session")
def collect_on_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: garbage holding Qt objects is only ever collected on this thread."""
    collector = GuiThreadCollector(qapp)
    collector.start()
    yield
    collector.stop()
    # Collect Qt garbage now, while the QApplication still exists, not at interpreter exit.
    gc.collect()


ContextFactory = Callable[[datetime], AppContext]


@pytest.fixture(autouse=True)
def no_dialog_outlives_its_test(qapp: QApplication) -> Iterator[None]:
    """Each test starts with no dialog left open by another: one that a test opened and
    did not close is closed (and deleted) once it is over."""
    yield
    from PySide6.QtWidgets import QDialog

    for widget in qapp.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(0)
            widget.deleteLater()
    qapp.processEvents()


@pytest.fixture
def make_context(tmp_path: Path, qtbot: QtBot) -> Iterator[ContextFactory]:
    """Build contexts whose clock stands still at the given instant; shut them down after."""
    made: list[AppContext] = []

    def build(now: datetime) -> AppContext:
        folder = DataFolder(tmp_path / f"data{len(made)}").prepare()
        runner = ServiceRunner(lambda: Database(folder.sqlite_url, backups_dir=folder.backups))
        events = Events()
        settings = QSettings(str(folder.root / "settings.ini"), QSettings.Format.IniFormat)
        context = AppContext(
            services=ServiceClient(runner, events),
            events=events,
            settings=settings,
            data_dir=folder.root,
            clock=lambda: now,
        )
        context.set_facilitator_zone("America/Vancouver")
        made.append(context)
        return context

    yield build
    for context in made:
        qtbot.waitUntil(lambda c=context: c.services.idle, timeout=5000)  # type: ignore[misc]
        context.services.runner.shutdown()


@pytest.fixture
def ctx(make_context: ContextFactory) -> AppContext:
    return make_context(NOW)


def settle(qtbot: QtBot, ctx: AppContext) -> None:
    """Wait until every service call has come back and been handled."""
    qtbot.waitUntil(lambda: ctx.services.idle, timeout=5000)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    """The app's look for screenshots, put back afterwards for the tests that follow."""
    style, palette, font, sheet = (
        qapp.style().name(),
        qapp.palette(),
        qapp.font(),
        qapp.styleSheet(),
    )
    apply_theme(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyle(style)
