"""The Plan tab: each call's agenda, who presents when, and buddy pairs between calls.

Everything is read and written through ctx.services; the tab reloads when a change names
agendas, buddies or protocols, and when the cohort page hands it a new plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.agenda import (
    AgendaItem,
    TimedItem,
    build_agenda,
    insert_item,
    move_item,
    remove_item,
    retime_item,
    shorten_to_fit,
)
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import Protocol
from sanctuary_desktop.services import agendas, buddies, presenters, protocol_library
from sanctuary_desktop.services.agendas import AgendaView
from sanctuary_desktop.services.buddies import BuddyCycleView
from sanctuary_desktop.services.presenters import CallPresenters, PresenterPlan
from sanctuary_desktop.services.views import CohortPlan, Topic
from sanctuary_desktop.ui.buddy_dialog import BuddyDialog
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import Column, RowsModel, table_view
from sanctuary_desktop.ui.theme import Colors, set_role
from sanctuary_desktop.ui.widgets import ask_to_confirm, local_label

WATCHED = frozenset({Topic.AGENDAS, Topic.BUDDIES, Topic.PROTOCOLS})
NOBODY = "— let the planner choose —"
STAGE_MIME = "application/x-sanctuary-agenda-stage"


def _label(text: str, role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    return label


def _button(text: str, role: str = "secondary", name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", role)
    button.setAccessibleName(name or text.replace("&", ""))
    return button


def _table() -> QTableView:
    table = table_view()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


def group_names(members: Sequence[int], names: dict[int, str]) -> str:
    """ "Aroha Ngātai & Zoë Fraser", or "A, B & C" for a trio."""
    people = [names.get(m, "someone no longer listed") for m in members]
    return people[0] if len(people) == 1 else f"{', '.join(people[:-1])} & {people[-1]}"


class AgendaModel(RowsModel[TimedItem]):
    """The agenda's rows, which can be dragged to a new place among themselves.

    A drop changes nothing here: it asks for the move (from row, to row), which goes
    through domain move_item and is saved like the Move buttons' moves."""

    move_requested = Signal(int, int)

    def __init__(self, columns: Sequence[Column[TimedItem]], parent: QObject | None = None) -> None:
        super().__init__(columns, parent)
        self.call_id: int | None = None  # drags only land in the agenda they came from

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # between rows, never onto one
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [STAGE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data = QMimeData()
        if rows:
            data.setData(STAGE_MIME, QByteArray(f"{self.call_id}:{rows[0]}".encode("ascii")))
        return data

    def dragged_row(self, data: QMimeData | None) -> int | None:
        if data is None or not data.hasFormat(STAGE_MIME):
            return None
        call, _, row = bytes(data.data(STAGE_MIME).data()).decode("ascii").partition(":")
        if call != str(self.call_id) or not row.isdigit() or int(row) >= len(self.rows):
            return None
        return int(row)

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return action == Qt.DropAction.MoveAction and self.dragged_row(data) is not None

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        source = self.dragged_row(data)
        if action != Qt.DropAction.MoveAction or source is None:
            return False
        # Qt gives the row to insert before; -1 means onto a row (before it) or past the end.
        before = row if row >= 0 else parent.row() if parent.isValid() else len(self.rows)
        target = before - 1 if before > source else before
        target = min(max(target, 0), len(self.rows) - 1)
        if target != source:
            self.move_requested.emit(source, target)
        return True


class AgendaSection(QWidget):
    """One call's agenda: protocol, timed stages, and this call's own edits."""

    def __init__(self, owner: PlanTab) -> None:
        super().__init__()
        self.owner = owner
        self.ctx = owner.ctx
        self.view: AgendaView | None = None
        self.protocols: dict[str, Protocol] = {}
        self._select_after: int | None = None
        self.confirm: QWidget | None = None

        self.call = QComboBox()
        self.call.setAccessibleName("Call")
        self.protocol = QComboBox()
        self.protocol.setAccessibleName("Protocol")
        self.protocol.setMinimumContentsLength(26)
        call_label, protocol_label = QLabel("&Call:"), QLabel("&Protocol:")
        call_label.setBuddy(self.call)
        protocol_label.setBuddy(self.protocol)
        top = QHBoxLayout()
        top.addWidget(call_label)
        top.addWidget(self.call, 1)
        top.addSpacing(16)
        top.addWidget(protocol_label)
        top.addWidget(self.protocol, 1)

        self.model = AgendaModel(
            [
                Column("Starts", self._start, align_right=True),
                Column("Minutes", lambda t: str(t.item.minutes), align_right=True),
                Column("Stage", lambda t: t.item.label),
                Column("Presenter", self._presenter, foreground=self._presenter_color),
            ],
            self,
        )
        self.table = _table()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Agenda stages")
        self.table.setToolTip("Drag a stage, or press Alt+Up and Alt+Down, to move it")
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(False)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.totals = _label("", "section")
        self.rounds = _label("", "muted")
        self.warning = _label("", "warning")
        self.shorten = _button("Shorten to &fit", name="Shorten the agenda to fit the call")
        self.shorten.setToolTip(
            "Shorten the stages in proportion so the agenda ends on time, as the live "
            "window does; stages marked fixed keep their minutes"
        )
        self.shorten.clicked.connect(self.shorten_to_fit)
        warning_row = QHBoxLayout()
        warning_row.setContentsMargins(0, 0, 0, 0)
        warning_row.addWidget(self.warning, 1)
        warning_row.addWidget(self.shorten)
        self.warning_row = QWidget()
        self.warning_row.setLayout(warning_row)
        self.warning_row.hide()
        self.error = _label("")
        set_role(self.error, "error")
        self.error.hide()

        self.minutes = QSpinBox()
        self.minutes.setRange(1, 600)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Minutes for the chosen stage")
        minutes_label = QLabel("M&inutes:")
        minutes_label.setBuddy(self.minutes)
        self.up = _button("Move &up", name="Move stage up")
        self.down = _button("Move &down", name="Move stage down")
        self.remove = _button("&Remove stage", name="Remove stage")
        self.up.setToolTip("Alt+Up")
        self.down.setToolTip("Alt+Down")
        edit_row = QHBoxLayout()
        edit_row.addWidget(minutes_label)
        edit_row.addWidget(self.minutes)
        edit_row.addSpacing(12)
        edit_row.addWidget(self.up)
        edit_row.addWidget(self.down)
        edit_row.addWidget(self.remove)
        edit_row.addStretch(1)

        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("e.g. Check-in round")
        self.new_name.setAccessibleName("New stage name")
        self.new_minutes = QSpinBox()
        self.new_minutes.setRange(1, 600)
        self.new_minutes.setValue(5)
        self.new_minutes.setSuffix(" min")
        self.new_minutes.setAccessibleName("New stage minutes")
        self.insert = _button("&Insert stage", "primary", "Insert stage")
        new_label = QLabel("New &stage:")
        new_label.setBuddy(self.new_name)
        insert_row = QHBoxLayout()
        insert_row.addWidget(new_label)
        insert_row.addWidget(self.new_name, 1)
        insert_row.addWidget(self.new_minutes)
        insert_row.addWidget(self.insert)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.warning_row)
        layout.addWidget(self.rounds)
        layout.addLayout(edit_row)
        layout.addLayout(insert_row)
        layout.addWidget(self.error)

        self.call.currentIndexChanged.connect(lambda _i: self.load())
        self.protocol.activated.connect(lambda _i: self.choose_protocol())
        self.minutes.editingFinished.connect(lambda: self.retime_selected(self.minutes.value()))
        self.model.move_requested.connect(self.move_row)
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.remove.clicked.connect(self.remove_selected)
        self.insert.clicked.connect(self.insert_stage)
        self.new_name.returnPressed.connect(self.insert_stage)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._sync_controls())
        self.table.installEventFilter(self)
        self._sync_controls()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Alt+Up and Alt+Down move the chosen stage while the table has the focus."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self.move_selected(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    # -- display ---------------------------------------------------------------------------

    def _start(self, timed: TimedItem) -> str:
        return local_label(timed.start, self.ctx.facilitator_zone, "%H:%M")

    def _presenter(self, timed: TimedItem) -> str:
        if timed.item.round is None:
            return ""
        if timed.item.presenter is None:
            return "not chosen yet"
        return self.owner.names.get(timed.item.presenter, "someone no longer listed")

    def _presenter_color(self, timed: TimedItem) -> QColor | None:
        return Colors.MUTED_TEXT.color() if timed.item.presenter is None else None

    def set_calls(self, plan: CohortPlan) -> None:
        wanted = self.call_id()
        self.call.blockSignals(True)
        self.call.clear()
        now = self.ctx.clock()
        upcoming = None
        for index, call in enumerate(c for c in plan.calls if not c.cancelled):
            when = local_label(call.starts_at, self.ctx.facilitator_zone, "%a %d %b %Y, %H:%M")
            self.call.addItem(f"{call.label} — {when}", call.id)
            if upcoming is None and not call.is_held(now):
                upcoming = index
        found = self.call.findData(wanted) if wanted is not None else -1
        if found >= 0:
            self.call.setCurrentIndex(found)
        elif self.call.count():
            self.call.setCurrentIndex(upcoming if upcoming is not None else self.call.count() - 1)
        self.call.blockSignals(False)
        if self.call.count() == 0:
            self.view = None
            self.model.call_id = None
            self.model.set_rows([])
            self.totals.setText("No calls planned yet: add them on the Calls tab.")
            self.rounds.clear()
            self.warning.hide()
            self.warning_row.hide()
        self._sync_controls()

    def set_protocols(self, protocols: list[Protocol]) -> None:
        self.protocols = {p.key: p for p in protocols}
        self.protocol.blockSignals(True)
        self.protocol.clear()
        for p in protocols:
            self.protocol.addItem(p.name, p.key)
        self.protocol.blockSignals(False)
        self._show_protocol()

    def _show_protocol(self) -> None:
        if self.view is None:
            return
        index = self.protocol.findData(self.view.protocol_key)
        if index < 0:
            self.protocol.addItem(self.view.protocol_name, self.view.protocol_key)
            index = self.protocol.count() - 1
        self.protocol.setCurrentIndex(index)

    def call_id(self) -> int | None:
        data = self.call.currentData()
        return data if isinstance(data, int) else None

    def load(self) -> None:
        call_id = self.call_id()
        if call_id is not None:
            self.ctx.services.call(agendas.get_agenda, call_id, then=self.show_agenda)

    def show_agenda(self, view: AgendaView) -> None:
        if view.call_id != self.call_id():
            return  # an answer for a call no longer chosen
        self.view = view
        self.model.call_id = view.call_id
        current = self.table.currentIndex().row()
        self.model.set_rows(view.timing.items)
        row = self._select_after if self._select_after is not None else current
        self._select_after = None
        if view.items:
            self.table.selectRow(min(max(row, 0), len(view.items) - 1))
        timing = view.timing
        self.totals.setText(f"{timing.total_minutes} of {timing.call_minutes} minutes planned")
        if timing.spare:
            self.totals.setText(f"{self.totals.text()} ({timing.spare} to spare)")
        fitted = shorten_to_fit(view.items, timing.call_minutes)
        can_fit = sum(item.minutes for item in fitted) <= timing.call_minutes
        self.warning.setText(
            timing.warning()
            + ("" if can_fit or timing.fits else " Its fixed stages alone do not fit.")
        )
        self.warning.setVisible(not timing.fits)
        self.warning_row.setVisible(not timing.fits)
        self.shorten.setEnabled(not timing.fits and fitted != view.items)
        count = view.rounds
        self.rounds.setText(
            f"{count} presenter round{'' if count == 1 else 's'} · {view.protocol_name}"
            + ("" if view.saved else " (the default, not yet chosen for this call)")
        )
        self._show_protocol()
        self._sync_controls()

    def _sync_controls(self) -> None:
        row = self.selected()
        has = self.view is not None and row is not None
        for widget in (self.minutes, self.remove):
            widget.setEnabled(has)
        self.up.setEnabled(has and row is not None and row > 0)
        self.down.setEnabled(
            has and self.view is not None and row is not None and row < len(self.view.items) - 1
        )
        self.insert.setEnabled(self.view is not None)
        self.protocol.setEnabled(self.view is not None)
        if has and self.view is not None and row is not None:
            self.minutes.blockSignals(True)
            self.minutes.setValue(self.view.items[row].minutes)
            self.minutes.blockSignals(False)

    def selected(self) -> int | None:
        row = self.table.currentIndex().row()
        if self.view is None or not 0 <= row < len(self.view.items):
            return None
        return row

    # -- edits -------------------------------------------------------------------------------

    def _save(self, items: tuple[AgendaItem, ...], select: int | None) -> None:
        if self.view is None:
            return
        self.error.hide()
        self._select_after = select
        self.ctx.services.call(
            agendas.save_agenda,
            self.view.call_id,
            self.view.protocol_key,
            items,
            then=self.show_agenda,
            failed=self.show_error,
        )

    def show_error(self, error: ValidationError) -> None:
        self.error.setText("; ".join(str(item) for item in error.errors))
        self.error.show()

    def _edit(self, change: Callable[[], tuple[AgendaItem, ...]], select: int | None) -> None:
        try:
            items = change()
        except ValidationError as problem:
            self.show_error(problem)
            return
        self._save(items, select)

    def shorten_to_fit(self) -> None:
        """The live window's shortening, before the call: the stages that are not fixed
        shrink in proportion so the agenda ends on time."""
        if self.view is None or self.view.timing.fits:
            return
        items, minutes = self.view.items, self.view.timing.call_minutes
        self._edit(lambda: shorten_to_fit(items, minutes), self.selected())
        self.table.setFocus()

    def retime_selected(self, minutes: int) -> None:
        row = self.selected()
        if row is None or self.view is None or self.view.items[row].minutes == minutes:
            return
        items = self.view.items
        self._edit(lambda: retime_item(items, row, minutes), row)

    def move_selected(self, step: int) -> None:
        row = self.selected()
        if row is not None:
            self.move_row(row, row + step)

    def move_row(self, row: int, to: int) -> None:
        """Move a stage so that it ends up at row `to` (buttons, keys and drops alike)."""
        if self.view is None or row == to:
            return
        count = len(self.view.items)
        if not (0 <= row < count and 0 <= to < count):
            return
        items = self.view.items
        self._edit(lambda: move_item(items, row, to), to)

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or self.view is None:
            return
        items = self.view.items
        self._edit(lambda: remove_item(items, row), row)

    def insert_stage(self) -> None:
        if self.view is None:
            return
        name, minutes = self.new_name.text(), self.new_minutes.value()
        row = self.selected()
        at = len(self.view.items) if row is None else row + 1
        items = self.view.items
        self._edit(lambda: insert_item(items, at, AgendaItem(name=name, minutes=minutes)), at)
        self.new_name.clear()

    def edited(self) -> bool:
        """Whether the call's agenda differs from its protocol as built (presenters aside)."""
        if self.view is None or not self.view.saved:
            return False
        protocol = self.protocols.get(self.view.protocol_key)
        if protocol is None:
            return True
        try:
            built = build_agenda(protocol, [None] * self.view.rounds)
        except ValidationError:
            return True
        return tuple(replace(i, presenter=None) for i in self.view.items) != built

    def choose_protocol(self) -> None:
        key = self.protocol.currentData()
        if self.view is None or not isinstance(key, str):
            return
        call_id = self.view.call_id
        if key == self.view.protocol_key and not self.edited():
            return

        def apply() -> None:
            self.ctx.services.call(
                agendas.apply_protocol,
                call_id,
                key,
                then=self.show_agenda,
                failed=self.show_error,
            )

        if self.edited():
            self._show_protocol()  # stays as it is unless confirmed
            name = self.protocols[key].name if key in self.protocols else key
            self.confirm = ask_to_confirm(
                self,
                "Replace this call's agenda?",
                f"This call's agenda has been edited. Rebuild it from {name}?",
                "Replace agenda",
                apply,
                details="Your changes to this call's stages will be lost; presenters stay.",
            )
        else:
            apply()


