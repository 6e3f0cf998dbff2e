"""Opening the database, and saying in plain words what is wrong when it fails.

Only the app's own database is opened: one recognised by its schema (an `alembic_version`
with one of the app's revisions, and the app's tables), whatever the file is called. A new
database is made only where none was ever kept: a missing or empty file in a folder whose
backups hold data is trouble, with the restore offer, never a fresh start that would push
the good backups out. The app never repairs, takes over or overwrites a file it cannot
open: it names the trouble and lets the facilitator restore a backup, choose another data
folder, or quit. The GUI and the command line say the same sentences (HEADLINES, ADVICE).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from sanctuary_desktop.store.database import (
    Database,
    NotOurDatabase,
    ReadOnlyDatabase,
    SchemaTooNew,
)
from sanctuary_desktop.store.location import NoAccess, used_before
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD, schema_is_newer
from sanctuary_desktop.store.sqlite_files import FileKind, TooSlow, recognise


class Trouble(StrEnum):
    NOT_A_DATABASE = "not-a-database"
    FOREIGN = "foreign"
    EMPTY = "empty"
    MISSING = "missing"
    DAMAGED = "damaged"
    LOCKED = "locked"
    READ_ONLY = "read-only"
    NO_ACCESS = "no-access"
    DISK_FULL = "disk-full"
    NEWER = "newer"
    NO_DRIVER = "no-driver"
    BAD_ADDRESS = "bad-address"
    SERVER_UNREACHABLE = "server-unreachable"
    SIGN_IN_REFUSED = "sign-in-refused"
    DATABASE_MISSING = "database-missing"
    SERVER_ERROR = "server-error"
    SERVER_FOREIGN = "server-foreign"
    UNKNOWN = "unknown"


HEADLINES = {
    Trouble.NOT_A_DATABASE: "The data file is not a Sanctuary Desktop database.",
    Trouble.FOREIGN: "The data file is not a Sanctuary Desktop database.",
    Trouble.EMPTY: "The data file is empty.",
    Trouble.MISSING: "The data file is missing.",
    Trouble.DAMAGED: "The data file is damaged.",
    Trouble.LOCKED: "The data file is in use by another program.",
    Trouble.READ_ONLY: "The data folder cannot be written to.",
    Trouble.NO_ACCESS: "You do not have permission to open the data folder.",
    Trouble.DISK_FULL: "The disk is full.",
    Trouble.NEWER: "The data was saved by a newer version of Sanctuary Desktop.",
    Trouble.NO_DRIVER: "This copy of Sanctuary Desktop cannot talk to that database server.",
    Trouble.BAD_ADDRESS: "The database server's address is not valid.",
    Trouble.SERVER_UNREACHABLE: "The database server could not be reached.",
    Trouble.SIGN_IN_REFUSED: "The database server refused the sign-in.",
    Trouble.DATABASE_MISSING: "The database server has no database of that name.",
    Trouble.SERVER_ERROR: "The database server could not be used.",
    Trouble.SERVER_FOREIGN: "That database on the server is not a Sanctuary Desktop database.",
    Trouble.UNKNOWN: "The data file could not be opened.",
}

ADVICE = {
    Trouble.NOT_A_DATABASE: (
        "It may have been replaced by another file, or cut short while being copied or "
        "synced. It has been left exactly as it is."
    ),
    Trouble.FOREIGN: (
        "It is a database of another program, and the app does not add its own tables to "
        "it. It has been left exactly as it is: choose another data folder, or move the "
        "file away."
    ),
    Trouble.EMPTY: (
        "It holds nothing, although this folder has held data: a sync service or an "
        "interrupted copy may have emptied it. Restore a backup. It has been left exactly "
        "as it is, and so have the backups."
    ),
    Trouble.MISSING: (
        "It is not in the data folder, although the folder has held data: it may have been "
        "moved, deleted or not yet synced. Put it back, or restore a backup. The backups "
        "have been left exactly as they are."
    ),
    Trouble.DAMAGED: (
        "Part of it cannot be read, perhaps after a crash of the disk or a sync service. "
        "It has been left exactly as it is."
    ),
    Trouble.LOCKED: (
        "Another copy of the app, or a sync or backup program, is holding it. Close that "
        "program and try again."
    ),
    Trouble.READ_ONLY: (
        "Your notes cannot be saved there. Check the folder's permissions, or choose "
        "another data folder. Nothing has been changed."
    ),
    Trouble.NO_ACCESS: (
        "It may belong to another user account. Check its owner and permissions, or "
        "choose another data folder. Nothing has been changed."
    ),
    Trouble.DISK_FULL: "Free some space on the disk, then open the app again.",
    Trouble.NEWER: "Update Sanctuary Desktop to open it, or restore an older backup.",
    Trouble.NO_DRIVER: (
        "The driver for that kind of server is not installed with the app. Ask whoever "
        "set up the server, or use the data folder on this computer instead."
    ),
    Trouble.BAD_ADDRESS: (
        "Check the address given with --database-url or SANCTUARY_DATABASE_URL, for "
        "example postgresql://name@server:5432/database."
    ),
    Trouble.SERVER_UNREACHABLE: (
        "Check the server's address and your network connection, or ask whoever runs the "
        "server whether it is up."
    ),
    Trouble.SIGN_IN_REFUSED: (
        "Check the user name and password in the server's address (or in your libpq "
        "password file), or ask whoever runs the server whether your account may sign in."
    ),
    Trouble.DATABASE_MISSING: (
        "Check the database's name at the end of the server's address, or ask whoever runs "
        "the server to create it (the app makes its tables, not the database itself)."
    ),
    Trouble.SERVER_FOREIGN: (
        "It holds another program's tables, and the app does not add its own to them. "
        "Nothing has been changed: give the address of a database of its own."
    ),
    Trouble.SERVER_ERROR: (
        "The server answered with an error, named below. Ask whoever runs the server, or "
        "try again later. Nothing has been changed."
    ),
    Trouble.UNKNOWN: "The details below say what the system reported.",
}

# Troubles a backup puts right: the file is not (or no longer) the data it should be.
RESTORING_HELPS = frozenset(
    {Trouble.NOT_A_DATABASE, Trouble.DAMAGED, Trouble.NEWER, Trouble.EMPTY, Trouble.MISSING}
)


class OpeningProblem(Exception):
    """``server``: the data is on a database server, where a backup in the local data
    folder is never the way out."""

    def __init__(self, trouble: Trouble, detail: str, *, server: bool = False) -> None:
        super().__init__(trouble, detail)
        self.trouble = trouble
        self.detail = detail
        self.server = server

    def __str__(self) -> str:
        return f"{HEADLINES[self.trouble]} {self.detail}".strip()

    @property
    def headline(self) -> str:
        return HEADLINES[self.trouble]

    @property
    def advice(self) -> str:
        return ADVICE[self.trouble]

    @property
    def restoring_helps(self) -> bool:
        return self.trouble in RESTORING_HELPS and not self.server


class NeedsWriting(Exception):
    """A read-only opening found a database that must first be made (``version`` None)
    or upgraded from ``version``: writing that a read-only command does not do itself."""

    def __init__(self, version: str | None) -> None:
        super().__init__(version)
        self.version = version


def open_database(db: Database) -> Database:
    """Recognise the file, check it, refuse a newer schema, migrate: or raise an
    OpeningProblem. A read-only Database is checked, never made or migrated: NeedsWriting
    says when it would have to be."""
    try:
        version = _recognised_version(db) if db.is_sqlite else db.schema_version()
        if version is not None and schema_is_newer(version):
            raise OpeningProblem(
                Trouble.NEWER,
                f"(schema {version}; this version reads {SCHEMA_HEAD})",
                server=db.is_server,
            )
        if version == SCHEMA_HEAD:
            return db
        if db.read_only:
            raise NeedsWriting(version)
        db.migrate()
    except (OpeningProblem, NeedsWriting):
        raise
    except Exception as error:
        raise diagnose(error, db.sqlite_path, server=db.is_server) from error
    return db


def open_for_reading(make: Callable[[bool], Database], *, upgrade: bool = True) -> Database:
    """A read-only Database (``make(read_only)`` makes one), checked like any opening.

    Where the database must first be made (a fresh folder) or upgraded, and ``upgrade``
    allows it, a writer does that once, as the app would, and the reading starts after;
    otherwise NeedsWriting is raised."""
    for attempt in range(2):
        db = make(True)
        try:
            return open_database(db)
        except NeedsWriting:
            db.dispose()
            if not upgrade or attempt:
                raise
        except BaseException:
            db.dispose()
            raise
        writer = make(False)
        try:
            open_database(writer)
        finally:
            writer.dispose()
    raise AssertionError("unreachable")


def _recognised_version(db: Database) -> str | None:
    """The schema version of the app's own file; None for a new database to be made."""
    path = db.sqlite_path
    if path is None:  # in memory
        return db.schema_version()
    if not db.read_only:
        _refuse_read_only(db)
    found = recognise(path)
    if found.kind in (FileKind.MISSING, FileKind.EMPTY):
        if used_before(path, db.backups_dir):
            trouble = Trouble.MISSING if found.kind is FileKind.MISSING else Trouble.EMPTY
            raise OpeningProblem(trouble, found.detail or f"{path.name} is not in {path.parent}")
        return None  # a fresh folder: the new database is made here
    if found.kind in (FileKind.NOT_SQLITE, FileKind.NOT_A_FILE):
        raise OpeningProblem(Trouble.NOT_A_DATABASE, found.detail)
    if found.kind is FileKind.FOREIGN:
        raise OpeningProblem(Trouble.FOREIGN, found.detail)
    _quick_check(db)
    return found.version


