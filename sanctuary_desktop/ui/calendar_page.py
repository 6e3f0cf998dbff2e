"""The Calendar page: every cohort's calls in the facilitator's zone, as a month or an agenda.

A call belongs to the day it starts on in the facilitator's zone, so a 09:00 Vancouver call
shows on the next day for a facilitator in Auckland. Data comes from the database thread
through `ctx.services`; each view keeps one load in flight and drops answers it no longer wants.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from sanctuary_desktop.domain.schedule import MONTH_NAMES, WEEKDAY_NAMES
from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.services import calls
from sanctuary_desktop.services.views import CallView, Topic
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import ROW_ROLE, Column, Index, RowsModel, table_view
from sanctuary_desktop.ui.theme import Colors, is_dark
from sanctuary_desktop.ui.theme import cohort_colors as theme_cohort_colors

WEEKDAYS = WEEKDAY_NAMES

# Every colour is a theme role (theme.Colors.CAL_*, theme.cohort_colors), asked for at
# each paint so the month follows the light or dark scheme.


# -- small pure helpers -----------------------------------------------------------------


def cohort_colors(cohort_id: int) -> tuple[QColor, QColor]:
    """A cohort's (strong, tint) colours: stable across runs, different for neighbouring
    ids, in the scheme in force."""
    return theme_cohort_colors(cohort_id)


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def month_title(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def day_label(day: date) -> str:
    """'Thu 5 Nov 2026': English on purpose, like the rest of the app (not the C locale)."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def long_day_label(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def grid_days(year: int, month: int) -> list[date]:
    """The days a Monday-first month grid shows: whole weeks around the month."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def local_midnight(day: date, zone_name: str) -> datetime:
    """The UTC instant a local day starts in a zone."""
    return datetime.combine(day, time(0), zone(zone_name)).astimezone(UTC)


def local_start(call: CallView, zone_name: str) -> datetime:
    return call.starts_at.astimezone(zone(zone_name))


def short_name(name: str) -> str:
    """'Tending the Commons — peer circle' -> 'Tending the Commons' for tight places."""
    for mark in (" — ", " – ", " - ", ": "):
        if mark in name:
            return name.split(mark, 1)[0]
    return name


def time_range(call: CallView, zone_name: str) -> str:
    start = local_start(call, zone_name)
    end = start + timedelta(minutes=call.minutes)
    end = end.astimezone(zone(zone_name))
    extra = "" if end.date() == start.date() else f" (+{(end.date() - start.date()).days}d)"
    return f"{start:%H:%M}–{end:%H:%M}{extra}"


def chip_text(call: CallView, zone_name: str) -> str:
    """What a chip says in full: '09:00 Tending the Commons — peer circle · Call 3 of 7'."""
    return f"{local_start(call, zone_name):%H:%M} {call.cohort_name} · {call.label}"


def call_tooltip(call: CallView, zone_name: str) -> str:
    start = local_start(call, zone_name)
    lines = [
        call.cohort_name,
        f"{call.label} · {call.minutes} min" + (" · cancelled" if call.cancelled else ""),
        f"{day_label(start.date())}, {time_range(call, zone_name)} in {city_of(zone_name)}",
    ]
    if call.cohort_tz != zone_name:
        home = local_start(call, call.cohort_tz)
        lines.append(f"{home:%a %H:%M} in {city_of(call.cohort_tz)}, the cohort's home zone")
    lines.append("Double-click or press Enter to open")
    return "\n".join(lines)


def call_status(call: CallView, now: datetime, zone_name: str) -> str:
    if call.cancelled:
        return "Cancelled"
    end = call.starts_at + timedelta(minutes=call.minutes)
    if end <= now or call.run_finished_at is not None:
        return "Past"
    if call.starts_at <= now:
        return "Now"
    if local_start(call, zone_name).date() == now.astimezone(zone(zone_name)).date():
        return "Today"
    return "Upcoming"


def _fit_one_line(fm: QFontMetrics, name: str, label: str, width: int) -> str:
    """Cohort and call in one line: shorten the cohort's name before losing the call's label."""
    for text in (f"{name} · {label}", f"{short_name(name)} · {label}"):
        if fm.horizontalAdvance(text) <= width:
            return text
    tail = f" · {label}"
    room = width - fm.horizontalAdvance(tail)
    if room >= fm.horizontalAdvance("Mmmm…"):
        return fm.elidedText(short_name(name), Qt.TextElideMode.ElideRight, room) + tail
    return fm.elidedText(f"{short_name(name)}{tail}", Qt.TextElideMode.ElideRight, width)


def _fit_name(fm: QFontMetrics, name: str, width: int) -> str:
    if fm.horizontalAdvance(name) <= width:
        return name
    return fm.elidedText(short_name(name), Qt.TextElideMode.ElideRight, width)


# -- loading ----------------------------------------------------------------------------


class RangeLoader:
    """Loads the calls of a time range: at most one request in flight, stale answers dropped.

    Every request takes a ticket. While one load runs, newer requests only raise the ticket;
    when the running load comes back with an old ticket it is ignored and the latest range is
    asked for once."""

    def __init__(self, ctx: AppContext, owner: QWidget, apply: Callable[[list[CallView]], None]):
        self.ctx = ctx
        self.owner = owner
        self.apply = apply
        self.ticket = 0
        self.loaded_ticket = 0
        self._wanted: tuple[datetime, datetime] | None = None
        self._future: Future[Any] | None = None
        self._in_flight = 0

    @property
    def busy(self) -> bool:
        return self._future is not None and not self._future.done()

    def request(self, start: datetime, end: datetime) -> None:
        self.ticket += 1
        self._wanted = (start, end)
        if not self.busy:
            self._send()

    def _send(self) -> None:
        assert self._wanted is not None
        ticket = self.ticket
        start, end = self._wanted
        self._in_flight = ticket
        self._future = self.ctx.services.call(
            calls.list_calls_between,
            start,
            end,
            then=lambda rows: self._arrived(ticket, rows),
            failed=lambda _error: self._arrived(ticket, None),
        )

    def _arrived(self, ticket: int, rows: list[CallView] | None) -> None:
        if not Shiboken.isValid(self.owner):
            return  # the page went away while its load ran
        if ticket == self._in_flight:
            self._future = None
        if ticket != self.ticket:
            if self._future is None:
                self._send()
            return
        if rows is not None:
            self.loaded_ticket = ticket
            self.apply(rows)


# -- the month grid ---------------------------------------------------------------------


@dataclass
class Chip:
    rect: QRect
    call: CallView
    two_lines: bool


@dataclass
class Cell:
    day: date
    rect: QRect
    in_month: bool
    chips: list[Chip] = field(default_factory=list)
    hidden: list[CallView] = field(default_factory=list)
    more_rect: QRect | None = None

    @property
    def more_text(self) -> str:
        return f"+{len(self.hidden)} more" if self.hidden else ""


class MonthGrid(QWidget):
    """A painted Monday-first month: day numbers, call chips, '+N more' when a day is full."""

    call_activated = Signal(object)  # CallView: double-click or Enter
    selection_changed = Signal()
    month_step = Signal(int)  # PageUp -1, PageDown +1
    left_month = Signal(object)  # date: the keyboard moved the selected day out of the month

    CHIP_GAP = 3
    PAD = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year, self.month = 2000, 1
        self.today = date(2000, 1, 1)
        self.selected_day = date(2000, 1, 1)
        self.selected_call_id: int | None = None
        self.zone_name = "UTC"
        self._by_day: dict[date, list[CallView]] = {}
        self._cells: list[Cell] | None = None
        self._hover: tuple[date, int | None] | None = None  # (day, call id or None for "more")
        self.more_menu: QMenu | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(7 * 72, 320)
        self.setAccessibleName("Month calendar")

    def sizeHint(self) -> QSize:
        return QSize(1000, 640)

    # -- state --------------------------------------------------------------------------

    def set_month(self, year: int, month: int, today: date) -> None:
        self.year, self.month, self.today = year, month, today
        self._relayout()

    def set_calls(self, rows: Sequence[CallView], zone_name: str) -> None:
        self.zone_name = zone_name
        by_day: dict[date, list[CallView]] = {}
        for call in rows:
            by_day.setdefault(local_start(call, zone_name).date(), []).append(call)
        for day_calls in by_day.values():
            day_calls.sort(key=lambda c: (c.starts_at, c.cancelled, c.cohort_name.casefold()))
        self._by_day = by_day
        if self.selected_call is None:
            self.selected_call_id = None
        self._relayout()
        self._announce()

    def days(self) -> list[date]:
        return grid_days(self.year, self.month)

    def calls_on(self, day: date) -> list[CallView]:
        return list(self._by_day.get(day, ()))

    @property
    def selected_call(self) -> CallView | None:
        if self.selected_call_id is None:
            return None
        found = [c for c in self.calls_on(self.selected_day) if c.id == self.selected_call_id]
        return found[0] if found else None

    def select(self, day: date, call_id: int | None) -> None:
        self.selected_day = day
        self.selected_call_id = call_id
        self.update()
        self._announce()

    def _announce(self) -> None:
        day = self.selected_day
        day_calls = self.calls_on(day)
        parts = [long_day_label(day) + (", today" if day == self.today else "")]
        if day_calls:
            count = len(day_calls)
            parts.append(f"{count} call{'s' if count != 1 else ''}")
            parts.extend(
                chip_text(c, self.zone_name) + (" (cancelled)" if c.cancelled else "")
                for c in day_calls
            )
        else:
            parts.append("no calls")
        chosen = self.selected_call
        if chosen is not None:
            parts.append(f"selected: {chip_text(chosen, self.zone_name)}")
        self.setAccessibleDescription("; ".join(parts))
        self.selection_changed.emit()

    # -- layout -------------------------------------------------------------------------

    def chip_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        return font

    def _header_height(self) -> int:
        return QFontMetrics(self.chip_font()).height() + 14

    def _day_height(self) -> int:
        return QFontMetrics(self.font()).height() + 12

    def _relayout(self) -> None:
        self._cells = None
        self.update()

    def cells(self) -> list[Cell]:
        if self._cells is None:
            self._cells = self._layout()
        return self._cells

    def cell_for(self, day: date) -> Cell | None:
        return next((c for c in self.cells() if c.day == day), None)

    def _layout(self) -> list[Cell]:
        days = self.days()
        weeks = len(days) // 7
        width, height = self.width(), self.height()
        top = self._header_height()
        xs = [round(i * width / 7) for i in range(8)]
        ys = [top + round(i * (height - top) / weeks) for i in range(weeks + 1)]
        line = QFontMetrics(self.chip_font()).height()
        one_h, two_h, gap = line + 7, 2 * line + 9, self.CHIP_GAP
        day_h = self._day_height()
        more_font = self.chip_font()
        more_font.setWeight(QFont.Weight.DemiBold)
        more_metrics = QFontMetrics(more_font)
        cells = []
        for i, day in enumerate(days):
            row, col = divmod(i, 7)
            rect = QRect(xs[col], ys[row], xs[col + 1] - xs[col], ys[row + 1] - ys[row])
            cell = Cell(day, rect, (day.year, day.month) == (self.year, self.month))
            day_calls = self.calls_on(day)
            x, w = rect.left() + self.PAD, rect.width() - 2 * self.PAD
            y = rect.top() + day_h
            room = rect.top() + rect.height() - self.PAD - y
            two = (
                bool(day_calls)
                and w >= 120
                and len(day_calls) * (two_h + gap) - gap <= room
                and len(day_calls) <= 2
            )
            chip_h = two_h if two else one_h
            fits = max(0, (room + gap) // (chip_h + gap))
            # A full day keeps its last line for "+N more"; with room for one line only,
            # the chip keeps it and "+N more" moves up beside the day number.
            more_below = len(day_calls) > fits >= 2
            shown = day_calls[: fits - 1] if more_below else day_calls[:fits]
            for call in shown:
                cell.chips.append(Chip(QRect(x, y, w, chip_h), call, two))
                y += chip_h + gap
            cell.hidden = day_calls[len(shown) :]
            if more_below:
                cell.more_rect = QRect(x, y, w, one_h)
            elif cell.hidden:
                wide = more_metrics.horizontalAdvance(cell.more_text) + 6
                room_beside = max(0, w - more_metrics.horizontalAdvance("30 Sep") - 14)
                wide = min(wide, room_beside)
                cell.more_rect = QRect(x + w - wide, rect.top() + 4, wide, day_h - 8)
            cells.append(cell)
        return cells

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cells = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._cells = None
        super().changeEvent(event)

    # -- hit testing --------------------------------------------------------------------

    def hit(self, pos: QPoint) -> tuple[Cell | None, CallView | None, bool]:
        """(cell, call under the point, whether the point is on '+N more')."""
        for cell in self.cells():
            if not cell.rect.contains(pos):
                continue
            for chip in cell.chips:
                if chip.rect.contains(pos):
                    return cell, chip.call, False
            if cell.more_rect is not None and cell.more_rect.contains(pos):
                return cell, None, True
            return cell, None, False
        return None, None, False

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Colors.BASE.color())
        cells = self.cells()
        self._paint_weekdays(painter, cells)
        for cell in cells:
            if cell.rect.intersects(event.rect()):
                self._paint_cell(painter, cell)
        self._paint_lines(painter, cells)
        selected = next((c for c in cells if c.day == self.selected_day), None)
        if selected is not None:
            color = (Colors.ACCENT if self.hasFocus() else Colors.ACCENT_FILL_DISABLED).color()
            painter.setPen(QPen(color, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(selected.rect).adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_weekdays(self, painter: QPainter, cells: list[Cell]) -> None:
        height = self._header_height()
        painter.fillRect(QRect(0, 0, self.width(), height), Colors.HEADER.color())
        font = self.chip_font()
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        fm = QFontMetrics(font)
        for col in range(7):
            rect = cells[col].rect
            box = QRect(rect.left() + self.PAD + 3, 0, rect.width() - 2 * self.PAD, height)
            name = WEEKDAYS[col] if fm.horizontalAdvance(WEEKDAYS[2]) <= box.width() else ""
            name = name or WEEKDAYS[col][:3]
            painter.setPen((Colors.MUTED_TEXT if col < 5 else Colors.DIM_TEXT).color())
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)

    def _paint_lines(self, painter: QPainter, cells: list[Cell]) -> None:
        painter.setPen(QPen(Colors.CAL_GRID.color(), 1))
        top = self._header_height()
        painter.drawLine(0, top, self.width(), top)
        for cell in cells[:7]:
            if cell.rect.left() > 0:
                painter.drawLine(cell.rect.left(), top, cell.rect.left(), self.height())
        for cell in cells[::7][1:]:
            painter.drawLine(0, cell.rect.top(), self.width(), cell.rect.top())

    def _paint_cell(self, painter: QPainter, cell: Cell) -> None:
        rect = cell.rect
        if not cell.in_month:
            background = Colors.CAL_OUTSIDE
        elif cell.day == self.today:
            background = Colors.CAL_TODAY
        elif cell.day.weekday() >= 5:
            background = Colors.CAL_WEEKEND
        else:
            background = Colors.BASE
        painter.fillRect(rect, background.color())
        self._paint_day_number(painter, cell)
        painter.setOpacity(1.0 if cell.in_month else 0.6)
        for chip in cell.chips:
            self._paint_chip(painter, chip)
        painter.setOpacity(1.0)
        if cell.more_rect is not None:
            self._paint_more(painter, cell)

    def _paint_day_number(self, painter: QPainter, cell: Cell) -> None:
        day = cell.day
        text = f"{day.day} {MONTH_NAMES[day.month - 1][:3]}" if day.day == 1 else str(day.day)
        font = QFont(self.font())
        is_today = day == self.today
        if is_today or day.day == 1:
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        fm = QFontMetrics(font)
        height = fm.height() + 4
        width = max(height, fm.horizontalAdvance(text) + 12)
        badge = QRectF(cell.rect.left() + self.PAD, cell.rect.top() + 5, width, height)
        if is_today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(Colors.ACCENT_FILL.color())
            painter.drawRoundedRect(badge, height / 2, height / 2)
            painter.setPen(Colors.ON_ACCENT.color())
        else:
            painter.setPen((Colors.CAL_CHIP_TEXT if cell.in_month else Colors.DIM_TEXT).color())
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_chip(self, painter: QPainter, chip: Chip) -> None:
        call = chip.call
        strong, tint = cohort_colors(call.cohort_id)
        if call.cancelled:
            strong, tint = Colors.CAL_CANCELLED.color(), Colors.CAL_CANCELLED_TINT.color()
        selected = call.id == self.selected_call_id and self.selected_day == (
            local_start(call, self.zone_name).date()
        )
        hovered = self._hover == (local_start(call, self.zone_name).date(), call.id)
        dark = is_dark()
        hover_tint = tint.lighter(125) if dark else tint.darker(107)
        fill = strong if selected else (hover_tint if hovered else tint)
        on_strong = Colors.ON_COHORT.color()
        text_color = on_strong if selected else Colors.CAL_CHIP_TEXT.color()
        time_color = on_strong if selected else (strong if dark else strong.darker(110))
        if call.cancelled and not selected:
            text_color = time_color = Colors.CAL_CANCELLED_TEXT.color()

        box = QRectF(chip.rect)
        path = QPainterPath()
        path.addRoundedRect(box, 4, 4)
        painter.fillPath(path, fill)
        if not selected:
            painter.save()
            painter.setClipPath(path)
            painter.fillRect(QRectF(box.left(), box.top(), 3, box.height()), strong)
            painter.restore()

        font = self.chip_font()
        font.setStrikeOut(call.cancelled)
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        fm, fm_bold = QFontMetrics(font), QFontMetrics(bold)
        # A cancelled call strikes its time and cohort; "Cancelled call" itself stays legible.
        plain = QFont(font)
        plain.setStrikeOut(False)
        plain.setItalic(call.cancelled)
        inner = chip.rect.adjusted(9, 0, -6, 0)
        line_h = fm.height()
        start = f"{local_start(call, self.zone_name):%H:%M}"
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if chip.two_lines:
            first = QRect(inner.left(), inner.top() + 4, inner.width(), line_h)
            second = QRect(inner.left(), first.bottom() + 1, inner.width(), line_h)
            used = fm_bold.horizontalAdvance(start + " ")
            label = fm.elidedText(
                f"· {call.label}", Qt.TextElideMode.ElideRight, max(0, inner.width() - used)
            )
            painter.setFont(bold)
            painter.setPen(time_color)
            painter.drawText(first, flags, start)
            painter.setFont(plain)
            painter.setPen(text_color)
            painter.drawText(first.adjusted(used, 0, 0, 0), flags, label)
            painter.setFont(font)
            painter.drawText(second, flags, _fit_name(fm, call.cohort_name, inner.width()))
            return
        used = fm_bold.horizontalAdvance(start + " ")
        if used >= inner.width():
            painter.setFont(bold)
            painter.setPen(time_color)
            painter.drawText(
                inner, flags, fm_bold.elidedText(start, Qt.TextElideMode.ElideRight, inner.width())
            )
            return
        painter.setFont(bold)
        painter.setPen(time_color)
        painter.drawText(inner, flags, start)
        painter.setFont(plain)
        painter.setPen(text_color)
        rest = _fit_one_line(fm, call.cohort_name, call.label, inner.width() - used)
        painter.drawText(inner.adjusted(used, 0, 0, 0), flags, rest)

    def _paint_more(self, painter: QPainter, cell: Cell) -> None:
        assert cell.more_rect is not None
        font = self.chip_font()
        font.setWeight(QFont.Weight.DemiBold)
        font.setUnderline(self._hover == (cell.day, None))
        painter.setFont(font)
        painter.setPen(Colors.ACCENT.color())
        in_header = cell.more_rect.top() < cell.rect.top() + self._day_height() - 4
        align = Qt.AlignmentFlag.AlignRight if in_header else Qt.AlignmentFlag.AlignLeft
        box = cell.more_rect if in_header else cell.more_rect.adjusted(8, 0, 0, 0)
        fm = QFontMetrics(font)
        text = cell.more_text
        if fm.horizontalAdvance(text) > box.width():
            text = fm.elidedText(f"+{len(cell.hidden)}", Qt.TextElideMode.ElideRight, box.width())
        painter.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, text)

    # -- mouse and keyboard -------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        cell, call, more = self.hit(event.position().toPoint())
        if cell is None:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.select(cell.day, call.id if call else None)
        if more:
            self.show_more(cell, event.position().toPoint())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        cell, call, _more = self.hit(event.position().toPoint())
        if cell is not None and call is not None:
            self.select(cell.day, call.id)
            self.call_activated.emit(call)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell, call, more = self.hit(event.position().toPoint())
        hover: tuple[date, int | None] | None = None
        if cell is not None and (call is not None or more):
            hover = (cell.day, call.id if call else None)
        if hover != self._hover:
            self._hover = hover
            shape = Qt.CursorShape.PointingHandCursor if hover else Qt.CursorShape.ArrowCursor
            self.setCursor(shape)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.unsetCursor()
            self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell, call, more = self.hit(event.pos())
            if call is not None:
                QToolTip.showText(event.globalPos(), call_tooltip(call, self.zone_name), self)
            elif cell is not None and more:
                names = "\n".join(chip_text(c, self.zone_name) for c in cell.hidden)
                QToolTip.showText(event.globalPos(), f"Also on this day:\n{names}", self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def show_more(self, cell: Cell, pos: QPoint) -> None:
        """A menu of every call on a full day; choosing one opens it."""
        menu = QMenu(self)
        menu.setAccessibleName(f"Calls on {long_day_label(cell.day)}")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for call in self.calls_on(cell.day):
            text = chip_text(call, self.zone_name) + ("  (cancelled)" if call.cancelled else "")
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, c=call: self._choose(c))
        self.more_menu = menu
        menu.destroyed.connect(self._menu_gone)
        menu.popup(self.mapToGlobal(pos))

    def _menu_gone(self) -> None:
        self.more_menu = None

    def _choose(self, call: CallView) -> None:
        self.select(local_start(call, self.zone_name).date(), call.id)
        self.call_activated.emit(call)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        if key in steps:
            self.move_day(self.selected_day + timedelta(days=steps[Qt.Key(key)]))
        elif key == Qt.Key.Key_PageUp:
            self.month_step.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.month_step.emit(1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            call = self.selected_call
            day_calls = self.calls_on(self.selected_day)
            if call is None and day_calls:
                call = day_calls[0]
            if call is not None:
                self.call_activated.emit(call)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def move_day(self, day: date) -> None:
        """Select a day (and its first call, so Enter opens it); leave the month if needed."""
        day_calls = self.calls_on(day)
        self.selected_day = day
        self.selected_call_id = day_calls[0].id if day_calls else None
        if (day.year, day.month) != (self.year, self.month):
            self.left_month.emit(day)
        self.update()
        self._announce()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab moves between the calls of the selected day before leaving the calendar."""
        day_calls = self.calls_on(self.selected_day)
        ids = [c.id for c in day_calls]
        if len(ids) > 1 and self.selected_call_id in ids:
            index = ids.index(self.selected_call_id) + (1 if next else -1)
            if 0 <= index < len(ids):
                self.select(self.selected_day, ids[index])
                return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)


