"""Editing a buddy cycle's groups by hand, from the "Edit pairs…" button on its card."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.services import buddies
from sanctuary_desktop.services.buddies import BuddyCycleView
from sanctuary_desktop.ui.buddy_dialog import (
    PEOPLE_MIME,
    PERSON_ROLE,
    UNPAIRED,
    BuddyDialog,
    PeopleList,
    people_in,
    people_mime,
)
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.plan_tab import PlanTab
from tests.ui.conftest import settle
from tests.ui.test_plan_tab import plan_tab


def stored_cycles(ctx: AppContext, cohort_id: int) -> list[BuddyCycleView]:
    cycles: list[BuddyCycleView] = ctx.services.runner.submit(
        buddies.list_cycles, cohort_id
    ).result()
    return cycles


def open_editor(qtbot: QtBot, ctx: AppContext) -> tuple[PlanTab, BuddyDialog, BuddyCycleView]:
    tab, _ = plan_tab(qtbot, ctx)
    tab.show()
    qtbot.waitExposed(tab)
    tab.sections.setCurrentWidget(tab.buddies)
    section = tab.buddies
    cycle = section.cycles[-1]
    button = section.edit_buttons[cycle.id]
    assert button.text() == "Edit pairs…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, BuddyDialog)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.cycle.id == cycle.id
    return tab, dialog, cycle


def shown_groups(dialog: BuddyDialog) -> list[list[int]]:
    return [box.list.people() for box in dialog.boxes]


def test_editor_lists_the_cycles_groups_and_only_accepted_people(
    qtbot: QtBot, ctx: AppContext
) -> None:
    tab, dialog, cycle = open_editor(qtbot, ctx)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    assert shown_groups(dialog) == [list(g.members) for g in cycle.groups]
    assert tab.plan is not None
    accepted = {p.id for p in tab.plan.participants if p.status is IntakeStatus.ACCEPTED}
    others = {p.id for p in tab.plan.participants} - accepted
    assert others  # the sample's withdrawn participant
    listed = {pid for lst in dialog._lists() for pid in lst.people()}
    assert listed == accepted
    assert not listed & others
    assert dialog.error.isHidden()
    assert dialog.target.count() == len(cycle.groups) + 1  # each group, and "Not paired"


def test_move_with_the_keyboard_remove_empty_group_and_save(qtbot: QtBot, ctx: AppContext) -> None:
    tab, dialog, cycle = open_editor(qtbot, ctx)
    cohort_id = tab.cohort_id
    assert cohort_id is not None
    pairs = [list(g.members) for g in cycle.groups]
    last = len(pairs) - 1
    a, b = pairs[last][:2]
    # Choose a name, pick the target group in the combo, press Move.
    dialog.choose(a)
    assert dialog.chosen == a and dialog.move_button.isEnabled()
    dialog.target.setCurrentIndex(dialog.target.findData(0))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert dialog.place_of(a) == 0
    assert "trio" in dialog.boxes[0].title()
    # The same with the keyboard: Space on the focused Move button.
    dialog.choose(b)
    dialog.target.setCurrentIndex(dialog.target.findData(1))
    dialog.move_button.setFocus()
    qtbot.keyClick(dialog.move_button, Qt.Key.Key_Space)
    assert dialog.place_of(b) == 1
    assert dialog.groups[last] == []
    remove = dialog.boxes[last].remove
    assert remove.isEnabled()
    assert not dialog.boxes[0].remove.isEnabled()  # only empty groups go
    remove.click()
    assert len(dialog.boxes) == len(pairs) - 1
    assert dialog.target.count() == len(pairs)

    dialog.ok_button.click()
    settle(qtbot, ctx)
    assert not dialog.isVisible()  # closed once saved
    again = next(c for c in stored_cycles(ctx, cohort_id) if c.id == cycle.id)
    expected = [sorted(g) for g in dialog.result_groups()]
    assert [list(g.members) for g in again.groups] == expected
    # The card shows the new groups, rebuilt from the store.
    shown = next(c for c in tab.buddies.cycles if c.id == cycle.id)
    assert [list(g.members) for g in shown.groups] == expected
    # Keyboard users land back on the rebuilt card's button.
    assert tab.focusWidget() is tab.buddies.edit_buttons[cycle.id]


def test_refused_groups_show_beside_the_groups_and_the_dialog_stays(
    qtbot: QtBot, ctx: AppContext
) -> None:
    tab, dialog, cycle = open_editor(qtbot, ctx)
    cohort_id = tab.cohort_id
    assert cohort_id is not None
    person = cycle.groups[0].members[0]
    dialog.choose(person)
    dialog.target.setCurrentIndex(dialog.target.findData(UNPAIRED))
    dialog.move_button.click()
    assert person in dialog.unpaired_list.people()
    dialog.ok_button.click()
    settle(qtbot, ctx)
    assert dialog.isVisible()
    assert not dialog.error.isHidden()
    assert dialog.error.text() == "Groups each group needs two or three people"
    assert dialog.ok_button.isEnabled()
    again = next(c for c in stored_cycles(ctx, cohort_id) if c.id == cycle.id)
    assert again.groups == cycle.groups  # nothing written
    # Putting them back clears the message; Cancel closes without writing.
    dialog.choose(person)
    dialog.target.setCurrentIndex(dialog.target.findData(0))
    dialog.move_button.click()
    assert dialog.error.isHidden()
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.isVisible()


def dropping(people: list[int], keep: list[QMimeData]) -> QDropEvent:
    """A drop of names as Qt delivers it; the event does not own its data, so keep it."""
    data = people_mime(people)
    keep.append(data)
    return QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.MoveAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_dropping_a_name_on_another_group_moves_it(qtbot: QtBot, ctx: AppContext) -> None:
    _, dialog, cycle = open_editor(qtbot, ctx)
    source, target = dialog.boxes[0].list, dialog.boxes[1].list
    person = cycle.groups[0].members[0]
    # What a drag from the source carries...
    source.setCurrentRow(0)
    data = source.mimeData(source.selectedItems())
    assert data.hasFormat(PEOPLE_MIME) and people_in(data) == [person]
    # ...dropped on the target list's viewport, as Qt would deliver it.
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.MoveAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(drop)
    assert drop.isAccepted()
    assert dialog.place_of(person) == 1
    assert person in target.people() and person not in source.people()
    assert "trio" in dialog.boxes[1].title()
    # A drop onto "Not paired" and then onto a brand-new group.
    keep: list[QMimeData] = []
    dialog.unpaired_list.dropEvent(dropping([person], keep))
    assert dialog.place_of(person) == UNPAIRED
    dialog.add_button.click()
    fresh = dialog.boxes[-1].list
    assert isinstance(fresh, PeopleList) and fresh.people() == []
    fresh.dropEvent(dropping([person], keep))
    assert dialog.place_of(person) == len(dialog.boxes) - 1
    assert dialog.chosen == person  # stays chosen for a keyboard move after the drop
    assert fresh.currentItem() is not None and fresh.currentItem().data(PERSON_ROLE) == person


def test_screenshot(qtbot: QtBot, ctx: AppContext, themed: None, tmp_path: Path) -> None:
    _, dialog, cycle = open_editor(qtbot, ctx)
    dialog.choose(cycle.groups[0].members[0])
    dialog.target.setCurrentIndex(dialog.target.findData(UNPAIRED))
    dialog.move_button.click()
    dialog.add_button.click()
    dialog.ok_button.click()
    settle(qtbot, ctx)
    QApplication.processEvents()
    shots = Path(os.environ.get("SANCTUARY_SHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(shots / "buddy_dialog.png"))
