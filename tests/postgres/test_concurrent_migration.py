"""Many clients starting at once on one server: the migration's advisory lock lets one
migrate and the others find the schema at head (issue 18: one of two clients used to
fail while creating the tables)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from sanctuary_desktop.store.database import MIGRATION_LOCK_KEY, Database
from sanctuary_desktop.store.migrate import alembic_config
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

CLIENTS = 6

MIGRATE = """
import sys
from sanctuary_desktop.store.database import Database
db = Database(sys.argv[1])
try:
    print("migrated" if db.migrate() else "at-head")
finally:
    db.dispose()
"""


def _schema_once_at_head(url: str) -> None:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            locks = conn.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            ).scalar()
        assert versions == [(SCHEMA_HEAD,)]
        assert locks == 0, "the migration lock is given back"
    finally:
        db.dispose()


def _start_at_once(url: str) -> list[str]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(CLIENTS)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(out.strip())
    return results


def test_clients_starting_at_once_on_an_empty_server_all_open_it(
    empty_server_database: str,
) -> None:
    results = _start_at_once(empty_server_database)
    assert sorted(results) == ["at-head"] * (CLIENTS - 1) + ["migrated"]
    _schema_once_at_head(empty_server_database)


def test_clients_starting_at_once_on_an_older_schema_upgrade_it_once(
    empty_server_database: str,
) -> None:
    old = Database(empty_server_database)
    try:
        with old.engine.connect() as conn:
            config = alembic_config(old)
            config.attributes["connection"] = conn
            command.upgrade(config, "0004")
            conn.commit()
        assert old.schema_version() == "0004"
    finally:
        old.dispose()
    results = _start_at_once(empty_server_database)
    assert sorted(results) == ["at-head"] * (CLIENTS - 1) + ["migrated"]
    _schema_once_at_head(empty_server_database)


def test_threads_of_one_process_migrating_at_once(empty_server_database: str) -> None:
    barrier = threading.Barrier(CLIENTS)
    outcomes: list[bool | BaseException] = []

    def client() -> None:
        db = Database(empty_server_database)
        try:
            barrier.wait()
            outcomes.append(db.migrate())
        except BaseException as error:  # reported by the assertion below
            outcomes.append(error)
        finally:
            db.dispose()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes, key=repr) == [False] * (CLIENTS - 1) + [True]
    _schema_once_at_head(empty_server_database)


def test_a_client_waits_while_another_holds_the_migration_lock(
    empty_server_database: str,
) -> None:
    """The lock is the server's: a migration started while it is held does not begin
    until it is given back."""
    holder = Database(empty_server_database)
    try:
        with holder.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()
            waiting = subprocess.Popen(
                [sys.executable, "-c", MIGRATE, empty_server_database],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            with pytest.raises(subprocess.TimeoutExpired):
                waiting.communicate(timeout=3)
            assert holder.schema_version() is None, "nothing migrated while the lock is held"
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()
        out, err = waiting.communicate(timeout=120)
        assert waiting.returncode == 0, err
        assert out.strip() == "migrated"
    finally:
        holder.dispose()
    _schema_once_at_head(empty_server_database)


def test_an_older_schema_on_a_server_is_dumped_before_it_is_upgraded(
    empty_server_database: str, tmp_path: Path
) -> None:
    import glob
    import shutil

    if not (shutil.which("pg_dump") or glob.glob("/usr/lib/postgresql/*/bin/pg_dump")):
        pytest.skip("pg_dump is not installed: the server is upgraded without a dump")
    old = Database(empty_server_database)
    try:
        with old.engine.connect() as conn:
            config = alembic_config(old)
            config.attributes["connection"] = conn
            command.upgrade(config, "0004")
            conn.commit()
    finally:
        old.dispose()
    backups = tmp_path / "backups"
    db = Database(empty_server_database, backups_dir=backups)
    try:
        assert db.migrate()
    finally:
        db.dispose()
    dumps = list(backups.iterdir())
    assert [p.name.endswith("-before-migration-from-0004.dump") for p in dumps] == [True]
    assert dumps[0].read_bytes()[:5] == b"PGDMP"
    assert dumps[0].stat().st_mode & 0o777 == 0o600
    _schema_once_at_head(empty_server_database)
