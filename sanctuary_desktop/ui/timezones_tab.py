"""The Time zones tab: how fair the call times are, a meeting planner, and fairer times.

Everything here is computed from the CohortPlan the cohort page hands in; the only
database work is the one write that moves upcoming calls to a new home-zone time.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain import zones
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.schedule import WEEKDAY_ABBREVIATIONS, format_date, local_to_utc
from sanctuary_desktop.domain.timeplan import (
    Alternation,
    Band,
    FairnessRow,
    GridRow,
    Person,
    Suggestion,
    alternate_times,
    fairness,
    fairness_sentence,
    planner_grid,
    suggest_alternation,
    suggest_starts,
)
from sanctuary_desktop.services import calls
from sanctuary_desktop.services.views import CallView, CohortPlan
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import Column, RowsModel
from sanctuary_desktop.ui.theme import Colors, Pair, set_role

Index = QModelIndex | QPersistentModelIndex

# English whatever the process locale (Qt sets the C locale from the environment).
WEEKDAYS = WEEKDAY_ABBREVIATIONS
BAND_ROLES: dict[Band, Pair] = {
    Band.GOOD: Colors.BAND_GOOD,
    Band.EDGE: Colors.BAND_EDGE,
    Band.NIGHT: Colors.BAND_NIGHT,
}


def band_colour(band: Band) -> QColor:
    """A band's background in the scheme in force (its text: Colors.BAND_TEXT)."""
    return BAND_ROLES[band].color()


BAND_WORDS = {
    Band.GOOD: "in reasonable hours",
    Band.EDGE: "early or late, within an hour of reasonable hours",
    Band.NIGHT: "in the night, more than an hour outside reasonable hours",
}
LEGEND = (
    (Band.GOOD, "In reasonable hours"),
    (Band.EDGE, "Early or late (within an hour)"),
    (Band.NIGHT, "Night"),
)


def time_and_day(moment: datetime) -> str:
    """ "06:00 Fri": a participant's local start, with the weekday to show a date change."""
    return f"{moment:%H:%M} {WEEKDAYS[moment.weekday()]}"


