"""`sanctuary-desktop check`: SQLite's own checks and the app's invariants. Reports only.

Every check runs on its own and turns any error into a failed line, so a badly damaged
file still gets a full report rather than a crash. Nothing is repaired.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from sanctuary_desktop.domain.agenda import agenda_from_json
from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import protocol_from_json
from sanctuary_desktop.domain.timer import Action
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

SHOWN = 5  # offenders named in a detail; the rest are counted

Check = tuple[str, bool, str]
Rule = Callable[[Database, Connection], tuple[bool, str]]


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
    ]
    for name, rule in _INVARIANTS:
        checks.append(_run(name, db, rule))
    return CheckReport(tuple(checks))


def _run(
    name: str, db: Database, rule: Callable[[Database, Connection], tuple[bool, str]]
) -> Check:
    try:
        # Autocommit: each query reads on its own, so a check never takes the write lock and
        # works on a file it may not write to.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            passed, detail = rule(db, conn)
    except Exception as error:  # a damaged file fails a check; it must not stop the report
        return name, False, f"could not be checked: {_first_line(error)}"
    return name, passed, detail


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


# The app's own rules


def _calls_have_cohorts(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(
        conn,
        "SELECT c.id, c.cohort_id FROM calls c LEFT JOIN cohorts h ON h.id = c.cohort_id"
        " WHERE h.id IS NULL ORDER BY c.id",
    )
    return _listed([f"call {i} names missing cohort {c}" for i, c in rows], "calls")


def _participants_have_cohorts(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(
        conn,
        "SELECT p.id, p.cohort_id FROM participants p LEFT JOIN cohorts h ON h.id = p.cohort_id"
        " WHERE h.id IS NULL ORDER BY p.id",
    )
    return _listed([f"person {i} names missing cohort {c}" for i, c in rows], "people")


def _attendance_in_cohort(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(
        conn,
        "SELECT a.call_id, a.participant_id FROM attendance a"
        " LEFT JOIN calls c ON c.id = a.call_id"
        " LEFT JOIN participants p ON p.id = a.participant_id"
        " WHERE c.id IS NULL OR p.id IS NULL OR p.cohort_id <> c.cohort_id"
        " ORDER BY a.call_id, a.participant_id",
    )
    return _listed(
        [f"call {c} lists person {p}, who is not in its cohort" for c, p in rows],
        "attendance records",
    )


def _notes_in_cohort(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(
        conn,
        "SELECT n.id, n.call_id, n.owner_id, c.id FROM notes n"
        " LEFT JOIN calls c ON c.id = n.call_id"
        " LEFT JOIN participants p ON p.id = n.owner_id"
        " WHERE c.id IS NULL OR (n.owner_id IS NOT NULL"
        " AND (p.id IS NULL OR p.cohort_id <> c.cohort_id)) ORDER BY n.id",
    )
    return _listed(
        [
            f"note {n} names missing call {c}"
            if call is None
            else f"note {n} is owned by person {o}, who is not in call {c}'s cohort"
            for n, c, o, call in rows
        ],
        "notes",
    )


def _buddies_in_cohort(db: Database, conn: Connection) -> tuple[bool, str]:
    cycles = _rows(
        conn,
        "SELECT b.id, b.after_call_id FROM buddy_cycles b"
        " LEFT JOIN calls c ON c.id = b.after_call_id"
        " WHERE c.id IS NULL OR c.cohort_id <> b.cohort_id ORDER BY b.id",
    )
    members = _rows(
        conn,
        "SELECT g.cycle_id, m.participant_id FROM buddy_members m"
        " LEFT JOIN buddy_groups g ON g.id = m.group_id"
        " LEFT JOIN buddy_cycles b ON b.id = g.cycle_id"
        " LEFT JOIN participants p ON p.id = m.participant_id"
        " WHERE b.id IS NULL OR p.id IS NULL OR p.cohort_id <> b.cohort_id"
        " ORDER BY g.cycle_id, m.participant_id",
    )
    return _listed(
        [f"buddy cycle {b} follows call {c} of another cohort" for b, c in cycles]
        + [f"buddy cycle {b} pairs person {p}, who is not in its cohort" for b, p in members],
        "buddy records",
    )


def _nobody_twice_in_a_cycle(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(
        conn,
        "SELECT g.cycle_id, m.participant_id, count(*) FROM buddy_members m"
        " JOIN buddy_groups g ON g.id = m.group_id"
        " GROUP BY g.cycle_id, m.participant_id HAVING count(*) > 1"
        " ORDER BY g.cycle_id, m.participant_id",
    )
    return _listed([f"buddy cycle {b} has person {p} in {n} groups" for b, p, n in rows], "repeats")


def _presenters_in_cohort(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(
        conn,
        "SELECT s.call_id, s.slot, s.participant_id, c.id FROM presenter_slots s"
        " LEFT JOIN calls c ON c.id = s.call_id"
        " LEFT JOIN participants p ON p.id = s.participant_id"
        " WHERE c.id IS NULL OR s.slot < 1 OR (s.participant_id IS NOT NULL"
        " AND (p.id IS NULL OR p.cohort_id <> c.cohort_id)) ORDER BY s.call_id, s.slot",
    )
    return _listed(
        [
            f"call {c} round {s} names person {p}, who is not in its cohort"
            if call is not None and s >= 1
            else f"call {c} has a bad presenter slot {s}"
            for c, s, p, call in rows
        ],
        "presenter slots",
    )


def _live_events_in_order(db: Database, conn: Connection) -> tuple[bool, str]:
    rows = _rows(conn, "SELECT run_id, seq, at FROM live_events ORDER BY run_id, seq")
    offenders: list[str] = []
    run, expected, previous = None, 0, None
    for run_id, seq, at in rows:
        if run_id != run:
            run, expected, previous = run_id, 0, None
        instant = _instant(at)
        if seq != expected:
            offenders.append(f"run {run_id} has event {seq} where {expected} was due")
        elif previous is not None and instant < previous:
            offenders.append(f"run {run_id} event {seq} is earlier than the one before")
        expected, previous = seq + 1, instant
    return _listed(offenders, "timer records out of order")


def _instant(value: object) -> datetime:
    # Raw SQL on SQLite hands back the stored text; PostgreSQL hands back a datetime.
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _documents_parse(db: Database, conn: Connection) -> tuple[bool, str]:
    offenders: list[str] = []
    for call_id, items in _rows(conn, "SELECT call_id, items FROM call_agendas ORDER BY call_id"):
        if problem := _parse_problem(agenda_from_json, items):
            offenders.append(f"the agenda of call {call_id} {problem}")
    for run_id, items in _rows(conn, "SELECT id, items FROM live_runs ORDER BY id"):
        if problem := _parse_problem(agenda_from_json, items):
            offenders.append(f"the agenda of live run {run_id} {problem}")
    for key, document in _rows(conn, "SELECT key, document FROM protocols ORDER BY key"):
        if problem := _parse_problem(protocol_from_json, document):
            offenders.append(f"saved protocol {key!r} {problem}")
    return _listed(offenders, "unreadable documents")


def _parse_problem(parse: Callable[[str], object], document: object) -> str | None:
    try:
        parse(str(document))
    except ValidationError as invalid:
        return "; ".join(error.message for error in invalid.errors)
    return None


def _known_values(db: Database, conn: Connection) -> tuple[bool, str]:
    offenders: list[str] = []
    statuses = {s.value for s in IntakeStatus}
    for pid, status in _rows(conn, "SELECT id, status FROM participants ORDER BY id"):
        if status not in statuses:
            offenders.append(f"person {pid} has intake status {status!r}")
    kinds = {k.value for k in NoteKind}
    for nid, kind in _rows(conn, "SELECT id, kind FROM notes ORDER BY id"):
        if kind not in kinds:
            offenders.append(f"note {nid} has kind {kind!r}")
    actions = {a.value for a in Action}
    for eid, action in _rows(conn, "SELECT id, action FROM live_events ORDER BY id"):
        if action not in actions:
            offenders.append(f"timer event {eid} has action {action!r}")
    return _listed(offenders, "unknown values")


_INVARIANTS: tuple[tuple[str, Rule], ...] = (
    ("Every call's cohort exists", _calls_have_cohorts),
    ("Every person's cohort exists", _participants_have_cohorts),
    ("Attendance is of the call's cohort", _attendance_in_cohort),
    ("Note owners are of the call's cohort", _notes_in_cohort),
    ("Buddy groups are of the cycle's cohort", _buddies_in_cohort),
    ("No one twice in a buddy cycle", _nobody_twice_in_a_cycle),
    ("Presenters are of the call's cohort", _presenters_in_cohort),
    ("Live timer records are in order", _live_events_in_order),
    ("Agendas and protocols can be read", _documents_parse),
    ("Stored values are known", _known_values),
)
