"""Issue 13: one double-click opens one dialog, and no dialog saves over a newer version."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.services import calls, cohorts, roster
from sanctuary_desktop.ui.calls_tab import CallDialog, CallsTab
from sanctuary_desktop.ui.cohort_dialogs import CohortDialog
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.roster_tab import ParticipantDialog, RosterTab
from tests.ui.conftest import settle
from tests.ui.test_cohort_tabs import calls_tab, new_cohort, roster_tab


def _with_people_and_calls(ctx: AppContext) -> int:
    cohort_id = new_cohort(ctx)
    run = ctx.services.runner.submit
    for name in ("Aroha", "Ben"):
        run(
            roster.add_participant,
            cohort_id,
            ParticipantDraft(name=name, time_zone="Pacific/Auckland", status=IntakeStatus.ACCEPTED),
        ).result()
    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 12, 1),
        local_time=time(9, 0),
        zone="America/Vancouver",
        count=3,
        weekday=3,
    )
    run(calls.generate_series, cohort_id, cadence).result()
    return cohort_id


def _double_click_first_row(qtbot: QtBot, table: QTableView) -> None:
    table.window().show()
    qtbot.waitExposed(table.window())
    rect = table.visualRect(table.model().index(0, 0))
    # As the mouse does it: press and release, then the second press comes as a double-click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _open_dialogs(tab: RosterTab | CallsTab, kind: type) -> list:
    return [d for d in tab.findChildren(kind) if d.isVisible()]


def test_double_click_on_a_roster_row_opens_one_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    tab = roster_tab(qtbot, ctx, _with_people_and_calls(ctx))
    _double_click_first_row(qtbot, tab.table)
    assert len(_open_dialogs(tab, ParticipantDialog)) == 1
    # Enter on the same row, or the Edit button, brings that dialog forward: no second.
    tab.edit_selected()
    assert len(_open_dialogs(tab, ParticipantDialog)) == 1
    _open_dialogs(tab, ParticipantDialog)[0].reject()
    tab.edit_selected()
    assert len(_open_dialogs(tab, ParticipantDialog)) == 1


def test_double_click_on_a_call_row_opens_one_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    tab = calls_tab(qtbot, ctx, _with_people_and_calls(ctx))
    _double_click_first_row(qtbot, tab.table)
    assert len(_open_dialogs(tab, CallDialog)) == 1
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert len(_open_dialogs(tab, CallDialog)) == 1


def test_a_call_dialog_left_behind_does_not_put_old_values_back(
    qtbot: QtBot, ctx: AppContext
) -> None:
    tab = calls_tab(qtbot, ctx, _with_people_and_calls(ctx))
    call = tab.model.rows[0]
    first = CallDialog(ctx, tab.plan, call, tab)  # type: ignore[arg-type]
    second = CallDialog(ctx, tab.plan, call, tab)  # type: ignore[arg-type]
    first.minutes.setValue(60)
    first.submit()
    settle(qtbot, ctx)
    second.title.setText("Kick-off")
    second.submit()
    settle(qtbot, ctx)
    stored = ctx.services.runner.submit(calls.get_call, call.id).result()
    assert stored.minutes == 60 and stored.title == ""
    assert "changed since you opened" in second.form.general_error.text()
    assert not second.reload_button.isHidden() and not second.save_button.isEnabled()
    second.reload_button.click()
    settle(qtbot, ctx)
    assert second.minutes.value() == 60 and second.reload_button.isHidden()
    second.title.setText("Kick-off")
    second.submit()
    settle(qtbot, ctx)
    stored = ctx.services.runner.submit(calls.get_call, call.id).result()
    assert (stored.minutes, stored.title) == (60, "Kick-off")


def test_a_participant_dialog_left_behind_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    tab = roster_tab(qtbot, ctx, _with_people_and_calls(ctx))
    person = tab.model.rows[0]
    first = ParticipantDialog(ctx, person.cohort_id, "America/Vancouver", person, tab)
    second = ParticipantDialog(ctx, person.cohort_id, "America/Vancouver", person, tab)
    first.status.setCurrentIndex(list(IntakeStatus).index(IntakeStatus.WITHDRAWN))
    first.submit()
    settle(qtbot, ctx)
    second.organisation.setText("Tūhono")
    second.submit()
    settle(qtbot, ctx)
    stored = ctx.services.runner.submit(roster.list_participants, person.cohort_id).result()
    mine = next(p for p in stored if p.id == person.id)
    assert mine.status is IntakeStatus.WITHDRAWN and mine.organisation == ""
    assert "changed since you opened" in second.form.general_error.text()
    second.reload_button.click()
    settle(qtbot, ctx)
    assert IntakeStatus(second.status.currentData()) is IntakeStatus.WITHDRAWN


def test_a_cohort_dialog_left_behind_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = new_cohort(ctx)
    view = ctx.services.runner.submit(cohorts.get_cohort, cohort_id).result()
    first, second = CohortDialog(ctx, view), CohortDialog(ctx, view)
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    first.minutes.setValue(60)
    first.submit()
    settle(qtbot, ctx)
    second.focus.setText("Climate")
    second.submit()
    settle(qtbot, ctx)
    stored = ctx.services.runner.submit(cohorts.get_cohort, cohort_id).result()
    assert stored.call_minutes == 60 and stored.focus == ""
    assert not second.reload_button.isHidden()
    second.reload_button.click()
    settle(qtbot, ctx)
    assert second.minutes.value() == 60
    second.focus.setText("Climate")
    second.submit()
    settle(qtbot, ctx)
    stored = ctx.services.runner.submit(cohorts.get_cohort, cohort_id).result()
    assert (stored.call_minutes, stored.focus) == (60, "Climate")


def test_add_call_keeps_its_notes(qtbot: QtBot, ctx: AppContext) -> None:
    tab = calls_tab(qtbot, ctx, _with_people_and_calls(ctx))
    tab.add()
    dialog = tab.dialog
    assert isinstance(dialog, CallDialog)
    dialog.notes.setPlainText("Guest: Dr Ngata joins for the second round")
    dialog.submit()
    settle(qtbot, ctx)
    added = [c for c in tab.model.rows if c.notes]
    assert [c.notes for c in added] == ["Guest: Dr Ngata joins for the second round"]
    # The new call is the one selected once the list has reloaded.
    assert tab.selected() is not None and tab.selected().id == added[0].id


def test_cohort_draft_without_a_version_still_saves(ctx: AppContext) -> None:
    """Scripts and the command line pass no version: nothing changes for them."""
    run = ctx.services.runner.submit
    cohort_id = new_cohort(ctx)
    draft = CohortDraft(
        name="Renamed", home_tz="UTC", start_date=date(2027, 1, 1), end_date=date(2027, 2, 1)
    )
    assert run(cohorts.update_cohort, cohort_id, draft).result().value.name == "Renamed"
    assert datetime(2026, 1, 1, tzinfo=UTC)  # keeps the import used
