"""iCalendar export: parsed back with icalendar, and times checked against zoneinfo."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, Timezone

from sanctuary_desktop.export.ics import PRODID, CallEvent, calendar_bytes, write_calendar

UPDATED = datetime(2025, 8, 1, 12, 0, tzinfo=UTC)
VANCOUVER = "America/Vancouver"


def call(
    zone: str,
    local_start: datetime,
    number: int = 1,
    *,
    minutes: int = 90,
    **changes: object,
) -> CallEvent:
    """A call at a wall time in ``zone``, as the cohort's planner would store it."""
    fields: dict[str, object] = {
        "uid": f"cohort-7-call-{number}@sanctuary-desktop",
        "summary": f"Women Leading on Climate — call {number} of 7",
        "start_utc": local_start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC),
        "minutes": minutes,
        "zone": zone,
        "description": "Peer Input Process: two rounds.",
        "updated_utc": UPDATED,
    }
    fields.update(changes)
    return CallEvent(**fields)  # type: ignore[arg-type]


def first_thursdays_at_nine(zone: str, year: int, months: Sequence[int]) -> list[CallEvent]:
    events = []
    for number, month in enumerate(months, start=1):
        day = date(year + (month < months[0]), month, 1)
        day += timedelta(days=(3 - day.weekday()) % 7)
        events.append(call(zone, datetime.combine(day, time(9, 0)), number))
    return events


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def vevents(cal: Calendar) -> list[Event]:
    return [c for c in cal.walk("VEVENT") if isinstance(c, Event)]


def vtimezones(cal: Calendar) -> dict[str, Timezone]:
    return {str(c["TZID"]): c for c in cal.walk("VTIMEZONE") if isinstance(c, Timezone)}


def utc_through_vtimezone(cal: Calendar, prop: str, event: Event) -> datetime:
    """Read a DTSTART/DTEND the way a calendar app must: through the file's own VTIMEZONE.

    ``to_tz(lookup_tzid=False)`` builds the zone with dateutil from the VTIMEZONE text
    alone, so this does not quietly fall back to the system's zoneinfo.
    """
    value = event[prop]
    tzid = value.params.get("TZID")
    if tzid is None:
        assert value.dt.utcoffset() == timedelta(0)
        return value.dt.astimezone(UTC)
    tz = vtimezones(cal)[tzid].to_tz(lookup_tzid=False)
    wall = value.dt.replace(tzinfo=None)
    return wall.replace(tzinfo=tz).astimezone(UTC)


# --- the calendar -----------------------------------------------------------------


def test_calendar_properties() -> None:
    cal = parse(
        calendar_bytes([call(VANCOUVER, datetime(2025, 9, 4, 9))], calendar_name="Ngā Kaiārahi")
    )
    assert str(cal["PRODID"]) == PRODID == "-//Sanctuary Desktop//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Ngā Kaiārahi"


def test_event_properties() -> None:
    event = call(VANCOUVER, datetime(2025, 9, 4, 9), 3, location="Zoom", sequence=2)
    (vevent,) = vevents(parse(calendar_bytes([event], calendar_name="Cohort")))
    assert str(vevent["UID"]) == "cohort-7-call-3@sanctuary-desktop"
    assert str(vevent["SUMMARY"]) == "Women Leading on Climate — call 3 of 7"
    assert str(vevent["DESCRIPTION"]) == "Peer Input Process: two rounds."
    assert str(vevent["LOCATION"]) == "Zoom"
    assert int(vevent["SEQUENCE"]) == 2
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["DTSTAMP"].dt == UPDATED
    assert vevent["LAST-MODIFIED"].dt == UPDATED


def test_dtstamp_is_now_when_not_updated() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    event = call(VANCOUVER, datetime(2025, 9, 4, 9), updated_utc=None)
    (vevent,) = vevents(parse(calendar_bytes([event], calendar_name="Cohort")))
    assert before <= vevent["DTSTAMP"].dt <= datetime.now(UTC)
    assert "LAST-MODIFIED" not in vevent