class PresentersSection(QWidget):
    """Who presents in each round of each call, planned or chosen by hand."""

    def __init__(self, owner: PlanTab) -> None:
        super().__init__()
        self.owner = owner
        self.ctx = owner.ctx
        self.plan: PresenterPlan | None = None
        self.model: RowsModel[CallPresenters] = RowsModel([], self)
        self.table = _table()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Presenters by call")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.fill = _button("&Plan presenters", "primary", "Plan presenters")
        self.fill.setToolTip("Fill every open round of the calls to come; hand-picked ones stay.")
        self.not_yet = _label("", "muted")

        self.round = QComboBox()
        self.round.setAccessibleName("Round")
        self.person = QComboBox()
        self.person.setAccessibleName("Presenter")
        self.person.setMinimumContentsLength(22)
        self.set_button = _button("&Set presenter", name="Set presenter")
        self.chosen_call = _label("Choose a call in the table to change who presents.", "muted")
        round_label, person_label = QLabel("&Round:"), QLabel("Pr&esenter:")
        round_label.setBuddy(self.round)
        person_label.setBuddy(self.person)
        editor = QHBoxLayout()
        editor.addWidget(round_label)
        editor.addWidget(self.round)
        editor.addWidget(person_label)
        editor.addWidget(self.person, 1)
        editor.addWidget(self.set_button)

        top = QHBoxLayout()
        top.addWidget(_label("Everyone presents once before anyone presents twice.", "subtitle"), 1)
        top.addWidget(self.fill)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.not_yet)
        layout.addWidget(self.chosen_call)
        layout.addLayout(editor)

        self.fill.clicked.connect(self.plan_presenters)
        self.set_button.clicked.connect(self.set_chosen)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._sync_editor())
        self.round.currentIndexChanged.connect(lambda _i: self._sync_person())
        self._sync_editor()

    def load(self) -> None:
        cohort_id = self.owner.cohort_id
        if cohort_id is not None:
            self.ctx.services.call(
                presenters.presenter_plan,
                cohort_id,
                self.ctx.clock(),
                then=partial(self.show_plan, cohort_id=cohort_id),
            )

    def show_plan(self, plan: PresenterPlan, cohort_id: int | None = None) -> None:
        if cohort_id is not None and cohort_id != self.owner.cohort_id:
            return
        self.plan = plan
        row = self.table.currentIndex().row()
        zone = self.ctx.facilitator_zone

        def faded(c: CallPresenters) -> QColor | None:
            return Colors.MUTED_TEXT.color() if c.held else None

        columns: list[Column[CallPresenters]] = [
            Column("Call", lambda c: c.label + (" (held)" if c.held else ""), foreground=faded),
            Column("Date", lambda c: local_label(c.starts_at, zone), foreground=faded),
        ]
        most = max((len(c.presenters) for c in plan.calls), default=0)
        for n in range(most):
            columns.append(
                Column(
                    f"Round {n + 1}",
                    partial(self._slot_text, n=n),
                    foreground=faded,
                    tooltip=partial(self._slot_tip, n=n),
                )
            )
        self.model.columns = columns
        self.model.set_rows(plan.calls)
        if row < 0:  # first showing: the next call to come, not one already held
            row = next((i for i, c in enumerate(plan.calls) if not c.held), 0)
        if plan.calls:
            self.table.selectRow(min(row, len(plan.calls) - 1))
        waiting = [plan.names[p] for p in plan.not_yet if p in plan.names]
        self.not_yet.setText(
            "Not presented yet: " + (", ".join(waiting) if waiting else "everyone has a turn.")
        )
        self._sync_editor()

    @staticmethod
    def _slot_tip(call: CallPresenters, n: int) -> str:
        return "Chosen by hand" if n < len(call.fixed) and call.fixed[n] else ""

    def _slot_text(self, call: CallPresenters, n: int) -> str:
        if n >= len(call.presenters):
            return ""
        person = call.presenters[n]
        if person is None:
            return "—"
        name = self.owner.names.get(person, "someone no longer listed")
        return f"{name} ✎" if call.fixed[n] else name

    def selected(self) -> CallPresenters | None:
        row = self.table.currentIndex().row()
        if self.plan is None or not 0 <= row < len(self.plan.calls):
            return None
        return self.plan.calls[row]

    def _sync_editor(self) -> None:
        call = self.selected()
        wanted = self.round.currentIndex()
        self.round.blockSignals(True)
        self.round.clear()
        if call is not None:
            for n in range(len(call.presenters)):
                self.round.addItem(f"Round {n + 1}", n + 1)
            if 0 <= wanted < self.round.count():
                self.round.setCurrentIndex(wanted)
            self.chosen_call.setText(f"Who presents in {call.label}:")
        self.round.blockSignals(False)
        self.person.clear()
        self.person.addItem(NOBODY, None)
        if self.plan is not None:
            for pid, name in sorted(self.plan.names.items(), key=lambda kv: kv[1].casefold()):
                self.person.addItem(name, pid)
        usable = call is not None and self.round.count() > 0
        for widget in (self.round, self.person, self.set_button):
            widget.setEnabled(usable)
        self._sync_person()

    def _sync_person(self) -> None:
        call = self.selected()
        slot = self.round.currentIndex()
        if call is None or not 0 <= slot < len(call.presenters):
            return
        index = self.person.findData(call.presenters[slot])
        self.person.setCurrentIndex(max(index, 0))

    def set_chosen(self) -> None:
        call = self.selected()
        slot = self.round.currentData()
        if call is None or not isinstance(slot, int):
            return
        person = self.person.currentData()
        self.ctx.services.call(
            presenters.set_presenter,
            call.call_id,
            slot,
            person if isinstance(person, int) else None,
        )

    def plan_presenters(self) -> None:
        cohort_id = self.owner.cohort_id
        if cohort_id is not None:
            self.ctx.services.call(
                presenters.fill_presenters,
                cohort_id,
                self.ctx.clock(),
                then=partial(self.show_plan, cohort_id=cohort_id),
            )


