"""Issue 13: Tab leaves a table for the next control instead of walking its cells."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from sanctuary_desktop.ui.context import AppContext
from tests.ui.conftest import settle
from tests.ui.test_main_window import add_sample, open_window


def _tab_leaves(qtbot: QtBot, table: QTableView) -> None:
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not table and not table.isAncestorOf(focus), table.accessibleName()
    assert table.currentIndex().column() == 0, "Tab moved to the next cell"


def _tables(root: QWidget) -> list[QTableView]:
    return [t for t in root.findChildren(QTableView) if t.isVisible() and t.model().rowCount()]


def test_tab_leaves_every_table_of_the_cohort_tabs_and_protocols(
    qtbot: QtBot, ctx: AppContext
) -> None:
    add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    seen = 0
    for tab in (page.roster_tab, page.calls_tab, page.agenda_tab):
        page.tabs.setCurrentWidget(tab)
        settle(qtbot, ctx)
        for table in _tables(tab):
            _tab_leaves(qtbot, table)
            seen += 1
    assert seen >= 4
    protocols = window.protocols_page
    settle(qtbot, ctx)
    tables = protocols.findChildren(QTableView)
    assert tables and not any(t.tabKeyNavigation() for t in tables)


def test_no_table_anywhere_traps_the_tab_key(qtbot: QtBot, ctx: AppContext) -> None:
    from sanctuary_desktop.ui.data_dialogs import RestoreDialog

    add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    page.tabs.setCurrentWidget(page.zones_tab)
    roots: list[QWidget] = [window.cohorts_page, window.calendar_page, window.protocols_page]
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    roots.append(dialog)
    settle(qtbot, ctx)
    trapping = [
        t.accessibleName() or type(t.parent()).__name__
        for root in roots
        for t in root.findChildren(QTableView)
        if t.tabKeyNavigation()
    ]
    assert trapping == []
