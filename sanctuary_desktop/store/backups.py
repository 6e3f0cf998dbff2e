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
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctuary_desktop.store.location import PRIVATE_DIR, PRIVATE_FILE
from sanctuary_desktop.store.schema_check import verify
from sanctuary_desktop.store.schema_version import schema_is_newer
from sanctuary_desktop.store.sqlite_files import (
    OUR_TABLES,
    SQLITE_HEADER,
    TooSlow,
    connect,
    deadline,
    holds_data,
    open_read_only,
    read_header,
    side_file,
)

log = logging.getLogger(__name__)

STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
BACKUP_NAME = re.compile(r"^sanctuary-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.db$")
TEMPORARY_SUFFIX = ".partial"
RESTORING_SUFFIX = ".restoring"
# A temporary file's name: a dot, the final name, the writer's process id, the suffix.
# Older versions wrote no process id: such a file is always a leftover.
LEFTOVER = re.compile(r"^\..+?(?:\.(?P<pid>\d+))?\.(?:partial|restoring)$")
SIDE_FILES = ("-wal", "-shm", "-journal")
DAILY = timedelta(hours=24)
NEWER = "it was made by a newer version of Sanctuary Desktop; update the app to restore it"
# Copying a large backup takes seconds; a query still running after this is not copying.
REBUILD_SECONDS = 600.0
INSPECTION_SECONDS = 10.0


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


def inspect_backup(path: Path, *, verify_schema: bool = True) -> BackupInfo:
    """What a backup holds and whether it is sound; never writes to it or beside it.

    Nothing stored in the file runs: its schema must be exactly what the app's migrations
    make for the version it records (no triggers, views or tables of anyone else's), and
    every query has a deadline. `verify_schema=False` is for a copy the app has just made
    of its own open database."""
    header = _read_regular_file_header(path)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise BackupProblem("This file is not a Sanctuary Desktop backup.")
    size = path.stat().st_size
    taken_at, reason = _name_parts(path)
    problems: list[str] = []
    schema: str | None = None
    counts = [0, 0, 0, 0]
    try:
        with open_read_only(path, header) as conn, deadline(conn, INSPECTION_SECONDS):
            kinds = dict(conn.execute("SELECT name, type FROM sqlite_master").fetchall())
            if any(kinds.get(table) != "table" for table in (*OUR_TABLES, "alembic_version")):
                raise BackupProblem("This file is a database, but not a Sanctuary Desktop backup.")
            found = _scalar_or_none(conn, "SELECT max(version_num) FROM alembic_version", problems)
            schema = None if found is None else str(found)
            if schema is None and not problems:
                problems.append("it records no schema version")
            elif schema is not None and schema_is_newer(schema):
                problems.append(NEWER)
            elif schema is not None and verify_schema:
                differences = verify(conn, schema)
                if differences:
                    problems.append(
                        "its tables are not as Sanctuary Desktop makes them: "
                        + "; ".join(differences[:3])
                        + ("; …" if len(differences) > 3 else "")
                    )
            if not problems:
                counts = [
                    _as_int(_scalar_or_none(conn, f"SELECT count(*) FROM {table}", problems))
                    for table in ("cohorts", "participants", "calls", "notes")
                ]
            verdict = _quick_check(conn)
            if verdict != "ok":
                problems.insert(0, verdict)
    except TooSlow as error:
        raise BackupProblem(f"The backup could not be checked: {error}.") from None
    except sqlite3.DatabaseError as error:
        raise BackupProblem(f"The backup is damaged: {error}.") from None
    return BackupInfo(
        path=path,
        taken_at=taken_at,
        reason=reason,
        size=size,
        schema=schema,
        cohorts=counts[0],
        participants=counts[1],
        calls=counts[2],
        notes=counts[3],
        ok=not problems,
        problem="; ".join(problems),
    )


def _read_regular_file_header(path: Path) -> bytes:
    """The first 100 bytes of a regular file; a FIFO or a device is refused unread."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise BackupProblem("This is not a file that can hold a backup.")
        with path.open("rb") as file:
            return file.read(100)
    except FileNotFoundError:
        raise BackupProblem("The backup file could not be found.") from None
    except OSError as error:
        raise BackupProblem(f"The backup file could not be read: {error.strerror}.") from None


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
    """Copy the database into the folder, then keep the ``keep`` most worth keeping.

    Errors from SQLite or the file system (a damaged database, a full disk) are raised as
    they are, so the caller can name them; no partial file is left behind."""
    remove_leftovers(folder)
    target = _write_backup(database, folder, reason)
    prune(folder, keep, spare=target)
    return target


def prune(folder: Path, keep: int, *, spare: Path | None = None) -> list[Path]:
    """Delete backups beyond ``keep``; other files are never touched.

    Backups that hold no data go first, oldest first, and only then the oldest of those
    with data: a run of start-ups on an emptied database must never push the last copies
    of someone's cohorts out of the folder."""
    backups = _backup_files(folder)
    excess = len(backups) - max(keep, 1)
    if excess <= 0:
        return []
    candidates = sorted(
        (path for path in backups if path != spare),
        key=lambda path: (holds_data(path), path.name),
    )
    removed = []
    for path in candidates[:excess]:
        try:
            path.unlink()
            removed.append(path)
        except OSError as error:
            log.warning("could not remove old backup %s: %s", path.name, error)
    if removed:
        log.info("removed %d old backups", len(removed))
    return removed


