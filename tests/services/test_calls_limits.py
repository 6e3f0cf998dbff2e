"""What the call forms accept, an archive of the cohort holds and ``check`` passes: starts
and ends in the years the app shows, one-line titles, and no call cancelled mid-run."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.domain.timer import Action
from sanctuary_desktop.services import calls, cohorts, integrity, live
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Call


def make_cohort(db: Database, zone: str = "UTC", minutes: int = 90) -> int:
    return cohorts.create_cohort(
        db,
        CohortDraft(
            name="Edges",
            home_tz=zone,
            start_date=date(1900, 1, 1),
            end_date=date(2199, 12, 31),
            call_minutes=minutes,
        ),
    ).value.id


def call_count(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Call)) or 0


def refused(field: str, action: object, *args: object, **kwargs: object) -> str:
    assert callable(action)
    with pytest.raises(ValidationError) as caught:
        action(*args, **kwargs)
    message = caught.value.for_field(field)
    assert message is not None, caught.value.errors
    return message


LATE = datetime(2200, 1, 1, tzinfo=UTC)
EARLY = datetime(1899, 12, 31, 23, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "starts",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        EARLY,
        LATE,
        datetime(9999, 12, 31, 12, tzinfo=UTC),
        # Aware, in another zone: 2199-12-31 20:00 in Honolulu is 2200 in UTC.
        datetime(2199, 12, 31, 20, tzinfo=ZoneInfo("Pacific/Honolulu")),
    ],
)
def test_a_call_outside_the_years_is_refused_and_nothing_written(
    db: Database, starts: datetime
) -> None:
    cohort = make_cohort(db)
    message = refused("Start", calls.add_call, db, cohort, starts, 60)
    assert message == "must be " + limits.YEARS_TEXT
    assert call_count(db) == 0


def test_a_call_must_end_within_the_years(db: Database) -> None:
    cohort = make_cohort(db)
    starts = limits.LATEST_INSTANT - timedelta(minutes=30)
    message = refused("Start", calls.add_call, db, cohort, starts, 60)
    assert limits.YEARS_TEXT in message
    assert call_count(db) == 0
    # At the very edges, a call that fits is taken.
    calls.add_call(db, cohort, limits.EARLIEST_INSTANT, 60)
    calls.add_call(db, cohort, limits.LATEST_INSTANT - timedelta(minutes=60), 60)
    assert call_count(db) == 2
    assert integrity.check(db).ok


def test_moving_a_call_outside_the_years_is_refused(db: Database) -> None:
    cohort = make_cohort(db)
    view = calls.add_call(db, cohort, datetime(2027, 3, 4, 17, tzinfo=UTC), 90).value
    for starts in (LATE, EARLY, limits.LATEST_INSTANT - timedelta(minutes=10)):
        refused("Start", calls.update_call, db, view.id, starts_at=starts, minutes=90)
    assert calls.get_call(db, view.id).starts_at == view.starts_at


def test_a_series_past_the_years_is_refused_and_nothing_written(db: Database) -> None:
    cohort = make_cohort(db)
    running_over = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2199, 12, 1),
        local_time=time(9),
        zone="UTC",
        count=10,
        weekday=3,
    )
    assert limits.YEARS_TEXT in refused("Repeat", calls.generate_series, db, cohort, running_over)
    too_late = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2200, 1, 1),
        local_time=time(9),
        zone="UTC",
        count=3,
        weekday=3,
    )
    assert limits.YEARS_TEXT in refused("First date", calls.generate_series, db, cohort, too_late)
    assert call_count(db) == 0


def test_a_series_ending_just_inside_the_years_is_taken(db: Database) -> None:
    cohort = make_cohort(db)
    inside = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2199, 12, 1),
        local_time=time(9),
        zone="UTC",
        until=date(2199, 12, 31),
        weekday=3,
    )
    assert len(calls.generate_series(db, cohort, inside).value) == 4
    assert integrity.check(db).ok


def test_new_local_times_may_not_push_a_call_outside_the_years(db: Database) -> None:
    cohort = make_cohort(db, zone="Pacific/Kiritimati")  # UTC+14
    # 2199-12-31 12:00 UTC is 1 January 2200, 02:00 on Kiritimati: 23:30 that day is 2200.
    view = calls.add_call(db, cohort, datetime(2199, 12, 31, 12, tzinfo=UTC), 60).value
    refused("Start", calls.set_local_times, db, cohort, [(view.id, time(23, 30))])
    assert calls.get_call(db, view.id).starts_at == view.starts_at


@pytest.mark.parametrize("title", ["Call\x00one", "Call\x1bone", "Call\x7fone"])
def test_a_title_holds_one_line(db: Database, title: str) -> None:
    cohort = make_cohort(db)
    starts = datetime(2027, 3, 4, 17, tzinfo=UTC)
    assert "one line" in refused("Title", calls.add_call, db, cohort, starts, 60, title=title)
    view = calls.add_call(db, cohort, starts, 60, title="Kick-off").value
    assert "one line" in refused(
        "Title", calls.update_call, db, view.id, starts_at=starts, minutes=60, title=title
    )
    assert calls.get_call(db, view.id).title == "Kick-off"


@pytest.mark.parametrize("title", ["Call\none", "Call \t one", "Call\r\none", "Call\u2028one"])
def test_line_breaks_in_a_title_become_a_space(db: Database, title: str) -> None:
    cohort = make_cohort(db)
    starts = datetime(2027, 3, 4, 17, tzinfo=UTC)
    view = calls.add_call(db, cohort, starts, 60, title=title).value
    assert view.title == "Call one"
    moved = calls.update_call(db, view.id, starts_at=starts, minutes=60, title=title).value
    assert moved.title == "Call one"
    assert integrity.check(db).ok


def test_length_bound_is_the_limits_module(db: Database) -> None:
    cohort = make_cohort(db)
    starts = datetime(2027, 3, 4, 17, tzinfo=UTC)
    refused("Length", calls.add_call, db, cohort, starts, limits.MAX_CALL_MINUTES + 1)
    calls.add_call(db, cohort, starts, limits.MAX_CALL_MINUTES)


# -- cancelling a call under way ----------------------------------------------------------


def started_call(db: Database) -> tuple[int, live.LiveCall]:
    cohort = make_cohort(db)
    starts = datetime(2027, 3, 4, 17, tzinfo=UTC)
    view = calls.add_call(db, cohort, starts, 90).value
    run = live.open_live(db, view.id).value
    tick = run.timer().command(Action.START, starts, values=run.turn_order())
    live.append_events(db, run.run_id, tick.events)
    return view.id, run


def test_a_call_under_way_cannot_be_cancelled(db: Database) -> None:
    call_id, _ = started_call(db)
    message = refused("Call", calls.set_cancelled, db, call_id, True)
    assert "finish the live call first" in message
    view = calls.get_call(db, call_id)
    assert not view.cancelled
    assert [r.call_id for r in live.unfinished_runs(db)] == [call_id]
    assert integrity.check(db).ok


def test_a_call_finished_or_never_started_can_be_cancelled(db: Database) -> None:
    call_id, run = started_call(db)
    timer = live.open_live(db, call_id).value.timer()
    finish = timer.command(Action.FINISH, run.call.starts_at + timedelta(minutes=80))
    live.append_events(db, run.run_id, finish.events)
    assert calls.set_cancelled(db, call_id, True).value.cancelled
    assert calls.set_cancelled(db, call_id, False).value.cancelled is False
    cohort = calls.get_call(db, call_id).cohort_id
    other = calls.add_call(db, cohort, datetime(2027, 4, 1, 17, tzinfo=UTC), 90).value
    live.open_live(db, other.id)  # opened, not started
    assert calls.set_cancelled(db, other.id, True).value.cancelled
    assert integrity.check(db).ok


def test_starting_over_lets_a_call_be_cancelled(db: Database) -> None:
    call_id, _ = started_call(db)
    live.start_over(db, call_id)
    assert calls.set_cancelled(db, call_id, True).value.cancelled
    assert live.unfinished_runs(db) == []
    assert integrity.check(db).ok


def test_a_run_left_open_on_a_cancelled_call_is_not_offered_for_resume(db: Database) -> None:
    """Data from before the refusal (or written around it) still opens at every start."""
    call_id, _ = started_call(db)
    with db.unit_of_work() as session:
        session.execute(update(Call).where(Call.id == call_id).values(cancelled=True))
    assert live.unfinished_runs(db) == []


def test_a_revision_stops_at_the_bound_an_archive_holds(db: Database) -> None:
    cohort = make_cohort(db)
    starts = datetime(2027, 3, 4, 17, tzinfo=UTC)
    view = calls.add_call(db, cohort, starts, 60).value
    with db.unit_of_work() as session:
        session.execute(
            update(Call).where(Call.id == view.id).values(revision=limits.MAX_REVISION - 1)
        )
    for minutes in (61, 62, 63):
        calls.update_call(db, view.id, starts_at=starts, minutes=minutes)
    calls.set_cancelled(db, view.id, True)
    with db.reading() as session:
        assert session.get(Call, view.id).revision == limits.MAX_REVISION  # type: ignore[union-attr]
    assert integrity.check(db).ok
