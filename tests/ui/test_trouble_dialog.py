"""The start-up trouble dialog offers the restore where a backup puts the trouble right."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sanctuary_desktop.services.opening import OpeningProblem, Trouble
from sanctuary_desktop.store.backups import BackupInfo
from sanctuary_desktop.ui.trouble_dialog import TroubleDialog


def backup(tmp_path: Path) -> BackupInfo:
    return BackupInfo(
        path=tmp_path / "sanctuary-20261201T090000000000Z-startup.db",
        taken_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        reason="startup",
        size=4096,
        schema="0004",
        cohorts=1,
        participants=9,
        calls=7,
        notes=12,
        ok=True,
    )


@pytest.mark.parametrize(
    ("trouble", "offered"),
    [
        (Trouble.EMPTY, True),
        (Trouble.MISSING, True),
        (Trouble.NOT_A_DATABASE, True),
        (Trouble.DAMAGED, True),
        (Trouble.FOREIGN, False),
        (Trouble.READ_ONLY, False),
        (Trouble.NO_ACCESS, False),
        (Trouble.DISK_FULL, False),
    ],
)
def test_restore_is_offered_for_the_troubles_a_backup_puts_right(
    qtbot: QtBot, tmp_path: Path, trouble: Trouble, offered: bool
) -> None:
    dialog = TroubleDialog(
        OpeningProblem(trouble, "detail"), tmp_path / "sanctuary.db", backup(tmp_path)
    )
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isVisibleTo(dialog) is offered
    if offered:
        assert "1 cohort" in dialog.restore_button.toolTip()
