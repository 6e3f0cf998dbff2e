"""Opening a SQLite file with the sqlite3 module alone: for backups, restores, the first
look at the cohort list and recognising the app's own database, all of which work before
SQLAlchemy has loaded and never write to the file."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0


@contextlib.contextmanager
def connect(target: str | Path, *, uri: bool = False) -> Iterator[sqlite3.Connection]:
    # sqlite3's own context manager commits but never closes; this one closes.
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, uri=uri)
    try:
        yield conn
    finally:
        conn.close()


def open_read_only(
    path: Path, header: bytes | None = None
) -> contextlib.AbstractContextManager[sqlite3.Connection]:
    """A read-only connection that leaves nothing beside the file; closed on leaving.
    `header` is the file's first 100 bytes, when the caller has read them already."""
    if header is None:
        header = read_header(path)
    uri = f"{path.absolute().as_uri()}?mode=ro"
    in_wal_mode = len(header) >= 20 and header[18:20] == b"\x02\x02"
    if in_wal_mode and not side_file(path, "-wal").exists():
        # Without a WAL file the main file is complete; "immutable" reads it without
        # creating -wal and -shm files beside it, which a read-only reader cannot remove.
        uri += "&immutable=1"
    return connect(uri, uri=True)


def side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(100)
    except OSError:
        return b""


# Recognising the app's own database, before anything opens it for writing

# Tables every schema version has had, besides Alembic's own.
OUR_TABLES = frozenset({"cohorts", "participants", "calls", "notes"})
_REVISION = re.compile(r"^\d{4}$")  # the app numbers its migrations 0001, 0002, ...
RECOGNISING_SECONDS = 10.0


class FileKind(StrEnum):
    MISSING = "missing"
    EMPTY = "empty"  # zero bytes, or a SQLite file with nothing stored in it
    NOT_A_FILE = "not-a-file"  # a folder (or a device, a pipe) where the file should be
    NOT_SQLITE = "not-sqlite"
    FOREIGN = "foreign"  # a SQLite database, but another program's
    OURS = "ours"


@dataclass(frozen=True)
class Recognised:
    kind: FileKind
    version: str | None = None  # the schema version, for OURS
    detail: str = ""


class TooSlow(sqlite3.OperationalError):
    """A query on a file not yet trusted ran past its deadline."""


@contextlib.contextmanager
def deadline(
    conn: sqlite3.Connection, seconds: float, *, own_schema: bool = False
) -> Iterator[None]:
    """Run queries on a file not yet trusted: no stored code with side effects
    (`trusted_schema` off) and a time limit (a view over an endless query never ends).
    ``own_schema`` is for a database the app has just made itself, whose triggers (the
    note search index's) must run; the time limit still holds."""
    trusted = conn.execute("PRAGMA trusted_schema").fetchone()
    if not own_schema:
        conn.execute("PRAGMA trusted_schema = OFF")
    ends = time.monotonic() + seconds
    expired = False

    def over_time() -> int:
        nonlocal expired
        expired = time.monotonic() > ends
        return 1 if expired else 0

    conn.set_progress_handler(over_time, 10_000)
    try:
        yield
    except sqlite3.OperationalError as error:
        if expired:
            raise TooSlow(f"a query ran for more than {seconds:g} seconds") from error
        raise
    finally:
        conn.set_progress_handler(None, 0)
        if trusted is not None:  # a pooled connection goes back as it came
            conn.execute(f"PRAGMA trusted_schema = {int(trusted[0])}")


def recognise(path: Path, *, seconds: float = RECOGNISING_SECONDS) -> Recognised:
    """What the file at ``path`` is, read without writing to it or beside it.

    The app's own database is told by its schema, not its name: an `alembic_version`
    holding one of the app's revisions, and the app's tables. OSError (no permission)
    and sqlite3.DatabaseError (a damaged file) are raised for the caller to name."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return Recognised(FileKind.MISSING)
    if not stat.S_ISREG(status.st_mode):
        what = "a folder" if stat.S_ISDIR(status.st_mode) else "not an ordinary file"
        return Recognised(FileKind.NOT_A_FILE, detail=f"{path.name} is {what}")
    wal = side_file(path, "-wal")
    if status.st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        return Recognised(FileKind.EMPTY, detail=f"{path.name} is empty (0 bytes)")
    header = read_header(path)
    if header and not header.startswith(SQLITE_HEADER[: len(header)]):
        return Recognised(FileKind.NOT_SQLITE, detail=f"{path.name} is not a SQLite database")
    if 0 < len(header) < len(SQLITE_HEADER):
        return Recognised(FileKind.NOT_SQLITE, detail=f"{path.name} is cut short")
    with open_read_only(path, header) as conn, deadline(conn, seconds):
        objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        tables = {
            str(name)
            for kind, name in objects
            if kind == "table" and not str(name).startswith("sqlite_")
        }
        if not objects:
            return Recognised(FileKind.EMPTY, detail=f"{path.name} holds no tables")
        if "alembic_version" not in tables:
            shown = ", ".join(sorted(tables)[:5]) or "no tables, only views or indexes"
            return Recognised(
                FileKind.FOREIGN, detail=f"it is another program's database ({shown})"
            )
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if len(versions) != 1 or not isinstance(versions[0][0], str):
        return Recognised(FileKind.FOREIGN, detail="it records no schema version of this app")
    version = versions[0][0]
    if not _REVISION.match(version):
        return Recognised(
            FileKind.FOREIGN, detail=f"its schema version ({version[:40]}) is not this app's"
        )
    missing = sorted(OUR_TABLES - tables)
    if missing:
        return Recognised(
            FileKind.FOREIGN,
            version=version,
            detail=f"it lacks the app's tables ({', '.join(missing)})",
        )
    return Recognised(FileKind.OURS, version=version)


def holds_data(path: Path, *, seconds: float = RECOGNISING_SECONDS) -> bool:
    """False only for a readable database with no cohort and no protocol of its own; a
    file that cannot be read counts as holding data, since it may."""
    try:
        with open_read_only(path) as conn, deadline(conn, seconds):
            tables = {
                str(row[0])
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            for table in ("cohorts", "protocols"):
                if table in tables and conn.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {table})"
                ).fetchone() != (0,):
                    return True
    except (sqlite3.Error, OSError):
        return True
    return False


def create_private(path: Path) -> None:
    """Make a new, empty file readable by its owner only; never touches one that exists
    (FileExistsError). SQLite gives the -wal and -shm files it makes the same mode."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
