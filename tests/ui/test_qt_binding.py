"""Guards against a Qt binding that corrupts reference counts (PySide6 6.12.0 did).

Each call of a method returning nothing released None once too often; a timer that
repaints a few times a second would bring the app down within minutes.

Only the binding's own calls run between the two counts: no events are processed there,
since the app's timers (the GUI-thread garbage collector among them) would free objects
holding None and make the count fall for reasons of their own."""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

CALLS = 2000


def test_void_methods_do_not_release_none(qtbot: QtBot, qapp: QApplication) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qapp.processEvents()
    collecting = gc.isenabled()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for _ in range(CALLS):
            widget.update()
            widget.resize(200, 100)
            widget.setEnabled(True)
        after = sys.getrefcount(None)
    finally:
        if collecting:
            gc.enable()
    # The bug lost one reference per call: thousands. A handful either way is noise.
    assert after >= before - 100