def long_day(day: date) -> str:
    """ "Thu 3 Dec 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {format_date(day)}"


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def styled(label: QLabel, role: str) -> QLabel:
    label.setProperty("role", role)
    return label


def wrapped(text: str, role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class DescribedModel(RowsModel[Any]):
    """RowsModel whose cells read out their tooltip, with optional row and column headers."""

    def __init__(self, columns: Sequence[Column[Any]], parent: Any = None) -> None:
        super().__init__(columns, parent)
        self.row_labels: list[str] = []
        self.row_tips: list[str] = []
        self.column_tips: list[str] = []

    def set_table(
        self,
        columns: Sequence[Column[Any]],
        rows: Sequence[Any],
        row_labels: Sequence[str] = (),
        row_tips: Sequence[str] = (),
        column_tips: Sequence[str] = (),
    ) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.rows = list(rows)
        self.row_labels = list(row_labels)
        self.row_tips = list(row_tips)
        self.column_tips = list(column_tips)
        self.endResetModel()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            labels = self.row_labels
            if role == Qt.ItemDataRole.DisplayRole and section < len(labels):
                return labels[section]
            if role == Qt.ItemDataRole.ToolTipRole and section < len(self.row_tips):
                return self.row_tips[section] or None
            return None
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.column_tips):
            return self.column_tips[section] or None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole and index.isValid():
            column = self.columns[index.column()]
            if column.tooltip:
                return column.tooltip(self.rows[index.row()]) or column.text(self.rows[index.row()])
        return super().data(index, role)


class FittedTable(QTableView):
    """Shows every row: the page scrolls as one, so the table never scrolls up and down."""

    def fit(self) -> None:
        header = self.horizontalHeader()
        wide = header.length() > self.viewport().width() + 1
        height = (
            header.sizeHint().height()
            + self.verticalHeader().length()
            + 2 * self.frameWidth()
            + (self.horizontalScrollBar().sizeHint().height() if wide else 0)
        )
        if height != self.height() or height != self.minimumHeight():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()


def make_table(
    name: str, *, select_rows: bool, kind: type[FittedTable] = FittedTable
) -> FittedTable:
    table = kind()
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setWordWrap(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(30)
    return table


def wrap_name(name: str, width: int = 9) -> str:
    """A name on at most two lines, breaking between words or after a hyphen, so a planner
    column need be no wider than its longest word."""
    for room in range(width, len(name) + 1):
        lines = textwrap.wrap(name, room, break_long_words=False, break_on_hyphens=True)
        if len(lines) <= 2:
            return "\n".join(lines) or name
    return name


class PlannerTable(FittedTable):
    """The planner's rows scroll inside it, under a header that stays in view; its
    columns are as wide as their header or their times, and scroll sideways if need be."""

    VISIBLE_ROWS = 12

    def fit(self) -> None:
        rows = min(self.model().rowCount() if self.model() else 0, self.VISIBLE_ROWS)
        header = self.horizontalHeader()
        wide = header.length() > self.viewport().width() + 1
        height = (
            header.sizeHint().height()
            + rows * self.verticalHeader().defaultSectionSize()
            + 2 * self.frameWidth()
            + (self.horizontalScrollBar().sizeHint().height() if wide else 0)
        )
        if height != self.height() or height != self.minimumHeight():
            self.setFixedHeight(height)


def fit_width(table: QTableView) -> None:
    """A narrow table stays as wide as its columns, not the whole window."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    width = header.length() + 2 * table.frameWidth()
    if table.verticalHeader().isVisible():
        width += table.verticalHeader().sizeHint().width()
    table.setMaximumWidth(width + 4)


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: Suggestion
    burdened: tuple[FairnessRow, ...]  # people out of hours on at least one call
    calls: int


def swatch(band: Band) -> QLabel:
    """A band's colour in the legend: the style sheet fills it (see theme.style_sheet)."""
    box = QLabel()
    box.setFixedSize(16, 16)
    box.setProperty("band", band.name.lower())
    set_role(box, "swatch")
    return box


