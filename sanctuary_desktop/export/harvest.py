"""The learning harvest: what a cohort learned across its calls, for the cohort and its funders.

Themes (tags counted across notes), quotes, open actions, attendance and timing, laid out
calmly: a cover block with the figures at a glance, then one section for each, with a
chart where a chart says it faster than a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Group, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sanctuary_desktop.export.pdf import (
    ACCENT,
    ACCENT_LIGHT,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    RULE,
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

TITLE = "Learning harvest"
CHART_THEMES = 10  # bars in the themes chart; the table lists more
TABLE_THEMES = 30  # rows in the themes table; the rest are summed up in a line
_SOFT = colors.HexColor("#b9d3cb")  # planned minutes, beside the accent's actual ones


@dataclass(frozen=True)
class ThemeCount:
    name: str
    notes: int  # notes carrying the tag
    calls: int  # held calls in which it came up


@dataclass(frozen=True)
class QuoteLine:
    text: str
    call: str  # "Call 3"
    stage: str
    owner: str = ""  # only when the note names someone


@dataclass(frozen=True)
class ActionLine:
    text: str
    owner: str
    call: str


@dataclass(frozen=True)
class CallAttendance:
    number: int
    label: str  # "Call 3 of 7", or the call's own title
    starts_at: datetime  # aware
    present: int | None  # None when attendance was not recorded
    expected: int


@dataclass(frozen=True)
class PersonAttendance:
    name: str
    attended: int
    of_calls: int  # held calls with attendance recorded


@dataclass(frozen=True)
class CallTiming:
    number: int
    planned_minutes: float
    actual_minutes: float  # stage time plus pauses
    longest_stage: str  # the stage that ran furthest over, "" when none did

    @property
    def over_minutes(self) -> float:
        return self.actual_minutes - self.planned_minutes

    @property
    def ran_over(self) -> bool:
        # A minute's grace: nobody calls ten seconds "running over".
        return self.over_minutes > 1.0


@dataclass(frozen=True)
class StageOverrun:
    stage: str  # the stage's name without its round, so rounds count together
    ran_long: int
    runs: int
    mean_over_minutes: float  # over the times it ran long


@dataclass(frozen=True)
class Harvest:
    cohort: str
    focus: str
    facilitators: str
    start_date: date
    end_date: date
    calls_held: int
    calls_planned: int  # not cancelled
    participants: int
    prepared: datetime  # aware
    zone: str = "UTC"  # dates print in this zone
    notes: int = 0
    themes: tuple[ThemeCount, ...] = ()  # most frequent first
    quotes: tuple[QuoteLine, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    attendance: tuple[CallAttendance, ...] = ()  # held calls, in order
    people: tuple[PersonAttendance, ...] = ()
    timings: tuple[CallTiming, ...] = ()  # held calls run live
    long_stages: tuple[StageOverrun, ...] = ()  # most often long first

    @property
    def mean_attendance(self) -> float | None:
        recorded = [c for c in self.attendance if c.present is not None and c.expected]
        if not recorded:
            return None
        return sum((c.present or 0) / c.expected for c in recorded) / len(recorded)


def harvest_pdf(data: Harvest, paper: PaperSize = PaperSize.A4) -> bytes:
    st = styles()
    width = frame_width(paper)
    story: list[Flowable] = []
    story += _cover(data, st, width)
    story += _themes(data, st, width)
    story += _quotes(data, st, width)
    story += _actions(data, st, width)
    story += _attendance(data, st, width)
    story += _timing(data, st, width)
    head = DocumentHead(title=TITLE, cohort=data.cohort, author=data.facilitators)
    return render(head, story, paper)


# -- sections ------------------------------------------------------------------------------


def _cover(data: Harvest, st: Styles, width: float) -> list[Flowable]:
    name = ParagraphStyle("cohort", parent=st.title, fontSize=17, leading=22, textColor=ACCENT)
    kicker = ParagraphStyle("kicker", parent=st.muted, fontName=FONT_BOLD, spaceAfter=2)
    story: list[Flowable] = [
        Paragraph(TITLE.upper(), kicker),
        Paragraph(text(data.cohort), name),
    ]
    if data.focus:
        story.append(Paragraph(f"<i>{text(data.focus)}</i>", st.body))
    story.append(Spacer(0, 3 * mm))
    facts = [
        ("Facilitators", data.facilitators or "—"),
        ("Dates", f"{_date(data.start_date)} – {_date(data.end_date)}"),
        ("Calls held", f"{data.calls_held} of {data.calls_planned} planned"),
        ("Participants", str(data.participants)),
        ("Prepared", f"{_day(data.prepared, data.zone)} · times in {_zone_name(data.zone)}"),
    ]
    rows = [
        [Paragraph(label, st.cell_bold), Paragraph(text(value), st.cell)] for label, value in facts
    ]
    story.append(table(rows, [32 * mm, width - 32 * mm], header=False, zebra=False))
    story.append(Spacer(0, 5 * mm))
    story.append(_glance(data, width))
    return story


def _glance(data: Harvest, width: float) -> Table:
    """The figures a funder looks for first, in large type."""
    mean = data.mean_attendance
    figures = [
        (str(data.calls_held), "calls held"),
        (str(data.participants), "participants"),
        ("—" if mean is None else f"{mean:.0%}", "attendance"),
        (str(len(data.themes)), "themes"),
        (str(len(data.quotes)), "quotes"),
        (str(len(data.actions)), "open actions"),
    ]
    big = ParagraphStyle(
        "figure", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT, alignment=TA_CENTER
    )
    small = ParagraphStyle(
        "figure_label", fontName=FONT, fontSize=8, leading=10, textColor=MUTED, alignment=TA_CENTER
    )
    cells = [[Paragraph(value, big), Paragraph(label, small)] for value, label in figures]
    grid = Grid([cells], colWidths=[width / len(figures)] * len(figures), hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # a Table's own default is Helvetica
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("LINEAFTER", (0, 0), (-2, -1), 0.75, colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid


def _themes(data: Harvest, st: Styles, width: float) -> list[Flowable]:
    if not data.themes:
        return _section(
            "Themes", st, Paragraph("No notes from the held calls carry a theme tag yet.", st.body)
        )
    intro = Paragraph(
        f"Theme tags on the {data.notes} notes taken in the held calls, counted by how "
        "often each came up. One note can carry several themes.",
        st.muted,
    )
    chart = _theme_chart(data.themes[:CHART_THEMES], width)
    story = _section("Themes", st, intro, chart, Spacer(0, 3 * mm))
    listed = data.themes[:TABLE_THEMES]
    rows: list[list[Any]] = [["Theme", "Notes", "Calls where it came up"]]
    rows += [
        [Paragraph(text(t.name), st.cell), str(t.notes), f"{t.calls} of {data.calls_held}"]
        for t in listed
    ]
    story.append(_numbers_table(rows, [width - 70 * mm, 25 * mm, 45 * mm]))
    rest = data.themes[TABLE_THEMES:]
    if rest:
        story.append(
            Paragraph(
                f"{len(rest)} further themes, each on {max(t.notes for t in rest)} notes or "
                "fewer, are not listed.",
                st.muted,
            )
        )
    return story


def _quotes(data: Harvest, st: Styles, width: float) -> list[Flowable]:
    if not data.quotes:
        return _section("Quotes", st, Paragraph("No quotes were noted in the held calls.", st.body))
    story = _section(
        "Quotes", st, Paragraph("Words worth keeping, in the order they were said.", st.muted)
    )
    quote = ParagraphStyle("harvest_quote", parent=st.quote, leftIndent=0, spaceAfter=1)
    source = ParagraphStyle("quote_source", parent=st.small, textColor=MUTED)
    rows = []
    for line in data.quotes:
        where = " · ".join(part for part in (line.owner, line.call, line.stage) if part)
        rows.append([[Paragraph(text(line.text), quote), Paragraph(text(where), source)]])
    grid = Grid(rows, colWidths=[width], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT_LIGHT),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(grid)
    return story


def _actions(data: Harvest, st: Styles, width: float) -> list[Flowable]:
    if not data.actions:
        return _section(
            "Open actions", st, Paragraph("No actions were noted in the held calls.", st.body)
        )
    story = _section(
        "Open actions",
        st,
        Paragraph(
            "Commitments made in the calls, each with the person who owns it. The app keeps "
            "no record of actions being done, so all are listed as open.",
            st.muted,
        ),
    )
    rows: list[list[Any]] = [["Action", "Owner", "From"]]
    rows += [
        [
            Paragraph(text(a.text), st.cell),
            Paragraph(text(a.owner), st.cell),
            Paragraph(text(a.call), st.cell),
        ]
        for a in data.actions
    ]
    story.append(table(rows, [width - 68 * mm, 48 * mm, 20 * mm]))
    return story


def _attendance(data: Harvest, st: Styles, width: float) -> list[Flowable]:
    if not data.attendance:
        return _section("Attendance", st, Paragraph("No calls have been held yet.", st.body))
    recorded = [c for c in data.attendance if c.present is not None]
    missing = len(data.attendance) - len(recorded)
    mean = data.mean_attendance
    summary = (
        f"Across {len(recorded)} held calls with attendance recorded, on average "
        f"{mean:.0%} of the cohort was present."
        if mean is not None
        else "No attendance has been recorded for the held calls."
    )
    if missing:
        summary += f" {missing} held call{'s' if missing != 1 else ''} had no attendance recorded."
    opening: list[Flowable] = [Paragraph(summary, st.muted)]
    if recorded:
        opening += [_attendance_chart(recorded, width), Spacer(0, 3 * mm)]
    story = _section("Attendance", st, *opening)
    rows: list[list[Any]] = [["Call", "Date", "Present", "Rate"]]
    for call in data.attendance:
        if call.present is None:
            rows.append(
                [
                    Paragraph(text(call.label), st.cell),
                    _day(call.starts_at, data.zone),
                    "not recorded",
                    "",
                ]
            )
        else:
            rate = f"{call.present / call.expected:.0%}" if call.expected else "—"
            rows.append(
                [
                    Paragraph(text(call.label), st.cell),
                    _day(call.starts_at, data.zone),
                    f"{call.present} of {call.expected}",
                    rate,
                ]
            )
    by_call = _numbers_table(rows, [width - 115 * mm, 45 * mm, 40 * mm, 30 * mm], first=2)
    story += _titled("By call", st, by_call, len(rows))
    if data.people:
        rows = [["Participant", "Calls attended", "Rate"]]
        for person in data.people:
            rate = f"{person.attended / person.of_calls:.0%}" if person.of_calls else "—"
            rows.append(
                [
                    Paragraph(text(person.name), st.cell),
                    f"{person.attended} of {person.of_calls}",
                    rate,
                ]
            )
        by_person = _numbers_table(rows, [width - 70 * mm, 40 * mm, 30 * mm])
        story += _titled("By person", st, by_person, len(rows))
    return story


def _timing(data: Harvest, st: Styles, width: float) -> list[Flowable]:
    if not data.timings:
        return _section(
            "Timing",
            st,
            Paragraph(
                "No call of this cohort was run with the live timer, so there are no timing "
                "figures to show.",
                st.body,
            ),
        )
    over = [t for t in data.timings if t.ran_over]
    lines = [
        f"{len(data.timings)} of {data.calls_held} held calls were run with the live timer. "
        f"{len(over)} ran over the plan by more than a minute.",
    ]
    if data.long_stages:
        top = data.long_stages[0]
        lines.append(
            f"The stage that most often ran long: <b>{text(top.stage)}</b>, "
            f"{top.ran_long} of {top.runs} times."
        )
    else:
        lines.append("No stage ran more than a minute over its plan.")
    story = _section(
        "Timing",
        st,
        Paragraph(" ".join(lines), st.body),
        _timing_chart(data.timings, width),
        Spacer(0, 3 * mm),
    )
    rows: list[list[Any]] = [["Call", "Planned", "Actual", "Difference", "Ran longest"]]
    for t in data.timings:
        rows.append(
            [
                f"Call {t.number}",
                f"{t.planned_minutes:.0f} min",
                f"{t.actual_minutes:.0f} min",
                _signed(t.over_minutes),
                Paragraph(text(t.longest_stage or "—"), st.cell),
            ]
        )
    warn = [
        ("TEXTCOLOR", (3, i), (3, i), WARN) for i, t in enumerate(data.timings, 1) if t.ran_over
    ]
    by_call = _numbers_table(
        rows, [22 * mm, 22 * mm, 22 * mm, 24 * mm, width - 90 * mm], first=1, last=3, extra=warn
    )
    story += _titled("By call", st, by_call, len(rows))
    if data.long_stages:
        rows = [["Stage", "Ran long", "Mean over"]]
        rows += [
            [
                Paragraph(text(s.stage), st.cell),
                f"{s.ran_long} of {s.runs}",
                f"{s.mean_over_minutes:.1f} min",
            ]
            for s in data.long_stages
        ]
        stages = _numbers_table(rows, [width - 60 * mm, 30 * mm, 30 * mm])
        story += _titled("Stages that ran long", st, stages, len(rows))
    return story


# -- charts --------------------------------------------------------------------------------


def _theme_chart(themes: Sequence[ThemeCount], width: float) -> Drawing:
    bar = 14.0
    names = [_clip(t.name, FONT, 8, width * 0.32) for t in themes]
    label_room = max(stringWidth(n, FONT, 8) for n in names) + 8
    plot_height = bar * len(themes) + 8
    drawing = _drawing(width, plot_height + 34)
    chart = HorizontalBarChart()
    chart.x = label_room
    chart.y = 26
    chart.width = width - label_room - 20
    chart.height = plot_height
    chart.data = [[t.notes for t in themes]]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.reverseDirection = 1  # most frequent at the top
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickLeft = 0
    chart.barSpacing = 0
    chart.groupSpacing = 3
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    _value_axis(chart.valueAxis, max(t.notes for t in themes))
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = MUTED
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(_axis_title(chart.x + chart.width / 2, 4, "Notes carrying the theme"))
    return drawing


def _attendance_chart(calls: Sequence[CallAttendance], width: float) -> Drawing:
    height = 150.0
    drawing = _drawing(width, height + 40)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 44, height
    chart.data = [[c.present or 0 for c in calls]]
    chart.categoryAxis.categoryNames = [str(c.number) for c in calls]
    _category_axis(chart.categoryAxis, len(calls))
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    # Bar widths are weights within each call's slot: keep bars slim when calls are few.
    slot = chart.width / len(calls)
    chart.barWidth = min(22.0, slot * 0.62)
    chart.groupSpacing = slot - chart.barWidth
    expected = max(c.expected for c in calls)
    _value_axis(chart.valueAxis, expected, whole=True)
    drawing.add(chart)
    # The roster size as a dashed line, so a full call is plain to see.
    y = chart.y + chart.height * expected / chart.valueAxis.valueMax
    line = Line(chart.x, y, chart.x + chart.width, y, strokeColor=WARN, strokeWidth=0.75)
    line.strokeDashArray = [3, 2]
    drawing.add(line)
    drawing.add(
        String(
            chart.x + chart.width,
            y + 3,
            f"expected: {expected}",
            fontName=FONT,
            fontSize=7,
            fillColor=WARN,
            textAnchor="end",
        )
    )
    drawing.add(_axis_title(chart.x + chart.width / 2, 4, "Call"))
    drawing.add(_axis_title(9, chart.y + chart.height / 2, "People present", vertical=True))
    return drawing


def _timing_chart(timings: Sequence[CallTiming], width: float) -> Drawing:
    height = 140.0
    drawing = _drawing(width, height + 56)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 44, height
    chart.data = [
        [round(t.planned_minutes) for t in timings],
        [round(t.actual_minutes) for t in timings],
    ]
    chart.categoryAxis.categoryNames = [str(t.number) for t in timings]
    _category_axis(chart.categoryAxis, len(timings))
    for series, colour in enumerate((_SOFT, ACCENT)):
        chart.bars[series].fillColor = colour
        chart.bars[series].strokeColor = None
    slot = chart.width / len(timings)
    chart.barWidth = min(16.0, slot * 0.34)
    chart.barSpacing = 1
    chart.groupSpacing = slot - 2 * chart.barWidth - 1
    _value_axis(chart.valueAxis, max(max(t.planned_minutes, t.actual_minutes) for t in timings))
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, chart.y + chart.height + 18
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = FONT
    legend.fontSize = 8
    legend.fillColor = INK
    legend.dx = legend.dy = 7
    legend.deltax = 90
    legend.strokeColor = None
    legend.colorNamePairs = [(_SOFT, "Planned"), (ACCENT, "Actual")]
    drawing.add(legend)
    drawing.add(_axis_title(chart.x + chart.width / 2, 4, "Call"))
    drawing.add(_axis_title(9, chart.y + chart.height / 2, "Minutes", vertical=True))
    return drawing


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer sets the drawing's initial font before any label's: make it ours, or
    # the file names Helvetica too.
    drawing.initialFontName = FONT
    drawing.initialFontSize = 8
    return drawing


def _category_axis(axis: Any, count: int) -> None:
    axis.labels.fontName = FONT
    axis.labels.fontSize = 7 if count > 20 else 8
    axis.labels.fillColor = INK
    axis.strokeColor = RULE
    axis.tickDown = 0


def _value_axis(axis: Any, top: float, *, whole: bool = False) -> None:
    if whole and top <= 10:
        step: float = 1
    elif whole and top <= 20:
        step = 2
    else:
        step = _nice_step(top)
    axis.valueMin = 0
    axis.valueMax = max(step, -(-top // step) * step)
    axis.valueStep = step
    axis.labels.fontName = FONT
    axis.labels.fontSize = 7
    axis.labels.fillColor = MUTED
    axis.strokeColor = RULE
    axis.visibleGrid = 1
    axis.gridStrokeColor = colors.HexColor("#ecebe6")
    axis.gridStrokeWidth = 0.5
    axis.labelTextFormat = "%d"


def _nice_step(top: float) -> float:
    """A round step that gives about five grid lines."""
    for step in (1, 2, 5, 10, 15, 20, 25, 50, 100, 200, 500, 1000):
        if top / step <= 6:
            return step
    return float(10 ** len(str(int(top))))


def _axis_title(x: float, y: float, label: str, *, vertical: bool = False) -> Any:
    title = String(0, 0, label, fontName=FONT, fontSize=8, fillColor=MUTED, textAnchor="middle")
    if not vertical:
        title.x, title.y = x, y
        return title
    group = Group(title)
    group.translate(x, y)
    group.rotate(90)
    return group


# -- small pieces --------------------------------------------------------------------------


def _section(label: str, st: Styles, *opening: Flowable) -> list[Flowable]:
    """A heading kept on one page with what opens the section (its summary, its chart),
    and with room below for a few lines of what follows."""
    return [CondPageBreak(45 * mm), KeepTogether([Paragraph(label, st.heading), *opening])]


def _titled(label: str, st: Styles, grid: Table, rows: int) -> list[Flowable]:
    """A table under its subheading: a short one kept whole on one page, a long one
    started only where a few of its rows fit."""
    title = Paragraph(label, st.subheading)
    if rows <= 16:
        return [KeepTogether([title, grid])]
    return [CondPageBreak(45 * mm), title, grid]


def _numbers_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    first: int = 1,
    last: int = -1,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table whose number columns (``first`` to ``last``) sit right-aligned."""
    return table(rows, widths, extra=[("ALIGN", (first, 0), (last, -1), "RIGHT"), *extra])


def _clip(value: str, font: str, size: float, room: float) -> str:
    if stringWidth(value, font, size) <= room:
        return value
    while value and stringWidth(value + "…", font, size) > room:
        value = value[:-1]
    return value.rstrip() + "…"


def _signed(minutes: float) -> str:
    rounded = round(minutes)
    if rounded == 0:
        return "on time"
    return f"{rounded:+d} min".replace("-", "−")


def _date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _day(at: datetime, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y}"


def _zone_name(zone: str) -> str:
    return "UTC" if zone == "UTC" else zone.rsplit("/", 1)[-1].replace("_", " ")
