"""The schema version this app writes, known without importing Alembic or SQLAlchemy."""

from __future__ import annotations

# The newest migration. A test checks it against Alembic's head, so start-up can
# compare versions without importing Alembic.
SCHEMA_HEAD = "0006"


def schema_is_newer(version: str) -> bool:
    """A schema this version of the app does not know: a later numbered one, or not ours."""
    try:
        return int(version) > int(SCHEMA_HEAD)
    except ValueError:
        return True
