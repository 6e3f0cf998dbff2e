"""The video-call link in the printed documents: the protocol card, the calendar handout
and the session notes show the link a call is joined by, as a link a reader can click
(a PDF link annotation opening the whole address, even when a long one wraps)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.services import calls, cohorts, roster
from sanctuary_desktop.services.handouts import Handout, handout_pdf
from sanctuary_desktop.services.notes_report import session_notes_pdf
from sanctuary_desktop.store.database import Database

ZOOM = "https://us02web.zoom.us/j/81234567890?pwd=QWxhZ2FyY2hpYmFsZA"
TEAMS = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ2YzUxZDktYTQ4Ny00%40thread.v2"
    "/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af%22%2c%22Oid%22%3a%22a1b2c3%22%7d"
)
NOW = datetime(2027, 2, 1, tzinfo=UTC)
FIRST = datetime(2027, 3, 4, 18, 0, tzinfo=UTC)


def text_of(data: bytes) -> str:
    """Every page's text with the line breaks a wrapped address gets taken out."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s*\n\s*", "", "".join(page.extract_text() for page in reader.pages))


def links_of(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            obj = annotation.get_object()
            if obj.get("/Subtype") == "/Link" and "/A" in obj:
                found.add(str(obj["/A"]["/URI"]))
    return found


def a_cohort(db: Database, link: str = ZOOM) -> tuple[int, int, int]:
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Kōwhai circle",
            home_tz="Pacific/Auckland",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 7, 1),
            video_link=link,
        ),
    ).value
    roster.add_participant(
        db,
        cohort.id,
        ParticipantDraft(name="Aroha", time_zone="Pacific/Auckland", status=IntakeStatus.ACCEPTED),
    )
    first = calls.add_call(db, cohort.id, FIRST, 90).value
    second = calls.add_call(db, cohort.id, FIRST + timedelta(days=28), 90, video_link=TEAMS).value
    return cohort.id, first.id, second.id


def test_the_protocol_card_gives_the_next_calls_link(db: Database) -> None:
    cohort_id, _, _ = a_cohort(db)
    card = handout_pdf(db, cohort_id, Handout.PROTOCOL, now=NOW)
    assert f"Join the call:{ZOOM}" in text_of(card).replace(": ", ":")
    assert links_of(card) == {ZOOM}
    # Once the first call is over, the card is the second's: its own (long) link.
    later = handout_pdf(db, cohort_id, Handout.PROTOCOL, now=FIRST + timedelta(days=2))
    assert TEAMS in text_of(later)
    assert links_of(later) == {TEAMS}


def test_the_calendar_gives_the_cohorts_link_and_each_call_with_its_own(db: Database) -> None:
    cohort_id, _, _ = a_cohort(db)
    pdf = handout_pdf(db, cohort_id, Handout.CALENDAR, now=NOW)
    flat = text_of(pdf)
    assert f"Join every call: {ZOOM}".replace(" ", "") in flat.replace(" ", "")
    assert "Callswithalinkoftheirown" in flat.replace(" ", "")
    assert TEAMS in flat
    assert links_of(pdf) == {ZOOM, TEAMS}


def test_without_links_the_documents_say_nothing_of_them(db: Database) -> None:
    cohort_id, first, second = a_cohort(db, link="")
    view = calls.get_call(db, second)
    calls.update_call(db, second, starts_at=view.starts_at, minutes=90, video_link="")
    for pdf in (
        handout_pdf(db, cohort_id, Handout.CALENDAR, now=NOW),
        handout_pdf(db, cohort_id, Handout.PROTOCOL, now=NOW),
        session_notes_pdf(db, first, now=NOW),
    ):
        assert "Join" not in text_of(pdf) and "Video link" not in text_of(pdf)
        assert links_of(pdf) == set()


def test_the_session_notes_give_the_calls_link_and_the_next_ones(db: Database) -> None:
    _, first, second = a_cohort(db)
    before = session_notes_pdf(db, first, now=NOW)
    flat = text_of(before).replace(" ", "")
    assert f"Jointhecall:{ZOOM}" in flat
    assert f"Joinit:{TEAMS}" in flat  # the next call, joined by its own link
    assert links_of(before) == {ZOOM, TEAMS}
    after = session_notes_pdf(db, second, now=FIRST + timedelta(days=40))
    assert f"Videolink:{TEAMS}" in text_of(after).replace(" ", "")
    assert links_of(after) == {TEAMS}


def test_a_cancelled_call_prints_no_link(db: Database) -> None:
    _, first, _ = a_cohort(db)
    calls.set_cancelled(db, first, True)
    pdf = session_notes_pdf(db, first, now=NOW)
    assert ZOOM not in text_of(pdf)
