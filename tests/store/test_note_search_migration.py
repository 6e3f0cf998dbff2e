"""Schema 0004: the notes' full-text index is filled from existing notes and kept in step."""

from __future__ import annotations

from sqlalchemy import Connection, text

from sanctuary_desktop.store import migrate
from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import DataFolder


def matching(conn: Connection, words: str) -> list[int]:
    rows = conn.execute(
        text("SELECT rowid FROM notes_fts WHERE notes_fts MATCH :q ORDER BY rowid"), {"q": words}
    )
    return [row[0] for row in rows]


def upgrade_to(db: Database, revision: str) -> None:
    from alembic import command

    config = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade_to(db: Database, revision: str) -> None:
    from alembic import command

    config = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def insert_notes_as_0003_stores_them(db: Database) -> None:
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
                "INSERT INTO calls (id, cohort_id, uid, starts_at, minutes, cancelled, title,"
                " notes, revision, updated_at) VALUES (1, 1, 'u1', '2026-02-05 17:00:00', 90,"
                " 0, '', '', 0, '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO notes (id, call_id, kind, text, stage, tags, created_at)"
                " VALUES (:id, 1, 'note', :text, '', :tags, '2026-02-05 17:10:00')"
            ),
            [
                {"id": 1, "text": "The whānau came to the hui together.", "tags": "family"},
                {"id": 2, "text": "Energy low after the wildfire season.", "tags": "burnout"},
            ],
        )


def test_notes_written_before_0004_are_found_after_the_upgrade(folder: DataFolder) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    upgrade_to(db, "0003")
    insert_notes_as_0003_stores_them(db)
    assert db.migrate() is True
    assert db.schema_version() == SCHEMA_HEAD
    with db.engine.connect() as conn:
        assert matching(conn, "wildfire") == [2]
        assert matching(conn, "burnout") == [2], "themes are searched too"
        assert matching(conn, "whanau") == [1], "diacritics are folded away"
        assert matching(conn, "WHĀNAU") == [1]
        assert matching(conn, "hui AND family") == [1]
    db.dispose()


def test_inserts_changes_and_deletes_keep_the_index_in_step(folder: DataFolder) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    upgrade_to(db, "0003")
    insert_notes_as_0003_stores_them(db)
    db.migrate()
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO notes (id, call_id, kind, text, stage, tags, created_at)"
                " VALUES (3, 1, 'quote', 'Slow is smooth.', '', '', '2026-02-05 17:20:00')"
            )
        )
        assert matching(conn, "smooth") == [3]
        conn.execute(text("UPDATE notes SET text = 'Fast is calm.', tags = 'pace' WHERE id = 3"))
        assert matching(conn, "smooth") == []
        assert matching(conn, "calm") == [3]
        assert matching(conn, "pace") == [3]
        conn.execute(text("UPDATE notes SET stage = 'Closing' WHERE id = 3"))
        assert matching(conn, "calm") == [3], "a change to other columns leaves it alone"
        conn.execute(text("DELETE FROM notes WHERE id = 3"))
        assert matching(conn, "calm") == []
        # Deleting the call cascades to its notes, and the triggers see those deletes too.
        conn.execute(text("DELETE FROM calls WHERE id = 1"))
        assert matching(conn, "whanau OR wildfire") == []
    db.dispose()


def test_the_index_checks_out_against_the_notes(folder: DataFolder) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    upgrade_to(db, "0003")
    insert_notes_as_0003_stores_them(db)
    db.migrate()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE notes SET text = 'Changed words' WHERE id = 1"))
        conn.execute(text("DELETE FROM notes WHERE id = 2"))
        # 'integrity-check' with rank 1 compares the index with the notes table itself
        # and raises SQLITE_CORRUPT_VTAB if they differ.
        conn.execute(text("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)"))
    db.dispose()


def test_downgrade_removes_the_index_and_its_triggers(folder: DataFolder) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    insert_notes_as_0003_stores_them(db)
    downgrade_to(db, "0003")
    with db.engine.connect() as conn:
        names = {
            row[0]
            for row in conn.execute(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'notes_fts%'")
            )
        }
        assert names == set()
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar() == 2
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM notes WHERE id = 1"))  # no trigger left to fail
    assert db.migrate() is True
    with db.engine.connect() as conn:
        assert matching(conn, "wildfire") == [2]
        assert matching(conn, "whanau") == []
    db.dispose()
