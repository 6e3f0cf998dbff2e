"""Buddy catch-ups between calls: new pairs each cycle, a trio when the count is odd."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sanctuary_desktop.domain.cohort import IntakeStatus, WakingHours
from sanctuary_desktop.domain.errors import Collector, ValidationError
from sanctuary_desktop.domain.pairing import Cycle, next_cycle
from sanctuary_desktop.domain.timeplan import waking_overlap
from sanctuary_desktop.services.cohorts import load_cohort
from sanctuary_desktop.services.views import Outcome, Topic, call_views
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import (
    Attendance,
    BuddyCycle,
    BuddyGroup,
    BuddyMember,
    Call,
    Participant,
)


@dataclass(frozen=True)
class BuddyGroupView:
    id: int
    members: tuple[int, ...]
    happened: bool | None
    note: str


@dataclass(frozen=True)
class BuddyCycleView:
    id: int
    after_call_id: int
    after_call_label: str
    groups: tuple[BuddyGroupView, ...]

    @property
    def cycle(self) -> Cycle:
        return Cycle(tuple(tuple(sorted(g.members)) for g in self.groups))


def _cycles(session: Session, cohort_id: int) -> list[BuddyCycle]:
    """The cohort's cycles in the order of the calls they follow."""
    return list(
        session.scalars(
            select(BuddyCycle)
            .join(Call, Call.id == BuddyCycle.after_call_id)
            .where(BuddyCycle.cohort_id == cohort_id)
            .options(selectinload(BuddyCycle.groups).selectinload(BuddyGroup.members))
            .order_by(Call.starts_at)
        )
    )


def _view(cycle: BuddyCycle, labels: dict[int, str]) -> BuddyCycleView:
    return BuddyCycleView(
        id=cycle.id,
        after_call_id=cycle.after_call_id,
        after_call_label=labels.get(cycle.after_call_id, ""),
        groups=tuple(
            BuddyGroupView(
                id=g.id,
                members=tuple(sorted(m.participant_id for m in g.members)),
                happened=g.happened,
                note=g.note,
            )
            for g in cycle.groups
        ),
    )


def list_cycles(db: Database, cohort_id: int) -> list[BuddyCycleView]:
    with db.reading() as session:
        cohort = load_cohort(session, cohort_id)
        labels = {v.id: v.label for v in call_views(cohort.calls, cohort)}
        return [_view(c, labels) for c in _cycles(session, cohort_id)]


def _replace_groups(session: Session, cycle: BuddyCycle, groups: Sequence[Sequence[int]]) -> None:
    cycle.groups.clear()
    session.flush()
    for position, members in enumerate(groups):
        cycle.groups.append(
            BuddyGroup(
                position=position,
                members=[BuddyMember(participant_id=pid) for pid in sorted(members)],
            )
        )


def generate_cycle(db: Database, cohort_id: int, after_call_id: int) -> Outcome[BuddyCycleView]:
    """Pairs for the catch-ups after a call: new partners where the roster allows, the
    fewest and oldest repeats after that, and partners who share waking hours."""
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        ordered = [c for c in sorted(cohort.calls, key=lambda c: c.starts_at) if not c.cancelled]
        position = next((i for i, c in enumerate(ordered) if c.id == after_call_id), None)
        if position is None:
            raise ValidationError.single("Call", "is not a planned call of this cohort")
        after = ordered[position]
        following = ordered[position + 1] if position + 1 < len(ordered) else None
        people = session.scalars(
            select(Participant).where(
                Participant.cohort_id == cohort_id,
                Participant.status == IntakeStatus.ACCEPTED.value,
            )
        ).all()
        zones = {p.id: p.time_zone for p in people}
        # People known to miss the next call are away this cycle too.
        absent = set()
        if following is not None:
            absent = set(
                session.scalars(
                    select(Attendance.participant_id).where(
                        Attendance.call_id == following.id, Attendance.present.is_(False)
                    )
                )
            )
        earlier = [
            c
            for c in _cycles(session, cohort_id)
            if c.after_call_id in {x.id for x in ordered[:position]}
        ]
        history = [
            Cycle(tuple(tuple(sorted(m.participant_id for m in g.members)) for g in c.groups))
            for c in earlier
        ]
        hours = WakingHours(cohort.day_start, cohort.day_end)
        day = after.starts_at.date()

        def overlap(a: int, b: int) -> float:
            return waking_overlap(zones[a], zones[b], hours, day)

        cycle = next_cycle(list(zones), history, absent=absent, awake_overlap=overlap)
        row = session.scalar(select(BuddyCycle).where(BuddyCycle.after_call_id == after_call_id))
        if row is None:
            row = BuddyCycle(cohort_id=cohort_id, after_call_id=after_call_id)
            session.add(row)
        _replace_groups(session, row, cycle.groups)
        session.flush()
        labels = {v.id: v.label for v in call_views(cohort.calls, cohort)}
        return Outcome.of(_view(row, labels), Topic.BUDDIES)


def generate_missing(db: Database, cohort_id: int) -> Outcome[list[BuddyCycleView]]:
    """A cycle after every planned call that has none yet, in call order."""
    with db.reading() as session:
        cohort = load_cohort(session, cohort_id)
        have = {c.after_call_id for c in _cycles(session, cohort_id)}
        missing = [
            c.id
            for c in sorted(cohort.calls, key=lambda c: c.starts_at)
            if not c.cancelled and c.id not in have
        ]
    for call_id in missing:
        generate_cycle(db, cohort_id, call_id)
    return Outcome.of(list_cycles(db, cohort_id), Topic.BUDDIES)


def set_groups(
    db: Database, cycle_id: int, groups: Sequence[Sequence[int]]
) -> Outcome[BuddyCycleView]:
    """The facilitator's own pairs: each person in one group of two or three."""
    errors = Collector()
    seen: set[int] = set()
    for members in groups:
        if not 2 <= len(members) <= 3:
            errors.add("Groups", "each group needs two or three people")
        twice = seen & set(members)
        if twice or len(set(members)) != len(members):
            errors.add("Groups", "someone is in more than one group")
        seen |= set(members)
    errors.raise_if_any()
    with db.unit_of_work() as session:
        cycle = session.get(BuddyCycle, cycle_id)
        if cycle is None:
            raise ValidationError.single("Cycle", f"no buddy cycle with id {cycle_id}")
        members_ok = set(
            session.scalars(select(Participant.id).where(Participant.cohort_id == cycle.cohort_id))
        )
        if not seen <= members_ok:
            raise ValidationError.single("Groups", "lists people who are not in this cohort")
        _replace_groups(session, cycle, groups)
        session.flush()
        cohort = load_cohort(session, cycle.cohort_id)
        labels = {v.id: v.label for v in call_views(cohort.calls, cohort)}
        return Outcome.of(_view(cycle, labels), Topic.BUDDIES)


def set_happened(
    db: Database, group_id: int, happened: bool | None, note: str = ""
) -> Outcome[int]:
    """Record whether a catch-up took place (None: not known yet)."""
    with db.unit_of_work() as session:
        group = session.get(BuddyGroup, group_id)
        if group is None:
            raise ValidationError.single("Group", f"no buddy group with id {group_id}")
        group.happened = happened
        group.note = note.strip()
        return Outcome.of(group_id, Topic.BUDDIES)
