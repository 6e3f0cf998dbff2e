"""The real app started on an emptied data file, a read-only folder and a full disk: the
trouble is named (never "already open"), restore is offered where it helps, and nothing
is changed until the facilitator chooses."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sanctuary_desktop.services import cohorts
from sanctuary_desktop.store.database import Database
from tests.test_startup_trouble import ENV, TROUBLE, make_sample, start

DATABASE = "sanctuary.db"


def fingerprint(data: Path) -> dict[str, str]:
    """The data file, its journal and every backup (not the logs, the settings or the
    shared-memory index)."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file()
        and "logs" not in p.relative_to(data).parts
        and not p.name.endswith("-shm")
        and p.name != "settings.ini"
    }


def sample_with_backup(tmp_path: Path) -> Path:
    data = tmp_path / "profile"
    make_sample(data)
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "sanctuary_desktop",
            "--data-dir",
            str(data),
            "backup",
            "-o",
            str(tmp_path / "copy.db"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    return data


def test_an_emptied_data_file_offers_the_backup_and_restoring_brings_the_data_back(
    tmp_path: Path,
) -> None:
    data = sample_with_backup(tmp_path)
    (data / DATABASE).write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{data / DATABASE}{suffix}").unlink(missing_ok=True)
    before = fingerprint(data)
    run = start(TROUBLE, "--data-dir", str(data), "quit")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    assert "TROUBLE empty" in out and "RESTORE OFFERED True" in out
    assert "WINDOW SHOWN" not in out
    assert fingerprint(data) == before  # no new database, no start-up backup of nothing

    run = start(TROUBLE, "--data-dir", str(data), "restore")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert "WINDOW SHOWN" in out
    db = Database(f"sqlite:///{data / DATABASE}")
    assert [c.name for c in cohorts.list_cohorts(db)] == ["Tending the Commons — peer circle"]
    db.dispose()


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr for a real read-only")
def test_a_read_only_folder_is_named_not_already_open(tmp_path: Path) -> None:
    data = sample_with_backup(tmp_path)
    before = fingerprint(data)
    mode = (data.stat().st_mode, (data / DATABASE).stat().st_mode)
    if subprocess.run(["chattr", "+i", str(data)], check=False).returncode != 0:
        pytest.skip("no immutable folders on this file system")
    try:
        run = start(TROUBLE, "--data-dir", str(data), "quit")
        out, err = run.communicate(timeout=120)
    finally:
        subprocess.run(["chattr", "-i", str(data)], check=True)
    assert run.returncode == 1, err
    assert "TROUBLE read-only" in out, out + err
    assert "already open" not in out + err
    assert fingerprint(data) == before
    assert (data.stat().st_mode, (data / DATABASE).stat().st_mode) == mode


FULL_DISK = textwrap.dedent(
    """
    set -e
    mount -t tmpfs -o size=2m tmpfs "$1"
    cp -a "$2"/. "$1"/
    dd if=/dev/zero of="$1/filler" bs=4k >/dev/null 2>&1 || true
    "$3" -c "$4" --data-dir "$1" quit && echo "CODE 0" || echo "CODE $?"
    """
)


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("unshare") is None, reason="Linux")
def test_a_full_disk_at_start_up_is_not_already_open(tmp_path: Path) -> None:
    data = sample_with_backup(tmp_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{data / DATABASE}{suffix}").unlink(missing_ok=True)
    if subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False).returncode:
        pytest.skip("no mount namespace for a small full file system here")
    mount = tmp_path / "full"
    mount.mkdir()
    result = subprocess.run(
        [
            "unshare",
            "-m",
            "--propagation",
            "private",
            "bash",
            "-c",
            FULL_DISK,
            "full",
            str(mount),
            str(data),
            sys.executable,
            TROUBLE,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=ENV,
        check=False,
    )
    said = result.stdout + result.stderr
    assert "CODE 1" in result.stdout, said
    assert "TROUBLE disk-full" in result.stdout, said
    assert "already open" not in said
