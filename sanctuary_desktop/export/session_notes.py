"""Session notes: what a facilitator shares back with the cohort after a call.

The renderer takes plain values only (names, zone names, aware UTC instants) and
works every local time out itself, so the same data prints the same way anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.export.pdf import (
    ACCENT,
    ACCENT_LIGHT,
    FONT_BOLD,
    MUTED,
    WARN,
    DocumentHead,
    Grid,
    PaperSize,
    Styles,
    frame_width,
    render,
    styles,
    table,
    text,
)

_MUTED_HEX = "#" + MUTED.hexval()[2:]
NOT_RUN = "—"  # an actual time for a call that was not run on the live timer
OTHER_NOTES = "Other notes"  # the heading for notes taken outside any stage


class NoteKind(StrEnum):
    NOTE = "note"
    INSIGHT = "insight"
    QUOTE = "quote"
    ACTION = "action"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Place:
    """Everyone on the roster who lives in one time zone."""

    zone: str  # IANA name
    names: tuple[str, ...]


@dataclass(frozen=True)
class Presenter:
    round: int
    name: str  # "" when nobody was chosen for the round


@dataclass(frozen=True)
class StageTiming:
    label: str  # "Round 1: The challenge"
    planned_minutes: int
    actual_seconds: float | None = None  # None: not run live, or never reached
    skipped: bool = False


@dataclass(frozen=True)
class SessionNote:
    kind: NoteKind
    text: str
    stage: str  # as taken; matched to the agenda without regard to case
    owner: str = ""  # an action's owner
    tags: tuple[str, ...] = ()
    taken_at: datetime | None = None


@dataclass(frozen=True)
class Person:
    name: str
    zone: str  # IANA name


@dataclass(frozen=True)
class BuddyGroup:
    members: tuple[Person, ...]


@dataclass(frozen=True)
class NextCall:
    label: str
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class SessionNotes:
    cohort: str
    cohort_zone: str
    call_label: str  # "Call 4 of 7"
    starts_at: datetime
    minutes: int
    facilitator_zone: str
    facilitators: str = ""
    focus: str = ""
    protocol: str = ""
    places: tuple[Place, ...] = ()
    present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    attendance_recorded: bool = True
    presenters: tuple[Presenter, ...] = ()
    stages: tuple[StageTiming, ...] = ()
    ran_live: bool = False
    notes: tuple[SessionNote, ...] = ()
    buddies: tuple[BuddyGroup, ...] = ()
    next_call: NextCall | None = None
    cancelled: bool = False


# Formatting ------------------------------------------------------------------------


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def _short_day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def _zone_label(name: str) -> str:
    return "UTC" if name == "UTC" else f"{city_of(name)} time"


def _span(start: datetime, minutes: int, zone_name: str) -> str:
    """ "Thursday 5 November 2026, 09:00–10:30 Vancouver time" """
    local = start.astimezone(zone(zone_name))
    end = (start + timedelta(minutes=minutes)).astimezone(zone(zone_name))
    return f"{_day(local)}, {local:%H:%M}–{end:%H:%M} {_zone_label(zone_name)}"


def _minutes(seconds: float) -> str:
    """Whole minutes with a half where it matters: 7, 7½ (rounded to the half minute)."""
    halves = round(seconds / 30)
    whole, half = divmod(abs(halves), 2)
    sign = "−" if halves < 0 else ""
    if whole == 0 and half:
        return f"{sign}½"
    return f"{sign}{whole}{'½' if half else ''}"


def _difference(seconds: float) -> str:
    if round(seconds / 30) == 0:
        return "on time"
    shown = _minutes(seconds)
    return shown if shown.startswith("−") else f"+{shown}"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _quoted(value: str) -> str:
    """Quote marks round a quote, unless the note taker already typed them."""
    stripped = value.strip()
    if stripped[:1] in "“\"'‘«„":
        return stripped
    return f"“{stripped}”"


# Grouping --------------------------------------------------------------------------


def notes_by_stage(
    stages: Sequence[StageTiming], notes: Sequence[SessionNote]
) -> list[tuple[str, list[SessionNote]]]:
    """Notes under their stage in agenda order; stages the agenda does not know follow,
    in the order first noted, and notes taken outside any stage come last."""
    labels = {stage.label.casefold(): stage.label for stage in stages}
    groups: dict[str, list[SessionNote]] = {stage.label: [] for stage in stages}
    unknown: dict[str, list[SessionNote]] = {}
    loose: list[SessionNote] = []
    for note in notes:
        key = note.stage.strip()
        if not key:
            loose.append(note)
        elif key.casefold() in labels:
            groups[labels[key.casefold()]].append(note)
        else:
            unknown.setdefault(key, []).append(note)
    ordered = [(label, found) for label, found in groups.items() if found]
    ordered += list(unknown.items())
    if loose:
        ordered.append((OTHER_NOTES, loose))
    return ordered


def theme_counts(notes: Sequence[SessionNote]) -> list[tuple[str, int]]:
    counts = Counter(tag for note in notes for tag in note.tags)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# Layout ----------------------------------------------------------------------------


class _Page:
    """The styles and widths one document is laid out with."""

    def __init__(self, paper: PaperSize) -> None:
        self.st: Styles = styles()
        self.width = frame_width(paper)
        self.label = ParagraphStyle("label", parent=self.st.small, textColor=MUTED)
        self.kind = ParagraphStyle("kind", parent=self.st.small, fontName=FONT_BOLD)
        self.tag = ParagraphStyle("tag", parent=self.st.small, textColor=ACCENT)
        self.stage = ParagraphStyle("stage", parent=self.st.cell_bold, fontSize=10, leading=13)
        self.bullet = ParagraphStyle(
            "bullet", parent=self.st.body, leftIndent=10, firstLineIndent=-8, spaceAfter=4
        )

    def heading(self, title: str) -> list[Flowable]:
        # A section's title never ends a page alone: it moves on with what follows.
        return [CondPageBreak(90), Paragraph(text(title), self.st.heading)]


def _splitting(grid: Table) -> Table:
    """Let one row run over a page break: a note longer than a page would otherwise
    stop the whole document with a LayoutError."""
    grid.splitInRow = 1
    return grid


def _title(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    story: list[Flowable] = [
        Paragraph(text(f"Session notes · {notes.call_label}"), st.title),
        Paragraph(text(notes.cohort), st.subheading),
    ]
    if notes.focus:
        story.append(Paragraph(text(notes.focus), st.muted))
    when = _span(notes.starts_at, notes.minutes, notes.facilitator_zone)
    if notes.cancelled:
        when += " (cancelled)"
    story.append(Paragraph(f"<b>{text(when)}</b>", st.body))
    details = []
    if notes.protocol:
        details.append(notes.protocol)
    if notes.facilitators:
        details.append(f"facilitated by {notes.facilitators}")
    if details:
        story.append(Paragraph(text(" · ".join(details)), st.muted))
    if notes.places:
        story.append(Spacer(1, 2))
        story.append(_local_times(notes, page))
    return story


def _local_times(notes: SessionNotes, page: _Page) -> Flowable:
    """One entry per zone, west to east: where the call fell in each person's day."""

    def offset(place: Place) -> timedelta:
        return notes.starts_at.astimezone(zone(place.zone)).utcoffset() or timedelta(0)

    entries = []
    for place in sorted(notes.places, key=lambda p: (offset(p), city_of(p.zone))):
        local = notes.starts_at.astimezone(zone(place.zone))
        entries.append(
            f"<b>{text(city_of(place.zone))}</b> {text(_short_day(local))}, "
            f"{local:%H:%M} <font color='{_MUTED_HEX}'>"
            f"({text(', '.join(place.names))})</font>"
        )
    box = Grid(
        [
            [
                Paragraph("<b>Local times</b>", page.label),
                Paragraph(" · ".join(entries), page.st.small),
            ]
        ],
        colWidths=[22 * mm, page.width - 22 * mm],
        hAlign="LEFT",
    )
    box.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )
    return box


