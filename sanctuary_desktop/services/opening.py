"""Opening the database at start-up, and saying in plain words what is wrong when it fails.

The app never repairs or overwrites a database it cannot open: it names the trouble and
lets the facilitator restore a backup, choose another data folder, or quit.
"""

from __future__ import annotations

import errno
import sqlite3
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD, schema_is_newer


class Trouble(StrEnum):
    NOT_A_DATABASE = "not-a-database"
    DAMAGED = "damaged"
    LOCKED = "locked"
    READ_ONLY = "read-only"
    DISK_FULL = "disk-full"
    NEWER = "newer"
    UNKNOWN = "unknown"


HEADLINES = {
    Trouble.NOT_A_DATABASE: "The data file is not a Sanctuary Desktop database.",
    Trouble.DAMAGED: "The data file is damaged.",
    Trouble.LOCKED: "The data file is in use by another program.",
    Trouble.READ_ONLY: "The data folder cannot be written to.",
    Trouble.DISK_FULL: "The disk is full.",
    Trouble.NEWER: "The data was saved by a newer version of Sanctuary Desktop.",
    Trouble.UNKNOWN: "The data file could not be opened.",
}

ADVICE = {
    Trouble.NOT_A_DATABASE: (
        "It may have been replaced by another file, or cut short while being copied or "
        "synced. It has been left exactly as it is."
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
        "another data folder."
    ),
    Trouble.DISK_FULL: "Free some space on the disk, then open the app again.",
    Trouble.NEWER: "Update Sanctuary Desktop to open it, or restore an older backup.",
    Trouble.UNKNOWN: "The details below say what the system reported.",
}


class OpeningProblem(Exception):
    def __init__(self, trouble: Trouble, detail: str) -> None:
        super().__init__(trouble, detail)
        self.trouble = trouble
        self.detail = detail

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
        return self.trouble in (Trouble.NOT_A_DATABASE, Trouble.DAMAGED, Trouble.NEWER)


def open_database(db: Database) -> Database:
    """Check the file, refuse a newer schema, migrate: or raise an OpeningProblem."""
    try:
        if db.is_sqlite:
            _quick_check(db)
        version = db.schema_version()
        if version is not None and schema_is_newer(version):
            raise OpeningProblem(
                Trouble.NEWER, f"(schema {version}; this version reads {SCHEMA_HEAD})"
            )
        db.migrate()
    except OpeningProblem:
        raise
    except Exception as error:
        raise diagnose(error) from error
    return db


def _quick_check(db: Database) -> None:
    with db.engine.connect() as conn:
        rows = [row[0] for row in conn.execute(text("PRAGMA quick_check")).fetchall()]
    if rows != ["ok"]:
        shown = "; ".join(str(row) for row in rows[:3])
        raise OpeningProblem(Trouble.DAMAGED, f"SQLite's check found: {shown}")


def diagnose(error: BaseException) -> OpeningProblem:
    """Name the trouble behind an exception raised while opening or writing the file."""
    cause: BaseException = error
    if isinstance(error, DBAPIError) and error.orig is not None:
        cause = error.orig
    message = str(cause)
    lowered = message.lower()
    if isinstance(cause, OSError):
        if cause.errno == errno.ENOSPC:
            return OpeningProblem(Trouble.DISK_FULL, message)
        if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return OpeningProblem(Trouble.READ_ONLY, message)
    if isinstance(cause, sqlite3.DatabaseError) or isinstance(error, OperationalError):
        if "file is not a database" in lowered:
            return OpeningProblem(Trouble.NOT_A_DATABASE, message)
        if "malformed" in lowered or "corrupt" in lowered:
            return OpeningProblem(Trouble.DAMAGED, message)
        if "locked" in lowered or "busy" in lowered:
            return OpeningProblem(Trouble.LOCKED, message)
        if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
            return OpeningProblem(Trouble.READ_ONLY, message)
        if "full" in lowered:
            return OpeningProblem(Trouble.DISK_FULL, message)
    return OpeningProblem(Trouble.UNKNOWN, message or type(error).__name__)
