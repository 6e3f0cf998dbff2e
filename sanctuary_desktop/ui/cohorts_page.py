"""The Cohorts page: the list on the left, the chosen cohort (or a welcome) on the right.

This module is on the way to the first paint: services, dialogs and the tabs are imported
where they are first used, so none of SQLAlchemy loads before the window shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.zones import city_of
from sanctuary_desktop.services.cohort_list import CohortSummary
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import ROW_ROLE, Column, RowsModel
from sanctuary_desktop.ui.widgets import ask_to_confirm, count_of, local_label

if TYPE_CHECKING:
    from sanctuary_desktop.services.views import CohortPlan, CohortView, Topic
    from sanctuary_desktop.ui.calls_tab import CallsTab
    from sanctuary_desktop.ui.plan_tab import PlanTab
    from sanctuary_desktop.ui.roster_tab import RosterTab
    from sanctuary_desktop.ui.timezones_tab import TimeZonesTab


class ShowsPlan(Protocol):
    def set_plan(self, plan: CohortPlan) -> None: ...


def styled(label: QLabel, role: str) -> QLabel:
    label.setProperty("role", role)
    return label


def summary_text(row: CohortSummary, facilitator_zone: str) -> str:
    archived = "  (archived)" if row.archived else ""
    next_call = (
        f"Next call {local_label(row.next_call, facilitator_zone, '%a %d %b, %H:%M')}"
        if row.next_call
        else "No upcoming calls"
    )
    return (
        f"{row.name}{archived}\n{count_of(row.participant_count, 'person', 'people')} · "
        f"{count_of(row.call_count, 'call')} · "
        f"{city_of(row.home_tz)}\n{next_call}"
    )


class WelcomePanel(QWidget):
    """What a newcomer sees first: two ways in."""

    new_cohort = Signal()
    open_sample = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = styled(QLabel("Welcome to Sanctuary Desktop"), "title")
        text = styled(
            QLabel(
                "Plan a cohort's calls across time zones, run each call on a calm timer, "
                "and share back what the group learned.\n\nStart with a cohort of your own, "
                "or open a sample cohort of eight people from Vancouver to Auckland to see "
                "how it all fits together. Everything stays on this computer."
            ),
            "subtitle",
        )
        text.setWordWrap(True)
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.new_button = QPushButton("New cohort")
        self.new_button.setProperty("role", "primary")
        self.sample_button = QPushButton("Open a sample cohort")
        self.sample_button.setProperty("role", "secondary")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.new_button, self.sample_button):
            button.setMinimumHeight(40)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.new_button.clicked.connect(self.new_cohort)
        self.sample_button.clicked.connect(self.open_sample)
        # A fixed-width column lets the wrapped text claim the height it needs.
        column = QWidget()
        column.setFixedWidth(560)
        column_layout = QVBoxLayout(column)
        column_layout.addWidget(title)
        column_layout.addWidget(text)
        column_layout.addSpacing(12)
        column_layout.addLayout(buttons)
        column_layout.insertStretch(0, 2)
        column_layout.addStretch(3)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column)
        layout.addStretch(1)


class CohortHeader(QFrame):
    edit = Signal()
    duplicate = Signal()
    archive = Signal()
    delete = Signal()
    handout = Signal(str)  # which: protocol, calendar, roster, schedule, harvest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 8)
        text = QVBoxLayout()
        self.title = styled(QLabel(), "title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a name is words, never markup
        self.title.setWordWrap(True)  # a long name whole, on as many lines as it needs
        self.subtitle = styled(QLabel(), "subtitle")
        self.subtitle.setWordWrap(True)
        self.details = styled(QLabel(), "muted")
        self.details.setWordWrap(True)
        for label in (self.title, self.subtitle, self.details):
            text.addWidget(label)
        layout.addLayout(text, 1)
        self.edit_button = QPushButton("Edit cohort…")
        self.edit_button.clicked.connect(self.edit)
        self.more = QToolButton()
        self.more.setText("More")
        self.more.setAccessibleName("More cohort actions")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.duplicate_action = menu.addAction("Duplicate as a new intake…")
        self.duplicate_action.triggered.connect(self.duplicate)
        self.archive_action = menu.addAction("Archive")
        self.archive_action.triggered.connect(self.archive)
        menu.addSeparator()
        self.delete_action = menu.addAction("Delete cohort…")
        self.delete_action.triggered.connect(self.delete)
        self.more.setMenu(menu)
        self.print_button = QToolButton()
        self.print_button.setText("Handouts")
        self.print_button.setToolTip("PDF handouts to print or send: preview, then save or print")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        from sanctuary_desktop.ui.pdf_export import HANDOUT_TITLES

        handouts = QMenu(self.print_button)
        for kind, title in HANDOUT_TITLES.items():
            handouts.addAction(f"{title}…").triggered.connect(
                lambda _checked=False, k=kind: self.handout.emit(k)
            )
        self.print_button.setMenu(handouts)
        layout.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)

    def show_cohort(self, cohort: CohortView) -> None:
        self.title.setText(cohort.name + ("  (archived)" if cohort.archived else ""))
        self.subtitle.setText(cohort.focus or "No focus written yet")
        parts = [
            f"{cohort.start_date:%d %b %Y} – {cohort.end_date:%d %b %Y}",
            f"{cohort.call_minutes}-minute calls",
            f"home time zone {cohort.home_tz}",
        ]
        if cohort.facilitators:
            parts.insert(0, f"Facilitated by {cohort.facilitators}")
        self.details.setText(" · ".join(parts))
        self.archive_action.setText("Restore from archive" if cohort.archived else "Archive")


class CohortsPage(QWidget):
    """The cohort list on the left; the chosen cohort's header and tabs on the right.

    The list is made at once and can show a first look (rows read before SQLAlchemy has
    loaded, see services/cohort_list.py); the header and tabs are made by build_detail,
    which loads their modules and asks the database for the list again."""

    # Made by build_detail.
    header: CohortHeader
    tabs: QTabWidget
    roster_tab: RosterTab
    calls_tab: CallsTab
    zones_tab: TimeZonesTab
    agenda_tab: PlanTab
    plan_tabs: list[ShowsPlan]

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        first_look: list[CohortSummary] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: CohortPlan | None = None
        self.selected_id: int | None = None
        self.pending_call: int | None = None
        self.pending_participant: int | None = None
        self.pending_roster: int | None = None  # a cohort just made: open on its Roster
        self.detail: QWidget | None = None
        self._loads = 0
        self._dialogs: list[QWidget] = []

        self.model: RowsModel[CohortSummary] = RowsModel(
            [
                Column(
                    "Cohort",
                    lambda r: summary_text(r, ctx.facilitator_zone),
                    # The whole name, even where a narrow list must still cut a long word.
                    tooltip=lambda r: summary_text(r, ctx.facilitator_zone),
                )
            ]
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName("Cohorts")
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        # A long cohort name wraps onto as many lines as it needs, re-laid out as the
        # splitter moves; rows are as tall as their own text.
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumWidth(220)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(lambda _on: self.reload_list())
        self.new_button = QPushButton("New cohort")
        self.new_button.setProperty("role", "primary")
        self.new_button.clicked.connect(self.new_cohort)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 6, 12)
        heading = QHBoxLayout()
        heading.addWidget(styled(QLabel("Cohorts"), "section"))
        heading.addStretch(1)
        heading.addWidget(self.new_button)
        left_layout.addLayout(heading)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.show_archived)

        self.welcome = WelcomePanel()
        self.welcome.new_cohort.connect(self.new_cohort)
        self.welcome.open_sample.connect(self.open_sample)
        self.loading = styled(QLabel("Opening your cohorts…"), "muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        for widget in (self.loading, self.welcome):
            self.right.addWidget(widget)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 1010])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        if first_look is None:
            self.build_detail()
        else:
            self._list_loaded(first_look)

    def build_detail(self) -> None:
        """Make the header and tabs, then load the list and the chosen cohort for real."""
        if self.detail is not None:
            return
        from sanctuary_desktop.ui.calls_tab import CallsTab
        from sanctuary_desktop.ui.plan_tab import PlanTab
        from sanctuary_desktop.ui.roster_tab import RosterTab
        from sanctuary_desktop.ui.timezones_tab import TimeZonesTab

        ctx = self.ctx
        self.header = CohortHeader()
        self.header.edit.connect(self.edit_cohort)
        self.header.duplicate.connect(self.duplicate_cohort)
        self.header.archive.connect(self.toggle_archive)
        self.header.delete.connect(self.confirm_delete)
        self.header.handout.connect(self.open_handout)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.roster_tab = RosterTab(ctx)
        self.calls_tab = CallsTab(ctx)
        self.zones_tab = TimeZonesTab(ctx)
        self.agenda_tab = PlanTab(ctx)
        self.tabs.addTab(self.roster_tab, "Roster")
        self.tabs.addTab(self.calls_tab, "Calls")
        self.tabs.addTab(self.zones_tab, "Time zones")
        self.tabs.addTab(self.agenda_tab, "Agendas && pairs")
        self.plan_tabs = [self.roster_tab, self.calls_tab, self.zones_tab, self.agenda_tab]
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(12, 12, 12, 6)
        detail_layout.addWidget(self.header)
        detail_layout.addWidget(self.tabs, 1)
        self.right.addWidget(detail)
        self.detail = detail

        ctx.events.data_changed.connect(self._data_changed)
        ctx.events.open_cohort.connect(self.select_cohort)
        ctx.events.open_call.connect(self.open_call)
        ctx.events.open_participant.connect(self.open_participant)
        self.reload_list()

    # -- loading -------------------------------------------------------------------------

    def reload_list(self) -> None:
        if self.detail is None:
            return  # build_detail loads the list
        from sanctuary_desktop.services import cohorts

        self.ctx.services.call(
            cohorts.list_cohorts,
            include_archived=self.show_archived.isChecked(),
            then=self._list_loaded,
        )

    def _list_loaded(self, rows: list[CohortSummary]) -> None:
        self.model.set_rows(rows)
        if not rows and not self.show_archived.isChecked():
            self.selected_id = None
            self.plan = None
            self.right.setCurrentWidget(self.welcome)
            return
        ids = [r.id for r in rows]
        wanted = self.selected_id if self.selected_id in ids else (ids[0] if ids else None)
        if wanted is None:
            self.right.setCurrentWidget(self.welcome)
            return
        self._select_row(ids.index(wanted))

    def _select_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._current_changed(index)

    def select_cohort(self, cohort_id: int) -> None:
        self.selected_id = cohort_id
        ids = [r.id for r in self.model.rows]
        if cohort_id in ids:
            self._select_row(ids.index(cohort_id))
        else:
            self.reload_list()

    def _current_changed(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row: CohortSummary = index.data(ROW_ROLE)
        if row.id == self.selected_id and self.plan is not None and self.plan.cohort.id == row.id:
            return
        self.selected_id = row.id
        self.load_plan()

    def load_plan(self) -> None:
        if self.selected_id is None or self.detail is None:
            return
        from sanctuary_desktop.services import cohorts

        self._loads += 1
        ticket = self._loads
        self.ctx.services.call(
            cohorts.get_plan,
            self.selected_id,
            then=lambda plan: self._plan_loaded(ticket, plan),
            failed=lambda _error: self.reload_list(),
        )

    def _plan_loaded(self, ticket: int, plan: CohortPlan) -> None:
        if ticket != self._loads or self.detail is None:
            return  # a newer request is on its way
        self.plan = plan
        self.header.show_cohort(plan.cohort)
        for tab in self.plan_tabs:
            tab.set_plan(plan)
        self.right.setCurrentWidget(self.detail)
        if self.pending_call is not None:
            self.tabs.setCurrentWidget(self.calls_tab)
            self.calls_tab.select_call(self.pending_call)
            self.calls_tab.table.setFocus()
            self.pending_call = None
        elif self.pending_participant is not None:
            self.tabs.setCurrentWidget(self.roster_tab)
            self.roster_tab.show_participant(self.pending_participant)
            self.pending_participant = None
        elif self.pending_roster == plan.cohort.id:
            # A new cohort has no one yet: its first step is the roster, not empty calls.
            self.tabs.setCurrentWidget(self.roster_tab)
            self.pending_roster = None

    def open_call(self, cohort_id: int, call_id: int) -> None:
        self.pending_call = call_id
        self._open_in(cohort_id)

    def open_participant(self, cohort_id: int, participant_id: int) -> None:
        """A person (from Search): their cohort, on its Roster, with them selected."""
        self.pending_participant = participant_id
        self._open_in(cohort_id)

    def _open_in(self, cohort_id: int) -> None:
        if self.plan is not None and self.plan.cohort.id == cohort_id:
            self._plan_loaded(self._loads, self.plan)
        else:
            self.select_cohort(cohort_id)

    def _data_changed(self, topics: frozenset[Topic]) -> None:
        from sanctuary_desktop.services.views import Topic

        # A timer key or a note's autosave touches none of these (a run that finishes
        # says CALLS too, since its call is then held): the list and the plan stay.
        if not topics & {Topic.COHORTS, Topic.PARTICIPANTS, Topic.CALLS}:
            return
        self.reload_list()
        if self.selected_id is not None:
            self.load_plan()

    # -- actions -------------------------------------------------------------------------

    def _keep(self, dialog: QWidget) -> None:
        self._dialogs.append(dialog)
        dialog.destroyed.connect(lambda: self._dialogs.remove(dialog))

    def new_cohort(self) -> None:
        from sanctuary_desktop.ui.cohort_dialogs import CohortDialog

        dialog = CohortDialog(self.ctx, parent=self)
        dialog.saved.connect(self._made)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(dialog)
        dialog.open()

    def _made(self, view: CohortView) -> None:
        self.pending_roster = view.id
        self.select_cohort(view.id)

    def open_handout(self, kind: str) -> None:
        from sanctuary_desktop.ui.pdf_export import open_handout

        if self.plan is not None:
            cohort = self.plan.cohort
            open_handout(self.ctx, self, cohort.id, cohort.name, kind)

    def edit_cohort(self) -> None:
        from sanctuary_desktop.ui.cohort_dialogs import CohortDialog

        if self.plan is None:
            return
        dialog = CohortDialog(self.ctx, self.plan.cohort, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(dialog)
        dialog.open()

    def duplicate_cohort(self) -> None:
        from sanctuary_desktop.ui.cohort_dialogs import DuplicateDialog

        if self.plan is None:
            return
        dialog = DuplicateDialog(self.ctx, self.plan.cohort, parent=self)
        dialog.saved.connect(self._made)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(dialog)
        dialog.open()

    def toggle_archive(self) -> None:
        if self.plan is None:
            return
        from sanctuary_desktop.services import cohorts

        archive = not self.plan.cohort.archived
        if archive:
            self.show_archived.setChecked(True)
        self.ctx.services.call(cohorts.set_archived, self.plan.cohort.id, archive)

    def confirm_delete(self) -> None:
        if self.plan is None:
            return
        cohort = self.plan.cohort
        self.delete_box = ask_to_confirm(
            self,
            "Delete cohort",
            f"Delete “{cohort.name}” with its "
            f"{count_of(len(self.plan.participants), 'participant')}, "
            f"{count_of(len(self.plan.calls), 'call')} and all their notes?",
            "Delete cohort",
            lambda: self.delete_now(cohort.id),
            details="This cannot be undone. To keep it out of sight instead, archive it.",
        )

    def delete_now(self, cohort_id: int) -> None:
        from sanctuary_desktop.services import cohorts

        if self.selected_id == cohort_id:
            self.selected_id = None
            self.plan = None
        self.ctx.services.call(cohorts.delete_cohort, cohort_id)

    def open_sample(self) -> None:
        """Open the sample cohort; if it is already here, say so and ask before a copy."""
        from sanctuary_desktop.services import demo

        self.welcome.sample_button.setEnabled(False)

        def found(cohort_id: int | None) -> None:
            if cohort_id is None:
                self.add_sample()
                return
            self.welcome.sample_button.setEnabled(True)
            self.select_cohort(cohort_id)
            self.sample_box = ask_to_confirm(
                self,
                "Sample cohort",
                "The sample cohort is already here: it is open now.",
                "Add another copy",
                self.add_sample,
                details="Another copy starts afresh, without the changes made to this one.",
                destructive=False,
            )
            self.sample_box.button(QMessageBox.StandardButton.Cancel).setText("Keep this one")
            self.sample_box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        self.ctx.services.call(demo.find_sample, then=found)

    def add_sample(self) -> None:
        from sanctuary_desktop.services import demo

        self.welcome.sample_button.setEnabled(False)

        def done(view: CohortView) -> None:
            self.welcome.sample_button.setEnabled(True)
            self.select_cohort(view.id)

        self.ctx.services.call(demo.create_sample, then=done)
