"""Everyone's local time for a call, who it is out of hours for, and fairer times to meet.

A call is judged by each person's local wall clock against the cohort's
waking hours. The planner helpers place home-zone times on real dates through
``local_to_utc``, so daylight-saving changes on any date of a series count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import permutations

from sanctuary_desktop.domain import zones
from sanctuary_desktop.domain.cohort import WakingHours
from sanctuary_desktop.domain.schedule import WEEKDAY_ABBREVIATIONS, local_to_utc

_WEEKDAY_ABBREVIATIONS = WEEKDAY_ABBREVIATIONS
# Up to an hour beyond waking hours is an early morning or a late evening, not the night.
_EDGE_MARGIN = timedelta(hours=1)
_NOON = time(12)
# A start in the small hours continues the night before, so it counts as late, not early.
_SMALL_HOURS_END = time(4)
_MINUTES_PER_DAY = 24 * 60
_ALL_CALLS = slice(None)


@dataclass(frozen=True)
class Person:
    key: int
    name: str
    zone: str

    @property
    def city(self) -> str:
        return zones.city_of(self.zone)


class Band(StrEnum):
    GOOD = "good"  # the whole call is inside waking hours
    EDGE = "edge"  # out of hours by at most an hour: early morning or late evening
    NIGHT = "night"  # further out: someone is asked to be up in the night


@dataclass(frozen=True)
class LocalSlot:
    """One call as one person lives it."""

    person: Person
    start: datetime  # aware, in the person's zone
    end: datetime
    day_offset: int  # local date minus the home zone's date of the call
    band: Band
    out_of_hours: bool
    early: bool
    late: bool

    @property
    def label(self) -> str:
        """ "Fri 14:00", in English whatever the process locale."""
        return f"{_WEEKDAY_ABBREVIATIONS[self.start.weekday()]} {self.start:%H:%M}"

    @property
    def day_note(self) -> str:
        if self.day_offset == 1:
            return "next day"
        if self.day_offset == -1:
            return "previous day"
        if self.day_offset > 1:
            return f"{self.day_offset} days later"
        if self.day_offset < -1:
            return f"{-self.day_offset} days earlier"
        return ""


@dataclass(frozen=True)
class _Judgement:
    band: Band
    early: bool
    late: bool


def _judge(local_start: datetime, local_end: datetime, hours: WakingHours) -> _Judgement:
    """Judge a call by the person's wall clock (a call crossing midnight is out of hours)."""
    start = local_start.replace(tzinfo=None)
    end = local_end.replace(tzinfo=None)
    day = start.date()
    if datetime.combine(day, hours.start) <= start and end <= datetime.combine(day, hours.end):
        return _Judgement(Band.GOOD, early=False, late=False)
    late = start.time() >= _NOON or start.time() < _SMALL_HOURS_END
    # When waking hours end late, the previous evening's margin reaches past midnight.
    near = any(
        datetime.combine(d, hours.start) - _EDGE_MARGIN <= start
        and end <= datetime.combine(d, hours.end) + _EDGE_MARGIN
        for d in (day, day - timedelta(days=1))
    )
    return _Judgement(Band.EDGE if near else Band.NIGHT, early=not late, late=late)


def _band(start_utc: datetime, end_utc: datetime, zone: str, hours: WakingHours) -> Band:
    tz = zones.zone(zone)
    return _judge(start_utc.astimezone(tz), end_utc.astimezone(tz), hours).band


def _require_aware(moment: datetime) -> None:
    if moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware instant")


def local_slots(
    start_utc: datetime,
    minutes: int,
    people: Sequence[Person],
    hours: WakingHours,
    home_zone: str,
) -> list[LocalSlot]:
    """The call as each person sees it, in the order given."""
    _require_aware(start_utc)
    end_utc = start_utc + timedelta(minutes=minutes)
    home_date = start_utc.astimezone(zones.zone(home_zone)).date()
    slots = []
    for person in people:
        tz = zones.zone(person.zone)
        start, end = start_utc.astimezone(tz), end_utc.astimezone(tz)
        judgement = _judge(start, end, hours)
        slots.append(
            LocalSlot(
                person=person,
                start=start,
                end=end,
                day_offset=(start.date() - home_date).days,
                band=judgement.band,
                out_of_hours=judgement.band is not Band.GOOD,
                early=judgement.early,
                late=judgement.late,
            )
        )
    return slots


