"""Handout PDFs from plain data: read back, one-page protocol cards, tables that split."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from sanctuary_desktop.domain.agenda import build_agenda
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY, Role, builtin
from sanctuary_desktop.domain.zones import zone
from sanctuary_desktop.export.handouts import (
    BuddyCycleLine,
    CalendarCall,
    CalendarData,
    CalendarPerson,
    CardStage,
    LocalTime,
    NotYetPresented,
    ProtocolCard,
    RosterData,
    RosterPerson,
    ScheduleCall,
    ScheduleData,
    calendar_pdf,
    group_names,
    protocol_card_pdf,
    roster_pdf,
    schedule_pdf,
    short_time,
)
from sanctuary_desktop.export.pdf import PaperSize

COHORT = "Tending the Commons — peer circle"
NAMES = ("Chloé Nguyễn", "Mere Tūhoe-Walker", "Aroha Ngātai", "Siobhán O'Connell")
VANCOUVER = zone("America/Vancouver")


def pages(data: bytes) -> list[str]:
    """Each page's text, composed so accents and macrons compare as typed."""
    reader = PdfReader(io.BytesIO(data))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def flat(data: bytes) -> str:
    return " ".join(" ".join(pages(data)).split())


def default_card(
    presenters: tuple[str, str] = ("Aroha Ngātai", "Mere Tūhoe-Walker"),
) -> ProtocolCard:
    items = build_agenda(builtin(DEFAULT_PROTOCOL_KEY))
    roles = [role for role in Role if any(item.cues.get(role) for item in items)]
    return ProtocolCard(
        cohort=COHORT,
        protocol="Peer Input Process (90 minutes)",
        call="Call 5 of 7 · Thursday 3 December 2026",
        roles=tuple(role.label for role in roles),
        stages=tuple(
            CardStage(
                name=item.name,
                minutes=item.minutes,
                cues=tuple((r.label, item.cues[r]) for r in roles if item.cues.get(r)),
                round=item.round,
                presenter=presenters[item.round - 1] if item.round else "",
            )
            for item in items
        ),
    )


@pytest.mark.parametrize("paper", list(PaperSize))
def test_the_default_protocol_card_is_one_page_with_rounds_and_presenters(
    paper: PaperSize,
) -> None:
    card = default_card()
    assert sum(1 for s in card.stages if s.round == 2) > 0  # two presenter rounds
    data = protocol_card_pdf(card, paper)
    assert len(pages(data)) == 1
    text = flat(data)
    assert "Round 1 · Presenter: Aroha Ngātai" in text
    assert "Round 2 · Presenter: Mere Tūhoe-Walker" in text
    for label in ("Presenter", "Peers", "Facilitator", "Timekeeper", "Check-in round"):
        assert label in text
    assert "Total 90 min" in text
    assert card.total_minutes == 90


def test_a_long_protocol_shrinks_onto_one_page_and_keeps_every_stage() -> None:
    cue = "Speak slowly and leave a pause after each point so others can follow along. " * 3
    stages = tuple(
        CardStage(
            name=f"Stage number {n} with a longer name",
            minutes=5 + n,
            cues=tuple((role.label, f"{role.label} cue {n}: {cue}") for role in Role),
        )
        for n in range(1, 13)
    )
    card = ProtocolCard(COHORT, "A long protocol", "", tuple(r.label for r in Role), stages)
    for paper in PaperSize:
        data = protocol_card_pdf(card, paper)
        assert len(pages(data)) == 1
        text = flat(data)
        for n in range(1, 13):
            assert f"Timekeeper cue {n}:" in text  # nothing cut off
        assert f"Total {card.total_minutes} min" in text


def test_an_absurdly_long_protocol_still_fits_one_page() -> None:
    cue = "word " * 300
    stages = tuple(
        CardStage(f"Stage {n}", 3, tuple((r.label, cue) for r in Role)) for n in range(1, 31)
    )
    card = ProtocolCard(COHORT, "Far too long", "", tuple(r.label for r in Role), stages)
    assert len(pages(protocol_card_pdf(card))) == 1


def test_a_card_without_a_chosen_presenter_says_so() -> None:
    text = flat(protocol_card_pdf(default_card(("", ""))))
    assert "Round 1 · Presenter: to be chosen" in text


def calendar(people: int, calls: int, *, cancelled: int | None = None) -> CalendarData:
    zones = ("America/Vancouver", "Europe/London", "Pacific/Auckland")
    persons = tuple(
        CalendarPerson(f"{NAMES[n % len(NAMES)]} {n}", zones[n % 3].split("/")[1])
        for n in range(people)
    )
    rows = []
    for n in range(calls):
        start = datetime(2026, 1, 8, 17, tzinfo=UTC) + timedelta(weeks=n)
        times = []
        for p in range(people):
            local = start.astimezone(zone(zones[p % 3]))
            band = "night" if zones[p % 3] == "Pacific/Auckland" and local.hour < 6 else "good"
            times.append(LocalTime(local, (local.date() - start.date()).days, band))
        rows.append(
            CalendarCall(
                number=0 if n == cancelled else n + 1,
                home_start=start.astimezone(VANCOUVER),
                minutes=90,
                cancelled=n == cancelled,
                times=tuple(times),
            )
        )
    return CalendarData(COHORT, "Vancouver", "07:00–22:00", persons, tuple(rows))


