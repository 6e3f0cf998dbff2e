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


def test_an_answer_for_a_closed_widget_is_dropped_but_its_changes_announced(
    qtbot: QtBot,
) -> None:
    from functools import partial

    from PySide6.QtWidgets import QLabel
    from shiboken6 import Shiboken

    from sanctuary_desktop.services.views import Outcome, Topic

    events = Events()
    announced: list[frozenset[Topic]] = []
    events.data_changed.connect(announced.append)
    client = ServiceClient(FinishedAtOnce(), events)  # type: ignore[arg-type]
    closed, kept = QLabel(), QLabel()
    qtbot.addWidget(kept)
    client.call(lambda _db: Outcome.of("gone", Topic.CALLS), then=closed.setText)
    client.call(lambda _db: "partial", then=partial(closed.setText))
    client.call(lambda _db: "here", then=kept.setText)
    Shiboken.delete(closed)
    qtbot.waitUntil(lambda: client.idle, timeout=2000)
    assert kept.text() == "here"
    assert announced == [frozenset({Topic.CALLS})]


def test_a_lambda_closing_over_a_closed_widget_is_dropped(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel
    from shiboken6 import Shiboken

    client = ServiceClient(FinishedAtOnce(), Events())  # type: ignore[arg-type]
    page = QLabel()
    ticket = 7
    client.call(lambda _db: "late", then=lambda text: page.setText(f"{ticket} {text}"))
    Shiboken.delete(page)
    qtbot.waitUntil(lambda: client.idle, timeout=2000)  # no RuntimeError from a dead label
