"""Runs services on the database thread and hands results back on the GUI thread."""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from shiboken6 import Shiboken

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services.runner import ServiceRunner
from sanctuary_desktop.ui.events import Events

log = logging.getLogger(__name__)

Then = Callable[[Any], None]
Failed = Callable[[ValidationError], None]


class ServiceClient(QObject):
    """Widgets call `call(fn, *args, then=..., failed=...)`; nothing here blocks.

    A result that is an Outcome announces what changed through Events.data_changed, then its value
    goes to `then`. A ValidationError goes to `failed` (shown beside the field); anything
    else is unexpected and goes to `unexpected_error`, which the app shows in a dialog."""

    validation_failed = Signal(object)  # ValidationError nobody handled
    unexpected_error = Signal(object)  # BaseException
    busy_changed = Signal(bool)
    _done = Signal(object, object, object)

    def __init__(
        self, runner: ServiceRunner, events: Events, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.events = events
        self._pending = 0
        # Always queued: when the worker finishes before add_done_callback, the callback
        # runs on the GUI thread itself, and a direct call would answer inside call().
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        then: Then | None = None,
        failed: Failed | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        future = self.runner.submit(fn, *args, **kwargs)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        future.add_done_callback(lambda f: self._done.emit(f, then, failed))
        return future

    def _deliver(self, future: Future[Any], then: Then | None, failed: Failed | None) -> None:
        # Imported here: the first window is made before views (and its imports) load.
        from sanctuary_desktop.services.views import Outcome

        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        error = future.exception()
        if error is not None:
            # The frames would keep the database and its connections alive until
            # interpreter exit; the log and the dialog need only the text.
            traceback.clear_frames(error.__traceback__)
        if not (_still_there(then) and _still_there(failed)):
            # The widget that asked was closed while the answer was on its way: nobody to
            # show it to. What changed is still announced below, for the rest of the app.
            then = failed = None
            if isinstance(error, ValidationError):
                return
        if isinstance(error, ValidationError):
            if failed is not None:
                failed(error)
            else:
                self.validation_failed.emit(error)
            return
        if error is not None:
            log.error("service call failed", exc_info=error)
            self.unexpected_error.emit(error)
            return
        result = future.result()
        if isinstance(result, Outcome):
            if result.changed:
                self.events.data_changed.emit(result.changed)
            result = result.value
        if then is not None:
            then(result)


def _still_there(callback: Callable[..., Any] | None) -> bool:
    """False when the callback belongs to a Qt object that has been deleted (a page or
    dialog closed before its answer came back): a method of it, a partial of one, or a
    lambda that closes over it (`lambda rows: self._arrived(ticket, rows)`)."""
    while isinstance(callback, functools.partial):
        callback = callback.func
    owners = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            owners.append(cell.cell_contents)
        except ValueError:  # a cell not yet filled
            continue
    return all(Shiboken.isValid(owner) for owner in owners if isinstance(owner, QObject))