def test_the_calendar_shows_local_times_and_marks_cancelled_and_night_calls() -> None:
    data = calendar_pdf(calendar(4, 7, cancelled=2))
    text = flat(data)
    assert len(pages(data)) == 1
    assert "Aroha Ngātai 2" in text and "Chloé Nguyễn 0" in text
    assert "Thu 09:00" in text  # Vancouver, home time
    assert "Thu 17:00" in text  # London in winter
    assert "Fri 06:00" in text  # Auckland, next day
    assert "next day" in text
    assert "Cancelled" in text


def test_a_calendar_with_forty_people_repeats_its_header_on_every_page() -> None:
    data = calendar_pdf(calendar(40, 8))
    texts = [" ".join(page.split()) for page in pages(data)]
    assert len(texts) > 1
    for text in texts:
        assert "Home time: Vancouver" in text
        assert "Call 8" in text
    assert "Chloé Nguyễn 36" in " ".join(texts)


def test_a_calendar_with_thirty_calls_splits_into_blocks_with_their_own_headers() -> None:
    data = calendar_pdf(calendar(10, 30), PaperSize.LETTER)
    text = flat(data)
    assert text.count("Home time: Vancouver") >= 3
    for n in (1, 15, 30):
        assert f"Call {n} " in text
    assert "Calls from" in text


def test_roster_lists_people_and_buddy_groups_with_trios() -> None:
    data = RosterData(
        cohort=COHORT,
        focus="Land and water stewardship",
        facilitators="Maya Okafor, Léa Tremblay",
        people=tuple(
            RosterPerson(name, f"Org of {name}", "Auckland", "Pacific/Auckland", f"p{n}@x.example")
            for n, name in enumerate(NAMES)
        ),
        cycles=(
            BuddyCycleLine(
                "After call 3",
                datetime(2026, 10, 1, 9, tzinfo=VANCOUVER),
                (("Chloé Nguyễn", "Aroha Ngātai"), ("Mere Tūhoe-Walker", "Siobhán O'Connell")),
            ),
            BuddyCycleLine("After call 4", None, ((NAMES[0], NAMES[1], NAMES[2]),)),
        ),
    )
    text = flat(roster_pdf(data))
    for name in NAMES:
        assert name in text
    assert "p2@x.example" in text and "Pacific/Auckland" in text
    # One pair (or trio) to a line, each after its bullet.
    assert "• Chloé Nguyễn & Aroha Ngātai • Mere Tūhoe-Walker & Siobhán O'Connell" in text
    assert "• Chloé Nguyễn, Mere Tūhoe-Walker & Aroha Ngātai (trio)" in text
    assert "After call 3" in text and "1 Oct 2026" in text


def test_group_names_read_as_pairs_and_trios() -> None:
    assert group_names(["Ana", "Bo"]) == "Ana & Bo"
    assert group_names(["Cy", "Di", "Ed"]) == "Cy, Di & Ed (trio)"


def test_schedule_lists_presenters_by_round_and_who_has_not_presented() -> None:
    start = datetime(2026, 8, 6, 9, tzinfo=VANCOUVER)
    data = ScheduleData(
        cohort=COHORT,
        home_city="Vancouver",
        calls=(
            ScheduleCall(1, start, True, False, ("Chloé Nguyễn", "Aroha Ngātai")),
            ScheduleCall(0, start + timedelta(days=28), False, True, ()),
            ScheduleCall(2, start + timedelta(days=56), False, False, ("Mere Tūhoe-Walker", "")),
        ),
        not_yet=(
            NotYetPresented("Mere Tūhoe-Walker", 2),
            NotYetPresented("Siobhán O'Connell", None),
        ),
    )
    text = flat(schedule_pdf(data))
    assert "Round 1" in text and "Round 2" in text
    assert "Thu 6 Aug 2026, 09:00" in text
    assert "held" in text and "next" in text
    assert "call cancelled" in text
    assert "to be chosen" in text
    assert "Mere Tūhoe-Walker · turn planned in call 2" in text
    assert "Siobhán O'Connell · no turn planned yet" in text


def test_same_data_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    card = default_card()
    assert protocol_card_pdf(card) == protocol_card_pdf(replace(card))


def test_short_time_is_english_weekday_and_24_hour_clock() -> None:
    assert short_time(datetime(2026, 3, 6, 6, 0, tzinfo=UTC)) == "Fri 06:00"
