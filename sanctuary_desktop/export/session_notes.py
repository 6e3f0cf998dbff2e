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
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from sanctuary_desktop.domain.cohort import WakingHours
from sanctuary_desktop.domain.timeplan import Band, local_slots, shared_waking_hours
from sanctuary_desktop.domain.timeplan import Person as PlanPerson
from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.export.links import join_markup
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
    render_fitted,
    styles,
    table,
    text,
)

_MUTED_HEX = "#" + MUTED.hexval()[2:]
_DEFAULT_HOURS = WakingHours()
_WARN_HEX = "#" + WARN.hexval()[2:]
NOT_RUN = "—"  # an actual time for a call that was not run on the live timer
CUT_SHORT = "cut short"  # a stage left early (Shift+Right) after it had run a while
_SKIP_SECONDS = 30  # a stage left before this had run is "skipped" rather than "cut short"
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
    video_link: str = ""  # the link it is joined by (its own, else the cohort's)


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
    upcoming: bool = False  # printed before the call began: nothing has happened yet
    expected: tuple[str, ...] = ()  # before the call: everyone on the roster without apologies
    waking_hours: WakingHours = _DEFAULT_HOURS
    video_link: str = ""  # the call's link (its own, else the cohort's), printed clickable


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

    def __init__(self, paper: PaperSize, scale: float = 1.0) -> None:
        self.st: Styles = styles(scale)
        self.width = frame_width(paper)
        self.label = ParagraphStyle("label", parent=self.st.small, textColor=MUTED)
        self.kind = ParagraphStyle("kind", parent=self.st.small, fontName=FONT_BOLD)
        self.tag = ParagraphStyle("tag", parent=self.st.small, textColor=ACCENT)
        self.stage = ParagraphStyle("stage", parent=self.st.cell_bold, fontSize=10, leading=13)
        self.source = ParagraphStyle(
            "source", parent=self.label, leftIndent=self.st.quote.leftIndent, spaceAfter=3
        )
        self.bullet = ParagraphStyle(
            "bullet", parent=self.st.body, leftIndent=10, firstLineIndent=-8, spaceAfter=0
        )
        self.bullet_source = ParagraphStyle(
            "bullet_source", parent=self.label, leftIndent=10, spaceAfter=4
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
    if notes.protocol and not notes.cancelled:
        details.append(notes.protocol)
    if notes.facilitators:
        details.append(f"facilitated by {notes.facilitators}")
    if details:
        story.append(Paragraph(text(" · ".join(details)), st.muted))
    if notes.video_link and not notes.cancelled:
        words = "Join the call" if notes.upcoming else "Video link"
        story.append(Paragraph(join_markup(notes.video_link, words), st.body))
    if notes.cancelled:
        story.append(Paragraph("This call was cancelled: it did not take place.", st.body))
    elif notes.upcoming:
        story.append(
            Paragraph("Prepared before the call: the plan, and who is expected.", st.muted)
        )
    if notes.places and not notes.cancelled:
        story.append(Spacer(1, 2))
        story.append(_local_times(notes, page))
    return story


def _out_of_hours(notes: SessionNotes, zone_name: str) -> str:
    """ "night", "early" or "late" when the call falls outside waking hours there, else ""."""
    person = PlanPerson(0, "", zone_name)
    slot = local_slots(
        notes.starts_at, notes.minutes, [person], notes.waking_hours, notes.cohort_zone
    )[0]
    if slot.band is Band.GOOD:
        return ""
    if slot.band is Band.NIGHT:
        return "night"
    return "early" if slot.early else "late"


def _local_times(notes: SessionNotes, page: _Page) -> Flowable:
    """One entry per zone, west to east: where the call fell in each person's day, with
    the hours outside the cohort's waking hours marked."""

    def offset(place: Place) -> timedelta:
        return notes.starts_at.astimezone(zone(place.zone)).utcoffset() or timedelta(0)

    entries = []
    flagged = False
    for place in sorted(notes.places, key=lambda p: (offset(p), city_of(p.zone))):
        local = notes.starts_at.astimezone(zone(place.zone))
        hour = f"{local:%H:%M}"
        out = _out_of_hours(notes, place.zone)
        if out:
            flagged = True
            hour = f"<font color='{_WARN_HEX}'><b>{hour} ({out})</b></font>"
        entries.append(
            f"<b>{text(city_of(place.zone))}</b> {text(_short_day(local))}, "
            f"{hour} <font color='{_MUTED_HEX}'>"
            f"({text(', '.join(place.names))})</font>"
        )
    if flagged:
        hours = notes.waking_hours
        entries.append(
            f"<font color='{_MUTED_HEX}'>Marked: outside {hours.start:%H:%M}–"
            f"{hours.end:%H:%M} local time.</font>"
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
    if notes.cancelled:
        return []
    if notes.upcoming:
        story: list[Flowable] = [*page.heading("Who is expected")]
        expected = _names(notes.expected) or "nobody on the roster yet"
        story.append(
            Paragraph(f"<b>Expected ({len(notes.expected)}):</b> {text(expected)}", st.body)
        )
        if notes.apologies:
            story.append(
                Paragraph(f"<b>Apologies sent:</b> {text(_names(notes.apologies))}", st.body)
            )
    else:
        story = [*page.heading("Who was there")]
        if not notes.attendance_recorded:
            story.append(Paragraph("Attendance was not recorded for this call.", st.muted))
        else:
            present = _names(notes.present) or "nobody recorded as present"
            story.append(
                Paragraph(f"<b>Present ({len(notes.present)}):</b> {text(present)}", st.body)
            )
            apologies = _names(notes.apologies) or "none"
            story.append(Paragraph(f"<b>Apologies:</b> {text(apologies)}", st.body))
    if notes.presenters:
        chosen = "to be chosen" if notes.upcoming else "no presenter chosen"
        rounds = [
            f"<b>Round {p.round}:</b> {text(p.name) if p.name else f'<i>{chosen}</i>'}"
            for p in notes.presenters
        ]
        story.append(Paragraph("<b>Presenters</b> · " + " · ".join(rounds), st.body))
    return story


def _actual(stage: StageTiming, ran_live: bool) -> tuple[str, float | None]:
    """What the Actual column says, and the seconds it counts in the total (None: none)."""
    if not ran_live:
        return NOT_RUN, None
    if stage.actual_seconds is None:
        return ("skipped" if stage.skipped else "not reached"), None
    if stage.skipped and stage.actual_seconds < _SKIP_SECONDS:
        return "skipped", stage.actual_seconds
    shown = _minutes(stage.actual_seconds)
    return (f"{shown} ({CUT_SHORT})" if stage.skipped else shown), stage.actual_seconds


def _agenda(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    if not notes.stages or notes.cancelled:
        return []
    live = notes.ran_live and not notes.upcoming
    rows: list[list[Any]] = [["Stage", "Planned", "Actual", "Difference"]]
    late: list[tuple[Any, ...]] = []
    counted: list[float] = []
    for number, stage in enumerate(notes.stages, start=1):
        planned = stage.planned_minutes * 60.0
        actual, seconds = _actual(stage, live)
        difference = ""
        if seconds is not None:
            counted.append(seconds)
            if actual != "skipped":
                difference = _difference(seconds - planned)
                if seconds - planned >= 60:
                    late.append(("TEXTCOLOR", (3, number), (3, number), WARN))
        rows.append(
            [Paragraph(text(stage.label), st.cell), str(stage.planned_minutes), actual, difference]
        )
    total_planned = sum(s.planned_minutes for s in notes.stages)
    total_actual = _minutes(sum(counted)) if counted else NOT_RUN
    total_difference = _difference(sum(counted) - total_planned * 60.0) if counted else ""
    rows.append(
        [Paragraph("<b>Total</b>", st.cell), str(total_planned), total_actual, total_difference]
    )
    # Wide enough for "6½ (cut short)" and "Difference" at 9 pt with the cell padding.
    widths = [page.width - 78 * mm, 18 * mm, 34 * mm, 26 * mm]
    if notes.upcoming:  # only the plan: no empty "Actual" and "Difference" columns
        rows = [row[:2] for row in rows]
        widths = [page.width - 20 * mm, 20 * mm]
    elif not live:  # nothing to compare: no empty "Difference" column
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
        orphans=4,  # never two stages and the total alone over a page break
    )
    if notes.upcoming:
        caption = "Minutes per stage, as planned."
    elif live:
        caption = "Minutes per stage: planned, and as run on the live timer (pauses not counted)."
    else:
        caption = (
            f"Minutes per stage. Actual times show {NOT_RUN} because this call "
            "was not run on the live timer."
        )
    return [*page.heading("Agenda"), Paragraph(text(caption), st.muted), grid]


def _stage_note(note: SessionNote, notes: SessionNotes) -> str:
    """The stage a note was taken in, spelt as the agenda spells it."""
    typed = note.stage.strip()
    known = {stage.label.casefold(): stage.label for stage in notes.stages}
    return known.get(typed.casefold(), typed) or OTHER_NOTES


def _stage_notes(notes: SessionNotes, page: _Page) -> list[Flowable]:
    """The plain notes by stage; insights, quotes and actions have sections of their own,
    so every note is printed once."""
    st = page.st
    plain = [n for n in notes.notes if n.kind is NoteKind.NOTE]
    groups = notes_by_stage(notes.stages, plain)
    if not notes.notes:
        if notes.upcoming or notes.cancelled:
            return []  # nothing could have been noted yet
        return [
            *page.heading("Notes"),
            Paragraph("No notes were taken during this call.", st.muted),
        ]
    if not groups:
        return []
    story: list[Flowable] = [*page.heading("Notes by stage")]
    kind_width = 24 * mm
    for label, found in groups:
        rows: list[list[Any]] = []
        for note in found:
            when = note.taken_at.astimezone(zone(notes.facilitator_zone)) if note.taken_at else None
            side = [Paragraph(text(note.kind.label), page.kind)]
            if when is not None:
                side.append(Paragraph(f"{when:%H:%M}", page.label))
            words = [Paragraph(text(note.text), st.cell)]
            if note.tags:
                words.append(Paragraph(_tags(note), page.tag))
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


def _tags(note: SessionNote) -> str:
    return " ".join(f"#{text(tag)}" for tag in note.tags)


def _source(note: SessionNote, notes: SessionNotes, *, owner: bool = False) -> str:
    """Where a note came from: "Check-in round · 09:28 · #tag"."""
    parts = [text(_stage_note(note, notes))]
    if note.taken_at is not None:
        parts.append(f"{note.taken_at.astimezone(zone(notes.facilitator_zone)):%H:%M}")
    if owner and note.owner:
        parts.append(text(note.owner))
    if note.tags:
        parts.append(_tags(note))
    return " · ".join(parts)


def _insights(notes: SessionNotes, page: _Page) -> list[Flowable]:
    found = [n for n in notes.notes if n.kind is NoteKind.INSIGHT]
    if not found:
        return []
    story: list[Flowable] = [*page.heading("Insights")]
    for note in found:
        story += [
            Paragraph("• " + text(note.text), page.bullet),
            Paragraph(_source(note, notes), page.bullet_source),
        ]
    return story


def _quotes(notes: SessionNotes, page: _Page) -> list[Flowable]:
    found = [n for n in notes.notes if n.kind is NoteKind.QUOTE]
    if not found:
        return []
    story: list[Flowable] = [*page.heading("Quotes")]
    for note in found:
        box = Grid(
            [
                [
                    [
                        Paragraph(text(_quoted(note.text)), page.st.quote),
                        Paragraph(_source(note, notes, owner=True), page.source),
                    ]
                ]
            ],
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
        [
            [Paragraph(text(n.text), st.cell), Paragraph(_source(n, notes), page.tag)],
            Paragraph(text(n.owner or "—"), st.cell_bold),
        ]
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


def buddy_hours(group: BuddyGroup, notes: SessionNotes) -> str:
    """The hours a group shares awake, in each member's city: "Vancouver 12:00–22:00 and
    Melbourne 07:00–17:00 (next day)". Said once for buddies in one city."""
    zones = [m.zone for m in group.members]
    on = notes.starts_at.astimezone(zone(zones[0])).date()
    window = shared_waking_hours(zones, notes.waking_hours, on)
    if window is None:
        return "No waking hours in common: take turns with an early or a late hour."
    start, end = window
    first_day = start.astimezone(zone(zones[0])).date()
    places: dict[str, None] = {}
    for member in group.members:
        local_start, local_end = (
            start.astimezone(zone(member.zone)),
            end.astimezone(zone(member.zone)),
        )
        shift = (local_start.date() - first_day).days
        day = {1: " (next day)", -1: " (day before)"}.get(shift, "")
        places[f"{city_of(member.zone)} {local_start:%H:%M}–{local_end:%H:%M}{day}"] = None
    return _names(list(places))


def _buddies(notes: SessionNotes, page: _Page) -> list[Flowable]:
    if not notes.buddies:
        return []
    st = page.st
    rows: list[list[Any]] = [["Buddies", "Hours you are both awake, in each city"]]
    for group in notes.buddies:
        names = _names([m.name for m in group.members])
        rows.append(
            [
                Paragraph(text(names), st.cell_bold),
                Paragraph(text(buddy_hours(group, notes)), st.cell),
            ]
        )
    half = page.width / 2
    hours = notes.waking_hours
    return [
        *page.heading("Buddy pairs until the next call"),
        Paragraph(
            "New pairs for a catch-up before we meet again, at a time inside both your "
            f"waking hours ({hours.start:%H:%M}–{hours.end:%H:%M} local time).",
            st.muted,
        ),
        table(rows, [half - 10, half + 10]),
    ]


def _next_call(notes: SessionNotes, page: _Page) -> list[Flowable]:
    st = page.st
    # A short section: kept whole with its title, which needs no more room than it takes.
    story: list[Flowable] = [Paragraph("Next call", st.heading)]
    following = notes.next_call
    if following is None:
        last = (
            "This is the cohort's last call."
            if notes.upcoming
            else "This was the cohort's last call."
        )
        story.append(Paragraph(last, st.body))
        return [KeepTogether(story)]
    when = _span(following.starts_at, following.minutes, notes.facilitator_zone)
    story.append(Paragraph(f"<b>{text(following.label)}:</b> {text(when)}", st.body))
    if notes.cohort_zone != notes.facilitator_zone:
        home = _span(following.starts_at, following.minutes, notes.cohort_zone)
        story.append(Paragraph(text(f"In the cohort's home time: {home}"), st.muted))
    if following.video_link:
        story.append(Paragraph(join_markup(following.video_link, "Join it"), st.body))
    return [KeepTogether(story)]


def session_notes_story(
    notes: SessionNotes, paper: PaperSize = PaperSize.A4, scale: float = 1.0
) -> list[Flowable]:
    page = _Page(paper, scale)
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
    local = notes.starts_at.astimezone(zone(notes.facilitator_zone))
    head = DocumentHead(
        title="Session notes",
        cohort=notes.cohort,
        call=notes.call_label,
        when=f"{_short_day(local)} {local.year}",
        author=notes.facilitators,
    )
    return render_fitted(head, lambda scale: session_notes_story(notes, paper, scale), paper)


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
    "buddy_hours",
    "notes_by_stage",
    "session_notes_pdf",
    "theme_counts",
]
