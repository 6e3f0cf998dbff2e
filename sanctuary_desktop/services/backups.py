"""Backups as the app and the command line use them: take, list, restore."""

from __future__ import annotations

from pathlib import Path

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.backups import (
    BackupInfo,
    BackupProblem,
    inspect_backup,
    list_backups,
    restore_backup,
    take_backup,
)
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.schema_version import schema_is_newer

FIELD = "Backup"


def take(db: Database, reason: str, *, keep: int = 20) -> BackupInfo | None:
    """Back up the database file; None when there is no file to copy (e.g. PostgreSQL)."""
    database, folder = db.sqlite_path, db.backups_dir
    if database is None or folder is None or not database.exists():
        return None
    return inspect_backup(take_backup(database, folder, reason, keep=keep))


def list_all(db: Database) -> list[BackupInfo]:
    if db.backups_dir is None:
        return []
    return list_backups(db.backups_dir)


def restore(db: Database, backup: Path) -> Outcome[BackupInfo]:
    """Replace the data with a backup's, keeping a copy of what was there first."""
    database, folder = db.sqlite_path, db.backups_dir
    if database is None or folder is None:
        raise ValidationError.single(FIELD, "can only be restored into a database file")
    try:
        info = inspect_backup(backup)
        if not info.ok:
            raise BackupProblem(f"The backup is damaged: {info.problem}.")
        if info.schema is not None and schema_is_newer(info.schema):
            raise BackupProblem(
                "This backup was made by a newer version of Sanctuary Desktop; "
                "update the app to restore it."
            )
        # The file is about to be replaced: no pooled connection may keep the old one open.
        db.engine.dispose()
        restore_backup(backup, database, folder)
    except BackupProblem as problem:
        raise ValidationError.single(FIELD, str(problem)) from None
    db.migrate()  # an older backup is brought up to date
    return Outcome(info, frozenset(Topic))
