"""Calls of a cohort: generate a series, add, move, cancel, delete; the calendar's view."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import check_video_link
from sanctuary_desktop.domain.errors import Collector, ValidationError, check_saveable
from sanctuary_desktop.domain.schedule import Cadence, generate_starts, local_to_utc
from sanctuary_desktop.domain.zones import zone
from sanctuary_desktop.services.cohorts import load_call, load_cohort, next_revision
from sanctuary_desktop.services.views import (
    CallView,
    Outcome,
    Topic,
    call_views,
    check_unchanged,
)
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Call, Cohort


def _view_of(session: Session, call: Call) -> CallView:
    session.flush()
    cohort = call.cohort
    session.refresh(cohort, ["calls"])
    return next(v for v in call_views(cohort.calls, cohort) if v.id == call.id)


def _check_minutes(minutes: int) -> None:
    if not 0 < minutes <= limits.MAX_CALL_MINUTES:
        raise ValidationError.single(
            "Length", f"must be more than zero and at most {limits.MAX_CALL_MINUTES // 60} hours"
        )


def _check_instant(starts_at: datetime, minutes: int) -> None:
    """A call starts, and ends, within the years every screen and export can show."""
    if starts_at.tzinfo is None:
        raise ValidationError.single("Start", "needs a time zone")
    if not limits.instant_in_range(starts_at):
        raise ValidationError.single("Start", f"must be {limits.YEARS_TEXT}")
    if not _in_range(starts_at, minutes):
        raise ValidationError.single("Start", f"must leave the call ending {limits.YEARS_TEXT}")


def _in_range(starts_at: datetime, minutes: int) -> bool:
    return limits.instant_in_range(starts_at) and limits.instant_in_range(
        starts_at + timedelta(minutes=minutes)
    )


def list_cohort_calls(db: Database, cohort_id: int) -> list[CallView]:
    with db.reading() as session:
        cohort = load_cohort(session, cohort_id)
        return call_views(cohort.calls, cohort)


def list_calls_between(
    db: Database, start: datetime, end: datetime, *, include_archived: bool = False
) -> list[CallView]:
    """Every cohort's calls starting in [start, end), for the calendar."""
    with db.reading() as session:
        query = select(Cohort).options(selectinload(Cohort.calls))
        if not include_archived:
            query = query.where(Cohort.archived.is_(False))
        query = query.where(Cohort.calls.any((Call.starts_at >= start) & (Call.starts_at < end)))
        views = [
            view
            for cohort in session.scalars(query)
            for view in call_views(cohort.calls, cohort)
            if start <= view.starts_at < end
        ]
        return sorted(views, key=lambda v: (v.starts_at, v.cohort_name))


def get_call(db: Database, call_id: int) -> CallView:
    with db.reading() as session:
        call = load_call(session, call_id)
        cohort = call.cohort
        return next(v for v in call_views(cohort.calls, cohort) if v.id == call_id)


def generate_series(
    db: Database, cohort_id: int, cadence: Cadence, *, replace_planned: bool = False
) -> Outcome[list[CallView]]:
    """Add a series of calls; with replace_planned, future calls not yet held go first."""
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        if cadence.zone != cohort.home_tz:
            raise ValidationError.single("Time zone", "must be the cohort's home time zone")
        starts = generate_starts(cadence)
        for start in starts:
            if not _in_range(start, cohort.call_minutes):
                field = "First date" if start == starts[0] else "Repeat"
                raise ValidationError.single(field, f"must keep every call {limits.YEARS_TEXT}")
        with _retitling(session, cohort):
            if replace_planned:
                now = datetime.now(UTC)
                for call in list(cohort.calls):
                    run = call.live_run
                    finished = run is not None and run.finished_at is not None
                    if call.starts_at > now and not finished:  # a call run early stays held
                        session.delete(call)
                session.flush()
            for start in starts:
                session.add(Call(cohort_id=cohort.id, starts_at=start, minutes=cohort.call_minutes))
        views = call_views(cohort.calls, cohort)
        return Outcome.of([v for v in views if v.starts_at in starts], Topic.CALLS)


def _check_texts(title: str, notes: str = "", video_link: str = "") -> None:
    errors = Collector()
    check_video_link(errors, video_link.strip())
    title = limits.one_line(title)
    if len(title) > limits.MAX_TITLE:
        errors.add("Title", f"must be at most {limits.MAX_TITLE} characters")
    elif not limits.single_line(title):
        errors.add("Title", "must be one line, without line breaks, tabs or control characters")
    check_saveable(errors, [("Title", title), ("Notes", notes)])
    errors.raise_if_any()


def add_call(
    db: Database,
    cohort_id: int,
    starts_at: datetime,
    minutes: int,
    *,
    title: str = "",
    notes: str = "",
    video_link: str = "",
) -> Outcome[CallView]:
    """Add one call. `video_link` is its own link (empty: the cohort's is used)."""
    _check_minutes(minutes)
    _check_instant(starts_at, minutes)
    _check_texts(title, notes, video_link)
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        call = Call(
            cohort_id=cohort_id,
            starts_at=starts_at,
            minutes=minutes,
            title=limits.one_line(title),
            notes=notes.strip(),
            video_link=video_link.strip(),
        )
        with _retitling(session, cohort):
            session.add(call)
        return Outcome.of(_view_of(session, call), Topic.CALLS)


