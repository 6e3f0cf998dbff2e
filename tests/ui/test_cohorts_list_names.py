"""A long cohort name is shown whole in the list at 1280x800 (issue 13)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.services import cohorts
from sanctuary_desktop.ui.context import AppContext
from tests.ui.test_main_window import open_window

LONG = (
    "Tending the Commons — a peer circle for leaders of land, water and climate "
    "stewardship across Aotearoa, Turtle Island and the Horn of Africa"
)


def test_a_long_cohort_name_wraps_whole_and_its_tooltip_and_accessible_name_hold_it(
    qtbot: QtBot, ctx: AppContext
) -> None:
    ctx.services.runner.submit(
        cohorts.create_cohort,
        CohortDraft(
            name=LONG,
            home_tz="Pacific/Auckland",
            start_date=date(2026, 9, 1),
            end_date=date(2027, 3, 1),
        ),
    ).result()
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    view = page.list
    index = page.proxy.index(0, 0)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    assert text.startswith(LONG)
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(LONG)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith(LONG)

    rect = view.visualRect(index)
    assert rect.width() < QFontMetrics(view.font()).horizontalAdvance(LONG)  # it must wrap
    needed = QFontMetrics(view.font()).boundingRect(
        QRect(0, 0, rect.width() - 8, 10_000), int(Qt.TextFlag.TextWordWrap), text
    )
    assert rect.height() >= needed.height(), "the row is as tall as its wrapped text"
    assert window.grab().save("/tmp/s13/cohorts_long_name.png")
    title = page.header.title
    assert title.text().startswith(LONG)
    assert title.wordWrap()
    assert title.height() >= title.heightForWidth(title.width()), "the header shows it whole"
