"""Live runs: the agenda a call began with and every transition of its timer.

Each transition is appended the moment it happens, so reopening the app rebuilds the
timer from the log (``LiveTimer(..., events)``) at the right remaining time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sanctuary_desktop.domain.agenda import AgendaItem, agenda_from_json, agenda_to_json
from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.timer import Action, LiveEvent, LiveTimer, StageRecord
from sanctuary_desktop.services import agendas
from sanctuary_desktop.services.cohorts import load_call, load_cohort
from sanctuary_desktop.services.views import CallView, Outcome, Topic, call_views
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import (
    Attendance,
    Call,
    LiveRun,
    RunEvent,
)


@dataclass(frozen=True)
class LivePerson:
    id: int
    name: str
    time_zone: str


@dataclass(frozen=True)
class LiveCall:
    run_id: int
    call: CallView
    items: tuple[AgendaItem, ...]
    events: tuple[LiveEvent, ...]
    people: tuple[LivePerson, ...]  # the cohort's accepted participants, by name
    present: frozenset[int]  # as recorded; everyone when nothing is recorded yet
    attendance_recorded: bool
    finished_at: datetime | None
    scheduled_start: datetime  # as the run began: moving the call later changes nothing here
    call_minutes: int

    def timer(self) -> LiveTimer:
        return LiveTimer(self.items, self.scheduled_start, self.call_minutes, self.events)

    @property
    def started(self) -> bool:
        return bool(self.events)

    def name_of(self, person_id: int | None) -> str:
        for person in self.people:
            if person.id == person_id:
                return person.name
        return ""

    def turn_order(self, present: frozenset[int] | None = None) -> tuple[int, ...]:
        """Those present, in roster order: the order of per-person turns."""
        chosen = self.present if present is None else present
        return tuple(person.id for person in self.people if person.id in chosen)


@dataclass(frozen=True)
class RunSummary:
    call_id: int
    cohort_id: int
    cohort_name: str
    call_label: str
    started_at: datetime
    paused_at: datetime | None = None  # left paused: the timer has not kept running

    @property
    def paused(self) -> bool:
        return self.paused_at is not None


def open_live(db: Database, call_id: int) -> Outcome[LiveCall]:
    """The call's live run, created from its agenda on first opening.

    A run that has not started yet takes the agenda afresh, so edits made between
    opening the live view and pressing start are not lost.
    """
    agenda = agendas.get_agenda(db, call_id)
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        if call.cancelled:
            raise ValidationError.single("Call", "is cancelled")
        run = session.scalar(select(LiveRun).where(LiveRun.call_id == call_id))
        changed = False
        if run is None:
            run = LiveRun(call_id=call_id)
            session.add(run)
            changed = True
        if not run.events:
            run.items = agenda_to_json(agenda.items)
            run.scheduled_start = call.starts_at
            run.call_minutes = call.minutes
        session.flush()
        view = _live_view(session, call, run)
        return Outcome(view, frozenset({Topic.LIVE}) if changed else frozenset())


def append_events(db: Database, run_id: int, events: Sequence[LiveEvent]) -> Outcome[int]:
    """Write timer transitions after those already written; returns how many are kept."""
    if not events:
        return Outcome(0, frozenset())
    with db.unit_of_work() as session:
        run = session.get(LiveRun, run_id)
        if run is None:
            raise ValidationError.single("Live call", f"no live run with id {run_id}")
        last = session.scalar(select(func.max(RunEvent.seq)).where(RunEvent.run_id == run_id))
        seq = 0 if last is None else last + 1
        for offset, event in enumerate(events):
            session.add(
                RunEvent(
                    run_id=run_id,
                    seq=seq + offset,
                    at=event.at,
                    action=event.action.value,
                    amount=event.amount,
                    numbers=",".join(str(n) for n in event.values),
                )
            )
        finished_before = run.finished_at
        if any(event.action in _MAY_FINISH for event in events):
            # Moving on from the last stage finishes the call as surely as FINISH does.
            session.flush()
            session.expire(run, ["events"])
            timer = LiveTimer(
                agenda_from_json(run.items), run.scheduled_start, run.call_minutes, _events(run)
            )
            run.finished_at = timer.finished_at
        if run.finished_at != finished_before:
            # A finished run makes its call held: the lists of calls change too.
            return Outcome.of(len(events), Topic.LIVE, Topic.CALLS)
        return Outcome.of(len(events), Topic.LIVE)


_MAY_FINISH = frozenset({Action.NEXT, Action.SKIP, Action.AUTO, Action.FINISH})


def start_over(db: Database, call_id: int) -> Outcome[LiveCall]:
    """Forget the call's run (its timer record, not its notes) and take the agenda afresh."""
    with db.unit_of_work() as session:
        load_call(session, call_id)
        session.execute(delete(LiveRun).where(LiveRun.call_id == call_id))
    outcome = open_live(db, call_id)
    return Outcome(outcome.value, frozenset({Topic.LIVE}))