def test_cancelled_call() -> None:
    events = [
        call(VANCOUVER, datetime(2025, 9, 4, 9), 1),
        call(VANCOUVER, datetime(2025, 10, 2, 9), 2, cancelled=True, sequence=1),
    ]
    statuses = [str(e["STATUS"]) for e in vevents(parse(calendar_bytes(events, calendar_name="C")))]
    assert statuses == ["CONFIRMED", "CANCELLED"]


def test_uids_stable_and_output_deterministic() -> None:
    events = first_thursdays_at_nine(VANCOUVER, 2025, [9, 10, 11, 12, 1, 2, 3])
    first = calendar_bytes(events, calendar_name="Cohort")
    again = calendar_bytes(list(events), calendar_name="Cohort")
    assert first == again
    uids = [str(e["UID"]) for e in vevents(parse(first))]
    assert uids == [e.uid for e in events]
    assert len(set(uids)) == len(uids)


# --- time zones -------------------------------------------------------------------


def test_vancouver_series_across_the_november_change_stays_at_nine_local() -> None:
    events = first_thursdays_at_nine(VANCOUVER, 2025, [9, 10, 11, 12, 1, 2, 3])
    data = calendar_bytes(events, calendar_name="Cohort")
    cal = parse(data)

    assert b"DTSTART;TZID=America/Vancouver:20251002T090000\r\n" in data
    assert b"DTSTART;TZID=America/Vancouver:20251106T090000\r\n" in data
    for event, vevent in zip(events, vevents(cal), strict=True):
        for prop in ("DTSTART", "DTEND"):
            assert vevent[prop].params["TZID"] == VANCOUVER
        assert vevent["DTSTART"].dt.replace(tzinfo=None).time() == time(9, 0)
        assert vevent["DTEND"].dt.replace(tzinfo=None).time() == time(10, 30)
        # The same instant, read through the file's VTIMEZONE and checked with zoneinfo.
        assert utc_through_vtimezone(cal, "DTSTART", vevent) == event.start_utc
        assert utc_through_vtimezone(cal, "DTEND", vevent) == event.end_utc
        local = event.start_utc.astimezone(ZoneInfo(VANCOUVER))
        assert (local.hour, local.minute) == (9, 0)
    # The offset from UTC really changed across the series.
    assert {e.start_utc.hour for e in events} == {16, 17}


def test_vancouver_vtimezone_uses_yearly_rules() -> None:
    events = first_thursdays_at_nine(VANCOUVER, 2025, [9, 10, 11, 12, 1, 2, 3])
    (vtimezone,) = vtimezones(parse(calendar_bytes(events, calendar_name="C"))).values()
    assert str(vtimezone["TZID"]) == VANCOUVER
    (standard,) = vtimezone.standard
    (daylight,) = vtimezone.daylight
    for block in (standard, daylight):
        assert "RDATE" not in block
        assert "UNTIL" not in block["RRULE"]
        assert block["RRULE"]["FREQ"] == ["YEARLY"]
    assert standard["RRULE"]["BYMONTH"] == [11] and standard["RRULE"]["BYDAY"] == ["1SU"]
    assert daylight["RRULE"]["BYMONTH"] == [3] and daylight["RRULE"]["BYDAY"] == ["2SU"]
    assert (standard["TZNAME"], daylight["TZNAME"]) == ("PST", "PDT")
    assert standard["TZOFFSETTO"].td == timedelta(hours=-8)
    assert daylight["TZOFFSETTO"].td == timedelta(hours=-7)
    # Each block starts before the first call.
    assert max(standard.DTSTART, daylight.DTSTART) < datetime(2025, 9, 4)


