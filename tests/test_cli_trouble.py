"""The real command line on data in trouble: the plain words the app's trouble dialog
says, exit code 2, no traceback, and the data file and every backup byte for byte as
they were. Each trouble is made for real: a zero-length file, random bytes, a cut copy,
another program's database, a folder in the file's place, an immutable folder (which
root cannot write to either), a second process holding the write lock, a full file
system."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctuary_desktop.services.opening import HEADLINES, Trouble

DATABASE = "sanctuary.db"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
ENV.pop("SANCTUARY_DATABASE_URL", None)


def cli(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctuary_desktop", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
        check=False,
    )


def fingerprint(data: Path) -> dict[str, str]:
    """Every file in the folder but the logs, by content: the data file, its journals,
    and every backup. A read-only SQLite connection to a database in WAL mode may leave
    the shared-memory index and an empty WAL file beside it (a reader cannot remove
    them): those hold no data and are left out."""
    found = {}
    for path in sorted(data.rglob("*")):
        if path.name.endswith("-shm") or (path.name.endswith("-wal") and not path.stat().st_size):
            continue
        if path.is_file() and "logs" not in path.relative_to(data).parts:
            found[str(path.relative_to(data))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def assert_plain_trouble(result: subprocess.CompletedProcess[str], *troubles: Trouble) -> None:
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "Traceback" not in said, said
    assert any(HEADLINES[t] in result.stderr for t in troubles), said


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the sample cohort and a backup of it in backups/."""
    data = tmp_path_factory.mktemp("sample") / "profile"
    made = cli(data, "demo")
    assert made.returncode == 0, made.stderr
    copy = data.parent / "copy.db"
    made = cli(data, "backup", "-o", str(copy))
    assert made.returncode == 0, made.stderr
    copy.unlink()
    with contextlib.closing(sqlite3.connect(data / DATABASE)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    for suffix in ("-wal", "-shm"):
        Path(f"{data / DATABASE}{suffix}").unlink(missing_ok=True)
    assert [p.name for p in (data / "backups").iterdir()]
    return data


@pytest.fixture
def data(sample: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "profile"
    shutil.copytree(sample, copy)
    return copy


READ_ONLY_COMMANDS = (("list", "cohorts"), ("check",))


def test_an_emptied_data_file_with_backups_is_trouble_not_a_new_database(data: Path) -> None:
    (data / DATABASE).write_bytes(b"")
    before = fingerprint(data)
    for command in (*READ_ONLY_COMMANDS, ("demo",)):
        result = cli(data, *command)
        assert_plain_trouble(result, Trouble.EMPTY)
        assert "restore" in result.stderr  # the latest backup with data is offered
        assert fingerprint(data) == before
    assert (data / DATABASE).stat().st_size == 0


def test_a_missing_data_file_with_backups_is_trouble_and_is_not_made(data: Path) -> None:
    (data / DATABASE).unlink()
    before = fingerprint(data)
    for command in (*READ_ONLY_COMMANDS, ("demo",)):
        assert_plain_trouble(cli(data, *command), Trouble.MISSING)
    assert fingerprint(data) == before
    assert not (data / DATABASE).exists()


def test_a_fresh_folder_still_starts_a_new_database(tmp_path: Path) -> None:
    import stat

    fresh = tmp_path / "fresh"
    result = cli(fresh, "check")
    assert result.returncode == 0 and "no data in this folder yet" in result.stdout
    assert not (fresh / DATABASE).exists()  # check made nothing
    result = cli(fresh, "list", "cohorts")
    assert result.returncode == 0 and "No cohorts yet" in result.stdout, result.stderr
    assert stat.S_IMODE((fresh / DATABASE).stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    # A zero-length file in a folder that never held data is a fresh start too.
    other = tmp_path / "other"
    other.mkdir()
    (other / DATABASE).write_bytes(b"")
    result = cli(other, "demo")
    assert result.returncode == 0, result.stderr


def test_random_bytes_are_named_and_left_alone(data: Path) -> None:
    (data / DATABASE).write_bytes(os.urandom(40_000))
    before = fingerprint(data)
    for command in (
        *READ_ONLY_COMMANDS,
        ("export", "archive", "-o", str(data.parent / "a")),
        ("demo",),
    ):
        assert_plain_trouble(cli(data, *command), Trouble.NOT_A_DATABASE)
    assert fingerprint(data) == before


def test_a_truncated_file_and_a_bad_first_page_are_damaged(data: Path) -> None:
    whole = (data / DATABASE).read_bytes()
    page = int.from_bytes(whole[16:18], "big")
    broken_first_page = bytearray(whole)
    broken_first_page[100:112] = b"\xff" * 12  # the first page's b-tree header
    for damaged in (whole[: len(whole) // 2], bytes(broken_first_page), whole[: page + 7]):
        (data / DATABASE).write_bytes(damaged)
        before = fingerprint(data)
        for command in (*READ_ONLY_COMMANDS, ("demo",)):
            assert_plain_trouble(cli(data, *command), Trouble.DAMAGED, Trouble.NOT_A_DATABASE)
        assert fingerprint(data) == before


def test_another_programs_database_is_never_taken_over(tmp_path: Path) -> None:
    for used in (False, True):
        data = tmp_path / f"profile-{used}"
        data.mkdir()
        if used:
            (data / "backups").mkdir()
        with contextlib.closing(sqlite3.connect(data / DATABASE)) as conn:
            conn.execute("CREATE TABLE recipes (name TEXT)")
            conn.execute("INSERT INTO recipes VALUES ('bread')")
            conn.commit()
        before = fingerprint(data)
        for command in (*READ_ONLY_COMMANDS, ("demo",)):
            result = cli(data, *command)
            assert_plain_trouble(result, Trouble.FOREIGN)
            assert "not a Sanctuary Desktop database" in result.stderr
        assert fingerprint(data) == before
        with contextlib.closing(sqlite3.connect(data / DATABASE)) as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
        assert names == ["recipes"]


def test_a_folder_in_place_of_the_file(data: Path) -> None:
    (data / DATABASE).unlink()
    (data / DATABASE).mkdir()
    (data / DATABASE / "keep.txt").write_text("mine")
    before = fingerprint(data)
    for command in (*READ_ONLY_COMMANDS, ("demo",)):
        assert_plain_trouble(cli(data, *command), Trouble.NOT_A_DATABASE)
    assert fingerprint(data) == before


def test_a_newer_schema_is_refused_by_every_command(data: Path) -> None:
    with contextlib.closing(sqlite3.connect(data / DATABASE)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
        conn.commit()
    before = fingerprint(data)
    for command in (*READ_ONLY_COMMANDS, ("demo",), ("import", str(data / "nothing"))):
        result = cli(data, *command)
        assert_plain_trouble(result, Trouble.NEWER)
        assert "0999" in result.stderr
    assert fingerprint(data) == before


def test_check_reports_an_older_schema_and_changes_nothing(tmp_path: Path) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from sanctuary_desktop.store.database import Database
    from sanctuary_desktop.store.migrate import alembic_config

    data = tmp_path / "profile"
    data.mkdir()
    db = Database(f"sqlite:///{data / DATABASE}")
    config = alembic_config(db)
    head = ScriptDirectory.from_config(config).get_revision("head")
    assert head is not None and isinstance(head.down_revision, str)
    older = head.down_revision
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, older)
        conn.commit()
    db.dispose()
    before = fingerprint(data)
    result = cli(data, "check")
    assert result.returncode == 1, result.stderr
    assert f"version {older}" in result.stdout and "upgrade" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert fingerprint(data) == before
    # A command that only reads brings it up to date first, keeping a backup.
    result = cli(data, "list", "cohorts")
    assert result.returncode == 0, result.stderr
    assert any("before-migration" in p.name for p in (data / "backups").iterdir())


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """chattr +i: not even root may write to the file or into the folder."""
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"no immutable files here (chattr: {made.stderr.decode().strip()})")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr for a real read-only")
def test_a_read_only_folder_or_file_is_named_and_nothing_is_changed(data: Path) -> None:
    import stat

    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in (data, data / DATABASE)}
    before = fingerprint(data)
    with immutable(data):
        result = cli(data, "demo")
        assert_plain_trouble(result, Trouble.READ_ONLY)
        # What only reads still reads.
        result = cli(data, "list", "cohorts")
        assert result.returncode == 0 and "Tending the Commons" in result.stdout, result.stderr
        result = cli(data, "check")
        assert result.returncode == 0 and "No problems found" in result.stdout, result.stderr
    with immutable(data / DATABASE):
        assert_plain_trouble(cli(data, "demo"), Trouble.READ_ONLY)
    assert fingerprint(data) == before
    assert {p: stat.S_IMODE(p.stat().st_mode) for p in modes} == modes


LOCK_HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE cohorts SET name = name")
    print("LOCKED", flush=True)
    sys.stdin.read()  # until the test closes it
    conn.execute("ROLLBACK")
    """
)


def test_reading_commands_work_while_another_process_holds_the_write_lock(data: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(data / DATABASE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
        result = cli(data, "list", "cohorts")
        assert result.returncode == 0 and "Tending the Commons" in result.stdout, result.stderr
        result = cli(data, "check")
        assert result.returncode == 0 and "No problems found" in result.stdout, result.stderr
        result = cli(data, "backup", "-o", str(data.parent / "copy.db"))
        assert result.returncode == 0, result.stderr
        # A command that writes waits its five seconds, then says so.
        assert_plain_trouble(cli(data, "demo"), Trouble.LOCKED)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    result = cli(data, "list", "cohorts")
    assert result.stdout.count("Tending the Commons") == 1  # the demo was not added


def test_verbose_shows_the_traceback_and_the_log_always_has_it(data: Path) -> None:
    (data / DATABASE).write_bytes(os.urandom(10_000))
    quiet = cli(data, "list", "cohorts")
    assert_plain_trouble(quiet, Trouble.NOT_A_DATABASE)
    log = (data / "logs" / "sanctuary.log").read_text(encoding="utf-8")
    assert "Traceback" in log
    loud = cli(data, "--verbose", "list", "cohorts")
    assert loud.returncode == 2 and "Traceback" in loud.stderr


def test_server_troubles_in_plain_words(tmp_path: Path) -> None:
    data = tmp_path / "profile"
    # No driver installed for PostgreSQL here, or (if there is one) nobody listening on
    # port 1 of this machine: either way plain words, never a traceback.
    result = cli(
        data, "--database-url", "postgresql://me:secret@127.0.0.1:1/cohorts", "list", "cohorts"
    )
    assert_plain_trouble(result, Trouble.NO_DRIVER, Trouble.SERVER_UNREACHABLE)
    result = cli(data, "--database-url", "not a database address", "list", "cohorts")
    assert_plain_trouble(result, Trouble.BAD_ADDRESS)


def test_restore_refuses_a_damaged_backup_in_plain_words(data: Path) -> None:
    garbage = data.parent / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    before = fingerprint(data)
    result = cli(data, "restore", str(garbage))
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert "not a Sanctuary Desktop backup" in result.stderr
    assert fingerprint(data) == before


FULL_DISK = textwrap.dedent(
    """
    set -e
    mount -t tmpfs -o size=1m tmpfs "$1"
    cp -a "$2"/. "$1"/
    dd if=/dev/zero of="$1/filler" bs=4k >/dev/null 2>&1 || true
    files() {
        find . -path ./logs -prune -o -type f ! -name filler ! -name '*-wal' ! -name '*-shm' \\
            -print0 | sort -z | xargs -0 sha256sum
    }
    cd "$1" && files > /tmp/before.$$
    "$3" -m sanctuary_desktop --data-dir "$1" "${@:4}" > "$1.out" 2> "$1.err" && code=0 || code=$?
    files > /tmp/after.$$
    echo "CODE $code"; cat "$1.err"
    cmp -s /tmp/before.$$ /tmp/after.$$ && echo "UNCHANGED" || echo "CHANGED"
    """
)


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("unshare") is None, reason="Linux")
def test_a_full_disk_is_said_in_plain_words(data: Path, tmp_path: Path) -> None:
    mount = tmp_path / "full"
    mount.mkdir()
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "true"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip("no mount namespace for a small full file system here")
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
            "demo",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=ENV,
        check=False,
    )
    assert "CODE 2" in result.stdout, result.stdout + result.stderr
    assert HEADLINES[Trouble.DISK_FULL] in result.stdout, result.stdout
    assert "Traceback" not in result.stdout
    assert "UNCHANGED" in result.stdout


def as_someone_without_override(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line run by root stripped of the power to ignore permissions, so a
    folder of another user's is as closed to it as to any user."""
    return subprocess.run(
        [
            "setpriv",
            "--bounding-set",
            "-dac_override,-dac_read_search",
            sys.executable,
            "-m",
            "sanctuary_desktop",
            "--data-dir",
            str(data),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )


@pytest.mark.skipif(
    sys.platform != "linux" or shutil.which("setpriv") is None or os.geteuid() != 0,
    reason="drops root's permission override with setpriv (Linux, as root)",
)
def test_a_folder_owned_by_someone_else(data: Path) -> None:
    other = 65534  # nobody
    for path in [data, *data.rglob("*")]:
        os.chown(path, other, other)
    data.chmod(0o700)
    before = fingerprint(data)
    result = as_someone_without_override(data, "list", "cohorts")
    if result.returncode == 0:
        pytest.skip("setpriv could not take the override away here")
    assert_plain_trouble(result, Trouble.NO_ACCESS)
    # Readable by all, writable by its owner only: reading works, writing is named.
    for path in [data, data / "backups", data / "logs"]:
        path.chmod(0o755)
    for path in [data / DATABASE, *(data / "backups").iterdir()]:
        path.chmod(0o644)
    result = as_someone_without_override(data, "list", "cohorts")
    assert result.returncode == 0 and "Tending the Commons" in result.stdout, result.stderr
    assert_plain_trouble(as_someone_without_override(data, "demo"), Trouble.READ_ONLY)
    assert fingerprint(data) == before


def test_the_restore_the_trouble_offers_brings_the_data_back(data: Path) -> None:
    (data / DATABASE).write_bytes(b"")
    backups_before = fingerprint(data / "backups")
    result = cli(data, "list", "cohorts")
    assert_plain_trouble(result, Trouble.EMPTY)
    offered = next(line for line in result.stderr.splitlines() if " restore " in line)
    backup = offered.rsplit(" restore ", 1)[1].strip().strip('"')
    restored = cli(data, "restore", backup)
    assert restored.returncode == 0, restored.stderr
    result = cli(data, "list", "cohorts")
    assert result.returncode == 0 and "Tending the Commons" in result.stdout, result.stderr
    # Every backup that was there is still there, byte for byte.
    after = fingerprint(data / "backups")
    assert {name: after[name] for name in backups_before} == backups_before


def test_an_output_file_that_cannot_be_written_is_named(data: Path) -> None:
    target = data.parent / "no such folder" / "calls.ics"
    before = fingerprint(data)
    cohort = cli(data, "list", "cohorts").stdout.split()[0]
    result = cli(data, "export", "ics", "--cohort", cohort, "-o", str(target))
    said = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in said, said
    assert f"{target} could not be written" in result.stderr
    assert HEADLINES[Trouble.UNKNOWN] not in result.stderr  # not the data's trouble
    assert fingerprint(data) == before
