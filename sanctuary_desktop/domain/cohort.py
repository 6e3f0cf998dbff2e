"""Cohorts and participants as the user types them, and the rules they must follow."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from urllib.parse import urlsplit

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import Collector, check_saveable
from sanctuary_desktop.domain.zones import is_valid_zone

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class IntakeStatus(StrEnum):
    APPLIED = "applied"
    INTERVIEWED = "interviewed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class WakingHours:
    """The local hours in which a call is reasonable for a participant."""

    start: time = time(7, 0)
    end: time = time(22, 0)

    def validate(self, errors: Collector, field: str = "Reasonable hours") -> None:
        if self.end <= self.start:
            errors.add(field, "the latest hour must be after the earliest")


@dataclass(frozen=True)
class CohortDraft:
    name: str
    home_tz: str
    start_date: date
    end_date: date
    focus: str = ""
    facilitators: str = ""
    call_minutes: int = 90
    notes: str = ""
    waking_hours: WakingHours = WakingHours()
    # The cohort's video-call link; a call's own link overrides it (`effective_video_link`).
    video_link: str = ""
    # The version of the stored cohort this draft was read from (its update time), so a
    # save over a newer version is refused; None for a new cohort.
    read_at: datetime | None = None

    def validated(self) -> CohortDraft:
        """Return a cleaned copy, or raise ValidationError naming every bad field."""
        draft = replace(
            self,
            name=limits.one_line(self.name),
            focus=self.focus.strip(),
            facilitators=self.facilitators.strip(),
            home_tz=self.home_tz.strip(),
            notes=self.notes.strip(),
            video_link=self.video_link.strip(),
        )
        errors = Collector()
        _check_name(errors, draft.name)
        check_video_link(errors, draft.video_link)
        if not is_valid_zone(draft.home_tz):
            errors.add("Home time zone", f"'{draft.home_tz}' is not a known time zone")
        _check_date(errors, "Start date", draft.start_date)
        _check_date(errors, "End date", draft.end_date)
        if draft.end_date < draft.start_date:
            errors.add("End date", "must not be before the start date")
        if draft.call_minutes <= 0:
            errors.add("Call length", "must be more than zero minutes")
        elif draft.call_minutes > limits.MAX_CALL_MINUTES:
            errors.add("Call length", f"must be at most {limits.MAX_CALL_MINUTES // 60} hours")
        if len(draft.notes) > limits.MAX_TEXT:
            errors.add("Notes", f"must be at most {limits.MAX_TEXT:,} characters")
        draft.waking_hours.validate(errors)
        check_saveable(
            errors,
            [
                ("Name", draft.name),
                ("Focus", draft.focus),
                ("Facilitators", draft.facilitators),
                ("Home time zone", draft.home_tz),
                ("Notes", draft.notes),
            ],
        )
        errors.raise_if_any()
        return draft


@dataclass(frozen=True)
class ParticipantDraft:
    name: str
    time_zone: str
    email: str = ""
    organisation: str = ""
    years_in_practice: int | None = None
    status: IntakeStatus = IntakeStatus.APPLIED
    interview_date: date | None = None
    notes: str = ""

    def validated(self) -> ParticipantDraft:
        draft = replace(
            self,
            name=limits.one_line(self.name),
            email=self.email.strip().lower(),
            organisation=limits.one_line(self.organisation),
            time_zone=self.time_zone.strip(),
            notes=self.notes.strip(),
        )
        errors = Collector()
        _check_name(errors, draft.name)
        if len(draft.email) > limits.MAX_EMAIL:
            errors.add("Email", f"must be at most {limits.MAX_EMAIL} characters")
        elif not limits.single_line(draft.email):
            errors.add("Email", _ONE_LINE)
        elif draft.email and not _EMAIL.match(draft.email):
            errors.add("Email", f"'{draft.email}' is not an email address")
        if not is_valid_zone(draft.time_zone):
            errors.add("Time zone", f"'{draft.time_zone}' is not a known time zone")
        years = draft.years_in_practice
        if years is not None and not 0 <= years <= limits.MAX_YEARS_IN_PRACTICE:
            errors.add("Years in practice", f"must be between 0 and {limits.MAX_YEARS_IN_PRACTICE}")
        if draft.interview_date is not None:
            _check_date(errors, "Interview date", draft.interview_date)
        if len(draft.notes) > limits.MAX_TEXT:
            errors.add("Notes", f"must be at most {limits.MAX_TEXT:,} characters")
        if len(draft.organisation) > limits.MAX_ORGANISATION:
            errors.add("Organisation", f"must be at most {limits.MAX_ORGANISATION} characters")
        elif not limits.single_line(draft.organisation):
            errors.add("Organisation", _ONE_LINE)
        check_saveable(
            errors,
            [
                ("Name", draft.name),
                ("Email", draft.email),
                ("Organisation", draft.organisation),
                ("Time zone", draft.time_zone),
                ("Notes", draft.notes),
            ],
        )
        errors.raise_if_any()
        return draft


_ONE_LINE = "must be one line, without line breaks, tabs or control characters"

VIDEO_LINK = "Video link"


def video_link_problem(link: str) -> str | None:
    """What is wrong with a video-call link as stored (already trimmed), or None.

    Empty is allowed (no link). Otherwise one web address: http or https with a host, as
    Zoom, Teams, Meet, Jitsi and Whereby links are, on one line, without spaces, within
    the column's size. The importer and ``check`` ask the same question as the forms."""
    if not link:
        return None
    if len(link) > limits.MAX_LINK:
        return f"must be at most {limits.MAX_LINK:,} characters"
    if not limits.single_line(link) or any(char.isspace() for char in link):
        return "must be one web address, without spaces, line breaks or control characters"
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        return (
            "must be a web address starting with https:// (as Zoom, Teams, Meet, Jitsi and"
            " Whereby links do)"
        )
    if not host:
        return "must name a site after https:// (for example https://meet.jit.si/our-cohort)"
    return None


def check_video_link(errors: Collector, link: str, field: str = VIDEO_LINK) -> None:
    """Add a problem with ``link`` (trimmed) to ``errors``, named by ``field``."""
    problem = video_link_problem(link)
    if problem is not None:
        errors.add(field, problem)
    else:
        check_saveable(errors, [(field, link)])


def effective_video_link(call_link: str, cohort_link: str) -> str:
    """The link a call is joined by: its own, else its cohort's (empty when neither has
    one). Every export and the live window ask this one function."""
    return call_link.strip() or cohort_link.strip()


def _check_name(errors: Collector, name: str) -> None:
    if not name:
        errors.add("Name", "must not be empty")
    elif len(name) > limits.MAX_NAME:
        errors.add("Name", f"must be at most {limits.MAX_NAME} characters")
    elif not limits.single_line(name):
        errors.add("Name", _ONE_LINE)


def _check_date(errors: Collector, field: str, value: date) -> None:
    if not limits.date_in_range(value):
        errors.add(field, f"must be {limits.YEARS_TEXT}")
