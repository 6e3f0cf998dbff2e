"""Migrations keep data: a database holding rows survives a re-run and a rebuild."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sanctuary_desktop.store import migrate
from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.migrate import upgrade_to_head


def insert_cohort_with_a_call(db: Database) -> None:
    """Rows written in raw SQL, as the 0001 schema stores them."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cohorts (id, name, focus, facilitators, home_tz, start_date,"
                " end_date, call_minutes, notes, day_start, day_end, archived, created_at,"
                " updated_at) VALUES (1, 'Kōwhai', '', '', 'Pacific/Auckland', '2026-01-01',"
                " '2026-07-01', 90, '', '07:00', '22:00', 0, '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO calls (cohort_id, uid, starts_at, minutes, cancelled, title, notes,"
                " revision, updated_at) VALUES (1, 'u1', '2026-02-05 17:00:00', 90, 0, '', '',"
                " 0, '2026-01-01 00:00:00')"
            )
        )


def test_upgrade_from_base_keeps_child_rows_and_foreign_keys_on(folder: DataFolder) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    insert_cohort_with_a_call(db)
    # Running the upgrade again (as a newer version would) must not touch the rows.
    upgrade_to_head(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM calls")).scalar() == 1
        assert conn.execute(text("SELECT name FROM cohorts")).scalar() == "Kōwhai"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert db.schema_version() == SCHEMA_HEAD
    db.dispose()


def test_migrating_an_older_database_takes_a_backup_first(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    seen: list[list[str]] = []

    def fake_upgrade(database: Database) -> None:
        seen.append(sorted(p.name for p in folder.backups.iterdir()))

    monkeypatch.setattr(migrate, "upgrade_to_head", fake_upgrade)
    assert db.migrate() is True
    assert len(seen) == 1 and len(seen[0]) == 1, "one backup existed before the upgrade ran"
    assert "before-migration-from-0001" in seen[0][0]
    db.dispose()


def test_a_database_holding_data_at_0001_upgrades_with_a_backup(folder: DataFolder) -> None:
    from alembic import command

    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    config = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    assert db.schema_version() == "0001"
    insert_cohort_with_a_call(db)
    assert db.migrate() is True
    assert db.schema_version() == SCHEMA_HEAD
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM calls")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM buddy_cycles")).scalar() == 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    [backup] = list(folder.backups.iterdir())
    assert "before-migration-from-0001" in backup.name
    copy = Database(f"sqlite:///{backup}")
    assert copy.schema_version() == "0001"
    copy.dispose()
    db.dispose()


def not_the_search_index(name: str | None, type_: str, _parents: object) -> bool:
    """As env.py's include_name: the notes' FTS5 tables are made in raw SQL, not modelled."""
    return not (type_ == "table" and name is not None and name.startswith("notes_fts"))


def test_the_migrated_schema_matches_the_models(folder: DataFolder) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from sanctuary_desktop.store.models import Base

    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": not_the_search_index})
        differences = compare_metadata(context, Base.metadata)
    db.dispose()
    assert differences == []
