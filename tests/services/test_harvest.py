"""The learning harvest gathered from a cohort's held calls, and read back from its PDF."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import pytest
from pypdf import PdfReader

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.domain.timer import Action, Phase
from sanctuary_desktop.export.pdf import PaperSize
from sanctuary_desktop.services import calls, cohorts, demo, harvest, live, records, roster
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(value: str) -> str:
    """Text as pypdf gives it back, with line breaks inside table cells undone."""
    return " ".join(value.split())


def run_live(db: Database, call_id: int, extra_minutes: dict[int, int]) -> None:
    """Run a call's agenda on the live timer, stage ``i`` running ``extra_minutes[i]`` long."""
    run = live.open_live(db, call_id).value
    timer = run.timer()
    at = run.call.starts_at
    live.append_events(db, run.run_id, timer.command(Action.START, at, 0, run.turn_order()).events)
    for index, item in enumerate(run.items):
        at += timedelta(minutes=item.minutes + extra_minutes.get(index, 0))
        while timer.phase is not Phase.FINISHED and timer.snapshot(at).index == index:
            live.append_events(db, run.run_id, timer.command(Action.NEXT, at).events)


def sample(db: Database) -> tuple[int, list[int]]:
    """The sample cohort and its held calls."""
    cohort = demo.create_sample(db, today=TODAY)
    plan = cohorts.get_plan(db, cohort.id)
    return cohort.id, [c.id for c in plan.calls if c.starts_at < NOW and not c.cancelled]


def test_the_sample_harvest_counts_themes_quotes_actions_and_attendance(db: Database) -> None:
    cohort_id, held = sample(db)
    notes = [n for call in held for n in records.list_notes(db, call)]
    data = harvest.harvest_data(db, cohort_id, now=NOW)

    assert (data.calls_held, data.calls_planned, data.participants) == (4, 7, 8)
    assert data.notes == len(notes) == 16
    tags = Counter(tag for n in notes for tag in n.tags)
    assert [(t.name, t.notes) for t in data.themes] == sorted(
        tags.items(), key=lambda kv: (-kv[1], kv[0])
    )
    assert data.themes[0].name == "burnout" and data.themes[0].calls == 4
    assert len(data.quotes) == sum(n.kind is NoteKind.QUOTE for n in notes)
    assert all(q.owner == "" for q in data.quotes)  # no sample quote names anyone
    assert data.actions and all(a.owner for a in data.actions)
    assert [(c.present, c.expected) for c in data.attendance] == [(7, 8), (8, 8), (7, 8), (8, 8)]
    people = {p.name: (p.attended, p.of_calls) for p in data.people}
    assert "Hana Sato 佐藤花" not in people  # withdrawn: never counted, never printed
    assert people["Zoë Fraser"] == (3, 4) and people["Chloé Nguyễn"] == (4, 4)
    assert data.timings == () and data.long_stages == ()


def test_a_quote_is_attributed_only_when_the_note_names_someone(db: Database) -> None:
    cohort_id, held = sample(db)
    plan = cohorts.get_plan(db, cohort_id)
    aroha = next(p for p in plan.participants if p.name == "Aroha Ngātai")
    records.add_note(
        db, held[0], "“The river remembers.”", kind=NoteKind.QUOTE, stage="Closing round",
        owner_id=aroha.id,
    )  # fmt: skip
    quotes = harvest.harvest_data(db, cohort_id, now=NOW).quotes
    said = next(q for q in quotes if q.text == "“The river remembers.”")
    assert (said.owner, said.call, said.stage) == ("Aroha Ngātai", "Call 1", "Closing round")
    assert sum(1 for q in quotes if q.owner) == 1


def test_the_pdf_reads_back_with_every_section(db: Database) -> None:
    cohort_id, held = sample(db)
    run_live(db, held[1], {4: 4, 1: 2})  # generative discussion 4 minutes over
    run_live(db, held[2], {4: 3})
    pages, content = pdf_text(
        harvest.harvest_pdf(db, cohort_id, now=NOW, facilitator_zone="America/Vancouver")
    )
    words = flat(content)
    assert pages <= 4
    assert demo.SAMPLE_NAME in content
    assert "Maya Okafor, Léa Tremblay" in words
    assert "4 of 7 planned" in words
    for line in ("burnout 5 4 of 4", "time horizons 4 3 of 4"):
        assert line in words
    assert "I don't have to hold the whole watershed on my own shoulders." in words
    assert "Share the draft learning agenda with the board before the next call." in words
    assert "Jordan Whitehorse" in words
    assert "Call 1 of 7 Thu 6 Aug 2026 7 of 8 88%" in words
    assert "Aroha Ngātai 3 of 4 75%" in words
    for name in ("Mere Tūhoe-Walker", "Chloé Nguyễn", "Siobhán O'Connell", "Amélie Côté"):
        assert name in words
    assert "Hana Sato" not in words
    assert "2 of 4 held calls were run with the live timer. 2 ran over" in words
    assert "most often ran long: Generative discussion, 2 of" in words


