"""The sample's notes: each held call has its own, in the voices of its people (issue 13)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest

from sanctuary_desktop.services import cohorts, demo, records
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database


def held_notes(db: Database, today: date) -> list[list[records.NoteView]]:
    cohort = demo.create_sample(db, today=today)
    plan = cohorts.get_plan(db, cohort.id)
    now = datetime.combine(today, time(0), UTC)
    held = [c for c in plan.calls if c.starts_at < now and not c.cancelled]
    return [records.list_notes(db, call.id) for call in held]


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2027, 1, 28)])
def test_no_note_repeats_across_calls(db: Database, today: date) -> None:
    calls = held_notes(db, today)
    assert len(calls) >= 3
    texts = Counter(note.text for notes in calls for note in notes)
    repeated = [text for text, times in texts.items() if times > 1]
    assert repeated == []
    assert all(len(notes) >= 4 for notes in calls)
    # Every call has a word from the check-in or the rounds, not the same four in turn.
    stages = [tuple(sorted(note.stage for note in notes)) for notes in calls]
    assert len(set(stages)) > 1


def test_the_notes_keep_the_people_s_accents_and_name_them(db: Database) -> None:
    words = " ".join(note.text for notes in held_notes(db, date(2026, 11, 23)) for note in notes)
    for name in ("Aroha", "Zoë", "Chloé", "Amélie", "Siobhán", "Tewodros", "Mere", "Jordan"):
        assert name in words, name


def test_each_action_is_owned_by_someone_who_was_there(db: Database) -> None:
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    plan = cohorts.get_plan(db, cohort.id)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    owners = []
    for call in (c for c in plan.calls if c.starts_at < now):
        present = {person for person, there in records.attendance(db, call.id).items() if there}
        for note in records.list_notes(db, call.id):
            if note.kind is NoteKind.ACTION:
                assert note.owner_id in present
                owners.append(note.owner_id)
    assert len(set(owners)) > 1, "actions are shared out, not all one person's"
