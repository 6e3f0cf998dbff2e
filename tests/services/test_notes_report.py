"""Session notes gathered from the sample cohort, with a call run on the live timer."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.timer import Action, Phase
from sanctuary_desktop.export.pdf import PaperSize
from sanctuary_desktop.export.session_notes import NOT_RUN, NoteKind
from sanctuary_desktop.services import buddies, cohorts, demo, live, notes_report, records
from sanctuary_desktop.services.records import NoteKind as StoredKind
from sanctuary_desktop.services.views import CallView
from sanctuary_desktop.store.database import Database

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, tzinfo=UTC)
# Seconds each stage runs over (or, negative, under) its planned minutes.
OVERRUN = {1: 150, 2: -60, 3: 30, 4: 120, 9: 90, 12: -45}


def held_call(db: Database) -> tuple[int, CallView]:
    """(the cohort, its most recent held call) of the sample."""
    cohort = demo.create_sample(db, today=TODAY)
    plan = cohorts.get_plan(db, cohort.id)
    held = [c for c in plan.calls if c.starts_at < NOW and not c.cancelled]
    return cohort.id, held[-1]


def run_live(db: Database, call: CallView) -> datetime:
    """Run the call on the live timer to its end, as a facilitator would; returns the end."""
    run = live.open_live(db, call.id).value
    timer = run.timer()
    at = call.starts_at + timedelta(minutes=2)
    live.append_events(db, run.run_id, timer.command(Action.START, at, 0, run.turn_order()).events)
    for index, item in enumerate(run.items):
        at += timedelta(seconds=item.minutes * 60 + OVERRUN.get(index, 0))
        live.append_events(db, run.run_id, timer.tick(at).events)  # a hard stop moves on itself
        while timer.phase is not Phase.FINISHED and timer.index == index:
            # Per-person turns: "next" moves through the turns, then on to the next stage.
            live.append_events(db, run.run_id, timer.command(Action.NEXT, at).events)
    assert timer.phase is Phase.FINISHED
    return at


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(unicodedata.normalize("NFC", page.extract_text()) for page in pages)


def test_the_data_names_only_the_working_roster(db: Database) -> None:
    cohort_id, call = held_call(db)
    notes = notes_report.session_notes_data(
        db, call.id, facilitator_zone="America/Vancouver", now=NOW
    )
    assert notes.cohort == demo.SAMPLE_NAME
    assert notes.call_label == "Call 4 of 7"
    assert notes.starts_at == call.starts_at and notes.starts_at.tzinfo is not None
    everyone = {n for place in notes.places for n in place.names}
    assert len(everyone) == 8 and not any("Hana" in n for n in everyone)  # withdrawn
    assert [p.zone for p in notes.places].count("America/Vancouver") == 1
    assert set(notes.present) | set(notes.apologies) == everyone
    assert not any("Hana" in n for n in (*notes.present, *notes.apologies))
    assert [p.round for p in notes.presenters] == [1, 2]
    assert all(p.name in everyone for p in notes.presenters)
    assert not notes.ran_live and all(s.actual_seconds is None for s in notes.stages)
    assert len(notes.notes) == 4
    cycle = next(c for c in buddies.list_cycles(db, cohort_id) if c.after_call_id == call.id)
    assert len(notes.buddies) == len(cycle.groups)
    assert notes.next_call is not None and notes.next_call.label == "Call 5 of 7"


def test_a_live_run_gives_actual_minutes_per_stage(db: Database) -> None:
    _, call = held_call(db)
    end = run_live(db, call)
    notes = notes_report.session_notes_data(db, call.id, facilitator_zone="UTC", now=end)
    assert notes.ran_live
    planned = [s.planned_minutes * 60 for s in notes.stages]
    actual = [s.actual_seconds for s in notes.stages]
    assert actual[1] == pytest.approx(planned[1] + 150)
    assert actual[2] == pytest.approx(planned[2] - 60)
    assert actual[0] == pytest.approx(planned[0])  # a hard stop ends on time
    text = " ".join(pdf_text(notes_report.session_notes_pdf(db, call.id, now=end)).split())
    assert "Check-in round 10 12½ +2½" in text
    assert "Round 1: The challenge 7 6 −1" in text
    assert NOT_RUN not in text.split("Agenda", 1)[1].split("Notes by stage", 1)[0]


def test_the_pdf_reads_back_people_notes_actions_and_quotes(db: Database) -> None:
    _, call = held_call(db)
    people = {p.name: p.id for p in cohorts.get_plan(db, call.cohort_id).participants}
    records.add_note(
        db,
        call.id,
        "Send Tewodros the seed-library contacts before the next call.",
        kind=StoredKind.ACTION,
        stage="Buddies and next steps",
        owner_id=people["Aroha Ngātai"],
        tags=("seeds",),
    )
    end = run_live(db, call)
    data = notes_report.session_notes_pdf(
        db, call.id, facilitator_zone="America/Vancouver", now=end
    )
    text = " ".join(pdf_text(data).split())
    for expected in (
        demo.SAMPLE_NAME,
        "Session notes · Call 4 of 7",
        "Thursday 5 November 2026, 09:00–10:30 Vancouver time",
        "Mere Tūhoe-Walker",
        "Aroha Ngātai",
        "Chloé Nguyễn",
        "Energy low after the wildfire season",
        "“Slow is smooth, smooth is fast.”",
        "Send Tewodros the seed-library contacts before the next call. Buddies and next steps · ",
        "#seeds Aroha Ngātai",
        "Call 5 of 7: Thursday 3 December 2026, 09:00–10:30 Vancouver time",
    ):
        assert expected in text, expected
    assert "Hana" not in text and "佐藤" not in text
    notes = notes_report.session_notes_data(db, call.id, facilitator_zone="UTC", now=end)
    action = next(n for n in notes.notes if n.kind is NoteKind.ACTION)
    assert action.owner == "Aroha Ngātai"
    # The sample's stage "Round 2: generative discussion" is the agenda's, whatever the case.
    assert "(Round 2: Generative discussion · 09:10 · #power #relationships)" not in text
    assert "missing partner, not the add-on. Round 2: Generative discussion · " in text


def test_next_call_shows_home_time_for_a_facilitator_elsewhere(db: Database) -> None:
    _, call = held_call(db)
    text = " ".join(
        pdf_text(
            notes_report.session_notes_pdf(
                db, call.id, facilitator_zone="Europe/London", paper=PaperSize.LETTER, now=NOW
            )
        ).split()
    )
    assert "Call 5 of 7: Thursday 3 December 2026, 17:00–18:30 London time" in text
    assert "In the cohort's home time: Thursday 3 December 2026, 09:00–10:30 Vancouver time" in text


def test_unknown_call_and_zone_are_refused(db: Database) -> None:
    held_call(db)
    with pytest.raises(ValidationError) as caught:
        notes_report.session_notes_pdf(db, 9999)
    assert caught.value.for_field("Session")
    with pytest.raises(ValidationError) as caught:
        notes_report.session_notes_data(db, 1, facilitator_zone="Mars/Olympus")
    assert caught.value.for_field("Time zone")
