"""After the call: planned against actual for each stage, as a table and a chart."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.timer import StageRecord, clock_text
from sanctuary_desktop.ui.tables import Column, RowsModel
from sanctuary_desktop.ui.theme import Colors

# The bars' roles: asked for at each paint, so they follow the scheme.
PLANNED_COLOR = Colors.PLANNED_BAR
OVER_COLOR = Colors.WARNING
ON_TIME_COLOR = Colors.ACCENT


def minutes_text(seconds: float) -> str:
    return f"{seconds / 60:.1f}".rstrip("0").rstrip(".") + " min"


def difference_text(record: StageRecord) -> str:
    if record.skipped and record.actual_seconds < 1:
        return "skipped"
    seconds = record.difference_seconds
    if abs(seconds) < 30:
        return "on time"
    sign = "+" if seconds > 0 else "−"
    return f"{sign}{minutes_text(abs(seconds))}"


def record_summary(records: Sequence[StageRecord]) -> str:
    planned = sum(r.planned_minutes for r in records) * 60
    actual = sum(r.actual_seconds for r in records)
    over = [r for r in records if r.difference_seconds >= 60]
    text = f"Planned {clock_text(planned)}, ran {clock_text(actual)}"
    if over:
        longest = max(over, key=lambda r: r.difference_seconds)
        text += f". Longest over: {longest.label} ({difference_text(longest)})"
    return text + "."


class PlannedActualChart(QWidget):
    """One row per stage: the planned minutes as a pale bar, the actual as a bar over it."""

    ROW = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: tuple[StageRecord, ...] = ()
        self.setAccessibleName("Planned and actual minutes by stage")

    def set_records(self, records: Sequence[StageRecord]) -> None:
        self.records = tuple(records)
        self.setMinimumHeight(self.ROW * len(self.records) + 40)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, self.ROW * len(self.records) + 40)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        label_width = min(self.width() // 3, 260)
        left = label_width + 12
        width = max(40, self.width() - left - 70)
        longest = max(
            [max(r.planned_minutes * 60, r.actual_seconds) for r in self.records] or [60.0]
        )
        scale = width / longest
        text, muted = Colors.WINDOW_TEXT.color(), Colors.MUTED_TEXT.color()
        planned_color, over_color = PLANNED_COLOR.color(), OVER_COLOR.color()
        on_time_color = ON_TIME_COLOR.color()
        for row, record in enumerate(self.records):
            top = 8 + row * self.ROW
            label = metrics.elidedText(record.label, Qt.TextElideMode.ElideRight, label_width)
            painter.setPen(text)
            painter.drawText(
                QRectF(0, top, label_width, self.ROW - 6),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            planned = QRectF(left, top + 2, record.planned_minutes * 60 * scale, self.ROW - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(planned_color)
            painter.drawRoundedRect(planned, 3, 3)
            over = record.difference_seconds >= 60
            actual = QRectF(left, top + 7, record.actual_seconds * scale, self.ROW - 20)
            painter.setBrush(over_color if over else on_time_color)
            painter.drawRoundedRect(actual, 2, 2)
            painter.setPen(muted)
            painter.drawText(
                QRectF(left + max(planned.width(), actual.width()) + 6, top, 70, self.ROW - 6),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                difference_text(record),
            )
        # The legend, under the bars.
        top = 8 + len(self.records) * self.ROW + 4
        painter.setPen(QPen(muted))
        painter.setBrush(planned_color)
        painter.drawRect(QRectF(left, top + 4, 14, 10))
        painter.drawText(int(left + 20), int(top + 14), "planned")
        painter.setBrush(on_time_color)
        painter.drawRect(QRectF(left + 90, top + 4, 14, 10))
        painter.drawText(int(left + 110), int(top + 14), "actual")
        painter.setBrush(over_color)
        painter.drawRect(QRectF(left + 170, top + 4, 14, 10))
        painter.drawText(int(left + 190), int(top + 14), "a minute or more over")
        painter.end()


class RecordView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.model: RowsModel[StageRecord] = RowsModel(
            [
                Column("Stage", lambda r: r.label),
                Column("Planned", lambda r: f"{r.planned_minutes} min", align_right=True),
                Column("Actual", lambda r: minutes_text(r.actual_seconds), align_right=True),
                Column("Difference", difference_text, align_right=True),
                Column("Pauses", lambda r: str(r.pauses) if r.pauses else "", align_right=True),
                Column("Changed", _changes),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Planned and actual minutes by stage")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart = PlannedActualChart()
        scroll = QScrollArea()
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        title = QLabel("How the call went")
        title.setProperty("role", "section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def set_records(self, records: Sequence[StageRecord]) -> None:
        self.model.set_rows(records)
        self.chart.set_records(records)
        self.summary.setText(record_summary(records) if records else "The timer was not run.")


def _changes(record: StageRecord) -> str:
    parts = []
    if record.final_minutes != record.planned_minutes:
        parts.append(f"shortened to {record.final_minutes} min")
    if abs(record.adjusted_seconds) >= 1:
        sign = "+" if record.adjusted_seconds > 0 else "−"
        parts.append(f"{sign}{minutes_text(abs(record.adjusted_seconds))} by hand")
    if record.skipped:
        parts.append("skipped")
    return ", ".join(parts)
