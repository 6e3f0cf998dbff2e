"""Editing one buddy cycle's groups by hand: drag names between groups, or choose a name,
pick a group and press Move. Nothing is written until OK, and then only through
services.buddies.set_groups, whose validation shows beside the groups."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import buddies
from sanctuary_desktop.services.buddies import BuddyCycleView
from sanctuary_desktop.services.views import ParticipantView
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.theme import set_role
from sanctuary_desktop.ui.widgets import zone_caption

PEOPLE_MIME = "application/x-sanctuary-buddy-people"
PERSON_ROLE = Qt.ItemDataRole.UserRole + 20
UNPAIRED = -1  # the "Not paired" list's place, beside the groups' 0, 1, 2...
COLUMNS = 2


def people_mime(people: Sequence[int]) -> QMimeData:
    """What a drag of names carries: their participant ids."""
    data = QMimeData()
    data.setData(PEOPLE_MIME, QByteArray(",".join(str(p) for p in people).encode("ascii")))
    return data


def people_in(data: QMimeData | None) -> list[int]:
    if data is None or not data.hasFormat(PEOPLE_MIME):
        return []
    text = bytes(data.data(PEOPLE_MIME).data()).decode("ascii", "replace")
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


def size_text(count: int) -> str:
    return {0: "empty", 1: "1 person", 2: "pair", 3: "trio"}.get(count, f"{count} people")


class PeopleList(QListWidget):
    """One group's people, or the people in no group. Names are dragged out as ids; the
    dialog moves them and lists everyone again, so no list removes anything itself."""

    dropped = Signal(list, int)  # person ids, this list's place

    def __init__(self, place: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.place = place
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)
        # Room for a trio, and a target big enough to drop on when the group is empty.
        self.setMinimumHeight(self.fontMetrics().height() * 3 + 24)

    def people(self) -> list[int]:
        return [self.item(row).data(PERSON_ROLE) for row in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [PEOPLE_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        return people_mime([item.data(PERSON_ROLE) for item in items])

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        items = self.selectedItems()
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData(items))
        rect = self.visualItemRect(items[0])
        drag.setPixmap(self.viewport().grab(rect))
        drag.setHotSpot(QPoint(12, rect.height() // 2))
        drag.exec(Qt.DropAction.MoveAction)  # the dialog has already moved them

    @staticmethod
    def _welcome(event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(PEOPLE_MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._welcome(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._welcome(event)

    def dropEvent(self, event: QDropEvent) -> None:
        people = people_in(event.mimeData())
        if not people:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.dropped.emit(people, self.place)


class GroupBox(QGroupBox):
    """A group's list of people, and a button to remove the group once it is empty."""

    def __init__(self, place: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = PeopleList(place)
        self.remove = QPushButton("Remove group")
        self.remove.setToolTip("Only an empty group can be removed")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)
        self.list.setFixedHeight(self.list.minimumHeight())

    def set_place(self, place: int) -> None:
        self.list.place = place
        self.list.setAccessibleName(f"Group {place + 1}")
        self.remove.setAccessibleName(f"Remove group {place + 1}")


