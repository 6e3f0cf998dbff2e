"""The first look at the cohort list (sqlite3 alone) must match the ORM's list exactly."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.services import calls, cohort_list, cohorts, demo
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from tests.services.test_held_calls import _finish_early


def fill(db: Database) -> None:
    """Cohorts that test each column: past and future calls, cancelled ones, archived,
    empty, and names that sort differently by case and accents on one start date."""
    past = demo.create_sample(db, today=date(2024, 3, 1))
    future = demo.create_sample(db, today=date(2031, 1, 10))
    running = demo.create_sample(db, today=datetime.now(UTC).date())
    cohorts.set_archived(db, past.id, True)
    for call in calls.list_cohort_calls(db, future.id)[:2]:
        calls.set_cancelled(db, call.id, True)
    coming = [
        c for c in calls.list_cohort_calls(db, running.id) if c.starts_at >= datetime.now(UTC)
    ]
    calls.set_cancelled(db, coming[0].id, True)
    # Run live and finished before its time: held, so not the next call either.
    _finish_early(db, coming[1].id, datetime.now(UTC) - timedelta(hours=1))
    for name in ("ákau circle", "Akau circle", "akau circle", "Zebra circle"):
        cohorts.create_cohort(
            db,
            CohortDraft(
                name=name,
                home_tz="Pacific/Auckland",
                start_date=date(2027, 2, 1),
                end_date=date(2027, 6, 1),
                focus="Rivers",
            ),
        )


@pytest.mark.parametrize("include_archived", [False, True])
def test_matches_list_cohorts_while_the_database_is_open(
    db: Database, folder: DataFolder, include_archived: bool
) -> None:
    fill(db)
    expected = cohorts.list_cohorts(db, include_archived=include_archived)
    seen = cohort_list.first_look(
        folder.database, datetime.now(UTC), include_archived=include_archived
    )
    assert seen == expected
    assert len(expected) == (7 if include_archived else 6)
    assert any(row.next_call is None for row in expected)  # the past cohort, archived
    assert any(row.next_call is not None for row in expected)


def test_matches_after_the_app_has_closed_the_file(db: Database, folder: DataFolder) -> None:
    fill(db)
    expected = cohorts.list_cohorts(db, include_archived=False)
    db.dispose()  # WAL checkpointed and removed: the file alone is read, nothing is left beside
    before = sorted(p.name for p in folder.root.iterdir())
    assert cohort_list.first_look(folder.database, datetime.now(UTC), include_archived=False) == (
        expected
    )
    assert sorted(p.name for p in folder.root.iterdir()) == before


def test_an_empty_database_gives_an_empty_list(db: Database, folder: DataFolder) -> None:
    assert cohort_list.first_look(folder.database, datetime.now(UTC), include_archived=False) == []


def test_no_file_gives_none(tmp_path: Path) -> None:
    missing = tmp_path / "sanctuary.db"
    assert cohort_list.first_look(missing, datetime.now(UTC), include_archived=False) is None
    assert not missing.exists()  # never created by looking


def test_an_older_or_newer_schema_gives_none(db: Database, folder: DataFolder) -> None:
    fill(db)
    db.dispose()
    for version in ("0003", "0099"):
        with sqlite3.connect(folder.database) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (version,))
        assert (
            cohort_list.first_look(folder.database, datetime.now(UTC), include_archived=False)
            is None
        )


def test_a_file_that_is_not_a_database_gives_none(tmp_path: Path) -> None:
    garbage = tmp_path / "sanctuary.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert cohort_list.first_look(garbage, datetime.now(UTC), include_archived=False) is None
    assert garbage.read_bytes() == b"not a database at all" * 100


def test_unexpected_values_give_none(db: Database, folder: DataFolder) -> None:
    fill(db)
    db.dispose()
    with sqlite3.connect(folder.database) as conn:
        conn.execute("UPDATE cohorts SET start_date = 'soon' WHERE name = 'Zebra circle'")
    assert (
        cohort_list.first_look(folder.database, datetime.now(UTC), include_archived=False) is None
    )
