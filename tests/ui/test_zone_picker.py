"""The zone picker offers what the zone search finds as the facilitator types."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sanctuary_desktop.ui.widgets import ZonePicker


def offered(picker: ZonePicker) -> list[str]:
    completer = picker.completer()
    assert completer is not None
    model = completer.model()
    return [str(model.index(i, 0).data()) for i in range(model.rowCount())]


def picker_typing(qtbot: QtBot, text: str) -> ZonePicker:
    picker = ZonePicker()
    qtbot.addWidget(picker)
    picker.show()
    line = picker.lineEdit()
    assert line is not None
    line.clear()
    qtbot.keyClicks(line, text)
    return picker


def test_cities_and_abbreviations_are_offered(qtbot: QtBot) -> None:
    # QTest types ASCII only; the search folds "Montréal" to this (see test_zones).
    picker = picker_typing(qtbot, "Montreal")
    assert offered(picker)[0].endswith("— America/Toronto")
    assert picker.zone_name() == "America/Toronto"
    picker = picker_typing(qtbot, "NZST")
    assert offered(picker)[0].endswith("— Pacific/Auckland")
    assert picker.zone_name() == "Pacific/Auckland"
    picker = picker_typing(qtbot, "Aukland")
    assert offered(picker)[0].endswith("— Pacific/Auckland"), "a slip is forgiven in the list"
    assert picker.zone_name() == "Aukland", "but not taken silently"


def test_picking_from_the_list_gives_its_zone(qtbot: QtBot) -> None:
    picker = picker_typing(qtbot, "Wellington")
    popup = picker.completer().popup()  # type: ignore[union-attr]
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.zone_name() == "Pacific/Auckland"


def test_unknown_text_stays_for_validation_to_name(qtbot: QtBot) -> None:
    picker = picker_typing(qtbot, "Qwxyz")
    assert offered(picker) == []
    assert picker.zone_name() == "Qwxyz"
    picker = picker_typing(qtbot, "Atlantis")  # offered as Atlantic time, never taken as it
    assert picker.zone_name() == "Atlantis"


def test_the_picker_does_not_widen_its_dialog(qtbot: QtBot) -> None:
    picker = ZonePicker()
    qtbot.addWidget(picker)
    assert picker.sizeHint().width() < 600
