"""Backups of the SQLite file: taking them, telling what they hold, pruning, restoring.

Only the sqlite3 module is used, so this works before SQLAlchemy has an engine and on a
file SQLAlchemy could not open. A backup is a consistent copy through SQLite's online
backup API (safe while the app writes), written to a temporary name, flushed to disk,
made owner-only and renamed into place, so a crash never leaves half a backup under a
backup's name. A file that might be the only copy of someone's notes is never deleted
or overwritten: a damaged database is moved aside, never replaced in place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctuary_desktop.store.location import PRIVATE_DIR, PRIVATE_FILE
from sanctuary_desktop.store.sqlite_files import (
    SQLITE_HEADER,
    connect,
    open_read_only,
    read_header,
    side_file,
)

log = logging.getLogger(__name__)

STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
BACKUP_NAME = re.compile(r"^sanctuary-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.db$")
TEMPORARY_SUFFIX = ".partial"
SIDE_FILES = ("-wal", "-shm", "-journal")
# Tables every schema version has had; a database without them is not ours.
OUR_TABLES = frozenset({"alembic_version", "cohorts", "participants", "calls", "notes"})
DAILY = timedelta(hours=24)


class BackupProblem(Exception):
    """What is wrong with a backup, as a sentence a facilitator can read."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int
    schema: str | None
    cohorts: int
    participants: int
    calls: int
    notes: int
    ok: bool
    # Why ok is False, in plain words; empty when ok.
    problem: str = ""

    @property
    def summary(self) -> str:
        return ", ".join(
            _count(number, word)
            for number, word in (
                (self.cohorts, "cohort"),
                (self.participants, "person"),
                (self.calls, "call"),
                (self.notes, "note"),
            )
        )


def _count(number: int, word: str) -> str:
    if number == 1:
        return f"1 {word}"
    return f"{number} {'people' if word == 'person' else word + 's'}"


# Reading backups


def inspect_backup(path: Path) -> BackupInfo:
    """What a backup holds and whether it is sound; never writes to it or beside it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            header = file.read(100)
    except FileNotFoundError:
        raise BackupProblem("The backup file could not be found.") from None
    except OSError as error:
        raise BackupProblem(f"The backup file could not be read: {error.strerror}.") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise BackupProblem("This file is not a Sanctuary Desktop backup.")
    taken_at, reason = _name_parts(path)
    try:
        with open_read_only(path, header) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if not tables >= OUR_TABLES:
                raise BackupProblem("This file is a database, but not a Sanctuary Desktop backup.")
            problems: list[str] = []
            schema = _scalar_or_none(conn, "SELECT version_num FROM alembic_version", problems)
            counts = [
                _scalar_or_none(conn, f"SELECT count(*) FROM {table}", problems)
                for table in ("cohorts", "participants", "calls", "notes")
            ]
            if schema is None and not problems:
                problems.append("it records no schema version")
            verdict = _quick_check(conn)
            if verdict != "ok":
                problems.insert(0, verdict)
    except sqlite3.DatabaseError as error:
        raise BackupProblem(f"The backup is damaged: {error}.") from None
    return BackupInfo(
        path=path,
        taken_at=taken_at,
        reason=reason,
        size=size,
        schema=str(schema) if schema is not None else None,
        cohorts=_as_int(counts[0]),
        participants=_as_int(counts[1]),
        calls=_as_int(counts[2]),
        notes=_as_int(counts[3]),
        ok=not problems,
        problem="; ".join(problems),
    )


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in the folder, newest first; a damaged one is listed as not ok."""
    infos = []
    for path in _backup_files(folder):
        try:
            infos.append(inspect_backup(path))
        except BackupProblem as problem:
            taken_at, reason = _name_parts(path)
            infos.append(_unreadable(path, taken_at, reason, str(problem)))
    return sorted(infos, key=lambda info: (info.taken_at, info.path.name), reverse=True)


def latest_good_backup(folder: Path) -> BackupInfo | None:
    return next((info for info in list_backups(folder) if info.ok), None)


def daily_backup_due(folder: Path, now: datetime) -> bool:
    """True when no backup was taken in the 24 hours before ``now``."""
    for path in _backup_files(folder):
        age = now - _name_parts(path)[0]
        if timedelta(0) <= age < DAILY:
            return False
    return True


# Writing backups


def take_backup(database: Path, folder: Path, reason: str, *, keep: int = 20) -> Path:
    """Copy the database into the folder, then keep only the newest ``keep`` backups.

    Errors from SQLite or the file system (a damaged database, a full disk) are raised as
    they are, so the caller can name them; no partial file is left behind."""
    target = _write_backup(database, folder, reason)
    prune(folder, keep, spare=target)
    return target


def prune(folder: Path, keep: int, *, spare: Path | None = None) -> list[Path]:
    """Delete backups beyond the newest ``keep``; other files are never touched."""
    newest_first = sorted(_backup_files(folder), key=lambda p: p.name, reverse=True)
    removed = []
    for path in newest_first[max(keep, 1) :]:
        if spare is not None and path == spare:
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError as error:
            log.warning("could not remove old backup %s: %s", path.name, error)
    if removed:
        log.info("removed %d old backups", len(removed))
    return removed


