"""Session notes as a facilitator reads them: each note once, minutes that add up, the
right tense before a call, nothing planned for a cancelled call, whole dates, tables
that do not strand their last rows, and hours that are nobody's night."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reportlab.platypus import Spacer

from sanctuary_desktop.domain.cohort import WakingHours
from sanctuary_desktop.domain.timeplan import shared_waking_hours
from sanctuary_desktop.export.pdf import DocumentHead, lay_out, table
from sanctuary_desktop.export.session_notes import (
    BuddyGroup,
    NoteKind,
    Person,
    Place,
    StageTiming,
    session_notes_pdf,
)
from sanctuary_desktop.services import cohorts, demo, notes_report
from sanctuary_desktop.store.database import Database
from tests.export.pdf_checks import body_lines, page_texts
from tests.export.test_session_notes import STAGES, START, sample


def whole(data: bytes) -> str:
    return " ".join(page_texts(data))


def test_every_insight_quote_and_action_prints_once() -> None:
    notes = sample()
    text = whole(session_notes_pdf(notes))
    for note in notes.notes:
        assert text.count(note.text) == 1, (note.kind, note.text)
    kinds = {note.kind for note in notes.notes}
    assert {NoteKind.NOTE, NoteKind.INSIGHT, NoteKind.QUOTE, NoteKind.ACTION} <= kinds


def test_a_stage_cut_short_shows_the_minutes_it_ran_and_the_total_adds_up() -> None:
    stages = (
        StageTiming("Check-in round", 10, 10 * 60),
        StageTiming("Round 1: Generative discussion", 12, 4 * 60 + 30, skipped=True),
        StageTiming("Round 1: What resonated", 4, 5, skipped=True),  # left at once
        StageTiming("Closing round", 10, None, skipped=True),  # never reached
    )
    text = whole(session_notes_pdf(sample(stages=stages, notes=())))
    assert "Round 1: Generative discussion 12 4½ (cut short) −7½" in text
    assert "Round 1: What resonated 4 skipped" in text
    assert "Closing round 10 skipped" in text
    # 10 + 4½ + 5 seconds: the total is the sum of what the rows show.
    assert "Total 36 14½ −21½" in text


def upcoming(**changes: object) -> bytes:
    stages = tuple(StageTiming(s.label, s.planned_minutes) for s in STAGES)
    fields: dict[str, object] = {
        "stages": stages,
        "ran_live": False,
        "notes": (),
        "present": (),
        "apologies": ("Zoë Fraser",),
        "attendance_recorded": True,
        "upcoming": True,
        "expected": ("Aroha Ngātai", "Chloé Nguyễn", "Mere Tūhoe-Walker"),
    }
    fields.update(changes)
    return session_notes_pdf(sample(**fields))


def test_before_the_call_the_notes_speak_of_what_is_to_come() -> None:
    text = whole(upcoming(next_call=None))
    assert "Who was there" not in text and "Present (" not in text
    assert "No notes were taken" not in text and "was not run on the live timer" not in text
    assert "This was the cohort's last call" not in text
    assert "Who is expected" in text
    assert "Expected (3): Aroha Ngātai, Chloé Nguyễn and Mere Tūhoe-Walker" in text
    assert "Apologies sent: Zoë Fraser" in text
    assert "Round 2: to be chosen" in text
    assert "Stage Planned Check-in round 10" in text and "Actual" not in text
    assert "This is the cohort's last call." in text


def test_no_session_notes_end_on_a_page_of_a_few_lines(db: Database) -> None:
    """Every call of the sample, held and coming, printed on the day between them."""
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    for call in cohorts.get_plan(db, cohort.id).calls:
        data = notes_report.session_notes_pdf(
            db, call.id, facilitator_zone="America/Vancouver", now=now
        )
        lines = body_lines(data)
        assert len(lines) == 1 or lines[-1] >= 8, (call.label, lines)
        if call.starts_at > now:
            assert "Who is expected" in whole(data), call.label


def test_a_cancelled_call_prints_no_agenda_and_no_presenters() -> None:
    text = whole(session_notes_pdf(sample(cancelled=True, notes=(), ran_live=False)))
    assert "(cancelled)" in text and "This call was cancelled" in text
    assert "Agenda" not in text and "Check-in round" not in text
    assert "Presenters" not in text and "Who was there" not in text
    assert "Peer Input Process" not in text
    assert "Call 5 of 7:" in text  # when the cohort meets next still matters


def test_the_header_keeps_the_whole_date_beside_a_long_cohort_name_and_title() -> None:
    data = session_notes_pdf(
        sample(
            cohort="Women leading on climate and nature across Canada and Aotearoa, 2026 cohort",
            call_label="Call 4 of 7: the watershed, the council and the long view of funding",
        )
    )
    for page in page_texts(data):
        assert "Thu 5 Nov 2026" in page, page[:200]


def test_a_table_never_leaves_two_rows_and_the_total_alone_over_a_break() -> None:
    rows = [["Stage", "Planned"]] + [[f"Stage {n}", str(n)] for n in range(14)] + [["Total", "9"]]
    frame = lay_out(DocumentHead("T", "C"), [Spacer(1, 1)]).data  # warm the fonts
    assert frame
    for push in range(560, 700, 6):  # the table starts lower and lower on the first page
        data = lay_out(DocumentHead("T", "C"), [Spacer(1, push), table(rows, orphans=4)]).data
        pages = page_texts(data)
        counts = [len(re.findall(r"Stage \d+|Total", page)) for page in pages]
        assert all(count == 0 or count >= 4 for count in counts), (push, counts)
        assert sum(counts) == 15


def test_the_agenda_in_session_notes_keeps_rows_with_its_total() -> None:
    stages = tuple(StageTiming(f"Stage {n}", 5) for n in range(14))
    for lines in range(0, 60, 3):
        focus = " ".join(["A longer focus for the cohort, written out in full."] * lines)
        data = session_notes_pdf(sample(stages=stages, ran_live=False, focus=focus, notes=()))
        for page in page_texts(data):
            if "Total 70" in page:
                assert len(re.findall(r"Stage \d+ 5", page)) >= 3, (lines, page[:300])


def test_local_times_mark_a_call_at_two_in_the_morning() -> None:
    # 17:00 UTC is 02:00 in Tokyo.
    notes = sample(places=(Place("Asia/Tokyo", ("Sato Yui",)), *sample().places))
    text = whole(session_notes_pdf(notes))
    assert "Tokyo Fri 6 Nov, 02:00 (night) (Sato Yui)" in text
    assert "Vancouver Thu 5 Nov, 09:00 (Chloé" in text  # a good hour is not marked
    assert "Marked: outside 07:00–22:00 local time." in text


HOURS = re.compile(r"(\w+) (\d\d):(\d\d)–(\d\d):(\d\d)")


def test_buddy_hours_are_inside_both_people_s_waking_hours() -> None:
    pairs = (
        BuddyGroup(
            (Person("Chloé Nguyễn", "America/Vancouver"), Person("Mere", "Australia/Melbourne"))
        ),
        BuddyGroup((Person("Zoë Fraser", "America/Toronto"), Person("Aroha", "Pacific/Auckland"))),
        BuddyGroup((Person("Siobhán", "Europe/London"), Person("Tewodros", "Africa/Addis_Ababa"))),
    )
    text = whole(session_notes_pdf(sample(buddies=pairs)))
    section = text[text.index("Buddy pairs") : text.index("Next call")]
    found = HOURS.findall(section)
    assert len(found) == 6, section
    for city, h1, m1, h2, m2 in found:
        start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
        assert time(7) <= start < end <= time(22), (city, start, end)
    assert "Melbourne 04:00" not in section and "02:00" not in section


def test_shared_waking_hours_are_everyone_s_day() -> None:
    hours = WakingHours(time(7), time(22))
    on = date(2026, 11, 5)
    window = shared_waking_hours(["America/Vancouver", "Australia/Melbourne"], hours, on)
    assert window is not None
    start, end = window
    assert end - start == timedelta(hours=10)
    for zone_name in ("America/Vancouver", "Australia/Melbourne"):
        local_start, local_end = (
            start.astimezone(ZoneInfo(zone_name)),
            end.astimezone(ZoneInfo(zone_name)),
        )
        assert time(7) <= local_start.time() and local_end.time() <= time(22)
    # Three people a third of the world apart share no waking hour.
    assert (
        shared_waking_hours(
            ["America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin"],
            WakingHours(time(9), time(17)),
            on,
        )
        is None
    )
    assert shared_waking_hours([], hours, on) is None
    assert START.tzinfo is not None


def test_a_header_that_fits_is_never_cut() -> None:
    for label in ("Call 4 of 7", "Call 12 of 12", "Cancelled call", "Kick-off"):
        for page in page_texts(session_notes_pdf(sample(call_label=label))):
            assert f"Session notes · {label} · Thu 5 Nov 2026" in page, page[-200:]
