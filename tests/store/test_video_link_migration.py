"""Schema 0006: cohorts and calls gain `video_link`; rows already stored keep everything,
with an empty link, and their children survive (no table is rebuilt). Going back to 0005
drops the column and keeps the rows."""

from __future__ import annotations

from sqlalchemy import text

from sanctuary_desktop.domain.limits import MAX_LINK
from sanctuary_desktop.store import migrate
from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.models import Call, Cohort
from tests.store.test_migrations import insert_cohort_with_a_call


def _fill_at_0005(db: Database) -> None:
    insert_cohort_with_a_call(db)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO participants (id, cohort_id, name, organisation, time_zone,"
                " status, notes, created_at) VALUES (1, 1, 'Aroha', '', 'UTC', 'accepted',"
                " '', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text("INSERT INTO attendance (call_id, participant_id, present) VALUES (1, 1, 1)")
        )
        conn.execute(
            text(
                "INSERT INTO notes (call_id, kind, text, stage, tags, created_at)"
                " VALUES (1, 'insight', 'a first insight', '', '', '2026-02-05 17:30:00')"
            )
        )


def _counts(db: Database) -> tuple[int, ...]:
    with db.engine.connect() as conn:
        return tuple(
            int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
            for table in ("cohorts", "calls", "participants", "attendance", "notes", "notes_fts")
        )


def test_a_database_at_0005_holding_data_upgrades_with_empty_links(folder: DataFolder) -> None:
    from alembic import command

    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    config = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
    _fill_at_0005(db)
    before = _counts(db)
    assert before == (1, 1, 1, 1, 1, 1)
    assert db.migrate() is True
    assert db.schema_version() == SCHEMA_HEAD == "0006"
    assert _counts(db) == before
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name, video_link FROM cohorts")).one() == ("Kōwhai", "")
        assert conn.execute(text("SELECT uid, video_link FROM calls")).one() == ("u1", "")
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        # A link written after the upgrade is kept, at the column's size.
        conn.execute(text("UPDATE calls SET video_link = 'https://meet.jit.si/kowhai'"))
        assert conn.execute(text("SELECT video_link FROM calls")).scalar() == (
            "https://meet.jit.si/kowhai"
        )
    db.dispose()


def test_going_back_to_0005_keeps_the_rows(folder: DataFolder) -> None:
    from alembic import command

    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    _fill_at_0005(db)
    config = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
        conn.commit()
    assert db.schema_version() == "0005"
    assert _counts(db) == (1, 1, 1, 1, 1, 1)
    with db.engine.connect() as conn:
        columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(calls)")]
        assert "video_link" not in columns
    db.dispose()


def test_the_models_column_size_is_the_domain_limit() -> None:
    for model in (Cohort, Call):
        column = model.__table__.c.video_link
        assert column.type.length == MAX_LINK  # type: ignore[attr-defined]
        assert not column.nullable