class TimeZonesTab(QWidget):
    """Fairness over the series, a meeting planner for one date, and fairer start times."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: CohortPlan | None = None
        self._suggestions_stale = False
        self.confirm_box: QMessageBox | None = None
        self._upcoming: list[CallView] = []
        self._grid_rows: list[GridRow] = []
        self._fairness_rows: list[FairnessRow] = []
        self._suggestion_rows: list[SuggestionRow] = []
        self._alternation: Alternation | None = None
        self._date_chosen = False  # the facilitator picked a date: keep it across refreshes
        self._writing = False

        self.empty_label = wrapped(
            "Nobody is on the roster yet. Add participants on the Roster tab, with the city or "
            "time zone each one lives in, and this tab will show everyone's local time for "
            "each call, how fairly the early and late calls are shared, and fairer times "
            "to meet.",
            "muted",
        )
        self.empty_label.setMaximumWidth(720)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(8)
        self._build_fairness(body)
        body.addSpacing(18)
        self._build_planner(body)
        body.addSpacing(18)
        self._build_suggestions(body)
        body.addStretch(1)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(16, 12, 16, 16)
        self.empty_title = styled(QLabel("No participants yet"), "section")
        content_layout.addWidget(self.empty_title)
        content_layout.addWidget(self.empty_label)
        content_layout.addWidget(self.body)
        content_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._show_empty(True)
        self.empty_title.hide()  # until a plan arrives
        self.empty_label.hide()

    # -- building ------------------------------------------------------------------------

    def _build_fairness(self, body: QVBoxLayout) -> None:
        body.addWidget(styled(QLabel("Fairness over the series"), "section"))
        self.fairness_sentence = wrapped("")
        self.fairness_model = DescribedModel(
            [
                Column("Participant", lambda r: r.person.name),
                Column("City / zone", lambda r: f"{r.person.city}  ·  {r.person.zone}"),
                Column("Calls", lambda r: str(r.calls), align_right=True),
                Column("Early", lambda r: str(r.early), align_right=True),
                Column("Late", lambda r: str(r.late), align_right=True),
                Column(
                    "Out of hours",
                    lambda r: f"{r.out_of_hours}  ({percent(r.share)})",
                    tooltip=self._fairness_tip,
                    background=lambda r: band_colour(Band.EDGE) if r.out_of_hours else None,
                    align_right=True,
                ),
            ]
        )
        self.fairness_table = make_table("Fairness over the series", select_rows=False)
        self.fairness_table.setModel(self.fairness_model)
        self.fairness_table.verticalHeader().hide()
        self.fairness_table.horizontalHeader().setStretchLastSection(False)
        self.hours_caption = wrapped("", "muted")
        body.addWidget(self.fairness_sentence)
        body.addWidget(self.fairness_table)
        body.addWidget(self.hours_caption)

    def _build_planner(self, body: QVBoxLayout) -> None:
        body.addWidget(styled(QLabel("Meeting planner"), "section"))
        self.planner_intro = wrapped("", "muted")
        body.addWidget(self.planner_intro)

        controls = QHBoxLayout()
        date_label = QLabel("&Date:")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Planner date")
        self.date_edit.setMinimumWidth(150)
        self.date_edit.dateChanged.connect(self._date_changed)
        date_label.setBuddy(self.date_edit)
        controls.addWidget(date_label)
        controls.addWidget(self.date_edit)
        controls.addSpacing(24)
        for band, text in LEGEND:
            controls.addWidget(swatch(band))
            legend_text = QLabel(text)
            legend_text.setToolTip(BAND_WORDS[band].capitalize())
            controls.addWidget(legend_text)
            controls.addSpacing(12)
        controls.addStretch(1)
        body.addLayout(controls)

        self.grid_model = DescribedModel([])
        self.grid = make_table("Meeting planner", select_rows=True, kind=PlannerTable)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.grid.setModel(self.grid_model)
        self.grid.verticalHeader().setMinimumWidth(96)
        # Band colours fill the cells, so the chosen row is framed rather than filled
        # (the style sheet's QTableView#plannerGrid, in the scheme in force).
        self.grid.setObjectName("plannerGrid")
        self.grid.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.grid.selectionModel().selectionChanged.connect(lambda *_: self._grid_selected())
        body.addWidget(self.grid)

        actions = QHBoxLayout()
        self.use_time_button = QPushButton("Use this time for upcoming calls")
        self.use_time_button.setProperty("role", "primary")
        self.use_time_button.setEnabled(False)
        self.use_time_button.clicked.connect(self.confirm_planner_time)
        self.selection_label = wrapped("", "muted")
        actions.addWidget(self.use_time_button, 0, Qt.AlignmentFlag.AlignTop)
        actions.addSpacing(8)
        actions.addWidget(self.selection_label, 1)
        body.addLayout(actions)
        self.planner_feedback = wrapped("", "muted")
        self.planner_feedback.hide()
        body.addWidget(self.planner_feedback)

    def _build_suggestions(self, body: QVBoxLayout) -> None:
        body.addWidget(styled(QLabel("Suggestions"), "section"))
        self.suggestions_intro = wrapped("", "muted")
        body.addWidget(self.suggestions_intro)
        self.suggestions_model = DescribedModel([])
        self.suggestions_table = make_table("Suggested start times", select_rows=True)
        self.suggestions_table.setModel(self.suggestions_model)
        self.suggestions_table.verticalHeader().hide()
        self.suggestions_table.horizontalHeader().setStretchLastSection(False)
        self.suggestions_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        body.addWidget(self.suggestions_table)
        self.use_suggestion_button = QPushButton("Use the selected suggestion for upcoming calls")
        self.use_suggestion_button.setEnabled(False)
        self.use_suggestion_button.clicked.connect(self.confirm_suggestion)
        row = QHBoxLayout()
        row.addWidget(self.use_suggestion_button)
        row.addStretch(1)
        body.addLayout(row)

        body.addSpacing(10)
        self.alternation_label = wrapped("")
        self.alternation_label.setProperty("role", "section")
        self.alternation_detail = wrapped("", "muted")
        self.alternate_button = QPushButton("Alternate upcoming calls between these times")
        self.alternate_button.setEnabled(False)
        self.alternate_button.clicked.connect(self.confirm_alternation)
        body.addWidget(self.alternation_label)
        body.addWidget(self.alternation_detail)
        row = QHBoxLayout()
        row.addWidget(self.alternate_button)
        row.addStretch(1)
        body.addLayout(row)
        self.suggestions_feedback = wrapped("", "muted")
        self.suggestions_feedback.hide()
        body.addWidget(self.suggestions_feedback)

    # -- showing a plan ------------------------------------------------------------------

    def set_plan(self, plan: CohortPlan) -> None:
        same_cohort = self.plan is not None and self.plan.cohort.id == plan.cohort.id
        self.plan = plan
        now = self.ctx.clock()
        self._upcoming = [c for c in plan.calls if not c.cancelled and not c.is_held(now)]
        if not same_cohort:
            self._date_chosen = False
            for label in (self.planner_feedback, self.suggestions_feedback):
                label.hide()
        if not self._date_chosen:
            self._set_date(self._default_date())
        self._show_empty(not plan.people)
        self._refresh_fairness()
        self._refresh_planner()
        # Suggesting times weighs every call against every person: only for a tab in view.
        self._suggestions_stale = True
        if self.isVisible():
            self._refresh_suggestions()
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._suggestions_stale and self.plan is not None:
            self._refresh_suggestions()

    @property
    def _home(self) -> str:
        assert self.plan is not None
        return self.plan.cohort.home_tz

    @property
    def _home_city(self) -> str:
        return zones.city_of(self._home)

    def _series(self) -> list[CallView]:
        assert self.plan is not None
        return [c for c in self.plan.calls if not c.cancelled]

    def _default_date(self) -> date:
        home = zones.zone(self._home)
        if self._upcoming:
            return self._upcoming[0].starts_at.astimezone(home).date()
        return self.ctx.clock().astimezone(home).date()

    def _set_date(self, day: date) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(to_qdate(day))
        self.date_edit.blockSignals(False)

    def _date_changed(self, _value: QDate) -> None:
        self._date_chosen = True
        self._refresh_planner()
        self._update_buttons()

    def _show_empty(self, empty: bool) -> None:
        self.empty_title.setVisible(empty)
        self.empty_label.setVisible(empty)
        self.body.setVisible(not empty)

    def _upcoming_time(self) -> time | None:
        """The home-zone start of the upcoming calls when they all share one."""
        if not self._upcoming:
            return None
        home = zones.zone(self._home)
        starts = {c.starts_at.astimezone(home).time() for c in self._upcoming}
        return starts.pop() if len(starts) == 1 else None

    # -- fairness ------------------------------------------------------------------------

    def _fairness_tip(self, row: FairnessRow) -> str:
        return (
            f"{row.person.name}: {row.out_of_hours} of {plural(row.calls, 'call')} out of "
            f"hours ({row.early} early, {row.late} late), {percent(row.share)}"
        )

    def _refresh_fairness(self) -> None:
        assert self.plan is not None
        cohort = self.plan.cohort
        hours = cohort.waking_hours
        self.hours_caption.setText(
            f"Reasonable hours: {hours.start:%H:%M}–{hours.end:%H:%M} in each participant's "
            "own time (change in Edit cohort)"
        )
        series = self._series()
        people = self.plan.people
        self._fairness_rows = fairness(
            [c.starts_at for c in series], cohort.call_minutes, people, hours, cohort.home_tz
        )
        if not series:
            self.fairness_sentence.setText(
                "No calls yet. Generate the series of calls on the Calls tab to see how the "
                "early and late calls fall across it. Meanwhile, the planner below works for "
                "any date you choose."
            )
            set_role(self.fairness_sentence, "muted")
            self.fairness_model.set_rows([])
            self.fairness_table.hide()
            return
        past = sum(1 for c in series if c not in self._upcoming)
        when = f"{plural(len(series), 'call')}: {past} held, {len(self._upcoming)} upcoming"
        self.fairness_sentence.setText(f"{fairness_sentence(self._fairness_rows)}  ({when})")
        set_role(self.fairness_sentence, "")
        self.fairness_model.set_rows(self._fairness_rows)
        self.fairness_table.show()
        fit_width(self.fairness_table)
        self.fairness_table.fit()

    # -- planner -------------------------------------------------------------------------

    def _refresh_planner(self) -> None:
        if self.plan is None:
            return
        cohort = self.plan.cohort
        people = self.plan.people
        day = to_date(self.date_edit.date())
        selected = self._selected_grid_time()
        self._grid_rows = planner_grid(
            day, cohort.home_tz, cohort.call_minutes, people, cohort.waking_hours
        )
        current = self._upcoming_time()
        columns: list[Column[GridRow]] = [
            Column(
                "Out of\nhours",
                lambda r: str(r.out_of_hours),
                tooltip=self._count_tip,
                align_right=True,
            )
        ]
        columns += [self._person_column(i, person) for i, person in enumerate(people)]
        column_tips = ["How many people this start time is out of hours for"] + [
            f"{p.name}, {p.zone}" for p in people
        ]
        labels, tips = [], []
        for row in self._grid_rows:
            text = f"{row.home_start:%H:%M}"
            tip = f"{text} in {self._home_city} on {long_day(row.home_start.date())}"
            if current is not None and row.home_start.time() == current:
                text += "  · current"
                tip += ": the upcoming calls start at this time"
            labels.append(text)
            tips.append(tip)
        self.grid_model.set_table(columns, self._grid_rows, labels, tips, column_tips)
        header = self.grid.horizontalHeader()
        header.setMinimumSectionSize(72)
        # Each column as wide as its header or its times, so no name is ever cut; past the
        # window's width the grid scrolls sideways.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setMaximumWidth(
            self.grid.verticalHeader().sizeHint().width()
            + header.length()
            + 2 * self.grid.frameWidth()
            + self.grid.verticalScrollBar().sizeHint().width()
        )
        self.grid.fit()
        self._reselect(selected)
        if not self.grid.selectionModel().selectedRows():
            self._scroll_to_current(current)
        if not self._upcoming:
            moving = "Try times here for any date; there are no upcoming calls to move yet."
        elif current is not None:
            moving = (
                f"Upcoming calls start at {current:%H:%M} in {self._home_city}. Pick a row to "
                "move them to that time; each call keeps its date."
            )
        else:
            moving = "Pick a row to move the upcoming calls to that time; each keeps its date."
        self.planner_intro.setText(
            f"Each row is a start time in {self._home_city} ({cohort.home_tz}) on the chosen "
            f"date; each column shows that time for one participant, for a "
            f"{cohort.call_minutes}-minute call. {moving}"
        )
        self._grid_selected()

    def _person_column(self, index: int, person: Person) -> Column[GridRow]:
        return Column(
            f"{wrap_name(person.name)}\n{person.city}",
            lambda r: time_and_day(r.cells[index].local),
            tooltip=lambda r: self._cell_tip(r, index),
            background=lambda r: band_colour(r.cells[index].band),
        )

    def _cell_tip(self, row: GridRow, index: int) -> str:
        cell = row.cells[index]
        local_day = cell.local.date()
        offset = (local_day - row.home_start.date()).days
        shift = {1: ", the next day", -1: ", the day before"}.get(offset, "")
        return (
            f"{cell.person.name} in {cell.person.city}: {long_day(local_day)} at "
            f"{cell.local:%H:%M}{shift}, {BAND_WORDS[cell.band]}"
        )

    def _count_tip(self, row: GridRow) -> str:
        who = [c.person.name for c in row.cells if c.band is not Band.GOOD]
        if not who:
            return f"{row.home_start:%H:%M} in {self._home_city}: everyone in reasonable hours"
        return f"{row.home_start:%H:%M} in {self._home_city}: out of hours for {', '.join(who)}"

    def _selected_grid_row(self) -> GridRow | None:
        rows = self.grid.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._grid_rows):
            return None
        return self._grid_rows[rows[0].row()]

    def _selected_grid_time(self) -> time | None:
        row = self._selected_grid_row()
        return row.home_start.time() if row else None

    def _reselect(self, wanted: time | None) -> None:
        if wanted is None:
            return
        for number, row in enumerate(self._grid_rows):
            if row.home_start.time() == wanted:
                self.grid.selectRow(number)
                return

    def _scroll_to_current(self, current: time | None) -> None:
        """Bring the upcoming calls' time into view, or else the first time that suits
        the most people."""
        if not self._grid_rows:
            return
        number = next(
            (i for i, row in enumerate(self._grid_rows) if row.home_start.time() == current),
            min(range(len(self._grid_rows)), key=lambda i: self._grid_rows[i].out_of_hours),
        )
        self.grid.scrollTo(
            self.grid_model.index(number, 0), QAbstractItemView.ScrollHint.PositionAtCenter
        )

    def _grid_selected(self) -> None:
        row = self._selected_grid_row()
        if row is None:
            self.selection_label.setText("Select a row (a start time) in the planner first.")
        else:
            self.selection_label.setText(self._count_tip(row) + ".")
        self._update_buttons()

    # -- suggestions ---------------------------------------------------------------------

    def _refresh_suggestions(self) -> None:
        assert self.plan is not None
        self._suggestions_stale = False
        cohort = self.plan.cohort
        people = self.plan.people
        days = calls.local_dates(self.plan.calls, cohort.home_tz)
        args = (cohort.home_tz, cohort.call_minutes, people, cohort.waking_hours)
        suggestions = suggest_starts(days, *args)
        self._alternation = suggest_alternation(days, *args)
        self._suggestion_rows = [
            SuggestionRow(
                suggestion=s,
                burdened=tuple(
                    r
                    for r in fairness(
                        [local_to_utc(d, s.home_time, cohort.home_tz) for d in days],
                        cohort.call_minutes,
                        people,
                        cohort.waking_hours,
                        cohort.home_tz,
                    )
                    if r.out_of_hours
                ),
                calls=len(days),
            )
            for s in suggestions
        ]
        has_series = bool(days)
        for widget in (
            self.suggestions_table,
            self.use_suggestion_button,
            self.alternation_label,
            self.alternation_detail,
            self.alternate_button,
        ):
            widget.setVisible(has_series)
        if not has_series:
            self.suggestions_intro.setText(
                "Suggestions appear once the cohort has calls: generate the series on the "
                "Calls tab."
            )
            self.suggestions_model.set_table([], [])
            return
        self.suggestions_intro.setText(
            f"The best single start times in {self._home_city} for all "
            f"{plural(len(days), 'call')} of the series (held and upcoming), fewest people "
            "out of hours first."
        )
        self.suggestions_model.set_table(
            [
                Column(
                    f"Start ({self._home_city})",
                    lambda r: f"{r.suggestion.home_time:%H:%M}",
                ),
                Column(
                    "Out of hours for",
                    self._burdened_text,
                    tooltip=self._burdened_text,
                ),
                Column(
                    "Night-time joins",
                    lambda r: str(r.suggestion.night),
                    tooltip=lambda r: (
                        f"Over the series, {plural(r.suggestion.night, 'time')} someone would "
                        "join more than an hour outside reasonable hours"
                    ),
                    align_right=True,
                ),
            ],
            self._suggestion_rows,
            column_tips=[
                f"Start time in {self._home_city} ({cohort.home_tz})",
                "Who would have calls out of hours, and how many of the series",
                "How many times, over the series, someone would join more than an hour "
                "outside reasonable hours",
            ],
        )
        header = self.suggestions_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.suggestions_table.fit()
        self._refresh_alternation()

    def _burdened_text(self, row: SuggestionRow) -> str:
        if not row.burdened:
            return "Nobody: everyone in reasonable hours"
        return "   ·   ".join(
            f"{r.person.name}, {r.person.city} ({r.out_of_hours} of {row.calls})"
            for r in row.burdened
        )

    def _refresh_alternation(self) -> None:
        """One figure for the suggestion, the one that would come true: held calls stay as
        they were, so the worst share is the series' with only the upcoming calls moved
        (or, with none to move, the share if every call alternated)."""
        assert self.plan is not None
        alternation = self._alternation
        if alternation is None:
            return
        cohort = self.plan.cohort
        current = max((r.share for r in self._fairness_rows), default=0.0)
        first, second = alternation.first, alternation.second
        pair = f"{first:%H:%M} and {second:%H:%M} ({self._home_city})"
        meaning = (
            "The worst share is the largest part of the series any one person has out of hours."
        )
        if not self._upcoming:
            worst = alternation.worst_person_share
            detail = (
                f"{meaning} This is if every call alternated; there are no upcoming calls to move."
            )
        else:
            home = zones.zone(cohort.home_tz)
            upcoming_days = [c.starts_at.astimezone(home).date() for c in self._upcoming]
            new_times = alternate_times(upcoming_days, first, second)
            held = [c.starts_at for c in self._series() if c not in self._upcoming]
            moved = [
                local_to_utc(d, t, cohort.home_tz)
                for d, t in zip(upcoming_days, new_times, strict=True)
            ]
            after = fairness(
                held + moved,
                cohort.call_minutes,
                self.plan.people,
                cohort.waking_hours,
                cohort.home_tz,
            )
            worst = max((r.share for r in after), default=0.0)
            listing = ", ".join(
                f"{WEEKDAYS[d.weekday()]} {d.day} {d:%b} at {t:%H:%M}"
                for d, t in zip(upcoming_days, new_times, strict=True)
            )
            detail = (
                f"{meaning} Held calls stay as they were; the "
                f"{plural(len(self._upcoming), 'upcoming call')} would be: {listing}."
            )
        if worst >= current:
            self.alternation_label.setText(
                f"Alternating would not make the series fairer: with the best pair, {pair}, "
                f"the worst share stays at {percent(current)} or more."
            )
            self.alternation_detail.setText("")
            self.alternation_detail.hide()
            return
        self.alternation_label.setText(
            f"Alternate {pair}: the worst share over the series drops from "
            f"{percent(current)} to {percent(worst)}"
        )
        self.alternation_detail.setText(detail)
        self.alternation_detail.show()

    def _selected_suggestion(self) -> SuggestionRow | None:
        rows = self.suggestions_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._suggestion_rows):
            return None
        return self._suggestion_rows[rows[0].row()]

    # -- buttons -------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        can_move = bool(self._upcoming) and not self._writing
        current = self._upcoming_time()
        grid_row = self._selected_grid_row()
        self.use_time_button.setEnabled(
            can_move and grid_row is not None and grid_row.home_start.time() != current
        )
        suggestion = self._selected_suggestion()
        self.use_suggestion_button.setEnabled(
            can_move and suggestion is not None and suggestion.suggestion.home_time != current
        )
        self.alternate_button.setEnabled(
            can_move
            and self._alternation is not None
            and self.alternation_detail.isVisibleTo(self.body)
        )
        if self.plan is None or not self.plan.people:
            return
        if not self._upcoming:
            self.selection_label.setText(
                "There are no upcoming calls to move. Held and cancelled calls keep their times."
            )
        elif grid_row is not None and grid_row.home_start.time() == current:
            self.selection_label.setText(
                f"The upcoming calls already start at {current:%H:%M} in {self._home_city}."
            )

    # -- moving calls --------------------------------------------------------------------

    def confirm_planner_time(self) -> None:
        row = self._selected_grid_row()
        if row is None or not self._upcoming:
            return
        chosen = row.home_start.time()
        self._confirm_move(
            [(c.id, chosen) for c in self._upcoming],
            f"Move the {plural(len(self._upcoming), 'upcoming call')} to "
            f"{chosen:%H:%M} in {self._home_city}?",
            self.planner_feedback,
        )

    def confirm_suggestion(self) -> None:
        row = self._selected_suggestion()
        if row is None or not self._upcoming:
            return
        chosen = row.suggestion.home_time
        self._confirm_move(
            [(c.id, chosen) for c in self._upcoming],
            f"Move the {plural(len(self._upcoming), 'upcoming call')} to "
            f"{chosen:%H:%M} in {self._home_city}?",
            self.suggestions_feedback,
        )

    def confirm_alternation(self) -> None:
        alternation = self._alternation
        if alternation is None or not self._upcoming:
            return
        home = zones.zone(self._home)
        days = [c.starts_at.astimezone(home).date() for c in self._upcoming]
        new_times = alternate_times(days, alternation.first, alternation.second)
        self._confirm_move(
            list(zip([c.id for c in self._upcoming], new_times, strict=True)),
            f"Alternate the {plural(len(self._upcoming), 'upcoming call')} between "
            f"{alternation.first:%H:%M} and {alternation.second:%H:%M} in {self._home_city}?",
            self.suggestions_feedback,
        )

    def _confirm_move(self, times: list[tuple[int, time]], question: str, feedback: QLabel) -> None:
        home = zones.zone(self._home)
        by_id = {c.id: c for c in self._upcoming}
        lines = "\n".join(
            f"•  {long_day(by_id[call_id].starts_at.astimezone(home).date())}: "
            f"{by_id[call_id].starts_at.astimezone(home):%H:%M} → {new:%H:%M}"
            for call_id, new in times
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Move upcoming calls",
            question,
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            f"{lines}\n\nEach call keeps its date; times are in {self._home_city} "
            f"({self._home}). Held and cancelled calls are not changed. Send the updated "
            "calendar to participants afterwards."
        )
        accept = box.addButton(
            f"Move {plural(len(times), 'call')}", QMessageBox.ButtonRole.AcceptRole
        )
        box.setDefaultButton(accept)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished() -> None:
            self.confirm_box = None
            if box.clickedButton() == accept:
                self._move(times, feedback)

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def _move(self, times: list[tuple[int, time]], feedback: QLabel) -> None:
        assert self.plan is not None
        self._writing = True
        self._update_buttons()
        summary = sorted({t for _, t in times})
        at = " and ".join(f"{t:%H:%M}" for t in summary)

        def done(_views: object) -> None:
            self._writing = False
            set_role(feedback, "muted")
            feedback.setText(
                f"Moved {plural(len(times), 'call')} to {at} in {self._home_city}. "
                "Remember to send participants the updated calendar."
            )
            feedback.show()
            self._update_buttons()

        def failed(error: ValidationError) -> None:
            self._writing = False
            set_role(feedback, "warning")
            feedback.setText(f"The calls were not moved: {error}")
            feedback.show()
            self._update_buttons()

        self.ctx.services.call(
            calls.set_local_times, self.plan.cohort.id, times, then=done, failed=failed
        )
