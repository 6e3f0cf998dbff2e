"""Printed handouts for a cohort: the protocol card, the calendar in everyone's local
time, the roster with buddy pairs, and the presenter schedule.

Each takes plain values (times already placed in the right zones by the caller) and
returns the PDF's bytes. The protocol card must stay on one page: it is laid out at the
largest type that fits, in whichever orientation allows the larger type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from math import ceil
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepInFrame, Paragraph, Spacer, Table

from sanctuary_desktop.domain.schedule import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_NAMES,
)
from sanctuary_desktop.export.links import join_markup
from sanctuary_desktop.export.pdf import (
    ACCENT,
    ACCENT_LIGHT,
    FONT,
    FONT_BOLD,
    MARGIN,
    MUTED,
    WARN,
    DocumentHead,
    PaperSize,
    Styles,
    frame_width,
    render,
    styles,
    table,
    text,
)

_WEEKDAYS = WEEKDAY_ABBREVIATIONS
_MONTHS = MONTH_ABBREVIATIONS
_LONG_WEEKDAYS = WEEKDAY_NAMES
_LONG_MONTHS = MONTH_NAMES
OUT_OF_HOURS_FILL = "#fbe9d0"
NIGHT_FILL = "#f4d3a6"
CANCELLED_TEXT = "#5f6368"  # struck through: the line says cancelled, the text stays legible
# The card tries type from large to small; below the smallest it is shrunk as a whole.
CARD_SCALES = tuple(round(2.0 - 0.025 * step, 3) for step in range(61))  # 2.0 … 0.5
_FIT_SLACK = 2.0  # points kept free so rounding in reportlab never pushes to a second page
_CALENDAR_NAME_WIDTH = 118.0
_CALENDAR_MIN_CELL = 54.0
_MINUTES_IN_NAME = re.compile(r"\s*\((\d+)\s*(?:minutes|minute|mins|min)\)\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- plain data


@dataclass(frozen=True)
class CardStage:
    name: str
    minutes: int
    cues: tuple[tuple[str, str], ...]  # (role label, what that role does), in role order
    round: int | None = None  # 1, 2, … for a presenter round's stages
    presenter: str = ""  # the round's presenter, "" when not chosen yet
    hard_stop: bool = False
    starts: datetime | None = None  # on the clock of the card's zone, when the call is known


@dataclass(frozen=True)
class ProtocolCard:
    cohort: str
    protocol: str
    call: str  # "Call 4 of 7 · Thursday 3 December 2026", or "" for the default protocol
    roles: tuple[str, ...]  # column order for the cues
    stages: tuple[CardStage, ...]
    starts_at: datetime | None = None  # the call's start in the card's zone
    call_minutes: int | None = None  # the call's length, to compare the agenda with
    zone_label: str = ""  # "Vancouver time": the clock the times are on
    video_link: str = ""  # the call's link (its own, else the cohort's), printed clickable
    source: str = ""  # where the protocol comes from, as its library says

    @property
    def total_minutes(self) -> int:
        return sum(stage.minutes for stage in self.stages)

    @property
    def title(self) -> str:
        """The protocol's name, without a "(90 minutes)" its agenda no longer keeps."""
        found = _MINUTES_IN_NAME.search(self.protocol)
        if found and int(found.group(1)) != self.total_minutes:
            return self.protocol[: found.start()].rstrip() or self.protocol
        return self.protocol

    @property
    def overrun(self) -> int:
        """Minutes the agenda runs past the end of the call (0 when it fits)."""
        if self.call_minutes is None:
            return 0
        return max(0, self.total_minutes - self.call_minutes)


@dataclass(frozen=True)
class CalendarPerson:
    name: str
    city: str


@dataclass(frozen=True)
class LocalTime:
    start: datetime  # aware, in the person's zone
    day_offset: int  # the person's date minus the home zone's date
    band: str  # "good", "edge" (up to an hour out of hours) or "night"
    early: bool = False

    @property
    def out_of_hours(self) -> bool:
        return self.band != "good"


