"""Kill a process that writes through the real services, many times, at varied moments:
every reopen finds a sound database holding every change it reported as committed.

The child prints a line only after a unit of work has committed, so each printed line is
a promise the database must keep. SIGKILL gives it no chance to tidy up.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.services import calls, cohorts, roster
from sanctuary_desktop.services.demo import SAMPLE_NAME
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

KILLS = 15
REPO = Path(__file__).resolve().parents[1]

WRITER = """
import sys
from dataclasses import replace
from sanctuary_desktop.services import records, roster
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database

url, call_id, person_id, round_ = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
db = Database(url)
draft = roster.list_participants(db, int(sys.argv[5]))[0].draft()
added = []
step = 0
while True:
    step += 1
    note = records.add_note(db, call_id, f"round {round_} step {step} " + "words " * 40).value
    added.append(note.id)
    print("note", note.id, flush=True)
    if step % 3 == 0:
        target = added[len(added) // 2]
        records.update_note(db, target, f"edited at {round_}.{step}", kind=NoteKind.INSIGHT)
        print("edit", target, f"{round_}.{step}", flush=True)
    if step % 4 == 0:
        roster.update_participant(db, person_id, replace(draft, notes=f"{round_}.{step}"))
        print("person", person_id, f"{round_}.{step}", flush=True)
"""


def version(stamp: str) -> tuple[int, int]:
    round_, step = stamp.split(".")
    return int(round_), int(step)


def test_killed_writers_never_lose_a_committed_change(folder: DataFolder) -> None:
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()

    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name=SAMPLE_NAME,
            home_tz="Pacific/Auckland",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 7, 1),
        ),
    ).value
    person = roster.add_participant(
        db,
        cohort.id,
        ParticipantDraft(
            name="Aroha Ngāta", time_zone="Pacific/Auckland", status=IntakeStatus.ACCEPTED
        ),
    ).value
    call = calls.add_call(db, cohort.id, datetime(2026, 2, 5, 17, tzinfo=UTC), 90).value
    db.dispose()

    rng = random.Random(6)
    notes: set[int] = set()
    edits: dict[int, tuple[int, int]] = {}
    person_notes: tuple[int, int] | None = None
    for round_ in range(KILLS):
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                folder.sqlite_url,
                str(call.id),
                str(person.id),
                str(round_),
                str(cohort.id),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        assert child.stdout is not None
        lines: list[str] = []
        # Let it commit a varied number of changes, then kill it mid-way through the next.
        wanted = rng.randint(1, 40)
        for line in child.stdout:
            lines.append(line)
            if len(lines) >= wanted:
                break
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.read().splitlines()
        child.wait()
        assert child.returncode == -signal.SIGKILL, "the writer stopped before it was killed"
        for line in lines:
            kind, ident, *rest = line.split()
            if kind == "note":
                notes.add(int(ident))
            elif kind == "edit":
                edits[int(ident)] = version(rest[0])
            elif kind == "person":
                person_notes = version(rest[0])

        conn = sqlite3.connect(folder.database)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            stored = dict(conn.execute("SELECT id, text FROM notes").fetchall())
            missing = notes - set(stored)
            assert not missing, f"round {round_}: committed notes lost: {sorted(missing)}"
            for note_id, seen in edits.items():
                text = stored[note_id]
                assert text.startswith("edited at "), f"note {note_id} lost its edit"
                assert version(text.removeprefix("edited at ")) >= seen
            if person_notes is not None:
                [(kept,)] = conn.execute(
                    "SELECT notes FROM participants WHERE id = ?", (person.id,)
                ).fetchall()
                assert version(kept) >= person_notes
        finally:
            conn.close()
    assert len(notes) >= KILLS
