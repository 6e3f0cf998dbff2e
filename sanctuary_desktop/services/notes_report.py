"""Session notes for one call: gathered from the store, printed by export.session_notes."""

from __future__ import annotations

from datetime import UTC, datetime

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.zones import is_valid_zone
from sanctuary_desktop.export import session_notes as report
from sanctuary_desktop.export.pdf import PaperSize
from sanctuary_desktop.services import agendas, buddies, cohorts, live, records
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Call


def _cohort_of(db: Database, call_id: int) -> int:
    with db.reading() as session:
        call = session.get(Call, call_id)
        if call is None:
            raise ValidationError.single("Session", f"no session with id {call_id}")
        return call.cohort_id


def session_notes_data(
    db: Database, call_id: int, *, facilitator_zone: str, now: datetime | None = None
) -> report.SessionNotes:
    """Everything the session notes print, as plain values.

    Only accepted participants are named: someone who withdrew or was declined never
    appears, not even as an action's owner or a buddy.
    """
    if not is_valid_zone(facilitator_zone):
        raise ValidationError.single("Time zone", f"{facilitator_zone!r} is not a known time zone")
    now = now or datetime.now(UTC)
    plan = cohorts.get_plan(db, _cohort_of(db, call_id))
    call = next(c for c in plan.calls if c.id == call_id)
    roster = [p for p in plan.participants if p.status is IntakeStatus.ACCEPTED]
    names = {p.id: p.name for p in roster}
    zones = {p.id: p.time_zone for p in roster}

    places: dict[str, list[str]] = {}
    for person in roster:
        places.setdefault(person.time_zone, []).append(person.name)

    attendance = records.attendance(db, call_id)
    present = tuple(p.name for p in roster if attendance.get(p.id))
    apologies = tuple(p.name for p in roster if attendance.get(p.id) is False)

    agenda = agendas.get_agenda(db, call_id)
    presenters: dict[int, int | None] = {}
    for item in agenda.items:
        if item.round is not None:
            presenters.setdefault(item.round, item.presenter)

    timings = live.stage_records(db, call_id, now)
    if timings:
        stages = tuple(
            report.StageTiming(
                label=r.label,
                planned_minutes=r.planned_minutes,
                actual_seconds=r.actual_seconds if r.started_at is not None else None,
                skipped=r.skipped,
            )
            for r in timings
        )
    else:
        stages = tuple(report.StageTiming(i.label, i.minutes) for i in agenda.items)

    notes = tuple(
        report.SessionNote(
            kind=report.NoteKind(n.kind.value),
            text=n.text,
            stage=n.stage,
            owner=names.get(n.owner_id, "") if n.owner_id is not None else "",
            tags=n.tags,
            taken_at=n.created_at,
        )
        for n in records.list_notes(db, call_id)
    )

    cycle = next(
        (c for c in buddies.list_cycles(db, plan.cohort.id) if c.after_call_id == call_id), None
    )
    groups: tuple[report.BuddyGroup, ...] = ()
    if cycle is not None:
        groups = tuple(
            report.BuddyGroup(
                tuple(report.Person(names[m], zones[m]) for m in g.members if m in names)
            )
            for g in cycle.groups
        )

    following = next(
        (c for c in plan.calls if not c.cancelled and c.starts_at > call.starts_at), None
    )
    return report.SessionNotes(
        cohort=plan.cohort.name,
        cohort_zone=plan.cohort.home_tz,
        call_label=call.label,
        starts_at=call.starts_at,
        minutes=call.minutes,
        facilitator_zone=facilitator_zone,
        facilitators=plan.cohort.facilitators,
        focus=plan.cohort.focus,
        protocol=agenda.protocol_name,
        places=tuple(report.Place(z, tuple(people)) for z, people in places.items()),
        present=present,
        apologies=apologies,
        attendance_recorded=bool(attendance),
        presenters=tuple(
            report.Presenter(number, names.get(pid, "") if pid is not None else "")
            for number, pid in sorted(presenters.items())
        ),
        stages=stages,
        ran_live=bool(timings),
        notes=notes,
        buddies=tuple(g for g in groups if len(g.members) > 1),
        next_call=None
        if following is None
        else report.NextCall(
            following.label, following.starts_at, following.minutes, following.join_link
        ),
        cancelled=call.cancelled,
        upcoming=not timings and now < call.starts_at,
        expected=tuple(p.name for p in roster if attendance.get(p.id) is not False),
        waking_hours=plan.cohort.waking_hours,
        video_link=call.join_link,
    )


def session_notes_pdf(
    db: Database,
    call_id: int,
    *,
    paper: PaperSize = PaperSize.A4,
    facilitator_zone: str = "UTC",
    now: datetime | None = None,
) -> bytes:
    data = session_notes_data(db, call_id, facilitator_zone=facilitator_zone, now=now)
    return report.session_notes_pdf(data, paper)
