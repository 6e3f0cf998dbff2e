"""Issue 13: an agenda over its call is shortened to fit from the Plan tab, as the live
window does it, with the keyboard alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.agenda import AgendaItem, insert_item
from sanctuary_desktop.services import agendas
from sanctuary_desktop.ui.context import AppContext
from tests.ui.conftest import settle
from tests.ui.test_plan_tab import plan_tab, stored


def test_shorten_to_fit_from_the_plan_tab(qtbot: QtBot, ctx: AppContext) -> None:
    tab, _ = plan_tab(qtbot, ctx)
    tab.show()
    qtbot.waitExposed(tab)
    section = tab.agenda
    call_id = section.call_id()
    assert call_id is not None and section.view is not None
    assert section.warning_row.isHidden()
    # A third round's worth of minutes: 120 of 90.
    view = section.view
    longer = insert_item(view.items, len(view.items), AgendaItem(name="Extra round", minutes=30))
    ctx.services.runner.submit(agendas.save_agenda, call_id, view.protocol_key, longer).result()
    section.load()
    settle(qtbot, ctx)
    assert "120 of 90 minutes" in section.totals.text()
    assert not section.warning_row.isHidden() and section.shorten.isEnabled()
    fixed_before = [i.minutes for i in stored(ctx, call_id).items if i.fixed]
    # Space on the focused button, as a keyboard user would.
    section.shorten.setFocus()
    qtbot.keyClick(section.shorten, Qt.Key.Key_Space)
    settle(qtbot, ctx)
    after = stored(ctx, call_id)
    assert after.timing.total_minutes == 90 and after.timing.fits
    assert [i.minutes for i in after.items if i.fixed] == fixed_before
    assert "90 of 90 minutes" in section.totals.text()
    assert section.warning_row.isHidden()
