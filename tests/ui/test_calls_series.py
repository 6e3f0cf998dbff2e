"""Issue 13: Generate series from today plans no call that is already past, unless asked."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.services import calls, cohorts
from sanctuary_desktop.ui.calls_tab import CallsTab, SeriesDialog
from tests.ui.conftest import ContextFactory, settle

# Thursday 3 Dec 2026, 10:00 in Vancouver: the cohort's 09:00 Thursday call has passed.
THURSDAY_MORNING = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


def test_series_from_today_starts_at_the_next_call_to_come(
    qtbot: QtBot, make_context: ContextFactory
) -> None:
    ctx = make_context(THURSDAY_MORNING)
    draft = CohortDraft(
        name="Started",
        home_tz="America/Vancouver",
        start_date=date(2026, 11, 1),
        end_date=date(2027, 6, 30),
    )
    cohort_id = ctx.services.runner.submit(cohorts.create_cohort, draft).result().value.id
    plan = ctx.services.runner.submit(cohorts.get_plan, cohort_id).result()
    tab = CallsTab(ctx)
    qtbot.addWidget(tab)
    tab.set_plan(plan)
    dialog = SeriesDialog(ctx, plan, tab)
    dialog.kind.setCurrentIndex(1)  # weekly, on Thursdays, at 09:00
    assert dialog.first.date() == QDate(2026, 12, 3)
    assert "Thu 10 Dec 2026, 09:00" in dialog.preview.text()
    assert "03 Dec" not in dialog.preview.text() and "already past" not in dialog.preview.text()
    dialog.submit()
    settle(qtbot, ctx)
    views = ctx.services.runner.submit(calls.list_cohort_calls, cohort_id).result()
    assert len(views) == 7 and all(v.starts_at > THURSDAY_MORNING for v in views)


def test_a_past_first_date_is_taken_and_the_facilitator_is_told(
    qtbot: QtBot, make_context: ContextFactory
) -> None:
    ctx = make_context(THURSDAY_MORNING)
    draft = CohortDraft(
        name="Started",
        home_tz="America/Vancouver",
        start_date=date(2026, 11, 1),
        end_date=date(2027, 6, 30),
    )
    cohort_id = ctx.services.runner.submit(cohorts.create_cohort, draft).result().value.id
    plan = ctx.services.runner.submit(cohorts.get_plan, cohort_id).result()
    dialog = SeriesDialog(ctx, plan)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(1)
    dialog.first.setDate(QDate(2026, 11, 26))
    text = dialog.preview.text()
    assert "Thu 26 Nov 2026, 09:00" in text and "Thu 03 Dec 2026, 09:00" in text
    assert "The first 2 calls are already past and will be counted as held" in text