@dataclass(frozen=True)
class CalendarCall:
    number: int  # 0 when cancelled
    home_start: datetime  # aware, in the cohort's home zone
    minutes: int
    cancelled: bool
    times: tuple[LocalTime, ...]  # one per person, in CalendarData.people order
    video_link: str = ""  # the link this call is joined by (its own, else the cohort's)


@dataclass(frozen=True)
class CalendarData:
    cohort: str
    home_city: str
    waking_hours: str  # "07:00–22:00"
    people: tuple[CalendarPerson, ...]
    calls: tuple[CalendarCall, ...]
    home_is_reference: bool = True  # False: the headings are on another zone's clock
    video_link: str = ""  # the cohort's link; calls with another one are listed apart


@dataclass(frozen=True)
class RosterPerson:
    name: str
    organisation: str
    city: str
    time_zone: str
    email: str


@dataclass(frozen=True)
class BuddyCycleLine:
    after: str  # "After call 3"
    when: datetime | None  # the call's start in the home zone, when known
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class RosterData:
    cohort: str
    focus: str
    facilitators: str
    people: tuple[RosterPerson, ...]
    cycles: tuple[BuddyCycleLine, ...]


@dataclass(frozen=True)
class ScheduleCall:
    number: int  # 0 when cancelled
    home_start: datetime  # aware, in the home zone
    held: bool
    cancelled: bool
    presenters: tuple[str, ...]  # by round; "" for a round with no presenter chosen


@dataclass(frozen=True)
class NotYetPresented:
    name: str
    next_call: int | None  # the number of the call where their turn is planned


@dataclass(frozen=True)
class ScheduleData:
    cohort: str
    home_city: str
    calls: tuple[ScheduleCall, ...]
    not_yet: tuple[NotYetPresented, ...]


# ---------------------------------------------------------------- small helpers


def short_time(moment: datetime) -> str:
    """ "Thu 06:00", in English whatever the process locale."""
    return f"{_WEEKDAYS[moment.weekday()]} {moment:%H:%M}"


def short_date(moment: datetime) -> str:
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def long_date(moment: datetime) -> str:
    return (
        f"{_LONG_WEEKDAYS[moment.weekday()]} {moment.day} "
        f"{_LONG_MONTHS[moment.month - 1]} {moment.year}"
    )


def group_names(names: Sequence[str]) -> str:
    """ "Ana & Bo", or "Cy, Di & Ed (trio)"."""
    if len(names) <= 1:
        return "".join(names)
    joined = ", ".join(names[:-1]) + " & " + names[-1]
    return joined + " (trio)" if len(names) == 3 else joined


def _call_name(number: int, cancelled: bool) -> str:
    return "Cancelled" if cancelled else f"Call {number}"


def _para(value: str, style: Any) -> Paragraph:
    return Paragraph(text(value), style)


def _frame_height(paper: PaperSize, *, landscape: bool) -> float:
    width, height = paper.points
    page_height = width if landscape else height
    return float(page_height - (MARGIN + 4 * mm) - MARGIN)


def _height(story: Sequence[Flowable], width: float, height: float) -> float:
    total = 0.0
    for number, flowable in enumerate(story):
        _, used = flowable.wrap(width, height)
        total += used + flowable.getSpaceAfter()
        if number:
            total += flowable.getSpaceBefore()
    return total


# ---------------------------------------------------------------- protocol card


def protocol_card_pdf(data: ProtocolCard, paper: PaperSize = PaperSize.A4) -> bytes:
    """One page, the largest type that fits; never split across pages."""
    best: tuple[float, bool] | None = None
    for landscape in (True, False):
        width = frame_width(paper, landscape=landscape)
        height = _frame_height(paper, landscape=landscape) - _FIT_SLACK
        fits = partial(_card_fits, data, width=width, height=height)
        scale = _largest(CARD_SCALES, fits)
        if scale is not None and (best is None or scale > best[0]):
            best = (scale, landscape)
    scale, landscape = best or (CARD_SCALES[-1], True)
    width = frame_width(paper, landscape=landscape)
    height = _frame_height(paper, landscape=landscape) - _FIT_SLACK
    story = _card_story(data, styles(scale), width)
    # Only a protocol too long even for the smallest type gets here: shrink it whole.
    fitted = KeepInFrame(width, height, story, mode="shrink")
    when = short_date(data.starts_at) if data.starts_at is not None else ""
    label = data.call
    if data.starts_at is not None:  # the date goes in the header whole, after the label
        label = label.removesuffix(f" · {long_date(data.starts_at)}")
    head = DocumentHead("Protocol card", data.cohort, label, when=when)
    return render(head, [fitted], paper, landscape=landscape)


