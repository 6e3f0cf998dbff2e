"""A series of calls from a cadence, computed in the cohort's own time zone.

Recurrence is worked out on local dates and a local wall-clock time, then each
call is turned into a UTC instant. "9:00 Pacific, first Thursday" therefore
stays 9:00 Pacific across daylight-saving changes while its UTC time moves.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice, takewhile

from sanctuary_desktop.domain import limits, zones
from sanctuary_desktop.domain.errors import Collector

MAX_CALLS = 200
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# English names on purpose: strftime's %a and %b follow the system locale.
WEEKDAY_ABBREVIATIONS = tuple(name[:3] for name in WEEKDAY_NAMES)
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
LAST_WEEK = -1
_ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", LAST_WEEK: "Last"}


class CadenceKind(StrEnum):
    MONTHLY_WEEKDAY = "monthly_weekday"
    WEEKLY = "weekly"
    EVERY_N_WEEKS = "every_n_weeks"


@dataclass(frozen=True)
class Cadence:
    """How often a cohort meets, as the facilitator says it."""

    kind: CadenceKind
    first_date: date  # first local date a call may fall on
    local_time: time  # wall-clock start in `zone`
    zone: str  # IANA zone of the cohort; recurrence is computed in it
    count: int | None = None  # how many calls; count and/or until must be given
    until: date | None = None  # last local date allowed (inclusive)
    weekday: int = (
        3  # Monday=0 .. Sunday=6; the first call is the first such day on/after first_date
    )
    week_of_month: int = 1  # monthly only: 1..4, or -1 for the last such weekday of the month
    interval_weeks: int = 1  # EVERY_N_WEEKS only: N in 1..52 (WEEKLY always means 1)
    # Calls that would start before this instant are left out, so a series "from today"
    # begins at the next occurrence still to come; the count is of the calls kept.
    not_before: datetime | None = None

    @property
    def step_weeks(self) -> int:
        return self.interval_weeks if self.kind is CadenceKind.EVERY_N_WEEKS else 1

    def validate(self, errors: Collector) -> None:
        """Add a plain message for every bad field; the range itself is checked on generating."""
        if not zones.is_valid_zone(self.zone):
            errors.add("Time zone", f"'{self.zone}' is not a known time zone")
        if self.count is None and self.until is None:
            errors.add("Repeat", "give a number of calls or a last date")
        if self.count is not None and not 1 <= self.count <= MAX_CALLS:
            errors.add("Count", f"must be between 1 and {MAX_CALLS}")
        if not 0 <= self.weekday <= 6:
            errors.add("Weekday", "must be Monday (0) to Sunday (6)")
        if self.kind is CadenceKind.MONTHLY_WEEKDAY and self.week_of_month not in _ORDINALS:
            errors.add("Week of month", "must be 1 to 4, or -1 for the last week")
        if self.kind is CadenceKind.EVERY_N_WEEKS and not 1 <= self.interval_weeks <= 52:
            errors.add("Every N weeks", "must be between 1 and 52")
        if self.until is not None and self.until < self.first_date:
            errors.add("Until", "must not be before the first date")
        # Every date the app stores lies in these years (every screen and export shows them).
        if not limits.date_in_range(self.first_date):
            errors.add("First date", f"must be {limits.YEARS_TEXT}")
        if self.until is not None and not limits.date_in_range(self.until):
            errors.add("Until", f"must be {limits.YEARS_TEXT}")


def local_to_utc(local_date: date, local_time: time, zone: str) -> datetime:
    """The UTC instant of a wall-clock time in ``zone``.

    With fold=0, zoneinfo reads a time the clocks skip with the offset from
    before the change, which lands it later by the gap (02:30 becomes 03:30),
    and a time the clocks repeat as its first, earlier instant.
    """
    wall = datetime.combine(local_date, local_time.replace(tzinfo=None, fold=0))
    return wall.replace(tzinfo=zones.zone(zone)).astimezone(UTC)


def generate_starts(cadence: Cadence) -> list[datetime]:
    """Aware UTC starts of every call, ascending; raises ValidationError if the cadence is wrong."""
    errors = Collector()
    cadence.validate(errors)
    errors.raise_if_any()
    last = cadence.until or date.max
    in_range = takewhile(lambda day: day <= last, _call_dates(cadence))
    starts = (local_to_utc(day, cadence.local_time, cadence.zone) for day in in_range)
    if cadence.not_before is not None:
        not_before = cadence.not_before
        starts = (start for start in starts if start >= not_before)
    kept = list(islice(starts, cadence.count or MAX_CALLS))
    if kept and not limits.instant_in_range(kept[-1]):
        errors.add(
            "Repeat",
            f"runs past {limits.LAST_YEAR}: calls must be {limits.YEARS_TEXT}; ask for fewer",
        )
        errors.raise_if_any()
    if not kept:
        errors.add(
            "Cadence",
            f"gives no dates between {format_date(cadence.first_date)} and {format_date(last)}"
            + (" still to come" if cadence.not_before is not None else ""),
        )
        errors.raise_if_any()
    return kept


def describe(cadence: Cadence) -> str:
    """One line for people.

    e.g. "First Thursday of each month at 09:00 (America/Vancouver), 7 calls".
    """
    errors = Collector()
    cadence.validate(errors)
    errors.raise_if_any()
    weekday = WEEKDAY_NAMES[cadence.weekday]
    if cadence.kind is CadenceKind.MONTHLY_WEEKDAY:
        pattern = f"{_ORDINALS[cadence.week_of_month]} {weekday} of each month"
    elif cadence.step_weeks == 1:
        pattern = f"Every {weekday}"
    else:
        pattern = f"Every {cadence.step_weeks} weeks on {weekday}"
    return f"{pattern} at {cadence.local_time:%H:%M} ({cadence.zone}){_describe_repeat(cadence)}"


def format_date(day: date) -> str:
    """ "3 Sep 2026": unambiguous wherever the cohort lives."""
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def _describe_repeat(cadence: Cadence) -> str:
    if cadence.count is not None and cadence.until is not None:
        return f", up to {_calls(cadence.count)} until {format_date(cadence.until)}"
    if cadence.count is not None:
        return f", {_calls(cadence.count)}"
    if cadence.until is not None:
        return f", until {format_date(cadence.until)}"
    return ""


def _calls(count: int) -> str:
    return "1 call" if count == 1 else f"{count} calls"


def _call_dates(cadence: Cadence) -> Iterator[date]:
    """Every local date the cadence falls on from its first date, without end."""
    if cadence.kind is CadenceKind.MONTHLY_WEEKDAY:
        yield from _monthly_dates(cadence)
        return
    day = cadence.first_date + timedelta(days=(cadence.weekday - cadence.first_date.weekday()) % 7)
    step = timedelta(weeks=cadence.step_weeks)
    while True:
        yield day
        if day > date.max - step:
            return
        day += step


def _monthly_dates(cadence: Cadence) -> Iterator[date]:
    year, month = cadence.first_date.year, cadence.first_date.month
    while year <= MAXYEAR:
        day = nth_weekday(year, month, cadence.weekday, cadence.week_of_month)
        if day >= cadence.first_date:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def nth_weekday(year: int, month: int, weekday: int, week_of_month: int) -> date:
    """The 1st..4th (or with -1, the last) given weekday of a month."""
    if week_of_month == LAST_WEEK:
        last_day = date(year, month, calendar.monthrange(year, month)[1])
        return last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
    first_day = date(year, month, 1)
    offset = (weekday - first_day.weekday()) % 7
    return first_day + timedelta(days=offset + 7 * (week_of_month - 1))
