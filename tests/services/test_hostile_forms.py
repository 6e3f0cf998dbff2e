"""Whatever is typed into a form, the answer is a saved row or a ValidationError naming
a field, and a refused form writes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import calls, cohorts, records, roster
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.models import Call, Cohort, Note, Participant

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "\ud800", "'; DROP TABLE cohorts; --", "x" * 5000]),
)
zones = st.one_of(
    st.sampled_from(["Pacific/Auckland", "America/Vancouver", "UTC", "Mars/Olympus", ""]),
    st.text(max_size=40),
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
minutes = st.integers(min_value=-10_000, max_value=10_000)

_FOLDER: TemporaryDirectory[str] | None = None
_DB: Database | None = None


def shared_db() -> Database:
    """One database for every example: each must leave it consistent for the next."""
    global _FOLDER, _DB
    if _DB is None:
        _FOLDER = TemporaryDirectory()
        folder = DataFolder(Path(_FOLDER.name) / "data").prepare()
        _DB = Database(folder.sqlite_url, backups_dir=folder.backups)
        _DB.migrate()
        cohorts.create_cohort(
            _DB,
            CohortDraft("Kōwhai circle", "Pacific/Auckland", date(2026, 1, 1), date(2026, 9, 1)),
        )
    return _DB


def counts(db: Database) -> tuple[int, ...]:
    with db.reading() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Cohort, Participant, Call, Note)
        )


def first_cohort(db: Database) -> int:
    return cohorts.list_cohorts(db)[0].id


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(hostile_text, zones, dates, dates, minutes, hostile_text)
def test_cohort_form(name: str, zone: str, start: date, end: date, length: int, focus: str) -> None:
    db = shared_db()
    before = counts(db)
    draft = CohortDraft(name, zone, start, end, focus=focus, call_minutes=length)
    try:
        cohorts.create_cohort(db, draft)
    except ValidationError as error:
        assert error.errors and all(e.field for e in error.errors)
        assert counts(db) == before
    else:
        assert counts(db)[0] == before[0] + 1


@SETTINGS
@given(hostile_text, zones, hostile_text, st.one_of(st.none(), minutes), hostile_text)
def test_participant_form(name: str, zone: str, email: str, years: int | None, notes: str) -> None:
    db = shared_db()
    before = counts(db)
    draft = ParticipantDraft(
        name,
        zone,
        email=email,
        years_in_practice=years,
        status=IntakeStatus.ACCEPTED,
        notes=notes,
    )
    try:
        roster.add_participant(db, first_cohort(db), draft)
    except ValidationError as error:
        assert all(e.field for e in error.errors)
        assert counts(db) == before
    else:
        assert counts(db)[1] == before[1] + 1


@SETTINGS
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    )
    | st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    minutes,
    hostile_text,
)
def test_call_form(starts: datetime, length: int, title: str) -> None:
    db = shared_db()
    before = counts(db)
    try:
        calls.add_call(db, first_cohort(db), starts, length, title=title)
    except ValidationError as error:
        assert all(e.field for e in error.errors)
        assert counts(db) == before
    else:
        assert counts(db)[2] == before[2] + 1


@SETTINGS
@given(hostile_text, st.sampled_from(list(NoteKind)), st.lists(hostile_text, max_size=5))
def test_note_form(text: str, kind: NoteKind, tags: list[str]) -> None:
    db = shared_db()
    cohort = first_cohort(db)
    existing = calls.list_cohort_calls(db, cohort)
    if not existing:
        calls.add_call(db, cohort, datetime(2026, 3, 5, 20, tzinfo=UTC), 90)
        existing = calls.list_cohort_calls(db, cohort)
    before = counts(db)
    try:
        records.add_note(
            db,
            existing[0].id,
            text,
            kind=kind,
            tags=tags,
            created_at=datetime(2026, 3, 5, 20, tzinfo=UTC) + timedelta(minutes=5),
        )
    except ValidationError as error:
        assert all(e.field for e in error.errors)
        assert counts(db) == before
    else:
        assert counts(db)[3] == before[3] + 1
