"""iCalendar files that Google Calendar, Outlook and Apple Calendar import at the right times.

Each call is written in the cohort's home zone (DTSTART;TZID=...) so calendars show
"09:00 Vancouver" on both sides of a daylight-saving change, and every zone used gets
a VTIMEZONE. icalendar's own ``Timezone.from_tzinfo`` writes one-off DTSTART/RDATE
blocks, which Outlook is reported to misread, so the blocks here are built from
zoneinfo's transitions and written as yearly RRULEs wherever the zone follows a rule
("second Sunday of March at 02:00"); irregular transitions fall back to RDATE.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar.prop import vRecur

from sanctuary_desktop.domain.zones import is_valid_zone, zone
from sanctuary_desktop.export.files import write_atomically

PRODID = "-//Sanctuary Desktop//EN"
UTC_ZONES = frozenset({"UTC", "Etc/UTC"})
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class CallEvent:
    uid: str  # stable across exports so a re-import updates instead of duplicating
    summary: str  # e.g. "Women Leading on Climate — call 3 of 7"
    start_utc: datetime  # aware UTC
    minutes: int
    zone: str  # IANA zone the event is expressed in (the cohort's home zone)
    description: str = ""
    location: str = ""
    url: str = ""  # the video-call link: URL (and LOCATION, which calendars show)
    cancelled: bool = False
    sequence: int = 0  # bump when a call is moved
    updated_utc: datetime | None = None  # DTSTAMP / LAST-MODIFIED

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ValueError("a calendar event needs a UID")
        if self.start_utc.utcoffset() is None:
            raise ValueError("start_utc must be time-zone aware")
        if self.updated_utc is not None and self.updated_utc.utcoffset() is None:
            raise ValueError("updated_utc must be time-zone aware")
        if self.minutes <= 0:
            raise ValueError("a call must last more than zero minutes")
        if not is_valid_zone(self.zone):
            raise ValueError(f"{self.zone!r} is not a known time zone")

    @property
    def end_utc(self) -> datetime:
        return self.start_utc + timedelta(minutes=self.minutes)


def calendar_bytes(events: Sequence[CallEvent], *, calendar_name: str) -> bytes:
    """The whole calendar as RFC 5545 bytes (UTF-8, CRLF, folded at 75 octets)."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", calendar_name)

    spans: dict[str, list[datetime]] = {}
    for event in events:
        if event.zone not in UTC_ZONES:
            spans.setdefault(event.zone, []).extend((event.start_utc, event.end_utc))
    for zone_name in sorted(spans):
        instants = spans[zone_name]
        cal.add_component(vtimezone(zone_name, min(instants), max(instants)))

    # One reading of the clock, so all events of an export share a stamp.
    now = datetime.now(UTC)
    for event in events:
        cal.add_component(_vevent(event, now))
    data: bytes = cal.to_ical()
    return data


def write_calendar(path: Path, events: Sequence[CallEvent], *, calendar_name: str) -> None:
    """Write atomically: a temporary file beside ``path``, then a rename (mode 0o600)."""
    write_atomically(path, calendar_bytes(events, calendar_name=calendar_name))


def _vevent(event: CallEvent, now: datetime) -> Event:
    stamp = (event.updated_utc or now).astimezone(UTC)
    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("DTSTAMP", stamp)
    if event.updated_utc is not None:
        vevent.add("LAST-MODIFIED", stamp)
    vevent.add("DTSTART", _wall_time(event.start_utc, event.zone))
    vevent.add("DTEND", _wall_time(event.end_utc, event.zone))
    vevent.add("SUMMARY", event.summary)
    vevent.add("DESCRIPTION", event.description)
    if event.location:
        vevent.add("LOCATION", event.location)
    if event.url:
        vevent.add("URL", event.url)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    return vevent


def _wall_time(instant: datetime, zone_name: str) -> datetime:
    """The instant in the zone's wall time (written with TZID), or in UTC (written with Z).

    RFC 5545 reads a repeated wall time (the hour after clocks go back) as its first
    occurrence, so an instant in the second occurrence can only be written in UTC.
    """
    utc = instant.astimezone(UTC)
    if zone_name in UTC_ZONES:
        return utc
    local = utc.astimezone(zone(zone_name))
    if local.replace(fold=0).astimezone(UTC) != utc:
        return utc
    return local


