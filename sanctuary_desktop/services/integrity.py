"""`sanctuary-desktop check`: SQLite's own checks and the app's rules (domain.rules, the
same the archive importer runs). Reports only.

Every check runs on its own and turns any error into a failed line, so a badly damaged
file still gets a full report rather than a crash. Nothing is repaired.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Connection, select, text

from sanctuary_desktop.domain.archive import (
    AgendaRecord,
    Archive,
    AttendanceRecord,
    BuddyCycleRecord,
    BuddyGroupRecord,
    BuddyMemberRecord,
    CallRecord,
    CohortRecord,
    LiveEventRecord,
    LiveRunRecord,
    NoteRecord,
    ParticipantRecord,
    PresenterSlotRecord,
    ProtocolRecord,
)
from sanctuary_desktop.domain.limits import EARLIEST_INSTANT
from sanctuary_desktop.domain.rules import RULES
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import (
    Attendance,
    BuddyCycle,
    BuddyGroup,
    BuddyMember,
    Call,
    CallAgenda,
    Cohort,
    LiveRun,
    Note,
    Participant,
    PresenterSlot,
    RunEvent,
    SavedProtocol,
)
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

SHOWN = 5  # offenders named in a detail; the rest are counted

Check = tuple[str, bool, str]
SqlCheck = Callable[[Database, Connection], tuple[bool, str]]


@dataclass(frozen=True)
class CheckReport:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(passed for _, passed, _ in self.checks)

    @property
    def problems(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check[1])


def check(db: Database) -> CheckReport:
    checks: list[Check] = [
        _run("SQLite integrity", db, _sqlite_integrity),
        _run("Foreign keys", db, _foreign_keys),
        _run("Schema is up to date", db, _schema),
        _run("Schema is the app's own", db, _schema_shape),
    ]
    checks.extend(_rules(db))
    return CheckReport(tuple(checks))


def _run(name: str, db: Database, rule: SqlCheck) -> Check:
    try:
        with _reader(db) as conn:
            passed, detail = rule(db, conn)
    except Exception as error:  # a damaged file fails a check; it must not stop the report
        return name, False, f"could not be checked: {_first_line(error)}"
    return name, passed, detail


def _reader(db: Database) -> Connection:
    # Autocommit: nothing begins by itself, so a check never takes the write lock and
    # works on a file it may not write to.
    return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _listed(offenders: Sequence[str], what: str) -> tuple[bool, str]:
    if not offenders:
        return True, "ok"
    shown = "; ".join(offenders[:SHOWN])
    more = f"; and {len(offenders) - SHOWN} more" if len(offenders) > SHOWN else ""
    return False, f"{len(offenders)} {what}: {shown}{more}"


def _rows(conn: Connection, query: str) -> list[Any]:
    return list(conn.execute(text(query)).all())


# SQLite and the schema


def _sqlite_integrity(db: Database, conn: Connection) -> tuple[bool, str]:
    if not db.is_sqlite:
        return True, f"skipped: not a SQLite database ({db.engine.dialect.name})"
    found = [str(row[0]) for row in _rows(conn, "PRAGMA integrity_check")]
    if found == ["ok"]:
        return True, "ok"
    return _listed(found, "problems found by SQLite")


def _foreign_keys(db: Database, conn: Connection) -> tuple[bool, str]:
    if not db.is_sqlite:
        return True, "skipped: the server enforces them"
    broken = [
        f"{table} row {rowid} names a missing {parent} row"
        for table, rowid, parent, _ in _rows(conn, "PRAGMA foreign_key_check")
    ]
    return _listed(broken, "broken references")


def _schema(db: Database, conn: Connection) -> tuple[bool, str]:
    version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version == SCHEMA_HEAD:
        return True, f"version {version}"
    return False, f"version {version or 'none'}; this app's is {SCHEMA_HEAD}"


def _schema_shape(db: Database, conn: Connection) -> tuple[bool, str]:
    """No trigger, view, table or column the app's migrations did not make (a file
    crafted to rewrite data on the next edit is found here)."""
    if not db.is_sqlite:
        return True, "checked on SQLite files only"
    from sanctuary_desktop.store.schema_check import verify
    from sanctuary_desktop.store.sqlite_files import deadline

    version = conn.execute(text("SELECT max(version_num) FROM alembic_version")).scalar()
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    with deadline(raw, 60.0):
        found = verify(raw, str(version))
    return _listed(found, "differences from the app's schema")


# The app's own rules: the same ones the archive importer runs (domain.rules)


def _load(conn: Connection) -> Archive:
    """Every row of every table, as the records an archive holds, read in one snapshot."""
    tables: dict[str, Any] = {
        attribute: tuple(
            record(**row._mapping)
            for row in conn.execute(
                select(*(model.__table__.c[f.name] for f in fields(record))).order_by(
                    *model.__table__.primary_key.columns
                )
            )
        )
        for attribute, record, model in _TABLES
    }
    return Archive(app_version="", created_at=EARLIEST_INSTANT, **tables)


_TABLES: tuple[tuple[str, Any, Any], ...] = (
    ("cohorts", CohortRecord, Cohort),
    ("participants", ParticipantRecord, Participant),
    ("calls", CallRecord, Call),
    ("attendance", AttendanceRecord, Attendance),
    ("notes", NoteRecord, Note),
    ("agendas", AgendaRecord, CallAgenda),
    ("presenter_slots", PresenterSlotRecord, PresenterSlot),
    ("buddy_cycles", BuddyCycleRecord, BuddyCycle),
    ("buddy_groups", BuddyGroupRecord, BuddyGroup),
    ("buddy_members", BuddyMemberRecord, BuddyMember),
    ("live_runs", LiveRunRecord, LiveRun),
    ("live_events", LiveEventRecord, RunEvent),
    ("protocols", ProtocolRecord, SavedProtocol),
)


def _rules(db: Database) -> list[Check]:
    """One line per rule; data that cannot be read fails every rule, saying why."""
    try:
        with _reader(db) as conn:
            # One read transaction: the rules see one moment, not a write half done.
            conn.exec_driver_sql("BEGIN")
            try:
                data = _load(conn)
            finally:
                conn.exec_driver_sql("ROLLBACK")
    except Exception as error:  # damaged data fails the rules; it must not stop the report
        detail = f"could not be checked: {_first_line(error)}"
        return [(rule.name, False, detail) for rule in RULES]
    checks: list[Check] = []
    for rule in RULES:
        try:
            passed, detail = _listed(list(rule.offenders(data)), "problems")
        except Exception as error:
            passed, detail = False, f"could not be checked: {_first_line(error)}"
        checks.append((rule.name, passed, detail))
    return checks
