"""Where the data folder is; making it, owner-only, when the app makes it; and telling a
folder that has held data from a new one."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sanctuary_desktop import LOCK_FILE as LOCK_FILE
from sanctuary_desktop import PRIVATE_DIR as PRIVATE_DIR
from sanctuary_desktop import PRIVATE_FILE as PRIVATE_FILE

ENV_DATA_DIR = "SANCTUARY_DATA_DIR"
ENV_DATABASE_URL = "SANCTUARY_DATABASE_URL"

DATABASE_FILE = "sanctuary.db"
# Backups, and damaged files set aside by a restore, as store/backups.py names them.
BACKUP_FILE = re.compile(r"^sanctuary-.+\.db$")
JOURNALS = ("-wal", "-journal")


class NoAccess(PermissionError):
    """The folder is there, but this user may not look inside it (another user's)."""


def default_data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path("SanctuaryDesktop", appauthor=False, roaming=True)


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str] = os.environ) -> Path:
    """--data-dir wins over SANCTUARY_DATA_DIR, which wins over the platform's folder."""
    chosen = cli_value or env.get(ENV_DATA_DIR)
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def sqlite_url(self) -> str:
        return f"sqlite:///{self.database}"

    def prepare(self) -> DataFolder:
        """Make the folder and its backups and logs folders where they are missing.

        Only a folder the app makes is made owner-only (0700); one that is already there
        keeps its owner and mode (a shared folder keeps its group's access), and nothing
        in it is changed. The database file is not made here: opening it decides whether
        a new one is wanted (services/opening.py). Raises OSError when the folder cannot
        be made or entered (NoAccess); a folder that can be read but not written to is
        left for the opening to name, so read-only commands still work there."""
        make_private_folder(self.root, parents=True)
        if not os.access(self.root, os.R_OK | os.X_OK):
            raise NoAccess(errno.EACCES, "no permission to open the folder", str(self.root))
        for folder in (self.backups, self.logs):
            try:
                make_private_folder(folder)
            except PermissionError:
                if os.access(self.root, os.W_OK):
                    raise
            except OSError as error:
                if error.errno != errno.EROFS:
                    raise
        return self


def make_private_folder(path: Path, *, parents: bool = False) -> bool:
    """Make the folder owner-only if it is not there; True if it was made now. An
    existing folder is left as it is; something else under the name is NotADirectoryError."""
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=parents)
    except FileExistsError:
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path)) from None
        return False
    path.chmod(PRIVATE_DIR)  # exactly 0700 whatever the umask; only a folder made now
    return True


def used_before(database: Path, backups: Path | None) -> bool:
    """Signs that this database once held data: a journal beside it, or a backup (or a
    damaged file set aside) holding data. A missing or empty file is then trouble, not a
    fresh start: a sync tool or a failed copy leaves a zero-length file."""
    from sanctuary_desktop.store.sqlite_files import holds_data, side_file

    for suffix in JOURNALS:
        journal = side_file(database, suffix)
        if journal.exists() and journal.stat().st_size > 0:
            return True
    if backups is None:
        return False
    try:
        names = sorted(entry.name for entry in backups.iterdir() if BACKUP_FILE.match(entry.name))
    except FileNotFoundError:
        return False
    return any("damaged" in name or holds_data(backups / name) for name in reversed(names))
