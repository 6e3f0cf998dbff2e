"""The video link in the windows: the cohort dialog and the call dialog take it (errors
beside the field, nothing written), and the live window copies the call's link (its own,
else the cohort's) to the real clipboard, saying so; with none, the button is disabled
and its tooltip says where to add one."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.services import calls, cohorts
from sanctuary_desktop.services.views import CohortPlan
from sanctuary_desktop.ui.calls_tab import CallDialog
from sanctuary_desktop.ui.cohort_dialogs import CohortDialog
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.live_window import LiveWindow
from tests.ui.conftest import settle
from tests.ui.test_live_window import HeardSounds

ZOOM = "https://us02web.zoom.us/j/81234567890?pwd=QWxhZ2FyY2hpYmFsZA"
JITSI = "https://meet.jit.si/kowhai-circle-march"


def run(ctx: AppContext, fn: object, *args: object, **kwargs: object) -> object:
    return ctx.services.runner.submit(fn, *args, **kwargs).result()  # type: ignore[arg-type]


def a_cohort(ctx: AppContext, link: str = ZOOM) -> int:
    draft = CohortDraft(
        name="Kōwhai circle",
        home_tz="Pacific/Auckland",
        start_date=date(2026, 12, 1),
        end_date=date(2027, 6, 30),
        video_link=link,
    )
    return run(ctx, cohorts.create_cohort, draft).value.id  # type: ignore[attr-defined]


def a_call(ctx: AppContext, cohort_id: int, link: str = "") -> int:
    start = ctx.clock() + timedelta(days=3)
    return run(ctx, calls.add_call, cohort_id, start, 90, video_link=link).value.id  # type: ignore[attr-defined]


def plan_of(ctx: AppContext, cohort_id: int) -> CohortPlan:
    plan = run(ctx, cohorts.get_plan, cohort_id)
    assert isinstance(plan, CohortPlan)
    return plan


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SANCTUARY_SHOTS", str(tmp_path)))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_cohort_dialog_saves_a_link_and_refuses_a_bad_one_beside_the_field(
    qtbot: QtBot, ctx: AppContext
) -> None:
    cohort_id = a_cohort(ctx, link="")
    dialog = CohortDialog(ctx, plan_of(ctx, cohort_id).cohort)
    qtbot.addWidget(dialog)
    assert dialog.video_link.text() == ""
    dialog.video_link.setText("zoom.us/j/81234567890")
    dialog.submit()
    settle(qtbot, ctx)
    assert "starting with https://" in dialog.form.error_text("Video link")
    assert plan_of(ctx, cohort_id).cohort.video_link == ""

    dialog.video_link.setText(f"  {ZOOM} ")
    dialog.submit()
    settle(qtbot, ctx)
    assert dialog.form.error_text("Video link") == ""
    assert plan_of(ctx, cohort_id).cohort.video_link == ZOOM
    again = CohortDialog(ctx, plan_of(ctx, cohort_id).cohort)
    qtbot.addWidget(again)
    assert again.video_link.text() == ZOOM


def test_the_call_dialog_takes_the_calls_own_link_over_the_cohorts(
    qtbot: QtBot, ctx: AppContext
) -> None:
    cohort_id = a_cohort(ctx)
    call_id = a_call(ctx, cohort_id)
    plan = plan_of(ctx, cohort_id)
    call = next(c for c in plan.calls if c.id == call_id)
    dialog = CallDialog(ctx, plan, call)
    qtbot.addWidget(dialog)
    assert dialog.video_link.text() == ""
    assert ZOOM in dialog.video_link.placeholderText()  # empty means the cohort's
    dialog.video_link.setText("https://meet.jit.si/a b")
    dialog.submit()
    settle(qtbot, ctx)
    assert "without spaces" in dialog.form.error_text("Video link")
    assert run(ctx, calls.get_call, call_id).video_link == ""  # type: ignore[attr-defined]

    dialog.video_link.setText(JITSI)
    dialog.submit()
    settle(qtbot, ctx)
    saved = run(ctx, calls.get_call, call_id)
    assert (saved.video_link, saved.join_link) == (JITSI, JITSI)  # type: ignore[attr-defined]

    # A new call takes a link too.
    added = CallDialog(ctx, plan_of(ctx, cohort_id))
    qtbot.addWidget(added)
    added.video_link.setText("https://whereby.com/kowhai")
    added.submit()
    settle(qtbot, ctx)
    links = {c.video_link for c in plan_of(ctx, cohort_id).calls}
    assert links == {JITSI, "https://whereby.com/kowhai"}


def open_live(qtbot: QtBot, ctx: AppContext, call_id: int) -> LiveWindow:
    starts = run(ctx, calls.get_call, call_id).starts_at  # type: ignore[attr-defined]
    ctx.clock = ManualClock(starts - timedelta(minutes=1))
    window = LiveWindow(ctx, call_id, sounds=HeardSounds())
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, ctx)
    assert window.call is not None
    return window


def test_the_live_window_copies_the_calls_link_and_says_so(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = a_cohort(ctx)
    own = a_call(ctx, cohort_id, link=JITSI)
    window = open_live(qtbot, ctx, own)
    QApplication.clipboard().setText("something else")
    assert window.copy_link.isEnabled() and window.copy_link_action.isEnabled()
    assert JITSI in window.copy_link.toolTip()
    window.copy_link.click()
    assert QApplication.clipboard().text() == JITSI
    assert window.statusBar().currentMessage() == f"Video link copied: {JITSI}"
    window.close()

    # A call without its own link is joined by the cohort's.
    borrowed = a_call(ctx, cohort_id)
    window = open_live(qtbot, ctx, borrowed)
    window.copy_link_action.trigger()
    assert QApplication.clipboard().text() == ZOOM


def test_without_a_link_the_button_is_disabled_and_says_where_to_add_one(
    qtbot: QtBot, ctx: AppContext
) -> None:
    cohort_id = a_cohort(ctx, link="")
    window = open_live(qtbot, ctx, a_call(ctx, cohort_id))
    assert not window.copy_link.isEnabled() and not window.copy_link_action.isEnabled()
    assert "no video link" in window.copy_link.toolTip()
    QApplication.clipboard().setText("kept")
    window.copy_video_link()  # a stray call changes nothing
    assert QApplication.clipboard().text() == "kept"
    assert window.statusBar().currentMessage() == ""


def test_screenshots(qtbot: QtBot, ctx: AppContext, themed: None, tmp_path: Path) -> None:
    folder = shots(tmp_path)
    cohort_id = a_cohort(ctx)
    call_id = a_call(ctx, cohort_id, link=JITSI)
    dialog = CohortDialog(ctx, plan_of(ctx, cohort_id).cohort)
    qtbot.addWidget(dialog)
    dialog.video_link.setText("zoom.us/j/81234567890")
    dialog.submit()
    settle(qtbot, ctx)
    dialog.show()
    QApplication.processEvents()
    # The zone picker's size hint is 2,000 pixels wide under the theme: the width a
    # facilitator would give the dialog on a 1280x800 screen.
    dialog.resize(720, max(dialog.sizeHint().height(), dialog.layout().totalHeightForWidth(720)))
    QApplication.processEvents()
    assert dialog.grab().save(str(folder / "cohort_dialog_video_link.png"))

    plan = plan_of(ctx, cohort_id)
    call_dialog = CallDialog(ctx, plan, next(c for c in plan.calls if c.id == call_id))
    qtbot.addWidget(call_dialog)
    call_dialog.show()
    QApplication.processEvents()
    call_dialog.resize(call_dialog.sizeHint().expandedTo(call_dialog.size()))
    QApplication.processEvents()
    assert call_dialog.grab().save(str(folder / "call_dialog_video_link.png"))

    window = open_live(qtbot, ctx, call_id)
    window.resize(1280, 800)
    window.copy_link.click()
    QApplication.processEvents()
    assert window.grab().save(str(folder / "live_window_video_link.png"))
    assert (window.width(), window.height()) == (1280, 800)
    assert isinstance(ctx.clock(), datetime)