class BuddiesSection(QWidget):
    """A block per cycle of catch-ups, each group with a "caught up" box."""

    def __init__(self, owner: PlanTab) -> None:
        super().__init__()
        self.owner = owner
        self.ctx = owner.ctx
        self.cycles: list[BuddyCycleView] = []
        self.checks: dict[int, QCheckBox] = {}
        self.edit_buttons: dict[int, QPushButton] = {}  # by cycle id
        self.dialog: BuddyDialog | None = None
        self._refocus_cycle: int | None = None
        self.generate = _button("Plan p&airs", "primary", "Plan pairs")
        self.generate.setToolTip(
            "New pairs after every call that has none yet, and new pairs for cycles still "
            "to come that no longer fit the roster (pairs made by hand stay)."
        )
        self.changes = _label("")
        self.changes.setWordWrap(True)
        self.changes.setAccessibleName("What Plan pairs changed")
        self.changes.hide()
        top = QHBoxLayout()
        top.addWidget(
            _label(
                "New partners each cycle for a catch-up between calls; a trio when the count "
                "is odd.",
                "subtitle",
            ),
            1,
        )
        top.addWidget(self.generate)
        self.body = QWidget()
        self.blocks = QVBoxLayout(self.body)
        self.blocks.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.changes)
        layout.addWidget(scroll, 1)
        self.generate.clicked.connect(self.plan_pairs)

    def load(self) -> None:
        cohort_id = self.owner.cohort_id
        if cohort_id is not None:
            self.ctx.services.call(
                buddies.list_cycles,
                cohort_id,
                self.ctx.clock(),
                then=partial(self.show_cycles, cohort_id=cohort_id),
            )

    def plan_pairs(self) -> None:
        cohort_id = self.owner.cohort_id
        if cohort_id is not None:
            self.ctx.services.call(
                buddies.plan_pairs,
                cohort_id,
                self.ctx.clock(),
                then=partial(self._planned, cohort_id=cohort_id),
            )

    def _planned(self, planned: buddies.PairsPlanned, cohort_id: int | None = None) -> None:
        if cohort_id is not None and cohort_id != self.owner.cohort_id:
            return
        self.changes.setText(
            "\n".join(planned.changes) if planned.changes else "The pairs already fit the roster."
        )
        self.changes.show()
        self.show_cycles(planned.cycles, cohort_id)

    def show_cycles(self, cycles: list[BuddyCycleView], cohort_id: int | None = None) -> None:
        if cohort_id is not None and cohort_id != self.owner.cohort_id:
            return
        focused = next((gid for gid, box in self.checks.items() if box.hasFocus()), None)
        edit_focused = next((c for c, b in self.edit_buttons.items() if b.hasFocus()), None)
        edit_focused = self._refocus_cycle or edit_focused
        self._refocus_cycle = None
        self.cycles = cycles
        self.checks = {}
        self.edit_buttons = {}
        while self.blocks.count():
            item = self.blocks.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        if not cycles:
            self.blocks.addWidget(
                _label("No pairs yet. “Plan pairs” makes them for every call.", "muted")
            )
        for cycle in cycles:
            card = QFrame()
            card.setProperty("role", "card")
            rows = QVBoxLayout(card)
            heading = QHBoxLayout()
            heading.addWidget(_label(f"After {cycle.after_call_label}", "section"), 1)
            edit = _button("Edit pairs…", name=f"Edit pairs after {cycle.after_call_label}")
            edit.setToolTip("Move people between groups by hand")
            edit.clicked.connect(lambda _=False, c=cycle.id: self.edit_cycle(c))
            heading.addWidget(edit, 0, Qt.AlignmentFlag.AlignBottom)
            self.edit_buttons[cycle.id] = edit
            rows.addLayout(heading)
            if cycle.out_of_date:
                stale = _label(
                    "; ".join(cycle.out_of_date)
                    + ". “Plan pairs” plans this cycle again (pairs made by hand stay)."
                )
                stale.setWordWrap(True)
                set_role(stale, "error")
                rows.addWidget(stale)
            for group in cycle.groups:
                names = group_names(group.members, self.owner.names)
                line = QHBoxLayout()
                text = _label(names)
                line.addWidget(text, 1)
                if len(group.members) == 3:
                    trio = _label("(trio)", "muted")
                    line.addWidget(trio)
                if group.fixed:
                    line.addWidget(_label("(by hand)", "muted"))
                box = QCheckBox("Caught up")
                box.setAccessibleName(f"Caught up: {names}")
                box.setChecked(group.happened is True)
                box.toggled.connect(
                    lambda on, g=group.id, note=group.note: self.ctx.services.call(
                        buddies.set_happened, g, on, note
                    )
                )
                line.addWidget(box)
                rows.addLayout(line)
                self.checks[group.id] = box
            self.blocks.addWidget(card)
        if focused in self.checks:
            self.checks[focused].setFocus()
        elif edit_focused in self.edit_buttons:
            self.edit_buttons[edit_focused].setFocus()

    def edit_cycle(self, cycle_id: int) -> BuddyDialog | None:
        """Open the hand editor for one cycle's groups (window-modal, never exec())."""
        cycle = next((c for c in self.cycles if c.id == cycle_id), None)
        plan = self.owner.plan
        if cycle is None or plan is None:
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = BuddyDialog(self.ctx, cycle, plan.participants, self)
        dialog.finished.connect(lambda result, c=cycle_id: self._edited(c, result))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _edited(self, cycle_id: int, result: int) -> None:
        """Back to the cycle's button once the editor closes, and again once its card is
        rebuilt after a save."""
        if result == QDialog.DialogCode.Accepted:
            self._refocus_cycle = cycle_id
        button = self.edit_buttons.get(cycle_id)
        if button is not None:
            button.setFocus()