def _card_fits(data: ProtocolCard, scale: float, *, width: float, height: float) -> bool:
    return _height(_card_story(data, styles(scale), width), width, height) <= height


def _largest(scales: Sequence[float], fits: Callable[[float], bool]) -> float | None:
    """The largest scale that fits, by halving: a smaller type never needs more room."""
    low, high = 0, len(scales)  # scales run from large to small
    while low < high:
        middle = (low + high) // 2
        if fits(scales[middle]):
            high = middle
        else:
            low = middle + 1
    return scales[low] if low < len(scales) else None


def _card_story(data: ProtocolCard, st: Styles, width: float) -> list[Flowable]:
    subtitle = f"{data.total_minutes} minutes in all"
    if data.starts_at is not None:
        end = data.starts_at + timedelta(minutes=data.call_minutes or data.total_minutes)
        subtitle = f"{data.starts_at:%H:%M}–{end:%H:%M} {data.zone_label} · {subtitle}"
    if data.call:
        subtitle = f"{data.call} · {subtitle}"
    heading = styles()  # the title keeps its size: the room goes to the stages
    story: list[Flowable] = [_para(data.title, heading.title), _para(subtitle, heading.muted)]
    if data.source:
        story.append(_para(f"Source: {data.source}", heading.muted))
    if data.video_link:
        story.append(Paragraph(join_markup(data.video_link), heading.body))
    if data.overrun:
        story.append(
            Paragraph(
                f"<font color='{WARN.hexval()}'><b>This agenda runs {data.total_minutes} "
                f"minutes, {data.overrun} more than the {data.call_minutes}-minute call.</b> "
                "Shorten it in the Plan tab, or lengthen the call, before printing.</font>",
                heading.body,
            )
        )
    story.append(_card_table(data, st, width))
    return story


def _card_blocks(stages: Sequence[CardStage]) -> list[list[CardStage]]:
    """Stages outside rounds one by one; each round's stages together."""
    blocks: list[list[CardStage]] = []
    for stage in stages:
        if stage.round is not None and blocks and blocks[-1][0].round == stage.round:
            blocks[-1].append(stage)
        else:
            blocks.append([stage])
    return blocks


def _stage_cell(stage: CardStage, st: Styles) -> Paragraph:
    timing = f"{stage.minutes} min" + (" · hard stop" if stage.hard_stop else "")
    if stage.starts is not None:
        timing = f"<b>{stage.starts:%H:%M}</b> · {timing}"
    return Paragraph(
        f"<b>{text(stage.name)}</b><br/><font color='{ACCENT.hexval()}'>{timing}</font>", st.cell
    )


