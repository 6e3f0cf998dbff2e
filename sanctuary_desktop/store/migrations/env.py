"""Alembic environment: always handed a live connection by store.migrate."""

from __future__ import annotations

from typing import Any

from alembic import context

from sanctuary_desktop.store.models import Base


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Leave the notes' full-text index (a virtual table and its shadow tables, made in
    raw SQL by 0004) out of comparisons with the models, which do not describe it."""
    return not (type_ == "table" and name is not None and name.startswith("notes_fts"))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
