from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import ENV_DATA_DIR, DataFolder, resolve_data_dir
from sanctuary_desktop.store.migrate import head_revision
from sanctuary_desktop.store.models import Call, Cohort


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_schema_head_constant_matches_alembic(db: Database) -> None:
    assert head_revision(db) == SCHEMA_HEAD


def test_migrating_an_empty_database_creates_every_table(folder: DataFolder) -> None:
    database = Database(folder.sqlite_url, backups_dir=folder.backups)
    assert database.schema_version() is None
    assert database.migrate() is True
    assert database.schema_version() == SCHEMA_HEAD
    with database.engine.connect() as conn:
        tables = {
            row[0]
            for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    assert {"cohorts", "participants", "calls", "attendance", "notes"} <= tables
    assert database.migrate() is False, "an up-to-date database is left alone"
    database.dispose()


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_deleting_a_cohort_cascades_to_its_calls(db: Database) -> None:
    with db.unit_of_work() as session:
        cohort = Cohort(
            name="C", home_tz="UTC", start_date=date(2026, 1, 1), end_date=date(2026, 6, 1)
        )
        cohort.calls.append(Call(starts_at=datetime(2026, 2, 1, 17, tzinfo=UTC), minutes=90))
        session.add(cohort)
    with db.unit_of_work() as session:
        session.delete(session.scalars(select(Cohort)).one())
    with db.reading() as session:
        assert session.scalars(select(Call)).all() == []


def test_instants_come_back_aware_in_utc(db: Database) -> None:
    instant = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)
    with db.unit_of_work() as session:
        cohort = Cohort(
            name="C", home_tz="UTC", start_date=date(2026, 1, 1), end_date=date(2026, 6, 1)
        )
        cohort.calls.append(Call(starts_at=instant, minutes=90))
        session.add(cohort)
    with db.reading() as session:
        stored = session.scalars(select(Call.starts_at)).one()
    assert stored == instant and stored.tzinfo is not None


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"), db.unit_of_work() as session:
        cohort = Cohort(
            name="C", home_tz="UTC", start_date=date(2026, 1, 1), end_date=date(2026, 6, 1)
        )
        cohort.calls.append(Call(starts_at=datetime(2026, 2, 1, 17), minutes=90))
        session.add(cohort)


def test_data_folder_database_and_backups_are_owner_only(db: Database, folder: DataFolder) -> None:
    assert mode(folder.root) == 0o700
    assert mode(folder.backups) == 0o700
    assert mode(folder.database) == 0o600
    backup = db.backup(reason="test")
    assert backup is not None and backup.exists()
    assert mode(backup) == 0o600
    # The copy is a complete, consistent database.
    copy = Database(f"sqlite:///{backup}")
    assert copy.schema_version() == SCHEMA_HEAD
    copy.dispose()


def test_data_dir_flag_beats_environment_beats_platform_default(tmp_path: Path) -> None:
    env = {ENV_DATA_DIR: str(tmp_path / "from-env")}
    assert resolve_data_dir(str(tmp_path / "flag"), env) == (tmp_path / "flag").resolve()
    assert resolve_data_dir(None, env) == (tmp_path / "from-env").resolve()
    assert resolve_data_dir(None, {}).name == "SanctuaryDesktop"
