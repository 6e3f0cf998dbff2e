"""Telling the app's own database from anything else, and a new folder from one that held
data, before anything is written."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from sanctuary_desktop.services import demo
from sanctuary_desktop.services.opening import (
    NeedsWriting,
    OpeningProblem,
    Trouble,
    diagnose,
    open_database,
    open_for_reading,
)
from sanctuary_desktop.store.database import Database, NotOurDatabase
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD
from sanctuary_desktop.store.sqlite_files import FileKind, recognise


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def opened(folder: DataFolder, *, read_only: bool = False) -> Database:
    return open_database(
        Database(folder.sqlite_url, backups_dir=folder.backups, read_only=read_only)
    )


def test_prepare_makes_a_new_folder_private_and_no_database_file(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path / "new" / "data").prepare()
    assert mode(folder.root) == 0o700
    assert mode(folder.backups) == 0o700 and mode(folder.logs) == 0o700
    assert not folder.database.exists()  # opening decides whether a new one is wanted
    db = opened(folder)
    assert mode(folder.database) == 0o600  # made owner-only, before SQLite wrote to it
    db.dispose()


def test_an_existing_folder_and_file_keep_their_modes(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2775)  # a group's shared folder
    folder = DataFolder(shared)
    first = opened(folder.prepare())
    first.dispose()
    folder.database.chmod(0o640)
    opened(folder.prepare()).dispose()
    assert mode(shared) == 0o2775
    assert mode(folder.database) == 0o640


def test_a_missing_or_empty_file_is_new_only_where_no_data_was_kept(folder: DataFolder) -> None:
    db = opened(folder)
    demo.create_sample(db, today=date(2026, 11, 23))
    assert db.backup("test") is not None  # a backup holding the sample
    db.dispose()
    folder.database.write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{folder.database}{suffix}").unlink(missing_ok=True)
    with pytest.raises(OpeningProblem) as caught:
        opened(folder)
    assert caught.value.trouble is Trouble.EMPTY and caught.value.restoring_helps
    assert folder.database.read_bytes() == b""
    folder.database.unlink()
    with pytest.raises(OpeningProblem) as caught:
        opened(folder)
    assert caught.value.trouble is Trouble.MISSING and caught.value.restoring_helps
    assert not folder.database.exists()


def test_backups_of_an_empty_database_are_no_sign_of_data(folder: DataFolder) -> None:
    db = opened(folder)
    assert db.backup("startup") is not None  # a start-up backup of nothing
    db.dispose()
    folder.database.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{folder.database}{suffix}").unlink(missing_ok=True)
    opened(folder).dispose()  # a fresh start, as before
    assert folder.database.exists()


def test_another_programs_database_is_recognised_and_refused(folder: DataFolder) -> None:
    with contextlib.closing(sqlite3.connect(folder.database)) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE invoices (total INTEGER)")
        conn.commit()
    before = folder.database.read_bytes()
    assert recognise(folder.database).kind is FileKind.FOREIGN
    with pytest.raises(OpeningProblem) as caught:
        opened(folder)
    assert caught.value.trouble is Trouble.FOREIGN and not caught.value.restoring_helps
    assert "not a Sanctuary Desktop database" in caught.value.headline
    # The store refuses it too, whoever asks for the migration.
    with contextlib.closing(sqlite3.connect(folder.database)) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.commit()
    before = folder.database.read_bytes()
    db = Database(folder.sqlite_url)
    with pytest.raises(NotOurDatabase):
        db.migrate()
    db.dispose()
    assert folder.database.read_bytes() == before


def test_recognise_tells_each_kind(tmp_path: Path, folder: DataFolder) -> None:
    assert recognise(tmp_path / "nothing.db").kind is FileKind.MISSING
    (tmp_path / "empty.db").write_bytes(b"")
    assert recognise(tmp_path / "empty.db").kind is FileKind.EMPTY
    (tmp_path / "text.db").write_text("shopping list\n" * 50)
    assert recognise(tmp_path / "text.db").kind is FileKind.NOT_SQLITE
    (tmp_path / "folder.db").mkdir()
    assert recognise(tmp_path / "folder.db").kind is FileKind.NOT_A_FILE
    opened(folder).dispose()
    found = recognise(folder.database)
    assert found.kind is FileKind.OURS and found.version == SCHEMA_HEAD


def test_a_read_only_database_writes_nothing_and_is_not_upgraded(folder: DataFolder) -> None:
    opened(folder).dispose()
    before = folder.database.read_bytes()
    reader = opened(folder, read_only=True)
    with pytest.raises(OperationalError), reader.engine.begin() as conn:
        conn.execute(text("DELETE FROM cohorts"))
    with reader.reading() as session:
        assert session.execute(text("SELECT count(*) FROM cohorts")).scalar() == 0
    reader.dispose()
    assert folder.database.read_bytes() == before
    # A fresh folder cannot be made by a reader: it says so, or has a writer do it.
    fresh = DataFolder(folder.root.parent / "fresh").prepare()
    with pytest.raises(NeedsWriting):
        opened(fresh, read_only=True)
    assert not fresh.database.exists()
    made = open_for_reading(
        lambda read_only: Database(fresh.sqlite_url, backups_dir=fresh.backups, read_only=read_only)
    )
    assert made.read_only and made.schema_version() == SCHEMA_HEAD
    made.dispose()


def test_server_troubles_are_named() -> None:
    def refused(message: str) -> OperationalError:
        return OperationalError("SELECT 1", {}, Exception(message))

    assert (
        diagnose(refused('FATAL:  password authentication failed for user "me"')).trouble
        is Trouble.SIGN_IN_REFUSED
    )
    assert (
        diagnose(refused('could not translate host name "nowhere" to address')).trouble
        is Trouble.SERVER_UNREACHABLE
    )
    assert diagnose(ModuleNotFoundError("No module named 'psycopg2'")).trouble is (
        Trouble.NO_DRIVER
    )
