"""Cohorts: list, read, create, edit, duplicate as a new intake, archive, delete."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services.cohort_list import CohortSummary
from sanctuary_desktop.services.views import (
    CohortPlan,
    CohortView,
    Outcome,
    ParticipantView,
    Topic,
    call_views,
    check_unchanged,
)
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Call, Cohort, LiveRun, Participant


def load_cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise ValidationError.single("Cohort", f"no cohort with id {cohort_id}")
    return cohort


def load_call(session: Session, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise ValidationError.single("Call", f"no call with id {call_id}")
    return call


def list_cohorts(
    db: Database, *, include_archived: bool = True, now: datetime | None = None
) -> list[CohortSummary]:
    now = now or datetime.now(UTC)
    with db.reading() as session:
        people = (
            select(Participant.cohort_id, func.count().label("n"))
            .group_by(Participant.cohort_id)
            .subquery()
        )
        calls = (
            select(
                Call.cohort_id,
                func.count().label("n"),
                # The next call is one still to come: not one run live and finished early.
                func.min(Call.starts_at)
                .filter(Call.starts_at >= now, ~Call.live_run.has(LiveRun.finished_at.is_not(None)))
                .label("next_call"),
            )
            .where(Call.cancelled.is_(False))
            .group_by(Call.cohort_id)
            .subquery()
        )
        query = (
            select(Cohort, people.c.n, calls.c.n, calls.c.next_call)
            .outerjoin(people, people.c.cohort_id == Cohort.id)
            .outerjoin(calls, calls.c.cohort_id == Cohort.id)
            .order_by(Cohort.archived, Cohort.start_date.desc(), Cohort.name)
        )
        if not include_archived:
            query = query.where(Cohort.archived.is_(False))
        rows = session.execute(query).all()
        summaries = []
        for cohort, n_people, n_calls, next_call in rows:
            summaries.append(
                CohortSummary(
                    id=cohort.id,
                    name=cohort.name,
                    focus=cohort.focus,
                    home_tz=cohort.home_tz,
                    start_date=cohort.start_date,
                    end_date=cohort.end_date,
                    archived=cohort.archived,
                    participant_count=n_people or 0,
                    call_count=n_calls or 0,
                    next_call=_as_instant(next_call),
                )
            )
        return summaries


def _as_instant(value: object) -> datetime | None:
    if value is None:
        return None
    # Aggregates bypass the column type: SQLite hands back text, PostgreSQL a naive value.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def get_cohort(db: Database, cohort_id: int) -> CohortView:
    with db.reading() as session:
        return CohortView.of(load_cohort(session, cohort_id))


def get_plan(db: Database, cohort_id: int) -> CohortPlan:
    with db.reading() as session:
        cohort = load_cohort(session, cohort_id)
        people = session.scalars(
            select(Participant)
            .where(Participant.cohort_id == cohort_id)
            .order_by(func.lower(Participant.name))
        )
        return CohortPlan(
            cohort=CohortView.of(cohort),
            participants=tuple(ParticipantView.of(p) for p in people),
            calls=tuple(call_views(cohort.calls, cohort)),
        )


def _apply(cohort: Cohort, draft: CohortDraft) -> None:
    cohort.name = draft.name
    cohort.focus = draft.focus
    cohort.facilitators = draft.facilitators
    cohort.home_tz = draft.home_tz
    cohort.start_date = draft.start_date
    cohort.end_date = draft.end_date
    cohort.call_minutes = draft.call_minutes
    cohort.notes = draft.notes
    cohort.video_link = draft.video_link
    cohort.day_start = draft.waking_hours.start
    cohort.day_end = draft.waking_hours.end


def create_cohort(db: Database, draft: CohortDraft) -> Outcome[CohortView]:
    clean = draft.validated()
    with db.unit_of_work() as session:
        cohort = Cohort(archived=False)
        _apply(cohort, clean)
        session.add(cohort)
        session.flush()
        return Outcome.of(CohortView.of(cohort), Topic.COHORTS)


def update_cohort(db: Database, cohort_id: int, draft: CohortDraft) -> Outcome[CohortView]:
    """Save an edited cohort; a draft read before someone else's save is refused
    (`ChangedSince`) rather than putting the older values back."""
    clean = draft.validated()
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        check_unchanged("Cohort", cohort.updated_at, clean.read_at)
        shown = _in_calendars(cohort)
        _apply(cohort, clean)
        if _in_calendars(cohort) != shown:
            # Every event's title, description or place changes: calendars must take it.
            for call in cohort.calls:
                next_revision(call)
        session.flush()
        return Outcome.of(CohortView.of(cohort), Topic.COHORTS, Topic.CALLS)


def _in_calendars(cohort: Cohort) -> tuple[str, ...]:
    """What a cohort gives each of its calendar events (see services/calendar_export)."""
    return (cohort.name, cohort.focus, cohort.facilitators, cohort.video_link, cohort.home_tz)


def next_revision(call: Call) -> None:
    """Calendars take a higher revision (the event's SEQUENCE) as news of the same event.
    It stops at the bound an archive holds, a million changes on: far past any real call,
    and still exportable."""
    call.revision = min(call.revision + 1, limits.MAX_REVISION)


def duplicate_as_new_intake(
    db: Database, cohort_id: int, *, name: str, start_date: date, end_date: date
) -> Outcome[CohortView]:
    """Same settings, new dates, no people and no calls."""
    with db.reading() as session:
        source = CohortView.of(load_cohort(session, cohort_id))
    draft = source.draft()
    return create_cohort(
        db,
        CohortDraft(
            name=name,
            home_tz=draft.home_tz,
            start_date=start_date,
            end_date=end_date,
            focus=draft.focus,
            facilitators=draft.facilitators,
            call_minutes=draft.call_minutes,
            notes=draft.notes,
            waking_hours=draft.waking_hours,
            video_link=draft.video_link,
        ),
    )


def set_archived(db: Database, cohort_id: int, archived: bool) -> Outcome[CohortView]:
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        cohort.archived = archived
        session.flush()
        return Outcome.of(CohortView.of(cohort), Topic.COHORTS)


def delete_cohort(db: Database, cohort_id: int) -> Outcome[int]:
    """Deletes the cohort with its people, calls and notes (the UI confirms first)."""
    with db.unit_of_work() as session:
        session.delete(load_cohort(session, cohort_id))
        return Outcome.of(cohort_id, Topic.COHORTS, Topic.PARTICIPANTS, Topic.CALLS)