def remove_leftovers(*folders: Path) -> list[Path]:
    """Delete the temporary files of backups and restores whose process has died.

    Each temporary name carries its writer's process id, so a copy still being written
    by another process (the command line while the app runs) is left alone."""
    removed = []
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            match = LEFTOVER.match(path.name)
            if match and not (match["pid"] and _process_alive(int(match["pid"]))):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    if removed:
        log.info("removed %d unfinished temporary files", len(removed))
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def _temporary(path: Path, suffix: str) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}{suffix}")


def restore_backup(
    backup: Path,
    database: Path,
    folder: Path,
    *,
    accept: Callable[[Path], list[str]] | None = None,
) -> tuple[BackupInfo, Path | None]:
    """Put the backup's content in place of the database; returns what the backup holds
    and the kept previous copy.

    The backup is checked first (see `inspect_backup`): only a sound file with exactly the
    app's schema is taken, and then only its rows, copied into a database freshly made by
    the app's migrations, so nothing else stored in the file comes along. ``accept``
    looks at that new file before it goes in place and returns the problems it finds;
    any problem refuses the restore with nothing changed.

    A readable database is first copied to a "before-restore" backup; a damaged one (or a
    file that is not a database at all) is renamed aside into the backups folder, byte
    for byte, with its journal files. Nothing the user had is deleted. The caller must
    have closed its own connections to the database."""
    info = inspect_backup(backup)
    if not info.ok:
        if info.problem == NEWER:
            raise BackupProblem(f"This backup cannot be restored: {NEWER}.")
        raise BackupProblem(f"The backup is damaged: {info.problem}.")
    assert info.schema is not None  # an ok backup records its version
    if database.exists() and backup.resolve() == database.resolve():
        raise BackupProblem("This file is the database itself, not a backup of it.")
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    remove_leftovers(database.parent, folder)
    staged = _temporary(database, RESTORING_SUFFIX)
    try:
        _create_private(staged)
        _rebuild(backup, staged, info.schema)
        problems = accept(staged) if accept is not None else []
        if problems:
            raise BackupProblem(
                "The backup's data does not pass the app's checks: " + "; ".join(problems[:3])
            )
        _fsync(staged)
        kept = _keep_previous(database, folder)
        for suffix in SIDE_FILES:
            # Journal files of the old database would be replayed into the restored one.
            _remove_if_present(side_file(database, suffix))
        os.replace(staged, database)
        database.chmod(PRIVATE_FILE)
        _fsync_folder(database.parent)
    finally:
        for suffix in ("", *SIDE_FILES):
            _remove_if_present(side_file(staged, suffix))
    log.info("restored %s (previous copy: %s)", backup.name, kept.name if kept else "none")
    return info, kept


def _rebuild(backup: Path, target: Path, version: str) -> None:
    """Make ``target`` the app's schema at ``version`` and copy the backup's rows into it.

    The indexes and triggers that come with the rows are the app's own (the note search
    index is filled by its triggers as the notes go in)."""
    from sanctuary_desktop.store.schema_check import create_at, reference_shapes

    create_at(target, version)
    tables = reference_shapes()[version].data_tables
    source = f"{backup.absolute().as_uri()}?mode=ro"
    if not side_file(backup, "-wal").exists():
        source += "&immutable=1"
    # The target's schema is the app's own, and the backup's (already verified) holds no
    # code: its tables are only read.
    with connect(target) as conn, deadline(conn, REBUILD_SECONDS, own_schema=True):
        conn.isolation_level = None
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS backup", (source,))
        conn.execute("BEGIN")
        for table in tables:
            columns = ", ".join(
                f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{table}")')
            )
            conn.execute(
                f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM backup."{table}"'
            )
        broken = conn.execute("PRAGMA main.foreign_key_check").fetchall()
        if broken:
            conn.execute("ROLLBACK")
            raise BackupProblem(
                f"The backup is damaged: {len(broken)} rows point to rows that are not there."
            )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE backup")
        conn.execute("PRAGMA journal_mode = DELETE")


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
    partial = _temporary(target, TEMPORARY_SUFFIX)
    try:
        _create_private(partial)
        # Read-only: a backup must never change the file it copies (closing the last
        # read-write connection could fold WAL pages into it).
        source_uri = f"{database.absolute().as_uri()}?mode=ro"
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