# --- VTIMEZONE from zoneinfo transitions ------------------------------------------


@dataclass(frozen=True)
class _Transition:
    at_utc: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str  # TZNAME after the change, e.g. "PDT"
    daylight: bool

    @property
    def kind(self) -> tuple[timedelta, timedelta, str, bool]:
        """Transitions of one kind can share one STANDARD or DAYLIGHT block."""
        return (self.offset_from, self.offset_to, self.name, self.daylight)

    @property
    def local_start(self) -> datetime:
        """Wall time at which it happens, read on the clock before it (RFC 5545 DTSTART)."""
        return (self.at_utc + self.offset_from).replace(tzinfo=None)

    def weekday_rules(self) -> set[int]:
        """Ordinals of its weekday in the month that describe it: 1 to 5, and -1 for last."""
        local = self.local_start
        days_in_month = calendar.monthrange(local.year, local.month)[1]
        ordinals = {(local.day - 1) // 7 + 1}
        if local.day + 7 > days_in_month:
            ordinals.add(-1)
        return ordinals

    def same_date_rule(self, other: _Transition) -> bool:
        a, b = self.local_start, other.local_start
        return (a.month, a.weekday(), a.time()) == (b.month, b.weekday(), b.time())


def vtimezone(zone_name: str, first_utc: datetime, last_utc: datetime) -> Timezone:
    """A VTIMEZONE for ``zone_name`` valid at least from ``first_utc`` to ``last_utc``.

    Transitions are sampled from the start of the year before the first instant to the
    end of the year after the last one, so every yearly rule is seen at least three
    times and its blocks start before the first event.
    """
    tz = zone(zone_name)
    sample_start = datetime(first_utc.year - 1, 1, 1, tzinfo=UTC)
    sample_end = datetime(last_utc.year + 2, 1, 1, tzinfo=UTC)
    first_clock, changes = _clock_changes(tz, sample_start, sample_end)
    is_daylight = _daylight_reading(first_clock, *(clock for _, clock in changes))
    transitions = _transitions(first_clock, changes, is_daylight)

    component = Timezone()
    component.add("TZID", zone_name)
    if not any(t.at_utc <= first_utc for t in transitions):
        # No change before the first event: one block says what the clock was then.
        component.add_component(
            _observance(
                daylight=is_daylight(first_clock),
                start=datetime(sample_start.year, 1, 1),
                offset_from=first_clock.offset,
                offset_to=first_clock.offset,
                name=first_clock.name,
            )
        )
    for observance in _observances(transitions, last_year=sample_end.year - 1):
        component.add_component(observance)
    return component


def _observances(
    transitions: Sequence[_Transition], *, last_year: int
) -> Iterable[TimezoneStandard | TimezoneDaylight]:
    by_kind: dict[tuple[timedelta, timedelta, str, bool], list[_Transition]] = {}
    for transition in transitions:
        by_kind.setdefault(transition.kind, []).append(transition)

    for kind_transitions in by_kind.values():
        one_offs: list[_Transition] = []
        for run, ordinals in _yearly_runs(kind_transitions):
            if len(run) == 1:
                one_offs.append(run[0])
                continue
            first, last = run[0], run[-1]
            rule: dict[str, object] = {
                "FREQ": "YEARLY",
                "BYMONTH": first.local_start.month,
                # "Last Sunday" is the usual rule when both readings fit.
                "BYDAY": f"{-1 if -1 in ordinals else min(ordinals)}"
                f"{_WEEKDAYS[first.local_start.weekday()]}",
            }
            if last is not kind_transitions[-1] or last.at_utc.year < last_year:
                # UNTIL must be UTC here (RFC 5545). A day past the last change keeps it
                # inside the run for readers that wrongly compare it with local time too.
                rule["UNTIL"] = last.at_utc + timedelta(days=1)
            observance = _observance_from(first)
            observance.add("RRULE", vRecur(rule))
            yield observance
        if one_offs:
            observance = _observance_from(one_offs[0])
            if len(one_offs) > 1:
                observance.add("RDATE", [t.local_start for t in one_offs[1:]])
            yield observance


def _yearly_runs(
    transitions: Sequence[_Transition],
) -> Iterable[tuple[list[_Transition], set[int]]]:
    """Split transitions of one kind into runs that one yearly rule describes."""
    run: list[_Transition] = []
    ordinals: set[int] = set()
    for transition in transitions:
        if run:
            previous = run[-1]
            shared = ordinals & transition.weekday_rules()
            if (
                transition.at_utc.year == previous.at_utc.year + 1
                and transition.same_date_rule(previous)
                and shared
            ):
                run.append(transition)
                ordinals = shared
                continue
            yield run, ordinals
        run, ordinals = [transition], transition.weekday_rules()
    if run:
        yield run, ordinals


def _observance_from(transition: _Transition) -> TimezoneStandard | TimezoneDaylight:
    return _observance(
        daylight=transition.daylight,
        start=transition.local_start,
        offset_from=transition.offset_from,
        offset_to=transition.offset_to,
        name=transition.name,
    )


def _observance(
    *, daylight: bool, start: datetime, offset_from: timedelta, offset_to: timedelta, name: str
) -> TimezoneStandard | TimezoneDaylight:
    observance = TimezoneDaylight() if daylight else TimezoneStandard()
    observance.add("DTSTART", start)
    observance.add("TZOFFSETFROM", offset_from)
    observance.add("TZOFFSETTO", offset_to)
    observance.add("TZNAME", name)
    return observance


class _Clock(NamedTuple):
    """What a zone's clock reads like at some instant."""

    offset: timedelta
    name: str  # abbreviation, such as "PDT"
    dst: timedelta  # as tz data counts it; negative in Irish winter


def _clock(tz: ZoneInfo, instant: datetime) -> _Clock:
    local = instant.astimezone(tz)
    offset = _utcoffset(local)
    return _Clock(offset, local.tzname() or _offset_name(offset), local.dst() or timedelta(0))


def _clock_changes(
    tz: ZoneInfo, start: datetime, end: datetime
) -> tuple[_Clock, list[tuple[datetime, _Clock]]]:
    """The clock at ``start`` and each change in [start, end), to the second.

    zoneinfo does not list its transitions, so step a day at a time (no zone changes
    twice in a day) and bisect each step where the clock changed.
    """
    first = _clock(tz, start)
    changes: list[tuple[datetime, _Clock]] = []
    step = timedelta(days=1)
    here, here_clock = start, first
    while here < end:
        there = min(here + step, end)
        there_clock = _clock(tz, there)
        if there_clock != here_clock:
            before, after = here, there
            while after - before > timedelta(seconds=1):
                middle = (before + (after - before) / 2).replace(microsecond=0)
                if _clock(tz, middle) == here_clock:
                    before = middle
                else:
                    after = middle
            changes.append((after, there_clock))
        here, here_clock = there, there_clock
    return first, changes


def _daylight_reading(*clocks: _Clock) -> Callable[[_Clock], bool]:
    """Decide which clocks are daylight saving time (DAYLIGHT rather than STANDARD).

    Ireland's tz data counts winter as "negative daylight saving"; calendars expect
    the summer clock to be the daylight one, so such zones are read the everyday way.
    """
    negative_dst_bases = {clock.offset - clock.dst for clock in clocks if clock.dst < timedelta(0)}

    def is_daylight(clock: _Clock) -> bool:
        if clock.dst == timedelta(0):
            return clock.offset in negative_dst_bases
        return clock.dst > timedelta(0)

    return is_daylight


def _transitions(
    first: _Clock,
    changes: Sequence[tuple[datetime, _Clock]],
    is_daylight: Callable[[_Clock], bool],
) -> list[_Transition]:
    transitions: list[_Transition] = []
    previous = first
    for at_utc, clock in changes:
        transitions.append(
            _Transition(at_utc, previous.offset, clock.offset, clock.name, is_daylight(clock))
        )
        previous = clock
    return transitions


def _utcoffset(local: datetime) -> timedelta:
    offset = local.utcoffset()
    if offset is None:
        raise ValueError(f"{local!r} has no UTC offset")
    return offset


def _offset_name(offset: timedelta) -> str:
    """A TZNAME for a zone without an abbreviation, such as "+0530"."""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