def _refuse_read_only(db: Database) -> None:
    """A database that will be written: the file and its folder must take writes. An
    existing read-only file or folder is named, never made writable."""
    path = db.sqlite_path
    assert path is not None
    folders = [path.parent]
    if db.backups_dir is not None and db.backups_dir.exists():
        folders.append(db.backups_dir)
    for folder in folders:
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise OpeningProblem(Trouble.READ_ONLY, f"{folder} is read-only")
    if path.is_file() and not os.access(path, os.W_OK):
        raise OpeningProblem(Trouble.READ_ONLY, f"{path.name} is read-only")


def _quick_check(db: Database) -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        rows = [row[0] for row in conn.execute(text("PRAGMA quick_check")).fetchall()]
    if rows != ["ok"]:
        shown = "; ".join(str(row) for row in rows[:3])
        raise OpeningProblem(Trouble.DAMAGED, f"SQLite's check found: {shown}")


def diagnose(
    error: BaseException, where: Path | None = None, *, server: bool = False
) -> OpeningProblem:
    """Name the trouble behind an exception raised while opening or writing the data.

    ``where`` is the data file, when known: SQLite reports a full disk met while growing
    its shared-memory file as a "disk I/O error", so the file system is asked too.
    ``server``: the data is on a database server, so the trouble is the server's, never
    the data file's."""
    problem = _diagnose(error)
    if server:
        if problem.trouble is Trouble.FOREIGN:
            return OpeningProblem(Trouble.SERVER_FOREIGN, problem.detail, server=True)
        if problem.trouble in SERVER_TROUBLES or problem.trouble is Trouble.NEWER:
            return OpeningProblem(problem.trouble, problem.detail, server=True)
        return OpeningProblem(Trouble.SERVER_ERROR, problem.detail, server=True)
    if problem.trouble is Trouble.UNKNOWN and where is not None and _no_space_left(where):
        return OpeningProblem(Trouble.DISK_FULL, problem.detail)
    return problem


