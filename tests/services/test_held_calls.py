"""Issue 13: a call is held once its live run is finished, however early."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sanctuary_desktop.domain.timer import Action
from sanctuary_desktop.services import calls, cohorts, live, presenters
from sanctuary_desktop.store.database import Database
from tests.services.test_live import sample_calls


def _finish_early(db: Database, call_id: int, at: datetime) -> None:
    run = live.open_live(db, call_id).value
    timer = run.timer()
    live.append_events(db, run.run_id, timer.command(Action.START, at).events)
    live.append_events(
        db, run.run_id, timer.command(Action.FINISH, at + timedelta(minutes=20)).events
    )
    assert live.open_live(db, call_id).value.finished_at is not None


def test_a_call_finished_early_counts_as_held_before_its_scheduled_time(db: Database) -> None:
    _, coming = sample_calls(db)
    call = calls.get_call(db, coming)
    # Run live and finished a day before its scheduled time (a call brought forward).
    now = call.starts_at - timedelta(days=1)
    assert not call.is_held(now)
    before = next(s for s in cohorts.list_cohorts(db, now=now) if s.id == call.cohort_id)
    assert before.next_call == call.starts_at
    _finish_early(db, coming, now - timedelta(minutes=30))
    call = calls.get_call(db, coming)
    assert call.is_held(now)
    # The next call of the cohort is the one after it.
    summary = next(s for s in cohorts.list_cohorts(db, now=now) if s.id == call.cohort_id)
    assert summary.next_call is not None and summary.next_call > call.starts_at
    # The presenter planner keeps its presenters as held.
    plan = presenters.presenter_plan(db, call.cohort_id, now)
    assert next(c for c in plan.calls if c.call_id == coming).held


def test_a_cancelled_call_is_never_held(db: Database) -> None:
    _, coming = sample_calls(db)
    calls.set_cancelled(db, coming, True)
    assert not calls.get_call(db, coming).is_held(datetime(2100, 1, 1, tzinfo=UTC))


def test_a_run_that_finishes_says_its_calls_changed(db: Database) -> None:
    from sanctuary_desktop.services.views import Topic

    _held, call_id = sample_calls(db)
    run = live.open_live(db, call_id).value
    timer = run.timer()
    at = datetime.now(UTC)
    started = live.append_events(db, run.run_id, timer.command(Action.START, at).events)
    assert started.changed == frozenset({Topic.LIVE}), "a timer key touches no list"
    finished = live.append_events(
        db, run.run_id, timer.command(Action.FINISH, at + timedelta(minutes=5)).events
    )
    assert Topic.CALLS in finished.changed
