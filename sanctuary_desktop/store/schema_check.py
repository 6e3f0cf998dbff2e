"""Is a SQLite file's schema exactly what the app's migrations make?

A backup or a file chosen for restore comes from outside the app's control: it may carry
triggers that rewrite data on the next edit, views over endless queries, tables missing
columns, or tables of another program. Its schema is compared with the one Alembic makes
for the version the file records, built once per process in a scratch database from the
same migration scripts, so the reference is never written twice.

The comparison reads the structure (tables and their columns, indexes and their columns,
foreign keys) through pragmas rather than comparing CREATE TABLE text, which another
SQLAlchemy version may word differently; triggers, views and virtual tables are written
by hand in the migrations and are compared by their text, with whitespace folded.

Reading a file's schema runs nothing stored in it: `trusted_schema` is off and every query
has a deadline (see `sqlite_files.deadline`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Indexes SQLite makes by itself for a table's UNIQUE and PRIMARY KEY clauses.
_INTERNAL = re.compile(r"^sqlite_")


@dataclass(frozen=True)
class SchemaShape:
    """What a schema is made of, in a form that compares equal across SQLite writers."""

    # name -> columns as (name, declared type, not null, default, primary key position,
    # hidden): hidden marks generated columns.
    tables: dict[str, tuple[tuple[object, ...], ...]]
    # name -> (table, unique, columns)
    indexes: dict[str, tuple[str, bool, tuple[str, ...]]]
    # table -> sorted foreign keys as (column, parent table, parent column, on delete)
    foreign_keys: dict[str, tuple[tuple[str, str, str, str], ...]]
    # name -> (type, folded SQL) for triggers, views and virtual tables
    code: dict[str, tuple[str, str]]

    @property
    def data_tables(self) -> list[str]:
        """Ordinary tables that hold the app's data (not Alembic's, not an index's)."""
        shadows = {
            name
            for name in self.tables
            for virtual, (kind, _) in self.code.items()
            if kind == "virtual" and name.startswith(virtual + "_")
        }
        return sorted(
            name
            for name in self.tables
            if name != "alembic_version" and name not in shadows and name not in self.code
        )


def _fold(sql: str) -> str:
    return " ".join(sql.split())


def shape_of(conn: sqlite3.Connection) -> SchemaShape:
    """Read a schema's shape. Call inside `sqlite_files.deadline` for a file not yet
    trusted."""
    tables: dict[str, tuple[tuple[object, ...], ...]] = {}
    indexes: dict[str, tuple[str, bool, tuple[str, ...]]] = {}
    foreign_keys: dict[str, tuple[tuple[str, str, str, str], ...]] = {}
    code: dict[str, tuple[str, str]] = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        name, sql = str(name), str(sql or "")
        if kind in ("trigger", "view"):
            code[name] = (str(kind), _fold(sql))
        elif kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE"):
            code[name] = ("virtual", _fold(sql))
        elif kind == "table":
            tables[name] = _columns(conn, name)
            keys = conn.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall()
            foreign_keys[name] = tuple(
                sorted((str(k[3]), str(k[2]), str(k[4]), str(k[6])) for k in keys)
            )
        elif kind == "index" and not _INTERNAL.match(name):
            unique = any(
                row[1] == name and row[2]
                for row in conn.execute(f"PRAGMA index_list({_quote(str(table))})")
            )
            columns = tuple(
                str(row[2]) for row in conn.execute(f"PRAGMA index_info({_quote(name)})")
            )
            indexes[name] = (str(table), unique, columns)
        elif kind == "index":
            # An automatic index belongs to a table's UNIQUE or PRIMARY KEY clause.
            columns = tuple(
                str(row[2]) for row in conn.execute(f"PRAGMA index_info({_quote(name)})")
            )
            indexes[name] = (str(table), True, columns)
        else:
            code[name] = (str(kind), _fold(sql))
    return SchemaShape(tables, indexes, foreign_keys, code)


