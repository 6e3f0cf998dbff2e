"""The Time zones tab: fairness table, meeting planner, suggestions, moving upcoming calls."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QVBoxLayout, QWidget

from sanctuary_desktop.domain import zones
from sanctuary_desktop.domain.cohort import CohortDraft, ParticipantDraft
from sanctuary_desktop.domain.timeplan import alternate_times, fairness
from sanctuary_desktop.services import calls, cohorts, demo, roster
from sanctuary_desktop.services.runner import ServiceRunner
from sanctuary_desktop.services.views import CohortPlan
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.theme import apply_theme
from sanctuary_desktop.ui.timezones_tab import TimeZonesTab, wrap_name
from tests.ui.conftest import ContextFactory

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
VANCOUVER = "America/Vancouver"


@pytest.fixture
def zones_ctx(make_context: ContextFactory) -> AppContext:
    return make_context(NOW)


def runner_of(ctx: AppContext) -> ServiceRunner:
    return ctx.services.runner


def sample_plan(ctx: AppContext) -> CohortPlan:
    runner = runner_of(ctx)
    view = runner.submit(demo.create_sample, today=date(2026, 11, 23)).result()
    return runner.submit(cohorts.get_plan, view.id).result()


def reread(ctx: AppContext, plan: CohortPlan) -> CohortPlan:
    return runner_of(ctx).submit(cohorts.get_plan, plan.cohort.id).result()


def make_tab(qtbot, ctx: AppContext, plan: CohortPlan) -> TimeZonesTab:  # type: ignore[no-untyped-def]
    tab = TimeZonesTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    tab.set_plan(plan)
    return tab


def home_time(call_start: datetime) -> time:
    return call_start.astimezone(zones.zone(VANCOUVER)).time()


def cell(model, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return str(model.data(model.index(row, column)))


def grid_row_at(tab: TimeZonesTab, wanted: time) -> int:
    return next(i for i, r in enumerate(tab._grid_rows) if r.home_start.time() == wanted)


def accept_confirmation(qtbot, tab: TimeZonesTab) -> None:  # type: ignore[no-untyped-def]
    box = tab.confirm_box
    assert box is not None and box.isVisible()
    accept = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    )
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert tab.confirm_box is None


def split(plan: CohortPlan) -> tuple[list, list]:  # type: ignore[type-arg]
    upcoming = [c for c in plan.calls if c.starts_at > NOW]
    held = [c for c in plan.calls if c.starts_at <= NOW]
    return held, upcoming


def test_fairness_table_matches_domain(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    tab = make_tab(qtbot, zones_ctx, plan)
    cohort = plan.cohort
    expected = fairness(
        [c.starts_at for c in plan.calls if not c.cancelled],
        cohort.call_minutes,
        plan.people,
        cohort.waking_hours,
        cohort.home_tz,
    )

    model = tab.fairness_model
    assert model.rowCount() == len(expected) == 8  # the withdrawn participant is not counted
    for number, row in enumerate(expected):
        assert cell(model, number, 0) == row.person.name
        assert row.person.city in cell(model, number, 1)
        assert cell(model, number, 2) == str(row.calls)
        assert cell(model, number, 3) == str(row.early)
        assert cell(model, number, 4) == str(row.late)
        assert cell(model, number, 5) == f"{row.out_of_hours}  ({round(row.share * 100)}%)"
        tint = model.data(model.index(number, 5), Qt.ItemDataRole.BackgroundRole)
        assert (tint is not None) == bool(row.out_of_hours)
    assert cell(model, 0, 0) == "Aroha Ngātai"
    assert cell(model, 0, 5) == "7  (100%)"
    assert tab.fairness_sentence.text().startswith(
        "Aroha Ngātai (Auckland) and Mere Tūhoe-Walker (Melbourne) have every call out of hours"
    )
    assert "07:00–22:00" in tab.hours_caption.text()
    assert "Edit cohort" in tab.hours_caption.text()


def test_planner_shows_auckland_on_the_next_day(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    tab = make_tab(qtbot, zones_ctx, plan)

    # The next call is Thursday 3 December, 09:00 in Vancouver.
    assert tab.date_edit.date().toString("yyyy-MM-dd") == "2026-12-03"
    model = tab.grid_model
    assert model.rowCount() == 24
    headers = [
        str(model.headerData(i, Qt.Orientation.Horizontal)) for i in range(model.columnCount())
    ]
    assert headers[0] == "Out of\nhours"
    assert headers[1:] == [f"{wrap_name(p.name)}\n{p.city}" for p in plan.people]
    assert "Jordan\nWhitehorse\nToronto" in headers
    auckland = next(i for i, h in enumerate(headers) if h.endswith("\nAuckland"))
    vancouver = next(i for i, h in enumerate(headers) if h.endswith("\nVancouver"))
    nine = grid_row_at(tab, time(9))
    assert cell(model, nine, vancouver) == "09:00 Thu"
    assert cell(model, nine, auckland) == "06:00 Fri"
    assert "the next day" in str(
        model.data(model.index(nine, auckland), Qt.ItemDataRole.ToolTipRole)
    )
    assert "current" in str(model.headerData(nine, Qt.Orientation.Vertical))
    assert cell(model, nine, 0) == str(tab._grid_rows[nine].out_of_hours)

    # Another date, chosen by the facilitator, survives a refresh of the plan.
    tab.date_edit.setDate(tab.date_edit.date().addDays(1))
    assert cell(model, nine, vancouver) == "09:00 Fri"
    tab.set_plan(plan)
    assert tab.date_edit.date().toString("yyyy-MM-dd") == "2026-12-04"


def test_planner_row_moves_upcoming_calls_only(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    held, upcoming = split(plan)
    cancelled = upcoming[1]
    runner_of(zones_ctx).submit(calls.set_cancelled, cancelled.id, True).result()
    plan = reread(zones_ctx, plan)
    tab = make_tab(qtbot, zones_ctx, plan)
    assert not tab.use_time_button.isEnabled()

    tab.grid.selectRow(grid_row_at(tab, time(10)))
    assert tab.use_time_button.isEnabled()
    qtbot.mouseClick(tab.use_time_button, Qt.MouseButton.LeftButton)
    assert "2 upcoming calls" in tab.confirm_box.text()  # type: ignore[union-attr]
    with qtbot.waitSignal(zones_ctx.events.data_changed):
        accept_confirmation(qtbot, tab)
    qtbot.waitUntil(lambda: zones_ctx.services.idle)

    after = {c.id: c for c in reread(zones_ctx, plan).calls}
    for call in upcoming:
        if call.id == cancelled.id:
            assert after[call.id].starts_at == call.starts_at
        else:
            assert home_time(after[call.id].starts_at) == time(10)
            assert after[call.id].starts_at.astimezone(zones.zone(VANCOUVER)).date() == (
                call.starts_at.astimezone(zones.zone(VANCOUVER)).date()
            )
    for call in held:
        assert after[call.id].starts_at == call.starts_at
    assert "Moved 2 calls to 10:00" in tab.planner_feedback.text()


def test_cancelling_the_confirmation_changes_nothing(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    tab = make_tab(qtbot, zones_ctx, plan)
    tab.grid.selectRow(grid_row_at(tab, time(12)))
    tab.use_time_button.click()
    box = tab.confirm_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: zones_ctx.services.idle)
    assert [c.starts_at for c in reread(zones_ctx, plan).calls] == [c.starts_at for c in plan.calls]


def test_alternation_applies_to_upcoming_calls(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    held, upcoming = split(plan)
    tab = make_tab(qtbot, zones_ctx, plan)
    alternation = tab._alternation
    assert alternation is not None
    first, second = alternation.first, alternation.second
    text = tab.alternation_label.text()
    assert text.startswith(
        f"Alternate {first:%H:%M} and {second:%H:%M} (Vancouver): the worst share over the "
        "series drops from 100% to "
    )
    promised = text.rsplit(" to ", 1)[1]
    assert tab.suggestions_model.rowCount() == 5
    assert tab.alternate_button.isEnabled()

    qtbot.mouseClick(tab.alternate_button, Qt.MouseButton.LeftButton)
    accept_confirmation(qtbot, tab)
    qtbot.waitUntil(lambda: zones_ctx.services.idle)

    after = {c.id: c for c in reread(zones_ctx, plan).calls}
    home = zones.zone(VANCOUVER)
    days = [c.starts_at.astimezone(home).date() for c in upcoming]
    assert [home_time(after[c.id].starts_at) for c in upcoming] == alternate_times(
        days, first, second
    )
    assert [after[c.id].starts_at.astimezone(home).date() for c in upcoming] == days
    for call in held:
        assert after[call.id].starts_at == call.starts_at
    # The one figure the suggestion gave is what the series has once it is applied.
    tab.set_plan(reread(zones_ctx, plan))
    worst = max(r.share for r in tab._fairness_rows)
    assert promised == f"{round(worst * 100)}%"


def test_selected_suggestion_can_be_used(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    _held, upcoming = split(plan)
    tab = make_tab(qtbot, zones_ctx, plan)
    best = tab._suggestion_rows[0].suggestion.home_time
    assert cell(tab.suggestions_model, 0, 0) == f"{best:%H:%M}"
    assert not tab.use_suggestion_button.isEnabled()
    tab.suggestions_table.selectRow(0)
    tab.use_suggestion_button.click()
    accept_confirmation(qtbot, tab)
    qtbot.waitUntil(lambda: zones_ctx.services.idle)
    after = {c.id: c for c in reread(zones_ctx, plan).calls}
    assert {home_time(after[c.id].starts_at) for c in upcoming} == {best}


def test_no_participants_explains_the_roster(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    runner = runner_of(zones_ctx)
    draft = CohortDraft(
        name="Empty circle",
        home_tz=VANCOUVER,
        start_date=date(2026, 12, 1),
        end_date=date(2027, 6, 1),
    )
    view = runner.submit(cohorts.create_cohort, draft).result().value
    plan = runner.submit(cohorts.get_plan, view.id).result()
    tab = make_tab(qtbot, zones_ctx, plan)
    assert tab.empty_label.isVisible()
    assert "Roster tab" in tab.empty_label.text()
    assert not tab.body.isVisible()


def test_no_calls_explains_the_calls_tab_and_planner_still_works(
    qtbot, zones_ctx: AppContext
) -> None:  # type: ignore[no-untyped-def]
    runner = runner_of(zones_ctx)
    draft = CohortDraft(
        name="New circle",
        home_tz=VANCOUVER,
        start_date=date(2026, 12, 1),
        end_date=date(2027, 6, 1),
    )
    view = runner.submit(cohorts.create_cohort, draft).result().value
    runner.submit(
        roster.add_participant, view.id, ParticipantDraft("Aroha Ngātai", "Pacific/Auckland")
    ).result()
    plan = runner.submit(cohorts.get_plan, view.id).result()
    tab = make_tab(qtbot, zones_ctx, plan)

    assert not tab.empty_label.isVisible()
    assert "Calls tab" in tab.fairness_sentence.text()
    assert not tab.fairness_table.isVisible()
    assert "Calls tab" in tab.suggestions_intro.text()
    assert not tab.suggestions_table.isVisible()
    assert not tab.alternate_button.isVisible()
    # The planner defaults to today in the home zone and still shows local times.
    assert tab.date_edit.date().toString("yyyy-MM-dd") == "2026-11-23"
    assert tab.grid_model.rowCount() == 24
    assert cell(tab.grid_model, grid_row_at(tab, time(9)), 1) == "06:00 Tue"
    tab.grid.selectRow(3)
    assert not tab.use_time_button.isEnabled()
    assert "no upcoming calls" in tab.selection_label.text()


def test_keyboard_and_accessible_names(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, zones_ctx, sample_plan(zones_ctx))
    for widget in (tab.fairness_table, tab.grid, tab.suggestions_table, tab.date_edit):
        assert widget.accessibleName()
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    for table in (tab.fairness_table, tab.grid, tab.suggestions_table):
        assert not table.tabKeyNavigation()
    for button in (tab.use_time_button, tab.use_suggestion_button, tab.alternate_button):
        assert button.text() and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    accessible = tab.grid_model.data(
        tab.grid_model.index(grid_row_at(tab, time(9)), 1), Qt.ItemDataRole.AccessibleTextRole
    )
    assert "reasonable hours" in str(accessible)


def test_screenshot(qtbot, zones_ctx: AppContext, qapp: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    style, palette, sheet, font = (
        qapp.style().name(),
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
    )
    apply_theme(qapp)
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        tab = TimeZonesTab(zones_ctx)
        layout.addWidget(tab)
        holder.resize(1280, 800)
        holder.show()
        tab.set_plan(sample_plan(zones_ctx))
        qtbot.waitExposed(holder)
        tab.grid.selectRow(grid_row_at(tab, time(10)))
        content = tab.scroll_area.widget()
        qtbot.waitUntil(lambda: content.height() >= content.minimumSizeHint().height())
        shots = tmp_path
        assert holder.grab().save(str(shots / "timezones.png"))
        assert content.grab().save(str(shots / "timezones_full.png"))
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_planner_headers_are_whole_and_stay_in_view(qtbot, zones_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    plan = sample_plan(zones_ctx)
    tab = make_tab(qtbot, zones_ctx, plan)
    QApplication.processEvents()
    grid, model = tab.grid, tab.grid_model
    header = grid.horizontalHeader()
    metrics = header.fontMetrics()
    for section in range(model.columnCount()):
        text = str(model.headerData(section, Qt.Orientation.Horizontal))
        widest = max(metrics.horizontalAdvance(line) for line in text.splitlines())
        assert widest <= header.sectionSize(section), f"{text!r} is cut"
    # The rows scroll under the header, which never leaves the grid.
    assert grid.height() < grid.verticalHeader().length()
    assert grid.verticalScrollBar().maximum() > 0
    # The upcoming calls' time is in view without scrolling.
    nine = grid_row_at(tab, time(9))
    assert grid.rowViewportPosition(nine) >= 0
    assert grid.rowViewportPosition(nine) < grid.viewport().height()


def test_long_names_break_between_words_or_after_a_hyphen() -> None:
    assert wrap_name("Mere Tūhoe-Walker") == "Mere Tūhoe-\nWalker"
    assert wrap_name("Aroha Ngātai") == "Aroha\nNgātai"
    assert wrap_name("佐藤花子") == "佐藤花子"
    assert all(len(wrap_name(n).splitlines()) <= 2 for n in ("A B C D E F G H", "x" * 40))
