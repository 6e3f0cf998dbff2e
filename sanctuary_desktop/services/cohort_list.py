"""A row of the cohort list, and a first look at the list through the sqlite3 module alone.

Importing SQLAlchemy and the models takes several times longer than showing a window, so
start-up shows the first look while they load on the database thread, then replaces it
with `cohorts.list_cohorts`, which must give the same rows (a test compares the two). Anything
out of the ordinary (no file yet, a schema older or newer than this app's, a locked,
damaged or foreign file) gives None, and start-up takes the usual path instead.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sanctuary_desktop.store.schema_version import SCHEMA_HEAD
from sanctuary_desktop.store.sqlite_files import open_read_only

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CohortSummary:
    id: int
    name: str
    focus: str
    home_tz: str
    start_date: date
    end_date: date
    archived: bool
    participant_count: int
    call_count: int
    next_call: datetime | None


# SQLAlchemy's format for DateTime on SQLite: naive UTC, compared as text.
STORED_INSTANT = "%Y-%m-%d %H:%M:%S.%f"

COHORT_LIST = """
SELECT c.id, c.name, c.focus, c.home_tz, c.start_date, c.end_date, c.archived,
       (SELECT count(*) FROM participants AS p WHERE p.cohort_id = c.id),
       (SELECT count(*) FROM calls AS k WHERE k.cohort_id = c.id AND NOT k.cancelled),
       (SELECT min(k.starts_at) FROM calls AS k
         WHERE k.cohort_id = c.id AND NOT k.cancelled AND k.starts_at >= :now
           AND NOT EXISTS (SELECT 1 FROM live_runs AS r
                            WHERE r.call_id = k.id AND r.finished_at IS NOT NULL))
FROM cohorts AS c
WHERE :include_archived OR NOT c.archived
ORDER BY c.archived, c.start_date DESC, c.name
"""


def first_look(
    database: Path, now: datetime, *, include_archived: bool
) -> list[CohortSummary] | None:
    """The rows `cohorts.list_cohorts` would give, or None when this read is not sure."""
    if not database.is_file():
        return None
    try:
        with open_read_only(database) as conn:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if version != [(SCHEMA_HEAD,)]:
                return None  # a migration runs first; the usual path waits for it
            rows = conn.execute(
                COHORT_LIST,
                {
                    "now": now.astimezone(UTC).strftime(STORED_INSTANT),
                    "include_archived": include_archived,
                },
            ).fetchall()
            return [_summary(row) for row in rows]
    except (sqlite3.Error, ValueError, TypeError) as error:
        log.info("no first look at the cohort list: %s", error)
        return None


def _summary(row: tuple[object, ...]) -> CohortSummary:
    (cohort_id, name, focus, home_tz, start, end, archived, people, calls, next_call) = row
    return CohortSummary(
        id=_int(cohort_id),
        name=_text(name),
        focus=_text(focus),
        home_tz=_text(home_tz),
        start_date=date.fromisoformat(_text(start)),
        end_date=date.fromisoformat(_text(end)),
        archived=bool(archived),
        participant_count=_int(people),
        call_count=_int(calls),
        next_call=(
            None
            if next_call is None
            else datetime.fromisoformat(_text(next_call)).replace(tzinfo=UTC)
        ),
    )


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected a number, found {value!r}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value