@dataclass(frozen=True)
class FairnessRow:
    """How one person fares over a series of calls."""

    person: Person
    calls: int
    early: int
    late: int

    @property
    def out_of_hours(self) -> int:
        return self.early + self.late

    @property
    def share(self) -> float:
        return self.out_of_hours / self.calls if self.calls else 0.0


def fairness(
    starts_utc: Sequence[datetime],
    minutes: int,
    people: Sequence[Person],
    hours: WakingHours,
    home_zone: str,
) -> list[FairnessRow]:
    """One row per person, the most burdened first, then by name."""
    calls = [local_slots(start, minutes, people, hours, home_zone) for start in starts_utc]
    rows = [
        FairnessRow(
            person=person,
            calls=len(calls),
            early=sum(call[index].early for call in calls),
            late=sum(call[index].late for call in calls),
        )
        for index, person in enumerate(people)
    ]
    return sorted(rows, key=lambda r: (-r.out_of_hours, r.person.name.casefold(), r.person.key))


def fairness_sentence(rows: Sequence[FairnessRow]) -> str:
    """Plain English summary of fairness rows that agrees with the table: who has every
    call out of hours (all of them, named, or counted past three), who has some, and how
    many have none."""
    if not rows:
        return "No participants yet."
    calls = rows[0].calls
    if not calls:
        return "No calls scheduled yet."
    every = [row for row in rows if row.out_of_hours and row.out_of_hours >= row.calls]
    some = [row for row in rows if 0 < row.out_of_hours < row.calls]
    in_hours = len(rows) - len(every) - len(some)
    if not every and not some:
        return f"Everyone has all {_plural(calls, 'call')} in hours."
    parts = []
    if len(every) == 1:
        parts.append(f"{_named(every[0])} has all {_plural(calls, 'call')} out of hours")
        parts[-1] += f" ({_kinds_text(every[0])})"
    elif every:
        parts.append(f"{_names(every)} have every call out of hours")
    if some and not every:
        worst = max(some, key=lambda row: row.out_of_hours)
        parts.append(
            f"{_named(worst)} has {worst.out_of_hours} of {_plural(worst.calls, 'call')} out "
            f"of hours ({_kinds_text(worst)})"
        )
        if others := len(some) - 1:
            parts.append(f"{_people(others, 'other')} {_has(others)} some calls out of hours")
    elif some:
        parts.append(f"{_people(len(some))} {_has(len(some))} some calls out of hours")
    if in_hours:
        parts.append(f"{_people(in_hours)} {_has(in_hours)} all calls in hours")
    else:
        parts.append("nobody has all calls in hours")
    return "; ".join(parts) + "."


def _named(row: FairnessRow) -> str:
    return f"{row.person.name} ({row.person.city})"


def _names(rows: Sequence[FairnessRow]) -> str:
    if len(rows) > 3:
        return _people(len(rows))
    named = [_named(row) for row in rows]
    return ", ".join(named[:-1]) + f" and {named[-1]}"


def _kinds_text(row: FairnessRow) -> str:
    return ", ".join(f"{count} {kind}" for count, kind in _kinds(row) if count)


def _kinds(row: FairnessRow) -> tuple[tuple[int, str], ...]:
    return ((row.early, "early"), (row.late, "late"))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _people(count: int, qualifier: str = "") -> str:
    noun = "person" if count == 1 else "people"
    return " ".join(str(part) for part in (count, qualifier, noun) if part)


def _has(count: int) -> str:
    return "has" if count == 1 else "have"


@dataclass(frozen=True)
class GridCell:
    person: Person
    local: datetime  # the candidate start in the person's zone
    band: Band  # of a call of the planner's length starting then


@dataclass(frozen=True)
class GridRow:
    home_start: datetime  # aware, in the home zone
    cells: tuple[GridCell, ...]

    @property
    def out_of_hours(self) -> int:
        return sum(cell.band is not Band.GOOD for cell in self.cells)


