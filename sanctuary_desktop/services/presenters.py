"""Who presents when: every accepted participant once before anyone twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.rotation import CallSlots, not_yet_presented, plan_presenters
from sanctuary_desktop.services import agendas
from sanctuary_desktop.services.cohorts import load_call, load_cohort
from sanctuary_desktop.services.views import Outcome, Topic, call_views
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Attendance, Call, Participant, PresenterSlot


@dataclass(frozen=True)
class CallPresenters:
    call_id: int
    label: str
    starts_at: datetime
    held: bool
    presenters: tuple[int | None, ...]  # participant ids by round
    fixed: tuple[bool, ...]  # chosen by hand


@dataclass(frozen=True)
class PresenterPlan:
    calls: tuple[CallPresenters, ...]
    names: dict[int, str]
    not_yet: tuple[int, ...]  # accepted people who have no turn planned yet


def presenter_plan(db: Database, cohort_id: int, now: datetime | None = None) -> PresenterPlan:
    now = now or datetime.now(UTC)
    rounds = agendas.rounds_per_call(db, cohort_id)
    with db.reading() as session:
        cohort = load_cohort(session, cohort_id)
        accepted = session.scalars(
            select(Participant).where(
                Participant.cohort_id == cohort_id,
                Participant.status == IntakeStatus.ACCEPTED.value,
            )
        ).all()
        slots = session.scalars(
            select(PresenterSlot).join(Call).where(Call.cohort_id == cohort_id)
        ).all()
        by_call: dict[int, dict[int, PresenterSlot]] = {}
        for slot in slots:
            by_call.setdefault(slot.call_id, {})[slot.slot] = slot
        views = [v for v in call_views(cohort.calls, cohort) if not v.cancelled]
        result = []
        for view in views:
            chosen = by_call.get(view.id, {})
            count = rounds.get(view.id, 0)
            result.append(
                CallPresenters(
                    call_id=view.id,
                    label=view.label,
                    starts_at=view.starts_at,
                    held=view.is_held(now),
                    presenters=tuple(
                        chosen[n].participant_id if n in chosen else None
                        for n in range(1, count + 1)
                    ),
                    fixed=tuple(
                        chosen[n].fixed if n in chosen else False for n in range(1, count + 1)
                    ),
                )
            )
        people = [p.id for p in accepted]
        plan = {c.call_id: c.presenters for c in result}
        return PresenterPlan(
            calls=tuple(result),
            names={p.id: p.name for p in accepted},
            not_yet=tuple(not_yet_presented(plan, people)),
        )


def fill_presenters(
    db: Database, cohort_id: int, now: datetime | None = None
) -> Outcome[PresenterPlan]:
    """Choose presenters for every open slot; held calls and hand-picked slots stay."""
    now = now or datetime.now(UTC)
    current = presenter_plan(db, cohort_id, now)
    with db.unit_of_work() as session:
        absences: dict[int, set[int]] = {}
        call_ids = [c.call_id for c in current.calls]
        for call_id, pid in session.execute(
            select(Attendance.call_id, Attendance.participant_id).where(
                Attendance.call_id.in_(call_ids), Attendance.present.is_(False)
            )
        ):
            absences.setdefault(call_id, set()).add(pid)
        wanted = [
            CallSlots(
                call=c.call_id,
                slots=len(c.presenters),
                absent=frozenset(absences.get(c.call_id, ())),
                fixed=tuple(
                    p if (c.held or f) else None for p, f in zip(c.presenters, c.fixed, strict=True)
                ),
                held=c.held,
            )
            for c in current.calls
        ]
        plan = plan_presenters(wanted, list(current.names))
        for c in current.calls:
            if c.held:
                continue
            session.execute(
                delete(PresenterSlot).where(
                    PresenterSlot.call_id == c.call_id, PresenterSlot.fixed.is_(False)
                )
            )
            for number, person in enumerate(plan.get(c.call_id, ()), start=1):
                if not c.fixed[number - 1] and person is not None:
                    session.add(
                        PresenterSlot(call_id=c.call_id, slot=number, participant_id=person)
                    )
    return Outcome.of(presenter_plan(db, cohort_id, now), Topic.AGENDAS)


def set_presenter(
    db: Database, call_id: int, slot: int, participant_id: int | None
) -> Outcome[int]:
    """The facilitator's own choice for one round; None clears it for the planner."""
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        if participant_id is not None:
            person = session.get(Participant, participant_id)
            if person is None or person.cohort_id != call.cohort_id:
                raise ValidationError.single("Presenter", "is not in this cohort")
        if slot < 1:
            raise ValidationError.single("Round", "must be 1 or more")
        row = session.get(PresenterSlot, (call_id, slot))
        if participant_id is None:
            if row is not None:
                session.delete(row)
        else:
            row = row or PresenterSlot(call_id=call_id, slot=slot)
            row.participant_id = participant_id
            row.fixed = True
            session.add(row)
        return Outcome.of(call_id, Topic.AGENDAS)