# What can go wrong on the way to a server.
SERVER_TROUBLES = frozenset(
    {
        Trouble.NO_DRIVER,
        Trouble.BAD_ADDRESS,
        Trouble.SERVER_UNREACHABLE,
        Trouble.SIGN_IN_REFUSED,
        Trouble.DATABASE_MISSING,
        Trouble.SERVER_ERROR,
        Trouble.SERVER_FOREIGN,
    }
)

# PostgreSQL's error codes (SQLSTATE) for the troubles of signing in.
SQLSTATE_TROUBLES = {
    "28P01": Trouble.SIGN_IN_REFUSED,  # invalid_password
    "28000": Trouble.SIGN_IN_REFUSED,  # invalid_authorization_specification
    "3D000": Trouble.DATABASE_MISSING,  # invalid_catalog_name
    "08001": Trouble.SERVER_UNREACHABLE,  # sqlclient_unable_to_establish_sqlconnection
    "08006": Trouble.SERVER_UNREACHABLE,  # connection_failure
}

FULL_BELOW_BYTES = 256 * 1024


def _no_space_left(where: Path) -> bool:
    for folder in (where, *where.parents):
        try:
            stats = os.statvfs(folder) if hasattr(os, "statvfs") else None
        except OSError:
            continue
        if stats is None:
            import shutil

            return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
        return stats.f_bavail * stats.f_frsize < FULL_BELOW_BYTES
    return False


SQLITE_FULL = 13


