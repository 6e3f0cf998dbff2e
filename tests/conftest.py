"""Shared fixtures: a fresh data folder and database per test, and no network.

The store and services suites run each test that takes ``db`` twice: on a SQLite file
and on a PostgreSQL server, the one SANCTUARY_TEST_POSTGRES_URL names (a role that may
create databases; `tests/postgres_server.sh` starts one on 127.0.0.1 and prints its URL).
Each PostgreSQL test gets a database of its own, copied from a template migrated once per
run. Without the URL, the driver or a reachable server, the PostgreSQL variants are
skipped with the reason. Tests that are about the SQLite file itself, and known failures
on PostgreSQL, are listed in tests/postgres_variants.py."""

from __future__ import annotations

import itertools
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
from tests.postgres_variants import (
    BACKEND_SUITES,
    POSTGRES_URL_ENV,
    PostgresServer,
    mark_postgres_variants,
)


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`db` in the store and services suites: once on SQLite, once on PostgreSQL."""
    if "db" not in metafunc.fixturenames:
        return
    parts = Path(str(metafunc.definition.path)).parts
    if any(
        parts[i : i + 2] == ("tests", suite) for suite in BACKEND_SUITES for i in range(len(parts))
    ):
        metafunc.parametrize("backend", ["sqlite", "postgres"], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_postgres_variants(items)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The test server, with a template database at the schema's head; skips without one."""
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        pytest.skip(
            f"{POSTGRES_URL_ENV} is not set: no PostgreSQL server to test against "
            "(start one with tests/postgres_server.sh and export the URL it prints)"
        )
    server = PostgresServer.start(url)  # skips, with the reason, when it cannot
    try:
        yield server
    finally:
        server.close()


_numbers = itertools.count()


@pytest.fixture
def empty_server_database(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of an empty database of its own on the test server."""
    name = postgres_server.create_database(next(_numbers), empty=True)
    try:
        yield postgres_server.url_for(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def db(backend: str, folder: DataFolder, request: pytest.FixtureRequest) -> Iterator[Database]:
    if backend == "postgres":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        name = server.create_database(next(_numbers))
        database = Database(server.url_for(name), backups_dir=folder.backups)
        try:
            yield database
        finally:
            database.dispose()
            server.drop_database(name)
        return
    database = Database(folder.sqlite_url, backups_dir=folder.backups)
    database.migrate()
    yield database
    database.dispose()
