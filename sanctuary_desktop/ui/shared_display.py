"""The shared display: the countdown as the group sees it on a call, a projector or a TV.

Everything is sized from the window, so the digits fill whatever screen it is shown
on, and nothing else competes with them: the stage, whose turn it is, and one line
per role saying what to do now. Children are placed by hand rather than by a layout,
so a new second changes one label's text and nothing is laid out again.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import QLabel, QWidget

from sanctuary_desktop.domain.protocols import Role
from sanctuary_desktop.domain.timer import Level, Phase, Snapshot, countdown_text
from sanctuary_desktop.ui.theme import Colors
from sanctuary_desktop.ui.timer_style import ProgressRing, level_color, paused_color

WINDOW_TITLE = "Sanctuary — shared display"
# Projected: dark whatever the app's scheme (see theme.Colors.DISPLAY_*).
BACKGROUND = Colors.DISPLAY_BACKGROUND.color()
TEXT = Colors.DISPLAY_TEXT.color()
HIGHLIGHT = Colors.DISPLAY_HIGHLIGHT.color()
CUE_TEXT = Colors.DISPLAY_CUE_TEXT.color()
FLASH_MS = 450
# The digits are sized for this, so they keep one size from 59:59 down to 0:00 and only
# a wider shape (overtime's "+", hours) makes them smaller, just enough to fit.
USUAL_TEMPLATE = "00:00"

# Shares of the window's height.
MARGIN = 0.045
STAGE_ROW = 0.095
TURN_ROW = 0.07
CUE_AREA = 0.3
CUE_FONT = 0.038  # preferred; shrinks to fit a long cue
CUE_FONT_MIN = 0.024


class _FlashOverlay(QWidget):
    """A brief wash of light over the whole display, ignoring the mouse."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        wash = Colors.DISPLAY_FLASH.color()
        wash.setAlpha(150)
        painter.fillRect(self.rect(), wash)
        painter.end()


class Countdown(QLabel):
    """The digits, drawn centred on their ink rather than on the font's line box.

    Fonts differ a lot in how much room they leave above and below digits (a CJK
    fallback font leaves half as much again), so sizing by the line box would waste a
    third of the height on some systems. A QLabel still, for its text and accessibility.
    """

    def paintEvent(self, event: QPaintEvent) -> None:
        metrics = QFontMetricsF(self.font())
        ink = metrics.tightBoundingRect("0")  # above the baseline: negative top
        baseline = self.height() / 2 - ink.center().y()
        text = self.text()
        left = (self.width() - metrics.horizontalAdvance(text)) / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(QPointF(left, baseline), text)
        painter.end()


def digit_height(metrics: QFontMetricsF) -> float:
    return metrics.tightBoundingRect("0").height()


