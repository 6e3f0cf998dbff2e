"""A file offered for restore is checked as hard as an archive, and backups are never
lost to the app's own pruning (issue 12). Each trouble is made for real; afterwards the
data file and every good backup are byte-identical to what they were."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import backups, cohorts, demo
from sanctuary_desktop.store.backups import (
    BackupProblem,
    inspect_backup,
    list_backups,
    prune,
    remove_leftovers,
    restore_backup,
    take_backup,
)
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.schema_check import reference_shapes
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD
from sanctuary_desktop.store.sqlite_files import TooSlow, deadline

TODAY = date(2026, 11, 23)


def snapshot(folder: DataFolder) -> dict[str, bytes]:
    """Every file of the data folder that holds data, by name."""
    files = {"sanctuary.db": folder.database.read_bytes()}
    for path in folder.backups.iterdir():
        files[path.name] = path.read_bytes()
    return files


@pytest.fixture
def sample(db: Database, folder: DataFolder) -> Path:
    """The sample cohort, with one good backup of it; returns that backup."""
    demo.create_sample(db, today=TODAY)
    info = backups.take(db, "startup")
    assert info is not None
    db.engine.dispose()
    return info.path


def crafted(sample: Path, tmp_path: Path, *statements: str) -> Path:
    """A copy of a good backup, changed by hand as an attacker would."""
    path = tmp_path / "crafted.db"
    path.write_bytes(sample.read_bytes())
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()
    return path


def refused(db: Database, folder: DataFolder, path: Path, *words: str) -> str:
    db.engine.dispose()  # closing the last connection folds the WAL into the file
    before = snapshot(folder)
    with pytest.raises(ValidationError) as error:
        backups.restore(db, path)
    message = str(error.value)
    for word in words:
        assert word in message
    assert snapshot(folder) == before
    return message


TRIGGER = (
    "CREATE TRIGGER rename_cohort AFTER UPDATE ON participants BEGIN "
    "UPDATE cohorts SET name = 'pwned'; END"
)


def test_a_foreign_trigger_is_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(sample, tmp_path, TRIGGER)
    refused(db, folder, path, "trigger", "rename_cohort")
    info = inspect_backup(path)
    assert not info.ok and "rename_cohort" in info.problem


def test_our_trigger_rewritten_is_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(
        sample,
        tmp_path,
        "DROP TRIGGER notes_fts_after_update",
        "CREATE TRIGGER notes_fts_after_update AFTER UPDATE ON notes BEGIN "
        "UPDATE notes SET text = ''; END",
    )
    refused(db, folder, path, "notes_fts_after_update", "changed")


def test_a_view_over_an_endless_query_is_refused_without_running_it(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n"
    path = crafted(
        sample,
        tmp_path,
        "PRAGMA foreign_keys = OFF",
        "ALTER TABLE notes RENAME TO notes_old",
        f"CREATE VIEW notes AS {endless}",
        f"CREATE VIEW forever AS {endless}",
    )
    started = time.monotonic()
    refused(db, folder, path)
    listed = [info for info in list_backups(path.parent) if info.path == path]
    assert time.monotonic() - started < 10
    assert all(not info.ok for info in listed)


def test_every_inspection_query_has_a_deadline(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    started = time.monotonic()
    with pytest.raises(TooSlow), deadline(conn, 0.2):
        assert conn.execute("PRAGMA trusted_schema").fetchone() == (0,)
        conn.execute(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        ).fetchall()
    assert time.monotonic() - started < 5
    assert conn.execute("PRAGMA trusted_schema").fetchone() == (1,), "given back as it was"
    conn.close()


def test_a_table_lacking_a_column_is_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(sample, tmp_path, "ALTER TABLE participants DROP COLUMN organisation")
    refused(db, folder, path, "participants", "organisation")


def test_a_foreign_table_is_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(sample, tmp_path, "CREATE TABLE extra (x)")
    refused(db, folder, path, "extra")


def test_a_newer_schema_is_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(sample, tmp_path, "UPDATE alembic_version SET version_num = '9999'")
    refused(db, folder, path, "newer version")


def test_rows_that_break_the_apps_rules_are_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(sample, tmp_path, "UPDATE participants SET status = 'bribed'")
    refused(db, folder, path, "check")


def test_broken_references_are_refused(
    db: Database, folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(
        sample, tmp_path, "PRAGMA foreign_keys = OFF", "UPDATE notes SET call_id = 99999"
    )
    refused(db, folder, path, "point to rows")


def test_a_fifo_is_refused_unread(db: Database, folder: DataFolder, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    refused(db, folder, fifo, "not a file")


def test_a_sound_restore_brings_back_the_rows_and_only_the_apps_schema(
    db: Database, folder: DataFolder, sample: Path
) -> None:
    names = [c.name for c in cohorts.list_cohorts(db)]
    with db.unit_of_work() as session:
        session.connection().exec_driver_sql("DELETE FROM cohorts")
    assert cohorts.list_cohorts(db) == []
    backups.restore(db, sample)
    assert [c.name for c in cohorts.list_cohorts(db)] == names
    with sqlite3.connect(folder.database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        # The search index was filled from the rows: FTS5 checks it against them.
        conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
        found = conn.execute("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'the'")
        assert found.fetchone()[0] > 0
    conn.close()


def test_empty_backups_never_push_out_backups_with_data(
    db: Database, folder: DataFolder, sample: Path
) -> None:
    for _ in range(4):
        assert backups.take(db, "daily", keep=5) is not None
    with_data = sorted(p.name for p in folder.backups.iterdir())
    assert len(with_data) == 5
    with db.unit_of_work() as session:
        session.connection().exec_driver_sql("DELETE FROM cohorts")
    # Twenty start-ups on the emptied database.
    for _ in range(20):
        info = backups.take(db, "startup", keep=5)
        assert info is not None and info.cohorts == 0
    kept = sorted(p.name for p in folder.backups.iterdir())
    assert len(kept) == 5
    assert len(set(with_data) & set(kept)) == 4, "one empty backup, four with data"
    assert sum(1 for info in list_backups(folder.backups) if info.cohorts) == 4


def test_pruning_keeps_unreadable_backups_before_empty_ones(
    folder: DataFolder, db: Database
) -> None:
    damaged = folder.backups / "sanctuary-20200101T000000000000Z-startup.db"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    for _ in range(3):
        take_backup(folder.database, folder.backups, "startup", keep=2)
    assert damaged.exists()
    assert prune(folder.backups, 1) and damaged.exists()


def test_leftovers_of_killed_backups_and_restores_are_removed(
    folder: DataFolder, db: Database
) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    leftovers = [
        folder.backups / f".sanctuary-20200101T000000000000Z-startup.db.{dead_pid}.partial",
        folder.backups / ".sanctuary-20200101T000000000000Z-startup.db.partial",
        folder.root / f".sanctuary.db.{dead_pid}.restoring",
    ]
    alive = folder.backups / f".sanctuary-20210101T000000000000Z-x.db.{os.getppid()}.partial"
    for path in [*leftovers, alive]:
        path.write_bytes(b"half")
    assert sorted(remove_leftovers(folder.root, folder.backups)) == sorted(leftovers)
    assert alive.exists()
    take_backup(folder.database, folder.backups, "startup")
    assert alive.exists()


def test_reference_schema_is_what_a_migrated_database_has(db: Database) -> None:
    from sanctuary_desktop.store.schema_check import shape_of

    path = db.sqlite_path
    assert path is not None
    with sqlite3.connect(path) as conn:
        assert shape_of(conn) == reference_shapes()[SCHEMA_HEAD]
    conn.close()


def test_restore_backup_refuses_before_touching_anything(
    folder: DataFolder, sample: Path, tmp_path: Path
) -> None:
    path = crafted(sample, tmp_path, TRIGGER)
    before = snapshot(folder)
    with pytest.raises(BackupProblem):
        restore_backup(path, folder.database, folder.backups)
    assert snapshot(folder) == before
    assert not [p for p in folder.root.iterdir() if p.name.endswith(".restoring")]


def test_check_finds_a_crafted_trigger_in_the_data_file(
    db: Database, folder: DataFolder, sample: Path
) -> None:
    from sanctuary_desktop.services import integrity

    assert integrity.check(db).ok
    with sqlite3.connect(folder.database) as conn:
        conn.execute(TRIGGER)
    conn.close()
    report = integrity.check(db)
    [(_name, passed, detail)] = [c for c in report.checks if c[0] == "Schema is the app's own"]
    assert not passed and "rename_cohort" in detail
    assert not report.ok
    # The check leaves the pooled connection trusting the app's own triggers again.
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA trusted_schema").scalar() == 1
