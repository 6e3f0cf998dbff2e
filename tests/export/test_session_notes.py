"""Session notes PDF from plain data: read back, laid out inside the page, paper sizes."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from sanctuary_desktop.export.pdf import (
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    MARGIN,
    PaperSize,
)
from sanctuary_desktop.export.session_notes import (
    NOT_RUN,
    OTHER_NOTES,
    BuddyGroup,
    NextCall,
    NoteKind,
    Person,
    Place,
    Presenter,
    SessionNote,
    SessionNotes,
    StageTiming,
    notes_by_stage,
    session_notes_pdf,
    theme_counts,
)

START = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
STAGES = (
    StageTiming("Check-in round", 10, 11 * 60 + 20),
    StageTiming("Round 1: The challenge", 7, 6 * 60),
    StageTiming("Round 1: Generative discussion", 12, None, skipped=True),
    StageTiming("Closing round", 10, None),
)


def sample(**changes: Any) -> SessionNotes:
    notes = SessionNotes(
        cohort="Tending the Commons — peer circle",
        cohort_zone="America/Vancouver",
        call_label="Call 4 of 7",
        starts_at=START,
        minutes=90,
        facilitator_zone="Europe/London",
        facilitators="Maya Okafor, Léa Tremblay",
        focus="Leaders of land, water and climate stewardship",
        protocol="Peer Input Process (90 minutes)",
        places=(
            Place("Pacific/Auckland", ("Aroha Ngātai",)),
            Place("America/Vancouver", ("Chloé Nguyễn", "Zoë Fraser")),
            Place("Australia/Melbourne", ("Mere Tūhoe-Walker",)),
        ),
        present=("Aroha Ngātai", "Chloé Nguyễn", "Mere Tūhoe-Walker"),
        apologies=("Zoë Fraser",),
        presenters=(Presenter(1, "Mere Tūhoe-Walker"), Presenter(2, "")),
        stages=STAGES,
        ran_live=True,
        notes=(
            SessionNote(NoteKind.NOTE, "Energy low after the wildfire season.", "check-in ROUND"),
            SessionNote(
                NoteKind.ACTION,
                "Share the draft learning agenda with the board.",
                "Closing round",
                owner="Aroha Ngātai",
                tags=("governance",),
            ),
            SessionNote(
                NoteKind.QUOTE,
                "Slow is smooth, smooth is fast.",
                "",
                tags=("time horizons",),
                taken_at=START + timedelta(minutes=80),
            ),
            SessionNote(
                NoteKind.INSIGHT,
                "Indigenous-led stewardship is the missing partner.",
                "A stage since removed",
                tags=("power", "governance"),
            ),
        ),
        buddies=(
            BuddyGroup(
                (
                    Person("Chloé Nguyễn", "America/Vancouver"),
                    Person("Aroha Ngātai", "Pacific/Auckland"),
                )
            ),
            BuddyGroup(
                (
                    Person("Zoë Fraser", "America/Vancouver"),
                    Person("Amélie Côté", "America/Vancouver"),
                )
            ),
        ),
        next_call=NextCall("Call 5 of 7", datetime(2026, 12, 3, 17, 0, tzinfo=UTC), 90),
    )
    return SessionNotes(**{**notes.__dict__, **changes})


def pages_text(data: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFC", page.extract_text())
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def squeezed(value: str) -> str:
    """Extracted text without line breaks, for phrases a line may wrap in."""
    return " ".join(value.split())


def test_reads_back_names_notes_actions_and_quotes() -> None:
    texts = pages_text(session_notes_pdf(sample()))
    whole = squeezed(" ".join(texts))
    for expected in (
        "Tending the Commons — peer circle",
        "Session notes · Call 4 of 7",
        "Thursday 5 November 2026, 17:00–18:30 London time",
        "Aroha Ngātai",
        "Chloé Nguyễn",  # Vietnamese: the stacked diacritic survives extraction
        "Mere Tūhoe-Walker",
        "Apologies: Zoë Fraser",
        "Round 1: Mere Tūhoe-Walker",
        "Round 2: no presenter chosen",
        "Energy low after the wildfire season.",
        "“Slow is smooth, smooth is fast.”",
        "Indigenous-led stewardship is the missing partner.",
        # Buddies: the hours both are awake, in each city; one city said once.
        "Chloé Nguyễn and Aroha Ngātai Vancouver 10:00–22:00 and Auckland 07:00–19:00 (next day)",
        "Zoë Fraser and Amélie Côté Vancouver 07:00–22:00",
        "Call 5 of 7: Thursday 3 December 2026, 17:00–18:30 London time",
        "In the cohort's home time: Thursday 3 December 2026, 09:00–10:30 Vancouver time",
    ):
        assert expected in whole, expected
    # The actions table: its header and the action beside its owner.
    assert "Action Owner" in whole
    assert (
        "Share the draft learning agenda with the board. Closing round · #governance Aroha Ngātai"
        in whole
    )
    # Local times, west to east, each zone once with everyone in it.
    local = whole[whole.index("Local times") :]
    assert local.index("Vancouver Thu 5 Nov, 09:00") < local.index("Auckland Fri 6 Nov, 06:00")
    assert "(Chloé Nguyễn, Zoë Fraser)" in local
    assert local.index("Melbourne Fri 6 Nov, 04:00 (night)") < local.index("Auckland")


def test_agenda_shows_planned_and_actual_minutes() -> None:
    whole = squeezed(" ".join(pages_text(session_notes_pdf(sample()))))
    assert "Stage Planned Actual Difference" in whole
    assert "Check-in round 10 11½ +1½" in whole
    assert "Round 1: The challenge 7 6 −1" in whole
    assert "Round 1: Generative discussion 12 skipped" in whole
    assert "Closing round 10 not reached" in whole
    assert "Total 39 17½ −21½" in whole


def test_a_call_not_run_live_shows_a_dash_for_actual_minutes() -> None:
    stages = tuple(StageTiming(s.label, s.planned_minutes) for s in STAGES)
    whole = squeezed(" ".join(pages_text(session_notes_pdf(sample(stages=stages, ran_live=False)))))
    assert f"Check-in round 10 {NOT_RUN}" in whole
    assert f"Total 39 {NOT_RUN}" in whole
    assert "Difference" not in whole  # nothing to compare against
    assert "was not run on the live timer" in whole


def test_notes_follow_the_agenda_and_unknown_stages_come_last() -> None:
    groups = notes_by_stage(STAGES, sample().notes)
    assert [label for label, _ in groups] == [
        "Check-in round",  # matched although typed in another case
        "Closing round",
        "A stage since removed",
        OTHER_NOTES,
    ]
    assert theme_counts(sample().notes) == [("governance", 2), ("power", 1), ("time horizons", 1)]


def test_nothing_recorded_still_prints() -> None:
    bare = sample(
        notes=(),
        buddies=(),
        next_call=None,
        places=(),
        presenters=(),
        present=(),
        apologies=(),
        attendance_recorded=False,
    )
    whole = squeezed(" ".join(pages_text(session_notes_pdf(bare))))
    assert "Attendance was not recorded" in whole
    assert "No notes were taken" in whole
    assert "This was the cohort's last call." in whole
    assert "Actions" not in whole and "Buddy pairs" not in whole


@pytest.mark.parametrize(
    ("paper", "size"), [(PaperSize.A4, (595.28, 841.89)), (PaperSize.LETTER, (612.0, 792.0))]
)
def test_paper_sizes(paper: PaperSize, size: tuple[float, float]) -> None:
    reader = PdfReader(io.BytesIO(session_notes_pdf(sample(), paper)))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            size, abs=0.01
        )


def test_same_notes_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    assert session_notes_pdf(sample()) == session_notes_pdf(sample())


# Layout of a long call -----------------------------------------------------------

_FONTS = {
    "DejaVuSans": FONT,
    "DejaVuSans-Bold": FONT_BOLD,
    "DejaVuSans-Oblique": FONT_ITALIC,
    "DejaVuSans-BoldOblique": FONT_BOLD_ITALIC,
}


def text_boxes(page: Any) -> list[tuple[str, float, float, float]]:
    """(text, left, right, baseline) of every piece of text drawn on the page."""
    boxes: list[tuple[str, float, float, float]] = []

    def visit(value: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not value.strip() or font is None:
            return
        base = str(font["/BaseFont"]).split("+")[-1]
        scale = cm[0]  # reportlab draws unrotated and unscaled pages
        left = tm[4] * scale + cm[4]
        width = pdfmetrics.stringWidth(value.strip(), _FONTS[base], size * tm[0]) * scale
        boxes.append((value, left, left + width, tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return boxes


def long_words(n: int) -> str:
    """About 1,500 characters of prose with unbroken runs a line cannot hold."""
    unbroken = f"https://example.org/{'watershed-restoration-' * 8}{n}"
    words = f"Note {n}: the catchment group met with the council again. " + unbroken + " "
    words += "Anaiwhakaritengaōtewhenua" * 6 + " "
    while len(words) < 1500:
        words += "Funding cycles and generational time keep pulling against each other. "
    return words[:1500]


def test_two_hundred_long_notes_stay_inside_the_page() -> None:
    kinds = list(NoteKind)
    notes = tuple(
        SessionNote(
            kinds[n % len(kinds)],
            long_words(n),
            STAGES[n % 5].label if n % 5 < len(STAGES) else "",
            owner="Mere Tūhoe-Walker" if kinds[n % len(kinds)] is NoteKind.ACTION else "",
            tags=(f"theme {n % 7}",),
            taken_at=START + timedelta(minutes=n % 90),
        )
        for n in range(200)
    )
    data = session_notes_pdf(sample(notes=notes))  # a LayoutError would raise here
    reader = PdfReader(io.BytesIO(data))
    # Each note prints once: plain notes by stage, the others in their own sections.
    assert 40 <= len(reader.pages) <= 250
    width, height = PaperSize.A4.points
    for number, page in enumerate(reader.pages, start=1):
        assert page.extract_text().strip(), f"page {number} is empty"
        boxes = text_boxes(page)
        assert boxes
        for value, left, right, baseline in boxes:
            # Two points of slack: summing glyph widths here drifts from reportlab's own
            # measure by a fraction of a point over a long line; an overflow is far more.
            assert left >= MARGIN - 1 and right <= width - MARGIN + 2, (number, value)
            assert 5 * mm <= baseline <= height - 5 * mm, (number, value)
    whole = " ".join(page.extract_text() for page in reader.pages)
    assert "Note 199:" in whole
    assert "Page 1 of" in whole


def test_a_note_longer_than_a_page_runs_on_over_the_break() -> None:
    huge = "A long reflection on the watershed and the people who tend it. " * 220
    notes = (
        SessionNote(NoteKind.ACTION, huge, "Closing round", owner="Aroha Ngātai"),
        SessionNote(NoteKind.QUOTE, huge, ""),
    )
    texts = pages_text(session_notes_pdf(sample(notes=notes)))  # no LayoutError
    assert len(texts) > 6
    assert all(value.strip() for value in texts)
    # The stage's name is repeated above the part of the note carried over.
    assert sum("Closing round" in value for value in texts) >= 2
