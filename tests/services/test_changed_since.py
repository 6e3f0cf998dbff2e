"""Issue 13: a save read before someone else's save is refused, naming the record."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from sanctuary_desktop.domain.cohort import ParticipantDraft
from sanctuary_desktop.services import calls, cohorts, participant_edits, roster
from sanctuary_desktop.services.views import ChangedSince
from sanctuary_desktop.store.database import Database
from tests.services.test_calls import first_thursdays, make_cohort


def test_a_stale_call_save_is_refused_and_writes_nothing(db: Database) -> None:
    cohort_id = make_cohort(db)
    call = calls.generate_series(db, cohort_id, first_thursdays(count=2)).value[0]
    calls.update_call(db, call.id, starts_at=call.starts_at, minutes=60, read_at=call.updated_at)
    with pytest.raises(ChangedSince) as refused:
        calls.update_call(
            db, call.id, starts_at=call.starts_at, minutes=90, title="x", read_at=call.updated_at
        )
    assert refused.value.errors[0].field == "Call"
    assert "changed since" in str(refused.value)
    stored = calls.get_call(db, call.id)
    assert (stored.minutes, stored.title) == (60, "")
    # Read again, the same save goes through.
    calls.update_call(db, call.id, starts_at=call.starts_at, minutes=90, read_at=stored.updated_at)
    assert calls.get_call(db, call.id).minutes == 90


def test_cancelling_a_call_is_a_change_a_move_dialog_must_see(db: Database) -> None:
    cohort_id = make_cohort(db)
    call = calls.generate_series(db, cohort_id, first_thursdays(count=1)).value[0]
    calls.set_cancelled(db, call.id, True)
    with pytest.raises(ChangedSince):
        calls.update_call(
            db,
            call.id,
            starts_at=call.starts_at + timedelta(days=1),
            minutes=90,
            read_at=call.updated_at,
        )


def test_a_stale_cohort_save_is_refused(db: Database) -> None:
    cohort_id = make_cohort(db)
    read = cohorts.get_cohort(db, cohort_id)
    cohorts.update_cohort(db, cohort_id, replace(read.draft(), call_minutes=60))
    with pytest.raises(ChangedSince):
        cohorts.update_cohort(db, cohort_id, replace(read.draft(), focus="Climate"))
    assert cohorts.get_cohort(db, cohort_id).call_minutes == 60


def test_a_stale_participant_save_is_refused(db: Database) -> None:
    cohort_id = make_cohort(db)
    person = roster.add_participant(
        db, cohort_id, ParticipantDraft(name="Aroha", time_zone="Pacific/Auckland")
    ).value
    participant_edits.update_participant_as_read(
        db, person.id, replace(person.draft(), organisation="Tūhono"), person
    )
    with pytest.raises(ChangedSince):
        participant_edits.update_participant_as_read(
            db, person.id, replace(person.draft(), notes="late"), person
        )
    now = participant_edits.get_participant(db, person.id)
    assert (now.organisation, now.notes) == ("Tūhono", "")
    participant_edits.update_participant_as_read(
        db, person.id, replace(now.draft(), notes="late"), now
    )
    assert participant_edits.get_participant(db, person.id).notes == "late"
