"""Printed handouts for a cohort: gathered from the store, printed by export.handouts.

Only accepted participants are named: someone who applied, withdrew or was declined
never appears on a handout.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sanctuary_desktop.domain.agenda import AgendaItem, build_agenda
from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY, StopKind, roles_in
from sanctuary_desktop.domain.timeplan import local_slots
from sanctuary_desktop.domain.zones import city_of, is_valid_zone, zone
from sanctuary_desktop.export import handouts as document
from sanctuary_desktop.export.pdf import PaperSize
from sanctuary_desktop.services import agendas, buddies, cohorts, presenters, protocol_library
from sanctuary_desktop.services.views import CallView, CohortPlan, ParticipantView
from sanctuary_desktop.store.database import Database


class Handout(StrEnum):
    PROTOCOL = "protocol"
    CALENDAR = "calendar"
    ROSTER = "roster"
    SCHEDULE = "schedule"
    HARVEST = "harvest"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Handout.PROTOCOL: "Protocol card",
    Handout.CALENDAR: "Calendar in local times",
    Handout.ROSTER: "Roster and buddy pairs",
    Handout.SCHEDULE: "Presenter schedule",
    Handout.HARVEST: "Learning harvest",
}


def handout_pdf(
    db: Database,
    cohort_id: int,
    kind: Handout,
    *,
    paper: PaperSize = PaperSize.A4,
    facilitator_zone: str = "UTC",
    zone: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """One handout's PDF.

    ``zone`` is the clock the protocol card, calendar and schedule give their dates and
    times on (the command line's --zone); None keeps the cohort's home zone, and each
    person's own local time is printed beside them either way. ``facilitator_zone``
    is the harvest's. A zone that is not a time zone is refused, naming the field."""
    kind = Handout(kind)
    now = now or datetime.now(UTC)
    for value in (facilitator_zone, zone):
        if value is not None and not is_valid_zone(value):
            raise ValidationError.single("Time zone", f"{value!r} is not a known time zone")
    if kind is Handout.HARVEST:
        cohorts.get_cohort(db, cohort_id)  # an unknown cohort is named the same way
        # Imported here: the harvest is built elsewhere and may be absent in a partial build.
        from sanctuary_desktop.services.harvest import harvest_pdf

        return harvest_pdf(
            db, cohort_id, paper=paper, facilitator_zone=zone or facilitator_zone, now=now
        )
    if kind is Handout.PROTOCOL:
        card = protocol_card_data(db, cohort_id, now=now, zone_name=zone)
        return document.protocol_card_pdf(card, paper)
    if kind is Handout.CALENDAR:
        return document.calendar_pdf(calendar_data(db, cohort_id, zone_name=zone), paper)
    if kind is Handout.ROSTER:
        return document.roster_pdf(roster_data(db, cohort_id), paper)
    return document.schedule_pdf(schedule_data(db, cohort_id, now=now, zone_name=zone), paper)


def _accepted(plan: CohortPlan) -> list[ParticipantView]:
    return [p for p in plan.participants if p.status is IntakeStatus.ACCEPTED]


def _home(call: CallView, zone_name: str | None = None) -> datetime:
    """The call's start on the reference clock: ``zone_name``'s, else the cohort's home."""
    return call.starts_at.astimezone(zone(zone_name or call.cohort_tz))


def _clock_label(zone_name: str) -> str:
    return "UTC" if zone_name in ("UTC", "Etc/UTC") else f"{city_of(zone_name)} time"


def protocol_card_data(
    db: Database, cohort_id: int, *, now: datetime | None = None, zone_name: str | None = None
) -> document.ProtocolCard:
    """The agenda of the next call not cancelled (the one under way counts), with each
    stage's clock time, else the default protocol with its usual rounds and no presenters."""
    now = now or datetime.now(UTC)
    plan = cohorts.get_plan(db, cohort_id)
    clock = zone_name or plan.cohort.home_tz
    starts_at: datetime | None = None
    call_minutes: int | None = None
    names = {p.id: p.name for p in _accepted(plan)}
    upcoming = [
        c
        for c in plan.calls
        if not c.cancelled
        and c.run_finished_at is None
        and c.starts_at + timedelta(minutes=c.minutes) > now
    ]
    items: tuple[AgendaItem, ...]
    link = plan.cohort.video_link
    if upcoming:
        call = min(upcoming, key=lambda c: c.starts_at)
        agenda = agendas.get_agenda(db, call.id)
        items, protocol_name = agenda.items, agenda.protocol_name
        starts_at, call_minutes = _home(call, clock), call.minutes
        link = call.join_link
        call_line = f"{call.label} · {document.long_date(starts_at)}"
        try:
            source = protocol_library.get_protocol(db, agenda.protocol_key).source
        except ValidationError:
            source = ""  # the protocol was deleted since; the agenda keeps its stages
    else:
        protocol = protocol_library.get_protocol(db, DEFAULT_PROTOCOL_KEY)
        items, protocol_name, call_line = build_agenda(protocol), protocol.name, ""
        source = protocol.source
    roles = list(roles_in(item.cues for item in items))
    offsets = [sum(item.minutes for item in items[:index]) for index in range(len(items))]
    stages = tuple(
        document.CardStage(
            name=item.name,
            minutes=item.minutes,
            cues=tuple((role.label, item.cues[role]) for role in roles if item.cues.get(role)),
            round=item.round,
            presenter=names.get(item.presenter, "") if item.presenter is not None else "",
            hard_stop=item.stop is StopKind.HARD,
            starts=None if starts_at is None else starts_at + timedelta(minutes=offset),
        )
        for item, offset in zip(items, offsets, strict=True)
    )
    return document.ProtocolCard(
        cohort=plan.cohort.name,
        protocol=protocol_name,
        call=call_line,
        roles=tuple(role.label for role in roles),
        stages=stages,
        starts_at=starts_at,
        call_minutes=call_minutes,
        zone_label=_clock_label(clock),
        video_link=link,
        source=source,
    )


def calendar_data(
    db: Database, cohort_id: int, *, zone_name: str | None = None
) -> document.CalendarData:
    """Every call, cancelled ones too, as each accepted participant lives it; column
    headings on ``zone_name``'s clock (the cohort's home zone when None)."""
    plan = cohorts.get_plan(db, cohort_id)
    cohort = plan.cohort
    clock = zone_name or cohort.home_tz
    people = [p.person for p in _accepted(plan)]
    calls = sorted(plan.calls, key=lambda c: c.starts_at)
    # West to east, so the day and the hour step along the row of people.
    if calls:
        reference = calls[0].starts_at

        def offset(zone_name: str) -> timedelta:
            return reference.astimezone(zone(zone_name)).utcoffset() or timedelta(0)

        people.sort(key=lambda p: (offset(p.zone), p.name.casefold()))
    hours = cohort.waking_hours
    rows = []
    for call in calls:
        slots = local_slots(call.starts_at, call.minutes, people, hours, clock)
        rows.append(
            document.CalendarCall(
                number=call.number,
                home_start=_home(call, clock),
                minutes=call.minutes,
                cancelled=call.cancelled,
                video_link=call.join_link,
                times=tuple(
                    document.LocalTime(
                        start=s.start, day_offset=s.day_offset, band=s.band.value, early=s.early
                    )
                    for s in slots
                ),
            )
        )
    return document.CalendarData(
        cohort=cohort.name,
        home_city=city_of(clock),
        home_is_reference=clock == cohort.home_tz,
        waking_hours=f"{hours.start:%H:%M}–{hours.end:%H:%M}",
        people=tuple(document.CalendarPerson(p.name, p.city) for p in people),
        calls=tuple(rows),
        video_link=cohort.video_link,
    )


def roster_data(db: Database, cohort_id: int) -> document.RosterData:
    plan = cohorts.get_plan(db, cohort_id)
    accepted = _accepted(plan)
    names = {p.id: p.name for p in accepted}
    calls = {c.id: c for c in plan.calls}
    cycles = []
    for cycle in buddies.list_cycles(db, cohort_id):
        call = calls.get(cycle.after_call_id)
        after = "After a cancelled call" if call is None or call.cancelled else None
        groups = tuple(
            tuple(names[m] for m in g.members if m in names)
            for g in cycle.groups
            if sum(m in names for m in g.members) >= 2
        )
        cycles.append(
            document.BuddyCycleLine(
                after=after or f"After call {call.number if call else ''}",
                when=_home(call) if call is not None else None,
                groups=groups,
            )
        )
    return document.RosterData(
        cohort=plan.cohort.name,
        focus=plan.cohort.focus,
        facilitators=plan.cohort.facilitators,
        people=tuple(
            document.RosterPerson(
                name=p.name,
                organisation=p.organisation,
                city=city_of(p.time_zone),
                time_zone=p.time_zone,
                email=p.email,
            )
            for p in accepted
        ),
        cycles=tuple(cycles),
    )


def schedule_data(
    db: Database, cohort_id: int, *, now: datetime | None = None, zone_name: str | None = None
) -> document.ScheduleData:
    """Presenters by round for every call; cancelled calls listed without presenters."""
    now = now or datetime.now(UTC)
    plan = cohorts.get_plan(db, cohort_id)
    turns = presenters.presenter_plan(db, cohort_id, now)
    names = turns.names  # accepted people only
    by_call = {c.call_id: c for c in turns.calls}
    rows = []
    presented: set[int] = set()
    planned_turn: dict[int, int] = {}
    for call in sorted(plan.calls, key=lambda c: c.starts_at):
        slots = by_call.get(call.id)
        chosen = slots.presenters if slots is not None and not call.cancelled else ()
        for person in chosen:
            if person is None or person not in names:
                continue
            if call.is_held(now):
                presented.add(person)
            else:
                planned_turn.setdefault(person, call.number)
        rows.append(
            document.ScheduleCall(
                number=call.number,
                home_start=_home(call, zone_name),
                held=call.is_held(now),
                cancelled=call.cancelled,
                presenters=tuple(names.get(p, "") if p is not None else "" for p in chosen),
            )
        )
    not_yet = tuple(
        document.NotYetPresented(p.name, planned_turn.get(p.id))
        for p in _accepted(plan)
        if p.id not in presented
    )
    return document.ScheduleData(
        cohort=plan.cohort.name,
        home_city=city_of(zone_name or plan.cohort.home_tz),
        calls=tuple(rows),
        not_yet=not_yet,
    )
