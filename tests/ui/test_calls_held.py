"""Issue 13: the Calls tab counts a call finished early on the live timer as held."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from sanctuary_desktop.services import cohorts, demo
from sanctuary_desktop.ui.calls_tab import CallsTab
from sanctuary_desktop.ui.context import AppContext
from tests.services.test_held_calls import _finish_early
from tests.ui.conftest import NOW


def test_held_count_and_next_call_follow_a_finished_live_run(qtbot: QtBot, ctx: AppContext) -> None:
    run = ctx.services.runner.submit
    cohort = run(demo.create_sample, today=NOW.date()).result()
    tab = CallsTab(ctx)
    qtbot.addWidget(tab)
    tab.set_plan(run(cohorts.get_plan, cohort.id).result())
    before = tab.summary.text()
    coming = tab.selected()
    assert coming is not None and coming.starts_at > NOW
    run(_finish_early, coming.id, NOW - timedelta(hours=1)).result()
    tab.set_plan(run(cohorts.get_plan, cohort.id).result())
    held_before = int(before.split(", ")[1].split(" held")[0])
    assert f", {held_before + 1} held" in tab.summary.text()