def _columns(conn: sqlite3.Connection, table: str) -> tuple[tuple[object, ...], ...]:
    # table_xinfo: cid, name, type, notnull, dflt_value, pk, hidden
    rows = conn.execute(f"PRAGMA table_xinfo({_quote(table)})").fetchall()
    return tuple((row[1], str(row[2]).upper(), row[3], row[4], row[5], row[6]) for row in rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def differences(actual: SchemaShape, expected: SchemaShape) -> list[str]:
    """How `actual` departs from `expected`, one plain phrase each; empty when equal."""
    found: list[str] = []
    for table in sorted(expected.tables.keys() - actual.tables.keys()):
        found.append(f"the table {table} is missing")
    for table in sorted(actual.tables.keys() - expected.tables.keys()):
        found.append(f"it has a table the app does not make ({table})")
    for table in sorted(expected.tables.keys() & actual.tables.keys()):
        have = {column[0]: column for column in actual.tables[table]}
        want = {column[0]: column for column in expected.tables[table]}
        for column in sorted(str(c) for c in want.keys() - have.keys()):
            found.append(f"the table {table} lacks the column {column}")
        for column in sorted(str(c) for c in have.keys() - want.keys()):
            found.append(f"the table {table} has an unknown column {column}")
        for column in sorted(str(c) for c in want.keys() & have.keys()):
            if have[column] != want[column]:
                found.append(f"the column {table}.{column} is not defined as the app defines it")
        if actual.foreign_keys.get(table) != expected.foreign_keys.get(table):
            found.append(f"the table {table} has other links to other tables")
    for name in sorted(expected.indexes.keys() - actual.indexes.keys()):
        found.append(f"the index {name} is missing")
    for name in sorted(actual.indexes.keys() - expected.indexes.keys()):
        found.append(f"it has an index the app does not make ({name})")
    for name in sorted(expected.indexes.keys() & actual.indexes.keys()):
        if actual.indexes[name] != expected.indexes[name]:
            found.append(f"the index {name} is not defined as the app defines it")
    for name in sorted(actual.code.keys() - expected.code.keys()):
        found.append(f"it has a {actual.code[name][0]} the app does not make ({name})")
    for name in sorted(expected.code.keys() - actual.code.keys()):
        found.append(f"the {expected.code[name][0]} {name} is missing")
    for name in sorted(expected.code.keys() & actual.code.keys()):
        if actual.code[name] != expected.code[name]:
            found.append(f"the {expected.code[name][0]} {name} was changed")
    return found


@contextlib.contextmanager
def _migrating(path: Path) -> Iterator[tuple[Callable[[str], None], list[str]]]:
    """A way to upgrade the SQLite file at ``path`` step by step with the app's own
    migrations (each step committed), and their revisions, oldest first. Imports Alembic."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from sanctuary_desktop.store.database import Database
    from sanctuary_desktop.store.migrate import alembic_config

    db = Database(f"sqlite:///{path}")
    try:
        config = alembic_config(db)
        scripts = ScriptDirectory.from_config(config).walk_revisions()
        revisions = [script.revision for script in reversed(list(scripts))]
        with db.engine.connect() as conn:
            config.attributes["connection"] = conn

            def upgrade(revision: str) -> None:
                command.upgrade(config, revision)
                conn.commit()

            yield upgrade, revisions
    finally:
        db.dispose()


@functools.cache
def reference_shapes() -> dict[str, SchemaShape]:
    """The schema of every version the app's migrations know, keyed by revision.

    Built by running the migrations one step at a time in a scratch file (about half a
    second); imports Alembic, so only restore, the backups list and `check` call it."""
    shapes: dict[str, SchemaShape] = {}
    with tempfile.TemporaryDirectory(prefix="sanctuary-schema-") as scratch:
        path = Path(scratch) / "reference.db"
        with _migrating(path) as (upgrade, revisions):
            for revision in revisions:
                upgrade(revision)
                with contextlib.closing(sqlite3.connect(path)) as reader:
                    shapes[revision] = shape_of(reader)
    return shapes


def create_at(path: Path, version: str) -> None:
    """Give the (empty) file at ``path`` the app's schema as it was at ``version``."""
    with _migrating(path) as (upgrade, _revisions):
        upgrade(version)


def verify(conn: sqlite3.Connection, version: str) -> list[str]:
    """Differences between the file's schema and the one the app makes at `version`.
    Call inside `sqlite_files.deadline`."""
    expected = reference_shapes().get(version)
    if expected is None:
        return [f"it records a schema version the app does not know ({version})"]
    return differences(shape_of(conn), expected)
