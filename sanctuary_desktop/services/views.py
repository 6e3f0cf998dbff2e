"""Frozen snapshots handed to the UI and the command line: never live ORM objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, TypeVar

from sanctuary_desktop.domain.cohort import (
    CohortDraft,
    IntakeStatus,
    ParticipantDraft,
    WakingHours,
    effective_video_link,
)
from sanctuary_desktop.domain.errors import FieldError, ValidationError

if TYPE_CHECKING:  # none of these is needed for the first window: see services/cohort_list.py
    from sanctuary_desktop.domain.timeplan import Person
    from sanctuary_desktop.store.models import Call, Cohort, Participant

T = TypeVar("T")


class Topic(StrEnum):
    """What a change touched, so views refresh only when they must."""

    COHORTS = "cohorts"
    PARTICIPANTS = "participants"
    CALLS = "calls"
    PROTOCOLS = "protocols"
    AGENDAS = "agendas"
    BUDDIES = "buddies"
    NOTES = "notes"
    LIVE = "live"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changed: frozenset[Topic]

    @classmethod
    def of(cls, value: T, *topics: Topic) -> Outcome[T]:
        return cls(value, frozenset(topics))


class ChangedSince(ValidationError):
    """A save refused because the record changed after the dialog read it.

    The dialog says so and offers to reload; nothing was written."""

    def __init__(self, what: str) -> None:
        super().__init__(
            [
                FieldError(
                    what,
                    "was changed since you opened this window. Nothing was saved: "
                    "Reload shows the newer version, then make your change again.",
                )
            ]
        )
        self.what = what


def check_unchanged(what: str, current: object, read: object | None) -> None:
    """Refuse to save over a newer version: `read` is the version the draft was read at
    (None when the caller has no version, as a new record or a script)."""
    if read is not None and current != read:
        raise ChangedSince(what)


@dataclass(frozen=True)
class CohortView:
    id: int
    name: str
    focus: str
    facilitators: str
    home_tz: str
    start_date: date
    end_date: date
    call_minutes: int
    notes: str
    waking_hours: WakingHours
    archived: bool
    updated_at: datetime | None = None  # the version a dialog saves against
    video_link: str = ""  # the link every call of the cohort is joined by, unless its own

    @classmethod
    def of(cls, row: Cohort) -> CohortView:
        return cls(
            id=row.id,
            name=row.name,
            focus=row.focus,
            facilitators=row.facilitators,
            home_tz=row.home_tz,
            start_date=row.start_date,
            end_date=row.end_date,
            call_minutes=row.call_minutes,
            notes=row.notes,
            waking_hours=WakingHours(row.day_start, row.day_end),
            archived=row.archived,
            updated_at=row.updated_at,
            video_link=row.video_link,
        )

    def draft(self) -> CohortDraft:
        return CohortDraft(
            name=self.name,
            home_tz=self.home_tz,
            start_date=self.start_date,
            end_date=self.end_date,
            focus=self.focus,
            facilitators=self.facilitators,
            call_minutes=self.call_minutes,
            notes=self.notes,
            waking_hours=self.waking_hours,
            video_link=self.video_link,
            read_at=self.updated_at,
        )


@dataclass(frozen=True)
class ParticipantView:
    id: int
    cohort_id: int
    name: str
    email: str
    organisation: str
    time_zone: str
    years_in_practice: int | None
    status: IntakeStatus
    interview_date: date | None
    notes: str

    @classmethod
    def of(cls, row: Participant) -> ParticipantView:
        return cls(
            id=row.id,
            cohort_id=row.cohort_id,
            name=row.name,
            email=row.email or "",
            organisation=row.organisation,
            time_zone=row.time_zone,
            years_in_practice=row.years_in_practice,
            status=IntakeStatus(row.status),
            interview_date=row.interview_date,
            notes=row.notes,
        )

    @property
    def person(self) -> Person:
        from sanctuary_desktop.domain.timeplan import Person

        return Person(key=self.id, name=self.name, zone=self.time_zone)

    @property
    def is_active(self) -> bool:
        """Counted on the calendar: not declined or withdrawn."""
        return self.status not in (IntakeStatus.DECLINED, IntakeStatus.WITHDRAWN)

    def draft(self) -> ParticipantDraft:
        return ParticipantDraft(
            name=self.name,
            time_zone=self.time_zone,
            email=self.email,
            organisation=self.organisation,
            years_in_practice=self.years_in_practice,
            status=self.status,
            interview_date=self.interview_date,
            notes=self.notes,
        )


@dataclass(frozen=True)
class CallView:
    id: int
    cohort_id: int
    cohort_name: str
    cohort_tz: str
    uid: str
    number: int  # position among the cohort's calls that are not cancelled; 0 if cancelled
    of_total: int
    starts_at: datetime
    minutes: int
    cancelled: bool
    title: str
    notes: str
    revision: int
    updated_at: datetime
    run_finished_at: datetime | None = None  # when its live run was finished, if it was
    video_link: str = ""  # the call's own link, overriding the cohort's; empty: none
    cohort_video_link: str = ""

    @property
    def join_link(self) -> str:
        """The link this call is joined by: its own, else its cohort's ("" if neither)."""
        return effective_video_link(self.video_link, self.cohort_video_link)

    @property
    def label(self) -> str:
        return call_label(self.title, self.cancelled, self.number, self.of_total)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def is_held(self, now: datetime) -> bool:
        """Held: not cancelled, and its live run is finished (however early, even before
        its scheduled time) or its scheduled start has passed. Every count of held calls,
        every "next call", and the harvest ask this one question."""
        if self.cancelled:
            return False
        return self.run_finished_at is not None or self.starts_at < now


def call_label(title: str, cancelled: bool, number: int, of_total: int) -> str:
    """A call's own title, else "Call 3 of 7" (cancelled calls are not counted)."""
    if title:
        return title
    if cancelled:
        return "Cancelled call"
    return f"Call {number} of {of_total}"


def call_views(rows: Iterable[Call], cohort: Cohort) -> list[CallView]:
    """Number a cohort's calls in time order, skipping cancelled ones."""
    ordered = sorted(rows, key=lambda c: c.starts_at)
    total = sum(1 for c in ordered if not c.cancelled)
    views: list[CallView] = []
    number = 0
    for row in ordered:
        if not row.cancelled:
            number += 1
        views.append(
            CallView(
                id=row.id,
                cohort_id=cohort.id,
                cohort_name=cohort.name,
                cohort_tz=cohort.home_tz,
                uid=row.uid,
                number=0 if row.cancelled else number,
                of_total=total,
                starts_at=row.starts_at,
                minutes=row.minutes,
                cancelled=row.cancelled,
                title=row.title,
                notes=row.notes,
                revision=row.revision,
                updated_at=row.updated_at,
                run_finished_at=row.live_run.finished_at if row.live_run else None,
                video_link=row.video_link,
                cohort_video_link=cohort.video_link,
            )
        )
    return views


@dataclass(frozen=True)
class CohortPlan:
    """Everything the cohort pages show, read in one go."""

    cohort: CohortView
    participants: tuple[ParticipantView, ...]
    calls: tuple[CallView, ...]

    @property
    def people(self) -> tuple[Person, ...]:
        return tuple(p.person for p in self.participants if p.is_active)
