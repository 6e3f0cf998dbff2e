"""Importing an archive and restoring a backup, through their dialogs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from sanctuary_desktop.services import archive, backups, cohorts, demo
from sanctuary_desktop.services.archive import ImportChoice
from sanctuary_desktop.ui.data_dialogs import ArchiveImportDialog, RestoreDialog
from tests.ui.conftest import NOW, ContextFactory, settle


def names(ctx: object) -> list[str]:
    runner = ctx.services.runner  # type: ignore[attr-defined]
    return sorted(c.name for c in runner.submit(cohorts.list_cohorts).result())


def test_an_archive_moves_a_cohort_to_another_machine(
    qtbot: QtBot, make_context: ContextFactory, tmp_path: Path
) -> None:
    here, there = make_context(NOW), make_context(NOW)
    here.services.runner.submit(demo.create_sample, today=date(2026, 11, 23)).result()
    file = tmp_path / "circle.sanctuary"
    here.services.runner.submit(archive.export_archive, file).result()

    dialog = ArchiveImportDialog(there, file)
    qtbot.addWidget(dialog)
    settle(qtbot, there)
    assert "holds 1 cohort" in dialog.heading.text()
    assert dialog.choices == {}  # new there: nothing to choose
    dialog.run_import()
    settle(qtbot, there)
    assert dialog.import_result is not None
    assert names(there) == ["Tending the Commons — peer circle"]

    again = ArchiveImportDialog(there, file)
    qtbot.addWidget(again)
    settle(qtbot, there)
    choice = again.choices[0]
    choice.setCurrentIndex(choice.findData(ImportChoice.COPY.value))
    again.run_import()
    settle(qtbot, there)
    assert names(there) == [
        "Tending the Commons — peer circle",
        "Tending the Commons — peer circle (imported)",
    ]


def test_a_file_that_is_not_an_archive_is_refused_in_plain_words(
    qtbot: QtBot, make_context: ContextFactory, tmp_path: Path
) -> None:
    ctx = make_context(NOW)
    file = tmp_path / "shopping.sanctuary"
    file.write_text("milk, eggs, bread", encoding="utf-8")
    dialog = ArchiveImportDialog(ctx, file)
    qtbot.addWidget(dialog)
    settle(qtbot, ctx)
    assert "not a Sanctuary Desktop archive" in dialog.message.text()
    assert not dialog.import_button.isEnabled()
    assert names(ctx) == []


def test_restoring_a_backup_brings_the_data_back(
    qtbot: QtBot, make_context: ContextFactory
) -> None:
    ctx = make_context(NOW)
    runner = ctx.services.runner
    runner.submit(demo.create_sample, today=date(2026, 11, 23)).result()
    runner.submit(backups.take, "manual").result()
    sample = runner.submit(cohorts.list_cohorts).result()[0]
    runner.submit(cohorts.delete_cohort, sample.id).result()
    assert names(ctx) == []

    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    settle(qtbot, ctx)
    assert dialog.model.rowCount() == 1
    chosen = dialog.selected()
    assert chosen is not None and "1 cohort" in chosen.summary
    dialog.restore(chosen)
    settle(qtbot, ctx)
    assert dialog.restored is not None
    assert names(ctx) == ["Tending the Commons — peer circle"]
    # What was there before the restore is itself kept as a backup.
    reasons = [b.reason for b in runner.submit(backups.list_all).result()]
    assert "before-restore" in reasons


def test_backup_times_are_in_the_chosen_zone(qtbot: QtBot, make_context: ContextFactory) -> None:
    ctx = make_context(NOW)
    ctx.set_facilitator_zone("Pacific/Auckland")
    taken = ctx.services.runner.submit(backups.take, "manual").result()
    assert taken is not None
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    settle(qtbot, ctx)
    shown = dialog.model.index(0, 0).data()
    local = taken.taken_at.astimezone(ZoneInfo("Pacific/Auckland"))
    assert shown == f"{local:%a %d %b %Y, %H:%M}"
