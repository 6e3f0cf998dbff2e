"""Issue 13: the Buddy pairs section shows cycles that no longer fit the roster, and
"Plan pairs" plans them again and says what changed."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.services import buddies, roster
from sanctuary_desktop.ui.context import AppContext
from tests.ui.conftest import NOW, settle
from tests.ui.test_plan_tab import load_plan, plan_tab


def test_plan_pairs_replans_around_a_withdrawal_and_says_so(qtbot: QtBot, ctx: AppContext) -> None:
    tab, cohort_id = plan_tab(qtbot, ctx)
    run = ctx.services.runner.submit
    cycles = run(buddies.list_cycles, cohort_id, NOW).result()
    leaver = cycles[-1].groups[0].members[0]
    person = next(p for p in run(roster.list_participants, cohort_id).result() if p.id == leaver)
    run(
        roster.update_participant,
        leaver,
        replace(person.draft(), status=IntakeStatus.WITHDRAWN),
    ).result()
    tab.set_plan(load_plan(ctx, cohort_id))
    settle(qtbot, ctx)
    section = tab.buddies
    warnings = [
        w.text() for w in section.body.findChildren(QLabel) if "is now withdrawn" in w.text()
    ]
    assert warnings and all(person.name in w for w in warnings)
    qtbot.mouseClick(section.generate, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert not section.changes.isHidden()
    assert f"{person.name} is now withdrawn" in section.changes.text()
    assert "Pairs now:" in section.changes.text()
    left = [w for w in section.body.findChildren(QLabel) if "is now withdrawn" in w.text()]
    assert left == []
    names = " ".join(box.accessibleName() for box in section.checks.values())
    last = run(buddies.list_cycles, cohort_id, NOW).result()[-1]
    assert leaver not in [m for g in last.groups for m in g.members]
    assert names  # groups still shown