def test_without_a_live_run_the_timing_section_says_so(db: Database) -> None:
    cohort_id, _ = sample(db)
    _, content = pdf_text(harvest.harvest_pdf(db, cohort_id, now=NOW))
    assert "No call of this cohort was run with the live timer" in flat(content)
    assert "Planned" not in content  # no empty chart or table


def test_held_calls_are_those_started_before_now_and_not_cancelled(db: Database) -> None:
    cohort_id, held = sample(db)
    calls.set_cancelled(db, held[0], True)
    data = harvest.harvest_data(db, cohort_id, now=NOW)
    assert data.calls_held == 3 and data.calls_planned == 6
    assert [c.number for c in data.attendance] == [1, 2, 3]
    assert harvest.harvest_data(db, cohort_id, now=datetime(2026, 1, 1, tzinfo=UTC)).notes == 0


def test_an_unknown_cohort_or_zone_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        harvest.harvest_data(db, 404)
    assert caught.value.for_field("Cohort")
    cohort_id, _ = sample(db)
    with pytest.raises(ValidationError) as caught:
        harvest.harvest_pdf(db, cohort_id, facilitator_zone="Mars/Olympus")
    assert caught.value.for_field("Time zone")


def test_thirty_calls_twelve_people_and_six_hundred_notes_lay_out(db: Database) -> None:
    names = [
        "Aroha Ngātai", "Mere Tūhoe-Walker", "Chloé Nguyễn", "Zoë Fraser", "Amélie Côté",
        "Siobhán O'Connell", "Tewodros Bekele", "Jordan Whitehorse", "Björn Løvås",
        "Ngozi Adébáyọ̀", "Paulo Tāufa", "Inés Muñoz",
    ]  # fmt: skip
    themes = ["funding", "burnout", "time horizons", "relationships", "power", "governance",
              "land back", "data and evidence", "succession", "storytelling"]  # fmt: skip
    kinds = [NoteKind.INSIGHT, NoteKind.QUOTE, NoteKind.ACTION, NoteKind.NOTE]
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Rivers to Sea — leaders' circle 2025",
            home_tz="Pacific/Auckland",
            start_date=date(2025, 1, 6),
            end_date=date(2025, 12, 19),
            facilitators="Maya Okafor",
        ),
    ).value
    people = roster.import_participants(
        db,
        cohort.id,
        [ParticipantDraft(name=n, time_zone="Pacific/Auckland", status=IntakeStatus.ACCEPTED)
         for n in names],
    ).value  # fmt: skip
    series = calls.generate_series(
        db,
        cohort.id,
        Cadence(
            kind=CadenceKind.WEEKLY,
            first_date=date(2025, 1, 8),
            local_time=clock_time(8, 0),
            zone="Pacific/Auckland",
            count=30,
            weekday=2,
        ),
    ).value
    for n, call in enumerate(series):
        records.record_attendance(db, call.id, {p.id for i, p in enumerate(people) if i != n % 13})
        for k in range(20):
            kind = kinds[(n + k) % 4]
            records.add_note(
                db,
                call.id,
                f"Note {n + 1}.{k + 1}: what the land teaches about patience and repair, "
                "said slowly and at some length so that it wraps onto a second line.",
                kind=kind,
                stage="Round 1: Generative discussion",
                owner_id=people[(n + k) % 12].id if kind is NoteKind.ACTION else None,
                tags=[themes[(n + k) % 10], themes[k % 3]],
            )

    data = harvest.harvest_data(db, cohort.id, now=datetime(2026, 1, 10, tzinfo=UTC))
    assert (data.calls_held, data.participants, data.notes) == (30, 12, 600)
    assert len(data.actions) == 150 and len(data.attendance) == 30
    for paper in PaperSize:
        pages, content = pdf_text(
            harvest.harvest_pdf(db, cohort.id, paper=paper, now=datetime(2026, 1, 10, tzinfo=UTC))
        )
        words = flat(content)
        assert 8 <= pages <= 30
        assert f"Page {pages} of {pages}" in words
        assert "Note 1.3:" in words and "Note 30.18:" in words  # first and last action
        assert "Call 30 of 30" in words and "Ngozi Adébáyọ̀" in words
