"""`check` passes on good data and names each planted problem; it never repairs or crashes."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.domain.timer import Action, LiveEvent
from sanctuary_desktop.services import cohorts, demo, integrity, live, protocol_library
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, plus a live run with timer events and a saved protocol; made once."""
    made = DataFolder(tmp_path_factory.mktemp("template")).prepare()
    db = Database(made.sqlite_url, backups_dir=made.backups)
    db.migrate()
    cohort = demo.create_sample(db, today=TODAY)
    call = cohorts.get_plan(db, cohort.id).calls[-1]
    run = live.open_live(db, call.id).value
    start = call.starts_at
    live.append_events(
        db,
        run.run_id,
        [
            LiveEvent(start, Action.START),
            LiveEvent(start + timedelta(minutes=5), Action.NEXT),
            LiveEvent(start + timedelta(minutes=6), Action.PAUSE),
        ],
    )
    protocol_library.duplicate_protocol(db, DEFAULT_PROTOCOL_KEY, "Our own peer input")
    db.dispose()  # the last connection folds the WAL into the file
    return made.database


@pytest.fixture
def full_db(template: Path, folder: DataFolder) -> Iterator[Database]:
    shutil.copyfile(template, folder.database)
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    yield db
    db.dispose()


def failed(report: integrity.CheckReport) -> set[str]:
    return {name for name, _, _ in report.problems}


def plant(folder: DataFolder, *statements: str) -> None:
    """Raw SQL on a plain connection, where foreign keys are off, as damage would be."""
    conn = sqlite3.connect(folder.database)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def test_the_sample_passes_every_check(full_db: Database) -> None:
    report = integrity.check(full_db)
    assert report.ok and report.problems == ()
    names = [name for name, _, _ in report.checks]
    assert names[:3] == ["SQLite integrity", "Foreign keys", "Schema is up to date"]
    assert len(names) == len(set(names)) >= 12
    with full_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM live_events").scalar() == 3
        assert conn.exec_driver_sql("SELECT count(*) FROM protocols").scalar() == 1