class PlanTab(QWidget):
    """Agendas, presenters and buddy pairs for one cohort."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: CohortPlan | None = None
        self.names: dict[int, str] = {}
        self.agenda = AgendaSection(self)
        self.presenters = PresentersSection(self)
        self.buddies = BuddiesSection(self)
        self.sections = QTabWidget()
        self.sections.setAccessibleName("Plan sections")
        self.sections.addTab(self.agenda, "Agenda")
        self.sections.addTab(self.presenters, "Presenters")
        self.sections.addTab(self.buddies, "Buddy pairs")
        layout = QVBoxLayout(self)
        layout.addWidget(self.sections)
        ctx.events.data_changed.connect(self._on_changed)

    @property
    def cohort_id(self) -> int | None:
        return self.plan.cohort.id if self.plan is not None else None

    def set_plan(self, plan: CohortPlan) -> None:
        if self.plan is not None and self.plan.cohort.id != plan.cohort.id:
            self.agenda.call.clear()  # a new cohort: default to its next call again
        self.plan = plan
        self.names = {p.id: p.name for p in plan.participants}
        self.agenda.set_calls(plan)
        self.reload(WATCHED)

    def reload(self, topics: frozenset[Topic]) -> None:
        if self.plan is None:
            return
        if Topic.PROTOCOLS in topics:
            self.ctx.services.call(protocol_library.list_protocols, then=self.agenda.set_protocols)
        if topics & {Topic.AGENDAS, Topic.PROTOCOLS}:
            self.agenda.load()
            self.presenters.load()
        if Topic.BUDDIES in topics:
            self.buddies.load()

    def _on_changed(self, topics: object) -> None:
        if isinstance(topics, frozenset):
            changed = topics & WATCHED
            if changed:
                self.reload(frozenset(changed))