def restore_backup(backup: Path, database: Path, folder: Path) -> Path | None:
    """Put the backup's content in place of the database; returns the kept previous copy.

    A readable database is first copied to a "before-restore" backup; a damaged one (or a
    file that is not a database at all) is renamed aside into the backups folder, byte
    for byte, with its journal files. Nothing the user had is deleted. The caller must
    have closed its own connections to the database."""
    info = inspect_backup(backup)
    if not info.ok:
        raise BackupProblem(f"The backup is damaged: {info.problem}.")
    if database.exists() and backup.resolve() == database.resolve():
        raise BackupProblem("This file is the database itself, not a backup of it.")
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    staged = database.with_name(f".{database.name}.restoring")
    _remove_if_present(staged)  # only ever our own leftover from an interrupted restore
    try:
        _create_private(staged)
        with open_read_only(backup) as source, connect(staged) as target:
            source.backup(target)
        _fsync(staged)
        kept = _keep_previous(database, folder)
        for suffix in SIDE_FILES:
            # Journal files of the old database would be replayed into the restored one.
            _remove_if_present(side_file(database, suffix))
        os.replace(staged, database)
        database.chmod(PRIVATE_FILE)
        _fsync_folder(database.parent)
    finally:
        _remove_if_present(staged)
    log.info("restored %s (previous copy: %s)", backup.name, kept.name if kept else "none")
    return kept


def _keep_previous(database: Path, folder: Path) -> Path | None:
    if not database.exists() or database.stat().st_size == 0:
        return None  # nothing there to lose
    if _is_sound_database(database):
        return _write_backup(database, folder, "before-restore")
    stamp = _free_stamp(folder, lambda s: f"sanctuary-damaged-{s}.db")
    aside = folder / f"sanctuary-damaged-{stamp}.db"
    os.replace(database, aside)
    aside.chmod(PRIVATE_FILE)
    for suffix in SIDE_FILES:
        # A WAL file may hold the damaged database's last committed changes: keep it paired.
        side = side_file(database, suffix)
        if side.exists():
            moved = side_file(aside, suffix)
            os.replace(side, moved)
            moved.chmod(PRIVATE_FILE)
    _fsync_folder(folder)
    _fsync_folder(database.parent)
    log.warning("damaged database moved aside to %s", aside.name)
    return aside


def _is_sound_database(path: Path) -> bool:
    """Readable and passing SQLite's quick check, read-only so a damaged file is untouched."""
    header = read_header(path)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return False
    try:
        with open_read_only(path, header) as conn:
            return _quick_check(conn) == "ok"
    except sqlite3.DatabaseError:
        return False


def _write_backup(database: Path, folder: Path, reason: str) -> Path:
    if not database.is_file():
        raise FileNotFoundError(f"no database file at {database}")
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    label = _clean_reason(reason)
    stamp = _free_stamp(folder, lambda s: f"sanctuary-{s}-{label}.db")
    target = folder / f"sanctuary-{stamp}-{label}.db"
    partial = folder / f".{target.name}{TEMPORARY_SUFFIX}"
    try:
        _create_private(partial)
        source_uri = f"{database.absolute().as_uri()}?mode=rw"
        with connect(source_uri, uri=True) as source, connect(partial) as copy:
            # One step (pages=-1) copies everything under one read lock: a consistent
            # snapshot, while the app's writer carries on in WAL mode.
            source.backup(copy)
            # A rollback-journal file opens read-only without creating -wal/-shm beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        _fsync(partial)
        partial.chmod(PRIVATE_FILE)
        os.replace(partial, target)
        _fsync_folder(folder)
    finally:
        _remove_if_present(partial)
    log.info("backup written: %s", target.name)
    return target


# Helpers


def _quick_check(conn: sqlite3.Connection) -> str:
    rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
    if rows == ["ok"]:
        return "ok"
    return "SQLite's check found: " + "; ".join(rows[:3])


def _scalar_or_none(conn: sqlite3.Connection, query: str, problems: list[str]) -> object:
    try:
        row = conn.execute(query).fetchone()
    except sqlite3.DatabaseError as error:
        problems.append(str(error))
        return None
    return None if row is None else row[0]


def _as_int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _unreadable(path: Path, taken_at: datetime, reason: str, problem: str) -> BackupInfo:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return BackupInfo(path, taken_at, reason, size, None, 0, 0, 0, 0, ok=False, problem=problem)


def _backup_files(folder: Path) -> list[Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return [path for path in entries if BACKUP_NAME.match(path.name) and path.is_file()]


def _name_parts(path: Path) -> tuple[datetime, str]:
    """When the backup was taken and why, from its name; else the file's time."""
    match = BACKUP_NAME.match(path.name)
    if match:
        try:
            taken = datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
            return taken, match["reason"]
        except ValueError:
            pass
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return datetime.fromtimestamp(mtime, UTC), match["reason"] if match else ""


def _clean_reason(reason: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return cleaned or "manual"


def _free_stamp(folder: Path, name_of: Callable[[str], str]) -> str:
    """The current UTC stamp, moved on by microseconds until the name is free."""
    moment = datetime.now(UTC)
    while True:
        stamp = moment.strftime(STAMP_FORMAT)
        if not (folder / name_of(stamp)).exists():
            return stamp
        moment += timedelta(microseconds=1)


def _create_private(path: Path) -> None:
    """Create the file owner-only before anything is written to it."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)


def _remove_if_present(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    # Makes a rename durable on POSIX; Windows cannot open a folder, and needs no such step.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
