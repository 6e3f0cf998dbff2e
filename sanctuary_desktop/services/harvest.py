"""The learning harvest of a cohort: gathered from its held calls, then laid out as a PDF.

Held calls are those not cancelled that started before ``now``. Only accepted
participants are counted or named; the notes model has no "done" mark for actions,
so every action is reported as open.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.timer import StageRecord
from sanctuary_desktop.export import harvest as document
from sanctuary_desktop.export.harvest import (
    ActionLine,
    CallAttendance,
    CallTiming,
    Harvest,
    PersonAttendance,
    QuoteLine,
    StageOverrun,
    ThemeCount,
)
from sanctuary_desktop.export.pdf import PaperSize
from sanctuary_desktop.services import cohorts, live, records
from sanctuary_desktop.services.records import NoteKind, NoteView
from sanctuary_desktop.store.database import Database

LONG_SECONDS = 60.0  # a stage "ran long" when it went more than this past its plan
_ROUND = re.compile(r"^Round \d+:\s*", re.IGNORECASE)


def harvest_data(db: Database, cohort_id: int, *, now: datetime | None = None) -> Harvest:
    now = now or datetime.now(UTC)
    try:
        plan = cohorts.get_plan(db, cohort_id)
    except ValidationError:
        raise ValidationError.single("Cohort", f"no cohort with id {cohort_id}") from None
    cohort = plan.cohort
    people = {p.id: p.name for p in plan.participants if p.status is IntakeStatus.ACCEPTED}
    planned = [c for c in plan.calls if not c.cancelled]
    held = [c for c in planned if c.is_held(now)]

    notes: list[tuple[str, NoteView]] = []
    attendance: list[CallAttendance] = []
    attended: Counter[int] = Counter()
    recorded_calls = 0
    timings: list[CallTiming] = []
    stage_runs: Counter[str] = Counter()
    stage_long: Counter[str] = Counter()
    stage_over: defaultdict[str, float] = defaultdict(float)
    for call in held:
        short = f"Call {call.number}"
        notes += [(short, n) for n in records.list_notes(db, call.id)]
        marks = records.attendance(db, call.id)
        present = {pid for pid, here in marks.items() if here and pid in people}
        recorded = any(pid in people for pid in marks)
        if recorded:
            recorded_calls += 1
            attended.update(present)
        attendance.append(
            CallAttendance(
                number=call.number,
                label=call.label,
                starts_at=call.starts_at,
                present=len(present) if recorded else None,
                expected=len(people),
            )
        )
        stages = live.stage_records(db, call.id, now)
        if not stages:
            continue
        timings.append(_call_timing(call.number, stages))
        for stage in stages:
            if stage.started_at is None or stage.skipped:
                continue
            name = _ROUND.sub("", stage.label).strip() or stage.label
            stage_runs[name] += 1
            if stage.difference_seconds > LONG_SECONDS:
                stage_long[name] += 1
                stage_over[name] += stage.difference_seconds / 60.0

    return Harvest(
        cohort=cohort.name,
        focus=cohort.focus,
        facilitators=cohort.facilitators,
        start_date=cohort.start_date,
        end_date=cohort.end_date,
        calls_held=len(held),
        calls_planned=len(planned),
        participants=len(people),
        prepared=now,
        notes=len(notes),
        themes=_themes(notes),
        quotes=tuple(
            QuoteLine(
                text=n.text,
                call=short,
                stage=n.stage,
                owner=people.get(n.owner_id, "") if n.owner_id is not None else "",
            )
            for short, n in notes
            if n.kind is NoteKind.QUOTE
        ),
        actions=tuple(
            ActionLine(
                text=n.text,
                # Withdrawn people are never named: their actions stay, unowned.
                owner=people.get(n.owner_id, "—") if n.owner_id is not None else "—",
                call=short,
            )
            for short, n in notes
            if n.kind is NoteKind.ACTION
        ),
        attendance=tuple(attendance),
        people=tuple(
            PersonAttendance(name=name, attended=attended[pid], of_calls=recorded_calls)
            for pid, name in people.items()
        )
        if recorded_calls
        else (),
        timings=tuple(timings),
        long_stages=tuple(
            sorted(
                (
                    StageOverrun(
                        stage=name,
                        ran_long=stage_long[name],
                        runs=stage_runs[name],
                        mean_over_minutes=stage_over[name] / stage_long[name],
                    )
                    for name in stage_long
                ),
                key=lambda s: (-s.ran_long, -s.ran_long / s.runs, s.stage.casefold()),
            )
        ),
    )


def harvest_pdf(
    db: Database,
    cohort_id: int,
    *,
    paper: PaperSize = PaperSize.A4,
    facilitator_zone: str = "UTC",
    now: datetime | None = None,
) -> bytes:
    try:
        ZoneInfo(facilitator_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError.single("Time zone", f"{facilitator_zone!r} is not known") from None
    data = harvest_data(db, cohort_id, now=now)
    return document.harvest_pdf(replace(data, zone=facilitator_zone), paper)


def _themes(notes: list[tuple[str, NoteView]]) -> tuple[ThemeCount, ...]:
    counts: Counter[str] = Counter()
    calls: defaultdict[str, set[str]] = defaultdict(set)
    for call, note in notes:
        for tag in note.tags:
            counts[tag] += 1
            calls[tag].add(call)
    ordered = sorted(counts, key=lambda tag: (-counts[tag], tag))
    return tuple(ThemeCount(name=tag, notes=counts[tag], calls=len(calls[tag])) for tag in ordered)


def _call_timing(number: int, stages: tuple[StageRecord, ...]) -> CallTiming:
    # Pauses count: the people on the call waited through them too.
    actual = sum(s.actual_seconds + s.paused_seconds for s in stages) / 60.0
    longest = max(stages, key=lambda s: s.difference_seconds)
    return CallTiming(
        number=number,
        planned_minutes=float(sum(s.planned_minutes for s in stages)),
        actual_minutes=actual,
        longest_stage=longest.label if longest.difference_seconds > LONG_SECONDS else "",
    )