class BuddyDialog(QDialog):
    """One cycle's groups, editable. Open with open(); closes itself once saved."""

    saved = Signal(object)  # BuddyCycleView

    def __init__(
        self,
        ctx: AppContext,
        cycle: BuddyCycleView,
        participants: Sequence[ParticipantView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cycle = cycle
        self.setWindowTitle(f"Edit pairs after {cycle.after_call_label}")
        known = {p.id: p for p in participants}
        self.names: dict[int, str] = {}
        self.tips: dict[int, str] = {}
        for pid, person in known.items():
            active = person.status is IntakeStatus.ACCEPTED
            suffix = "" if active else f" ({person.status.label.lower()})"
            self.names[pid] = f"{person.name} · {zone_caption(person.time_zone)}{suffix}"
            self.tips[pid] = f"{person.name}\nTime zone: {person.time_zone}{suffix}"
        self.groups: list[list[int]] = [list(g.members) for g in cycle.groups]
        grouped = {pid for group in self.groups for pid in group}
        # Only accepted people are offered; anyone already in a group stays where they are.
        self.unpaired: list[int] = sorted(
            (
                p.id
                for p in participants
                if p.status is IntakeStatus.ACCEPTED and p.id not in grouped
            ),
            key=lambda pid: known[pid].name.casefold(),
        )
        self.chosen: int | None = None
        self.boxes: list[GroupBox] = []

        intro = QLabel(
            "Drag a name to another group, or choose a name, pick where it goes and press "
            "Move. Each group needs two or three people."
        )
        intro.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.setAccessibleName("Groups error")
        self.error.hide()

        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_holder)
        groups_label = QLabel("Groups")
        groups_label.setProperty("role", "section")
        groups_column = QVBoxLayout()
        groups_column.addWidget(groups_label)
        groups_column.addWidget(self.error)
        groups_column.addWidget(scroll, 1)

        self.unpaired_box = QGroupBox("Not paired")
        self.unpaired_list = PeopleList(UNPAIRED)
        self.unpaired_list.setAccessibleName("Not paired")
        self.unpaired_list.setToolTip("Accepted people in no group this cycle")
        unpaired_layout = QVBoxLayout(self.unpaired_box)
        unpaired_layout.setContentsMargins(8, 6, 8, 8)
        unpaired_layout.addWidget(self.unpaired_list)
        self.unpaired_box.setFixedWidth(250)
        self._connect(self.unpaired_list)

        body = QHBoxLayout()
        body.addLayout(groups_column, 1)
        body.addWidget(self.unpaired_box)

        self.chosen_label = QLabel("Choose a name to move it.")
        self.target = QComboBox()
        self.target.setAccessibleName("Move to")
        self.target.setMinimumContentsLength(12)
        target_label = QLabel("&to:")
        target_label.setBuddy(self.target)
        self.move_button = QPushButton("&Move")
        self.move_button.setAccessibleName("Move")
        self.add_button = QPushButton("&Add group")
        self.add_button.setAccessibleName("Add group")
        controls = QHBoxLayout()
        controls.addWidget(self.chosen_label, 1)
        controls.addWidget(target_label)
        controls.addWidget(self.target)
        controls.addWidget(self.move_button)
        controls.addSpacing(16)
        controls.addWidget(self.add_button)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save pairs")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addLayout(controls)
        layout.addWidget(self.buttons)

        self.move_button.clicked.connect(self.move_chosen)
        self.add_button.clicked.connect(self.add_group)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(900, 600)
        self._refresh()

    # -- the lists --------------------------------------------------------------------------

    def _connect(self, people: PeopleList) -> None:
        people.dropped.connect(self._on_dropped)
        people.itemSelectionChanged.connect(lambda: self._on_selection(people))

    def _lists(self) -> list[PeopleList]:
        return [box.list for box in self.boxes] + [self.unpaired_list]

    def list_for(self, place: int) -> PeopleList:
        return self.unpaired_list if place == UNPAIRED else self.boxes[place].list

    def _fill(self, people: PeopleList, members: Sequence[int]) -> None:
        people.blockSignals(True)
        people.clear()
        for pid in members:
            item = QListWidgetItem(self.names.get(pid, "someone no longer listed"))
            item.setData(PERSON_ROLE, pid)
            item.setToolTip(self.tips.get(pid, ""))
            people.addItem(item)
            if pid == self.chosen:
                people.setCurrentItem(item)
        people.blockSignals(False)

    def _place_boxes(self) -> None:
        for box in self.boxes:
            self.grid.removeWidget(box)
        for place, box in enumerate(self.boxes):
            box.set_place(place)
            self.grid.addWidget(box, place // COLUMNS, place % COLUMNS)

    def _refresh(self) -> None:
        if len(self.boxes) < len(self.groups):
            while len(self.boxes) < len(self.groups):
                box = GroupBox(len(self.boxes))
                box.remove.clicked.connect(lambda _=False, b=box: self.remove_group(b.list.place))
                self._connect(box.list)
                self.boxes.append(box)
            self._place_boxes()
        for place, box in enumerate(self.boxes):
            members = self.groups[place]
            box.setTitle(f"Group {place + 1} · {size_text(len(members))}")
            odd = len(members) not in (0, 2, 3)  # the size the service will refuse
            set_role(box, "warning" if odd else "")
            box.remove.setEnabled(not members)
            self._fill(box.list, members)
        self._fill(self.unpaired_list, self.unpaired)
        self.unpaired_box.setTitle(f"Not paired · {len(self.unpaired)}")

        wanted = self.target.currentData()
        self.target.clear()
        for place in range(len(self.groups)):
            self.target.addItem(f"Group {place + 1}", place)
        self.target.addItem("Not paired", UNPAIRED)
        found = self.target.findData(wanted)
        self.target.setCurrentIndex(found if found >= 0 else 0)
        self._sync_controls()

    def _sync_controls(self) -> None:
        if self.chosen is None or self.place_of(self.chosen) is None:
            self.chosen = None
            self.chosen_label.setText("Choose a name to move it.")
        else:
            name = self.names.get(self.chosen, "someone").split(" · ")[0]
            self.chosen_label.setText(f"Move <b>{name}</b>")
        self.move_button.setEnabled(self.chosen is not None)
        self.target.setEnabled(self.chosen is not None)

    def _on_selection(self, people: PeopleList) -> None:
        items = people.selectedItems()
        if not items:
            return
        self.chosen = items[0].data(PERSON_ROLE)
        for other in self._lists():
            if other is not people:
                other.blockSignals(True)
                other.clearSelection()
                other.selectionModel().clearCurrentIndex()
                other.blockSignals(False)
        self._sync_controls()

    def _on_dropped(self, people: list[int], place: int) -> None:
        for pid in people:
            self.move_person(pid, place)

    # -- edits ------------------------------------------------------------------------------

    def place_of(self, person: int) -> int | None:
        """The group a person is in, UNPAIRED, or None if not listed at all."""
        for place, members in enumerate(self.groups):
            if person in members:
                return place
        return UNPAIRED if person in self.unpaired else None

    def choose(self, person: int) -> None:
        """Choose a person as if clicked (for the keyboard path and for tests)."""
        place = self.place_of(person)
        if place is None:
            return
        people = self.list_for(place)
        row = people.people().index(person)
        people.setCurrentRow(row)
        people.setFocus()

    def move_person(self, person: int, place: int) -> None:
        """Put a person in a group (or in no group), last in its list."""
        origin = self.place_of(person)
        if origin is None or origin == place:
            return
        if place != UNPAIRED and not 0 <= place < len(self.groups):
            return
        (self.unpaired if origin == UNPAIRED else self.groups[origin]).remove(person)
        (self.unpaired if place == UNPAIRED else self.groups[place]).append(person)
        self.chosen = person
        self.error.hide()
        self._refresh()

    def move_chosen(self) -> None:
        place = self.target.currentData()
        if self.chosen is not None and isinstance(place, int):
            self.move_person(self.chosen, place)

    def add_group(self) -> None:
        self.groups.append([])
        self._refresh()
        self.target.setCurrentIndex(self.target.findData(len(self.groups) - 1))

    def remove_group(self, place: int) -> None:
        if not 0 <= place < len(self.groups) or self.groups[place]:
            return
        del self.groups[place]
        box = self.boxes.pop(place)
        self.grid.removeWidget(box)
        box.setParent(None)
        box.deleteLater()
        self._place_boxes()
        self._refresh()
        self.add_button.setFocus()

    def result_groups(self) -> list[list[int]]:
        """The groups to store: empty ones are simply left out."""
        return [list(members) for members in self.groups if members]

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        self.error.hide()
        self.ok_button.setEnabled(False)
        self.ctx.services.call(
            buddies.set_groups,
            self.cycle.id,
            self.result_groups(),
            then=self._saved,
            failed=self.show_error,
        )

    def _saved(self, cycle: BuddyCycleView) -> None:
        self.ok_button.setEnabled(True)
        self.cycle = cycle
        self.saved.emit(cycle)
        self.accept()

    def show_error(self, error: ValidationError) -> None:
        self.ok_button.setEnabled(True)
        lines: list[str] = []
        for item in error.errors:
            line = f"{item.field} {item.message}"
            if line not in lines:
                lines.append(line)
        self.error.setText("\n".join(lines))
        self.error.show()
