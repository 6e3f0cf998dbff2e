"""Session notes from a call really run on the live timer, with a stage cut short."""

from __future__ import annotations

from datetime import timedelta

from sanctuary_desktop.domain.timer import Action, Phase
from sanctuary_desktop.services import live, notes_report
from sanctuary_desktop.store.database import Database
from tests.export.pdf_checks import page_texts
from tests.services.test_notes_report import held_call


def test_a_stage_left_early_with_skip_shows_the_minutes_it_ran(db: Database) -> None:
    """Shift+Right (skip) on round 1's challenge after 3 minutes of its 7: the notes say
    "3 (cut short)", and the total counts exactly what the rows show."""
    _, call = held_call(db)
    run = live.open_live(db, call.id).value
    timer = run.timer()
    at = call.starts_at
    live.append_events(db, run.run_id, timer.command(Action.START, at, 0, run.turn_order()).events)
    cut = next(i for i, item in enumerate(run.items) if "challenge" in item.label.casefold())
    for index, item in enumerate(run.items):
        ran = 3 * 60 if index == cut else item.minutes * 60
        at += timedelta(seconds=ran)
        live.append_events(db, run.run_id, timer.tick(at).events)
        action = Action.SKIP if index == cut else Action.NEXT
        while timer.phase is not Phase.FINISHED and timer.index == index:
            live.append_events(db, run.run_id, timer.command(action, at).events)
    assert timer.phase is Phase.FINISHED
    notes = notes_report.session_notes_data(db, call.id, facilitator_zone="UTC", now=at)
    stage = notes.stages[cut]
    assert stage.skipped and stage.actual_seconds is not None
    assert round(stage.actual_seconds) == 180
    text = " ".join(page_texts(notes_report.session_notes_pdf(db, call.id, now=at)))
    assert f"{stage.label} 7 3 (cut short) −4" in text
    planned = sum(s.planned_minutes for s in notes.stages)
    assert f"Total {planned} {planned - 4} −4" in text
