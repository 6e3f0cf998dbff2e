"""Handouts gathered from the store: the sample cohort, daylight saving, big cohorts."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime, time

import pytest
from pypdf import PdfReader

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.export.pdf import PaperSize
from sanctuary_desktop.services import calls, cohorts, demo, roster
from sanctuary_desktop.services.handouts import (
    Handout,
    calendar_data,
    handout_pdf,
    protocol_card_data,
    schedule_data,
)
from sanctuary_desktop.store.database import Database

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
ACCEPTED = ("Chloé Nguyễn", "Mere Tūhoe-Walker", "Aroha Ngātai", "Siobhán O'Connell", "Zoë Fraser")
WITHDRAWN = "Hana Sato"


def pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in reader.pages
    ]


def flat(data: bytes) -> str:
    return " ".join(pages(data))


@pytest.fixture
def sample(db: Database) -> int:
    return demo.create_sample(db, today=TODAY).id


def test_protocol_card_shows_the_next_calls_agenda_with_its_presenters(
    db: Database, sample: int
) -> None:
    card = protocol_card_data(db, sample, now=NOW)
    assert card.call == "Call 5 of 7 · Thursday 3 December 2026"
    assert card.total_minutes == 90
    assert {s.presenter for s in card.stages if s.round == 1} == {"Chloé Nguyễn"}
    assert {s.presenter for s in card.stages if s.round == 2} == {"Zoë Fraser"}
    data = handout_pdf(db, sample, Handout.PROTOCOL, now=NOW)
    assert len(pages(data)) == 1
    text = flat(data)
    assert "Round 1 · Presenter: Chloé Nguyễn" in text
    assert "Round 2 · Presenter: Zoë Fraser" in text
    assert "Total 90 min" in text


def test_protocol_card_falls_back_to_the_default_protocol(db: Database, sample: int) -> None:
    after_all = datetime(2027, 6, 1, tzinfo=UTC)
    card = protocol_card_data(db, sample, now=after_all)
    assert card.call == ""
    assert card.protocol == "Peer Input Process (90 minutes)"
    assert {s.round for s in card.stages} == {None, 1, 2}
    assert all(not s.presenter for s in card.stages)
    for paper in PaperSize:
        data = handout_pdf(db, sample, Handout.PROTOCOL, paper=paper, now=after_all)
        assert len(pages(data)) == 1
        assert "Presenter: to be chosen" in flat(data)


def test_protocol_card_skips_a_cancelled_next_call(db: Database, sample: int) -> None:
    plan = cohorts.get_plan(db, sample)
    coming = [c for c in plan.calls if c.starts_at > NOW]
    calls.set_cancelled(db, coming[0].id, True)
    card = protocol_card_data(db, sample, now=NOW)
    assert card.call.startswith("Call 5 of 6 · Thursday 7 January 2027")


def test_calendar_of_the_sample_in_everyones_local_time(db: Database, sample: int) -> None:
    plan = cohorts.get_plan(db, sample)
    calls.set_cancelled(db, plan.calls[-1].id, True)
    data = handout_pdf(db, sample, Handout.CALENDAR, now=NOW)
    text = flat(data)
    assert len(pages(data)) == 1
    for name in ACCEPTED:
        assert name in text
    assert WITHDRAWN not in text
    assert "Thu 09:00" in text  # Vancouver, the home zone
    assert "Fri 06:00" in text  # Auckland in December (NZDT)
    assert "Fri 04:00" in text  # Melbourne or Auckland in winter: before waking hours
    assert "Cancelled" in text and "next day" in text and "night" in text


def dst_cohort(db: Database) -> int:
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Pacific crossing",
            home_tz="America/Vancouver",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 6, 30),
        ),
    ).value
    roster.import_participants(
        db,
        cohort.id,
        [
            ParticipantDraft("Aroha Ngātai", "Pacific/Auckland", status=IntakeStatus.ACCEPTED),
            ParticipantDraft("Chloé Nguyễn", "America/Vancouver", status=IntakeStatus.ACCEPTED),
        ],
    )
    calls.generate_series(
        db,
        cohort.id,
        Cadence(
            kind=CadenceKind.MONTHLY_WEEKDAY,
            first_date=date(2026, 3, 1),
            local_time=time(9, 0),
            zone="America/Vancouver",
            count=3,
            weekday=3,
        ),
    )
    return cohort.id


def test_calendar_follows_daylight_saving_on_both_sides_of_the_pacific(db: Database) -> None:
    """Vancouver springs forward on 8 March, Auckland falls back on 5 April 2026."""
    cohort = dst_cohort(db)
    data = calendar_data(db, cohort)
    assert [p.name for p in data.people] == ["Chloé Nguyễn", "Aroha Ngātai"]  # west to east
    vancouver = [c.times[0] for c in data.calls]
    auckland = [c.times[1] for c in data.calls]
    assert [f"{t.start:%a %d %b %H:%M}" for t in vancouver] == [
        "Thu 05 Mar 09:00",
        "Thu 02 Apr 09:00",
        "Thu 07 May 09:00",
    ]
    assert [f"{t.start:%a %d %b %H:%M}" for t in auckland] == [
        "Fri 06 Mar 06:00",  # NZDT, Vancouver still on PST
        "Fri 03 Apr 05:00",  # both on summer time
        "Fri 08 May 04:00",  # NZST
    ]
    assert [t.day_offset for t in auckland] == [1, 1, 1]
    assert [t.band for t in auckland] == ["edge", "night", "night"]
    text = flat(handout_pdf(db, cohort, Handout.CALENDAR))
    for label in ("Fri 06:00", "Fri 05:00", "Fri 04:00", "Thu 09:00", "early", "night"):
        assert label in text


def test_a_forty_person_calendar_repeats_its_header_on_every_page(db: Database) -> None:
    cohort = dst_cohort(db)
    zones = ("Europe/London", "Asia/Kolkata", "America/Toronto", "Australia/Perth")
    roster.import_participants(
        db,
        cohort,
        [
            ParticipantDraft(
                f"Participant Ōtaki {n:02d}", zones[n % 4], status=IntakeStatus.ACCEPTED
            )
            for n in range(38)
        ],
    )
    texts = pages(handout_pdf(db, cohort, Handout.CALENDAR, paper=PaperSize.LETTER))
    assert len(texts) > 1
    assert all("Home time: Vancouver" in text for text in texts)
    assert "Participant Ōtaki 37" in " ".join(texts)
    roster_texts = pages(handout_pdf(db, cohort, Handout.ROSTER))
    assert len(roster_texts) > 1
    assert all("City / time zone" in text for text in roster_texts)


def test_roster_lists_accepted_people_and_buddy_pairs(db: Database, sample: int) -> None:
    text = flat(handout_pdf(db, sample, Handout.ROSTER, now=NOW))
    for name in ACCEPTED:
        assert name in text
    assert WITHDRAWN not in text
    assert "Awa Ora Catchment Trust" in text and "aroha@awaora.example" in text
    assert "Auckland" in text and "Pacific/Auckland" in text
    assert "After call 1" in text and "After call 3" in text
    assert " & " in text


def test_schedule_lists_presenters_by_round(db: Database, sample: int) -> None:
    data = schedule_data(db, sample, now=NOW)
    assert [c.number for c in data.calls] == [1, 2, 3, 4, 5, 6, 7]
    assert data.calls[4].presenters == ("Chloé Nguyễn", "Zoë Fraser")
    assert data.not_yet == ()  # eight people, four held calls of two rounds
    text = flat(handout_pdf(db, sample, Handout.SCHEDULE, now=NOW))
    assert "Round 1" in text and "Round 2" in text
    assert "Mere Tūhoe-Walker" in text and "Aroha Ngātai" in text
    assert "Thu 3 Dec 2026, 09:00" in text
    assert "Everyone has presented at least once." in text


def test_schedule_early_in_the_cohort_names_who_has_not_presented(
    db: Database, sample: int
) -> None:
    plan = cohorts.get_plan(db, sample)
    second = plan.calls[1].starts_at  # only the first call is held
    data = schedule_data(db, sample, now=second)
    assert len(data.not_yet) == 6
    assert all(person.next_call in (2, 3, 4) for person in data.not_yet)
    text = flat(handout_pdf(db, sample, Handout.SCHEDULE, now=second))
    assert "Not presented yet" in text and "turn planned in call 2" in text


def test_an_unknown_cohort_is_named(db: Database) -> None:
    for kind in Handout:
        with pytest.raises(ValidationError) as caught:
            handout_pdf(db, 999, kind)
        assert caught.value.for_field("Cohort")


def test_the_harvest_is_dispatched_when_it_exists(db: Database, sample: int) -> None:
    pytest.importorskip("sanctuary_desktop.services.harvest")
    data = handout_pdf(db, sample, Handout.HARVEST, facilitator_zone="Europe/London", now=NOW)
    assert data.startswith(b"%PDF")