def _people(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    story: list[Flowable] = [*page.heading("Who was there")]
    if not notes.attendance_recorded:
        story.append(Paragraph("Attendance was not recorded for this call.", st.muted))
    else:
        present = _names(notes.present) or "nobody recorded as present"
        story.append(Paragraph(f"<b>Present ({len(notes.present)}):</b> {text(present)}", st.body))
        apologies = _names(notes.apologies) or "none"
        story.append(Paragraph(f"<b>Apologies:</b> {text(apologies)}", st.body))
    if notes.presenters:
        rounds = [
            f"<b>Round {p.round}:</b> {text(p.name) if p.name else '<i>no presenter chosen</i>'}"
            for p in notes.presenters
        ]
        story.append(Paragraph("<b>Presenters</b> · " + " · ".join(rounds), st.body))
    return story


def _agenda(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    if not notes.stages:
        return []
    rows: list[list[Any]] = [["Stage", "Planned", "Actual", "Difference"]]
    late: list[tuple[Any, ...]] = []
    for number, stage in enumerate(notes.stages, start=1):
        planned = stage.planned_minutes * 60.0
        if not notes.ran_live:
            actual, difference = NOT_RUN, ""
        elif stage.skipped:
            actual, difference = "skipped", ""
        elif stage.actual_seconds is None:
            actual, difference = "not reached", ""
        else:
            actual = _minutes(stage.actual_seconds)
            difference = _difference(stage.actual_seconds - planned)
            if stage.actual_seconds - planned >= 60:
                late.append(("TEXTCOLOR", (3, number), (3, number), WARN))
        rows.append(
            [Paragraph(text(stage.label), st.cell), str(stage.planned_minutes), actual, difference]
        )
    total_planned = sum(s.planned_minutes for s in notes.stages)
    ran = [s.actual_seconds for s in notes.stages if s.actual_seconds is not None]
    total_actual = _minutes(sum(ran)) if notes.ran_live and ran else NOT_RUN
    total_difference = (
        _difference(sum(ran) - total_planned * 60.0) if notes.ran_live and ran else ""
    )
    rows.append(
        [Paragraph("<b>Total</b>", st.cell), str(total_planned), total_actual, total_difference]
    )
    # Wide enough for "not reached" and "Difference" at 9 pt with the cell padding.
    widths = [page.width - 72 * mm, 20 * mm, 26 * mm, 26 * mm]
    if not notes.ran_live:  # nothing to compare: no empty "Difference" column
        rows = [row[:3] for row in rows]
        widths = [page.width - 46 * mm, 20 * mm, 26 * mm]
    grid = table(
        rows,
        widths,
        extra=[
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("FONTNAME", (1, -1), (-1, -1), FONT_BOLD),
            ("LINEABOVE", (0, -1), (-1, -1), 0.75, ACCENT),
            *late,
        ],
    )
    caption = (
        "Minutes per stage: planned, and as run on the live timer (pauses not counted)."
        if notes.ran_live
        else f"Minutes per stage. Actual times show {NOT_RUN} because this call "
        "was not run on the live timer."
    )
    return [*page.heading("Agenda"), Paragraph(text(caption), st.muted), grid]


def _stage_notes(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    groups = notes_by_stage(notes.stages, notes.notes)
    story: list[Flowable] = [*page.heading("Notes by stage")]
    if not groups:
        story.append(Paragraph("No notes were taken during this call.", st.muted))
        return story
    kind_width = 24 * mm
    for label, found in groups:
        rows: list[list[Any]] = []
        for note in found:
            when = note.taken_at.astimezone(zone(notes.facilitator_zone)) if note.taken_at else None
            side = [Paragraph(text(note.kind.label), page.kind)]
            if when is not None:
                side.append(Paragraph(f"{when:%H:%M}", page.label))
            body = _quoted(note.text) if note.kind is NoteKind.QUOTE else note.text
            words = [Paragraph(text(body), st.cell)]
            extra = []
            if note.owner:
                extra.append(f"Owner: {text(note.owner)}")
            if note.tags:
                extra.append(" ".join(f"#{text(tag)}" for tag in note.tags))
            if extra:
                words.append(Paragraph(" · ".join(extra), page.tag))
            rows.append([side, words])
        # The stage's name is the table's header row: it stays with a note when the
        # page turns and is repeated above the notes carried over.
        title = Paragraph(text(label), page.stage)
        grid = table(
            [[title, ""], *rows],
            [kind_width, page.width - kind_width],
            zebra=False,
            extra=[("SPAN", (0, 0), (-1, 0))],
        )
        story += [CondPageBreak(60), Spacer(1, 6), _splitting(grid)]
    return story


def _insights(notes: SessionNotes, page: _Page) -> list[Flowable]:
    found = [n for n in notes.notes if n.kind is NoteKind.INSIGHT]
    if not found:
        return []
    story: list[Flowable] = [*page.heading("Insights")]
    story += [Paragraph("• " + text(n.text), page.bullet) for n in found]
    return story


def _quotes(notes: SessionNotes, page: _Page) -> list[Flowable]:
    found = [n for n in notes.notes if n.kind is NoteKind.QUOTE]
    if not found:
        return []
    story: list[Flowable] = [*page.heading("Quotes")]
    for note in found:
        box = Grid(
            [[Paragraph(text(_quoted(note.text)), page.st.quote)]],
            colWidths=[page.width],
            hAlign="LEFT",
        )
        box.setStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        story += [_splitting(box), Spacer(1, 5)]
    return story


def _actions(notes: SessionNotes, page: _Page) -> list[Flowable]:
    found = [n for n in notes.notes if n.kind is NoteKind.ACTION]
    if not found:
        return []
    st = page.st
    owner_width = 48 * mm
    rows: list[list[Any]] = [["Action", "Owner"]]
    rows += [
        [Paragraph(text(n.text), st.cell), Paragraph(text(n.owner or "—"), st.cell_bold)]
        for n in found
    ]
    grid = table(rows, [page.width - owner_width, owner_width])
    return [*page.heading("Actions"), _splitting(grid)]


def _themes(notes: SessionNotes, page: _Page) -> list[Flowable]:
    counts = theme_counts(notes.notes)
    if not counts:
        return []
    line = " · ".join(
        f"<b>{text(tag)}</b>" + (f" ({count})" if count > 1 else "") for tag, count in counts
    )
    return [*page.heading("Themes"), Paragraph(line, page.st.body)]


def _buddies(notes: SessionNotes, page: _Page) -> list[Flowable]:
    if not notes.buddies:
        return []
    st = page.st
    rows: list[list[Any]] = [["Buddies", "Where, and the hour this call began there"]]
    for group in notes.buddies:
        names = _names([m.name for m in group.members])
        # Buddies in one city share one entry rather than "Vancouver 09:00 and Vancouver 09:00".
        places = dict.fromkeys(
            f"{city_of(m.zone)} {notes.starts_at.astimezone(zone(m.zone)):%H:%M}"
            for m in group.members
        )
        cities = _names(list(places))
        rows.append([Paragraph(text(names), st.cell_bold), Paragraph(text(cities), st.cell)])
    half = page.width / 2
    return [
        *page.heading("Buddy pairs until the next call"),
        Paragraph(
            "New pairs for a catch-up before we meet again. The hours are a guide to a "
            "time that suits you both.",
            st.muted,
        ),
        table(rows, [half + 20, half - 20]),
    ]


def _next_call(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    story: list[Flowable] = [*page.heading("Next call")]
    following = notes.next_call
    if following is None:
        story.append(Paragraph("This was the cohort's last call.", st.body))
        return story
    when = _span(following.starts_at, following.minutes, notes.facilitator_zone)
    story.append(Paragraph(f"<b>{text(following.label)}:</b> {text(when)}", st.body))
    if notes.cohort_zone != notes.facilitator_zone:
        home = _span(following.starts_at, following.minutes, notes.cohort_zone)
        story.append(Paragraph(text(f"In the cohort's home time: {home}"), st.muted))
    return story


def session_notes_story(notes: SessionNotes, paper: PaperSize = PaperSize.A4) -> list[Flowable]:
    page = _Page(paper)
    return [
        *_title(notes, page),
        *_people(notes, page),
        *_agenda(notes, page),
        *_stage_notes(notes, page),
        *_insights(notes, page),
        *_quotes(notes, page),
        *_actions(notes, page),
        *_themes(notes, page),
        *_buddies(notes, page),
        *_next_call(notes, page),
    ]


def session_notes_pdf(notes: SessionNotes, paper: PaperSize = PaperSize.A4) -> bytes:
    local = zone(notes.facilitator_zone)
    head = DocumentHead(
        title="Session notes",
        cohort=notes.cohort,
        call=f"{notes.call_label} · {_day(notes.starts_at.astimezone(local))}",
        author=notes.facilitators,
    )
    return render(head, session_notes_story(notes, paper), paper)


__all__ = [
    "BuddyGroup",
    "NextCall",
    "NoteKind",
    "Person",
    "Place",
    "Presenter",
    "SessionNote",
    "SessionNotes",
    "StageTiming",
    "notes_by_stage",
    "session_notes_pdf",
    "theme_counts",
]
