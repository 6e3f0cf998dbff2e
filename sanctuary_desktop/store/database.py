"""The engine, its connection settings, units of work and start-up migration."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from sanctuary_desktop.store.backups import take_backup
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD, schema_is_newer
from sanctuary_desktop.store.sqlite_files import (
    FileKind,
    create_private,
    read_header,
    recognise,
    side_file,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

# A server that does not answer is reported after this many seconds, not waited on.
SERVER_CONNECT_TIMEOUT_S = 10
# The key of the server-side advisory lock migrations take: any number of clients may
# start at once on an empty or older database, and one of them migrates it.
MIGRATION_LOCK_KEY = 0x53414E4354  # "SANCT"


class NotOurDatabase(Exception):
    """The database holds tables, but not the app's: it is never taken over."""


class SchemaTooNew(Exception):
    """The schema was written by a newer version of the app (or is not one it knows)."""

    def __init__(self, version: str) -> None:
        super().__init__(f"schema {version}; this version reads {SCHEMA_HEAD}")
        self.version = version


class ReadOnlyDatabase(Exception):
    """A change was asked of a database opened read-only."""


def read_only_uri(path: Path) -> str:
    """SQLite's URI for reading ``path`` without writing to it.

    A database in WAL mode needs its -shm file to be read; where the folder cannot be
    written to (a read-only mount) and no -wal file is there, so no change is pending,
    "immutable" reads the main file without one."""
    uri = f"{path.absolute().as_uri()}?mode=ro"
    header = read_header(path)
    in_wal_mode = len(header) >= 20 and header[18:20] == b"\x02\x02"
    if in_wal_mode and not side_file(path, "-wal").exists() and not os.access(path.parent, os.W_OK):
        uri += "&immutable=1"
    return uri


def _configure_sqlite(engine: Engine, path: Path | None, *, read_only: bool) -> None:
    @event.listens_for(engine, "do_connect")
    def on_do_connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: Any) -> None:
        if path is None:
            return
        if read_only:
            # Opened through a URI so SQLite itself refuses every write, creates nothing.
            cargs[:] = [read_only_uri(path)]
            cparams["uri"] = True
        elif not path.exists():
            # A new file is owner-only from the start; SQLite would follow the umask.
            with suppress(FileExistsError):
                create_private(path)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (needed on 3.11).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A writer takes the write lock up front, so two writers wait instead of failing
        # mid-transaction; a reader never asks for it (in WAL mode it reads a snapshot
        # while another process writes).
        # get_isolation_level() reports the database's level, never AUTOCOMMIT: ask the
        # connection's own options, which is where AUTOCOMMIT is set.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _configure_server_read_only(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        dbapi_connection.commit()


def server_url(url: str) -> str:
    """``url`` with the app's PostgreSQL driver (psycopg 3) where none is named:
    `postgresql://` and `postgres://` would otherwise ask for psycopg2."""
    try:
        parsed = make_url(url)
    except ValueError as error:  # a port that is not a number
        raise ArgumentError(f"the address cannot be read ({error})") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    return url


