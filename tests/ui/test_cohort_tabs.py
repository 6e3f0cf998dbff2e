"""Roster and Calls tabs driven as a facilitator would."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import TypeVar

import icalendar
from pytestqt.qtbot import QtBot

from sanctuary_desktop.domain.cohort import CohortDraft
from sanctuary_desktop.services import calls, cohorts, roster
from sanctuary_desktop.ui.calls_tab import CallsTab, SeriesDialog
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.roster_tab import CsvImportDialog, ParticipantDialog, RosterTab
from tests.ui.conftest import settle

TabT = TypeVar("TabT", RosterTab, CallsTab)


def new_cohort(ctx: AppContext) -> int:
    draft = CohortDraft(
        name="Kōwhai circle",
        home_tz="America/Vancouver",
        start_date=date(2026, 12, 1),
        end_date=date(2027, 6, 30),
    )
    return ctx.services.runner.submit(cohorts.create_cohort, draft).result().value.id


def load_plan(ctx: AppContext, cohort_id: int) -> object:
    return ctx.services.runner.submit(cohorts.get_plan, cohort_id).result()


def mounted(qtbot: QtBot, tab: TabT, ctx: AppContext, cohort_id: int) -> TabT:
    """A tab fed with the cohort's plan now and after every change, as the page does."""
    qtbot.addWidget(tab)
    tab.set_plan(load_plan(ctx, cohort_id))  # type: ignore[arg-type]
    ctx.events.data_changed.connect(lambda _t: tab.set_plan(load_plan(ctx, cohort_id)))  # type: ignore[arg-type]
    return tab


def roster_tab(qtbot: QtBot, ctx: AppContext, cohort_id: int) -> RosterTab:
    return mounted(qtbot, RosterTab(ctx), ctx, cohort_id)


