from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.services import calls, cohorts, demo, records
from sanctuary_desktop.store.database import Database

VANCOUVER = ZoneInfo("America/Vancouver")


def make_cohort(db: Database, zone: str = "America/Vancouver") -> int:
    return cohorts.create_cohort(
        db,
        CohortDraft(
            name="Cohort",
            home_tz=zone,
            start_date=date(2026, 9, 1),
            end_date=date(2027, 4, 30),
        ),
    ).value.id


def first_thursdays(zone: str = "America/Vancouver", count: int = 7) -> Cadence:
    return Cadence(
        kind=CadenceKind.MONTHLY_WEEKDAY,
        first_date=date(2026, 9, 1),
        local_time=time(9, 0),
        zone=zone,
        count=count,
        weekday=3,
        week_of_month=1,
    )


def test_series_keeps_local_time_across_daylight_saving(db: Database) -> None:
    cohort_id = make_cohort(db)
    views = calls.generate_series(db, cohort_id, first_thursdays()).value
    local = [v.starts_at.astimezone(VANCOUVER) for v in views]
    assert [d.date() for d in local] == [
        date(2026, 9, 3),
        date(2026, 10, 1),
        date(2026, 11, 5),
        date(2026, 12, 3),
        date(2027, 1, 7),
        date(2027, 2, 4),
        date(2027, 3, 4),
    ]
    assert {(d.hour, d.minute) for d in local} == {(9, 0)}
    # UTC moves by an hour when Vancouver leaves daylight time on 1 November.
    assert views[1].starts_at.hour == 16 and views[2].starts_at.hour == 17
    assert [v.label for v in views][:2] == ["Call 1 of 7", "Call 2 of 7"]


def test_series_must_be_in_the_cohort_zone(db: Database) -> None:
    cohort_id = make_cohort(db)
    with pytest.raises(ValidationError) as caught:
        calls.generate_series(db, cohort_id, first_thursdays(zone="Europe/London"))
    assert caught.value.for_field("Time zone")
    assert calls.list_cohort_calls(db, cohort_id) == []


def test_a_cadence_without_dates_writes_nothing(db: Database) -> None:
    cohort_id = make_cohort(db)
    empty = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 9, 10),
        local_time=time(9),
        zone="America/Vancouver",
        until=date(2026, 9, 11),
        weekday=0,
    )
    with pytest.raises(ValidationError) as caught:
        calls.generate_series(db, cohort_id, empty)
    assert caught.value.for_field("Cadence")
    assert calls.list_cohort_calls(db, cohort_id) == []


def test_move_cancel_and_renumber(db: Database) -> None:
    cohort_id = make_cohort(db)
    views = calls.generate_series(db, cohort_id, first_thursdays(count=3)).value
    moved = calls.update_call(
        db, views[0].id, starts_at=views[0].starts_at + timedelta(days=1), minutes=120
    ).value
    assert moved.revision == 1 and moved.minutes == 120
    cancelled = calls.set_cancelled(db, views[1].id, True).value
    assert cancelled.cancelled and cancelled.label == "Cancelled call"
    labels = [v.label for v in calls.list_cohort_calls(db, cohort_id)]
    assert labels == ["Call 1 of 2", "Cancelled call", "Call 2 of 2"]
    with pytest.raises(ValidationError):
        calls.update_call(db, views[0].id, starts_at=views[0].starts_at, minutes=0)


def test_set_local_times_keeps_local_dates(db: Database) -> None:
    cohort_id = make_cohort(db)
    views = calls.generate_series(db, cohort_id, first_thursdays(count=4)).value
    alternating = [(v.id, time(9) if i % 2 == 0 else time(14)) for i, v in enumerate(views)]
    updated = calls.set_local_times(db, cohort_id, alternating).value
    local = [v.starts_at.astimezone(VANCOUVER) for v in updated]
    assert [d.hour for d in local] == [9, 14, 9, 14]
    assert [d.date() for d in local] == [v.starts_at.astimezone(VANCOUVER).date() for v in views]


def test_calendar_range_spans_cohorts(db: Database) -> None:
    first = make_cohort(db)
    second = make_cohort(db, "Pacific/Auckland")
    calls.generate_series(db, first, first_thursdays())
    calls.generate_series(db, second, first_thursdays("Pacific/Auckland"))
    start, end = calls.month_bounds(2026, 11, "America/Vancouver")
    month = calls.list_calls_between(db, start, end)
    assert {v.cohort_id for v in month} == {first, second}
    assert all(start <= v.starts_at < end for v in month)


def test_sample_cohort_is_realistic(db: Database) -> None:
    view = demo.create_sample(db, today=date(2026, 11, 23))
    plan = cohorts.get_plan(db, view.id)
    zones = {p.time_zone for p in plan.participants if p.is_active}
    assert len([p for p in plan.participants if p.is_active]) == 8
    assert {"America/Vancouver", "Europe/London", "Pacific/Auckland"} <= zones
    assert any("ā" in p.name for p in plan.participants)
    assert len(plan.calls) == 7
    now = datetime(2026, 11, 23, tzinfo=UTC)
    past = [c for c in plan.calls if c.starts_at < now]
    assert len(past) == 4
    for call in past:
        assert records.attendance(db, call.id)
        assert len(records.list_notes(db, call.id)) == 4