# -- the agenda -------------------------------------------------------------------------

_DOTS: dict[str, QIcon] = {}


def color_dot(color: QColor) -> QIcon:
    key = color.name()
    if key not in _DOTS:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        _DOTS[key] = QIcon(pixmap)
    return _DOTS[key]


class AgendaModel(RowsModel[CallView]):
    """Rows of calls; adds the cohort's colour dot and strikes cancelled calls through."""

    COHORT_COLUMN = 2
    CALL_COLUMN = 3
    STATUS_COLUMN = 5

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid():
            row = self.rows[index.row()]
            if role == Qt.ItemDataRole.DecorationRole and index.column() == self.COHORT_COLUMN:
                strong = (
                    Colors.CAL_CANCELLED.color()
                    if row.cancelled
                    else cohort_colors(row.cohort_id)[0]
                )
                return color_dot(strong)
            if (
                role == Qt.ItemDataRole.FontRole
                and row.cancelled
                and index.column() not in (self.CALL_COLUMN, self.STATUS_COLUMN)
            ):
                font = QFont()
                font.setStrikeOut(True)
                return font
        return super().data(index, role)


# -- the page ---------------------------------------------------------------------------


class CalendarPage(QWidget):
    """Every cohort's calls by month or as an agenda, in the facilitator's time zone."""

    MONTH = "month"
    AGENDA = "agenda"
    AGENDA_MONTHS = 3

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.zone_name = ctx.facilitator_zone
        today = self.today()
        self.year, self.month = today.year, today.month
        self.mode = self.MONTH
        self.month_calls: list[CallView] = []
        self.month_loader = RangeLoader(ctx, self, self._month_loaded)
        self.agenda_loader = RangeLoader(ctx, self, self._agenda_loaded)
        self._agenda_selected: int | None = None
        self._first_of_day: set[int] = set()  # agenda rows that start a new day show its date

        self._build_header()
        self.month_grid = MonthGrid()
        self.month_grid.select(today, None)
        self.month_grid.call_activated.connect(self.open_call)
        self.month_grid.month_step.connect(self.step_month)
        self.month_grid.left_month.connect(lambda day: self.show_month(day.year, day.month))
        self._build_agenda()

        self.stack = QStackedWidget()
        self.stack.addWidget(self.month_grid)
        self.stack.addWidget(self.agenda_page)
        frame = QFrame()
        frame.setObjectName("calendarFrame")
        # Its border and background: the style sheet's QFrame#calendarFrame.
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.stack)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(6)
        layout.addLayout(self.header)
        layout.addWidget(self.status)
        layout.addWidget(frame, 1)

        ctx.events.data_changed.connect(self._data_changed)
        self._sync_header()
        self.refresh()

    # -- building -----------------------------------------------------------------------

    def _build_header(self) -> None:
        self.prev_button = QToolButton()
        self.prev_button.setText("‹")
        self.prev_button.setAccessibleName("Previous month")
        self.prev_button.setToolTip("Previous month (Page Up)")
        self.next_button = QToolButton()
        self.next_button.setText("›")
        self.next_button.setAccessibleName("Next month")
        self.next_button.setToolTip("Next month (Page Down)")
        for button in (self.prev_button, self.next_button):
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 1.5)
            button.setFont(font)
            button.setFixedSize(34, 32)
            button.setAutoRaise(True)
        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Go to today")
        self.today_button.setToolTip("Show the month with today in it")
        self.today_button.clicked.connect(self.go_to_today)

        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setAccessibleName("Shown month")
        title_font = self.title.font()
        title_font.setPointSizeF(max(title_font.pointSizeF() * 1.5, 15))
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)
        self.title.setMinimumWidth(QFontMetrics(title_font).horizontalAdvance("September 2026  "))

        self.zone_caption = QLabel()
        self.zone_caption.setProperty("role", "muted")
        self.zone_caption.setProperty("role", "muted")

        self.month_button = QPushButton("Month")
        self.month_button.setObjectName("segmentFirst")
        self.month_button.setAccessibleName("Month view")
        self.agenda_button = QPushButton("Agenda")
        self.agenda_button.setObjectName("segmentLast")
        self.agenda_button.setAccessibleName("Agenda view")
        self.mode_group = QButtonGroup(self)
        self.mode_group.setExclusive(True)
        segments = QWidget()
        segments.setObjectName("calendarSegments")  # styled by theme.style_sheet
        segment_layout = QHBoxLayout(segments)
        segment_layout.setContentsMargins(0, 0, 0, 0)
        segment_layout.setSpacing(0)
        for segment in (self.month_button, self.agenda_button):
            segment.setCheckable(True)
            self.mode_group.addButton(segment)
            segment_layout.addWidget(segment)
        self.month_button.setChecked(True)
        self.mode_group.buttonToggled.connect(self._mode_toggled)

        self.header = QHBoxLayout()
        self.header.setSpacing(6)
        self.header.addWidget(self.prev_button)
        self.header.addWidget(self.next_button)
        self.header.addWidget(self.today_button)
        self.header.addSpacing(12)
        self.header.addWidget(self.title)
        self.header.addStretch(1)
        self.header.addWidget(self.zone_caption)
        self.header.addSpacing(12)
        self.header.addWidget(segments)

        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setAccessibleName("Calendar summary")

    def _build_agenda(self) -> None:
        columns: list[Column[CallView]] = [
            Column(
                "Date",
                lambda c: self._date_text(c) if c.id in self._first_of_day else "",
                tooltip=self._date_text,
            ),
            Column("Time", lambda c: time_range(c, self.zone_name)),
            Column("Cohort", lambda c: c.cohort_name, tooltip=lambda c: c.cohort_name),
            Column("Call", lambda c: c.label),
            Column("Length", lambda c: f"{c.minutes} min", align_right=True),
            Column("Status", self._status_text, foreground=self._status_color),
        ]
        self.agenda_model = AgendaModel(columns, self)
        view = table_view()
        view.setModel(self.agenda_model)
        view.setAccessibleName("Agenda of calls")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(QFontMetrics(view.font()).height() + 16)
        view.setIconSize(QSize(12, 12))
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMaximumSectionSize(440)  # a long cohort name is elided, not a scroll bar
        header.setStretchLastSection(True)
        view.activated.connect(self._agenda_activated)
        view.selectionModel().currentRowChanged.connect(self._agenda_current)
        self.agenda = view

        self.agenda_empty = QLabel()
        self.agenda_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.agenda_empty.setWordWrap(True)
        self.agenda_empty.setProperty("role", "muted")
        self.agenda_empty.setStyleSheet("font-size: 11pt;")
        self.agenda_page = QStackedWidget()
        self.agenda_page.addWidget(view)
        self.agenda_page.addWidget(self.agenda_empty)

    # -- public -------------------------------------------------------------------------

    def today(self) -> date:
        return self.ctx.clock().astimezone(zone(self.zone_name)).date()

    @property
    def shown_month(self) -> tuple[int, int]:
        return self.year, self.month

    @property
    def selected_call(self) -> CallView | None:
        if self.mode == self.MONTH:
            return self.month_grid.selected_call
        index = self.agenda.currentIndex()
        return self.agenda_model.row_at(index.row()) if index.isValid() else None

    def refresh(self) -> None:
        """Read the zone and the clock again, and load the calls the current view shows."""
        self.zone_name = self.ctx.facilitator_zone
        self.zone_caption.setText(f"Times in {city_of(self.zone_name)}")
        self.zone_caption.setToolTip(f"Your time zone, {self.zone_name}")
        today = self.today()
        self.month_grid.set_month(self.year, self.month, today)
        if self.mode == self.MONTH:
            start, end = self.month_range()
            self.month_loader.request(start, end)
        else:
            start, end = self.agenda_range()
            self.agenda_loader.request(start, end)

    def show_month(self, year: int, month: int) -> None:
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, not {month}")
        self.year, self.month = year, month
        chosen = self.month_grid.selected_day
        if (chosen.year, chosen.month) != (year, month):
            last = calendar.monthrange(year, month)[1]
            self.month_grid.select(date(year, month, min(chosen.day, last)), None)
        self._sync_header()
        self.refresh()

    def set_mode(self, mode: str) -> None:
        if mode not in (self.MONTH, self.AGENDA):
            raise ValueError(f"unknown calendar view {mode!r}")
        button = self.month_button if mode == self.MONTH else self.agenda_button
        if not button.isChecked():
            button.setChecked(True)  # _mode_toggled does the rest

    def step_month(self, count: int) -> None:
        self.show_month(*add_months(self.year, self.month, count))

    def go_to_today(self) -> None:
        today = self.today()
        self.month_grid.select(today, None)
        self.show_month(today.year, today.month)

    def month_range(self) -> tuple[datetime, datetime]:
        """The instants the month grid shows, leading and trailing days included."""
        days = grid_days(self.year, self.month)
        return (
            local_midnight(days[0], self.zone_name),
            local_midnight(days[-1] + timedelta(days=1), self.zone_name),
        )

    def agenda_range(self) -> tuple[datetime, datetime]:
        start, _ = calls.month_bounds(self.year, self.month, self.zone_name)
        last_year, last_month = add_months(self.year, self.month, self.AGENDA_MONTHS - 1)
        _, end = calls.month_bounds(last_year, last_month, self.zone_name)
        return start, end

    def open_call(self, call: CallView) -> None:
        self.ctx.events.open_call.emit(call.cohort_id, call.id)

    # -- reacting -----------------------------------------------------------------------

    def _sync_header(self) -> None:
        self.title.setText(month_title(self.year, self.month))

    def _mode_toggled(self, button: QPushButton, checked: bool) -> None:
        if not checked:
            return
        self.mode = self.MONTH if button is self.month_button else self.AGENDA
        self.stack.setCurrentWidget(
            self.month_grid if self.mode == self.MONTH else self.agenda_page
        )
        self._update_status()
        self.refresh()

    def _data_changed(self, topics: frozenset[Topic]) -> None:
        if Topic.CALLS in topics or Topic.COHORTS in topics:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.ctx.facilitator_zone != self.zone_name or self.today() != self.month_grid.today:
            self.refresh()

    def _month_loaded(self, rows: list[CallView]) -> None:
        self.month_calls = rows
        self.month_grid.set_calls(rows, self.zone_name)
        self._sync_header()
        self._update_status()

    def _agenda_loaded(self, rows: list[CallView]) -> None:
        keep = self._agenda_selected
        seen: set[date] = set()
        self._first_of_day = set()
        for call in rows:
            day = local_start(call, self.zone_name).date()
            if day not in seen:
                seen.add(day)
                self._first_of_day.add(call.id)
        self.agenda_model.set_rows(rows)
        if rows:
            self.agenda_page.setCurrentWidget(self.agenda)
            now = self.ctx.clock()
            ids = [c.id for c in rows]
            if keep in ids:
                row = ids.index(keep)
            else:
                upcoming = [i for i, c in enumerate(rows) if c.starts_at >= now]
                row = upcoming[0] if upcoming else 0
            index = self.agenda_model.index(row, 0)
            self.agenda.setCurrentIndex(index)
            self.agenda.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            last = add_months(self.year, self.month, self.AGENDA_MONTHS - 1)
            self.agenda_empty.setText(
                f"No calls from {month_title(self.year, self.month)} "
                f"to {month_title(*last)}.\n"
                "Plan a cohort's calls from the Cohorts page."
            )
            self.agenda_page.setCurrentWidget(self.agenda_empty)
        self._update_status()

    def _update_status(self) -> None:
        if self.mode == self.MONTH:
            if self.month_loader.loaded_ticket == 0:
                self.status.setText("Loading calls…")
                return
            in_month = [
                c
                for c in self.month_calls
                if (d := local_start(c, self.zone_name).date()).year == self.year
                and d.month == self.month
            ]
            title = month_title(self.year, self.month)
            self.status.setText(self._count_text(in_month, f"in {title}"))
            return
        if self.agenda_loader.loaded_ticket == 0:
            self.status.setText("Loading calls…")
            return
        last = add_months(self.year, self.month, self.AGENDA_MONTHS - 1)
        span = f"from {month_title(self.year, self.month)} to {month_title(*last)}"
        self.status.setText(self._count_text(self.agenda_model.rows, span))

    @staticmethod
    def _count_text(rows: Sequence[CallView], span: str) -> str:
        cancelled = sum(1 for c in rows if c.cancelled)
        held = len(rows) - cancelled
        if not rows:
            return f"No calls {span}"
        text = f"{held} call{'s' if held != 1 else ''} {span}"
        cohorts = len({c.cohort_id for c in rows})
        if cohorts > 1:
            text += f" · {cohorts} cohorts"
        if cancelled:
            text += f" · {cancelled} cancelled"
        return text

    def _date_text(self, call: CallView) -> str:
        return day_label(local_start(call, self.zone_name).date())

    def _status_text(self, call: CallView) -> str:
        return call_status(call, self.ctx.clock(), self.zone_name)

    def _status_color(self, call: CallView) -> QColor | None:
        status = self._status_text(call)
        if status in ("Today", "Now"):
            return Colors.ACCENT.color()
        if status in ("Past", "Cancelled"):
            return Colors.MUTED_TEXT.color()
        return None

    def _agenda_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._agenda_selected = self.agenda_model.row_at(current.row()).id

    def _agenda_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            row: CallView = index.data(ROW_ROLE)
            self.open_call(row)