def test_participant_dialog_shows_errors_beside_fields(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = new_cohort(ctx)
    dialog = ParticipantDialog(ctx, cohort_id, "America/Vancouver")
    qtbot.addWidget(dialog)
    dialog.email.setText("not an email")
    dialog.zone.setEditText("Atlantis")
    dialog.submit()
    assert "must not be empty" in dialog.form.error_text("Name")
    assert "not an email address" in dialog.form.error_text("Email")
    assert "not a known time zone" in dialog.form.error_text("Time zone")
    assert ctx.services.runner.submit(roster.list_participants, cohort_id).result() == []

    dialog.name.setText("Mere Tūhoe-Walker")
    dialog.email.setText("mere@example.org")
    dialog.zone.setEditText("Melbourne")
    dialog.interviewed.setChecked(True)
    dialog.submit()
    settle(qtbot, ctx)
    [saved] = ctx.services.runner.submit(roster.list_participants, cohort_id).result()
    assert saved.name == "Mere Tūhoe-Walker"
    assert saved.time_zone == "Australia/Melbourne"
    assert saved.interview_date == date(2026, 11, 23)


def test_duplicate_email_from_the_database_is_shown_on_the_field(
    qtbot: QtBot, ctx: AppContext
) -> None:
    cohort_id = new_cohort(ctx)
    first = ParticipantDialog(ctx, cohort_id, "Europe/London")
    qtbot.addWidget(first)
    first.name.setText("Siobhán")
    first.email.setText("s@example.ie")
    first.submit()
    settle(qtbot, ctx)
    second = ParticipantDialog(ctx, cohort_id, "Europe/London")
    qtbot.addWidget(second)
    second.name.setText("Someone else")
    second.email.setText("S@example.ie")
    second.submit()
    settle(qtbot, ctx)
    assert "already in this cohort" in second.form.error_text("Email")
    assert second.save_button.isEnabled()


def test_csv_import_previews_then_writes_only_good_rows(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = new_cohort(ctx)
    tab = roster_tab(qtbot, ctx, cohort_id)
    dialog = CsvImportDialog(ctx, cohort_id, "America/Vancouver", set())
    qtbot.addWidget(dialog)
    data = (
        "\ufeffName;Email;Organisation;Time zone;Years in practice\r\n"
        'Aroha Ngātai;aroha@awa.example;"Awa Ora; Trust";Auckland;8\r\n'
        "Amélie Côté;amelie@fleuve.example;Fleuve;America/Toronto;3\r\n"
        ";broken@example.org;;Nowhere;lots\r\n"
    ).encode()
    dialog.load_bytes(data)
    assert dialog.model.rowCount() == 3
    assert "2 people are ready" in dialog.summary.text()
    assert "1 row cannot be imported" in dialog.summary.text()
    assert dialog.import_button.text() == "Import 2 participants"
    # Nothing is written by the preview.
    assert ctx.services.runner.submit(roster.list_participants, cohort_id).result() == []
    dialog.import_rows()
    settle(qtbot, ctx)
    names = [
        p.name for p in ctx.services.runner.submit(roster.list_participants, cohort_id).result()
    ]
    assert names == ["Amélie Côté", "Aroha Ngātai"]
    assert tab.model.rowCount() == 2


def test_csv_file_errors_are_shown_and_block_import(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = CsvImportDialog(ctx, new_cohort(ctx), "UTC", set())
    qtbot.addWidget(dialog)
    dialog.load_bytes(b"Email,Organisation\r\na@b.example,Org\r\n")
    assert "CSV file" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_a_pipe_or_an_oversized_file_is_said_in_plain_words(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    import os

    dialog = CsvImportDialog(ctx, new_cohort(ctx), "UTC", set())
    qtbot.addWidget(dialog)
    pipe = tmp_path / "roster.csv"
    os.mkfifo(pipe)
    dialog.load_file(pipe)  # returns at once: a pipe is never waited on
    assert "CSV file" in dialog.summary.text() and not dialog.import_button.isEnabled()
    big = tmp_path / "big.csv"
    big.write_bytes(b"Name\n" + b"x" * (6 * 2**20))
    dialog.load_file(big)
    assert "larger than" in dialog.summary.text() and not dialog.import_button.isEnabled()


def test_status_filter(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = new_cohort(ctx)
    tab = roster_tab(qtbot, ctx, cohort_id)
    dialog = CsvImportDialog(ctx, cohort_id, "UTC", set())
    qtbot.addWidget(dialog)
    dialog.load_bytes(b"Name,Status\nA,accepted\nB,applied\nC,accepted\n")
    dialog.import_rows()
    settle(qtbot, ctx)
    assert tab.proxy.rowCount() == 3
    tab.status_filter.setCurrentIndex(tab.status_filter.findText("Accepted"))
    assert tab.proxy.rowCount() == 2


def calls_tab(qtbot: QtBot, ctx: AppContext, cohort_id: int) -> CallsTab:
    return mounted(qtbot, CallsTab(ctx), ctx, cohort_id)


def test_series_dialog_previews_and_generates(qtbot: QtBot, ctx: AppContext) -> None:
    cohort_id = new_cohort(ctx)
    tab = calls_tab(qtbot, ctx, cohort_id)
    assert tab.body.currentWidget() is tab.empty
    dialog = SeriesDialog(ctx, tab.plan)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert "First Thursday" in dialog.preview.text()
    assert "Thu 03 Dec 2026, 09:00" in dialog.preview.text()
    dialog.count.setValue(0)
    assert dialog.form.error_text("Count") and not dialog.ok.isEnabled()
    dialog.count.setValue(7)
    assert dialog.ok.isEnabled()
    dialog.submit()
    settle(qtbot, ctx)
    assert tab.model.rowCount() == 7
    assert tab.body.currentWidget() is not tab.empty


def test_cancel_restore_and_export_one_call(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    cohort_id = new_cohort(ctx)
    from sanctuary_desktop.domain.schedule import Cadence, CadenceKind

    cadence = Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=date(2026, 12, 1),
        local_time=time(17, 0),
        zone="America/Vancouver",
        count=3,
        weekday=3,
    )
    ctx.services.runner.submit(calls.generate_series, cohort_id, cadence).result()
    tab = calls_tab(qtbot, ctx, cohort_id)
    tab.select_call(tab.model.rows[1].id)
    tab.toggle_cancel()
    settle(qtbot, ctx)
    assert [c.label for c in tab.model.rows] == ["Call 1 of 2", "Cancelled call", "Call 2 of 2"]
    assert tab.cancel_button.text() == "Restore call"
    # Thursday 17:00 in Vancouver is Friday in Auckland: the side panel says so.
    tab.select_call(tab.model.rows[0].id)
    target = tmp_path / "one.ics"
    tab.write_ics(target, tab.model.rows[0].id)
    settle(qtbot, ctx)
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == 1 and "Saved 1 call" in tab.message.text()
