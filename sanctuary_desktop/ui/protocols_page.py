"""The Protocols page: the library on the left, the chosen protocol (or its editor) on the right.

Built-in protocols are read-only and can be duplicated; the facilitator's own are edited
in place. Nothing is written until the whole protocol is valid.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import FieldError, ValidationError
from sanctuary_desktop.domain.protocols import (
    DEFAULT_PROTOCOL_KEY,
    FILE_FIELD,
    MAX_MINUTES,
    MAX_PRESENTERS,
    MAX_ROLE_NAME,
    MAX_ROLES,
    MAX_WARN_PERCENT,
    Bell,
    Protocol,
    Role,
    StageTemplate,
    StopKind,
    ordered_bells,
)
from sanctuary_desktop.export.files import safe_file_name
from sanctuary_desktop.services import protocol_library
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.tables import Column, RowsModel, table_view
from sanctuary_desktop.ui.theme import Colors, set_role
from sanctuary_desktop.ui.widgets import FieldForm, ask_to_confirm, count_of

KEY_ROLE = Qt.ItemDataRole.UserRole + 10
STAGE_ROLE = Qt.ItemDataRole.UserRole + 11
NAME_ROLE = Qt.ItemDataRole.UserRole + 12  # a role's name as the stages' cues know it
UNSAVED = "Unsaved changes"
BELL_LABELS = {
    Bell.START: "Bell at start",
    Bell.INTERVAL: "Bells in between",
    Bell.END: "Bell at end",
}


def styled(label: QLabel, role: str) -> QLabel:
    label.setProperty("role", role)
    return label


def yes(flag: bool) -> str:
    return "Yes" if flag else ""


def bells_text(stage: StageTemplate) -> str:
    parts = []
    for bell in ordered_bells(stage.bells):
        if bell is Bell.INTERVAL and stage.bell_interval_minutes:
            parts.append(f"every {stage.bell_interval_minutes} min")
        else:
            parts.append(bell.value)
    return ", ".join(parts)


def warnings_text(stage: StageTemplate) -> str:
    return f"{stage.warn_percent}% · {stage.urgent_percent}%"


def cues_text(stage: StageTemplate) -> str:
    return " · ".join(f"{role.label}: {text}" for role, text in stage.cues.items())


def cues_tooltip(stage: StageTemplate) -> str:
    lines = [f"{role.label}: {text}" for role, text in stage.cues.items()]
    if stage.prompt:
        lines.append(f"Prompt: {stage.prompt}")
    return "\n".join(lines)


def total_text(protocol: Protocol) -> str:
    total = protocol.total_minutes()
    if protocol.has_rounds:
        people = "presenter" if protocol.presenters == 1 else "presenters"
        return f"{total} minutes in all with {protocol.presenters} {people}"
    return f"{total} minutes in all"


STAGE_COLUMNS: list[Column[StageTemplate]] = [
    Column("Stage", lambda s: s.name, tooltip=lambda s: s.prompt),
    Column("Minutes", lambda s: str(s.minutes), sort_key=lambda s: s.minutes, align_right=True),
    Column("Stop", lambda s: s.stop.value.capitalize()),
    Column("Fixed", lambda s: yes(s.fixed)),
    Column("Turns", lambda s: yes(s.turns)),
    Column("Per presenter", lambda s: yes(s.per_presenter)),
    Column("Bells", bells_text),
    Column(
        "Warnings",
        warnings_text,
        tooltip=lambda s: (
            f"Amber at {s.warn_percent}% of the stage left, red at {s.urgent_percent}% left"
        ),
    ),
    Column("Cues", cues_text, tooltip=cues_tooltip),
]


def plain_error(error: ValidationError) -> str:
    lines = []
    for item in error.errors:
        if item.field == FILE_FIELD:
            lines.append(f"The file {item.message}.")
        else:
            lines.append(f"{item.field} {item.message}.")
    return "\n".join(lines)


class StageList(QListWidget):
    """The stages of the protocol being edited; Alt+Up and Alt+Down move the current one."""

    move_requested = Signal(int)  # -1 up, +1 down

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)


def roles_text(protocol: Protocol) -> str:
    return ", ".join(role.label for role in protocol.roles) or "none"


class ProtocolsPage(QWidget):
    # True while the protocol being edited has edits not saved yet: the window's status
    # line must not say "Saved" then, and leaving the page should ask (before_leaving).
    unsaved_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.protocols: dict[str, Protocol] = {}
        self.current: Protocol | None = None
        self._dirty = False
        self._announced = False  # what unsaved_changed last said
        self._loading = False
        self._pending_key: str | None = None
        self.unsaved_box: QMessageBox | None = None  # "Save changes to …?" while it is open

        # -- the library ----------------------------------------------------------------
        self.list = QListWidget()
        self.list.setAccessibleName("Protocols")
        self.list.setMinimumWidth(240)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Add a protocol file a peer facilitator shared with you")
        self.import_button.clicked.connect(self.choose_import_file)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addWidget(styled(QLabel("Protocols"), "section"))
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.import_button)

        # -- the header -------------------------------------------------------------------
        self.title = styled(QLabel(), "title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind_label = styled(QLabel(), "muted")
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.source_label = styled(QLabel(), "muted")
        self.source_label.setWordWrap(True)
        self.facts_label = QLabel()
        self.facts_label.setAccessibleName("Presenters and total minutes")
        self.duplicate_button = QPushButton("Duplicate to edit")
        self.duplicate_button.setProperty("role", "primary")
        self.duplicate_button.setToolTip("Make your own editable copy of this protocol")
        self.duplicate_button.clicked.connect(self.duplicate_current)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save this protocol as a file to share with a peer")
        self.export_button.clicked.connect(self.choose_export_file)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.confirm_delete)
        header_text = QVBoxLayout()
        for label in (self.title, self.kind_label, self.summary_label, self.source_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a shared file's words, never markup
            header_text.addWidget(label)
        header_text.addWidget(self.facts_label)
        header_buttons = QHBoxLayout()
        header_buttons.setAlignment(Qt.AlignmentFlag.AlignTop)
        for button in (self.duplicate_button, self.export_button, self.delete_button):
            header_buttons.addWidget(button)
        header = QHBoxLayout()
        header.addLayout(header_text, 1)
        header.addLayout(header_buttons)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()

        # -- read-only view: the stage table ----------------------------------------------
        self.stage_model: RowsModel[StageTemplate] = RowsModel(STAGE_COLUMNS, self)
        self.stage_table = table_view()
        self.stage_table.setAccessibleName("Stages")
        self.stage_table.setModel(self.stage_model)
        self.stage_table.setWordWrap(False)
        self.stage_table.verticalHeader().setVisible(False)
        self.stage_table.setAlternatingRowColors(True)
        self.stage_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stage_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table_header = self.stage_table.horizontalHeader()
        table_header.setStretchLastSection(True)
        table_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table_header.setSectionResizeMode(len(STAGE_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        # -- editor -------------------------------------------------------------------------
        self.editor = self._build_editor()

        self.stack = QStackedWidget()
        self.empty = styled(QLabel("Choose a protocol on the left."), "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.stage_table)
        self.stack.addWidget(self.editor)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 8, 8, 8)
        right_layout.addLayout(header)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.stack, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 1000])
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._show(None)
        ctx.events.data_changed.connect(self._on_data_changed)
        self.refresh()

    @property
    def dirty(self) -> bool:
        return self._dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        self._dirty = value
        unsaved = self.has_unsaved()
        if unsaved != self._announced:
            self._announced = unsaved
            self.unsaved_changed.emit(unsaved)

    # -- building the editor -----------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        self.form = FieldForm()
        self.name_edit = QLineEdit()
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("Where it comes from, or whose it is (optional)")
        self.source_edit.setToolTip("Credit the people or tradition this protocol comes from")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setFixedHeight(76)
        self.presenters_spin = QSpinBox()
        self.presenters_spin.setRange(1, MAX_PRESENTERS)
        self.presenters_spin.setToolTip("How many presenters (case givers) a call usually has")
        self.form.add_row("Name", self.name_edit)
        self.form.add_row("Source", self.source_edit)
        self.form.add_row("Summary", self.summary_edit)
        self.form.add_row("Presenters", self.presenters_spin, "Presenters per call")
        self.form.add_row("Roles", self._build_roles())
        self.name_edit.textEdited.connect(self._edited)
        self.source_edit.textEdited.connect(self._edited)
        self.summary_edit.textChanged.connect(self._edited)
        self.presenters_spin.valueChanged.connect(self._edited)

        self.stage_list = StageList()
        self.stage_list.setAccessibleName("Stages, in order")
        self.stage_list.setMinimumHeight(72)  # room for the form above it at 1280x800
        self.stage_list.setToolTip("Drag, or press Alt+Up and Alt+Down, to reorder")
        self.stage_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stage_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.stage_list.currentRowChanged.connect(self._load_stage)
        self.stage_list.move_requested.connect(self.move_stage)
        self.stage_list.model().rowsMoved.connect(self._after_drop)
        self.add_stage_button = QPushButton("Add stage")
        self.remove_stage_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Alt+Up")
        self.down_button = QPushButton("Move down")
        self.down_button.setToolTip("Alt+Down")
        self.add_stage_button.clicked.connect(self.add_stage)
        self.remove_stage_button.clicked.connect(self.remove_stage)
        self.up_button.clicked.connect(lambda: self.move_stage(-1))
        self.down_button.clicked.connect(lambda: self.move_stage(1))
        stage_buttons = QHBoxLayout()
        for button in (
            self.add_stage_button,
            self.remove_stage_button,
            self.up_button,
            self.down_button,
        ):
            stage_buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.form)
        left_layout.addWidget(styled(QLabel("Stages"), "section"))
        left_layout.addWidget(self.stage_list, 1)
        left_layout.addLayout(stage_buttons)

        # The selected stage.
        self.stage_form = FieldForm()
        self.stage_name = QLineEdit()
        self.stage_minutes = QSpinBox()
        self.stage_minutes.setRange(0, MAX_MINUTES)
        self.stage_minutes.setSuffix(" min")
        self.stage_stop = QComboBox()
        for kind in StopKind:
            self.stage_stop.addItem(kind.label, kind)
        self.stage_stop.setToolTip(
            "Soft: time runs on as visible overtime. Hard: moves on at zero."
        )
        self.stage_fixed = QCheckBox("Fixed: never shortened when the call runs late")
        self.stage_turns = QCheckBox("Turns: minutes shared equally among those present")
        self.stage_per_presenter = QCheckBox("Per presenter: repeated once for each presenter")
        flags = QWidget()
        flags_layout = QVBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        flags_layout.setSpacing(2)
        for box in (self.stage_fixed, self.stage_turns, self.stage_per_presenter):
            flags_layout.addWidget(box)
        flags.setAccessibleName("Options")
        self.bell_boxes: dict[Bell, QCheckBox] = {}
        bells = QWidget()
        bells_layout = QVBoxLayout(bells)
        bells_layout.setContentsMargins(0, 0, 0, 0)
        bells_layout.setSpacing(2)
        for bell in Bell:
            box = QCheckBox(BELL_LABELS[bell])
            box.setAccessibleName(BELL_LABELS[bell])
            self.bell_boxes[bell] = box
            bells_layout.addWidget(box)
            box.toggled.connect(self._stage_edited)
        self.stage_interval = QSpinBox()
        self.stage_interval.setRange(0, MAX_MINUTES)
        self.stage_interval.setSuffix(" min")
        self.stage_interval.setSpecialValueText("not set")
        self.stage_interval.setToolTip("How often the in-between bell rings")
        bells.setAccessibleName("Bells")
        self.stage_warn = self._percent_spin("amber")
        self.stage_urgent = self._percent_spin("red")
        self.stage_prompt = QPlainTextEdit()
        self.stage_prompt.setTabChangesFocus(True)
        self.stage_prompt.setFixedHeight(64)
        self.stage_prompt.setPlaceholderText("The question or invitation read out for this stage")
        self.cue_edits: dict[Role, QLineEdit] = {}
        self.cue_form = FieldForm()
        self.stage_form.add_row("Name", self.stage_name, "Stage name")
        self.stage_form.add_row("Minutes", self._full_row(self.stage_minutes, "Minutes"))
        self.stage_form.add_row("Stop", self.stage_stop)
        self.stage_form.add_row("Options", flags)
        self.stage_form.add_row("Bells", bells)
        for field, spin in (
            ("Bell interval", self.stage_interval),
            ("First warning", self.stage_warn),
            ("Last warning", self.stage_urgent),
        ):
            self.stage_form.add_row(field, self._full_row(spin, field))
        self.stage_form.add_row("Prompt", self.stage_prompt)
        self.stage_name.textEdited.connect(self._stage_edited)
        self.stage_minutes.valueChanged.connect(self._stage_edited)
        self.stage_stop.currentIndexChanged.connect(self._stage_edited)
        for box in (self.stage_fixed, self.stage_turns, self.stage_per_presenter):
            box.toggled.connect(self._stage_edited)
        self.stage_interval.valueChanged.connect(self._stage_edited)
        self.stage_warn.valueChanged.connect(self._stage_edited)
        self.stage_urgent.valueChanged.connect(self._stage_edited)
        self.stage_prompt.textChanged.connect(self._stage_edited)
        self.stage_heading = styled(QLabel("Selected stage"), "section")
        stage_panel = QWidget()
        stage_layout = QVBoxLayout(stage_panel)
        stage_layout.setContentsMargins(0, 0, 8, 0)
        stage_layout.addWidget(self.stage_heading)
        stage_layout.addWidget(self.stage_form)
        self.cue_heading = styled(QLabel("Cues: what each role does in this stage"), "section")
        stage_layout.addWidget(self.cue_heading)
        self.cue_holder = QVBoxLayout()
        self.cue_holder.setContentsMargins(0, 0, 0, 0)
        self.cue_holder.addWidget(self.cue_form)
        stage_layout.addLayout(self.cue_holder)
        stage_layout.addStretch(1)
        self.stage_panel = stage_panel
        # The stage's fields are taller than a 1280x800 window leaves them: they scroll.
        self.stage_scroll = QScrollArea()
        self.stage_scroll.setWidgetResizable(True)
        self.stage_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.stage_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stage_scroll.setWidget(stage_panel)

        self.save_button = QPushButton("Save")
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button = QPushButton("Discard changes")
        self.revert_button.clicked.connect(self.revert)
        self.dirty_label = styled(QLabel(), "muted")
        self._set_cue_rows(tuple(Role))
        bottom = QHBoxLayout()
        bottom.addWidget(self.dirty_label, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)

        columns = QSplitter()
        columns.addWidget(left)
        columns.addWidget(self.stage_scroll)
        columns.setSizes([380, 600])
        columns.setChildrenCollapsible(False)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(columns, 1)
        editor_layout.addLayout(bottom)
        return editor

    def _build_roles(self) -> QWidget:
        """The protocol's roles: add, rename (in place: F2, a double-click or Rename) and
        remove. Each stage gives a cue to any of them."""
        self.roles_list = QListWidget()
        self.roles_list.setAccessibleName("Roles")
        self.roles_list.setToolTip("The people a stage gives a cue to. Press F2 to rename one.")
        self.roles_list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.roles_list.setMaximumHeight(86)
        self.roles_list.setMinimumHeight(54)
        self.roles_list.itemChanged.connect(self._role_renamed)
        self.roles_list.currentRowChanged.connect(lambda _row: self._update_role_buttons())
        self.add_role_button = QPushButton("Add role")
        self.add_role_button.clicked.connect(self.add_role)
        self.rename_role_button = QPushButton("Rename")
        self.rename_role_button.setToolTip("F2")
        self.rename_role_button.clicked.connect(self.rename_current_role)
        self.remove_role_button = QPushButton("Remove role")
        self.remove_role_button.setToolTip("Remove the role and its cues in every stage")
        self.remove_role_button.clicked.connect(self.remove_current_role)
        buttons = QHBoxLayout()
        for button in (self.add_role_button, self.rename_role_button, self.remove_role_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.roles_list)
        column.addLayout(buttons)
        box.setFocusProxy(self.roles_list)
        return box

    def _set_cue_rows(self, roles: tuple[Role, ...]) -> None:
        """One cue field per role of the protocol, in its order."""
        if tuple(self.cue_edits) == roles:
            return
        old = self.cue_form
        self.cue_holder.removeWidget(old)
        old.hide()
        old.deleteLater()
        self.cue_form = FieldForm()
        self.cue_edits = {}
        for role in roles:
            edit = QLineEdit()
            edit.setPlaceholderText("Optional")
            self.cue_edits[role] = edit
            self.cue_form.add_row(f"{role.label} cue", edit, role.label)
            edit.textEdited.connect(self._stage_edited)
        self.cue_holder.addWidget(self.cue_form)
        self.cue_form.show()  # a widget added to a page already shown stays hidden unasked
        # Tab goes from the prompt through the cues, then on to Discard and Save: fields
        # made after the page would otherwise come last in its focus chain.
        chain = [self.stage_prompt, *self.cue_edits.values(), self.revert_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.cue_heading.setVisible(bool(roles))

    @staticmethod
    def _full_row(spin: QSpinBox, name: str) -> QWidget:
        """A spin box at its own width in a row as wide as the form, so that the error
        line under it has room for the whole message."""
        spin.setAccessibleName(name)
        row = QWidget()
        row.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(spin)
        row_layout.addStretch(1)
        row.setFocusProxy(spin)  # the caption's buddy, and focused to show an error
        return row

    @staticmethod
    def _percent_spin(colour: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, MAX_WARN_PERCENT)
        spin.setSuffix("% left")
        spin.setToolTip(f"The timer turns {colour} when this share of the stage is left")
        return spin

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ctx.services.call(protocol_library.list_protocols, then=self._set_protocols)

    def _on_data_changed(self, topics: frozenset[Topic]) -> None:
        if Topic.PROTOCOLS in topics:
            self.refresh()

    def _set_protocols(self, protocols: list[Protocol]) -> None:
        # With nothing chosen yet, open on the default protocol rather than an empty page.
        wanted = self._pending_key or (self.current.key if self.current else DEFAULT_PROTOCOL_KEY)
        self._pending_key = None
        self.protocols = {p.key: p for p in protocols}
        self.list.blockSignals(True)
        self.list.clear()
        own = [p for p in protocols if not p.built_in]
        for heading, group in (
            ("Built-in", [p for p in protocols if p.built_in]),
            ("Your protocols", own),
        ):
            title = QListWidgetItem(heading.upper())
            title.setFlags(Qt.ItemFlag.NoItemFlags)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            title.setForeground(Colors.MUTED_TEXT.color())
            self.list.addItem(title)
            for protocol in group:
                item = QListWidgetItem(
                    f"{protocol.name}\n{count_of(len(protocol.stages), 'stage')} · "
                    f"{protocol.total_minutes()} min"
                )
                item.setData(KEY_ROLE, protocol.key)
                item.setToolTip(f"{total_text(protocol)}\n\n{protocol.summary}".strip())
                self.list.addItem(item)
        if not own:
            hint = QListWidgetItem("None yet: duplicate a built-in or import a file.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            hint.setForeground(Colors.MUTED_TEXT.color())
            self.list.addItem(hint)
        self.list.blockSignals(False)
        if wanted in self.protocols:
            keep = self.dirty and self.current is not None and self.current.key == wanted
            self._select_item(wanted, reload=not keep)
        else:
            self._show(None)

    def _item_for(self, key: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(KEY_ROLE) == key:
                return item
        return None

    def _select_item(self, key: str, *, reload: bool = True) -> None:
        item = self._item_for(key)
        if item is None:
            return
        self.list.blockSignals(True)
        self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if reload:
            self._show(self.protocols[key])

    def select_protocol(self, key: str) -> None:
        """Show a protocol by key (once the library has loaded, if it has not yet)."""
        if key not in self.protocols:
            self._pending_key = key
        elif self.current is not None and key == self.current.key:
            self._select_item(key, reload=False)  # already shown, edits and all
        else:
            self.before_leaving(lambda: self._select_item(key))

    def _on_current_changed(self, item: QListWidgetItem | None) -> None:
        key = item.data(KEY_ROLE) if item is not None else None
        if self.current is not None and key == self.current.key:
            return  # back on the protocol being edited
        edited = self.current.key if self.current is not None and self.has_unsaved() else None

        def go() -> None:
            self.show_message("")
            if key and key in self.protocols:
                self._select_item(key)
            else:
                self._show(None)

        self.before_leaving(go, lambda: self._select_item(edited, reload=False) if edited else None)

    # -- unsaved edits ---------------------------------------------------------------------

    def has_unsaved(self) -> bool:
        return self.dirty and self.current is not None and not self.current.built_in

    def before_leaving(
        self, proceed: Callable[[], object], stay: Callable[[], object] | None = None
    ) -> None:
        """Run `proceed` now, or, with unsaved edits, once the facilitator has chosen to save
        or discard them. Cancel (or a save that fails) runs `stay` and keeps the edits."""
        if not self.has_unsaved() or self.current is None:
            proceed()
            return
        if self.unsaved_box is not None:  # already asking: the first question stands
            if stay is not None:
                stay()
            return
        name = self.name_edit.text().strip() or self.current.name
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved changes",
            f"Save changes to “{name}”?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText("Your edits to this protocol are not saved yet.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.unsaved_box = box

        def answered() -> None:
            self.unsaved_box = None
            choice = box.standardButton(box.clickedButton())
            if choice == QMessageBox.StandardButton.Save:
                self._save_then(proceed, stay)
            elif choice == QMessageBox.StandardButton.Discard:
                self.revert()
                proceed()
            elif stay is not None:
                stay()

        box.finished.connect(answered)
        box.open()

    def _save_then(self, proceed: Callable[[], object], stay: Callable[[], object] | None) -> None:
        def saved(protocol: Protocol) -> None:
            self._saved(protocol)
            proceed()
            self.show_message(f"Saved “{protocol.name}”.")

        def refused(error: ValidationError) -> None:
            self.show_errors(error)
            if stay is not None:
                stay()

        self.save(then=saved, failed=refused)

    def _show(self, protocol: Protocol | None) -> None:
        self.current = protocol
        self.dirty = False
        self.dirty_label.clear()
        self.form.clear_errors()
        self.stage_form.clear_errors()
        self.cue_form.clear_errors()
        has = protocol is not None
        for button in (self.duplicate_button, self.export_button):
            button.setVisible(has)
        self.delete_button.setVisible(has and not protocol.built_in)  # type: ignore[union-attr]
        if protocol is None:
            self.title.setText("Protocols")
            self.kind_label.setText("")
            self.summary_label.setText(
                "A protocol is the ordered list of stages a call follows. Built-in ones are "
                "read-only; duplicate one to make your own."
            )
            self.source_label.clear()
            self.facts_label.clear()
            self.stack.setCurrentWidget(self.empty)
            return
        self.title.setText(protocol.name)
        self.summary_label.setText(protocol.summary)
        self.summary_label.setVisible(bool(protocol.summary))
        self.source_label.setText(f"Source: {protocol.source}" if protocol.source else "")
        self.source_label.setVisible(bool(protocol.source))
        self._update_facts(protocol)
        if protocol.built_in:
            self.kind_label.setText("Built-in · read-only: duplicate it to make your own version")
            self.duplicate_button.setText("Duplicate to edit")
            self.duplicate_button.setProperty("role", "primary")
            self.stage_model.set_rows(protocol.stages)
            self.stack.setCurrentWidget(self.stage_table)
        else:
            self.kind_label.setText("Your protocol · edit it below, then Save")
            self.duplicate_button.setText("Duplicate")
            self.duplicate_button.setProperty("role", "")
            self._load_editor(protocol)
            self.stack.setCurrentWidget(self.editor)
        self.duplicate_button.style().unpolish(self.duplicate_button)
        self.duplicate_button.style().polish(self.duplicate_button)

    def _update_facts(self, protocol: Protocol) -> None:
        people = "presenter" if protocol.presenters == 1 else "presenters"
        self.facts_label.setText(
            f"<b>{protocol.presenters}</b> {people} per call · "
            f"{count_of(len(protocol.stages), 'stage')} · <b>{total_text(protocol)}</b>"
            f"<br>Roles: {html.escape(roles_text(protocol))}"
        )

    def _load_editor(self, protocol: Protocol) -> None:
        self._loading = True
        self.name_edit.setText(protocol.name)
        self.name_edit.setCursorPosition(0)
        self.source_edit.setText(protocol.source)
        self.source_edit.setCursorPosition(0)
        self.roles_list.clear()
        for role in protocol.roles:
            self.roles_list.addItem(self._role_item(role))
        self._set_cue_rows(protocol.roles)
        self._update_role_buttons()
        self.summary_edit.setPlainText(protocol.summary)
        self.presenters_spin.setValue(protocol.presenters)
        self.stage_list.clear()
        for stage in protocol.stages:
            self.stage_list.addItem(self._stage_item(stage))
        self._loading = False
        self.stage_list.setCurrentRow(0 if protocol.stages else -1)
        self._load_stage(self.stage_list.currentRow())
        self._renumber()

    # -- the draft -----------------------------------------------------------------------------

    @staticmethod
    def _stage_item(stage: StageTemplate) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(STAGE_ROLE, stage)
        return item

    def stages(self) -> list[StageTemplate]:
        items = (self.stage_list.item(row) for row in range(self.stage_list.count()))
        return [item.data(STAGE_ROLE) for item in items]

    def draft(self) -> Protocol:
        assert self.current is not None
        return replace(
            self.current,
            name=self.name_edit.text(),
            source=self.source_edit.text(),
            roles=self.roles(),
            summary=self.summary_edit.toPlainText(),
            presenters=self.presenters_spin.value(),
            stages=tuple(self.stages()),
        )

    # -- roles -----------------------------------------------------------------------------------

    @staticmethod
    def _role_item(role: Role) -> QListWidgetItem:
        item = QListWidgetItem(role.label)
        item.setData(NAME_ROLE, role)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def roles(self) -> tuple[Role, ...]:
        items = (self.roles_list.item(row) for row in range(self.roles_list.count()))
        return tuple(Role(item.data(NAME_ROLE)) for item in items)

    def _update_role_buttons(self) -> None:
        chosen = self.roles_list.currentRow() >= 0
        self.rename_role_button.setEnabled(chosen)
        self.remove_role_button.setEnabled(chosen)
        self.add_role_button.setEnabled(self.roles_list.count() < MAX_ROLES)

    def add_role(self) -> None:
        """A new role, named "New role" until the facilitator types its name (in place)."""
        if self.current is None or self.current.built_in or self.roles_list.count() >= MAX_ROLES:
            return
        taken = {role.casefold() for role in self.roles()}
        name, n = "New role", 2
        while name.casefold() in taken:
            name, n = f"New role {n}", n + 1
        item = self._role_item(Role(name))
        self._loading = True
        self.roles_list.addItem(item)
        self._loading = False
        self.roles_list.setCurrentItem(item)
        self._roles_changed()
        self.roles_list.setFocus()
        self.roles_list.editItem(item)

    def rename_current_role(self) -> None:
        item = self.roles_list.currentItem()
        if item is not None:
            self.roles_list.setFocus()
            self.roles_list.editItem(item)

    def _role_renamed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        old = Role(item.data(NAME_ROLE))
        new = Role(limits.one_line(item.text()))
        others = {role.casefold() for role in self.roles() if role.casefold() != old.casefold()}
        problem = ""
        if not new:
            problem = "A role needs a name."
        elif len(new) > MAX_ROLE_NAME:
            problem = f"A role's name must be at most {MAX_ROLE_NAME} characters."
        elif not limits.single_line(new):
            problem = "A role's name must be one line, without control characters."
        elif new.casefold() in others:
            problem = f"There is already a role called “{new.label}”."
        if problem:
            self._loading = True
            item.setText(old.label)
            self._loading = False
            self.show_message(f"{problem} The role keeps its name “{old.label}”.", error=True)
            return
        if new.label == old.label:  # the same name as shown: nothing to rename
            self._loading = True
            item.setText(old.label)
            self._loading = False
            return
        self._loading = True
        item.setData(NAME_ROLE, new)
        item.setText(new.label)
        self._loading = False
        for row in range(self.stage_list.count()):
            stage_item = self.stage_list.item(row)
            stage: StageTemplate = stage_item.data(STAGE_ROLE)
            cues = {(new if role == old else role): text for role, text in stage.cues.items()}
            stage_item.setData(STAGE_ROLE, replace(stage, cues=cues))
        self.show_message("")
        self._roles_changed()

    def remove_current_role(self) -> None:
        row = self.roles_list.currentRow()
        if row < 0:
            return
        role = Role(self.roles_list.item(row).data(NAME_ROLE))
        dropped = 0
        for number in range(self.stage_list.count()):
            stage_item = self.stage_list.item(number)
            stage: StageTemplate = stage_item.data(STAGE_ROLE)
            if role in stage.cues:
                dropped += 1
                cues = {known: text for known, text in stage.cues.items() if known != role}
                stage_item.setData(STAGE_ROLE, replace(stage, cues=cues))
        self._loading = True
        self.roles_list.takeItem(row)
        self._loading = False
        self._roles_changed()
        lost = f" and its cues in {count_of(dropped, 'stage')}" if dropped else ""
        self.show_message(f"Removed the role “{role.label}”{lost}. Discard changes brings it back.")

    def _roles_changed(self) -> None:
        self._set_cue_rows(self.roles())
        self._update_role_buttons()
        self._load_stage(self.stage_list.currentRow())
        self._edited()

    def _renumber(self) -> None:
        for row in range(self.stage_list.count()):
            item = self.stage_list.item(row)
            stage: StageTemplate = item.data(STAGE_ROLE)
            extra = " · per presenter" if stage.per_presenter else ""
            item.setText(f"{row + 1}. {stage.name or '(no name)'} — {stage.minutes} min{extra}")
            item.setForeground(Colors.TEXT.color())
            item.setToolTip("")
        row = self.stage_list.currentRow()
        count = self.stage_list.count()
        self.remove_stage_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.stage_panel.setEnabled(row >= 0)
        self.stage_heading.setText(f"Stage {row + 1}" if row >= 0 else "No stage selected")

    def _edited(self) -> None:
        if self._loading or self.current is None or self.current.built_in:
            return
        self.dirty = True
        self.dirty_label.setText(UNSAVED)
        self.kind_label.setText(f"Your protocol · {UNSAVED.lower()}: Save keeps them")
        self._update_facts(self.draft())
        self._renumber()

    def _load_stage(self, row: int) -> None:
        if self._loading:
            return
        self._loading = True
        item = self.stage_list.item(row) if row >= 0 else None
        stage = item.data(STAGE_ROLE) if item is not None else StageTemplate("", 5)
        self.stage_name.setText(stage.name)
        self.stage_minutes.setValue(stage.minutes)
        self.stage_stop.setCurrentIndex(self.stage_stop.findData(stage.stop))
        self.stage_fixed.setChecked(stage.fixed)
        self.stage_turns.setChecked(stage.turns)
        self.stage_per_presenter.setChecked(stage.per_presenter)
        for bell, box in self.bell_boxes.items():
            box.setChecked(bell in stage.bells)
        self.stage_interval.setValue(stage.bell_interval_minutes or 0)
        self.stage_interval.setEnabled(Bell.INTERVAL in stage.bells)
        self.stage_warn.setValue(stage.warn_percent)
        self.stage_urgent.setValue(stage.urgent_percent)
        self.stage_prompt.setPlainText(stage.prompt)
        for role, edit in self.cue_edits.items():
            edit.setText(stage.cues.get(role, ""))
        self._loading = False
        self.stage_form.clear_errors()
        self.cue_form.clear_errors()
        self._renumber()

    def _stage_edited(self) -> None:
        if self._loading:
            return
        item = self.stage_list.currentItem()
        if item is None:
            return
        bells = frozenset(bell for bell, box in self.bell_boxes.items() if box.isChecked())
        self.stage_interval.setEnabled(Bell.INTERVAL in bells)
        interval = self.stage_interval.value() if Bell.INTERVAL in bells else None
        stage = StageTemplate(
            name=self.stage_name.text(),
            minutes=self.stage_minutes.value(),
            cues={role: edit.text() for role, edit in self.cue_edits.items() if edit.text()},
            prompt=self.stage_prompt.toPlainText(),
            stop=self.stage_stop.currentData(),
            fixed=self.stage_fixed.isChecked(),
            turns=self.stage_turns.isChecked(),
            bells=bells,
            bell_interval_minutes=interval or None,
            per_presenter=self.stage_per_presenter.isChecked(),
            warn_percent=self.stage_warn.value(),
            urgent_percent=self.stage_urgent.value(),
        )
        item.setData(STAGE_ROLE, stage)
        self._edited()

    def add_stage(self) -> None:
        row = self.stage_list.currentRow() + 1 if self.stage_list.currentRow() >= 0 else 0
        row = row or self.stage_list.count()
        self.stage_list.insertItem(row, self._stage_item(StageTemplate("New stage", 5)))
        self.stage_list.setCurrentRow(row)
        self._edited()
        self.stage_name.setFocus()
        self.stage_name.selectAll()

    def remove_stage(self) -> None:
        row = self.stage_list.currentRow()
        if row < 0:
            return
        self.stage_list.takeItem(row)
        self.stage_list.setCurrentRow(min(row, self.stage_list.count() - 1))
        self._edited()

    def move_stage(self, step: int) -> None:
        row = self.stage_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.stage_list.count():
            return
        self._loading = True
        item = self.stage_list.takeItem(row)
        self.stage_list.insertItem(target, item)
        self.stage_list.setCurrentRow(target)
        self._loading = False
        self._edited()

    def _after_drop(self, *_args: object) -> None:
        self._edited()

    # -- actions -------------------------------------------------------------------------------

    def save(
        self,
        then: Callable[[Protocol], None] | None = None,
        failed: Callable[[ValidationError], None] | None = None,
    ) -> None:
        if self.current is None or self.current.built_in:
            return
        draft = self.draft()
        try:
            draft.validated()
        except ValidationError as error:
            (failed or self.show_errors)(error)
            return
        self.ctx.services.call(
            protocol_library.save_protocol,
            draft,
            then=then or self._saved,
            failed=failed or self.show_errors,
        )

    def _saved(self, protocol: Protocol) -> None:
        self.dirty = False
        self.dirty_label.clear()
        self.kind_label.setText("Your protocol · edit it below, then Save")
        self.form.clear_errors()
        self.stage_form.clear_errors()
        self.cue_form.clear_errors()
        self.current = protocol
        self.show_message(f"Saved “{protocol.name}”.")

    def show_errors(self, error: ValidationError) -> None:
        """Protocol errors beside their fields, stage errors listed at the top and beside
        the first bad stage's fields."""
        self.form.show_errors(error)
        bad: dict[int, list[FieldError]] = {}
        for item in error.errors:
            head, _, field = item.field.partition(": ")
            if head.startswith("Stage ") and field and head[6:].isdigit():
                bad.setdefault(int(head[6:]) - 1, []).append(FieldError(field, item.message))
        if bad:
            first = min(bad)
            if self.stage_list.currentRow() != first:
                self.stage_list.setCurrentRow(first)  # before marking: loading it unmarks all
            cue_errors = [e for e in bad[first] if e.field.endswith(" cue")]
            other_errors = [e for e in bad[first] if not e.field.endswith(" cue")]
            self.stage_form.clear_errors()
            self.cue_form.clear_errors()
            if other_errors:
                self.stage_form.show_errors(ValidationError(other_errors))
            if cue_errors:
                self.cue_form.show_errors(ValidationError(cue_errors))
        else:
            self.stage_form.clear_errors()
            self.cue_form.clear_errors()
        for row in bad:
            stage_item = self.stage_list.item(row)
            if stage_item is not None:
                stage_item.setForeground(Colors.ERROR.color())
                stage_item.setToolTip("\n".join(f"{e.field} {e.message}" for e in bad[row]))
        self.show_message("Not saved yet: please fix what is marked in red.", error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        set_role(self.message, "error" if error else "")
        self.message.setVisible(bool(text))

    def duplicate_current(self) -> None:
        self.before_leaving(self._duplicate)

    def _duplicate(self) -> None:
        if self.current is None:
            return
        name = f"{self.current.name} (my copy)"
        self.ctx.services.call(
            protocol_library.duplicate_protocol,
            self.current.key,
            name,
            then=self._added("Duplicated as"),
            failed=lambda error: self.show_message(plain_error(error), error=True),
        )

    def _added(self, verb: str):  # type: ignore[no-untyped-def]
        def done(protocol: Protocol) -> None:
            self.dirty = False
            self.select_protocol(protocol.key)  # now, or when the refresh comes back
            self.show_message(f"{verb} “{protocol.name}”.")

        return done

    def confirm_delete(self) -> None:
        protocol = self.current
        if protocol is None or protocol.built_in:
            return
        ask_to_confirm(
            self,
            "Delete protocol",
            f"Delete “{protocol.name}”?",
            "Delete",
            lambda: self.delete(protocol.key),
            details="Calls already planned with it keep their agendas.",
        )

    def delete(self, key: str) -> None:
        self.ctx.services.call(
            protocol_library.delete_protocol,
            key,
            then=lambda _key: self.show_message("Protocol deleted."),
            failed=lambda error: self.show_message(plain_error(error), error=True),
        )

    def choose_import_file(self) -> None:
        self.before_leaving(self._choose_import_file)

    def _choose_import_file(self) -> None:
        dialog = QFileDialog(self, "Import a protocol file", str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter("Protocol files (*.json);;All files (*)")
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def import_file(self, path: Path) -> None:
        self.before_leaving(
            lambda: self.ctx.services.call(
                protocol_library.import_protocol_file,
                path,
                then=self._added("Imported"),
                failed=self._import_failed,
            )
        )

    def import_bytes(self, data: bytes) -> None:
        self.before_leaving(
            lambda: self.ctx.services.call(
                protocol_library.import_protocol,
                data,
                then=self._added("Imported"),
                failed=self._import_failed,
            )
        )

    def _import_failed(self, error: ValidationError) -> None:
        self.show_message(f"{plain_error(error)}\nNothing was changed.", error=True)

    def choose_export_file(self) -> None:
        if self.current is None:
            return
        suggested = Path.home() / safe_file_name(
            self.current.name, suffix=".json", fallback="protocol"
        )
        dialog = QFileDialog(self, "Export protocol to share", str(suggested))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("Protocol files (*.json)")
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_to(self, path: Path) -> None:
        if self.current is None:
            return
        note = " (the last saved version)" if self.dirty else ""
        self.ctx.services.call(
            protocol_library.export_protocol,
            self.current.key,
            path,
            then=lambda written: self.show_message(
                f"Saved{note} to {written}. Send it to a peer facilitator; they can Import it."
            ),
            failed=lambda error: self.show_message(plain_error(error), error=True),
        )

    def revert(self) -> None:
        if self.current is not None:
            self._show(self.protocols.get(self.current.key, self.current))