def test_auckland_southern_hemisphere_and_macrons() -> None:
    events = [
        call("Pacific/Auckland", datetime(2025, 9, 4, 19, 0), 1, summary="Hui — Aroha Ngātai"),
        call("Pacific/Auckland", datetime(2025, 10, 2, 19, 0), 2, summary="Kōrero ā-rōpū"),
        call("Pacific/Auckland", datetime(2026, 4, 9, 19, 0), 3, summary="Poroporoaki"),
    ]
    cal = parse(calendar_bytes(events, calendar_name="Te Rōpū"))
    vtimezone = vtimezones(cal)["Pacific/Auckland"]
    assert [b["RRULE"]["BYMONTH"] for b in vtimezone.daylight] == [[9]]
    assert [b["RRULE"]["BYMONTH"] for b in vtimezone.standard] == [[4]]
    for event, vevent in zip(events, vevents(cal), strict=True):
        assert str(vevent["SUMMARY"]) == event.summary
        assert vevent["DTSTART"].dt.replace(tzinfo=None).time() == time(19, 0)
        assert utc_through_vtimezone(cal, "DTSTART", vevent) == event.start_utc
    assert {e.start_utc.astimezone(ZoneInfo("Pacific/Auckland")).utcoffset() for e in events} == {
        timedelta(hours=12),
        timedelta(hours=13),
    }


def test_addis_ababa_without_daylight_saving() -> None:
    events = first_thursdays_at_nine("Africa/Addis_Ababa", 2025, [9, 10, 11, 12, 1, 2, 3])
    cal = parse(calendar_bytes(events, calendar_name="C"))
    vtimezone = vtimezones(cal)["Africa/Addis_Ababa"]
    assert vtimezone.daylight == []
    (standard,) = vtimezone.standard
    assert standard["TZOFFSETFROM"].td == standard["TZOFFSETTO"].td == timedelta(hours=3)
    for event, vevent in zip(events, vevents(cal), strict=True):
        assert vevent["DTSTART"].params["TZID"] == "Africa/Addis_Ababa"
        assert utc_through_vtimezone(cal, "DTSTART", vevent) == event.start_utc


def test_dublin_summer_time_is_the_daylight_block() -> None:
    # tz data counts Irish winter as negative daylight saving; calendars expect summer.
    cal = parse(calendar_bytes([call("Europe/Dublin", datetime(2025, 7, 3, 9))], calendar_name="C"))
    vtimezone = vtimezones(cal)["Europe/Dublin"]
    assert [b["TZOFFSETTO"].td for b in vtimezone.daylight] == [timedelta(hours=1)]
    assert [b["TZOFFSETTO"].td for b in vtimezone.standard] == [timedelta(0)]


def test_one_vtimezone_per_zone_used_and_none_for_utc() -> None:
    events = [
        call(VANCOUVER, datetime(2025, 9, 4, 9), 1),
        call("Pacific/Auckland", datetime(2025, 9, 5, 6), 2),
        call(VANCOUVER, datetime(2025, 10, 2, 9), 3),
        call("UTC", datetime(2025, 10, 3, 16), 4),
    ]
    data = calendar_bytes(events, calendar_name="C")
    cal = parse(data)
    assert sorted(vtimezones(cal)) == ["America/Vancouver", "Pacific/Auckland"]
    assert b"DTSTART:20251003T160000Z\r\n" in data
    for event, vevent in zip(events, vevents(cal), strict=True):
        assert utc_through_vtimezone(cal, "DTSTART", vevent) == event.start_utc


def test_utc_only_calendar_has_no_vtimezone() -> None:
    data = calendar_bytes([call("UTC", datetime(2025, 10, 3, 16))], calendar_name="C")
    assert b"VTIMEZONE" not in data and b"TZID" not in data
    assert b"DTEND:20251003T173000Z\r\n" in data


def test_second_pass_of_a_repeated_hour_is_written_in_utc() -> None:
    # 01:30 happens twice in Vancouver on 2 Nov 2025; a TZID time means the first.
    first = datetime(2025, 11, 2, 8, 30, tzinfo=UTC)
    second = datetime(2025, 11, 2, 9, 30, tzinfo=UTC)
    events = [
        call(VANCOUVER, datetime(2025, 11, 1), 1, start_utc=first, minutes=30),
        call(VANCOUVER, datetime(2025, 11, 1), 2, start_utc=second, minutes=30),
    ]
    cal = parse(calendar_bytes(events, calendar_name="C"))
    one, two = vevents(cal)
    assert one["DTSTART"].params["TZID"] == VANCOUVER
    assert "TZID" not in two["DTSTART"].params
    for event, vevent in zip(events, (one, two), strict=True):
        assert utc_through_vtimezone(cal, "DTSTART", vevent) == event.start_utc
        assert utc_through_vtimezone(cal, "DTEND", vevent) == event.end_utc


