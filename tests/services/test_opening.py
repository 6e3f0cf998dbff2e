"""Opening a database in trouble: each case named in plain words, the file left untouched."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from sanctuary_desktop.services import demo
from sanctuary_desktop.services.opening import OpeningProblem, Trouble, open_database
from sanctuary_desktop.services.runner import ServiceRunner
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder


def sample_file(folder: DataFolder) -> bytes:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    demo.create_sample(db, today=date(2026, 11, 23))
    db.dispose()
    with sqlite3.connect(folder.database) as conn:  # everything into the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return folder.database.read_bytes()


def trouble_opening(folder: DataFolder) -> OpeningProblem:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    try:
        with pytest.raises(OpeningProblem) as caught:
            open_database(db)
    finally:
        db.dispose()
    return caught.value


def test_a_file_of_random_bytes_is_not_a_database_and_is_left_as_it_is(
    folder: DataFolder,
) -> None:
    garbage = os.urandom(64 * 1024)
    folder.database.write_bytes(garbage)
    problem = trouble_opening(folder)
    assert problem.trouble is Trouble.NOT_A_DATABASE
    assert problem.restoring_helps
    assert "not a Sanctuary Desktop database" in problem.headline
    assert folder.database.read_bytes() == garbage


def test_a_truncated_copy_is_damaged_and_left_as_it_is(folder: DataFolder) -> None:
    whole = sample_file(folder)
    cut = whole[: len(whole) // 2]
    folder.database.write_bytes(cut)
    problem = trouble_opening(folder)
    assert problem.trouble in (Trouble.DAMAGED, Trouble.NOT_A_DATABASE)
    assert folder.database.read_bytes() == cut


def test_a_corrupted_page_is_found_by_the_quick_check(folder: DataFolder) -> None:
    whole = bytearray(sample_file(folder))
    page = int.from_bytes(whole[16:18], "big")
    for number in range(2, min(8, len(whole) // page)):  # break a few b-tree page headers
        whole[number * page] = 0xFF
    folder.database.write_bytes(bytes(whole))
    problem = trouble_opening(folder)
    assert problem.trouble in (Trouble.DAMAGED, Trouble.NOT_A_DATABASE)
    assert folder.database.read_bytes() == bytes(whole)


def test_a_database_locked_by_another_program(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanctuary_desktop.store import database

    sample_file(folder)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)  # give up at once, not in 5 s
    other = sqlite3.connect(folder.database, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        problem = trouble_opening(folder)
    finally:
        other.rollback()
        other.close()
    assert problem.trouble is Trouble.LOCKED
    assert not problem.restoring_helps


def test_a_newer_schema_is_refused_without_touching_it(folder: DataFolder) -> None:
    sample_file(folder)
    with sqlite3.connect(folder.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = folder.database.read_bytes()
    problem = trouble_opening(folder)
    assert problem.trouble is Trouble.NEWER
    assert "0099" in problem.detail
    assert folder.database.read_bytes() == before


def test_read_only_and_full_disk_are_named(folder: DataFolder, tmp_path: Path) -> None:
    from sanctuary_desktop.services.opening import diagnose

    sample_file(folder)
    read_only = sqlite3.connect(f"file:{folder.database}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        read_only.execute("CREATE TABLE x (y)")
    read_only.close()
    assert diagnose(caught.value).trouble is Trouble.READ_ONLY
    tiny = sqlite3.connect(tmp_path / "tiny.db")
    tiny.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as full:
        tiny.execute("CREATE TABLE big (data)")
        tiny.executemany("INSERT INTO big VALUES (?)", [("x" * 4000,)] * 10)
    tiny.close()
    assert diagnose(full.value).trouble is Trouble.DISK_FULL
    assert diagnose(OSError(28, "No space left on device")).trouble is Trouble.DISK_FULL
    assert diagnose(PermissionError(13, "Permission denied")).trouble is Trouble.READ_ONLY


def test_the_runner_reports_the_trouble_and_lets_go_of_the_file(folder: DataFolder) -> None:
    folder.database.write_bytes(b"this is a shopping list, not a database\n" * 100)
    runner = ServiceRunner(lambda: Database(folder.sqlite_url, backups_dir=folder.backups))
    with pytest.raises(OpeningProblem) as caught:
        runner.start().result()
    assert caught.value.trouble is Trouble.NOT_A_DATABASE
    # Once the file is put right, the same runner opens it.
    folder.database.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{folder.database}{suffix}").unlink(missing_ok=True)
    folder.prepare()
    assert runner.start().result().schema_version() is not None
    with runner.submit(lambda db: db).result().engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cohorts")).scalar() == 0
    runner.shutdown()
