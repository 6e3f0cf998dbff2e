"""Buddy catch-ups between calls: new pairs each cycle, a trio when the count is odd."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

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
    Cohort,
    Participant,
)


@dataclass(frozen=True)
class BuddyGroupView:
    id: int
    members: tuple[int, ...]
    happened: bool | None
    note: str
    fixed: bool = False  # made or changed by hand: re-planning keeps it


@dataclass(frozen=True)
class PairsPlanned:
    """What "Plan pairs" did: the cycles now, and in words what changed."""

    cycles: list[BuddyCycleView]
    changes: tuple[str, ...]


@dataclass(frozen=True)
class BuddyCycleView:
    id: int
    after_call_id: int
    after_call_label: str
    groups: tuple[BuddyGroupView, ...]
    # For a cycle still to come: why its groups no longer fit the roster ("Ana has
    # withdrawn"); "Plan pairs" re-plans it.
    out_of_date: tuple[str, ...] = ()

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


def _view(
    cycle: BuddyCycle, labels: dict[int, str], out_of_date: tuple[str, ...] = ()
) -> BuddyCycleView:
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
                fixed=g.fixed,
            )
            for g in cycle.groups
        ),
        out_of_date=out_of_date,
    )


def _members(cycle: BuddyCycle) -> set[int]:
    return {m.participant_id for g in cycle.groups for m in g.members}


class _Roster:
    """Who each cycle of a cohort should hold, read once: accepted people, less those
    marked absent from the call that ends the cycle."""

    def __init__(self, session: Session, cohort: Cohort, now: datetime) -> None:
        self.people = {
            p.id: p
            for p in session.scalars(select(Participant).where(Participant.cohort_id == cohort.id))
        }
        self.accepted = sorted(
            pid for pid, p in self.people.items() if p.status == IntakeStatus.ACCEPTED.value
        )
        self.views = [v for v in call_views(cohort.calls, cohort) if not v.cancelled]
        self.labels = {v.id: v.label for v in call_views(cohort.calls, cohort)}
        self.now = now
        absent_rows = session.execute(
            select(Attendance.call_id, Attendance.participant_id).where(
                Attendance.call_id.in_([v.id for v in self.views]), Attendance.present.is_(False)
            )
        )
        self.absent: dict[int, set[int]] = {}
        for call_id, pid in absent_rows:
            self.absent.setdefault(call_id, set()).add(pid)

    def following(self, after_call_id: int) -> int | None:
        ids = [v.id for v in self.views]
        if after_call_id not in ids:
            return None
        position = ids.index(after_call_id)
        return ids[position + 1] if position + 1 < len(ids) else None

    def is_open(self, after_call_id: int) -> bool:
        """Still to come: the call it follows is not held yet."""
        view = next((v for v in self.views if v.id == after_call_id), None)
        return view is not None and not view.is_held(self.now)

    def away(self, after_call_id: int) -> set[int]:
        following = self.following(after_call_id)
        return self.absent.get(following, set()) if following is not None else set()

    def expected(self, after_call_id: int) -> set[int]:
        return set(self.accepted) - self.away(after_call_id)

    def reasons(self, cycle: BuddyCycle) -> tuple[str, ...]:
        """Why a cycle still to come no longer fits the roster; () when it does."""
        if not self.is_open(cycle.after_call_id):
            return ()
        have, want = _members(cycle), self.expected(cycle.after_call_id)
        following = self.following(cycle.after_call_id)
        reasons = []
        for pid in sorted(have - want, key=self.name):
            person = self.people.get(pid)
            if person is not None and person.status != IntakeStatus.ACCEPTED.value:
                reasons.append(f"{person.name} is now {person.status}")
            elif following is not None:
                reasons.append(
                    f"{self.name(pid)} is marked absent from {self.labels.get(following, '')}"
                )
        reasons.extend(
            f"{self.name(pid)} is not in a group" for pid in sorted(want - have, key=self.name)
        )
        if len(want) < 2 and not have:
            return ()
        return tuple(reasons)

    def name(self, pid: int) -> str:
        person = self.people.get(pid)
        return person.name if person is not None else f"person {pid}"


def list_cycles(db: Database, cohort_id: int, now: datetime | None = None) -> list[BuddyCycleView]:
    with db.reading() as session:
        cohort = load_cohort(session, cohort_id)
        roster = _Roster(session, cohort, now or datetime.now(UTC))
        return [_view(c, roster.labels, roster.reasons(c)) for c in _cycles(session, cohort_id)]


def _replace_groups(
    session: Session,
    cycle: BuddyCycle,
    groups: Sequence[Sequence[int]],
    fixed: Sequence[bool] = (),
) -> None:
    cycle.groups.clear()
    session.flush()
    for position, members in enumerate(groups):
        cycle.groups.append(
            BuddyGroup(
                position=position,
                members=[BuddyMember(participant_id=pid) for pid in sorted(members)],
                fixed=fixed[position] if position < len(fixed) else False,
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
        # A group left as it was keeps its mark; one made or changed here is fixed by hand.
        before = {frozenset(m.participant_id for m in g.members): g.fixed for g in cycle.groups}
        fixed = [before.get(frozenset(members), True) for members in groups]
        _replace_groups(session, cycle, groups, fixed)
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


def plan_pairs(db: Database, cohort_id: int, now: datetime | None = None) -> Outcome[PairsPlanned]:
    """ "Plan pairs": cycles still to come that no longer fit the roster (someone withdrew,
    joined, or is marked absent from the call that ends the cycle) are planned again,
    keeping the groups fixed by hand; then every call without a cycle gets one. Says in
    words what changed."""
    now = now or datetime.now(UTC)
    changes: list[str] = []
    with db.unit_of_work() as session:
        cohort = load_cohort(session, cohort_id)
        roster = _Roster(session, cohort, now)
        cycles = _cycles(session, cohort_id)
        for index, cycle in enumerate(cycles):
            reasons = roster.reasons(cycle)
            if not reasons:
                continue
            before = [sorted(m.participant_id for m in g.members) for g in cycle.groups]
            _replan(session, cohort, roster, cycle, cycles[:index])
            after = [sorted(m.participant_id for m in g.members) for g in cycle.groups]
            label = roster.labels.get(cycle.after_call_id, "")
            names = "; ".join(_group_names(g, roster) for g in after) or "no groups"
            changes.append(f"After {label}: {', '.join(reasons)}. Pairs now: {names}.")
            if before == after:
                changes[-1] = f"After {label}: {', '.join(reasons)}; no other pairs possible."
    have = {c.after_call_id for c in list_cycles(db, cohort_id, now)}
    outcome = generate_missing(db, cohort_id)
    added = [c for c in outcome.value if c.after_call_id not in have]
    if added:
        changes.append(
            f"New pairs after {len(added)} call{'s' if len(added) != 1 else ''}: "
            + ", ".join(c.after_call_label for c in added)
            + "."
        )
    return Outcome.of(PairsPlanned(list_cycles(db, cohort_id, now), tuple(changes)), Topic.BUDDIES)


def _group_names(members: Sequence[int], roster: _Roster) -> str:
    names = [roster.name(pid) for pid in members]
    return " & ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " & " + names[-1]


def _replan(
    session: Session,
    cohort: Cohort,
    roster: _Roster,
    cycle: BuddyCycle,
    earlier: Sequence[BuddyCycle],
) -> None:
    """New groups for one cycle around the roster as it is now; groups fixed by hand stay,
    less anyone who is no longer in the cycle (a fixed group left with one person
    frees them)."""
    want = roster.expected(cycle.after_call_id)
    kept: list[list[int]] = []
    for group in cycle.groups:
        if group.fixed:
            members = sorted(m.participant_id for m in group.members if m.participant_id in want)
            if len(members) >= 2:
                kept.append(members)
    taken = {pid for group in kept for pid in group}
    pool = sorted(want - taken)
    history = [
        Cycle(tuple(tuple(sorted(m.participant_id for m in g.members)) for g in c.groups))
        for c in earlier
    ]
    hours = WakingHours(cohort.day_start, cohort.day_end)
    call = next((c for c in cohort.calls if c.id == cycle.after_call_id), None)
    day = (call.starts_at if call is not None else datetime.now(UTC)).date()
    zones = {pid: roster.people[pid].time_zone for pid in want}

    def overlap(a: int, b: int) -> float:
        return waking_overlap(zones[a], zones[b], hours, day)

    planned = [list(g) for g in next_cycle(pool, history, awake_overlap=overlap).groups]
    fresh_fixed = [True] * len(kept) + [False] * len(planned)
    groups = kept + planned
    if len(pool) == 1:
        # One person left over beside the fixed groups: they join a pair as a trio.
        pair = next((g for g in groups if len(g) == 2), None)
        if pair is not None:
            pair.append(pool[0])
    _replace_groups(session, cycle, groups, fresh_fixed)
    session.flush()
