"""A real AppContext on a temporary database, with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
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

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="session")
def collect_on_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: garbage holding Qt objects is only ever collected on this thread."""
    collector = GuiThreadCollector(qapp)
    collector.start()
    yield
    collector.stop()


@pytest.fixture
def ctx(tmp_path: Path, qtbot: QtBot) -> Iterator[AppContext]:
    folder = DataFolder(tmp_path / "data").prepare()
    runner = ServiceRunner(lambda: Database(folder.sqlite_url, backups_dir=folder.backups))
    events = Events()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext(
        services=ServiceClient(runner, events),
        events=events,
        settings=settings,
        data_dir=folder.root,
        clock=lambda: NOW,
    )
    context.set_facilitator_zone("America/Vancouver")
    yield context
    qtbot.waitUntil(lambda: context.services.idle, timeout=5000)
    runner.shutdown()


def settle(qtbot: QtBot, ctx: AppContext) -> None:
    """Wait until every service call has come back and been handled."""
    qtbot.waitUntil(lambda: ctx.services.idle, timeout=5000)
