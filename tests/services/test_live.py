"""Live runs written event by event, rebuilt after a restart; notes taken during a call."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.timer import Action, Phase
from sanctuary_desktop.services import agendas, calls, cohorts, demo, live, records
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.store.database import Database

TODAY = date(2026, 11, 23)


def sample_calls(db: Database) -> tuple[int, int]:
    """(a held call with attendance, the next call to come) of the sample cohort."""
    cohort = demo.create_sample(db, today=TODAY)
    plan = cohorts.get_plan(db, cohort.id)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    held = [c for c in plan.calls if c.starts_at < now and not c.cancelled]
    coming = [c for c in plan.calls if c.starts_at > now and not c.cancelled]
    return held[-1].id, coming[0].id


def test_opening_a_call_makes_a_run_from_its_agenda_and_roster(db: Database) -> None:
    held, coming = sample_calls(db)
    outcome = live.open_live(db, coming)
    run = outcome.value
    assert outcome.changed == frozenset({Topic.LIVE})
    assert run.items == agendas.get_agenda(db, coming).items
    assert not run.started and run.finished_at is None
    assert len(run.people) == 8  # the withdrawn applicant is not in the call
    assert [p.name for p in run.people] == sorted((p.name for p in run.people), key=str.casefold)
    assert run.present == frozenset(p.id for p in run.people)  # nothing recorded yet
    assert live.open_live(db, coming).changed == frozenset()  # opening again writes nothing
    earlier = live.open_live(db, held).value
    assert earlier.attendance_recorded
    assert earlier.present == frozenset(
        pid for pid, here in records.attendance(db, held).items() if here
    )
    assert earlier.turn_order() == tuple(p.id for p in earlier.people if p.id in earlier.present)


def test_written_events_rebuild_the_same_timer(db: Database) -> None:
    _, coming = sample_calls(db)
    run = live.open_live(db, coming).value
    timer = run.timer()
    start = run.call.starts_at + timedelta(minutes=2)
    written = []
    for action, minutes, amount in [
        (Action.START, 0, 0),
        (Action.NEXT, 6, 0),
        (Action.ADJUST, 7, 60),
        (Action.PAUSE, 8, 0),
        (Action.RESUME, 9, 0),
    ]:
        tick = timer.command(action, start + timedelta(minutes=minutes), amount, run.turn_order())
        written.extend(tick.events)
        live.append_events(db, run.run_id, tick.events)
    again = live.open_live(db, coming).value
    assert again.events == tuple(written)
    later = start + timedelta(minutes=30)
    assert again.timer().tick(later).snapshot == timer.tick(later).snapshot
    assert live.unfinished_runs(db)[0].call_id == coming
    assert live.unfinished_runs(db)[0].started_at == start
    assert not live.unfinished_runs(db)[0].paused  # resumed: it has kept running


def test_a_run_left_paused_says_so_and_since_when(db: Database) -> None:
    _, coming = sample_calls(db)
    run = live.open_live(db, coming).value
    timer = run.timer()
    start = run.call.starts_at
    for action, minutes in [(Action.START, 0), (Action.PAUSE, 4), (Action.NEXT, 5)]:
        at = start + timedelta(minutes=minutes)
        live.append_events(db, run.run_id, timer.command(action, at, 0, run.turn_order()).events)
    (summary,) = live.unfinished_runs(db)
    assert summary.paused and summary.paused_at == start + timedelta(minutes=4)
    assert timer.phase is Phase.PAUSED  # moving on while paused stays paused


def test_moving_on_from_the_last_stage_finishes_the_run(db: Database) -> None:
    _, coming = sample_calls(db)
    run = live.open_live(db, coming).value
    timer = run.timer()
    at = run.call.starts_at
    live.append_events(db, run.run_id, timer.command(Action.START, at).events)
    for _ in run.items[:-1]:
        at += timedelta(minutes=1)
        live.append_events(db, run.run_id, timer.command(Action.SKIP, at).events)
    assert live.open_live(db, coming).value.finished_at is None
    live.append_events(db, run.run_id, timer.command(Action.NEXT, at).events)
    assert timer.phase is Phase.FINISHED
    assert live.open_live(db, coming).value.finished_at == at
    assert live.unfinished_runs(db) == []
    records_ = live.stage_records(db, coming, at + timedelta(hours=1))
    assert len(records_) == len(run.items)
    assert sum(r.skipped for r in records_) == len(run.items) - 1


def test_an_unstarted_run_takes_agenda_edits_a_started_one_keeps_its_own(db: Database) -> None:
    _, coming = sample_calls(db)
    run = live.open_live(db, coming).value
    agenda = agendas.get_agenda(db, coming)
    shorter = (replace(agenda.items[0], minutes=1), *agenda.items[1:])
    agendas.save_agenda(db, coming, agenda.protocol_key, shorter)
    assert live.open_live(db, coming).value.items[0].minutes == 1
    timer = run.timer()
    live.append_events(db, run.run_id, timer.command(Action.START, run.call.starts_at).events)
    agendas.save_agenda(db, coming, agenda.protocol_key, agenda.items)
    assert live.open_live(db, coming).value.items[0].minutes == 1
    fresh = live.start_over(db, coming).value
    assert not fresh.started
    assert fresh.items[0].minutes == agenda.items[0].minutes


def test_a_cancelled_call_cannot_be_run(db: Database) -> None:
    _, coming = sample_calls(db)
    calls.set_cancelled(db, coming, True)
    with pytest.raises(ValidationError) as caught:
        live.open_live(db, coming)
    assert caught.value.for_field("Call")


def test_notes_are_edited_and_deleted_and_bad_ones_write_nothing(db: Database) -> None:
    _, coming = sample_calls(db)
    run = live.open_live(db, coming).value
    note = records.add_note(db, coming, "First thought", stage="Check-in round").value
    changed = records.update_note(
        db,
        note.id,
        "Ana will write to the funder",
        kind=NoteKind.ACTION,
        owner_id=run.people[0].id,
        tags=["Funding", " funding ", "next"],
    )
    assert changed.changed == frozenset({Topic.NOTES})
    view = changed.value
    assert (view.kind, view.owner_id, view.tags, view.stage) == (
        NoteKind.ACTION,
        run.people[0].id,
        ("funding", "next"),
        "Check-in round",
    )
    with pytest.raises(ValidationError) as caught:
        records.update_note(db, note.id, "  ", kind=NoteKind.ACTION)
    assert caught.value.for_field("Note") and caught.value.for_field("Owner")
    assert records.list_notes(db, coming)[0].text == "Ana will write to the funder"
    assert records.delete_note(db, note.id).changed == frozenset({Topic.NOTES})
    assert records.list_notes(db, coming) == []
    assert records.delete_note(db, note.id).changed == frozenset()
    with pytest.raises(ValidationError):
        records.update_note(db, note.id, "gone", kind=NoteKind.NOTE)
