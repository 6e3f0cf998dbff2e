"""Small widgets shared by the pages: a zone picker, a form that shows errors by its fields."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QEvent, QEventLoop, QObject, QStringListModel, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.zones import (
    city_of,
    is_valid_zone,
    search_zones,
    zone,
    zone_choices,
    zone_for,
)
from sanctuary_desktop.ui.theme import Colors, set_role

# The light scheme's error colour, for code not yet on theme roles; new code uses
# Colors.ERROR.css() or set_role(label, "error"), which follow the scheme.
ERROR_COLOR = Colors.ERROR.light


class ZonePicker(QComboBox):
    """Type a city, a country, a zone's name or abbreviation; pick from what matches.

    The list offers what `search_zones` finds for the words typed (Montréal, Wellington,
    PST, "heure de l'Est", "New Zealand Standard Time"), best first, with a slip of the
    keyboard forgiven; the drop-down holds every zone by city."""

    SHOWN = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self._choices = zone_choices()
        self.addItems([z.label for z in self._choices])
        self._found = QStringListModel(self)
        completer = QCompleter(self._found, self)
        # The model already holds only (and in order) what the search found.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText("Type a city or country, e.g. Auckland")
            line.textEdited.connect(self._offer)
        self.setMinimumContentsLength(28)
        # As wide as that, not as the longest zone's label: a dialog keeps its size.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def _offer(self, text: str) -> None:
        found = search_zones(text, forgiving=True)[: self.SHOWN] if text.strip() else []
        self._found.setStringList([z.label for z in found])
        completer = self.completer()
        if found and completer is not None:
            completer.complete()

    def zone_name(self) -> str:
        """The chosen IANA name, or what was typed (validation names it if unknown)."""
        text = self.currentText().strip()
        if " — " in text:
            text = text.rsplit(" — ", 1)[1]
        if is_valid_zone(text):
            return text
        exact = zone_for(text)
        if exact is not None:
            return exact
        matches = search_zones(text)
        return matches[0].name if len(matches) == 1 else text

    def set_zone_name(self, name: str) -> None:
        for i, choice in enumerate(self._choices):
            if choice.name == name:
                self.setCurrentIndex(i)
                return
        self.setEditText(name)


class FieldForm(QWidget):
    """A form whose rows each carry an error line, shown when validation names the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.general_error = self._error_label()
        outer.addWidget(self.general_error)
        self.layout_form = QFormLayout()
        self.layout_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.layout_form)
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        set_role(label, "error")
        label.setWordWrap(True)
        label.hide()
        return label

    def add_row(
        self,
        field: str,
        widget: QWidget,
        label: str | None = None,
        also: tuple[str, ...] = (),
    ) -> QWidget:
        """Add a labelled row; errors naming `field` (or any name in `also`) show under it."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = self._error_label()
        column.addWidget(error)
        text = label or field
        caption = QLabel(f"{text}:")
        caption.setBuddy(widget)
        self.layout_form.addRow(caption, holder)
        if not widget.accessibleName():
            widget.setAccessibleName(text)
        for name in (field, *also):
            self._errors[name] = error
            self._widgets[name] = widget
        return widget

    def clear_errors(self) -> None:
        for label in (*self._errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_errors(self, error: ValidationError) -> None:
        self.clear_errors()
        general = []
        first: QWidget | None = None
        for item in error.errors:
            label = self._errors.get(item.field)
            if label is None:
                general.append(str(item))
                continue
            label.setText(f"{item.field} {item.message}" if label.text() == "" else label.text())
            label.show()
            first = first or self._widgets[item.field]
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            first.setFocus()

    def error_text(self, field: str) -> str:
        label = self._errors.get(field)
        return label.text() if label else ""


def count_of(count: int, one: str, many: str | None = None) -> str:
    """ "1 person", "3 people", "0 calls": never "1 people"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def local_label(instant: datetime, zone_name: str, pattern: str = "%a %d %b %Y, %H:%M") -> str:
    return instant.astimezone(zone(zone_name)).strftime(pattern)


def zone_caption(zone_name: str) -> str:
    return city_of(zone_name)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def reload_button(buttons: QDialogButtonBox, on_click: Callable[[], object]) -> QPushButton:
    """A "Reload" button, hidden until a save is refused because the record changed since
    the dialog read it (`ChangedSince`): it shows the stored values again."""
    button = buttons.addButton("Reload", QDialogButtonBox.ButtonRole.ResetRole)
    button.setToolTip("Show the newer version that was saved meanwhile")
    button.setAutoDefault(False)
    button.clicked.connect(on_click)
    button.hide()
    return button


def ask_to_confirm(
    parent: QWidget,
    title: str,
    question: str,
    action: str,
    on_confirm: Callable[[], object],
    *,
    details: str = "",
    destructive: bool = True,
) -> QMessageBox:
    """A window-modal question opened with open() (never exec(), which would stall the
    qasync loop). Cancel is the default for destructive actions."""
    box = QMessageBox(
        QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
        title,
        question,
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    if details:
        box.setInformativeText(details)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    confirm = box.addButton(action, role)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel if destructive else confirm)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished() -> None:
        if box.clickedButton() is confirm:
            on_confirm()

    box.finished.connect(finished)
    box.open()
    return box


class _PaintWatcher(QObject):
    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
            self.loop.quit()  # after this event: the paint itself still happens
        return False


def wait_until_painted(widget: QWidget, *, timeout_ms: int) -> bool:
    """Run events until the widget has painted (True) or the time is up (False).

    Start-up uses it to put the window on screen before the slow part of its work: the
    window system shows a window only once the event loop has handled its first paint."""
    loop = QEventLoop()
    watcher = _PaintWatcher(loop)
    widget.installEventFilter(watcher)
    QTimer.singleShot(timeout_ms, loop.quit)
    try:
        loop.exec()
    finally:
        widget.removeEventFilter(watcher)
    return watcher.painted
