"""Schema 0005: buddy groups gain `fixed`; groups already stored keep their people and
notes, and are taken as planned by the app."""

from __future__ import annotations

from sqlalchemy import text

from sanctuary_desktop.store import migrate
from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import DataFolder
from tests.store.test_migrations import insert_cohort_with_a_call


def test_a_database_at_0004_holding_pairs_upgrades_and_keeps_them(folder: DataFolder) -> None:
    from alembic import command

    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    config = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    insert_cohort_with_a_call(db)
    with db.engine.begin() as conn:
        for pid, name in ((1, "Aroha"), (2, "Ben")):
            conn.execute(
                text(
                    "INSERT INTO participants (id, cohort_id, name, organisation, time_zone,"
                    " status, notes, created_at) VALUES (:id, 1, :name, '', 'UTC', 'accepted',"
                    " '', '2026-01-01 00:00:00')"
                ),
                {"id": pid, "name": name},
            )
        conn.execute(
            text(
                "INSERT INTO buddy_cycles (id, cohort_id, after_call_id, created_at)"
                " VALUES (1, 1, 1, '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO buddy_groups (id, cycle_id, position, happened, note)"
                " VALUES (1, 1, 0, 1, 'met on Zoom')"
            )
        )
        conn.execute(
            text("INSERT INTO buddy_members (group_id, participant_id) VALUES (1, 1), (1, 2)")
        )
    assert db.migrate() is True
    assert db.schema_version() == SCHEMA_HEAD
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT happened, note, fixed FROM buddy_groups")).one()
        assert tuple(row) == (1, "met on Zoom", 0)
        assert conn.execute(text("SELECT count(*) FROM buddy_members")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM notes_fts")).scalar() == 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()
