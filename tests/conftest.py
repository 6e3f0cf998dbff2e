"""Shared fixtures: a fresh data folder and database per test, and no network."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app promises no network connection: any attempt fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise NetworkBlocked("the app must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    return DataFolder(tmp_path / "data").prepare()


@pytest.fixture
def db(folder: DataFolder) -> Iterator[Database]:
    database = Database(folder.sqlite_url, backups_dir=folder.backups)
    database.migrate()
    yield database
    database.dispose()
