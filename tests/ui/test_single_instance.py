"""One copy per data folder: a second launch finds the first, even one still starting."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
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


def test_the_lock_file_is_owner_only_and_a_held_lock_is_another_copy(tmp_path: Path) -> None:
    import stat

    from sanctuary_desktop.store.location import LOCK_FILE

    first = SingleInstance(tmp_path)
    assert first.acquire()
    try:
        assert stat.S_IMODE((tmp_path / LOCK_FILE).stat().st_mode) == 0o600
        # Another process holding it: a second QLockFile in this process would share
        # the lock, so ask from a child process.
        import subprocess
        import sys

        script = (
            "import sys\n"
            "from pathlib import Path\n"
            "from sanctuary_desktop.ui.single_instance import SingleInstance\n"
            "print(SingleInstance(Path(sys.argv[1])).acquire())\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.stdout.strip() == "False", result.stderr
    finally:
        first.release()


def test_a_lock_that_cannot_be_made_is_trouble_not_another_copy(tmp_path: Path) -> None:
    """A read-only folder (immutable, so that root cannot write either): acquire raises
    the system's error, named READ_ONLY, instead of saying the app is already open."""
    import shutil
    import subprocess

    import pytest

    from sanctuary_desktop.services.opening import Trouble, diagnose

    if shutil.which("chattr") is None:
        pytest.skip("needs chattr for a folder even root cannot write to")
    folder = tmp_path / "data"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], check=False).returncode != 0:
        pytest.skip("this file system has no immutable folders")
    try:
        with pytest.raises(OSError) as caught:
            SingleInstance(folder).acquire()
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert diagnose(caught.value).trouble is Trouble.READ_ONLY
    assert list(folder.iterdir()) == []


def test_the_socket_lives_in_a_folder_only_this_user_can_write(tmp_path: Path) -> None:
    import os
    import stat
    import sys

    import pytest

    if sys.platform == "win32":
        pytest.skip("named pipes on Windows")
    socket = Path(channel_name(tmp_path))
    status = socket.parent.lstat()
    assert status.st_uid == os.getuid()
    assert not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    assert socket.name.startswith("sanctuary-desktop-")


def test_a_squatted_temporary_folder_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a runtime folder, the folder in the temporary folder must be this user's
    and closed to others: one made first by someone else (here: open to all) is passed."""
    import tempfile

    from PySide6.QtCore import QStandardPaths

    from sanctuary_desktop.ui import single_instance

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: "")
    import os

    squatted = tmp_path / f"sanctuary-desktop-{os.getuid()}"
    squatted.mkdir()
    squatted.chmod(0o777)
    single_instance.private_runtime_folder.cache_clear()
    try:
        chosen = single_instance.private_runtime_folder()
    finally:
        single_instance.private_runtime_folder.cache_clear()
    assert chosen != squatted and chosen.parent == tmp_path
    assert chosen.stat().st_mode & 0o777 == 0o700
