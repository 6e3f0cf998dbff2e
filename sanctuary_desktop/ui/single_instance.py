"""One copy of the app per data folder.

Two copies writing one SQLite file is how such files get corrupted, so the first copy
holds a lock file in the data folder. A second launch cannot take the lock; it asks the
first, through a local socket named after the folder (a Unix socket or a Windows named
pipe, never the network), to bring its window forward, and then quits.

The lock is taken before the window shows; QtNetwork loads, and the socket listens, only
after the first paint (`listen`), so start-up does not wait for them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

from sanctuary_desktop.store.location import LOCK_FILE

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

WAIT_MS = 1000
PATIENCE_MS = 5000  # how long a second launch waits for the first copy to listen
RETRY_MS = 100


def channel_name(folder: Path) -> str:
    import hashlib

    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"sanctuary-desktop-{digest}"


class SingleInstance(QObject):
    come_forward = Signal()  # a second launch asked for this copy's window

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.lock = QLockFile(str(folder / LOCK_FILE))
        # Held for as long as the app runs: only a dead owner's lock is stale.
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None

    @property
    def name(self) -> str:
        return channel_name(self.folder)

    def acquire(self) -> bool:
        """Take the folder for this copy; False when another live copy holds it."""
        return self.lock.tryLock(100)

    def listen(self) -> None:
        """Answer later launches on this folder (after acquire)."""
        from PySide6.QtNetwork import QLocalServer

        if self.server is not None:
            return
        QLocalServer.removeServer(self.name)  # left behind by a copy that crashed
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(self.name):
            server.newConnection.connect(self._answer)
            self.server = server
        else:
            log.warning("could not listen for other launches: %s", server.errorString())

    def holder(self) -> int | None:
        """The process id holding the folder, if the lock file says."""
        info = self.lock.getLockInfo()
        return int(info[0]) if info and info[0] else None

    def ask_holder_to_come_forward(self, *, patience_ms: int = PATIENCE_MS) -> bool:
        """Ask the copy holding the lock to show its window. It listens only once its own
        window has painted, so a launch in the moment before that keeps asking a while."""
        from PySide6.QtCore import QDeadlineTimer, QThread
        from PySide6.QtNetwork import QLocalSocket

        deadline = QDeadlineTimer(patience_ms)
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(WAIT_MS):
                socket.write(b"show\n")
                sent = socket.waitForBytesWritten(WAIT_MS)
                socket.disconnectFromServer()
                return sent
            if deadline.hasExpired():
                return False
            QThread.msleep(RETRY_MS)

    def _answer(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        if bytes(connection.readAll().data()).strip() == b"show":
            self.come_forward.emit()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()
