from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sanctuary_desktop.services import calls, cohorts, demo, roster
from sanctuary_desktop.ui.cohort_dialogs import CohortDialog
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.main_window import MainWindow
from tests.ui.conftest import settle


def open_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    settle(qtbot, ctx)
    return window


def add_sample(ctx: AppContext) -> int:
    return ctx.services.runner.submit(demo.create_sample, today=date(2026, 11, 23)).result().id


def test_first_run_offers_the_sample(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    assert page.right.currentWidget() is page.welcome
    qtbot.mouseClick(page.welcome.sample_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.plan is not None)
    settle(qtbot, ctx)
    assert page.right.currentWidget() is page.detail
    assert page.plan is not None and page.plan.cohort.name.startswith("Tending the Commons")
    assert page.roster_tab.model.rowCount() == 9
    assert page.calls_tab.model.rowCount() == 7


def test_new_cohort_dialog_validates_then_creates(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    page.new_cohort()
    dialog = next(d for d in page._dialogs if isinstance(d, CohortDialog))
    dialog.name.setText("   ")
    dialog.minutes.setValue(0)
    dialog.submit()
    assert "must not be empty" in dialog.form.error_text("Name")
    assert dialog.form.error_text("Call length")
    assert ctx.services.runner.submit(cohorts.list_cohorts).result() == []
    dialog.name.setText("Kōwhai circle")
    dialog.minutes.setValue(90)
    dialog.zone.setEditText("Auckland")
    dialog.submit()
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.plan is not None)
    assert page.plan is not None
    assert page.plan.cohort.name == "Kōwhai circle"
    assert page.plan.cohort.home_tz == "Pacific/Auckland"


def test_open_call_from_elsewhere_selects_it(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = add_sample(ctx)
    third = ctx.services.runner.submit(calls.list_cohort_calls, cohort_id).result()[2]
    window = open_window(qtbot, ctx)
    window.show_page(1)
    ctx.events.open_call.emit(cohort_id, third.id)
    settle(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.calls_tab.selected() is not None)
    assert window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is page.calls_tab
    selected = page.calls_tab.selected()
    assert selected is not None and selected.id == third.id
    # The side panel shows the call in every participant's own time.
    names = {s.person.name for s in page.calls_tab.slot_model.rows}
    assert "Aroha Ngātai" in names


def test_archive_and_delete_after_confirmation(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    page.toggle_archive()
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.plan is not None and page.plan.cohort.archived)
    page.confirm_delete()
    box = page.delete_box
    box.reject()  # Cancel leaves everything alone
    settle(qtbot, ctx)
    assert ctx.services.runner.submit(cohorts.list_cohorts).result()
    page.confirm_delete()
    box = page.delete_box
    delete = next(b for b in box.buttons() if b.text() == "Delete cohort")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert ctx.services.runner.submit(cohorts.list_cohorts).result() == []
    assert ctx.services.runner.submit(roster.list_participants, cohort_id).result() == []


def test_window_state_survives_restart_and_a_broken_value(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    window.show_page(1)
    window.save_state()
    window.close()
    again = open_window(qtbot, ctx)
    assert again.stack.currentIndex() == 1
    ctx.settings.setValue(ctx.setting_key("window/geometry"), b"\x00garbage")
    ctx.settings.setValue(ctx.setting_key("window/page"), "nonsense")
    third = open_window(qtbot, ctx)
    assert third.stack.currentIndex() == 0


def test_every_interactive_widget_has_an_accessible_name(qtbot: QtBot, ctx: AppContext) -> None:
    add_sample(ctx)
    window = open_window(qtbot, ctx)
    qtbot.waitUntil(lambda: window.cohorts_page.plan is not None)
    settle(qtbot, ctx)
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
    )

    interactive = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit)
    unnamed = [
        f"{type(w).__name__} {w.objectName()}"
        for w in window.findChildren(QWidget)
        if isinstance(w, interactive)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not (w.accessibleName() or getattr(w, "text", lambda: "")())
        and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))
        and w.isVisibleTo(window)
    ]
    assert unnamed == []
    # Opening the window opens no dialog of its own.
    assert not [w for w in window.findChildren(QDialog) if w.isVisible()]


def test_a_first_look_shows_the_list_then_finish_building_loads_the_rest(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from datetime import UTC, datetime

    from sanctuary_desktop.services.cohort_list import first_look

    cohort_id = add_sample(ctx)
    database = ctx.data_dir / "sanctuary.db"
    rows = first_look(database, datetime.now(UTC), include_archived=False)
    assert rows is not None and [r.id for r in rows] == [cohort_id]
    submitted: list[object] = []
    real_call = ctx.services.call
    ctx.services.call = lambda fn, *a, **k: submitted.append(fn) or real_call(fn, *a, **k)  # type: ignore[method-assign]

    window = MainWindow(ctx, first_look=rows)
    qtbot.addWidget(window)
    page = window.cohorts_page
    assert submitted == []  # nothing waits on the database before the first paint
    assert page.detail is None and page.right.currentWidget() is page.loading
    assert page.model.rowCount() == 1 and page.list.currentIndex().row() == 0
    assert list(window.pages) == [0]  # the other pages are made when first opened

    window.finish_building()
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.plan is not None)
    assert page.right.currentWidget() is page.detail
    assert page.plan is not None and page.plan.cohort.id == cohort_id
    assert page.roster_tab.model.rowCount() == 9
    window.finish_building()  # a second call changes nothing
    assert page.right.count() == 3


