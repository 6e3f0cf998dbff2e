"""Handouts as a facilitator hands them out: clock times on the protocol card and a
warning when the agenda outgrows the call, --zone honoured, a roster of twenty that
breaks no word, readable colours, and calendar files whose titles stay current."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.export.handouts import (
    CANCELLED_TEXT,
    NIGHT_FILL,
    OUT_OF_HOURS_FILL,
    BuddyCycleLine,
    RosterData,
    RosterPerson,
    roster_pdf,
)
from sanctuary_desktop.export.ics import calendar_bytes
from sanctuary_desktop.export.pdf import (
    ACCENT,
    ACCENT_LIGHT,
    INK,
    MUTED,
    WARN,
    ZEBRA,
    contrast_ratio,
)
from sanctuary_desktop.services import agendas, calendar_export, calls, cohorts, demo, roster
from sanctuary_desktop.services.handouts import Handout, handout_pdf, protocol_card_data
from sanctuary_desktop.store.database import Database
from tests.export.pdf_checks import page_texts

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def flat(data: bytes) -> str:
    return " ".join(page_texts(data))


def sample(db: Database) -> int:
    return demo.create_sample(db, today=TODAY).id


def next_call(db: Database, cohort_id: int) -> int:
    plan = cohorts.get_plan(db, cohort_id)
    return min((c for c in plan.calls if c.starts_at > NOW), key=lambda c: c.starts_at).id


def test_the_protocol_card_gives_the_clock_time_of_the_call_and_each_stage(db: Database) -> None:
    cohort_id = sample(db)
    card = protocol_card_data(db, cohort_id, now=NOW)
    assert card.starts_at is not None and card.starts_at.strftime("%H:%M") == "09:00"
    starts = [s.starts for s in card.stages]
    assert all(s is not None for s in starts)
    text = flat(handout_pdf(db, cohort_id, Handout.PROTOCOL, now=NOW))
    assert "09:00–10:30 Vancouver time · 90 minutes in all" in text
    # Arrive (5) then check-in (10): the challenge of round 1 starts at 09:15.
    assert "09:00 · 5 min" in text and "09:05 · 10 min" in text
    assert "Round 1 · Presenter: " in text and "from 09:15 · 30 min" in text
    assert "Total 90 min · ends 10:30" in text
    assert "more than the" not in text


def test_four_rounds_are_not_called_ninety_minutes_and_are_warned_of(db: Database) -> None:
    cohort_id = sample(db)
    agendas.apply_protocol(db, next_call(db, cohort_id), DEFAULT_PROTOCOL_KEY, rounds=4)
    text = flat(handout_pdf(db, cohort_id, Handout.PROTOCOL, now=NOW))
    assert "150 minutes in all" in text
    assert "(90 minutes)" not in text  # the title no longer contradicts the total
    assert "This agenda runs 150 minutes, 60 more than the 90-minute call." in text
    assert len(page_texts(handout_pdf(db, cohort_id, Handout.PROTOCOL, now=NOW))) == 1


def test_a_zone_that_is_not_one_is_refused_by_name(db: Database) -> None:
    cohort_id = sample(db)
    with pytest.raises(ValidationError) as caught:
        handout_pdf(db, cohort_id, Handout.CALENDAR, zone="Mars/Olympus", now=NOW)
    assert caught.value.for_field("Time zone")


def test_zone_is_honoured_by_the_calendar_schedule_and_protocol_card(db: Database) -> None:
    cohort_id = sample(db)
    home = {
        kind: flat(handout_pdf(db, cohort_id, kind, now=NOW))
        for kind in (Handout.CALENDAR, Handout.SCHEDULE, Handout.PROTOCOL)
    }
    london = {
        kind: flat(handout_pdf(db, cohort_id, kind, zone="Europe/London", now=NOW)) for kind in home
    }
    for kind in home:
        assert home[kind] != london[kind], kind
    assert "Times are London time." in london[Handout.SCHEDULE]
    assert "Thu 3 Dec 2026, 17:00" in london[Handout.SCHEDULE]
    assert "Time in London" in london[Handout.CALENDAR]
    assert "Thu 17:00" in london[Handout.CALENDAR]
    assert "17:00–18:30 London time" in london[Handout.PROTOCOL]
    assert "17:00 · 5 min" in london[Handout.PROTOCOL]
    # Without a zone the cohort's home time, as before, whatever the facilitator's zone.
    assert home[Handout.CALENDAR] == flat(
        handout_pdf(db, cohort_id, Handout.CALENDAR, facilitator_zone="Asia/Tokyo", now=NOW)
    )
    assert "Times are Vancouver time." in home[Handout.SCHEDULE]
    assert "Home time: Vancouver" in home[Handout.CALENDAR]


NAMES = (
    "Lakshmi Raghunathan-Subramaniam",
    "Siobhán O'Connell-Fitzgerald",
    "Oluwaseun Adebayo-Okonkwo",
    "Bartholomew Featherstonehaugh",
    "Maximilian von Hohenzollern",
)
ZONES = ("America/Argentina/ComodRivadavia", "America/Indiana/Petersburg", "Europe/London")


def twenty() -> RosterData:
    people = []
    for n in range(20):
        name = f"{NAMES[n % len(NAMES)]} {n}"
        zone = ZONES[n % len(ZONES)]
        email = name.lower().replace(" ", ".").replace("'", "")
        people.append(
            RosterPerson(
                name,
                "Centre for Regenerative Watershed Stewardship",
                zone.rsplit("/", 1)[-1],
                zone,
                f"{email}@watershed-stewardship-collective.example.org",
            )
        )
    names = [p.name for p in people]
    cycles = tuple(
        BuddyCycleLine(
            f"After call {k}",
            datetime(2026, k, 5, 17, tzinfo=UTC),
            tuple((names[(2 * i + k) % 20], names[(2 * i + 1 + 3 * k) % 20]) for i in range(10)),
        )
        for k in range(1, 4)
    )
    return RosterData("Cohort", "", "", tuple(people), cycles)


def roster_lines(data: bytes) -> list[str]:
    from io import BytesIO

    from pypdf import PdfReader

    return [
        line.strip()
        for page in PdfReader(BytesIO(data)).pages
        for line in page.extract_text().splitlines()
    ]


def test_a_roster_of_twenty_breaks_no_word_mid_letter() -> None:
    """Where a line ends inside a word, its last piece and the next line's first piece
    make that word: "Raghunathan-S" / "ubramaniam". Breaks at spaces, hyphens, dots,
    slashes and before "@" leave no such pieces."""
    data = twenty()
    lines = [line for line in roster_lines(roster_pdf(data)) if line]
    words: set[str] = set()
    for person in data.people:
        for value in (person.name, person.email, person.time_zone, person.organisation):
            words.update(w for w in re.split(r"[ \-/@._]", value) if w.isalpha())
    assert any("Raghunathan-" in line for line in lines)
    for upper, lower in itertools.pairwise(lines):
        tail = re.split(r"[ \-/@._·&•]", upper)[-1]
        head = re.split(r"[ \-/@._·&•]", lower)[0]
        if tail and head:
            assert tail + head not in words, (upper, lower)


def test_buddy_pairs_are_one_to_a_line() -> None:
    data = twenty()
    lines = roster_lines(roster_pdf(data))
    pairs_part = lines[
        next(i for i, line in enumerate(lines) if line.startswith("Between calls")) :
    ]
    assert all(line.count("&") <= 1 for line in pairs_part)
    flowing = " ".join(pairs_part)
    for cycle in data.cycles:
        for group in cycle.groups:
            assert f"• {group[0]} & {group[1]}" in flowing, group


def test_text_colours_reach_four_and_a_half_to_one_on_their_fills() -> None:
    from reportlab.lib import colors

    plain = [colors.white, ZEBRA, ACCENT_LIGHT]
    # Every ink on the page and table backgrounds; the calendar's shaded cells hold
    # their time in amber and the note under it in ink.
    pairs = [(ink, fill) for ink in (INK, MUTED, WARN, ACCENT) for fill in plain]
    pairs += [(colors.HexColor(CANCELLED_TEXT), fill) for fill in plain]
    pairs += [
        (ink, colors.HexColor(fill))
        for ink in (INK, WARN)
        for fill in (NIGHT_FILL, OUT_OF_HOURS_FILL)
    ]
    for ink, fill in pairs:
        ratio = contrast_ratio(ink, fill)
        assert ratio >= 4.5, (ink.hexval(), fill.hexval(), round(ratio, 2))
    # The calendar's amber on night shading, as reported: 3.64:1 before.
    assert contrast_ratio(WARN, colors.HexColor(NIGHT_FILL)) >= 4.5


def calendar_of(db: Database, cohort_id: int, call_id: int | None = None) -> bytes:
    return calendar_bytes(calendar_export.cohort_events(db, cohort_id, call_id), calendar_name="x")


def summaries(data: bytes) -> dict[str, tuple[str, int]]:
    events = Calendar.from_ical(data).walk("VEVENT")
    return {str(e["UID"]): (str(e["SUMMARY"]), int(e["SEQUENCE"])) for e in events}


def test_cancelling_one_call_raises_the_sequence_of_every_renumbered_event(
    db: Database,
) -> None:
    cohort_id = sample(db)
    before = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    plan = cohorts.get_plan(db, cohort_id)
    calls.set_cancelled(db, plan.calls[2].id, True)
    after = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    changed = [uid for uid in before if before[uid][0] != after[uid][0]]
    assert len(changed) >= 5  # "Call 7 of 7" became "Call 6 of 6", and so on
    for uid in changed:
        assert after[uid][1] > before[uid][1], (before[uid], after[uid])
    # One call exported alone carries the same SEQUENCE as in the whole calendar.
    last = plan.calls[-1]
    alone = summaries(calendar_of(db, cohort_id, last.id))
    assert alone[f"{last.uid}@sanctuary-desktop"] == after[f"{last.uid}@sanctuary-desktop"]


def test_a_roster_handout_from_the_store_prints(db: Database) -> None:
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Twenty",
            home_tz="America/Vancouver",
            start_date=TODAY,
            end_date=TODAY + timedelta(days=200),
        ),
    ).value
    roster.import_participants(
        db,
        cohort.id,
        [
            ParticipantDraft(
                name=person.name,
                email=person.email,
                organisation=person.organisation,
                time_zone=person.time_zone,
                status=IntakeStatus.ACCEPTED,
            )
            for person in twenty().people
        ],
    )
    text = flat(handout_pdf(db, cohort.id, Handout.ROSTER, now=NOW))
    assert "Participants (20)" in text


def test_the_protocol_card_header_names_the_call_and_its_date_whole(db: Database) -> None:
    cohort_id = sample(db)
    text = flat(handout_pdf(db, cohort_id, Handout.PROTOCOL, now=NOW))
    assert "Protocol card · Call 5 of 7 · 3 Dec 2026" in text


@pytest.mark.parametrize("change", ["cancel", "delete", "add", "uncancel"])
def test_every_renumbering_raises_the_sequence_at_once(db: Database, change: str) -> None:
    """Within the same second too: the SEQUENCE is a count, not a clock."""
    cohort_id = sample(db)
    plan = cohorts.get_plan(db, cohort_id)
    if change == "uncancel":
        calls.set_cancelled(db, plan.calls[2].id, True)
    before = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    target = plan.calls[2]
    if change == "cancel":
        calls.set_cancelled(db, target.id, True)
    elif change == "uncancel":
        calls.set_cancelled(db, target.id, False)
    elif change == "delete":
        calls.delete_call(db, target.id)
    else:
        calls.add_call(db, cohort_id, plan.calls[0].starts_at + timedelta(days=3), 90)
    after = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    changed = [uid for uid in before if uid in after and before[uid][0] != after[uid][0]]
    assert changed
    for uid in changed:
        assert after[uid][1] > before[uid][1], (change, before[uid], after[uid])
    unchanged = [uid for uid in before if uid in after and before[uid][0] == after[uid][0]]
    for uid in unchanged:
        assert after[uid][1] == before[uid][1], "a call whose title stayed keeps its SEQUENCE"


def test_renaming_the_cohort_raises_every_sequence(db: Database) -> None:
    cohort_id = sample(db)
    before = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    cohort = cohorts.get_cohort(db, cohort_id)
    cohorts.update_cohort(db, cohort_id, replace(cohort.draft(), name="Renamed circle"))
    after = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    assert all(after[uid][0].startswith("Renamed circle") for uid in after)
    assert all(after[uid][1] > before[uid][1] for uid in before)
    untouched = summaries(
        calendar_bytes(calendar_export.cohort_events(db, cohort_id), calendar_name="x")
    )
    assert untouched == after, "exporting again changes nothing"
