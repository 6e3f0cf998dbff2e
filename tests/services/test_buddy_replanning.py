"""Issue 13: cycles still to come are planned again around a withdrawal or an absence,
keeping pairs made by hand, and "Plan pairs" says what changed."""

from __future__ import annotations

from dataclasses import replace

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.services import buddies, calls, cohorts, records, roster
from sanctuary_desktop.store.database import Database
from tests.services.test_presenters_and_buddies import NOW, sample


def _withdraw(db: Database, cohort_id: int, pid: int) -> str:
    person = next(p for p in roster.list_participants(db, cohort_id) if p.id == pid)
    roster.update_participant(db, pid, replace(person.draft(), status=IntakeStatus.WITHDRAWN))
    return person.name


def _upcoming(db: Database, cohort_id: int) -> list[buddies.BuddyCycleView]:
    held = {c.id for c in calls.list_cohort_calls(db, cohort_id) if c.is_held(NOW)}
    return [c for c in buddies.list_cycles(db, cohort_id, NOW) if c.after_call_id not in held]


def test_a_withdrawal_is_shown_then_planned_around_keeping_pairs_made_by_hand(
    db: Database,
) -> None:
    cohort_id = sample(db)
    cycles = buddies.list_cycles(db, cohort_id, NOW)
    held_cycles = [c for c in cycles if c not in _upcoming(db, cohort_id)]
    upcoming = _upcoming(db, cohort_id)
    assert upcoming and all(not c.out_of_date for c in cycles)
    first = upcoming[0]
    # The facilitator pairs two people by hand in the first cycle to come.
    a, b = first.groups[0].members[0], first.groups[1].members[0]
    rest = [m for g in first.groups for m in g.members if m not in (a, b)]
    hand = [[a, b], rest[:2], rest[2:4], rest[4:]]
    buddies.set_groups(db, first.id, [g for g in hand if g])
    marked = buddies.list_cycles(db, cohort_id, NOW)
    first_now = next(c for c in marked if c.id == first.id)
    assert [g.fixed for g in first_now.groups if sorted(g.members) == sorted([a, b])] == [True]
    # Someone else withdraws: every cycle still to come says so, the held ones do not.
    leaver = next(m for m in rest if m not in (a, b))
    name = _withdraw(db, cohort_id, leaver)
    warned = {c.id: c.out_of_date for c in buddies.list_cycles(db, cohort_id, NOW)}
    assert all(warned[c.id] == (f"{name} is now withdrawn",) for c in upcoming)
    assert all(warned[c.id] == () for c in held_cycles)
    # "Plan pairs" plans them again around the change, and says what it did.
    planned = buddies.plan_pairs(db, cohort_id, NOW).value
    assert len(planned.changes) == len(upcoming)
    assert all(f"{name} is now withdrawn" in line for line in planned.changes)
    after = {c.id: c for c in planned.cycles}
    for cycle in upcoming:
        members = [m for g in after[cycle.id].groups for m in g.members]
        assert leaver not in members and not after[cycle.id].out_of_date
        assert sorted(members) == sorted(set(members))
    assert sorted([a, b]) in [sorted(g.members) for g in after[first.id].groups]
    # Held cycles are history: untouched.
    for cycle in held_cycles:
        assert after[cycle.id].groups == cycle.groups
    # Planning again changes nothing more.
    assert buddies.plan_pairs(db, cohort_id, NOW).value.changes == ()


def test_someone_marked_absent_from_the_next_call_leaves_that_cycle(db: Database) -> None:
    cohort_id = sample(db)
    upcoming = _upcoming(db, cohort_id)
    plan = cohorts.get_plan(db, cohort_id)
    accepted = [p.id for p in plan.participants if p.status is IntakeStatus.ACCEPTED]
    first = upcoming[0]
    ids = [c.id for c in plan.calls if not c.cancelled]
    following = ids[ids.index(first.after_call_id) + 1]
    away = first.groups[0].members[0]
    records.record_attendance(db, following, set(accepted) - {away})
    warned = next(c for c in buddies.list_cycles(db, cohort_id, NOW) if c.id == first.id)
    assert len(warned.out_of_date) == 1 and "absent from" in warned.out_of_date[0]
    planned = buddies.plan_pairs(db, cohort_id, NOW).value
    replanned = next(c for c in planned.cycles if c.id == first.id)
    assert away not in [m for g in replanned.groups for m in g.members]
