from __future__ import annotations

from datetime import date, time

import pytest

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft, WakingHours
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import cohorts, roster
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.store.database import Database


def draft(**changes: object) -> CohortDraft:
    base = dict(
        name="Women leading on climate",
        home_tz="America/Vancouver",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 7, 31),
        focus="Climate and nature in Canada",
        facilitators="Maya, Léa",
    )
    base.update(changes)
    return CohortDraft(**base)  # type: ignore[arg-type]


def person(name: str = "Aroha Ngātai", **changes: object) -> ParticipantDraft:
    base: dict[str, object] = dict(name=name, time_zone="Pacific/Auckland", email="aroha@x.nz")
    base.update(changes)
    return ParticipantDraft(**base)  # type: ignore[arg-type]


def test_create_edit_archive_and_delete_a_cohort(db: Database) -> None:
    created = cohorts.create_cohort(db, draft(name="  Spaces trimmed  "))
    assert created.changed == {Topic.COHORTS}
    assert created.value.name == "Spaces trimmed"
    edited = cohorts.update_cohort(
        db, created.value.id, draft(call_minutes=120, waking_hours=WakingHours(time(8), time(21)))
    ).value
    assert edited.call_minutes == 120 and edited.waking_hours.start == time(8)
    cohorts.set_archived(db, edited.id, True)
    assert cohorts.list_cohorts(db, include_archived=False) == []
    assert [c.archived for c in cohorts.list_cohorts(db)] == [True]
    cohorts.delete_cohort(db, edited.id)
    assert cohorts.list_cohorts(db) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "Name"),
        ({"end_date": date(2026, 12, 1)}, "End date"),
        ({"call_minutes": 0}, "Call length"),
        ({"call_minutes": -30}, "Call length"),
        ({"home_tz": "Mars/Olympus_Mons"}, "Home time zone"),
        ({"waking_hours": WakingHours(time(22), time(7))}, "Reasonable hours"),
    ],
)
def test_bad_cohort_input_names_the_field_and_writes_nothing(
    db: Database, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        cohorts.create_cohort(db, draft(**changes))
    assert caught.value.for_field(field)
    assert cohorts.list_cohorts(db) == []


def test_duplicate_as_new_intake_copies_settings_but_no_people(db: Database) -> None:
    source = cohorts.create_cohort(db, draft()).value
    roster.add_participant(db, source.id, person())
    copy = cohorts.duplicate_as_new_intake(
        db, source.id, name="Spring intake", start_date=date(2027, 9, 1), end_date=date(2028, 3, 1)
    ).value
    assert (copy.focus, copy.facilitators, copy.home_tz) == (
        source.focus,
        source.facilitators,
        source.home_tz,
    )
    assert copy.start_date == date(2027, 9, 1)
    assert roster.list_participants(db, copy.id) == []


def test_roster_add_edit_remove_and_duplicate_email(db: Database) -> None:
    cohort = cohorts.create_cohort(db, draft()).value
    aroha = roster.add_participant(db, cohort.id, person()).value
    assert aroha.name == "Aroha Ngātai" and aroha.status is IntakeStatus.APPLIED
    with pytest.raises(ValidationError) as caught:
        roster.add_participant(db, cohort.id, person("Someone Else", email="AROHA@x.nz"))
    assert "already in this cohort" in (caught.value.for_field("Email") or "")
    updated = roster.update_participant(
        db,
        aroha.id,
        person(status=IntakeStatus.ACCEPTED, interview_date=date(2026, 12, 1), years_in_practice=8),
    ).value
    assert updated.status is IntakeStatus.ACCEPTED and updated.years_in_practice == 8
    roster.remove_participant(db, aroha.id)
    assert roster.list_participants(db, cohort.id) == []


def test_the_same_email_may_be_in_two_cohorts(db: Database) -> None:
    first = cohorts.create_cohort(db, draft()).value
    second = cohorts.create_cohort(db, draft(name="Another")).value
    roster.add_participant(db, first.id, person())
    roster.add_participant(db, second.id, person())
    assert len(roster.list_participants(db, second.id)) == 1


def test_import_is_all_or_nothing(db: Database) -> None:
    cohort = cohorts.create_cohort(db, draft()).value
    roster.add_participant(db, cohort.id, person())
    batch = [
        person("Siobhán O'Connell", email="s@x.ie", time_zone="Europe/London"),
        person("Duplicate of Aroha", email="aroha@x.nz"),
    ]
    with pytest.raises(ValidationError):
        roster.import_participants(db, cohort.id, batch)
    assert [p.name for p in roster.list_participants(db, cohort.id)] == ["Aroha Ngātai"]
    added = roster.import_participants(db, cohort.id, batch[:1]).value
    assert [p.name for p in added] == ["Siobhán O'Connell"]


def test_participants_without_email_do_not_collide(db: Database) -> None:
    cohort = cohorts.create_cohort(db, draft()).value
    roster.add_participant(db, cohort.id, person("A", email=""))
    roster.add_participant(db, cohort.id, person("B", email=""))
    assert len(roster.list_participants(db, cohort.id)) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "Name"),
        ({"email": "not-an-email"}, "Email"),
        ({"time_zone": "Middle/Earth"}, "Time zone"),
        ({"years_in_practice": -1}, "Years in practice"),
    ],
)
def test_bad_participant_input_names_the_field(
    db: Database, changes: dict[str, object], field: str
) -> None:
    cohort = cohorts.create_cohort(db, draft()).value
    with pytest.raises(ValidationError) as caught:
        roster.add_participant(db, cohort.id, person(**changes))
    assert caught.value.for_field(field)
    assert roster.list_participants(db, cohort.id) == []
