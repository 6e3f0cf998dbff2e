"""The Calendar page against a real database on the worker thread (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.services import calls, cohorts, demo
from sanctuary_desktop.services.views import CallView, Topic
from sanctuary_desktop.ui.calendar_page import CalendarPage, chip_text
from sanctuary_desktop.ui.context import AppContext
from tests.ui.conftest import ContextFactory

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # Monday 23 Nov, 10:00 in Vancouver
SAMPLE_TODAY = date(2026, 11, 23)


@pytest.fixture
def calendar_ctx(make_context: ContextFactory) -> AppContext:
    return make_context(NOW)


@pytest.fixture
def sample(calendar_ctx: AppContext) -> list[CallView]:
    """The demo cohort: 7 calls on first Thursdays at 09:00 Vancouver, Aug 2026 to Feb 2027."""
    runner = calendar_ctx.services.runner
    cohort = runner.submit(demo.create_sample, today=SAMPLE_TODAY).result()
    return runner.submit(calls.list_cohort_calls, cohort.id).result()


def add_cohort(
    ctx: AppContext, name: str, home_tz: str, starts: list[datetime], minutes: int = 90
) -> list[CallView]:
    runner = ctx.services.runner
    draft = CohortDraft(
        name=name,
        home_tz=home_tz,
        start_date=date(2026, 9, 1),
        end_date=date(2027, 6, 30),
        call_minutes=minutes,
    )
    cohort = runner.submit(cohorts.create_cohort, draft).result().value
    for start in starts:
        runner.submit(calls.add_call, cohort.id, start, minutes).result()
    return runner.submit(calls.list_cohort_calls, cohort.id).result()


def settle(qtbot: Any, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: ctx.services.idle)


def make_page(qtbot: Any, ctx: AppContext, year: int = 2026, month: int = 11) -> CalendarPage:
    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.show_month(year, month)
    settle(qtbot, ctx)
    return page


def labels_on(page: CalendarPage, day: date) -> list[str]:
    return [c.label for c in page.month_grid.calls_on(day)]


def by_label(rows: list[CallView], label: str) -> CallView:
    return next(c for c in rows if c.label == label)


# -- the month grid ---------------------------------------------------------------------


def test_month_grid_puts_each_call_on_its_local_day(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    grid = page.month_grid
    assert page.title.text() == "November 2026"
    assert page.zone_caption.text() == "Times in Vancouver"
    assert labels_on(page, date(2026, 11, 5)) == ["Call 4 of 7"]
    assert labels_on(page, date(2026, 11, 6)) == []
    # The trailing days of the grid (into December) show their calls too.
    assert labels_on(page, date(2026, 12, 3)) == ["Call 5 of 7"]
    call = grid.calls_on(date(2026, 11, 5))[0]
    assert chip_text(call, page.zone_name) == (
        "09:00 Tending the Commons — peer circle · Call 4 of 7"
    )
    cell = grid.cell_for(date(2026, 11, 5))
    assert cell is not None and cell.in_month and [c.call.id for c in cell.chips] == [call.id]
    assert grid.cell_for(date(2026, 10, 26)) is not None  # Monday-first: starts Mon 26 Oct
    assert len(grid.days()) == 42 and grid.days()[0].weekday() == 0
    assert grid.today == date(2026, 11, 23)
    assert page.status.text() == "1 call in November 2026"


def test_in_auckland_the_call_falls_on_the_next_day(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    calendar_ctx.set_facilitator_zone("Pacific/Auckland")
    page = make_page(qtbot, calendar_ctx)
    assert page.zone_caption.text() == "Times in Auckland"
    assert labels_on(page, date(2026, 11, 5)) == []
    assert labels_on(page, date(2026, 11, 6)) == ["Call 4 of 7"]
    call = page.month_grid.calls_on(date(2026, 11, 6))[0]
    assert chip_text(call, page.zone_name).startswith("06:00 ")  # 09:00 PST = 06:00 NZDT
    assert page.month_grid.today == date(2026, 11, 24)  # already Tuesday in Auckland


def test_changing_the_zone_moves_calls_on_refresh(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx, 2026, 10)
    assert labels_on(page, date(2026, 10, 1)) == ["Call 3 of 7"]
    calendar_ctx.set_facilitator_zone("Pacific/Auckland")
    page.refresh()
    settle(qtbot, calendar_ctx)
    assert labels_on(page, date(2026, 10, 1)) == []
    assert labels_on(page, date(2026, 10, 2)) == ["Call 3 of 7"]  # 05:00 NZDT on Friday
    assert page.zone_caption.text() == "Times in Auckland"


def test_a_full_day_shows_more_and_keeps_chips_inside_cells(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    busy = date(2026, 11, 12)
    starts = [datetime(2026, 11, 12, 15 + n, tzinfo=UTC) for n in range(7)]
    add_cohort(calendar_ctx, "A cohort with a very long name that never fits", "UTC", starts)
    page = make_page(qtbot, calendar_ctx)
    grid = page.month_grid
    cell = grid.cell_for(busy)
    assert cell is not None
    assert len(cell.chips) + len(cell.hidden) == 7
    assert cell.hidden and cell.more_text == f"+{len(cell.hidden)} more"
    assert cell.more_rect is not None and cell.rect.contains(cell.more_rect)
    for each in grid.cells():
        for chip in each.chips:
            assert each.rect.contains(chip.rect)
    # "+N more" lists every call of the day; choosing one opens it.
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=cell.more_rect.center())
    assert grid.more_menu is not None
    actions = grid.more_menu.actions()
    assert len(actions) == 7
    first = grid.calls_on(busy)[0]
    with qtbot.waitSignal(calendar_ctx.events.open_call) as opened:
        actions[0].trigger()
    assert opened.args == [first.cohort_id, first.id]
    grid.more_menu.close()
    # A small window still keeps everything inside its cell.
    page.resize(760, 520)
    for each in grid.cells():
        for chip in each.chips:
            assert each.rect.contains(chip.rect)
        if each.more_rect is not None:
            assert each.rect.contains(each.more_rect)


def test_cancelled_calls_stay_on_the_calendar(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    target = by_label(sample, "Call 4 of 7")
    runner = calendar_ctx.services.runner
    runner.submit(calls.set_cancelled, target.id, True).result()
    calendar_ctx.events.data_changed.emit(frozenset({Topic.CALLS}))
    settle(qtbot, calendar_ctx)
    (shown,) = page.month_grid.calls_on(date(2026, 11, 5))
    assert shown.cancelled and shown.label == "Cancelled call"
    assert "cancelled" in page.status.text()


# -- navigation -------------------------------------------------------------------------


def test_buttons_change_the_month(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    settle(qtbot, calendar_ctx)
    assert page.title.text() == "December 2026"
    assert labels_on(page, date(2026, 12, 3)) == ["Call 5 of 7"]
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.title.text() == "January 2027"
    for _ in range(4):
        qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    settle(qtbot, calendar_ctx)
    assert page.shown_month == (2026, 9)
    assert labels_on(page, date(2026, 9, 3)) == ["Call 2 of 7"]
    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
    settle(qtbot, calendar_ctx)
    assert page.shown_month == (2026, 11)
    assert page.month_grid.selected_day == date(2026, 11, 23)


def test_keys_move_the_day_and_the_month(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    grid = page.month_grid
    grid.setFocus()
    assert grid.selected_day == date(2026, 11, 23)
    for key, expected in [
        (Qt.Key.Key_Left, date(2026, 11, 22)),
        (Qt.Key.Key_Up, date(2026, 11, 15)),
        (Qt.Key.Key_Right, date(2026, 11, 16)),
        (Qt.Key.Key_Down, date(2026, 11, 23)),
        (Qt.Key.Key_Down, date(2026, 11, 30)),
    ]:
        qtbot.keyClick(grid, key)
        assert grid.selected_day == expected
    assert page.shown_month == (2026, 11)
    qtbot.keyClick(grid, Qt.Key.Key_Down)  # out of November: the grid follows
    assert grid.selected_day == date(2026, 12, 7)
    assert page.title.text() == "December 2026"
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert page.shown_month == (2027, 1)
    assert grid.selected_day == date(2027, 1, 7)
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    settle(qtbot, calendar_ctx)
    assert page.title.text() == "November 2026"
    assert "Saturday 7 November 2026" in grid.accessibleDescription()
    # Moving onto a day with a call selects it, so Enter opens it.
    for _ in range(2):
        qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert grid.selected_day == date(2026, 11, 5)
    assert grid.selected_call is not None and grid.selected_call.label == "Call 4 of 7"


def test_only_one_load_in_flight_and_stale_answers_are_dropped(
    qtbot: Any,
    calendar_ctx: AppContext,
    sample: list[CallView],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = make_page(qtbot, calendar_ctx, 2026, 9)
    sent: list[tuple[Any, ...]] = []
    applied: list[list[CallView]] = []
    real_call = calendar_ctx.services.call
    real_set_calls = page.month_grid.set_calls

    def counting_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        return real_call(fn, *args, **kwargs)

    def counting_set_calls(rows: list[CallView], zone_name: str) -> None:
        applied.append(rows)
        real_set_calls(rows, zone_name)

    monkeypatch.setattr(calendar_ctx.services, "call", counting_call)
    monkeypatch.setattr(page.month_grid, "set_calls", counting_set_calls)
    for _ in range(3):
        page.step_month(1)
    assert page.title.text() == "December 2026"
    assert len(sent) <= 2  # the first, and at most one more if the first finished at once
    settle(qtbot, calendar_ctx)
    assert sent[-1] == page.month_range()
    # Only answers for December were shown (30 Nov to 3 Jan): October's and November's
    # were dropped. A slow machine may see December's answer twice, never another month's.
    assert applied
    assert all([c.label for c in rows] == ["Call 5 of 7"] for rows in applied)


# -- the agenda -------------------------------------------------------------------------


def test_agenda_lists_three_months_of_calls_in_order(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    other = add_cohort(
        calendar_ctx,
        "Women leading on climate and nature",
        "America/Toronto",
        [datetime(2026, 12, 1, 17, tzinfo=UTC), datetime(2026, 11, 10, 17, tzinfo=UTC)],
        minutes=120,
    )
    page = make_page(qtbot, calendar_ctx)
    qtbot.mouseClick(page.agenda_button, Qt.MouseButton.LeftButton)
    settle(qtbot, calendar_ctx)
    assert page.mode == CalendarPage.AGENDA
    assert page.stack.currentWidget() is page.agenda_page
    model = page.agenda_model
    rows = model.rows
    assert [c.starts_at for c in rows] == sorted(c.starts_at for c in rows)
    assert [(c.cohort_id == other[0].cohort_id, c.label) for c in rows] == [
        (False, "Call 4 of 7"),
        (True, "Call 1 of 2"),
        (True, "Call 2 of 2"),
        (False, "Call 5 of 7"),
        (False, "Call 6 of 7"),
    ]

    def row_text(row: int) -> list[str]:
        return [model.index(row, col).data() for col in range(model.columnCount())]

    assert row_text(0) == [
        "Thu 5 Nov 2026",
        "09:00–10:30",
        "Tending the Commons — peer circle",
        "Call 4 of 7",
        "90 min",
        "Past",
    ]
    assert row_text(1)[:2] == ["Tue 10 Nov 2026", "09:00–11:00"]
    assert row_text(4)[0] == "Thu 7 Jan 2027"
    assert row_text(4)[-1] == "Upcoming"
    # The first upcoming call (1 Dec) is chosen, ready for Enter.
    assert page.selected_call is not None and page.selected_call.label == "Call 2 of 2"
    assert "from November 2026 to January 2027" in page.status.text()
    # Next month moves the agenda's window on.
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    settle(qtbot, calendar_ctx)
    assert [c.label for c in page.agenda_model.rows] == [
        "Call 2 of 2",
        "Call 5 of 7",
        "Call 6 of 7",
        "Call 7 of 7",
    ]


def test_agenda_shows_a_message_when_empty(qtbot: Any, calendar_ctx: AppContext) -> None:
    page = make_page(qtbot, calendar_ctx)
    page.set_mode(CalendarPage.AGENDA)
    settle(qtbot, calendar_ctx)
    assert page.agenda_page.currentWidget() is page.agenda_empty
    assert "No calls from November 2026 to January 2027" in page.agenda_empty.text()


# -- opening a call ---------------------------------------------------------------------


def test_click_selects_and_double_click_or_enter_opens_in_the_month(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    grid = page.month_grid
    target = by_label(sample, "Call 4 of 7")
    cell = grid.cell_for(date(2026, 11, 5))
    assert cell is not None
    chip = cell.chips[0].rect.center()
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=chip)
    assert grid.selected_day == date(2026, 11, 5)
    assert page.selected_call is not None and page.selected_call.id == target.id
    with qtbot.waitSignal(calendar_ctx.events.open_call) as opened:
        qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=chip)
    assert opened.args == [target.cohort_id, target.id]
    with qtbot.waitSignal(calendar_ctx.events.open_call) as opened:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert opened.args == [target.cohort_id, target.id]
    # A click on an empty part of a day selects the day, not a call.
    empty = grid.cell_for(date(2026, 11, 18))
    assert empty is not None
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=empty.rect.center())
    assert grid.selected_day == date(2026, 11, 18) and grid.selected_call is None


def test_double_click_or_enter_opens_in_the_agenda(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    page.set_mode(CalendarPage.AGENDA)
    settle(qtbot, calendar_ctx)
    view, model = page.agenda, page.agenda_model
    second = model.row_at(1)
    rect = view.visualRect(model.index(1, 3))
    # As a hand does it: the first click of a double-click, then the double-click.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(calendar_ctx.events.open_call) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [second.cohort_id, second.id]
    view.setFocus()
    view.setCurrentIndex(model.index(2, 0))
    third = model.row_at(2)
    with qtbot.waitSignal(calendar_ctx.events.open_call) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [third.cohort_id, third.id]


# -- the change signal ------------------------------------------------------------------


def test_data_changed_reloads_only_for_calls_and_cohorts(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView]
) -> None:
    page = make_page(qtbot, calendar_ctx)
    runner = calendar_ctx.services.runner
    extra = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # 09:00 in Vancouver
    runner.submit(calls.add_call, sample[0].cohort_id, extra, 60).result()
    assert labels_on(page, date(2026, 11, 19)) == []
    calendar_ctx.events.data_changed.emit(frozenset({Topic.PARTICIPANTS}))
    assert calendar_ctx.services.idle  # nothing to reload for participants
    calendar_ctx.events.data_changed.emit(frozenset({Topic.CALLS}))
    settle(qtbot, calendar_ctx)
    assert len(labels_on(page, date(2026, 11, 19))) == 1
    # Archiving a cohort (a COHORTS change) takes its calls off the calendar.
    runner.submit(cohorts.set_archived, sample[0].cohort_id, True).result()
    calendar_ctx.events.data_changed.emit(frozenset({Topic.COHORTS}))
    settle(qtbot, calendar_ctx)
    assert labels_on(page, date(2026, 11, 5)) == []
    assert page.status.text() == "No calls in November 2026"


# -- how it looks -----------------------------------------------------------------------


def test_screenshots(
    qtbot: Any, calendar_ctx: AppContext, sample: list[CallView], themed: None, tmp_path: Path
) -> None:
    """A busy November: three cohorts, a cancelled call, a full day. For a human to look at."""
    toronto = [datetime(2026, 11, 3, 17, tzinfo=UTC) + timedelta(weeks=n) for n in range(4)]
    climate = add_cohort(
        calendar_ctx, "Women leading on climate and nature", "America/Toronto", toronto, 120
    )
    auckland = [datetime(2026, 11, 11, 20, tzinfo=UTC), datetime(2026, 12, 9, 20, tzinfo=UTC)]
    add_cohort(
        calendar_ctx, "Awa Ora river keepers — Aotearoa circle", "Pacific/Auckland", auckland
    )
    busy = [datetime(2026, 11, 19, 15 + 2 * n, tzinfo=UTC) for n in range(3)]
    add_cohort(calendar_ctx, "Just transitions lab", "Europe/London", busy, 60)
    runner = calendar_ctx.services.runner
    runner.submit(calls.set_cancelled, climate[2].id, True).result()

    page = make_page(qtbot, calendar_ctx)
    qtbot.mouseClick(
        page.month_grid,
        Qt.MouseButton.LeftButton,
        pos=page.month_grid.cell_for(date(2026, 11, 10)).chips[0].rect.center(),  # type: ignore[union-attr]
    )
    shots = tmp_path
    assert page.grab().save(str(shots / "calendar_month.png"))
    page.resize(1920, 1080)
    assert page.grab().save(str(shots / "calendar_month_1080.png"))
    page.resize(900, 560)
    assert page.grab().save(str(shots / "calendar_month_small.png"))
    page.resize(1280, 800)
    page.set_mode(CalendarPage.AGENDA)
    settle(qtbot, calendar_ctx)
    assert page.grab().save(str(shots / "calendar_agenda.png"))