zones = st.sampled_from(
    [
        VANCOUVER,
        "America/New_York",
        "America/Santiago",
        "America/Sao_Paulo",
        "America/St_Johns",
        "Europe/Dublin",
        "Europe/Berlin",
        "Africa/Addis_Ababa",
        "Africa/Casablanca",
        "Asia/Jerusalem",
        "Asia/Gaza",
        "Asia/Tehran",
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
        "Pacific/Auckland",
        "Pacific/Chatham",
        "UTC",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    zones,
    st.datetimes(
        min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    ),
    st.lists(st.integers(min_value=0, max_value=600), min_size=0, max_size=5),
    st.integers(min_value=1, max_value=8 * 60),
)
def test_any_call_reads_back_at_the_same_instant(
    zone: str, start: datetime, gaps_in_days: list[int], minutes: int
) -> None:
    start = start.replace(second=0, microsecond=0)
    events, at = [], start
    for number, gap in enumerate([0, *gaps_in_days], start=1):
        at += timedelta(days=gap)
        events.append(call(zone, datetime(2000, 1, 1), number, start_utc=at, minutes=minutes))
    cal = parse(calendar_bytes(events, calendar_name="C"))
    for event, vevent in zip(events, vevents(cal), strict=True):
        assert utc_through_vtimezone(cal, "DTSTART", vevent) == event.start_utc
        assert utc_through_vtimezone(cal, "DTEND", vevent) == event.end_utc


# --- text -------------------------------------------------------------------------


def test_long_lines_are_folded_at_75_octets_without_breaking_characters() -> None:
    summary = "Wāhine Toa o te Taiao — kōrero ā-rōpū me Aroha Ngātai, 山田 花子 " * 3
    description = "Line one; with, punctuation\nLine two: ā ē ī ō ū " * 5
    event = call(
        "Pacific/Auckland", datetime(2025, 9, 4, 19), summary=summary, description=description
    )
    data = calendar_bytes([event], calendar_name="Ngā Kaiārahi " * 10)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # no multi-byte character split across a fold
    (vevent,) = vevents(parse(data))
    assert str(vevent["SUMMARY"]) == summary
    assert str(vevent["DESCRIPTION"]) == description


# --- validation and writing -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_utc": datetime(2025, 9, 4, 16)}, "aware"),
        ({"minutes": 0}, "zero minutes"),
        ({"zone": "Mars/Olympus"}, "time zone"),
        ({"uid": " "}, "UID"),
    ],
)
def test_bad_events_are_refused(changes: dict[str, object], message: str) -> None:
    good: dict[str, object] = {
        "uid": "call-1@sanctuary-desktop",
        "summary": "Call 1",
        "start_utc": datetime(2025, 9, 4, 16, tzinfo=UTC),
        "minutes": 90,
        "zone": VANCOUVER,
    }
    CallEvent(**good)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        CallEvent(**(good | changes))  # type: ignore[arg-type]


def test_write_calendar_replaces_atomically_with_private_mode(tmp_path: Path) -> None:
    target = tmp_path / "cohort.ics"
    target.write_bytes(b"old")
    events = first_thursdays_at_nine(VANCOUVER, 2025, [9, 10, 11])
    write_calendar(target, events, calendar_name="Cohort")
    assert target.read_bytes() == calendar_bytes(events, calendar_name="Cohort")
    assert os.listdir(tmp_path) == ["cohort.ics"]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_write_calendar_leaves_no_temporary_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "cohort.ics"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(OSError):
        write_calendar(target, [call(VANCOUVER, datetime(2025, 9, 4, 9))], calendar_name="C")
    assert os.listdir(tmp_path) == ["cohort.ics"]