def _card_table(data: ProtocolCard, st: Styles, width: float) -> Table:
    roles = data.roles
    size = st.cell.fontSize
    stage_width = min(width * 0.24, max(width * 0.16, size * 10))
    widths = [stage_width, *_cue_widths(data, width - stage_width)]
    rows: list[list[Any]] = [
        [_para("Stage", st.cell_bold)] + [_para(role, st.cell_bold) for role in roles]
    ]
    extra: list[tuple[Any, ...]] = [
        ("LEFTPADDING", (0, 0), (-1, -1), size * 0.4),
        ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.3),
        ("TOPPADDING", (0, 0), (-1, -1), size * 0.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.3),
    ]
    blank = [""] * len(roles)
    first_round: list[CardStage] | None = None
    for block in _card_blocks(data.stages):
        lead = block[0]
        if lead.round is not None:
            row = len(rows)
            minutes = sum(stage.minutes for stage in block)
            who = lead.presenter or "to be chosen"
            clock = f" · from {lead.starts:%H:%M}" if lead.starts is not None else ""
            rows.append(
                [
                    _para(
                        f"Round {lead.round} · Presenter: {who}{clock} · {minutes} min",
                        st.cell_bold,
                    ),
                    *blank,
                ]
            )
            extra += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), ACCENT_LIGHT),
                ("LINEABOVE", (0, row), (-1, row), 0.75, ACCENT),
            ]
            if first_round is not None and _same_cues(block, first_round):
                # A further round repeats the first's stages and cues: list them on one row.
                row = len(rows)
                steps = " · ".join(
                    (f"{s.starts:%H:%M}\u00a0" if s.starts is not None else "")
                    + f"{text(s.name)} {s.minutes}\u00a0min"
                    for s in block
                )
                rows.append(
                    [
                        Paragraph(
                            f"{steps}. <i>Cues as in round {first_round[0].round}.</i>", st.cell
                        ),
                        *blank,
                    ]
                )
                extra.append(("SPAN", (0, row), (-1, row)))
                continue
            first_round = first_round or block
        for stage in block:
            cues = dict(stage.cues)
            rows.append([_stage_cell(stage, st)] + [_para(cues.get(r, ""), st.cell) for r in roles])
    total_row = len(rows)
    ends = ""
    if data.starts_at is not None:
        ends = f" · ends {data.starts_at + timedelta(minutes=data.total_minutes):%H:%M}"
    rows.append([_para(f"Total {data.total_minutes} min{ends}", st.cell_bold), *blank])
    extra += [
        ("LINEABOVE", (0, total_row), (-1, total_row), 0.75, ACCENT),
        ("SPAN", (0, total_row), (-1, total_row)),
    ]
    return table(rows, widths, zebra=False, extra=extra)


def _cue_widths(data: ProtocolCard, room: float) -> list[float]:
    """Wider columns for the roles with more to say, so no column runs far longer."""
    if not data.roles:
        return []
    lengths = [
        float(sum(len(dict(stage.cues).get(role, "")) for stage in data.stages))
        for role in data.roles
    ]
    floor = room / len(data.roles) * 0.7  # even a quiet role keeps a readable column
    spare = room - floor * len(data.roles)
    total = sum(lengths)
    if not total:
        return [room / len(data.roles)] * len(data.roles)
    return [floor + spare * length / total for length in lengths]


def _same_cues(block: Sequence[CardStage], first: Sequence[CardStage]) -> bool:
    return [(s.name, s.cues) for s in block] == [(s.name, s.cues) for s in first]


# ---------------------------------------------------------------- calendar


