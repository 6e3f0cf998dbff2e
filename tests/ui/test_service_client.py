"""Answers from the database thread always arrive later, never inside call()."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from pytestqt.qtbot import QtBot

from sanctuary_desktop.ui.events import Events
from sanctuary_desktop.ui.service_client import ServiceClient


class FinishedAtOnce:
    """A runner whose work is done before the caller can even register for the answer."""

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(None, *args, **kwargs))
        return future


def test_an_answer_ready_at_once_is_still_delivered_later(qtbot: QtBot) -> None:
    client = ServiceClient(FinishedAtOnce(), Events())  # type: ignore[arg-type]
    answers: list[int] = []
    client.call(lambda _db, x: x * 2, 21, then=answers.append)
    assert answers == []  # the caller finishes its own work first
    assert not client.idle
    qtbot.waitUntil(lambda: answers == [42], timeout=2000)
    assert client.idle