def update_call(
    db: Database,
    call_id: int,
    *,
    starts_at: datetime,
    minutes: int,
    title: str = "",
    notes: str = "",
    video_link: str | None = None,
    read_at: datetime | None = None,
) -> Outcome[CallView]:
    """Move or re-time one call; calendars see a new revision of the same event.

    `read_at` is the call's `updated_at` when the dialog read it: if the call has changed
    since, the save is refused (`ChangedSince`) instead of putting older values back.
    `video_link` None keeps the call's own link; "" clears it (the cohort's is used)."""
    _check_minutes(minutes)
    _check_instant(starts_at, minutes)
    _check_texts(title, notes, video_link or "")
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        check_unchanged("Call", call.updated_at, read_at)
        if call.starts_at != starts_at or call.minutes != minutes:
            next_revision(call)
        with _retitling(session, call.cohort):  # a move can change the others' order
            call.starts_at = starts_at
            call.minutes = minutes
            call.title = limits.one_line(title)
        call.notes = notes.strip()
        if video_link is not None and video_link.strip() != call.video_link:
            # Calendars must take the new place to join, as they take a move.
            next_revision(call)
            call.video_link = video_link.strip()
        return Outcome.of(_view_of(session, call), Topic.CALLS)


def set_cancelled(db: Database, call_id: int, cancelled: bool) -> Outcome[CallView]:
    """Cancel a call, or take it back. A call whose live timer is under way (started, not
    finished) is not cancelled: its run could then be neither resumed nor finished."""
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        if cancelled and not call.cancelled and _under_way(call):
            raise ValidationError.single(
                "Call",
                "is under way live: finish the live call first (or start it over), then cancel it",
            )
        if call.cancelled != cancelled:
            next_revision(call)
            with _retitling(session, call.cohort):
                call.cancelled = cancelled
        return Outcome.of(_view_of(session, call), Topic.CALLS)


@contextmanager
def _retitling(session: Session, cohort: Cohort) -> Iterator[None]:
    """Around a change that can number a cohort's calls again: cancelling, adding, moving
    or deleting one makes "Call 5 of 7" of another "Call 4 of 6". Each call whose title
    so changes gets a new revision, which is its calendar SEQUENCE, so calendars take the
    new title (and a call changed itself is not counted twice)."""
    before = {v.id: (v.label, v.revision) for v in call_views(cohort.calls, cohort)}
    yield
    session.flush()
    session.refresh(cohort, ["calls"])
    for view in call_views(cohort.calls, cohort):
        label, revision = before.get(view.id, (view.label, view.revision))
        if view.label != label and view.revision == revision:
            next_revision(next(c for c in cohort.calls if c.id == view.id))
    session.flush()


def _under_way(call: Call) -> bool:
    run = call.live_run
    return run is not None and run.finished_at is None and bool(run.events)


def delete_call(db: Database, call_id: int) -> Outcome[int]:
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        with _retitling(session, call.cohort):
            session.delete(call)
        return Outcome.of(call_id, Topic.CALLS)


def set_local_times(
    db: Database, cohort_id: int, times: Sequence[tuple[int, time]]
) -> Outcome[list[CallView]]:
    """Give calls new local start times in the cohort's zone, keeping their local dates.

    Used to apply a planner suggestion, or to alternate between two times."""
    errors = Collector()
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        by_id = {c.id: c for c in cohort.calls}
        home = zone(cohort.home_tz)
        with _retitling(session, cohort):
            for call_id, local_time in times:
                call = by_id.get(call_id)
                if call is None:
                    errors.add("Call", f"call {call_id} is not in this cohort")
                    continue
                local_date = call.starts_at.astimezone(home).date()
                new_start = local_to_utc(local_date, local_time, cohort.home_tz)
                if not _in_range(new_start, call.minutes):
                    errors.add("Start", f"call {call_id} would no longer be {limits.YEARS_TEXT}")
                    continue
                if new_start != call.starts_at:
                    call.starts_at = new_start
                    next_revision(call)
            errors.raise_if_any()
        return Outcome.of(call_views(cohort.calls, cohort), Topic.CALLS)


def local_dates(calls: Sequence[CallView], zone_name: str) -> list[date]:
    home = zone(zone_name)
    return [c.starts_at.astimezone(home).date() for c in calls if not c.cancelled]


def month_bounds(year: int, month: int, zone_name: str) -> tuple[datetime, datetime]:
    """The instants where a month starts and ends in a zone (for the calendar's month view)."""
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    home = zone(zone_name)
    start = datetime.combine(first, time(0), home).astimezone(UTC)
    end = datetime.combine(following, time(0), home).astimezone(UTC)
    return start, end
