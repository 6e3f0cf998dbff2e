"""Where the data folder is, and keeping it readable by its owner only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "SANCTUARY_DATA_DIR"
ENV_DATABASE_URL = "SANCTUARY_DATABASE_URL"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
LOCK_FILE = "sanctuary.lock"  # held by the running app (ui/single_instance.py)


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
        return self.root / "sanctuary.db"

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
        """Create the folders owner-only, and the database file owner-only before SQLite does."""
        for folder in (self.root, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
            folder.chmod(PRIVATE_DIR)
        if not self.database.exists():
            fd = os.open(self.database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
            os.close(fd)
        self.database.chmod(PRIVATE_FILE)
        return self
