"""Everyone's local time, out-of-hours flags, fairness and the meeting planner."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sanctuary_desktop.domain.cohort import WakingHours
from sanctuary_desktop.domain.schedule import local_to_utc
from sanctuary_desktop.domain.timeplan import (
    Band,
    FairnessRow,
    Person,
    alternate_times,
    fairness,
    fairness_sentence,
    local_slots,
    planner_grid,
    suggest_alternation,
    suggest_starts,
)

HOURS = WakingHours()  # 07:00 to 22:00
VANCOUVER = "America/Vancouver"

AROHA = Person(1, "Aroha Ngata", "Pacific/Auckland")
BETHLEHEM = Person(2, "Bethlehem Tadesse", "Africa/Addis_Ababa")
JORDAN = Person(3, "Jordan Lee", "America/Vancouver")
PRIYA = Person(4, "Priya Shah", "Europe/London")
MAYA = Person(5, "Maya Chen", "Australia/Melbourne")

# First Thursdays, September 2026 to March 2027: both hemispheres change clocks in between.
FIRST_THURSDAYS = [
    date(2026, 9, 3),
    date(2026, 10, 1),
    date(2026, 11, 5),
    date(2026, 12, 3),
    date(2027, 1, 7),
    date(2027, 2, 4),
    date(2027, 3, 4),
]


def utc(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_thursday_evening_in_vancouver_is_friday_in_auckland() -> None:
    start = local_to_utc(date(2026, 9, 3), time(17, 0), VANCOUVER)

    jordan, aroha = local_slots(start, 90, [JORDAN, AROHA], HOURS, VANCOUVER)

    assert (jordan.label, jordan.day_offset, jordan.day_note) == ("Thu 17:00", 0, "")
    assert (aroha.label, aroha.day_offset, aroha.day_note) == ("Fri 12:00", 1, "next day")
    assert aroha.start.tzinfo == ZoneInfo("Pacific/Auckland")
    assert aroha.end - aroha.start == timedelta(minutes=90)


def test_friday_morning_in_auckland_is_thursday_in_vancouver() -> None:
    start = local_to_utc(date(2026, 9, 4), time(8, 0), "Pacific/Auckland")

    (jordan,) = local_slots(start, 60, [JORDAN], HOURS, "Pacific/Auckland")

    assert (jordan.label, jordan.day_offset, jordan.day_note) == ("Thu 13:00", -1, "previous day")


def test_local_slots_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        local_slots(datetime(2026, 9, 3, 16), 90, [JORDAN], HOURS, VANCOUVER)


@pytest.mark.parametrize(
    ("local_start", "minutes", "band", "early", "late"),
    [
        (time(7, 0), 90, Band.GOOD, False, False),
        (time(20, 30), 90, Band.GOOD, False, False),  # ends exactly at 22:00
        (time(6, 0), 90, Band.EDGE, True, False),
        (time(5, 30), 90, Band.NIGHT, True, False),
        (time(4, 0), 90, Band.NIGHT, True, False),
        (time(21, 0), 90, Band.EDGE, False, True),
        (time(21, 30), 90, Band.EDGE, False, True),  # ends exactly at 23:00
        (time(22, 0), 90, Band.NIGHT, False, True),
        (time(23, 30), 90, Band.NIGHT, False, True),  # crosses midnight
        (time(2, 0), 90, Band.NIGHT, False, True),  # the small hours are late, not early
        (time(12, 0), 12 * 60, Band.NIGHT, False, True),  # a long call ending at midnight
    ],
)
def test_out_of_hours_flags(
    local_start: time, minutes: int, band: Band, early: bool, late: bool
) -> None:
    start = local_to_utc(date(2026, 9, 3), local_start, BETHLEHEM.zone)

    (slot,) = local_slots(start, minutes, [BETHLEHEM], HOURS, BETHLEHEM.zone)

    assert (slot.band, slot.early, slot.late) == (band, early, late)
    assert slot.out_of_hours is (band is not Band.GOOD)
    assert slot.out_of_hours is (early or late)


def test_a_call_past_midnight_is_edge_when_hours_end_late() -> None:
    start = local_to_utc(date(2026, 9, 3), time(23, 0), BETHLEHEM.zone)
    night_owls = WakingHours(start=time(7, 0), end=time(23, 30))

    (slot,) = local_slots(start, 90, [BETHLEHEM], night_owls, BETHLEHEM.zone)

    assert (slot.band, slot.late, slot.day_offset) == (Band.EDGE, True, 0)


# Four 60-minute calls in June 2026 (Vancouver UTC-7, London UTC+1, Addis UTC+3, Auckland UTC+12):
#   1: 15:00 UTC  Auckland Fri 03:00 (late, small hours); others in hours
#   2: 19:00 UTC  Addis 22:00-23:00 (late); London 20:00, Vancouver 12:00, Auckland 07:00
#   3: 06:00 UTC  Vancouver Wed 23:00 (late); London 07:00, Addis 09:00, Auckland 18:00
#   4: 17:00 UTC  Auckland Fri 05:00 (early); Vancouver 10:00, London 18:00, Addis 20:00
JUNE_CALLS = [utc(2026, 6, 4, 15), utc(2026, 6, 11, 19), utc(2026, 6, 18, 6), utc(2026, 6, 25, 17)]
GROUP = [PRIYA, JORDAN, BETHLEHEM, AROHA]


def test_fairness_by_hand() -> None:
    rows = fairness(JUNE_CALLS, 60, GROUP, HOURS, "Europe/London")

    assert [(r.person, r.calls, r.early, r.late, r.out_of_hours) for r in rows] == [
        (AROHA, 4, 1, 1, 2),
        (BETHLEHEM, 4, 0, 1, 1),
        (JORDAN, 4, 0, 1, 1),
        (PRIYA, 4, 0, 0, 0),
    ]
    assert [r.share for r in rows] == [0.5, 0.25, 0.25, 0.0]


def test_fairness_sentence() -> None:
    rows = fairness(JUNE_CALLS, 60, GROUP, HOURS, "Europe/London")

    assert fairness_sentence(rows) == (
        "Aroha Ngata (Auckland) has 2 of 4 calls out of hours (1 early, 1 late); "
        "2 other people have some calls out of hours; 1 person has all calls in hours."
    )


def test_fairness_sentence_one_person_out_of_hours() -> None:
    rows = [
        FairnessRow(AROHA, calls=7, early=4, late=0),
        *(FairnessRow(Person(k, f"P{k}", "Europe/London"), 7, 0, 0) for k in range(5)),
    ]

    assert fairness_sentence(rows) == (
        "Aroha Ngata (Auckland) has 4 of 7 calls out of hours (4 early); "
        "5 people have all calls in hours."
    )


def test_fairness_sentence_edge_cases() -> None:
    assert fairness_sentence([]) == "No participants yet."
    assert fairness_sentence(fairness([], 60, GROUP, HOURS, VANCOUVER)) == "No calls scheduled yet."
    in_hours = fairness(JUNE_CALLS[:1], 60, [PRIYA, JORDAN], HOURS, VANCOUVER)
    assert fairness_sentence(in_hours) == "Everyone has all 1 call in hours."
    everyone_out = [FairnessRow(AROHA, 2, 0, 2), FairnessRow(JORDAN, 2, 1, 0)]
    assert fairness_sentence(everyone_out) == (
        "Aroha Ngata (Auckland) has all 2 calls out of hours (2 late); "
        "1 person has some calls out of hours; nobody has all calls in hours."
    )


def test_fairness_sentence_names_everyone_with_every_call_out_of_hours() -> None:
    """Two people with every call out of hours: the summary must not name one and call
    the other "some" (the table beside it says 100% for both)."""
    rows = [
        FairnessRow(AROHA, 7, 7, 0),
        FairnessRow(BETHLEHEM, 7, 5, 2),
        FairnessRow(JORDAN, 7, 1, 0),
        *(FairnessRow(Person(k, f"P{k}", "Europe/London"), 7, 0, 0) for k in range(10, 15)),
    ]
    assert fairness_sentence(rows) == (
        "Aroha Ngata (Auckland) and Bethlehem Tadesse (Addis Ababa) have every call out of "
        "hours; 1 person has some calls out of hours; 5 people have all calls in hours."
    )
    many = [FairnessRow(Person(k, f"P{k}", "Asia/Tokyo"), 3, 3, 0) for k in range(4)]
    assert fairness_sentence(many) == (
        "4 people have every call out of hours; nobody has all calls in hours."
    )


def test_fairness_without_calls_has_zero_share() -> None:
    (row,) = fairness([], 90, [AROHA], HOURS, VANCOUVER)

    assert (row.calls, row.out_of_hours, row.share) == (0, 0, 0.0)


def test_planner_grid_on_a_normal_day() -> None:
    rows = planner_grid(date(2026, 6, 10), VANCOUVER, 90, [PRIYA, AROHA], HOURS)

    assert len(rows) == 24
    assert [row.home_start.time() for row in rows] == [time(h) for h in range(24)]
    nine = rows[9]
    assert [(c.local.strftime("%a %H:%M"), c.band) for c in nine.cells] == [
        ("Wed 17:00", Band.GOOD),
        ("Thu 04:00", Band.NIGHT),
    ]
    assert nine.out_of_hours == 1
    assert [c.band for c in rows[15].cells] == [Band.NIGHT, Band.GOOD]  # London 23:00


def test_planner_grid_by_half_hours() -> None:
    rows = planner_grid(date(2026, 6, 10), VANCOUVER, 90, [PRIYA], HOURS, step_minutes=30)

    assert len(rows) == 48
    assert rows[1].home_start.time() == time(0, 30)


def test_planner_grid_skips_the_hour_the_clocks_skip() -> None:
    # 8 March 2026: Vancouver springs forward at 02:00; London has not changed yet.
    rows = planner_grid(date(2026, 3, 8), VANCOUVER, 90, [PRIYA], HOURS)

    home_times = [row.home_start.time() for row in rows]
    assert len(rows) == 23
    assert time(2) not in home_times
    assert rows[2].home_start.time() == time(3)
    assert rows[2].home_start.astimezone(UTC) == utc(2026, 3, 8, 10)
    assert rows[1].home_start.astimezone(UTC) == utc(2026, 3, 8, 9)
    nine = next(row for row in rows if row.home_start.time() == time(9))
    assert nine.cells[0].local.time() == time(16)  # 09:00 PDT is 16:00 GMT
    instants = [row.home_start.astimezone(UTC) for row in rows]
    assert instants == sorted(set(instants))


def test_planner_grid_on_the_day_the_clocks_go_back() -> None:
    rows = planner_grid(date(2026, 11, 1), VANCOUVER, 90, [PRIYA], HOURS)

    assert len(rows) == 24
    assert rows[1].home_start.utcoffset() == timedelta(hours=-7)  # the first 01:00
    assert rows[2].home_start.astimezone(UTC) == utc(2026, 11, 1, 10)  # 02:00 PST
    assert rows[9].cells[0].local.time() == time(17)  # 09:00 PST is 17:00 GMT
    instants = [row.home_start.astimezone(UTC) for row in rows]
    assert instants == sorted(set(instants))


def test_suggest_starts_for_vancouver_london_auckland() -> None:
    people = [JORDAN, PRIYA, AROHA]

    suggestions = suggest_starts(FIRST_THURSDAYS, VANCOUVER, 90, people, HOURS)

    # Only 12:00 and 12:30 Pacific fit everyone on every date: London ends by 22:00 and
    # Auckland starts after 07:00, whether or not either has daylight time.
    assert [s.home_time for s in suggestions[:3]] == [time(12), time(12, 30), time(11, 30)]
    assert [(s.out_of_hours, s.night, s.cost) for s in suggestions[:2]] == [((), 0, 0.0)] * 2
    assert suggestions[2].out_of_hours == (AROHA,)  # 06:30 on 4 Sep, before NZ daylight time
    assert suggestions[2].cost == pytest.approx(1 / 7)
    assert len(suggestions) == 5
    for suggestion in suggestions:
        slots = [
            slot
            for day in FIRST_THURSDAYS
            for slot in local_slots(
                local_to_utc(day, suggestion.home_time, VANCOUVER), 90, people, HOURS, VANCOUVER
            )
        ]
        assert suggestion.cost == sum(s.out_of_hours for s in slots) / len(FIRST_THURSDAYS)
        assert suggestion.night == sum(s.band is Band.NIGHT for s in slots)
    assert [s.cost for s in suggestions] == sorted(s.cost for s in suggestions)


def test_suggest_starts_needs_days_and_people() -> None:
    assert suggest_starts([], VANCOUVER, 90, [JORDAN], HOURS) == []
    assert suggest_starts(FIRST_THURSDAYS, VANCOUVER, 90, [], HOURS) == []


def test_alternate_times() -> None:
    first, second = time(6), time(15)

    assert alternate_times(FIRST_THURSDAYS[:5], first, second) == [first, second] * 2 + [first]
    assert alternate_times([], first, second) == []


def worst_share(times: list[time], people: list[Person]) -> float:
    starts = [local_to_utc(d, t, VANCOUVER) for d, t in zip(FIRST_THURSDAYS, times, strict=True)]
    return max(row.share for row in fairness(starts, 90, people, HOURS, VANCOUVER))


def test_alternation_shares_the_burden_better_than_any_single_time() -> None:
    people = [JORDAN, PRIYA, BETHLEHEM, MAYA, AROHA]
    candidates = [time(h, m) for h in range(24) for m in (0, 30)]
    best_single = min(worst_share([t] * len(FIRST_THURSDAYS), people) for t in candidates)

    alternation = suggest_alternation(FIRST_THURSDAYS, VANCOUVER, 90, people, HOURS)

    assert alternation is not None
    assert alternation.first != alternation.second
    assert alternation.worst_person_share < best_single
    times = alternate_times(FIRST_THURSDAYS, alternation.first, alternation.second)
    assert alternation.worst_person_share == worst_share(times, people)
    assert {row.person for row in alternation.rows} == set(people)
    assert alternation.out_of_hours_total == sum(row.out_of_hours for row in alternation.rows)


def test_alternation_needs_days_and_people() -> None:
    assert suggest_alternation([], VANCOUVER, 90, [JORDAN], HOURS) is None
    assert suggest_alternation(FIRST_THURSDAYS, VANCOUVER, 90, [], HOURS) is None


def test_alternation_handles_a_full_cohort_over_a_long_series() -> None:
    zones = [JORDAN.zone, PRIYA.zone, BETHLEHEM.zone, MAYA.zone, AROHA.zone, "America/Toronto"]
    people = [Person(k, f"Person {k}", zones[k % len(zones)]) for k in range(12)]
    days = [date(2026, 9, 3) + timedelta(weeks=4 * n) for n in range(12)]

    alternation = suggest_alternation(days, VANCOUVER, 90, people, HOURS)

    assert alternation is not None
    assert alternation.first != alternation.second
    assert len(alternation.rows) == len(people)


def test_waking_overlap_between_zones() -> None:
    from sanctuary_desktop.domain.timeplan import waking_overlap

    day = date(2026, 12, 3)
    assert waking_overlap("America/Vancouver", "America/Vancouver", HOURS, day) == 1.0
    # Vancouver and Toronto are three hours apart: 12 of 15 waking hours shared.
    assert waking_overlap("America/Vancouver", "America/Toronto", HOURS, day) == 12 / 15
    # London 07:00-22:00 is 23:00-14:00 in Vancouver (PST): 07:00-14:00 shared, 7 hours.
    assert waking_overlap("America/Vancouver", "Europe/London", HOURS, day) == 7 / 15
    # The measure is symmetric.
    assert waking_overlap("Europe/London", "Pacific/Auckland", HOURS, day) == waking_overlap(
        "Pacific/Auckland", "Europe/London", HOURS, day
    )
