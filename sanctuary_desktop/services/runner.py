"""The one writer: every database call runs on a single worker thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:  # SQLAlchemy loads on the worker thread, when it opens the database
    from sanctuary_desktop.store.database import Database

P = ParamSpec("P")
T = TypeVar("T")


class ServiceRunner:
    """Owns the Database and runs service functions on its own thread, one at a time.

    SQLite connections stay on the thread that made them, and the GUI thread never
    waits on a lock."""

    def __init__(self, open_database: Callable[[], Database]) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database")
        self._open_database = open_database
        self._db: Database | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Future[Database]:
        """Open (and migrate) the database on the worker thread."""
        return self._executor.submit(self._open)

    def _open(self) -> Database:
        self._thread = threading.current_thread()
        if self._db is None:
            from sanctuary_desktop.services.opening import diagnose, open_database

            try:
                db = self._open_database()
            except Exception as error:
                raise diagnose(error) from error
            try:
                self._db = open_database(db)
            except Exception:
                db.dispose()  # let go of the file: it may be restored or moved next
                raise
        return self._db

    def submit(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> Future[T]:
        def call() -> T:
            return fn(self._open(), *args, **kwargs)

        return self._executor.submit(call)

    def on_worker_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def shutdown(self) -> None:
        def close() -> None:
            if self._db is not None:
                self._db.dispose()

        self._executor.submit(close)
        self._executor.shutdown(wait=True)
