"""Opening a SQLite file with the sqlite3 module alone: for backups, restores and the
first look at the cohort list, all of which work before SQLAlchemy has loaded."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0


@contextlib.contextmanager
def connect(target: str | Path, *, uri: bool = False) -> Iterator[sqlite3.Connection]:
    # sqlite3's own context manager commits but never closes; this one closes.
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, uri=uri)
    try:
        yield conn
    finally:
        conn.close()


def open_read_only(
    path: Path, header: bytes | None = None
) -> contextlib.AbstractContextManager[sqlite3.Connection]:
    """A read-only connection that leaves nothing beside the file; closed on leaving.
    `header` is the file's first 100 bytes, when the caller has read them already."""
    if header is None:
        header = read_header(path)
    uri = f"{path.absolute().as_uri()}?mode=ro"
    in_wal_mode = len(header) >= 20 and header[18:20] == b"\x02\x02"
    if in_wal_mode and not side_file(path, "-wal").exists():
        # Without a WAL file the main file is complete; "immutable" reads it without
        # creating -wal and -shm files beside it, which a read-only reader cannot remove.
        uri += "&immutable=1"
    return connect(uri, uri=True)


def side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(100)
    except OSError:
        return b""