def planner_grid(
    day: date,
    home_zone: str,
    minutes: int,
    people: Sequence[Person],
    hours: WakingHours,
    step_minutes: int = 60,
) -> list[GridRow]:
    """One row per home wall-clock time on ``day``, every ``step_minutes`` from midnight.

    A time the clocks skip is left out (23 rows on a spring-forward day at the
    default step); a repeated time appears once, as its first instant, which
    is what a cadence at that time would give.
    """
    home_tz = zones.zone(home_zone)
    length = timedelta(minutes=minutes)
    rows = []
    for home_time in _home_times(step_minutes):
        start_utc = local_to_utc(day, home_time, home_zone)
        home_start = start_utc.astimezone(home_tz)
        if home_start.replace(tzinfo=None) != datetime.combine(day, home_time):
            continue  # the clocks skip this time today
        cells = tuple(
            GridCell(
                person=person,
                local=start_utc.astimezone(zones.zone(person.zone)),
                band=_band(start_utc, start_utc + length, person.zone, hours),
            )
            for person in people
        )
        rows.append(GridRow(home_start=home_start, cells=cells))
    return rows


def _home_times(step_minutes: int) -> list[time]:
    if not 1 <= step_minutes <= _MINUTES_PER_DAY:
        raise ValueError(f"step_minutes must be 1 to {_MINUTES_PER_DAY}, not {step_minutes}")
    return [time(minute // 60, minute % 60) for minute in range(0, _MINUTES_PER_DAY, step_minutes)]


def _minutes_from_noon(moment: time) -> int:
    return abs(moment.hour * 60 + moment.minute - _NOON.hour * 60)


@dataclass(frozen=True)
class _Outcome:
    """Each person's band for a call at one home time on each day of a series."""

    home_time: time
    bands: tuple[tuple[Band, ...], ...]  # [person][day]

    def out_of_hours_counts(self, calls: slice = _ALL_CALLS) -> list[int]:
        """For each person, how many of these calls are out of hours."""
        return [sum(band is not Band.GOOD for band in mine[calls]) for mine in self.bands]

    def nights(self, calls: slice = _ALL_CALLS) -> int:
        return sum(band is Band.NIGHT for mine in self.bands for band in mine[calls])


def _outcomes(
    days: Sequence[date],
    home_zone: str,
    minutes: int,
    people: Sequence[Person],
    hours: WakingHours,
    step_minutes: int,
) -> list[_Outcome]:
    """Judge every candidate home time on every day once, so ranking is only counting."""
    length = timedelta(minutes=minutes)
    outcomes = []
    for home_time in _home_times(step_minutes):
        # A skipped home time moves forward, as the real series would.
        starts = [local_to_utc(day, home_time, home_zone) for day in days]
        bands = tuple(
            tuple(_band(start, start + length, person.zone, hours) for start in starts)
            for person in people
        )
        outcomes.append(_Outcome(home_time, bands))
    return outcomes


@dataclass(frozen=True)
class Suggestion:
    home_time: time
    out_of_hours: tuple[Person, ...]  # people out of hours on at least one of the days
    night: int  # person-calls in the NIGHT band
    cost: float  # out-of-hours person-calls per call, averaged over the days


def suggest_starts(
    days: Sequence[date],
    home_zone: str,
    minutes: int,
    people: Sequence[Person],
    hours: WakingHours,
    step_minutes: int = 30,
    limit: int = 5,
) -> list[Suggestion]:
    """The best single home times for every call of a series, best first."""
    if not days or not people:
        return []
    ranked = []
    for outcome in _outcomes(days, home_zone, minutes, people, hours, step_minutes):
        counts = outcome.out_of_hours_counts()
        suggestion = Suggestion(
            home_time=outcome.home_time,
            out_of_hours=tuple(person for person, n in zip(people, counts, strict=True) if n),
            night=outcome.nights(),
            cost=sum(counts) / len(days),
        )
        ranked.append(suggestion)
    ranked.sort(key=lambda s: (s.cost, s.night, _minutes_from_noon(s.home_time)))
    return ranked[:limit]


@dataclass(frozen=True)
class Alternation:
    first: time  # home time of calls 1, 3, 5...
    second: time  # home time of calls 2, 4, 6...
    worst_person_share: float
    out_of_hours_total: int
    rows: tuple[FairnessRow, ...]


def alternate_times(days: Sequence[date], first: time, second: time) -> list[time]:
    """The home time of each call when calls alternate between two times."""
    return [first if index % 2 == 0 else second for index in range(len(days))]


def suggest_alternation(
    days: Sequence[date],
    home_zone: str,
    minutes: int,
    people: Sequence[Person],
    hours: WakingHours,
    step_minutes: int = 30,
) -> Alternation | None:
    """Two home times to alternate so the inconvenience is shared (None without people or days).

    Ranks pairs by the worst person's out-of-hours calls, then by the total,
    then by night calls, then by closeness to noon.
    """
    if not days or not people:
        return None
    outcomes = _outcomes(days, home_zone, minutes, people, hours, step_minutes)
    # Tally each time once as the first-of-pair time and once as the second.
    odd_calls, even_calls = slice(0, None, 2), slice(1, None, 2)
    as_first = [(o.out_of_hours_counts(odd_calls), o.nights(odd_calls)) for o in outcomes]
    as_second = [(o.out_of_hours_counts(even_calls), o.nights(even_calls)) for o in outcomes]

    def rank(pair: tuple[int, int]) -> tuple[int, int, int, int]:
        first, second = pair
        (first_out, first_nights), (second_out, second_nights) = as_first[first], as_second[second]
        per_person = [a + b for a, b in zip(first_out, second_out, strict=True)]
        closeness = sum(_minutes_from_noon(outcomes[i].home_time) for i in pair)
        return max(per_person), sum(per_person), first_nights + second_nights, closeness

    best = min(permutations(range(len(outcomes)), 2), key=rank, default=None)
    if best is None:
        return None  # a step so long there is only one time in the day
    first_index, second_index = best
    first, second = outcomes[first_index].home_time, outcomes[second_index].home_time
    starts = [
        local_to_utc(day, home_time, home_zone)
        for day, home_time in zip(days, alternate_times(days, first, second), strict=True)
    ]
    rows = tuple(fairness(starts, minutes, people, hours, home_zone))
    return Alternation(
        first=first,
        second=second,
        worst_person_share=max(row.share for row in rows),
        out_of_hours_total=sum(row.out_of_hours for row in rows),
        rows=rows,
    )


def waking_overlap(zone_a: str, zone_b: str, hours: WakingHours, on: date) -> float:
    """How much of a day two people are both awake, as a share of one waking day (0 to 1).

    Buddies catch up at a time of their own choosing; pairs who share more waking hours
    find one more easily."""
    awake_minutes = (
        datetime.combine(on, hours.end) - datetime.combine(on, hours.start)
    ).total_seconds() / 60
    if awake_minutes <= 0:
        return 0.0

    def windows(zone_name: str) -> list[tuple[datetime, datetime]]:
        # The neighbouring days too, so a window that crosses the other's midnight counts.
        return [
            (
                local_to_utc(day, hours.start, zone_name),
                local_to_utc(day, hours.end, zone_name),
            )
            for day in (on - timedelta(days=1), on, on + timedelta(days=1))
        ]

    a_start, a_end = windows(zone_a)[1]
    shared = 0.0
    for b_start, b_end in windows(zone_b):
        latest_start, earliest_end = max(a_start, b_start), min(a_end, b_end)
        if earliest_end > latest_start:
            shared += (earliest_end - latest_start).total_seconds() / 60
    return min(shared / awake_minutes, 1.0)


def shared_waking_hours(
    zone_names: Sequence[str], hours: WakingHours, on: date
) -> tuple[datetime, datetime] | None:
    """The longest stretch (aware UTC instants) in which everyone in ``zone_names`` is
    inside their waking hours, around the first person's day ``on``; None when they
    share none. A buddy pair's suggested hours come from here, never a night hour."""
    if not zone_names:
        return None

    def windows(zone_name: str, days: Sequence[date]) -> list[tuple[datetime, datetime]]:
        return [
            (local_to_utc(day, hours.start, zone_name), local_to_utc(day, hours.end, zone_name))
            for day in days
        ]

    common = windows(zone_names[0], [on])
    for zone_name in zone_names[1:]:
        theirs = windows(zone_name, [on - timedelta(days=1), on, on + timedelta(days=1)])
        common = [
            (max(a_start, b_start), min(a_end, b_end))
            for a_start, a_end in common
            for b_start, b_end in theirs
            if min(a_end, b_end) > max(a_start, b_start)
        ]
    if not common:
        return None
    return max(common, key=lambda window: (window[1] - window[0], -window[0].timestamp()))