def shown_url(url: str) -> str:
    """The address to show and log: the password never appears."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an address SQLAlchemy cannot read is shown without its secrets
        return "the address given"


class Database:
    """One database (SQLite file or PostgreSQL server) and the way to work with it.

    ``read_only`` opens it so that nothing can be written: SQLite through a `mode=ro`
    URI with `query_only` on, reads in plain (deferred) transactions that never wait
    for another process's write lock; a server in read-only transactions."""

    def __init__(
        self, url: str, *, backups_dir: Path | None = None, read_only: bool = False
    ) -> None:
        url = server_url(url)
        self.url = url
        self.backups_dir = backups_dir
        self.read_only = read_only
        connect_args: dict[str, Any] = {}
        if make_url(url).get_backend_name() == "postgresql":
            connect_args["connect_timeout"] = SERVER_CONNECT_TIMEOUT_S
            connect_args["application_name"] = "sanctuary-desktop"
        # hide_parameters: statements' values (a participant's notes) stay out of errors
        # and so out of the log.
        self.engine = create_engine(url, connect_args=connect_args, hide_parameters=True)
        if self.is_sqlite:
            _configure_sqlite(self.engine, self.sqlite_path, read_only=read_only)
        elif read_only and self.engine.dialect.name == "postgresql":
            _configure_server_read_only(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_server(self) -> bool:
        return not self.is_sqlite

    @property
    def where(self) -> str:
        """The server's address without the password, or the file's path."""
        return shown_url(self.url)

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
        path = self.sqlite_path
        if path is not None and not path.exists():
            return None  # asking must not make the file
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
        """Bring the schema to the newest version; copy the database first. True if it ran.

        Only the app's own database, or one with nothing in it, is migrated: another
        program's tables (NotOurDatabase) and a newer schema (SchemaTooNew) are refused
        with nothing written. On a server, the whole step runs under a server-side
        advisory lock: clients starting at once wait for each other, and the first one
        migrates while the others find the schema at head."""
        if self.engine.dialect.name != "postgresql":
            return self._migrate(None)
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            conn.commit()
            try:
                return self._migrate(conn)
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                conn.commit()

    def _migrate(self, conn: Connection | None) -> bool:
        self._refuse_foreign()
        current = self.schema_version()
        if current == SCHEMA_HEAD:
            return False
        if current is not None and schema_is_newer(current):
            raise SchemaTooNew(current)
        if self.read_only:
            raise ReadOnlyDatabase("the database is open read-only; it cannot be upgraded")
        if current is not None:
            self.backup(reason=f"before-migration-from-{current}")
        from sanctuary_desktop.store.migrate import upgrade_to_head

        if conn is None:
            upgrade_to_head(self)
        else:
            upgrade_to_head(self, conn)
        log.info("database migrated from %s to %s", current, SCHEMA_HEAD)
        return True

    def _refuse_foreign(self) -> None:
        """NotOurDatabase unless the database is the app's own, empty, or not there yet.
        A file is read with the sqlite3 module, read-only, before SQLAlchemy connects (a
        connection would set WAL mode: a write)."""
        path = self.sqlite_path
        if path is not None:
            found = recognise(path)
            if found.kind is FileKind.FOREIGN:
                raise NotOurDatabase(found.detail)
            return
        if not self.is_sqlite:
            with self.engine.connect() as conn:
                names = inspect(conn).get_table_names()
            if names and "alembic_version" not in names:
                shown = ", ".join(sorted(names)[:5])
                raise NotOurDatabase(f"it holds another program's tables ({shown})")

    def backup(self, reason: str) -> Path | None:
        """A consistent copy through SQLite's online backup API, owner-only; on a
        PostgreSQL server, pg_dump's archive of it when pg_dump is installed."""
        if self.engine.dialect.name == "postgresql":
            return self._server_dump(reason)
        source = self.sqlite_path
        if source is None or self.backups_dir is None or not source.exists():
            return None
        return take_backup(source, self.backups_dir, reason)

    def _server_dump(self, reason: str) -> Path | None:
        """pg_dump's custom-format archive of the server's database in the backups folder
        (`server-<UTC stamp>-<reason>.dump`, owner-only); None without pg_dump or a
        backups folder. The password goes to pg_dump through its environment, never its
        command line."""
        import glob
        import re
        import shutil
        import subprocess
        from datetime import UTC, datetime

        folder = self.backups_dir
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
        pg_dump = shutil.which("pg_dump") or (candidates[0] if candidates else None)
        if folder is None or pg_dump is None:
            log.warning("no backup of the server before %s: pg_dump is not installed", reason)
            return None
        url = make_url(self.url)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        label = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
        target = folder / f"server-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{label}.dump"
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        env = {**os.environ, "PGCONNECT_TIMEOUT": str(SERVER_CONNECT_TIMEOUT_S)}
        if url.password is not None:
            env["PGPASSWORD"] = str(url.password)
        command = [pg_dump, "--format=custom", "--no-owner", "--file", str(partial)]
        for option, value in (("--host", url.host), ("--port", url.port)):
            if value is not None:
                command += [option, str(value)]
        if url.username:
            command += ["--username", url.username]
        command += ["--dbname", url.database or ""]
        old_umask = os.umask(0o077)
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        finally:
            os.umask(old_umask)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            said = done.stderr.strip().splitlines()
            raise RuntimeError(f"pg_dump could not back up the server: {said[-1] if said else ''}")
        os.replace(partial, target)
        log.info("server backed up with pg_dump to %s", target.name)
        return target

    def dispose(self) -> None:
        self.engine.dispose()