def unfinished_runs(db: Database) -> list[RunSummary]:
    """Calls whose timer was started and never finished: a crash, or a closed lid.

    A cancelled call is left out: it cannot be opened live, so it could not be resumed."""
    with db.reading() as session:
        first = (
            select(RunEvent.run_id, func.min(RunEvent.at).label("started"))
            .group_by(RunEvent.run_id)
            .subquery()
        )
        rows = session.execute(
            select(LiveRun, first.c.started)
            .join(first, first.c.run_id == LiveRun.id)
            .join(Call, Call.id == LiveRun.call_id)
            .where(LiveRun.finished_at.is_(None), Call.cancelled.is_(False))
            .order_by(first.c.started.desc())
        ).all()
        summaries = []
        for run, started in rows:
            call = load_call(session, run.call_id)
            cohort = load_cohort(session, call.cohort_id)
            view = next(v for v in call_views(cohort.calls, cohort) if v.id == call.id)
            summaries.append(
                RunSummary(
                    call.id,
                    cohort.id,
                    cohort.name,
                    view.label,
                    _aware(started),
                    _paused_at(_events(run)),
                )
            )
        return summaries


def stage_records(db: Database, call_id: int, now: datetime) -> tuple[StageRecord, ...]:
    """Planned against actual for each stage of the call's run; empty when never run."""
    with db.reading() as session:
        run = session.scalar(select(LiveRun).where(LiveRun.call_id == call_id))
        if run is None or not run.events:
            return ()
        timer = LiveTimer(
            agenda_from_json(run.items), run.scheduled_start, run.call_minutes, _events(run)
        )
    timer.tick(now)
    return timer.record(now)


def _paused_at(events: Sequence[LiveEvent]) -> datetime | None:
    """When a run's timer was paused, if the log leaves it paused."""
    for event in reversed(events):
        if event.action is Action.PAUSE:
            return event.at
        if event.action in (Action.RESUME, Action.START):
            return None
    return None


def _aware(value: datetime) -> datetime:
    # Aggregates skip the column type, so SQLite hands back the naive stored UTC text.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _events(run: LiveRun) -> tuple[LiveEvent, ...]:
    return tuple(
        LiveEvent(
            at=row.at,
            action=Action(row.action),
            amount=row.amount,
            values=tuple(int(n) for n in row.numbers.split(",") if n),
        )
        for row in run.events
    )


def _live_view(session: Session, call: Call, run: LiveRun) -> LiveCall:
    cohort = load_cohort(session, call.cohort_id)
    view = next(v for v in call_views(cohort.calls, cohort) if v.id == call.id)
    people = tuple(
        LivePerson(p.id, p.name, p.time_zone)
        for p in sorted(cohort.participants, key=lambda p: (p.name.casefold(), p.id))
        if p.status == IntakeStatus.ACCEPTED.value
    )
    rows = session.execute(
        select(Attendance.participant_id, Attendance.present).where(Attendance.call_id == call.id)
    ).all()
    recorded = bool(rows)
    present = (
        frozenset(pid for pid, here in rows if here)
        if recorded
        else frozenset(p.id for p in people)
    )
    return LiveCall(
        run_id=run.id,
        call=view,
        items=agenda_from_json(run.items),
        events=_events(run),
        people=people,
        present=present,
        attendance_recorded=recorded,
        finished_at=run.finished_at,
        scheduled_start=run.scheduled_start,
        call_minutes=run.call_minutes,
    )
