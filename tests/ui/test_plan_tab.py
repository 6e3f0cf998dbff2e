"""The Plan tab driven as a facilitator would: agenda edits, presenters, buddy pairs."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from sanctuary_desktop.services import agendas, buddies, cohorts, demo, presenters
from sanctuary_desktop.services.views import CohortPlan
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.plan_tab import STAGE_MIME, PlanTab
from sanctuary_desktop.ui.theme import apply_theme
from tests.ui.conftest import NOW, settle


def sample(ctx: AppContext) -> int:
    cohort = ctx.services.runner.submit(demo.create_sample, today=date(2026, 11, 23)).result()
    return int(cohort.id)


def load_plan(ctx: AppContext, cohort_id: int) -> CohortPlan:
    plan: CohortPlan = ctx.services.runner.submit(cohorts.get_plan, cohort_id).result()
    return plan


def plan_tab(qtbot: QtBot, ctx: AppContext) -> tuple[PlanTab, int]:
    cohort_id = sample(ctx)
    tab = PlanTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.set_plan(load_plan(ctx, cohort_id))
    settle(qtbot, ctx)
    return tab, cohort_id


def stored(ctx: AppContext, call_id: int) -> agendas.AgendaView:
    view: agendas.AgendaView = ctx.services.runner.submit(agendas.get_agenda, call_id).result()
    return view


def test_agenda_defaults_to_next_call_and_fits(qtbot: QtBot, ctx: AppContext) -> None:
    tab, cohort_id = plan_tab(qtbot, ctx)
    plan = load_plan(ctx, cohort_id)
    upcoming = next(c for c in plan.calls if c.starts_at >= NOW)
    section = tab.agenda
    assert section.call_id() == upcoming.id
    assert section.call.count() == 7
    assert "90 of 90 minutes" in section.totals.text()
    assert "2 presenter rounds" in section.rounds.text()
    assert section.warning.isHidden()
    assert section.protocol.currentData() == "peer-input-90"
    labels = [
        section.model.data(section.model.index(r, 2)) for r in range(section.model.rowCount())
    ]
    assert any(label.startswith("Round 2:") for label in labels)
    # Planned presenters show by name on round stages; starts are in the facilitator's zone.
    names = set(tab.names.values())
    shown = {section.model.data(section.model.index(r, 3)) for r in range(len(labels))}
    assert shown & names
    first_start = section.model.data(section.model.index(0, 0))
    assert first_start == upcoming.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("America/Vancouver")
    ).strftime("%H:%M")


def test_retiming_over_the_call_warns_and_persists(qtbot: QtBot, ctx: AppContext) -> None:
    tab, _ = plan_tab(qtbot, ctx)
    section = tab.agenda
    call_id = section.call_id()
    assert call_id is not None
    section.table.selectRow(1)
    before = section.view.items[1].minutes if section.view else 0
    section.minutes.setValue(before + 10)
    section.minutes.editingFinished.emit()
    settle(qtbot, ctx)
    assert "100 of 90 minutes" in section.totals.text()
    assert not section.warning.isHidden()
    assert "runs 10 minutes over" in section.warning.text()
    assert stored(ctx, call_id).items[1].minutes == before + 10
    assert stored(ctx, call_id).timing.over_by == 10


def test_move_with_keyboard_insert_and_remove(qtbot: QtBot, ctx: AppContext) -> None:
    tab, _ = plan_tab(qtbot, ctx)
    tab.show()
    qtbot.waitExposed(tab)
    section = tab.agenda
    call_id = section.call_id()
    assert call_id is not None and section.view is not None
    first, second = section.view.items[0].label, section.view.items[1].label
    section.table.setFocus()
    section.table.selectRow(0)
    qtbot.keyClick(section.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, ctx)
    assert [i.label for i in stored(ctx, call_id).items[:2]] == [second, first]
    assert section.selected() == 1  # the moved stage stays chosen
    qtbot.keyClick(section.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, ctx)
    assert [i.label for i in stored(ctx, call_id).items[:2]] == [first, second]

    count = len(stored(ctx, call_id).items)
    section.table.selectRow(0)
    section.new_name.setText("Grounding breath")
    section.new_minutes.setValue(3)
    qtbot.mouseClick(section.insert, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    items = stored(ctx, call_id).items
    assert len(items) == count + 1
    assert items[1].name == "Grounding breath" and items[1].minutes == 3
    assert "93 of 90 minutes" in section.totals.text()
    assert section.selected() == 1
    qtbot.mouseClick(section.remove, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert len(stored(ctx, call_id).items) == count
    assert "90 of 90 minutes" in section.totals.text()


def test_dragging_a_stage_moves_it_and_saves(qtbot: QtBot, ctx: AppContext) -> None:
    tab, _ = plan_tab(qtbot, ctx)
    section = tab.agenda
    model = section.model
    call_id = section.call_id()
    assert call_id is not None and section.view is not None
    labels = [i.label for i in section.view.items]
    # The table lets rows be dragged among themselves, and only between rows.
    assert section.table.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled

    # Drag the first stage and drop it before the fourth row: it becomes the third.
    data = model.mimeData([model.index(0, c) for c in range(model.columnCount())])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    settle(qtbot, ctx)
    expected = [labels[1], labels[2], labels[0], *labels[3:]]
    assert [i.label for i in stored(ctx, call_id).items] == expected
    assert section.selected() == 2  # the dragged stage stays chosen

    # Dropped past the last row (on the empty space below): it goes last.
    data = model.mimeData([model.index(2, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    settle(qtbot, ctx)
    expected = [labels[1], labels[2], *labels[3:], labels[0]]
    assert [i.label for i in stored(ctx, call_id).items] == expected

    # Dropped onto a row: it takes that row's place, earlier stages move down.
    last = len(labels) - 1
    data = model.mimeData([model.index(last, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(0, 1))
    settle(qtbot, ctx)
    assert [i.label for i in stored(ctx, call_id).items] == labels
    assert section.selected() == 0

    # A stage dragged from another call's agenda does not land here.
    stray = QMimeData()
    stray.setData(STAGE_MIME, QByteArray(f"{call_id + 1}:0".encode()))
    assert not model.canDropMimeData(stray, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert not model.dropMimeData(stray, Qt.DropAction.MoveAction, 2, 0, QModelIndex())


def test_applying_another_protocol_changes_rounds(qtbot: QtBot, ctx: AppContext) -> None:
    tab, _ = plan_tab(qtbot, ctx)
    section = tab.agenda
    call_id = section.call_id()
    assert call_id is not None
    section.protocol.setCurrentIndex(section.protocol.findData("troika"))
    section.protocol.activated.emit(section.protocol.currentIndex())
    settle(qtbot, ctx)
    assert stored(ctx, call_id).protocol_key == "troika"
    assert stored(ctx, call_id).rounds == 3
    assert "3 presenter rounds" in section.rounds.text()
    assert "Troika" in section.rounds.text()


def test_edited_agenda_asks_before_another_protocol(qtbot: QtBot, ctx: AppContext) -> None:
    tab, _ = plan_tab(qtbot, ctx)
    section = tab.agenda
    call_id = section.call_id()
    assert call_id is not None
    section.table.selectRow(0)
    section.remove_selected()
    settle(qtbot, ctx)
    assert section.edited()
    section.protocol.setCurrentIndex(section.protocol.findData("troika"))
    section.protocol.activated.emit(section.protocol.currentIndex())
    box = section.confirm
    assert isinstance(box, QMessageBox)
    assert section.protocol.currentData() == "peer-input-90"  # nothing changes unconfirmed
    confirm = next(b for b in box.buttons() if b.text() == "Replace agenda")
    confirm.click()
    settle(qtbot, ctx)
    assert stored(ctx, call_id).protocol_key == "troika"


def test_presenters_table_and_override_persists_as_fixed(qtbot: QtBot, ctx: AppContext) -> None:
    tab, cohort_id = plan_tab(qtbot, ctx)
    section = tab.presenters
    assert section.model.rowCount() == 7
    assert section.model.columnCount() == 4  # call, date, two rounds
    assert section.not_yet.text().startswith("Not presented yet:")
    plan = section.plan
    assert plan is not None
    last = len(plan.calls) - 1
    target = plan.calls[last]
    person = next(pid for pid in plan.names if pid not in target.presenters)
    section.table.selectRow(last)
    section.round.setCurrentIndex(1)
    section.person.setCurrentIndex(section.person.findData(person))
    qtbot.mouseClick(section.set_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    after = ctx.services.runner.submit(presenters.presenter_plan, cohort_id, NOW).result()
    call = next(c for c in after.calls if c.call_id == target.call_id)
    assert call.presenters[1] == person and call.fixed[1]
    text = section.model.data(section.model.index(last, 3))
    assert plan.names[person] in text
    # Past calls are muted.
    assert section.model.data(section.model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    qtbot.mouseClick(section.fill, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    again = ctx.services.runner.submit(presenters.presenter_plan, cohort_id, NOW).result()
    assert next(c for c in again.calls if c.call_id == target.call_id).presenters[1] == person


def test_buddy_groups_per_cycle_and_caught_up_persists(qtbot: QtBot, ctx: AppContext) -> None:
    tab, cohort_id = plan_tab(qtbot, ctx)
    section = tab.buddies
    cycles = ctx.services.runner.submit(buddies.list_cycles, cohort_id).result()
    assert len(section.cycles) == len(cycles) > 0
    assert sum(len(c.groups) for c in cycles) == len(section.checks)
    group = cycles[0].groups[0]
    box = section.checks[group.id]
    assert " & " in box.accessibleName()
    box.setChecked(True)
    settle(qtbot, ctx)
    again = ctx.services.runner.submit(buddies.list_cycles, cohort_id).result()
    assert next(g for g in again[0].groups if g.id == group.id).happened is True
    assert section.checks[group.id].isChecked()  # rebuilt from the store, still ticked
    qtbot.mouseClick(section.generate, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert len(section.cycles) == len(cycles)


def test_screenshots(qtbot: QtBot, ctx: AppContext, qapp: QApplication, tmp_path: Path) -> None:
    style, palette, sheet, font = (
        qapp.style().name(),
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
    )
    apply_theme(qapp)
    try:
        tab, _ = plan_tab(qtbot, ctx)
        tab.show()
        qtbot.waitExposed(tab)
        out = [tmp_path]
        if os.environ.get("SANCTUARY_SHOTS"):
            out.append(Path(os.environ["SANCTUARY_SHOTS"]))
        for index, name in enumerate(("agenda", "presenters", "buddies")):
            tab.sections.setCurrentIndex(index)
            qapp.processEvents()
            image = tab.grab()
            assert image.width() == 1280 and image.height() == 800
            for folder in out:
                folder.mkdir(parents=True, exist_ok=True)
                assert image.save(str(folder / f"plan_{name}.png"))
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setFont(font)
