"""Backup files: consistent while the app writes, owner-only, pruned, read without harm,
and restored without ever losing the file they replace."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sanctuary_desktop.services import demo
from sanctuary_desktop.store.backups import (
    BackupInfo,
    BackupProblem,
    daily_backup_due,
    inspect_backup,
    latest_good_backup,
    list_backups,
    restore_backup,
    take_backup,
)
from sanctuary_desktop.store.database import SCHEMA_HEAD, Database
from sanctuary_desktop.store.location import DataFolder

TODAY = date(2026, 11, 23)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_cohort_with_a_call(conn: sqlite3.Connection, number: int) -> None:
    """Two rows that belong together: a copy holding one without the other is torn."""
    conn.execute(
        "INSERT INTO cohorts (id, name, focus, facilitators, home_tz, start_date, end_date,"
        " call_minutes, notes, day_start, day_end, archived, created_at, updated_at)"
        " VALUES (?, ?, '', '', 'UTC', '2026-01-01', '2026-07-01', 90, '', '07:00', '22:00',"
        " 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        (number, f"Cohort {number}"),
    )
    conn.execute(
        "INSERT INTO calls (cohort_id, uid, starts_at, minutes, cancelled, title, notes,"
        " revision, updated_at) VALUES (?, ?, '2026-02-05 17:00:00', 90, 0, '', '', 0,"
        " '2026-01-01 00:00:00')",
        (number, f"uid-{number}"),
    )


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        cohorts = conn.execute("SELECT count(*) FROM cohorts").fetchone()[0]
        calls = conn.execute("SELECT count(*) FROM calls").fetchone()[0]
    conn.close()
    return cohorts, calls


@pytest.fixture
def sample_db(db: Database) -> Database:
    demo.create_sample(db, today=TODAY)
    return db


def test_a_backup_is_owner_only_complete_and_named_by_time_and_reason(
    sample_db: Database, folder: DataFolder
) -> None:
    path = take_backup(folder.database, folder.backups, "startup")
    assert path.parent == folder.backups
    assert path.name.startswith("sanctuary-") and path.name.endswith("Z-startup.db")
    assert mode(path) == 0o600
    info = inspect_backup(path)
    assert info.ok and info.schema == SCHEMA_HEAD and info.reason == "startup"
    assert (info.cohorts, info.participants, info.calls, info.notes) == (1, 9, 7, 16)
    assert info.summary == "1 cohort, 9 people, 7 calls, 16 notes"
    assert abs(info.taken_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert info.size == path.stat().st_size
    assert [p.name for p in folder.backups.iterdir()] == [path.name], "no temporary left"


def test_summary_says_it_in_words() -> None:
    info = BackupInfo(Path("x.db"), datetime.now(UTC), "daily", 0, "0003", 3, 24, 21, 180, True)
    assert info.summary == "3 cohorts, 24 people, 21 calls, 180 notes"
    one = BackupInfo(Path("x.db"), datetime.now(UTC), "daily", 0, "0003", 1, 1, 1, 1, True)
    assert one.summary == "1 cohort, 1 person, 1 call, 1 note"


def test_a_backup_leaves_out_an_uncommitted_transaction(db: Database, folder: DataFolder) -> None:
    writer = sqlite3.connect(folder.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    add_cohort_with_a_call(writer, 1)
    during = take_backup(folder.database, folder.backups, "during")
    writer.execute("COMMIT")
    after = take_backup(folder.database, folder.backups, "after")
    writer.close()
    assert counts(during) == (0, 0)
    assert counts(after) == (1, 1)


def test_backups_are_consistent_while_another_connection_writes(
    db: Database, folder: DataFolder
) -> None:
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        conn = sqlite3.connect(folder.database, isolation_level=None, timeout=5)
        conn.execute("PRAGMA journal_mode = WAL")
        number = 0
        while not stop.is_set() or number < 20:
            number += 1
            conn.execute("BEGIN IMMEDIATE")
            add_cohort_with_a_call(conn, number)
            conn.execute("COMMIT")
            written.append(number)
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        taken = [take_backup(folder.database, folder.backups, f"b{n}") for n in range(6)]
    finally:
        stop.set()
        writer.join()
    seen = []
    for path in taken:
        info = inspect_backup(path)
        assert info.ok
        cohorts, calls = counts(path)
        assert cohorts == calls, "a transaction was copied in half"
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
        seen.append(cohorts)
    assert seen == sorted(seen)
    assert counts(folder.database) == (len(written), len(written))


def test_pruning_keeps_the_newest_and_never_touches_other_files(
    db: Database, folder: DataFolder
) -> None:
    foreign = {
        "notes.txt": b"mine",
        "sanctuary-damaged-20200101T000000000000Z.db": b"precious",
        "sanctuary.db": b"a copy the user put here",
        # Being written by another live process (this test's parent).
        f".sanctuary-20200101T000000000000Z-startup.db.{os.getppid()}.partial": b"",
    }
    for name, content in foreign.items():
        (folder.backups / name).write_bytes(content)
    taken = [take_backup(folder.database, folder.backups, "startup", keep=3) for _ in range(5)]
    ours = sorted(
        p.name for p in folder.backups.iterdir() if p.name not in foreign and p.suffix == ".db"
    )
    assert ours == sorted(p.name for p in taken[-3:])
    for name, content in foreign.items():
        assert (folder.backups / name).read_bytes() == content
    # However small the number kept, the backup just taken stays.
    last = take_backup(folder.database, folder.backups, "startup", keep=0)
    assert last.exists()
    assert [info.path for info in list_backups(folder.backups)] == [last]


def test_reasons_become_safe_file_names(db: Database, folder: DataFolder) -> None:
    path = take_backup(folder.database, folder.backups, "Before Restore/../x")
    assert path.parent == folder.backups
    assert path.name.endswith("-before-restore-x.db")


def broken_files(good: Path, folder: Path) -> dict[str, Path]:
    data = good.read_bytes()
    made = {
        "truncated": data[: len(data) // 3],
        "random": random.Random(6).randbytes(len(data)),
        "empty": b"",
        "text": "Kōwhai cohort notes\nnot a database at all\n".encode() * 20,
        "header-only": data[:100],
    }
    paths = {}
    for n, (kind, content) in enumerate(made.items()):
        path = folder / f"sanctuary-2020010{n + 1}T000000000000Z-{kind}.db"
        path.write_bytes(content)
        paths[kind] = path
    return paths


def test_broken_files_are_refused_or_marked_not_ok_never_a_crash(
    sample_db: Database, folder: DataFolder
) -> None:
    good = take_backup(folder.database, folder.backups, "startup")
    broken = broken_files(good, folder.backups)
    for kind, path in broken.items():
        try:
            info = inspect_backup(path)
        except BackupProblem as problem:
            assert str(problem).endswith("."), kind
            assert "Traceback" not in str(problem)
        else:
            assert not info.ok, kind
            assert info.problem
    listed = list_backups(folder.backups)
    assert [info.path for info in listed] == [good, *sorted(broken.values(), reverse=True)]
    assert [info.ok for info in listed] == [True] + [False] * len(broken)
    assert listed[-1].taken_at == datetime(2020, 1, 1, tzinfo=UTC)
    latest = latest_good_backup(folder.backups)
    assert latest is not None and latest.path == good


def test_plain_words_for_files_that_are_not_ours(tmp_path: Path) -> None:
    text = tmp_path / "letter.db"
    text.write_text("Dear cohort,\n" * 40)
    with pytest.raises(BackupProblem, match=r"^This file is not a Sanctuary Desktop backup\.$"):
        inspect_backup(text)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(BackupProblem, match="not a Sanctuary Desktop backup"):
        inspect_backup(other)
    with pytest.raises(BackupProblem, match="could not be found"):
        inspect_backup(tmp_path / "missing.db")
    assert list_backups(tmp_path / "no such folder") == []
    assert latest_good_backup(tmp_path) is None


def test_inspecting_never_writes_to_or_beside_the_file(
    sample_db: Database, folder: DataFolder, tmp_path: Path
) -> None:
    # A copy still marked as WAL (as older versions wrote them) would make a plain
    # read-only reader create -wal and -shm files beside it.
    wal_copy = tmp_path / "copies" / "sanctuary-20260101T000000000000Z-old.db"
    wal_copy.parent.mkdir()
    with sqlite3.connect(folder.database) as src, sqlite3.connect(wal_copy) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    assert wal_copy.read_bytes()[18:20] == b"\x02\x02"
    before = wal_copy.read_bytes(), wal_copy.stat().st_mtime_ns
    info = inspect_backup(wal_copy)
    assert info.ok and info.cohorts == 1
    assert (wal_copy.read_bytes(), wal_copy.stat().st_mtime_ns) == before
    assert sorted(p.name for p in wal_copy.parent.iterdir()) == [wal_copy.name]
    assert [i.path for i in list_backups(wal_copy.parent)] == [wal_copy]


def test_a_daily_backup_is_due_after_24_hours(db: Database, folder: DataFolder) -> None:
    now = datetime.now(UTC)
    assert daily_backup_due(folder.backups, now)
    take_backup(folder.database, folder.backups, "daily")
    assert not daily_backup_due(folder.backups, now + timedelta(hours=23))
    assert daily_backup_due(folder.backups, now + timedelta(hours=25))
    assert daily_backup_due(folder.backups / "missing", now)


def test_restore_over_a_damaged_database_keeps_it_aside_byte_for_byte(
    sample_db: Database, folder: DataFolder
) -> None:
    good = take_backup(folder.database, folder.backups, "startup")
    sample_db.dispose()
    damaged = random.Random(7).randbytes(8192)
    folder.database.write_bytes(damaged)
    wal = folder.database.with_name("sanctuary.db-wal")
    wal.write_bytes(b"last words")
    _, kept = restore_backup(good, folder.database, folder.backups)
    assert kept is not None and kept.parent == folder.backups
    assert kept.name.startswith("sanctuary-damaged-")
    assert kept.read_bytes() == damaged
    assert mode(kept) == 0o600
    assert kept.with_name(kept.name + "-wal").read_bytes() == b"last words"
    assert not wal.exists()
    assert inspect_backup(folder.database).summary == inspect_backup(good).summary
    assert mode(folder.database) == 0o600
    # The kept file is not a backup: pruning can never remove it.
    take_backup(folder.database, folder.backups, "startup", keep=1)
    assert kept.read_bytes() == damaged


def test_restore_over_a_truncated_database_keeps_it_aside(
    sample_db: Database, folder: DataFolder
) -> None:
    good = take_backup(folder.database, folder.backups, "startup")
    sample_db.dispose()
    data = good.read_bytes()
    folder.database.write_bytes(data[: len(data) // 2])
    truncated = folder.database.read_bytes()
    _, kept = restore_backup(good, folder.database, folder.backups)
    assert kept is not None and kept.read_bytes() == truncated
    assert inspect_backup(folder.database).ok


def test_restore_copies_a_sound_database_first(sample_db: Database, folder: DataFolder) -> None:
    with sqlite3.connect(folder.database) as conn:
        conn.execute("DELETE FROM notes")
    conn.close()
    empty_notes = take_backup(folder.database, folder.backups, "startup")
    sample_db.dispose()
    shutil.copyfile(empty_notes, folder.backups / "elsewhere.db")
    with sqlite3.connect(folder.database) as conn:
        add_cohort_with_a_call(conn, 50)
    conn.close()
    _, kept = restore_backup(folder.backups / "elsewhere.db", folder.database, folder.backups)
    assert kept is not None and kept.name.endswith("-before-restore.db")
    assert inspect_backup(kept).cohorts == 2
    restored = inspect_backup(folder.database)
    assert (restored.cohorts, restored.notes) == (1, 0)


def test_a_damaged_backup_is_refused_and_the_database_untouched(
    sample_db: Database, folder: DataFolder
) -> None:
    good = take_backup(folder.database, folder.backups, "startup")
    sample_db.dispose()
    broken = broken_files(good, folder.backups)
    before = folder.database.read_bytes()
    for path in broken.values():
        with pytest.raises(BackupProblem):
            restore_backup(path, folder.database, folder.backups)
    assert folder.database.read_bytes() == before
    assert len(list_backups(folder.backups)) == 1 + len(broken), "no before-restore copies"
    assert not any(p.name.startswith(".") for p in folder.root.iterdir())


def test_restore_where_there_was_no_database(
    sample_db: Database, folder: DataFolder, tmp_path: Path
) -> None:
    good = take_backup(folder.database, folder.backups, "startup")
    fresh = DataFolder(tmp_path / "fresh")
    assert restore_backup(good, fresh.database, fresh.backups)[1] is None
    assert inspect_backup(fresh.database).ok
    assert mode(fresh.database) == 0o600
    assert mode(fresh.backups) == 0o700
    # A new data folder holds no database file yet: nothing to keep.
    newer = DataFolder(tmp_path / "newer").prepare()
    assert not newer.database.exists()
    assert restore_backup(good, newer.database, newer.backups)[1] is None
    assert inspect_backup(newer.database).cohorts == 1
