"""Issue 13: at 1280x800 the Calls tab shows everyone's local time whole; at a wider
window the two tables sit side by side."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from sanctuary_desktop.ui.context import AppContext
from tests.ui.conftest import settle
from tests.ui.test_main_window import add_sample, open_window


def _column_whole(table, column: int) -> bool:  # type: ignore[no-untyped-def]
    left = table.columnViewportPosition(column)
    return left >= 0 and left + table.columnWidth(column) <= table.viewport().width()


def test_their_time_is_shown_whole_at_1280x800_and_at_a_wide_window(
    qtbot: QtBot, ctx: AppContext
) -> None:
    add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    page.tabs.setCurrentWidget(page.calls_tab)
    settle(qtbot, ctx)
    tab = page.calls_tab
    assert tab.slot_model.rowCount() > 0
    for size in ((1280, 800), (1920, 1080)):
        window.resize(*size)
        qtbot.wait(20)
        assert tab.slot_model.columns[2].title == "Their time"
        assert _column_whole(tab.slot_table, 2), size
        assert all(_column_whole(tab.table, c) for c in range(tab.model.columnCount()))
        # Every call row can be seen without scrolling the calls table.
        assert tab.table.viewport().height() >= tab.table.rowViewportPosition(
            tab.model.rowCount() - 1
        ) + tab.table.rowHeight(0)
