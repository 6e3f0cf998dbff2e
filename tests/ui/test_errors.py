"""Unexpected errors are logged and shown with details; the app keeps going."""

from __future__ import annotations

import logging
import sys

import pytest
from pytestqt.qtbot import QtBot

from sanctuary_desktop.store.database import Database
from sanctuary_desktop.ui.context import AppContext
from sanctuary_desktop.ui.errors import ErrorDialog, ErrorReporter
from tests.ui.conftest import settle


def explode(db: Database) -> None:
    raise RuntimeError("disk on fire")


def test_a_failing_service_is_reported_and_the_next_call_still_works(
    qtbot: QtBot, ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    reporter = ErrorReporter()
    ctx.services.unexpected_error.connect(reporter.show_error)
    with caplog.at_level(logging.ERROR):
        ctx.services.call(explode)
        settle(qtbot, ctx)
    assert "service call failed" in caplog.text
    [dialog] = reporter.shown
    assert isinstance(dialog, ErrorDialog)
    assert "disk on fire" in dialog.details.toPlainText()
    assert "Traceback" in dialog.details.toPlainText()
    answers: list[str] = []
    ctx.services.call(lambda db: "still here", then=answers.append)
    settle(qtbot, ctx)
    assert answers == ["still here"]
    dialog.reject()


def test_excepthook_logs_and_shows(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    reporter = ErrorReporter()
    previous = sys.excepthook
    reporter.install()
    try:
        try:
            raise ValueError("unexpected")
        except ValueError as error:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(type(error), error, error.__traceback__)
        qtbot.waitUntil(lambda: len(reporter.shown) == 1)
    finally:
        sys.excepthook = previous
    assert "unexpected error" in caplog.text
    reporter.shown[0].reject()