def test_pages_are_made_on_first_use_and_the_page_is_remembered(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = open_window(qtbot, ctx)
    assert list(window.pages) == [0]
    window.show_page(2)
    assert window.stack.currentWidget() is window.protocols_page
    assert sorted(window.pages) == [0, 2]
    window.close()
    again = open_window(qtbot, ctx)
    assert again.sidebar.currentRow() == 2
    assert again.stack.currentWidget() is again.protocols_page


def test_the_system_zone_is_asked_again_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    """A facilitator who never chose a zone and travels with the laptop open."""
    from sanctuary_desktop.ui import context

    zones = iter([b"Europe/Paris", b"Asia/Tokyo"])

    class System:
        @staticmethod
        def systemTimeZoneId() -> QByteArray:
            return QByteArray(next(zones))

    clock = [1000.0]
    monkeypatch.setattr(context, "QTimeZone", System)
    monkeypatch.setattr(context.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(context, "_system_zone", None)
    assert context.system_zone() == "Europe/Paris"
    clock[0] += 30
    assert context.system_zone() == "Europe/Paris"  # asked once, not on every call
    clock[0] += context.SYSTEM_ZONE_FRESH_S
    assert context.system_zone() == "Asia/Tokyo"


def test_a_person_from_search_opens_on_the_roster_selected(qtbot: QtBot, ctx: AppContext) -> None:
    from sanctuary_desktop.domain.cohort import IntakeStatus
    from sanctuary_desktop.services import cohorts

    cohort_id = add_sample(ctx)
    plan = ctx.services.runner.submit(cohorts.get_plan, cohort_id).result()
    withdrawn = next(p for p in plan.participants if p.status is not IntakeStatus.ACCEPTED)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    window.show_page(1)  # somewhere else, as Search would be
    roster = page.roster_tab
    roster.status_filter.setCurrentIndex(roster.status_filter.findText("Accepted"))
    ctx.events.open_participant.emit(cohort_id, withdrawn.id)
    settle(qtbot, ctx)
    assert window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is roster
    chosen = roster.selected()
    assert chosen is not None and chosen.id == withdrawn.id, "shown although filtered out"


def test_a_refusal_nobody_shows_is_never_silent(qtbot: QtBot, ctx: AppContext) -> None:
    from sanctuary_desktop.domain.errors import ValidationError

    window = open_window(qtbot, ctx)

    def refuse(_db: object) -> None:
        raise ValidationError.single("Call", "is under way live: finish the live call first")

    ctx.services.call(refuse)  # no failed= callback
    settle(qtbot, ctx)
    box = window.refusal_box
    assert box.isVisible() and "finish the live call first" in box.text()
    assert "Nothing was changed" in box.informativeText()
    box.close()


def test_unsaved_protocol_edits_are_said_and_kept_when_leaving(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from PySide6.QtTest import QTest

    from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
    from sanctuary_desktop.ui.main_window import CALENDAR, PROTOCOLS

    window = open_window(qtbot, ctx)
    window.show_page(PROTOCOLS)
    page = window.protocols_page
    settle(qtbot, ctx)
    page.select_protocol(DEFAULT_PROTOCOL_KEY)
    page.duplicate_button.click()
    settle(qtbot, ctx)
    page.name_edit.setFocus()
    QTest.keyClicks(page.name_edit, " again")
    assert window.status.text().startswith("Unsaved changes to a protocol")
    window.show_page(CALENDAR)  # the sidebar, as a click would
    assert window.stack.currentWidget() is page, "stays until the edits are saved or let go"
    box = page.unsaved_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.stack.currentWidget() is page and page.has_unsaved()
    window.close()
    assert window.isVisible(), "closing asks too"
    page.unsaved_box.button(QMessageBox.StandardButton.Save).click()  # type: ignore[union-attr]
    settle(qtbot, ctx)
    assert not window.isVisible()
    assert window.status.text().startswith("Saved")


def test_timer_keys_and_note_autosaves_do_not_reload_the_cohorts(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from sanctuary_desktop.services.views import Topic

    add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    settle(qtbot, ctx)
    asked: list[str] = []
    real_call = ctx.services.call

    def counting(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(fn.__name__)
        return real_call(fn, *args, **kwargs)

    ctx.services.call = counting  # type: ignore[method-assign]
    for topics in ({Topic.LIVE}, {Topic.NOTES}, {Topic.LIVE, Topic.NOTES}):
        ctx.events.data_changed.emit(frozenset(topics))
    settle(qtbot, ctx)
    assert "list_cohorts" not in asked and "get_plan" not in asked
    ctx.events.data_changed.emit(frozenset({Topic.LIVE, Topic.CALLS}))  # a run finished
    settle(qtbot, ctx)
    assert "list_cohorts" in asked and "get_plan" in asked