class SharedDisplay(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A window of its own even when given a parent: it goes to another screen.
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(WINDOW_TITLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 180)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, BACKGROUND)
        palette.setColor(QPalette.ColorRole.WindowText, TEXT)
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        self.stage = self._label(TEXT, "Stage")
        self.turn = self._label(HIGHLIGHT, "Turn")
        self.digits = Countdown(self)
        self.digits.setTextFormat(Qt.TextFormat.PlainText)
        self.digits.setAccessibleName("Time left")
        _set_color(self.digits, level_color(Level.CALM))
        self.ring = ProgressRing(self)
        self.status = self._label(TEXT, "Timer status")
        self.cues: list[QLabel] = []
        self._overlay = _FlashOverlay(self)
        self.flash_timer = QTimer(self)
        self.flash_timer.setSingleShot(True)
        self.flash_timer.setInterval(FLASH_MS)
        self.flash_timer.timeout.connect(self.end_flash)

        self._phase = Phase.READY
        self._level = Level.CALM
        self._cue_pairs: tuple[tuple[Role, str], ...] = ()
        self._shape = _shape_of("0:00")
        self.resize(1280, 720)

    def _label(self, color: QColor, name: str) -> QLabel:
        label = QLabel(self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(name)
        _set_color(label, color)
        return label

    # -- what is shown -----------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot, names: Mapping[int, str]) -> None:
        """Show the timer's state; only what changed since the last snapshot is touched."""
        phase_changed = snapshot.phase is not self._phase
        self._phase = snapshot.phase
        relayout = phase_changed

        turn_text = ""
        if snapshot.turn is not None:
            turn = snapshot.turn
            turn_text = f"Turn {turn.index + 1} of {turn.count}"
            name = names.get(turn.person, "")
            if name:
                turn_text += f" · {name}"
        relayout |= _set_text(self.turn, turn_text)  # a new name may need a smaller font
        relayout |= _set_text(self.stage, snapshot.item.label)

        pairs = tuple(snapshot.item.cues.items())
        if pairs != self._cue_pairs:
            self._show_cues(pairs)
            relayout = True

        digits = countdown_text(snapshot.remaining)
        shape = _shape_of(digits)
        if shape != self._shape:
            self._shape = shape  # one character more or fewer: centre the pair again
            relayout = True
        _set_text(self.digits, digits)

        status = {Phase.PAUSED: "PAUSED", Phase.FINISHED: "Call finished"}.get(snapshot.phase, "")
        _set_text(self.status, status)

        if phase_changed or snapshot.level is not self._level:
            self._level = snapshot.level
            _set_color(self.digits, self._digit_color())
            _set_color(self.status, self._digit_color() if self.paused else TEXT)
        self.ring.set_state(snapshot.progress, self._digit_color())
        if relayout:
            self._place()

    @property
    def paused(self) -> bool:
        return self._phase is Phase.PAUSED

    def _digit_color(self) -> QColor:
        """The level's colour; paused, one cool colour for every level (still 4.5:1)."""
        return paused_color(dark=True) if self.paused else level_color(self._level)

    def _show_cues(self, pairs: tuple[tuple[Role, str], ...]) -> None:
        self._cue_pairs = pairs
        for label in self.cues:
            label.hide()
            label.deleteLater()
        self.cues = []
        for role, text in pairs:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setText(
                f'<span style="color:{HIGHLIGHT.name()}; font-weight:600">'
                f"{html.escape(role.label)}</span><br>{html.escape(text)}"
            )
            label.setAccessibleName(f"{role.label}: {text}")
            _set_color(label, CUE_TEXT)
            label.show()
            self.cues.append(label)
        self._overlay.raise_()

    @property
    def cue_texts(self) -> dict[Role, str]:
        """The cue shown for each role, as plain text."""
        return dict(self._cue_pairs)

    # -- placing -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        width, height = self.width(), self.height()
        margin = round(min(width, height) * MARGIN)
        inner = QRect(margin, margin, width - 2 * margin, height - 2 * margin)
        self._overlay.setGeometry(self.rect())
        finished = self._phase is Phase.FINISHED
        for widget in (self.stage, self.digits, self.ring, *self.cues):
            widget.setVisible(not finished)
        self.turn.setVisible(not finished and bool(self.turn.text()))
        if finished:
            self.status.setGeometry(inner)
            _fit_font(self.status, inner.width() * 0.9, inner.height() * 0.2, bold=True)
            return

        top = inner.top()
        stage_h = round(height * STAGE_ROW)
        self.stage.setGeometry(inner.left(), top, inner.width(), stage_h)
        _fit_font(self.stage, inner.width(), stage_h * 0.78, bold=True)
        top += stage_h
        if self.turn.text():
            turn_h = round(height * TURN_ROW)
            self.turn.setGeometry(inner.left(), top, inner.width(), turn_h)
            _fit_font(self.turn, inner.width(), turn_h * 0.75)
            top += turn_h
        bottom = inner.bottom() + 1
        if self.cues:
            cue_h = round(height * CUE_AREA)
            self._place_cues(QRect(inner.left(), bottom - cue_h, inner.width(), cue_h))
            bottom -= cue_h + round(height * 0.02)
        self._place_countdown(QRect(inner.left(), top, inner.width(), bottom - top))

    def _place_countdown(self, area: QRect) -> None:
        """The ring on the left, the digits beside it, the pair centred in ``area``."""
        ring_side = round(min(area.height() * 0.7, area.width() * 0.2))
        gap = round(ring_side * 0.3)  # apart enough not to read as a letter
        font = _digit_font(self.font())
        metrics = QFontMetricsF(font)  # measured at 100 px, then scaled
        widest = max(self._shape, USUAL_TEMPLATE, key=metrics.horizontalAdvance)
        room = area.width() - ring_side - gap
        pixels = min(
            room / metrics.horizontalAdvance(widest),
            area.height() * 0.8 / digit_height(metrics),
        )
        font.setPixelSize(max(8, math.floor(pixels * 100)))
        self.digits.setFont(font)
        digits_width = math.ceil(QFontMetricsF(font).horizontalAdvance(self._shape))
        left = area.left() + (area.width() - ring_side - gap - digits_width) // 2
        middle = area.top() + area.height() // 2
        self.ring.setGeometry(left, middle - ring_side // 2, ring_side, ring_side)
        self.digits.setGeometry(left + ring_side + gap, area.top(), digits_width, area.height())
        self.status.setGeometry(self.ring.geometry())
        _fit_font(self.status, ring_side * 0.62, ring_side * 0.2, bold=True)
        self.status.raise_()

    def _place_cues(self, area: QRect) -> None:
        columns = 1 if len(self.cues) == 1 else 2
        rows = math.ceil(len(self.cues) / columns)
        gap_x = round(area.width() * 0.04)
        gap_y = round(area.height() * 0.06)
        cell_w = (area.width() - gap_x * (columns - 1)) // columns
        cell_h = (area.height() - gap_y * (rows - 1)) // rows
        # One size for every cue, the largest at which the longest still fits its cell.
        font = QFont(self.font())
        pixels = round(self.height() * CUE_FONT)
        smallest = max(9, round(self.height() * CUE_FONT_MIN))
        while True:
            font.setPixelSize(pixels)
            for label in self.cues:
                label.setFont(font)
            if pixels <= smallest or all(
                label.heightForWidth(cell_w) <= cell_h for label in self.cues
            ):
                break
            pixels -= 1
        for number, label in enumerate(self.cues):
            row, column = divmod(number, columns)
            label.setGeometry(
                area.left() + column * (cell_w + gap_x),
                area.top() + row * (cell_h + gap_y),
                cell_w,
                cell_h,
            )

    # -- the window --------------------------------------------------------------------

    def show_on(self, screen: QScreen, full_screen: bool = True) -> None:
        """Move to ``screen`` and show there, filling it unless told otherwise."""
        if self.isFullScreen():
            self.showNormal()  # a full-screen window only moves once it is normal again
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        if full_screen:
            self.showFullScreen()
        else:
            self.show()
        self.raise_()
        self.activateWindow()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        elif event.key() == Qt.Key.Key_F and not event.modifiers():
            self.toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.toggle_full_screen()

    # -- flashing ----------------------------------------------------------------------

    def flash(self) -> None:
        """Brighten the whole display for a moment, once."""
        self._overlay.setGeometry(self.rect())
        self._overlay.raise_()
        self._overlay.show()
        self.flash_timer.start()

    def end_flash(self) -> None:
        self.flash_timer.stop()
        self._overlay.hide()

    @property
    def flashing(self) -> bool:
        return self._overlay.isVisible()


def _shape_of(text: str) -> str:
    """The text with every digit a zero: with digits of one width, as wide as the text."""
    return re.sub(r"\d", "0", text)


def _digit_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setBold(True)
    font.setFeature(QFont.Tag("tnum"), 1)  # digits of one width: the text does not jitter
    font.setPixelSize(100)
    return font


def _fit_font(label: QLabel, width: float, height: float, *, bold: bool = False) -> None:
    """One line of text as large as ``height`` allows, smaller if it would not fit ``width``."""
    font = QFont(label.font())
    font.setBold(bold)
    font.setPixelSize(100)
    metrics = QFontMetricsF(font)
    text_width = max(metrics.horizontalAdvance(label.text()), 1.0)
    pixels = min(height / metrics.height() * 100, width / text_width * 100)
    font.setPixelSize(max(8, math.floor(pixels)))
    label.setFont(font)


def _set_text(label: QLabel, text: str) -> bool:
    if label.text() == text:
        return False
    label.setText(text)
    return True


def _set_color(label: QWidget, color: QColor) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)
