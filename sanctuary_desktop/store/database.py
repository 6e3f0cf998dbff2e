"""The engine, its connection settings, units of work and start-up migration."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from sanctuary_desktop.store.backups import take_backup
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (needed on 3.11).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # Take the write lock up front so two writers wait instead of failing mid-transaction.
        # get_isolation_level() reports the database's level, never AUTOCOMMIT: ask the
        # connection's own options, which is where AUTOCOMMIT is set.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One database (SQLite file or PostgreSQL server) and the way to work with it."""

    def __init__(self, url: str, *, backups_dir: Path | None = None) -> None:
        self.url = url
        self.backups_dir = backups_dir
        self.engine = create_engine(url)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session whose changes are committed together, or not at all."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def schema_version(self) -> str | None:
        """The applied migration, or None for a database with no schema yet."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except (OperationalError, ProgrammingError):
                return None

    def needs_migration(self) -> bool:
        return self.schema_version() != SCHEMA_HEAD

    def migrate(self) -> bool:
        """Bring the schema to the newest version; copy the database first. True if it ran."""
        current = self.schema_version()
        if current == SCHEMA_HEAD:
            return False
        if current is not None:
            self.backup(reason=f"before-migration-from-{current}")
        from sanctuary_desktop.store.migrate import upgrade_to_head

        upgrade_to_head(self)
        log.info("database migrated from %s to %s", current, SCHEMA_HEAD)
        return True

    def backup(self, reason: str) -> Path | None:
        """A consistent copy through SQLite's online backup API, owner-only."""
        source = self.sqlite_path
        if source is None or self.backups_dir is None or not source.exists():
            return None
        return take_backup(source, self.backups_dir, reason)

    def dispose(self) -> None:
        self.engine.dispose()
