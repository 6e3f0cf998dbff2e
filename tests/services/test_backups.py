"""Backups as the app uses them: take, list, restore (with its safety copy and a migration)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import backups, cohorts, demo, records
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.store import migrate
from sanctuary_desktop.store.backups import inspect_backup, take_backup
from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import DataFolder

TODAY = date(2026, 11, 23)


def notes_of(db: Database) -> list[tuple[int, str]]:
    cohort = cohorts.list_cohorts(db)[0]
    found = []
    for call in cohorts.get_plan(db, cohort.id).calls:
        found += [(note.id, note.text) for note in records.list_notes(db, call.id)]
    return found


def test_take_and_list(db: Database) -> None:
    demo.create_sample(db, today=TODAY)
    first = backups.take(db, "startup")
    second = backups.take(db, "after-live-call", keep=5)
    assert first is not None and second is not None
    assert first.ok and first.summary == "1 cohort, 9 people, 7 calls, 16 notes"
    assert [info.path for info in backups.list_all(db)] == [second.path, first.path]


def test_nothing_to_back_up_without_a_database_file() -> None:
    memory = Database("sqlite://")
    assert backups.take(memory, "startup") is None
    assert backups.list_all(memory) == []
    with pytest.raises(ValidationError) as refused:
        backups.restore(memory, Path("anything.db"))
    assert refused.value.for_field("Backup")
    memory.dispose()


def test_restore_round_trip_keeps_a_copy_of_what_was_replaced(
    db: Database, folder: DataFolder
) -> None:
    cohort = demo.create_sample(db, today=TODAY)
    before = notes_of(db)
    taken = backups.take(db, "startup")
    assert taken is not None
    # Changes after the backup: a new note, a renamed cohort, a deleted call.
    plan = cohorts.get_plan(db, cohort.id)
    records.add_note(db, plan.calls[0].id, "Written after the backup")
    with db.unit_of_work() as session:
        session.execute(text("UPDATE cohorts SET name = 'Renamed'"))
    assert len(notes_of(db)) == len(before) + 1

    outcome = backups.restore(db, taken.path)
    assert outcome.changed == frozenset(Topic)
    assert outcome.value.path == taken.path
    assert notes_of(db) == before
    assert cohorts.list_cohorts(db)[0].name == cohort.name
    [safety] = [i for i in backups.list_all(db) if i.reason == "before-restore"]
    assert safety.ok and safety.notes == len(before) + 1
    # The restored database takes writes as before.
    records.add_note(db, plan.calls[0].id, "After the restore")
    assert len(notes_of(db)) == len(before) + 1
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_damaged_backup_is_a_validation_error_and_changes_nothing(
    db: Database, folder: DataFolder
) -> None:
    demo.create_sample(db, today=TODAY)
    taken = backups.take(db, "startup")
    assert taken is not None
    cut = folder.backups / "sanctuary-20200101T000000000000Z-cut.db"
    cut.write_bytes(taken.path.read_bytes()[:50_000])
    before = notes_of(db)
    with pytest.raises(ValidationError) as refused:
        backups.restore(db, cut)
    message = refused.value.for_field("Backup")
    assert message is not None and message.startswith("The backup is damaged")
    assert notes_of(db) == before
    assert len(backups.list_all(db)) == 2, "no before-restore copy for a refused restore"


def test_a_backup_from_a_newer_version_is_refused(db: Database, folder: DataFolder) -> None:
    demo.create_sample(db, today=TODAY)
    taken = backups.take(db, "startup")
    assert taken is not None
    with sqlite3.connect(taken.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    with pytest.raises(ValidationError, match="newer version"):
        backups.restore(db, taken.path)
    assert db.schema_version() == SCHEMA_HEAD


def test_restoring_an_older_backup_migrates_it(db: Database, tmp_path: Path) -> None:
    old = DataFolder(tmp_path / "old").prepare()
    older = Database(old.sqlite_url, backups_dir=old.backups)
    config = migrate.alembic_config(older)
    from alembic import command

    with older.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    with older.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cohorts (id, name, focus, facilitators, home_tz, start_date,"
                " end_date, call_minutes, notes, day_start, day_end, archived, created_at,"
                " updated_at) VALUES (1, 'Kōwhai', '', '', 'Pacific/Auckland', '2026-01-01',"
                " '2026-07-01', 90, '', '07:00', '22:00', 0, '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')"
            )
        )
    older.dispose()
    backup = take_backup(old.database, old.backups, "manual")
    assert inspect_backup(backup).schema == "0002"

    demo.create_sample(db, today=TODAY)
    outcome = backups.restore(db, backup)
    assert outcome.value.schema == "0002"
    assert db.schema_version() == SCHEMA_HEAD
    assert [c.name for c in cohorts.list_cohorts(db)] == ["Kōwhai"]
    reasons = {info.reason for info in backups.list_all(db)}
    # The backup is migrated on its way in; the file restored from stays as it was.
    assert "before-restore" in reasons
    assert inspect_backup(backup).schema == "0002"


def test_a_daily_backup_is_due_by_the_backups_of_the_data_in_use(tmp_path: Path) -> None:
    """On a server the daily backup is its archive: the file's backups do not count, and
    an archive taken today means none is due (one was taken at every start before)."""
    from datetime import UTC, datetime, timedelta

    folder = tmp_path / "backups"
    folder.mkdir()
    server = Database("postgresql+psycopg://me@127.0.0.1:1/cohorts", backups_dir=folder)
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    stamp = (now - timedelta(hours=3)).strftime("%Y%m%dT%H%M%S%fZ")
    (folder / f"sanctuary-{stamp}-startup.db").write_bytes(b"a file's backup")
    assert backups.daily_due(server, now)
    (folder / f"server-{stamp}-startup.zip").write_bytes(b"an archive")
    assert not backups.daily_due(server, now)
    assert backups.daily_due(server, now + timedelta(days=1))
    server.dispose()
