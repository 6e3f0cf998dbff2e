"""Series of calls from a cadence: recurrence in the cohort's zone, DST, validation."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import (
    MAX_CALLS,
    Cadence,
    CadenceKind,
    describe,
    generate_starts,
    local_to_utc,
)

VANCOUVER = "America/Vancouver"
HOUR = timedelta(hours=1)
WEEK = timedelta(weeks=1)
THURSDAY, FRIDAY, SUNDAY = 3, 4, 6


def local(starts: list[datetime], zone: str) -> list[datetime]:
    return [start.astimezone(ZoneInfo(zone)) for start in starts]


def monthly_first_thursday(**changes: Any) -> Cadence:
    cadence = Cadence(
        kind=CadenceKind.MONTHLY_WEEKDAY,
        first_date=date(2026, 9, 1),
        local_time=time(9, 0),
        zone=VANCOUVER,
        count=7,
        weekday=THURSDAY,
        week_of_month=1,
    )
    return replace(cadence, **changes)


def test_first_thursday_monthly_stays_at_nine_pacific_across_dst_end() -> None:
    starts = generate_starts(monthly_first_thursday())

    assert [s.astimezone(ZoneInfo(VANCOUVER)).date() for s in starts] == [
        date(2026, 9, 3),
        date(2026, 10, 1),
        date(2026, 11, 5),
        date(2026, 12, 3),
        date(2027, 1, 7),
        date(2027, 2, 4),
        date(2027, 3, 4),
    ]
    for start in local(starts, VANCOUVER):
        assert start.time() == time(9, 0)
        assert start.weekday() == THURSDAY
    # Daylight time (UTC-7) until 1 November 2026, standard time (UTC-8) after.
    assert [s.hour for s in starts] == [16, 16, 17, 17, 17, 17, 17]
    assert all(s.tzinfo is UTC for s in starts)


@pytest.mark.parametrize(
    ("zone", "week_before", "change_day", "utc_shift"),
    [
        # North America: second Sunday of March, first Sunday of November.
        ("America/Vancouver", date(2026, 3, 1), date(2026, 3, 8), -HOUR),
        ("America/Vancouver", date(2026, 10, 25), date(2026, 11, 1), HOUR),
        ("America/Toronto", date(2027, 3, 7), date(2027, 3, 14), -HOUR),
        ("America/Toronto", date(2026, 10, 25), date(2026, 11, 1), HOUR),
        # Europe: last Sunday of March and of October.
        ("Europe/London", date(2026, 3, 22), date(2026, 3, 29), -HOUR),
        ("Europe/London", date(2026, 10, 18), date(2026, 10, 25), HOUR),
        # Southern hemisphere: daylight time ends on the first Sunday of April...
        ("Australia/Melbourne", date(2026, 3, 29), date(2026, 4, 5), HOUR),
        ("Pacific/Auckland", date(2026, 3, 29), date(2026, 4, 5), HOUR),
        # ...and starts on the first Sunday of October (Melbourne), last of September (Auckland).
        ("Australia/Melbourne", date(2026, 9, 27), date(2026, 10, 4), -HOUR),
        ("Pacific/Auckland", date(2026, 9, 20), date(2026, 9, 27), -HOUR),
    ],
)
def test_wall_time_is_fixed_and_utc_moves_one_hour_at_the_change(
    zone: str, week_before: date, change_day: date, utc_shift: timedelta
) -> None:
    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=week_before,
        local_time=time(10, 0),
        zone=zone,
        count=3,
        weekday=SUNDAY,
    )

    starts = generate_starts(cadence)

    locals_ = local(starts, zone)
    assert [s.date() for s in locals_] == [week_before, change_day, change_day + WEEK]
    assert all(s.time() == time(10, 0) for s in locals_)
    assert locals_[0].utcoffset() != locals_[1].utcoffset()
    assert starts[1] - starts[0] == WEEK + utc_shift
    assert starts[2] - starts[1] == WEEK


def test_weekly_starts_on_the_first_matching_weekday_on_or_after_first_date() -> None:
    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 9, 1),  # a Tuesday
        local_time=time(18, 30),
        zone="Europe/London",
        count=4,
        weekday=THURSDAY,
        interval_weeks=3,  # ignored: weekly means every week
    )

    days = [s.date() for s in local(generate_starts(cadence), "Europe/London")]

    assert days == [date(2026, 9, 3), date(2026, 9, 10), date(2026, 9, 17), date(2026, 9, 24)]


def test_weekly_first_date_on_the_weekday_itself_is_the_first_call() -> None:
    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 9, 3),
        local_time=time(9),
        zone=VANCOUVER,
        count=1,
        weekday=THURSDAY,
    )

    assert [s.date() for s in local(generate_starts(cadence), VANCOUVER)] == [date(2026, 9, 3)]


@pytest.mark.parametrize(
    ("until", "last_call"),
    [(date(2026, 10, 29), date(2026, 10, 29)), (date(2026, 10, 28), date(2026, 10, 15))],
)
def test_every_two_weeks_until_a_date_inclusive(until: date, last_call: date) -> None:
    cadence = Cadence(
        kind=CadenceKind.EVERY_N_WEEKS,
        first_date=date(2026, 9, 1),
        local_time=time(7, 0),
        zone="Pacific/Auckland",
        until=until,
        weekday=THURSDAY,
        interval_weeks=2,
    )

    days = [s.date() for s in local(generate_starts(cadence), "Pacific/Auckland")]

    assert days[:4] == [date(2026, 9, 3), date(2026, 9, 17), date(2026, 10, 1), date(2026, 10, 15)]
    assert days[-1] == last_call


def test_until_can_include_its_own_date() -> None:
    cadence = monthly_first_thursday(count=None, until=date(2026, 10, 1))

    assert len(generate_starts(cadence)) == 2


def test_count_and_until_stop_at_whichever_comes_first() -> None:
    assert len(generate_starts(monthly_first_thursday(count=3, until=date(2027, 12, 31)))) == 3
    assert len(generate_starts(monthly_first_thursday(count=30, until=date(2026, 12, 31)))) == 4


def test_last_weekday_of_the_month() -> None:
    cadence = Cadence(
        kind=CadenceKind.MONTHLY_WEEKDAY,
        first_date=date(2026, 1, 1),
        local_time=time(12, 0),
        zone="Africa/Addis_Ababa",
        count=5,
        weekday=FRIDAY,
        week_of_month=-1,
    )

    days = [s.date() for s in local(generate_starts(cadence), "Africa/Addis_Ababa")]

    assert days == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 29),
    ]


def test_monthly_skips_a_month_whose_weekday_falls_before_first_date() -> None:
    # The first Thursday of September 2026 is the 3rd, before the first date.
    cadence = monthly_first_thursday(first_date=date(2026, 9, 4), count=2)

    days = [s.date() for s in local(generate_starts(cadence), VANCOUVER)]

    assert days == [date(2026, 10, 1), date(2026, 11, 5)]


def test_fourth_weekday_of_the_month() -> None:
    cadence = monthly_first_thursday(week_of_month=4, count=2)

    days = [s.date() for s in local(generate_starts(cadence), VANCOUVER)]

    assert days == [date(2026, 9, 24), date(2026, 10, 22)]


def test_a_time_the_clocks_skip_moves_forward_by_the_gap() -> None:
    # Vancouver springs forward at 02:00 on 8 March 2026: 02:30 does not exist.
    start = local_to_utc(date(2026, 3, 8), time(2, 30), VANCOUVER)

    assert start == datetime(2026, 3, 8, 10, 30, tzinfo=UTC)
    assert start.astimezone(ZoneInfo(VANCOUVER)).time() == time(3, 30)


def test_a_half_hour_gap_moves_forward_half_an_hour() -> None:
    # Lord Howe Island moves its clocks by 30 minutes, 02:00 -> 02:30.
    start = local_to_utc(date(2026, 10, 4), time(2, 15), "Australia/Lord_Howe")

    assert start.astimezone(ZoneInfo("Australia/Lord_Howe")).time() == time(2, 45)


def test_a_repeated_time_takes_the_first_instant() -> None:
    # Vancouver falls back at 02:00 on 1 November 2026: 01:30 happens twice.
    start = local_to_utc(date(2026, 11, 1), time(1, 30), VANCOUVER)

    assert start == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)  # 01:30 PDT, not 01:30 PST
    assert start.astimezone(ZoneInfo(VANCOUVER)).utcoffset() == -7 * HOUR


def test_series_through_a_gap_shifts_only_the_gap_day() -> None:
    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 3, 1),
        local_time=time(2, 30),
        zone=VANCOUVER,
        count=3,
        weekday=SUNDAY,
    )

    times = [s.time() for s in local(generate_starts(cadence), VANCOUVER)]

    assert times == [time(2, 30), time(3, 30), time(2, 30)]


def test_local_to_utc_ignores_a_tzinfo_or_fold_on_the_time() -> None:
    plain = local_to_utc(date(2026, 11, 1), time(1, 30), VANCOUVER)

    assert local_to_utc(date(2026, 11, 1), time(1, 30, fold=1, tzinfo=UTC), VANCOUVER) == plain


def test_long_series_is_capped_at_200_calls() -> None:
    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 1, 1),
        local_time=time(9),
        zone=VANCOUVER,
        until=date(2040, 1, 1),
    )

    assert len(generate_starts(cadence)) == MAX_CALLS


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"zone": "Mars/Olympus_Mons"}, "Time zone"),
        ({"zone": ""}, "Time zone"),
        ({"count": None, "until": None}, "Repeat"),
        ({"count": 0}, "Count"),
        ({"count": 201}, "Count"),
        ({"weekday": 7}, "Weekday"),
        ({"weekday": -1}, "Weekday"),
        ({"week_of_month": 5}, "Week of month"),
        ({"week_of_month": 0}, "Week of month"),
        ({"kind": CadenceKind.EVERY_N_WEEKS, "interval_weeks": 0}, "Every N weeks"),
        ({"kind": CadenceKind.EVERY_N_WEEKS, "interval_weeks": 53}, "Every N weeks"),
        ({"until": date(2026, 8, 31)}, "Until"),
    ],
)
def test_each_validation_error_names_its_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        generate_starts(monthly_first_thursday(**changes))

    assert [error.field for error in caught.value.errors] == [field]
    assert caught.value.for_field(field)


def test_fields_that_do_not_apply_to_the_kind_are_not_checked() -> None:
    weekly = monthly_first_thursday(kind=CadenceKind.WEEKLY, week_of_month=9, interval_weeks=0)

    assert len(generate_starts(weekly)) == 7


def test_every_problem_is_reported_at_once() -> None:
    cadence = monthly_first_thursday(zone="Nowhere/Special", count=None, weekday=9)

    with pytest.raises(ValidationError) as caught:
        generate_starts(cadence)

    assert [error.field for error in caught.value.errors] == ["Time zone", "Repeat", "Weekday"]
    assert caught.value.for_field("Time zone") == "'Nowhere/Special' is not a known time zone"


def test_a_cadence_with_no_dates_in_range_says_so() -> None:
    cadence = monthly_first_thursday(first_date=date(2026, 9, 4), until=date(2026, 9, 30))

    with pytest.raises(ValidationError) as caught:
        generate_starts(cadence)

    assert caught.value.for_field("Cadence") == "gives no dates between 4 Sep 2026 and 30 Sep 2026"


@pytest.mark.parametrize(
    ("cadence", "text"),
    [
        (
            monthly_first_thursday(),
            "First Thursday of each month at 09:00 (America/Vancouver), 7 calls",
        ),
        (
            monthly_first_thursday(week_of_month=-1, count=1),
            "Last Thursday of each month at 09:00 (America/Vancouver), 1 call",
        ),
        (
            monthly_first_thursday(kind=CadenceKind.WEEKLY, count=None, until=date(2027, 3, 31)),
            "Every Thursday at 09:00 (America/Vancouver), until 31 Mar 2027",
        ),
        (
            monthly_first_thursday(
                kind=CadenceKind.EVERY_N_WEEKS,
                interval_weeks=2,
                weekday=0,
                local_time=time(17, 30),
                until=date(2027, 3, 31),
            ),
            "Every 2 weeks on Monday at 17:30 (America/Vancouver), up to 7 calls until 31 Mar 2027",
        ),
    ],
)
def test_describe(cadence: Cadence, text: str) -> None:
    assert describe(cadence) == text


def test_describe_rejects_an_invalid_cadence() -> None:
    with pytest.raises(ValidationError):
        describe(monthly_first_thursday(weekday=8))


PROPERTY_ZONES = [
    "America/Vancouver",
    "America/Toronto",
    "Europe/London",
    "Australia/Melbourne",
    "Pacific/Auckland",
    "Australia/Lord_Howe",
]


def expected_wall_time(day: date, wanted: time, zone: str) -> time:
    """The wanted time, or later by the gap when the clocks skip it that day."""
    tz = ZoneInfo(zone)
    naive = datetime.combine(day, wanted)
    before, after = (naive.replace(tzinfo=tz, fold=f).utcoffset() for f in (0, 1))
    assert before is not None and after is not None
    exists = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive
    return wanted if exists else (naive + (after - before)).time()


@st.composite
def cadences(draw: st.DrawFn) -> Cadence:
    return Cadence(
        kind=draw(st.sampled_from(CadenceKind)),
        first_date=draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))),
        local_time=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))),
        zone=draw(st.sampled_from(PROPERTY_ZONES)),
        count=draw(st.integers(1, 30)),
        weekday=draw(st.integers(0, 6)),
        week_of_month=draw(st.sampled_from([1, 2, 3, 4, -1])),
        interval_weeks=draw(st.integers(1, 8)),
    )


@settings(max_examples=150, deadline=None)
@given(cadences())
def test_every_start_keeps_its_weekday_and_wall_time(cadence: Cadence) -> None:
    starts = generate_starts(cadence)

    assert len(starts) == cadence.count
    assert all(earlier < later for earlier, later in pairwise(starts))
    for start in local(starts, cadence.zone):
        day = start.date()
        assert day >= cadence.first_date
        assert start.weekday() == cadence.weekday
        assert start.time() == expected_wall_time(day, cadence.local_time, cadence.zone)
        if cadence.kind is CadenceKind.MONTHLY_WEEKDAY:
            days_in_month = calendar.monthrange(day.year, day.month)[1]
            if cadence.week_of_month == -1:
                assert day.day + 7 > days_in_month
            else:
                assert (day.day - 1) // 7 + 1 == cadence.week_of_month


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_date": date(1, 1, 1)}, "First date"),
        ({"first_date": date(9999, 12, 1)}, "First date"),
        ({"first_date": date(2199, 1, 1), "count": 24}, "Repeat"),
        ({"count": None, "until": date(9999, 1, 1)}, "Until"),
    ],
)
def test_a_series_stays_in_the_years_the_app_stores(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        generate_starts(monthly_first_thursday(**changes))
    assert refused.value.for_field(field), refused.value
