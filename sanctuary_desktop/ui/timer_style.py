"""How the countdown looks at each level, and a progress ring drawn beside it."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from sanctuary_desktop.domain.contrast import contrast_ratio_rgb
from sanctuary_desktop.domain.timer import Level
from sanctuary_desktop.ui.theme import Colors, is_dark

# Each level keeps its meaning in both schemes: calm is quiet, and each step is warmer
# and easier to notice. The colours are theme roles (Colors.TIMER_*): the light value is
# for the app's light window, the dark value for a dark background (the app's dark
# window and the shared display). tests/ui/test_theme.py measures each at 4.5:1 or more.
_ROLES = {
    Level.CALM: Colors.TIMER_CALM,
    Level.WARNING: Colors.TIMER_WARNING,
    Level.URGENT: Colors.TIMER_URGENT,
    Level.OVERTIME: Colors.TIMER_OVERTIME,
}
_ON_DARK = {level: pair.color(dark=True) for level, pair in _ROLES.items()}
_ON_LIGHT = {level: pair.color(dark=False) for level, pair in _ROLES.items()}

# Paused is not a level: one cool colour, whatever the level, so a stopped clock never
# reads as a running one. Both keep at least 4.5:1 against their background.
PAUSED_ON_DARK = Colors.TIMER_PAUSED.color(dark=True)
PAUSED_ON_LIGHT = Colors.TIMER_PAUSED.color(dark=False)
PAUSED_BADGE = Colors.PAUSED_BADGE.color()  # the window's "PAUSED" badge, white text on it


def paused_color(*, dark: bool) -> QColor:
    """The countdown's colour while the call is paused."""
    return QColor(PAUSED_ON_DARK if dark else PAUSED_ON_LIGHT)


def paused_color_on_window() -> QColor:
    """The countdown's colour while paused, on the app's window in the scheme in force."""
    return paused_color(dark=is_dark())


def contrast_ratio(one: QColor, other: QColor) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1 to 21)."""
    return contrast_ratio_rgb(
        (one.redF(), one.greenF(), one.blueF()), (other.redF(), other.greenF(), other.blueF())
    )


def level_color(level: Level) -> QColor:
    """The countdown's colour on a dark background (the shared display)."""
    return QColor(_ON_DARK[level])


def level_color_light(level: Level) -> QColor:
    """The countdown's colour on the app's window, in the scheme in force.

    (The name is older than the dark scheme: in the light scheme it is the light tone.)
    """
    return level_color_on_window(level)


def level_color_on_window(level: Level, *, dark: bool | None = None) -> QColor:
    """The countdown's colour on the app's window: the dark tones in the dark scheme."""
    on_dark = is_dark() if dark is None else dark
    return QColor(_ON_DARK[level] if on_dark else _ON_LIGHT[level])


class ProgressRing(QWidget):
    """A ring filled clockwise from 12 o'clock to ``fraction``, over a faint track.

    The track is the arc's colour, faded, so the ring reads as one object whose colour
    follows the countdown's level.
    """

    TRACK_ALPHA = 0.22
    THICKNESS = 0.09  # of the ring's diameter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 0.0
        self._color = Colors.ACCENT.color()
        self._shown_step = 0
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)

    @property
    def fraction(self) -> float:
        return self._fraction

    @property
    def color(self) -> QColor:
        return QColor(self._color)

    def set_state(self, fraction: float, color: QColor) -> None:
        """Show ``fraction`` (0 to 1) in ``color``; repaints only when that shows."""
        fraction = min(1.0, max(0.0, fraction))
        step = self._step_of(fraction)
        changed = step != self._shown_step or color != self._color
        self._fraction = fraction
        if changed:
            self._shown_step = step
            self._color = QColor(color)
            self.update()

    def _step_of(self, fraction: float) -> int:
        # One step is about one pixel along the ring's edge: finer changes cannot be seen.
        side = min(self.width(), self.height())
        steps = max(360, math.ceil(math.pi * max(side, 1)))
        return round(fraction * steps)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def sizeHint(self) -> QSize:
        return QSize(120, 120)

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        if side <= 0:
            return
        pen_width = max(2.0, side * self.THICKNESS)
        inset = pen_width / 2 + 1
        box = QRectF(
            (self.width() - side) / 2 + inset,
            (self.height() - side) / 2 + inset,
            side - 2 * inset,
            side - 2 * inset,
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QColor(self._color)
        track.setAlphaF(self.TRACK_ALPHA)
        pen = QPen(track, pen_width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawEllipse(box)
        if self._fraction > 0:
            pen.setColor(self._color)
            pen.setCapStyle(
                Qt.PenCapStyle.RoundCap if self._fraction < 1 else Qt.PenCapStyle.FlatCap
            )
            painter.setPen(pen)
            # Qt counts angles in 1/16 degree, anticlockwise from 3 o'clock.
            painter.drawArc(box, 90 * 16, -round(self._fraction * 360 * 16))
        painter.end()
