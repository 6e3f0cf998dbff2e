"""Beside the timer: who is here, and notes taken as the call goes, saved as you type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.zones import city_of, zone
from sanctuary_desktop.services import live, records
from sanctuary_desktop.services.records import NoteKind, NoteView
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import Column, RowsModel
from sanctuary_desktop.ui.theme import set_role
from sanctuary_desktop.ui.widgets import ask_to_confirm

AUTOSAVE_MS = 1500  # under the two seconds a crash may cost
KIND_LABELS = {
    NoteKind.NOTE: "Note",
    NoteKind.INSIGHT: "Insight",
    NoteKind.QUOTE: "Quote",
    NoteKind.ACTION: "Action",
}


class NotesPane(QWidget):
    """Attendance check boxes, a note composer that saves itself, and the call's notes."""

    attendance_changed = Signal(object)  # frozenset[int] of those present
    leave_requested = Signal()  # Esc in the composer: back to the timer's keys

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.call: live.LiveCall | None = None
        self.stage = ""
        self.draft = _Draft()
        self._after_save: list[Callable[[], None]] = []
        self._flying = 0  # writes sent and not yet back
        self._dirty = False
        self._loading = False

        self.people = QListWidget()
        self.people.setAccessibleName("Attendance")
        self.people.itemChanged.connect(self._attendance_toggled)
        self.people.setMaximumHeight(170)

        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.kind.setAccessibleName("Kind of note")
        self.owner = QComboBox()
        self.owner.setAccessibleName("Owner")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("Themes, separated by commas")
        self.tags.setAccessibleName("Themes")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Type a note: it saves itself as you type.")
        self.text.setAccessibleName("Note")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(110)
        self.status = QLabel("")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.add = QPushButton("Add note")
        self.add.setProperty("role", "primary")
        self.add.setToolTip("Save this note and start a new one (Ctrl+Enter)")
        self.add.clicked.connect(self.finish_note)

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_now)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.owner.currentIndexChanged.connect(self._edited)
        self.tags.textEdited.connect(self._edited)
        self.text.textChanged.connect(self._edited)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.text, self.finish_note)
        QShortcut(QKeySequence("Escape"), self.text, self.leave_requested.emit)

        self.notes_model: RowsModel[NoteView] = RowsModel(
            [
                Column("Time", self._time_text),
                Column("Kind", lambda n: KIND_LABELS[n.kind]),
                Column("Note", self._note_text, tooltip=lambda n: f"{n.stage}\n\n{n.text}"),
            ]
        )
        self.notes = QTableView()
        self.notes.setModel(self.notes_model)
        self.notes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.notes.verticalHeader().hide()
        self.notes.setWordWrap(True)
        header = self.notes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.notes.doubleClicked.connect(lambda index: self.edit_note(index.row()))
        self.notes.setAccessibleName("Notes of this call")
        QShortcut(QKeySequence.StandardKey.Delete, self.notes, self.delete_selected)

        composer_top = QHBoxLayout()
        composer_top.addWidget(self.kind)
        composer_top.addWidget(self.owner, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_section("Who is here"))
        layout.addWidget(self.people)
        layout.addWidget(_section("Notes"))
        layout.addLayout(composer_top)
        layout.addWidget(self.text)
        layout.addWidget(self.tags)
        layout.addLayout(buttons)
        layout.addWidget(self.notes, 1)
        self._loading = True  # setting up is not editing: nothing to save yet
        self._kind_changed()
        self._loading = False
        ctx.events.data_changed.connect(self._on_changed)

    # -- loading ---------------------------------------------------------------------

    def set_call(self, call: live.LiveCall) -> None:
        self.call = call
        self._loading = True
        self.people.clear()
        for person in call.people:
            item = QListWidgetItem(f"{person.name}  ·  {city_of(person.time_zone)}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            here = person.id in call.present
            item.setCheckState(Qt.CheckState.Checked if here else Qt.CheckState.Unchecked)
            self.people.addItem(item)
        self.owner.clear()
        self.owner.addItem("No owner", None)
        for person in call.people:
            self.owner.addItem(person.name, person.id)
        self._loading = False
        self.reload_notes()

    def present(self) -> frozenset[int]:
        chosen = set()
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.add(int(item.data(Qt.ItemDataRole.UserRole)))
        return frozenset(chosen)

    def reload_notes(self) -> None:
        if self.call is not None:
            self.ctx.services.call(records.list_notes, self.call.call.id, then=self.show_notes)

    def show_notes(self, notes: list[NoteView]) -> None:
        if not Shiboken.isValid(self.notes):
            return
        self.notes_model.set_rows(list(reversed(notes)))  # newest first
        self.notes.resizeRowsToContents()

    def _on_changed(self, topics: object) -> None:
        if isinstance(topics, frozenset) and Topic.NOTES in topics:
            self.reload_notes()

    def _time_text(self, note: NoteView) -> str:
        home = self.ctx.facilitator_zone
        return note.created_at.astimezone(zone(home)).strftime("%H:%M")

    def _note_text(self, note: NoteView) -> str:
        owner = self.call.name_of(note.owner_id) if self.call else ""
        text = note.text if len(note.text) <= 160 else note.text[:157] + "…"
        extras = [f"owner: {owner}"] if owner else []
        if note.tags:
            extras.append("#" + " #".join(note.tags))
        return text + (f"  ({'; '.join(extras)})" if extras else "")

    # -- attendance ------------------------------------------------------------------

    def _attendance_toggled(self, _item: QListWidgetItem) -> None:
        if self._loading or self.call is None:
            return
        present = self.present()
        self.ctx.services.call(records.record_attendance, self.call.call.id, present)
        self.attendance_changed.emit(present)

    # -- the composer ----------------------------------------------------------------

    def set_stage(self, label: str) -> None:
        """The stage new notes are stamped with."""
        self.stage = label

    def focus_composer(self) -> None:
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def new_note(self) -> None:
        """N: every press starts a new note. Words already in the composer are finished
        first (saved as their own note, with their own time), never continued."""
        if self.draft.note_id is not None or self.draft.saving or self._words() is not None:
            self.finish_note()
        else:
            self.focus_composer()

    @property
    def chosen_kind(self) -> NoteKind:
        return NoteKind(str(self.kind.currentData()))

    def _kind_changed(self) -> None:
        self.owner.setEnabled(self.chosen_kind is NoteKind.ACTION)
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self._dirty = True
        if self.draft.begun_at is None:
            self.draft.begun_at = self.ctx.clock()  # a note's time is when it was begun
        self._show_status("Editing…")
        self.autosave.start()

    def _owner_id(self) -> int | None:
        value = self.owner.currentData()
        return None if value is None or self.chosen_kind is not NoteKind.ACTION else int(value)

    def busy(self) -> bool:
        """Words on screen not yet written, or a write under way."""
        return self._flying > 0 or (self._dirty and self._words() is not None)

    def _words(self) -> _Words | None:
        text = self.text.toPlainText()
        if not text.strip():
            return None
        return _Words(
            text=text,
            kind=self.chosen_kind,
            owner_id=self._owner_id(),
            tags=tuple(self.tags.text().split(",")),
            stage=self.stage,
        )

    def save_now(self, then: Callable[[], None] | None = None) -> None:
        """Write the words on screen into the current draft's note.

        ``then`` runs once every write under way has come back, never before: closing
        the window waits for the last words.
        """
        self.autosave.stop()
        if then is not None:
            self._after_save.append(then)
        words = self._words() if self._dirty and self.call is not None else None
        self._dirty = False
        if words is not None:
            self._write(self.draft, words)
        self._settle()

    def _write(self, draft: _Draft, words: _Words) -> None:
        """One write at a time per note: a new one waits for the first to give the id."""
        if draft.saving:
            draft.waiting = words
            return
        assert self.call is not None
        draft.saving = True
        self._flying += 1
        # An action without its owner yet is kept as a note, so the words are safe now.
        ownerless = words.kind is NoteKind.ACTION and words.owner_id is None
        kind = NoteKind.NOTE if ownerless else words.kind

        def written(note: NoteView) -> None:
            if not Shiboken.isValid(self.status):
                return  # the window is gone; the words are in the store
            self._flying -= 1
            draft.saving = False
            draft.note_id = note.id
            if draft is self.draft:
                local = note.created_at.astimezone(zone(self.ctx.facilitator_zone))
                if ownerless:
                    self._show_status("Saved as a note: choose an owner to make it an action")
                else:
                    self._show_status(f"Saved · taken at {local:%H:%M}")
            self._next_write(draft)

        def refused(error: ValidationError) -> None:
            if not Shiboken.isValid(self.status):
                return
            self._flying -= 1
            draft.saving = False
            if draft is self.draft:
                self._dirty = True  # kept on screen, tried again after the next edit
                self._show_status(str(error), error=True)
            self._next_write(draft)

        if draft.note_id is None:
            self.ctx.services.call(
                records.add_note,
                self.call.call.id,
                words.text,
                kind=kind,
                stage=words.stage,
                owner_id=words.owner_id,
                tags=words.tags,
                created_at=draft.begun_at or self.ctx.clock(),
                then=written,
                failed=refused,
            )
        else:
            self.ctx.services.call(
                records.update_note,
                draft.note_id,
                words.text,
                kind=kind,
                owner_id=words.owner_id,
                tags=words.tags,
                then=written,
                failed=refused,
            )

    def _next_write(self, draft: _Draft) -> None:
        waiting, draft.waiting = draft.waiting, None
        if waiting is not None and not draft.deleted:
            self._write(draft, waiting)
        self._settle()

    def _settle(self) -> None:
        if self._flying == 0:
            waiting, self._after_save = self._after_save, []
            for step in waiting:
                step()

    def _show_status(self, message: str, *, error: bool = False) -> None:
        self.status.setText(message)
        set_role(self.status, "error" if error else "muted")

    @property
    def draft_id(self) -> int | None:
        return self.draft.note_id

    def finish_note(self) -> None:
        """Write the note and start an empty one at once (an action must name its owner)."""
        if self.chosen_kind is NoteKind.ACTION and self._owner_id() is None:
            self.save_now()
            self._show_status("Owner: an action needs someone who owns it", error=True)
            self.owner.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.save_now()
        self.clear_composer()

    def clear_composer(self) -> None:
        """A fresh draft; writes still under way finish into their own notes."""
        self.autosave.stop()
        self._dirty = False
        self._loading = True
        self.draft = _Draft()
        self.text.clear()
        self.tags.clear()
        self.kind.setCurrentIndex(0)
        self.owner.setCurrentIndex(0)
        self.owner.setEnabled(False)
        self._loading = False
        self.focus_composer()

    def edit_note(self, row: int) -> None:
        """Load a note into the composer; edits save themselves like a new note."""
        note = self.notes_model.row_at(row)
        self.save_now()
        self.autosave.stop()
        self._dirty = False
        self._loading = True
        self.draft = _Draft(note_id=note.id)
        self.kind.setCurrentIndex(self.kind.findData(note.kind.value))
        self.owner.setEnabled(note.kind is NoteKind.ACTION)
        self.owner.setCurrentIndex(max(0, self.owner.findData(note.owner_id)))
        self.tags.setText(", ".join(note.tags))
        self.text.setPlainText(note.text)
        self._loading = False
        self._show_status("Editing an earlier note")
        self.focus_composer()

    def delete_selected(self) -> None:
        rows = self.notes.selectionModel().selectedRows()
        if not rows:
            return
        note = self.notes_model.row_at(rows[0].row())

        def delete() -> None:
            if self.draft.note_id == note.id:
                self.draft.deleted = True  # words still waiting must not bring it back
                self.clear_composer()
            self.ctx.services.call(records.delete_note, note.id)

        preview = note.text if len(note.text) < 80 else note.text[:77] + "…"
        ask_to_confirm(self, "Delete note", f"Delete this note?\n\n{preview}", "Delete", delete)


@dataclass(frozen=True)
class _Words:
    """What the composer held when a write was asked for."""

    text: str
    kind: NoteKind
    owner_id: int | None
    tags: tuple[str, ...]
    stage: str


@dataclass
class _Draft:
    """One note being written: its id once the first write is back, one write at a time."""

    note_id: int | None = None
    begun_at: datetime | None = None  # the first edit: the note's time
    saving: bool = False
    waiting: _Words | None = None
    deleted: bool = False


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label