def calendar_pdf(data: CalendarData, paper: PaperSize = PaperSize.A4) -> bytes:
    """People down the side, calls across; more calls than fit go to a further table."""
    st = styles()
    width = frame_width(paper, landscape=True)
    story: list[Flowable] = [_para("Calendar in your local time", st.title)]
    if not data.calls or not data.people:
        story.append(_para("No calls or no participants yet.", st.body))
        return render(DocumentHead("Calendar", data.cohort), story, paper, landscape=True)
    story.append(
        _para(
            f"Calls from {_span(data.calls)}, each in each person's local day and time. "
            f"Column headings give the time in {data.home_city}"
            + (", the cohort's home time. " if data.home_is_reference else ". ")
            + f"Shaded: outside {data.waking_hours} local time (early, late or at night).",
            st.muted,
        )
    )
    if data.video_link:
        story.append(Paragraph(join_markup(data.video_link, "Join every call"), st.body))
    room = max(1, int((width - _CALENDAR_NAME_WIDTH) // _CALENDAR_MIN_CELL))
    blocks = ceil(len(data.calls) / room)
    per_block = ceil(len(data.calls) / blocks)
    for start in range(0, len(data.calls), per_block):
        calls = data.calls[start : start + per_block]
        if blocks > 1:
            # Keep a block's heading with its header row and first people.
            story.append(CondPageBreak(120))
            story.append(_para(f"Calls from {_span(calls)}", st.subheading))
        story.append(_calendar_table(data, calls, st, width))
        story.append(Spacer(1, 8))
    story.extend(_own_links(data, st))
    return render(DocumentHead("Calendar", data.cohort), story, paper, landscape=True)


def _own_links(data: CalendarData, st: Styles) -> list[Flowable]:
    """The calls joined by another link than the cohort's, each with its own."""
    apart = [
        call
        for call in data.calls
        if not call.cancelled and call.video_link and call.video_link != data.video_link
    ]
    if not apart:
        return []
    heading = "Calls with a link of their own" if data.video_link else "Links to join"
    story: list[Flowable] = [CondPageBreak(60), _para(heading, st.subheading)]
    for call in apart:
        when = f"{_call_name(call.number, call.cancelled)}, {short_date(call.home_start)}"
        story.append(Paragraph(join_markup(call.video_link, when), st.body))
    return story


def _span(calls: Sequence[CalendarCall]) -> str:
    return f"{short_date(calls[0].home_start)} to {short_date(calls[-1].home_start)}"


def _calendar_table(
    data: CalendarData, calls: Sequence[CalendarCall], st: Styles, width: float
) -> Table:
    cell_width = min(96.0, (width - _CALENDAR_NAME_WIDTH) / len(calls))
    cell = st.cell if cell_width >= 68 else st.small  # the larger type when there is room
    widths = [_CALENDAR_NAME_WIDTH] + [cell_width] * len(calls)
    reference = "Home time: " if data.home_is_reference else "Time in "
    header: list[Any] = [_para(f"{reference}{data.home_city}", st.cell_bold)]
    for call in calls:
        home = call.home_start
        lines = [
            f"<b>{_call_name(call.number, call.cancelled)}</b>",
            f"{home.day} {_MONTHS[home.month - 1]}",
            text(short_time(home)),
        ]
        header.append(Paragraph("<br/>".join(lines), cell))
    rows: list[list[Any]] = [header]
    extra: list[tuple[Any, ...]] = [
        ("LEFTPADDING", (1, 0), (-1, -1), 3),
        ("RIGHTPADDING", (1, 0), (-1, -1), 2),
        ("LINEAFTER", (0, 0), (0, -1), 0.75, ACCENT),
    ]
    for person_index, person in enumerate(data.people, start=1):
        row: list[Any] = [
            Paragraph(
                f"<b>{text(person.name)}</b><br/><font color='{MUTED.hexval()}'>"
                f"{text(person.city)}</font>",
                st.cell,
            )
        ]
        for col, call in enumerate(calls, start=1):
            local = call.times[person_index - 1]
            row.append(_local_cell(local, call.cancelled, cell))
            if local.out_of_hours and not call.cancelled:
                fill = NIGHT_FILL if local.band == "night" else OUT_OF_HOURS_FILL
                extra.append(("BACKGROUND", (col, person_index), (col, person_index), fill))
        rows.append(row)
    return table(rows, widths, extra=extra)


def _local_cell(local: LocalTime, cancelled: bool, style: Any) -> Paragraph:
    notes = []
    if local.day_offset == 1:
        notes.append("next day")
    elif local.day_offset == -1:
        notes.append("day before")
    elif local.day_offset:
        notes.append(f"{local.day_offset:+d} days")
    if local.out_of_hours:
        notes.append("night" if local.band == "night" else ("early" if local.early else "late"))
    main = f"<b>{text(short_time(local.start))}</b>"
    if local.out_of_hours and not cancelled:
        main = f"<font color='{WARN.hexval()}'>{main}</font>"
    markup = main + (f"<br/>{' · '.join(notes)}" if notes else "")
    if cancelled:
        markup = f"<strike><font color='{CANCELLED_TEXT}'>{main}</font></strike>"
    return Paragraph(markup, style)


# ---------------------------------------------------------------- roster and buddies


def roster_pdf(data: RosterData, paper: PaperSize = PaperSize.A4) -> bytes:
    st = styles()
    width = frame_width(paper)
    story: list[Flowable] = [_para("Roster and buddy pairs", st.title)]
    about = [part for part in (data.focus, _facilitated(data.facilitators)) if part]
    if about:
        story.append(_para(" · ".join(about), st.muted))
    story.append(_para(f"Participants ({len(data.people)})", st.heading))
    # Names break at their hyphens, e-mail addresses before "@" and after dots, zone
    # names after "/": never in the middle of a word.
    org_style = ParagraphStyle("roster_org", parent=st.cell, textColor=MUTED)
    zone_size = 7.5
    if data.people:
        email_width = max(
            (stringWidth(p.email, FONT, st.cell.fontSize) for p in data.people), default=0.0
        )
        email_width = min(width * 0.45, max(width * 0.25, email_width + _PAD))
        widths = [0.0, width * 0.24, email_width]
        widths[0] = width - sum(widths)
        rows: list[list[Any]] = [
            [_para(h, st.cell_bold) for h in ("Name and organisation", "City / time zone", "Email")]
        ]
        for person in data.people:
            room = widths[0] - _PAD
            who: list[Any] = [
                Paragraph(
                    wrap_at_breaks(person.name, FONT_BOLD, st.cell.fontSize, room, _NAME_BREAKS),
                    st.cell_bold,
                )
            ]
            if person.organisation:
                who.append(
                    Paragraph(
                        wrap_at_breaks(
                            person.organisation, FONT, st.cell.fontSize, room, _NAME_BREAKS
                        ),
                        org_style,
                    )
                )
            zone_lines = wrap_at_breaks(person.time_zone, FONT, zone_size, widths[1] - _PAD)
            rows.append(
                [
                    who,
                    Paragraph(
                        f"{text(person.city)}<br/><font color='{MUTED.hexval()}' "
                        f"size='{zone_size}'>{zone_lines}</font>",
                        st.cell,
                    ),
                    Paragraph(
                        wrap_at_breaks(person.email, FONT, st.cell.fontSize, widths[2] - _PAD),
                        st.cell,
                    ),
                ]
            )
        story.append(table(rows, widths))
    else:
        story.append(_para("No accepted participants yet.", st.body))
    story.append(_para("Buddy pairs", st.heading))
    if not data.cycles:
        story.append(_para("No buddy pairs made yet.", st.body))
        return render(DocumentHead("Roster", data.cohort), story, paper)
    story.append(
        _para(
            "A catch-up with your buddy (or trio) between calls; new partners each cycle. "
            "One pair to a line.",
            st.muted,
        )
    )
    pair_style = ParagraphStyle("pair", parent=st.cell, leftIndent=8, firstLineIndent=-8)
    rows = [[_para("Between calls", st.cell_bold), _para("Pairs", st.cell_bold)]]
    for cycle in data.cycles:
        label = f"<b>{text(cycle.after)}</b>"
        if cycle.when is not None:
            label += f"<br/><font color='{MUTED.hexval()}'>{text(short_date(cycle.when))}</font>"
        groups = [
            Paragraph(
                "•\u00a0" + _unbroken(group_names(g), st, width * 0.76 - _PAD - 8), pair_style
            )
            for g in cycle.groups
        ] or [_para("No pairs this cycle.", st.muted)]
        rows.append([Paragraph(label, st.cell), groups])
    story.append(table(rows, [width * 0.24, width * 0.76]))
    return render(DocumentHead("Roster", data.cohort), story, paper)


_PAD = 14.0  # a table cell's left and right padding, with a point to spare
_BREAKS = re.compile(r"(?<=[/._\-])|(?=@)")
_NAME_BREAKS = re.compile(r"(?<=-)")


def wrap_at_breaks(
    value: str, font: str, size: float, room: float, breaks: re.Pattern[str] = _BREAKS
) -> str:
    """Markup for ``value`` in lines no wider than ``room``, broken at spaces and at
    ``breaks`` (by default after "/", ".", "-" or "_", and before "@"), so a name, an
    address or a zone never splits mid-word. A piece wider than the room alone is left
    to the paragraph to split."""
    if stringWidth(value, font, size) <= room:
        return text(value)
    lines: list[str] = []
    line = ""
    for word in value.split():
        for number, piece in enumerate(p for p in breaks.split(word) if p):
            joint = " " if number == 0 and line else ""
            if line and stringWidth(line + joint + piece, font, size) > room:
                lines.append(line)
                line = piece
            else:
                line += joint + piece
    lines.append(line)
    return "<br/>".join(text(line) for line in lines)


def _unbroken(group: str, st: Styles, room: float) -> str:
    """A group kept on one line when it fits one; else it breaks only between names."""
    if stringWidth(group, FONT, st.cell.fontSize) < room:
        return text(group.replace(" ", "\u00a0"))
    names = re.split(r"(, | & )", group)
    return "".join(
        text(part if part in (", ", " & ") else part.replace(" ", "\u00a0")) for part in names
    )


def _facilitated(facilitators: str) -> str:
    return f"Facilitators: {facilitators}" if facilitators else ""


# ---------------------------------------------------------------- presenter schedule


def schedule_pdf(data: ScheduleData, paper: PaperSize = PaperSize.A4) -> bytes:
    st = styles()
    rounds = max((len(c.presenters) for c in data.calls), default=0)
    landscape = rounds > 3
    width = frame_width(paper, landscape=landscape)
    story: list[Flowable] = [
        _para("Presenter schedule", st.title),
        _para(f"Who brings a challenge in each round. Times are {data.home_city} time.", st.muted),
    ]
    if data.calls:
        fixed = width * 0.13 + width * 0.25
        round_width = (width - fixed) / max(1, rounds)
        widths = [width * 0.13, width * 0.25, *([round_width] * max(1, rounds))]
        header = [_para("Call", st.cell_bold), _para("Date", st.cell_bold)]
        header += [_para(f"Round {n}", st.cell_bold) for n in range(1, rounds + 1)] or [
            _para("Presenters", st.cell_bold)
        ]
        rows: list[list[Any]] = [header]
        extra: list[tuple[Any, ...]] = []
        coming = next((c for c in data.calls if not c.held and not c.cancelled), None)
        for call in data.calls:
            row_number = len(rows)
            name = _call_name(call.number, call.cancelled)
            status = "held" if call.held and not call.cancelled else ""
            if call is coming:
                status = "next"
                extra.append(("BACKGROUND", (0, row_number), (-1, row_number), ACCENT_LIGHT))
            call_cell = Paragraph(
                f"<b>{text(name)}</b>"
                + (f"<br/><font color='{MUTED.hexval()}'>{status}</font>" if status else ""),
                st.cell,
            )
            when = f"{_WEEKDAYS[call.home_start.weekday()]} {short_date(call.home_start)}, "
            when += f"{call.home_start:%H:%M}"
            cells: list[Any] = [call_cell, _para(when, st.cell)]
            if call.cancelled:
                cells.append(_para("No presenters: call cancelled", st.muted))
                cells += [""] * (max(1, rounds) - 1)
                extra.append(("SPAN", (2, row_number), (-1, row_number)))
            else:
                for n in range(max(1, rounds)):
                    who = call.presenters[n] if n < len(call.presenters) else None
                    if who is None:
                        cells.append(_para("—", st.muted))
                    elif who:
                        cells.append(_para(who, st.cell))
                    else:
                        cells.append(_para("to be chosen", st.muted))
            rows.append(cells)
        story.append(table(rows, widths, extra=extra))
    else:
        story.append(_para("No calls planned yet.", st.body))
    story.append(_para("Not presented yet", st.heading))
    if not data.not_yet:
        story.append(_para("Everyone has presented at least once.", st.body))
    else:
        lines = []
        for person in data.not_yet:
            turn = (
                f"turn planned in call {person.next_call}"
                if person.next_call
                else "no turn planned yet"
            )
            lines.append(
                f"<b>{text(person.name)}</b> <font color='{MUTED.hexval()}'>· {turn}</font>"
            )
        story.append(Paragraph("<br/>".join(lines), st.body))
    return render(
        DocumentHead("Presenter schedule", data.cohort), story, paper, landscape=landscape
    )


__all__ = [
    "BuddyCycleLine",
    "CalendarCall",
    "CalendarData",
    "CalendarPerson",
    "CardStage",
    "LocalTime",
    "NotYetPresented",
    "ProtocolCard",
    "RosterData",
    "RosterPerson",
    "ScheduleCall",
    "ScheduleData",
    "calendar_pdf",
    "protocol_card_pdf",
    "roster_pdf",
    "schedule_pdf",
]
