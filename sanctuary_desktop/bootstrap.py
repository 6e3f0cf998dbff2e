"""Start-up shared by the GUI and the command line: data folder, logging, database."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sanctuary_desktop.store.location import (
    ENV_DATABASE_URL,
    LOCK_FILE,
    PRIVATE_FILE,
    DataFolder,
    resolve_data_dir,
)

if TYPE_CHECKING:
    from sanctuary_desktop.store.backups import BackupInfo
    from sanctuary_desktop.store.database import Database

LOG_NAME = "sanctuary.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def data_folder(cli_value: str | None) -> DataFolder:
    return DataFolder(resolve_data_dir(cli_value)).prepare()


def configure_logging(folder: DataFolder, *, verbose: bool = False) -> Path | None:
    """A rotating log in the data folder, owner-only; returns its path, or None when the
    logs folder cannot be written to (a read-only folder): then nothing is logged, and
    nothing reaches the terminal either.

    logging.handlers (with socket and pickle) loads here, not on import: the app calls
    this once its window has been painted."""
    from logging.handlers import RotatingFileHandler

    class PrivateRotatingFileHandler(RotatingFileHandler):
        """Every log file it opens, the rotated ones' successors included, is owner-only."""

        def _open(self):  # type: ignore[no-untyped-def]
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
            return open(fd, "a", encoding=self.encoding, errors=self.errors)

    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "sanctuary", False)]:
        root.removeHandler(old)
        old.close()
    path: Path | None = folder.logs / LOG_NAME
    assert path is not None
    handler: logging.Handler
    try:
        handler = PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        # Python's last-resort handler would print records, tracebacks included, on
        # stderr: a handler that drops them keeps the terminal to plain words.
        handler, path = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    setattr(handler, "sanctuary", True)  # noqa: B010
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Alembic announces each of its plugins at INFO; the migration lines are what matter.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return path


def server_url(url: str | None = None) -> str | None:
    """The shared server to use: the one given, else the environment's; None for the file."""
    return url or os.environ.get(ENV_DATABASE_URL) or None


def database_for(
    folder: DataFolder, url: str | None = None, *, read_only: bool = False
) -> Database:
    """The folder's SQLite file, or a shared server when a URL is given."""
    from sanctuary_desktop.store.database import Database

    return Database(
        server_url(url) or folder.sqlite_url, backups_dir=folder.backups, read_only=read_only
    )


def pdf_preferences(settings_file: Path) -> tuple[str, str]:
    """(paper, facilitator zone) as chosen in the app's settings, for headless exports.

    The app writes its settings with QSettings in INI format; reading them back with
    configparser keeps the command line free of Qt. Anything unreadable falls back to
    A4 and UTC.
    """
    import configparser

    from sanctuary_desktop.domain.zones import is_valid_zone

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(settings_file, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return "a4", "UTC"
    paper = parser.get("v1", "paper", fallback="a4").strip('"')
    zone_name = parser.get("v1", "facilitator_zone", fallback="UTC").strip('"')
    return (
        paper if paper in ("a4", "letter") else "a4",
        zone_name if is_valid_zone(zone_name) else "UTC",
    )


def app_holding(folder: DataFolder) -> int | None:
    """The process id of a running app that holds this data folder, if any.

    The app keeps a QLockFile in the folder; its first line is the owner's process id.
    Read here without Qt, so headless commands can refuse to pull data from under it.
    """
    lock = folder.root / LOCK_FILE
    try:
        pid = int(lock.read_text(encoding="utf-8").splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a lock left by a copy that crashed
    except PermissionError:
        return pid
    return pid if pid != os.getpid() else None


def latest_backup_worth_restoring(backups: Path) -> BackupInfo | None:
    """The newest sound backup that holds data; else the newest sound one."""
    from sanctuary_desktop.store.backups import list_backups

    if not backups.is_dir():
        return None
    good = [info for info in list_backups(backups) if info.ok]
    with_data = [
        info for info in good if info.cohorts or info.participants or info.calls or info.notes
    ]
    candidates = with_data or good
    return candidates[0] if candidates else None
