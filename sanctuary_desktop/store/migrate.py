"""Runs Alembic from the package's own migration scripts (imported only when needed)."""

from __future__ import annotations

import importlib.resources
from contextlib import nullcontext

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from sanctuary_desktop.store.database import Database


def alembic_config(db: Database) -> Config:
    config = Config()
    location = importlib.resources.files("sanctuary_desktop.store").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def upgrade_to_head(db: Database, connection: Connection | None = None) -> None:
    """Upgrade on ``connection`` when given (a server's, holding the migration lock),
    else on a connection of its own."""
    config = alembic_config(db)
    with nullcontext(connection) if connection is not None else db.engine.connect() as conn:
        if db.is_sqlite:
            # Batch migrations rebuild tables; with foreign keys on, that would cascade
            # deletes into child rows. The pragma only works outside a transaction, so it
            # goes straight to the driver connection, which is in autocommit mode.
            _driver_pragma(conn, "PRAGMA foreign_keys = OFF")
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            if db.is_sqlite:
                problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                conn.rollback()
                if problems:
                    raise RuntimeError(f"migration left broken references: {problems[:5]}")
        finally:
            if db.is_sqlite:
                _driver_pragma(conn, "PRAGMA foreign_keys = ON")


def _driver_pragma(conn: Connection, statement: str) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(statement)


def head_revision(db: Database) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(db)).get_current_head()
