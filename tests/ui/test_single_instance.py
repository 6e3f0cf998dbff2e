"""One copy per data folder: a second launch finds the first, even one still starting."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtNetwork import QLocalServer

from sanctuary_desktop.ui.single_instance import SingleInstance, channel_name


def test_a_second_launch_waits_for_a_first_copy_that_listens_late(tmp_path: Path) -> None:
    """The first copy listens only after its first paint; a launch just before that
    keeps asking instead of saying the folder is taken by a copy it cannot reach."""

    def first_copy_listens_late() -> None:
        server = QLocalServer()
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(channel_name(tmp_path))
        assert server.listen(channel_name(tmp_path))
        asked.wait(10)  # the connection stays open until the second launch is done
        server.close()

    asked = threading.Event()
    timer = threading.Timer(0.4, first_copy_listens_late)
    timer.start()
    second = SingleInstance(tmp_path)
    started = time.monotonic()
    try:
        assert second.ask_holder_to_come_forward(patience_ms=5000)
    finally:
        asked.set()
        timer.join(10)
    assert time.monotonic() - started >= 0.4  # it kept asking until the first copy listened


def test_nobody_listening_gives_up_after_its_patience(tmp_path: Path) -> None:
    second = SingleInstance(tmp_path)
    assert not second.ask_holder_to_come_forward(patience_ms=300)
