"""Every importer reads the chosen file with a bound: a pipe, a device or a folder is
refused in plain words at once, a file over the limit is refused without reading it
all, and nothing is written."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY, protocol_to_json
from sanctuary_desktop.services import archive, demo, file_reading, protocol_library, roster
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Cohort, SavedProtocol

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


def within_seconds(action: Callable[[], Any], seconds: float = 10.0) -> Any:
    """``action``'s result or exception, failing the test if it has not ended in time (a
    FIFO read that waits for a writer, a device read without end)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the importer is still reading or waiting"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def refusal(action: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ValidationError) as refused:
        within_seconds(action)
    (error,) = refused.value.errors
    return error.field, error.message


def stored(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Cohort)) or 0,
            session.scalar(select(func.count()).select_from(SavedProtocol)) or 0,
        )


def importers(db: Database) -> dict[str, tuple[Callable[[Path], Any], str]]:
    """Each importer with the field its messages name."""
    return {
        "archive preview": (lambda path: archive.preview_archive(db, path), "Archive"),
        "archive import": (lambda path: archive.import_archive(db, path), "Archive"),
        "protocol file": (
            lambda path: protocol_library.import_protocol_file(db, path),
            "Protocol file",
        ),
        "roster CSV": (roster.read_roster_file, "CSV file"),
    }


KINDS = ("archive preview", "archive import", "protocol file", "roster CSV")


@needs_fifo
@pytest.mark.parametrize("kind", KINDS)
def test_a_fifo_is_refused_at_once(db: Database, tmp_path: Path, kind: str) -> None:
    demo.create_sample(db)
    before = stored(db)
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    read, field = importers(db)[kind]
    assert refusal(lambda: read(fifo)) == (
        field,
        "is not an ordinary file (it is a device, a pipe or a socket)",
    )
    assert stored(db) == before


@needs_dev_zero
@pytest.mark.parametrize("kind", KINDS)
def test_dev_zero_is_refused_without_reading_it(db: Database, kind: str) -> None:
    before = stored(db)
    read, field = importers(db)[kind]
    assert refusal(lambda: read(Path("/dev/zero"))) == (
        field,
        "is not an ordinary file (it is a device, a pipe or a socket)",
    )
    assert stored(db) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_folder_is_refused(db: Database, tmp_path: Path, kind: str) -> None:
    read, field = importers(db)[kind]
    assert refusal(lambda: read(tmp_path)) == (field, "is a folder, not a file")
    assert stored(db) == (0, 0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_file_is_said_plainly(db: Database, tmp_path: Path, kind: str) -> None:
    read, field = importers(db)[kind]
    got_field, message = refusal(lambda: read(tmp_path / "gone.csv"))
    assert got_field == field
    assert message.startswith("could not be read (") and "Traceback" not in message


def test_a_file_over_the_limit_is_refused_and_the_rest_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 5000)
    reads: list[int] = []
    real_read = os.read

    def counted(fd: int, size: int) -> bytes:
        chunk = real_read(fd, size)
        reads.append(len(chunk))
        return chunk

    monkeypatch.setattr(file_reading.os, "read", counted)
    with pytest.raises(ValidationError) as refused:
        file_reading.read_limited(big, 100, "File", "is too large")
    assert refused.value.errors[0].message == "is too large"
    assert sum(reads) == 101, "at most one byte past the limit is read"
    assert file_reading.read_limited(big, 5000, "File", "is too large") == b"x" * 5000


def test_each_importer_applies_its_own_limit(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 10)
    big = tmp_path / "big.zip"
    big.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert refusal(lambda: archive.preview_archive(db, big)) == ("Archive", "is too large to open")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * 1_000_001)
    assert refusal(lambda: protocol_library.import_protocol_file(db, huge)) == (
        "Protocol file",
        "is too large (over 1 MB)",
    )
    csv = tmp_path / "huge.csv"
    csv.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    assert refusal(lambda: roster.read_roster_file(csv)) == ("CSV file", "is larger than 5 MB")
    assert stored(db) == (0, 0)


def test_ordinary_files_still_come_in(db: Database, tmp_path: Path) -> None:
    shared = tmp_path / "shared.json"
    shared.write_text(
        protocol_to_json(protocol_library.get_protocol(db, DEFAULT_PROTOCOL_KEY)),
        encoding="utf-8",
    )
    added = protocol_library.import_protocol_file(db, shared).value
    assert added.key != DEFAULT_PROTOCOL_KEY  # a built-in's key is taken, so it gets a new one
    rows = tmp_path / "roster.csv"
    rows.write_bytes("Name,Email\nAroha Ngāta,aroha@example.org\n".encode())
    assert roster.read_roster_file(rows) == rows.read_bytes()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_file_is_said_plainly(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    locked = tmp_path / "locked.csv"
    locked.write_bytes(b"Name\n")
    locked.chmod(0)
    assert refusal(lambda: roster.read_roster_file(locked)) == (
        "CSV file",
        "could not be read (Permission denied)",
    )
