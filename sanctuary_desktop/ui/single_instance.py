"""One copy of the app per data folder.

Two copies writing one SQLite file is how such files get corrupted, so the first copy
holds a lock file in the data folder. A second launch cannot take the lock; it asks the
first, through a local socket named after the folder (a Unix socket or a Windows named
pipe, never the network), to bring its window forward, and then quits.

The lock is taken before the window shows; QtNetwork loads, and the socket listens, only
after the first paint (`listen`), so start-up does not wait for them.

A lock that cannot be taken because the folder is read-only or the disk is full is not
"already open": `acquire` raises the system's error for the caller to name. The socket
lives in a folder only this user can write to (the runtime folder, or a private one in the
temporary folder), so another local user cannot take its name first and receive this
user's launches.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

from sanctuary_desktop import LOCK_FILE, PRIVATE_DIR, PRIVATE_FILE

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

WAIT_MS = 1000
PATIENCE_MS = 5000  # how long a second launch waits for the first copy to listen
RETRY_MS = 100


def channel_name(folder: Path) -> str:
    """The socket's name: a full path in a folder of this user's own on Unix; on Windows
    a named pipe, which UserAccessOption limits to this user."""
    import hashlib

    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
    name = f"sanctuary-desktop-{digest}"
    if sys.platform == "win32":
        return name
    return str(private_runtime_folder() / name)


@functools.cache
def private_runtime_folder() -> Path:
    """A folder only this user can write to, for the socket: Qt's runtime location
    ($XDG_RUNTIME_DIR, which Qt checks), if it is this user's and closed to others; else
    a folder of this user's own in the temporary folder, made 0700 and checked."""
    from PySide6.QtCore import QStandardPaths

    runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    if runtime and _owned_and_private(Path(runtime)):
        return Path(runtime)
    uid = os.getuid()
    for attempt in range(100):
        suffix = f"-{attempt}" if attempt else ""
        folder = Path(tempfile.gettempdir()) / f"sanctuary-desktop-{uid}{suffix}"
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR)
        if _owned_and_private(folder):
            return folder
        # Someone else made a folder under this name first: try the next name.
    raise OSError(errno.EEXIST, "no private folder for the app's socket", tempfile.gettempdir())


def _owned_and_private(folder: Path) -> bool:
    try:
        status = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


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
        """Take the folder for this copy; False when another live copy holds it.

        Raises OSError when the lock file cannot be made at all (a read-only folder, a
        full disk): that is trouble to name, not another copy to bring forward."""
        if self.lock.tryLock(100):
            # Owner-only, like everything else the app makes in the folder.
            os.chmod(self.folder / LOCK_FILE, PRIVATE_FILE)
            return True
        if self.lock.error() == QLockFile.LockError.LockFailedError:
            return False
        raise self._why_not()

    def _why_not(self) -> OSError:
        """The system's own error for the failed lock: Qt says only "permission" or
        "unknown", so a small file is written the way the lock file is."""
        probe = self.folder / f".sanctuary-probe-{os.getpid()}"
        try:
            fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
            try:
                os.write(fd, b"0" * 4096)
                os.fsync(fd)
            finally:
                os.close(fd)
                probe.unlink()
        except OSError as error:
            return error
        if self.lock.error() == QLockFile.LockError.PermissionError:
            return PermissionError(errno.EACCES, "the lock file cannot be made", str(self.folder))
        return OSError(errno.EIO, "the lock file cannot be made", str(self.folder))

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
