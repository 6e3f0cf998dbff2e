"""Backups as the app and the command line use them: take, list, restore."""

from __future__ import annotations

from pathlib import Path

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.backups import (
    BackupInfo as BackupInfo,  # what the backups dialog shows; ui/ reads it from here
)
from sanctuary_desktop.store.backups import (
    BackupProblem,
    inspect_backup,
    list_backups,
    restore_backup,
    take_backup,
)
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

FIELD = "Backup"


def take(db: Database, reason: str, *, keep: int = 20) -> BackupInfo | None:
    """Back up the database file; None when there is no file to copy (e.g. PostgreSQL)."""
    database, folder = db.sqlite_path, db.backups_dir
    if database is None or folder is None or not database.exists():
        return None
    # A copy of the database the app has open and checked: its schema is the app's.
    return inspect_backup(take_backup(database, folder, reason, keep=keep), verify_schema=False)


def list_all(db: Database) -> list[BackupInfo]:
    if db.backups_dir is None:
        return []
    return list_backups(db.backups_dir)


def restore(db: Database, backup: Path) -> Outcome[BackupInfo]:
    """Replace the data with a backup's, keeping a copy of what was there first."""
    database, folder = db.sqlite_path, db.backups_dir
    if database is None or folder is None:
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