def _diagnose(error: BaseException) -> OpeningProblem:
    if isinstance(error, OpeningProblem):
        return error
    cause: BaseException = error
    if isinstance(error, DBAPIError) and error.orig is not None:
        cause = error.orig
    message = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    lowered = str(cause).lower()
    if isinstance(error, SchemaTooNew):
        return OpeningProblem(Trouble.NEWER, f"({error})")
    if isinstance(error, NotOurDatabase):
        return OpeningProblem(Trouble.FOREIGN, message)
    if isinstance(error, ReadOnlyDatabase):
        return OpeningProblem(Trouble.READ_ONLY, message)
    if isinstance(error, TooSlow):
        return OpeningProblem(Trouble.DAMAGED, message)
    if isinstance(error, (NoSuchModuleError, ModuleNotFoundError)):
        return OpeningProblem(Trouble.NO_DRIVER, message)
    if isinstance(error, ArgumentError):
        return OpeningProblem(Trouble.BAD_ADDRESS, message)
    if isinstance(error, DBAPIError) and not isinstance(cause, sqlite3.Error):
        known = _server_trouble(cause, lowered)
        if known is not None:
            return OpeningProblem(known, _server_detail(message))
    if isinstance(cause, NoAccess):
        return OpeningProblem(Trouble.NO_ACCESS, _os_detail(cause))
    if isinstance(cause, OSError) and not isinstance(cause, sqlite3.Error):
        if cause.errno == errno.ENOSPC:
            return OpeningProblem(Trouble.DISK_FULL, _os_detail(cause))
        if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return OpeningProblem(Trouble.READ_ONLY, _os_detail(cause))
        if cause.errno in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
            return OpeningProblem(Trouble.NOT_A_DATABASE, _os_detail(cause))
    if isinstance(cause, sqlite3.Error) and (
        getattr(cause, "sqlite_errorcode", 0) & 0xFF == SQLITE_FULL
    ):
        return OpeningProblem(Trouble.DISK_FULL, message)
    if isinstance(cause, sqlite3.DatabaseError) or isinstance(error, OperationalError):
        if "file is not a database" in lowered:
            return OpeningProblem(Trouble.NOT_A_DATABASE, message)
        if "malformed" in lowered or "corrupt" in lowered:
            return OpeningProblem(Trouble.DAMAGED, message)
        if "locked" in lowered or "busy" in lowered:
            return OpeningProblem(Trouble.LOCKED, message)
        if "readonly" in lowered or "read-only" in lowered:
            return OpeningProblem(Trouble.READ_ONLY, message)
        if "full" in lowered:
            return OpeningProblem(Trouble.DISK_FULL, message)
        if "password" in lowered or "authentication" in lowered:
            return OpeningProblem(Trouble.SIGN_IN_REFUSED, message)
        if any(
            words in lowered
            for words in (
                "could not connect",
                "could not translate host",
                "connection refused",
                "timeout expired",
                "name or service not known",
                "no route to host",
            )
        ):
            return OpeningProblem(Trouble.SERVER_UNREACHABLE, message)
        if "unable to open" in lowered:
            return OpeningProblem(Trouble.READ_ONLY, message)
    return OpeningProblem(Trouble.UNKNOWN, message or type(error).__name__)


def _server_trouble(cause: BaseException, lowered: str) -> Trouble | None:
    """A driver's error on the way to a server, by its SQLSTATE or, for libpq's own
    connection errors (which carry none), by its words."""
    state = getattr(cause, "sqlstate", None)
    if isinstance(state, str) and state in SQLSTATE_TROUBLES:
        return SQLSTATE_TROUBLES[state]
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return Trouble.SIGN_IN_REFUSED
    if "no pg_hba.conf entry" in lowered or "authentication failed" in lowered:
        return Trouble.SIGN_IN_REFUSED
    if "database" in lowered and "does not exist" in lowered:
        return Trouble.DATABASE_MISSING
    if any(
        words in lowered
        for words in (
            "connection refused",
            "could not connect",
            "could not translate host",
            "timeout expired",
            "name or service not known",
            "no route to host",
            "network is unreachable",
            "server closed the connection",
            "connection timed out",
        )
    ):
        return Trouble.SERVER_UNREACHABLE
    return None


def _server_detail(message: str) -> str:
    """libpq's words without its prefix ("connection failed: ... failed: FATAL:")."""
    detail = message
    for prefix in ("connection failed:",):
        if detail.lower().startswith(prefix):
            detail = detail[len(prefix) :].strip()
    return detail


def _os_detail(error: OSError) -> str:
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"
