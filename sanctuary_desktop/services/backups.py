"""Backups as the app and the command line use them: take, list, restore."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.backups import (
    DAILY,
    STAMP_FORMAT,
    BackupProblem,
    daily_backup_due,
    inspect_backup,
    list_backups,
    restore_backup,
    take_backup,
)
from sanctuary_desktop.store.backups import (
    BackupInfo as BackupInfo,  # what the backups dialog shows; ui/ reads it from here
)
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

FIELD = "Backup"

# A server's backups: the app's own archive of everything, in the backups folder.
SERVER_BACKUP = re.compile(r"^server-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.zip$")


def take(db: Database, reason: str, *, keep: int = 20) -> BackupInfo | None:
    """Back up the data: the database file through SQLite's backup API; on a server, the
    app's own archive of everything (never a local file's copy). None when there is
    nothing to copy (no file yet, or no backups folder)."""
    if db.is_server:
        return take_server_archive(db, reason, keep=keep)
    database, folder = db.sqlite_path, db.backups_dir
    if database is None or folder is None or not database.exists():
        return None
    # A copy of the database the app has open and checked: its schema is the app's.
    return inspect_backup(take_backup(database, folder, reason, keep=keep), verify_schema=False)


def take_server_archive(db: Database, reason: str, *, keep: int = 20) -> BackupInfo | None:
    """Everything on the server as one archive in the backups folder
    (`server-<UTC stamp>-<reason>.zip`, owner-only), keeping the newest ``keep``."""
    from sanctuary_desktop.services.archive import export_archive
    from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

    folder = db.backups_dir
    if folder is None:
        return None
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    label = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
    moment = datetime.now(UTC)
    while (folder / f"server-{moment.strftime(STAMP_FORMAT)}-{label}.zip").exists():
        moment += timedelta(microseconds=1)
    path = folder / f"server-{moment.strftime(STAMP_FORMAT)}-{label}.zip"
    summary = export_archive(db, path, None)
    for old in server_archives(folder)[max(keep, 1) :]:
        old.unlink(missing_ok=True)
    return BackupInfo(
        path=path,
        taken_at=moment,
        reason=label,
        size=path.stat().st_size,
        schema=SCHEMA_HEAD,
        cohorts=len(summary.cohorts),
        participants=summary.participants,
        calls=summary.calls,
        notes=summary.notes,
        ok=True,
    )


def server_archives(folder: Path) -> list[Path]:
    """The server's backups in the folder, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if SERVER_BACKUP.match(p.name) and p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def daily_due(db: Database, now: datetime) -> bool:
    """True when no backup of this data (the file's, or the server's archive) was taken
    in the 24 hours before ``now``."""
    folder = db.backups_dir
    if folder is None:
        return False
    if db.is_sqlite:
        return daily_backup_due(folder, now)
    for path in server_archives(folder):
        match = SERVER_BACKUP.match(path.name)
        assert match is not None
        taken = datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
        if timedelta(0) <= now - taken < DAILY:
            return False
    return True


def restore_to_server(db: Database, archive: Path) -> Outcome[int]:
    """Put an archive's cohorts on the server: each cohort it holds replaces the same
    cohort there, when present, as the archive import recognises it (cohorts the archive
    does not hold are left as they are). The caller has the
    facilitator's confirmation and takes a backup of the server first. Returns how many
    cohorts came in."""
    from sanctuary_desktop.services import archive as archives

    if not db.is_server:
        raise ValidationError.single(FIELD, "restore to a server needs a server's address")
    preview = archives.preview_archive(db, archive)
    choices = {
        index: archives.ImportChoice.REPLACE
        if cohort.already_present
        else archives.ImportChoice.COPY
        for index, cohort in enumerate(preview.cohorts)
    }
    result = archives.import_archive(db, archive, choices)
    return Outcome(len(result.value.imported), frozenset(Topic))


def list_all(db: Database) -> list[BackupInfo]:
    if db.backups_dir is None:
        return []
    return list_backups(db.backups_dir)


def restore(db: Database, backup: Path) -> Outcome[BackupInfo]:
    """Replace the data with a backup's, keeping a copy of what was there first."""
    database, folder = db.sqlite_path, db.backups_dir
    if db.is_server or database is None or folder is None:
        # A server's data is never replaced by a file's, nor the local file touched.
        raise ValidationError.single(FIELD, "can only be restored into a database file")
    # The file is about to be replaced: no pooled connection may keep the old one open.
    db.engine.dispose()
    try:
        info, _kept = restore_file(backup, database, folder)
    except BackupProblem as problem:
        raise ValidationError.single(FIELD, str(problem)) from None
    return Outcome(info, frozenset(Topic))


def restore_into_folder(folder: DataFolder, backup: Path) -> tuple[BackupInfo, Path | None]:
    """The command line's and the start-up dialog's restore: no database is open yet."""
    return restore_file(backup, folder.database, folder.backups)


def restore_file(backup: Path, database: Path, folder: Path) -> tuple[BackupInfo, Path | None]:
    """Check the backup as hard as an archive, bring it to this version's schema, check
    the app's rules on the result, and only then put it in place of ``database``.
    Returns what the backup held and where the replaced data was kept; BackupProblem,
    with nothing changed, when any step finds trouble."""
    return restore_backup(backup, database, folder, accept=_acceptable)


def _acceptable(staged: Path) -> list[str]:
    """Problems `check` would report on the restored data, once migrated to this version."""
    from sanctuary_desktop.services import integrity

    db = Database(f"sqlite:///{staged}")
    try:
        db.migrate()
        report = integrity.check(db)
    finally:
        db.dispose()
    return [f"{name}: {detail}" for name, _passed, detail in report.problems]
