"""Cohorts and participants as the user types them, and the rules they must follow."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum

from sanctuary_desktop.domain.errors import Collector, check_saveable
from sanctuary_desktop.domain.zones import is_valid_zone

MAX_NAME = 200
MAX_TEXT = 20_000
MAX_ORGANISATION = 300  # the columns' sizes
MAX_EMAIL = 320
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
    # The version of the stored cohort this draft was read from (its update time), so a
    # save over a newer version is refused; None for a new cohort.
    read_at: datetime | None = None

    def validated(self) -> CohortDraft:
        """Return a cleaned copy, or raise ValidationError naming every bad field."""
        draft = replace(
            self,
            name=self.name.strip(),
            focus=self.focus.strip(),
            facilitators=self.facilitators.strip(),
            home_tz=self.home_tz.strip(),
            notes=self.notes.strip(),
        )
        errors = Collector()
        if not draft.name:
            errors.add("Name", "must not be empty")
        elif len(draft.name) > MAX_NAME:
            errors.add("Name", f"must be at most {MAX_NAME} characters")
        if not is_valid_zone(draft.home_tz):
            errors.add("Home time zone", f"'{draft.home_tz}' is not a known time zone")
        if draft.end_date < draft.start_date:
            errors.add("End date", "must not be before the start date")
        if draft.call_minutes <= 0:
            errors.add("Call length", "must be more than zero minutes")
        elif draft.call_minutes > 24 * 60:
            errors.add("Call length", "must be at most 24 hours")
        if len(draft.notes) > MAX_TEXT:
            errors.add("Notes", f"must be at most {MAX_TEXT} characters")
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
            name=self.name.strip(),
            email=self.email.strip().lower(),
            organisation=self.organisation.strip(),
            time_zone=self.time_zone.strip(),
            notes=self.notes.strip(),
        )
        errors = Collector()
        if not draft.name:
            errors.add("Name", "must not be empty")
        elif len(draft.name) > MAX_NAME:
            errors.add("Name", f"must be at most {MAX_NAME} characters")
        if draft.email and not _EMAIL.match(draft.email):
            errors.add("Email", f"'{draft.email}' is not an email address")
        if not is_valid_zone(draft.time_zone):
            errors.add("Time zone", f"'{draft.time_zone}' is not a known time zone")
        if draft.years_in_practice is not None and not 0 <= draft.years_in_practice <= 80:
            errors.add("Years in practice", "must be between 0 and 80")
        if len(draft.notes) > MAX_TEXT:
            errors.add("Notes", f"must be at most {MAX_TEXT} characters")
        if len(draft.organisation) > MAX_ORGANISATION:
            errors.add("Organisation", f"must be at most {MAX_ORGANISATION} characters")
        if len(draft.email) > MAX_EMAIL:
            errors.add("Email", f"must be at most {MAX_EMAIL} characters")
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