def test_checking_takes_no_write_lock(full_db: Database, folder: DataFolder) -> None:
    writer = sqlite3.connect(folder.database, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    try:
        assert integrity.check(full_db).ok
    finally:
        writer.execute("ROLLBACK")
        writer.close()


PERSON_ELSEWHERE = (
    "INSERT INTO cohorts (id, name, focus, facilitators, home_tz, start_date, end_date,"
    " call_minutes, notes, day_start, day_end, archived, created_at, updated_at) VALUES"
    " (77, 'Elsewhere', '', '', 'UTC', '2026-01-01', '2026-07-01', 90, '', '07:00', '22:00',"
    " 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO participants (id, cohort_id, name, organisation, time_zone, status, notes,"
    " created_at) VALUES (777, 77, 'Stranger', '', 'UTC', 'accepted', '',"
    " '2026-01-01 00:00:00')",
)
FIRST_CALL = "(SELECT min(id) FROM calls)"
SOME_MEMBER = "(SELECT participant_id FROM buddy_members ORDER BY group_id LIMIT 1)"

PLANTED = {
    "a call of a missing cohort": (
        (
            "INSERT INTO calls (cohort_id, uid, starts_at, minutes, cancelled, title, notes,"
            " revision, updated_at) VALUES (999, 'orphan', '2026-02-05 17:00:00', 90, 0, '',"
            " '', 0, '2026-01-01 00:00:00')",
        ),
        {"Every call's cohort exists", "Foreign keys"},
    ),
    "a person of a missing cohort": (
        (
            "INSERT INTO participants (cohort_id, name, organisation, time_zone, status, notes,"
            " created_at) VALUES (999, 'Lost', '', 'UTC', 'accepted', '', '2026-01-01 00:00:00')",
        ),
        {"Every person's cohort exists", "Foreign keys"},
    ),
    "attendance of someone from another cohort": (
        (
            *PERSON_ELSEWHERE,
            f"INSERT INTO attendance (call_id, participant_id, present) VALUES ({FIRST_CALL},"
            " 777, 1)",
        ),
        {"Attendance is of the call's cohort"},
    ),
    "a note owned by someone from another cohort": (
        (
            *PERSON_ELSEWHERE,
            "UPDATE notes SET owner_id = 777 WHERE id = (SELECT min(id) FROM notes)",
        ),
        {"Note owners are of the call's cohort"},
    ),
    "a note of a missing call": (
        ("UPDATE notes SET call_id = 9999 WHERE id = (SELECT max(id) FROM notes)",),
        {"Note owners are of the call's cohort", "Foreign keys"},
    ),
    "a buddy from another cohort": (
        (
            *PERSON_ELSEWHERE,
            "INSERT INTO buddy_members (group_id, participant_id) VALUES"
            " ((SELECT min(id) FROM buddy_groups), 777)",
        ),
        {"Buddy groups are of the cycle's cohort"},
    ),
    "someone in two groups of one cycle": (
        (
            "INSERT INTO buddy_members (group_id, participant_id) SELECT g2.id, m.participant_id"
            " FROM buddy_members m JOIN buddy_groups g1 ON g1.id = m.group_id"
            " JOIN buddy_groups g2 ON g2.cycle_id = g1.cycle_id AND g2.id <> g1.id"
            f" WHERE m.participant_id = {SOME_MEMBER} ORDER BY g1.id, g2.id LIMIT 1",
        ),
        {"No one twice in a buddy cycle"},
    ),
    "a presenter from another cohort": (
        (
            *PERSON_ELSEWHERE,
            "UPDATE presenter_slots SET participant_id = 777"
            f" WHERE call_id = {FIRST_CALL} AND slot = 1",
        ),
        {"Presenters are of the call's cohort"},
    ),
    "a gap in the timer's events": (
        ("UPDATE live_events SET seq = 7 WHERE seq = 2",),
        {"Live timer records are in order"},
    ),
    "time running backwards in the timer's events": (
        ("UPDATE live_events SET at = '2000-01-01 00:00:00.000000' WHERE seq = 2",),
        {"Live timer records are in order"},
    ),
    "a damaged agenda": (
        (f"UPDATE call_agendas SET items = '[{{\"name\": 3' WHERE call_id = {FIRST_CALL}",),
        {"Agendas and protocols can be read"},
    ),
    "a damaged live run agenda": (
        ("UPDATE live_runs SET items = '{}'",),
        {"Agendas and protocols can be read"},
    ),
    "a damaged saved protocol": (
        ("UPDATE protocols SET document = 'not a protocol'",),
        {"Agendas and protocols can be read"},
    ),
    "an unknown note kind": (
        ("UPDATE notes SET kind = 'gossip' WHERE id = (SELECT min(id) FROM notes)",),
        {"Stored values are known"},
    ),
    "a call in the year 9999": (
        (f"UPDATE calls SET starts_at = '9999-12-31 10:00:00.000000' WHERE id = {FIRST_CALL}",),
        {"Dates and times are within the years the app shows"},
    ),
    "a timer event the timer could not take": (
        ("UPDATE live_events SET action = 'resume' WHERE seq = 1",),
        {"Live timer records replay"},
    ),
    "a run marked finished whose timer never finished": (
        ("UPDATE live_runs SET finished_at = '2026-01-01 00:00:00.000000'",),
        {"Live timer records replay"},
    ),
    "a run left open on a cancelled call": (
        ("UPDATE calls SET cancelled = 1 WHERE id = (SELECT call_id FROM live_runs)",),
        {"Calls left running are not cancelled"},
    ),
    "a cohort that ends before it starts": (
        ("UPDATE cohorts SET end_date = '2000-01-01'",),
        {"Cohort dates and hours are in order"},
    ),
    "a schema behind the app": (
        # The tables are the newest while the file claims 0002: not 0002's schema either.
        ("UPDATE alembic_version SET version_num = '0002'",),
        {"Schema is up to date", "Schema is the app's own"},
    ),
}


def dump(folder: DataFolder) -> list[str]:
    conn = sqlite3.connect(folder.database)
    lines = list(conn.iterdump())
    conn.close()
    return lines


@pytest.mark.parametrize("case", PLANTED, ids=list(PLANTED))
def test_each_planted_problem_is_found_and_left_alone(
    full_db: Database, folder: DataFolder, case: str
) -> None:
    statements, expected = PLANTED[case]
    plant(folder, *statements)
    before = dump(folder)
    report = integrity.check(full_db)
    assert not report.ok
    assert failed(report) == expected
    for _, _, detail in report.problems:
        assert detail and "could not be checked" not in detail
    again = integrity.check(full_db)
    assert failed(again) == expected, "nothing was repaired"
    assert dump(folder) == before


def test_a_truncated_database_is_reported_not_a_crash(template: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.db"
    data = template.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    damaged = Database(f"sqlite:///{cut}")
    report = integrity.check(damaged)
    damaged.dispose()
    assert not report.ok
    assert "SQLite integrity" in failed(report)


def test_a_file_that_is_not_a_database_is_reported_not_a_crash(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00\xffnot sqlite" * 1000)
    damaged = Database(f"sqlite:///{garbage}")
    report = integrity.check(damaged)
    damaged.dispose()
    assert not report.ok
    assert all(not passed for _, passed, _ in report.checks)
    assert all("not a database" in detail for _, _, detail in report.checks)
