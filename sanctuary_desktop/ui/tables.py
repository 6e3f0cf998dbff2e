"""Thin item models: a list of dataclasses, columns described once, no queries in data()."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableView

from sanctuary_desktop.ui.theme import for_scheme, text_for_background

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str] | None = None
    foreground: Callable[[Row], QColor | None] | None = None
    background: Callable[[Row], QColor | None] | None = None
    align_right: bool = False


def table_view() -> QTableView:
    """A table that Tab leaves for the next control (QTableView's own default walks cell
    by cell, trapping keyboard users); arrows still move between rows and cells."""
    view = QTableView()
    view.setTabKeyNavigation(False)
    return view


SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class RowsModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(column, row)
        if role == Qt.ItemDataRole.BackgroundRole and column.background:
            color = column.background(row)
            return QBrush(for_scheme(color, background=True)) if color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _foreground(column: Column[Row], row: Row) -> QBrush | None:
        """A cell's text colour in the scheme in force; a cell given a background always
        gets a text colour that reads on it (a pair is never set by half)."""
        color = column.foreground(row) if column.foreground else None
        background = column.background(row) if column.background else None
        if background is not None:
            shown = for_scheme(background, background=True)
            return QBrush(text_for_background(shown, color))
        return QBrush(for_scheme(color)) if color else None
