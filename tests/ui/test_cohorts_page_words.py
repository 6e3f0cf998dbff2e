"""Issue 13: the sample is not copied without asking; a new cohort opens on its Roster;
counts say "1 person", never "1 people"."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import CohortDraft, ParticipantDraft
from sanctuary_desktop.services import cohorts, roster
from sanctuary_desktop.services.cohort_list import CohortSummary
from sanctuary_desktop.ui.cohort_dialogs import CohortDialog
from sanctuary_desktop.ui.cohorts_page import summary_text
from sanctuary_desktop.ui.context import AppContext
from tests.ui.conftest import settle
from tests.ui.test_main_window import add_sample, open_window


def _names(ctx: AppContext) -> list[str]:
    return [c.name for c in ctx.services.runner.submit(cohorts.list_cohorts).result()]


def test_opening_the_sample_again_opens_it_and_asks_before_a_copy(
    qtbot: QtBot, ctx: AppContext
) -> None:
    sample_id = add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    page.open_sample()
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.plan is not None and page.plan.cohort.id == sample_id)
    assert len(_names(ctx)) == 1
    box = page.sample_box
    assert "already here" in box.text()
    assert box.defaultButton().text() == "Keep this one"
    box.defaultButton().click()
    settle(qtbot, ctx)
    assert len(_names(ctx)) == 1
    # Asked again, the facilitator can still make a fresh copy on purpose.
    page.open_sample()
    settle(qtbot, ctx)
    copy = next(b for b in page.sample_box.buttons() if b.text() == "Add another copy")
    copy.click()
    settle(qtbot, ctx)
    assert len(_names(ctx)) == 2


def test_a_new_cohort_opens_on_its_roster(qtbot: QtBot, ctx: AppContext) -> None:
    add_sample(ctx)
    window = open_window(qtbot, ctx)
    page = window.cohorts_page
    qtbot.waitUntil(lambda: page.plan is not None)
    page.tabs.setCurrentWidget(page.calls_tab)  # where the last cohort was left
    page.new_cohort()
    dialog = next(d for d in page._dialogs if isinstance(d, CohortDialog))
    dialog.name.setText("Kōwhai circle")
    dialog.submit()
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.plan is not None and page.plan.cohort.name == "Kōwhai circle")
    assert page.tabs.currentWidget() is page.roster_tab


def test_counts_are_singular_for_one(ctx: AppContext) -> None:
    run = ctx.services.runner.submit
    draft = CohortDraft(
        name="Solo", home_tz="UTC", start_date=date(2027, 1, 1), end_date=date(2027, 6, 1)
    )
    cohort_id = run(cohorts.create_cohort, draft).result().value.id
    run(roster.add_participant, cohort_id, ParticipantDraft(name="Aroha", time_zone="UTC"))
    [row] = run(cohorts.list_cohorts).result()
    assert isinstance(row, CohortSummary)
    text = summary_text(row, "UTC")
    assert "1 person ·" in text and "0 calls" in text
