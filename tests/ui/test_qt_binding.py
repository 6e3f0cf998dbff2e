"""Guards against a Qt binding that corrupts reference counts (PySide6 6.12.0 did).

Each call of a method returning nothing released None once too often; a timer that
repaints a few times a second would bring the app down within minutes."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def test_void_methods_do_not_release_none(qtbot: QtBot, qapp: QApplication) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
        widget.resize(200, 100)
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 100
