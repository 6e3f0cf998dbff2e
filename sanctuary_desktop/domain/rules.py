"""The rules between rows that the stored data must keep, in one place.

The archive importer refuses a file that breaks any of them, and ``check`` reports
stored data that does, from the same functions, so whatever the importer accepts
``check`` passes. Each rule reads the rows of every table (an ``Archive``: what a file
holds, or everything a database holds) and names each offender in plain words. Rules
never assume another rule passed: a row that points nowhere is left to the rule about
references and skipped by the others, so one fault is reported once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sanctuary_desktop.domain.agenda import AgendaItem, agenda_from_json
from sanctuary_desktop.domain.cohort import IntakeStatus, video_link_problem
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.limits import (
    YEARS_TEXT,
    date_in_range,
    instant_in_range,
)
from sanctuary_desktop.domain.notes import NoteKind
from sanctuary_desktop.domain.protocols import protocol_from_json
from sanctuary_desktop.domain.timer import Action, LiveEvent, LiveTimer, Phase, TimerError
from sanctuary_desktop.domain.zones import is_valid_zone

if TYPE_CHECKING:
    from sanctuary_desktop.domain.archive import Archive, LiveEventRecord, LiveRunRecord

NOTE_KINDS = frozenset(kind.value for kind in NoteKind)
# A stored finish may differ from the replayed one by rounding, never by more.
FINISH_TOLERANCE = timedelta(seconds=1)


@dataclass(frozen=True)
class Rule:
    name: str  # a line of `check`'s report
    offenders: Callable[[Archive], Iterator[str]]


def broken(data: Archive) -> Iterator[tuple[str, str]]:
    """(rule name, offender) for every rule broken, in the rules' order."""
    for rule in RULES:
        for offender in rule.offenders(data):
            yield rule.name, offender


def _repeated(values: Iterable[Hashable]) -> Iterator[Hashable]:
    for value, count in Counter(values).items():
        if count > 1:
            yield value


# -- the rules ----------------------------------------------------------------------------


def _identifiers_unique(data: Archive) -> Iterator[str]:
    tables: tuple[tuple[str, Iterable[Hashable]], ...] = (
        ("cohort", (c.id for c in data.cohorts)),
        ("participant", (p.id for p in data.participants)),
        ("call", (c.id for c in data.calls)),
        ("note", (n.id for n in data.notes)),
        ("buddy cycle", (c.id for c in data.buddy_cycles)),
        ("buddy group", (g.id for g in data.buddy_groups)),
        ("live run", (r.id for r in data.live_runs)),
        (
            "participant email",
            ((p.cohort_id, p.email) for p in data.participants if p.email is not None),
        ),
        ("calendar identifier", (c.uid for c in data.calls)),
        ("attendance record", ((a.call_id, a.participant_id) for a in data.attendance)),
        ("agenda of call", (a.call_id for a in data.agendas)),
        ("presenter slot", ((s.call_id, s.slot) for s in data.presenter_slots)),
        ("buddy cycle after call", (c.after_call_id for c in data.buddy_cycles)),
        ("group member", ((m.group_id, m.participant_id) for m in data.buddy_members)),
        ("live run of call", (r.call_id for r in data.live_runs)),
        ("timer event", ((e.run_id, e.seq) for e in data.live_events)),
        ("saved protocol", (p.key for p in data.protocols)),
    )
    for what, values in tables:
        for value in _repeated(values):
            shown = value[-1] if what == "participant email" and isinstance(value, tuple) else value
            yield f"{what} {shown} appears more than once"


def _calls_have_cohorts(data: Archive) -> Iterator[str]:
    cohorts = {c.id for c in data.cohorts}
    for call in data.calls:
        if call.cohort_id not in cohorts:
            yield f"call {call.id} belongs to cohort {call.cohort_id}, which is missing"


def _people_have_cohorts(data: Archive) -> Iterator[str]:
    cohorts = {c.id for c in data.cohorts}
    for person in data.participants:
        if person.cohort_id not in cohorts:
            yield f"participant {person.id} belongs to cohort {person.cohort_id}, which is missing"


def _cohort_of_person(data: Archive) -> dict[int, int]:
    return {p.id: p.cohort_id for p in data.participants}


def _cohort_of_call(data: Archive) -> dict[int, int]:
    return {c.id: c.cohort_id for c in data.calls}


def _attendance_in_cohort(data: Archive) -> Iterator[str]:
    people, calls = _cohort_of_person(data), _cohort_of_call(data)
    for a in data.attendance:
        if a.call_id not in calls:
            yield f"an attendance record names call {a.call_id}, which is missing"
        elif people.get(a.participant_id) != calls[a.call_id]:
            yield f"call {a.call_id} lists participant {a.participant_id}, not of its cohort"


def _notes_in_cohort(data: Archive) -> Iterator[str]:
    people, calls = _cohort_of_person(data), _cohort_of_call(data)
    for note in data.notes:
        if note.call_id not in calls:
            yield f"note {note.id} belongs to call {note.call_id}, which is missing"
        elif note.owner_id is not None and people.get(note.owner_id) != calls[note.call_id]:
            yield f"note {note.id} is owned by participant {note.owner_id}, not of its cohort"


def _buddies_in_cohort(data: Archive) -> Iterator[str]:
    people, calls = _cohort_of_person(data), _cohort_of_call(data)
    cycles = {c.id: c.cohort_id for c in data.buddy_cycles}
    for cycle in data.buddy_cycles:
        if calls.get(cycle.after_call_id) != cycle.cohort_id:
            yield f"buddy cycle {cycle.id} follows call {cycle.after_call_id}, not of its cohort"
    groups: dict[int, int] = {}
    for group in data.buddy_groups:
        if group.cycle_id not in cycles:
            yield f"buddy group {group.id} belongs to cycle {group.cycle_id}, which is missing"
        else:
            groups[group.id] = cycles[group.cycle_id]
    known = {g.id for g in data.buddy_groups}
    for member in data.buddy_members:
        if member.group_id not in known:
            yield f"a buddy group member names group {member.group_id}, which is missing"
        elif (
            member.group_id in groups
            and people.get(member.participant_id) != groups[member.group_id]
        ):
            yield (
                f"buddy group {member.group_id} holds participant {member.participant_id},"
                " not of its cohort"
            )


def _nobody_twice_in_a_cycle(data: Archive) -> Iterator[str]:
    cycle_of = {g.id: g.cycle_id for g in data.buddy_groups}
    pairs = (
        (cycle_of[m.group_id], m.participant_id)
        for m in data.buddy_members
        if m.group_id in cycle_of
    )
    for value in _repeated(pairs):
        assert isinstance(value, tuple)
        cycle, person = value
        yield f"buddy cycle {cycle} has participant {person} in more than one group"


def _presenters_in_cohort(data: Archive) -> Iterator[str]:
    people, calls = _cohort_of_person(data), _cohort_of_call(data)
    for s in data.presenter_slots:
        if s.call_id not in calls:
            yield f"a presenter slot names call {s.call_id}, which is missing"
        elif s.slot < 1:
            yield f"call {s.call_id} has a presenter slot numbered {s.slot}"
        elif s.participant_id is not None and people.get(s.participant_id) != calls[s.call_id]:
            yield (
                f"call {s.call_id} round {s.slot} names participant {s.participant_id},"
                " not of its cohort"
            )


def _events_by_run(data: Archive) -> dict[int, list[LiveEventRecord]]:
    by_run: dict[int, list[LiveEventRecord]] = {}
    for event in sorted(data.live_events, key=lambda e: (e.run_id, e.seq)):
        by_run.setdefault(event.run_id, []).append(event)
    return by_run


def _out_of_order(events: list[LiveEventRecord]) -> Iterator[str]:
    previous: datetime | None = None
    for expected, event in enumerate(events):
        if event.seq != expected:
            yield f"live run {event.run_id} has timer event {event.seq} where {expected} was due"
            return
        if previous is not None and event.at < previous:
            yield f"live run {event.run_id} has timer event {event.seq} earlier than the one before"
            return
        previous = event.at


def _timer_in_order(data: Archive) -> Iterator[str]:
    runs = {r.id for r in data.live_runs}
    for run_id, events in _events_by_run(data).items():
        if run_id not in runs:
            yield f"timer events name live run {run_id}, which is missing"
        else:
            yield from _out_of_order(events)


def _agenda(items: str) -> tuple[AgendaItem, ...] | None:
    try:
        return agenda_from_json(items)
    except (ValidationError, RecursionError):
        return None


def _documents_read(data: Archive) -> Iterator[str]:
    calls = _cohort_of_call(data)
    for agenda in data.agendas:
        if agenda.call_id not in calls:
            yield f"an agenda names call {agenda.call_id}, which is missing"
        elif _agenda(agenda.items) is None:
            yield f"the agenda of call {agenda.call_id} is not a readable agenda"
    for run in data.live_runs:
        if run.call_id not in calls:
            yield f"live run {run.id} names call {run.call_id}, which is missing"
        elif _agenda(run.items) is None:
            yield f"live run {run.id} has stages that are not a readable agenda"
    for protocol in data.protocols:
        try:
            parsed = protocol_from_json(protocol.document)
        except (ValidationError, RecursionError):
            yield f"saved protocol {protocol.key} is not a readable protocol"
            continue
        if parsed.key != protocol.key:
            yield f"saved protocol {protocol.key} holds a protocol with another key"


def _known_values(data: Archive) -> Iterator[str]:
    for c in data.cohorts:
        if not is_valid_zone(c.home_tz):
            yield f"cohort {c.id} has an unknown time zone ({c.home_tz})"
    statuses = {s.value for s in IntakeStatus}
    for p in data.participants:
        if not is_valid_zone(p.time_zone):
            yield f"participant {p.id} has an unknown time zone ({p.time_zone})"
        if p.status not in statuses:
            yield f"participant {p.id} has an unknown intake status ({p.status})"
    for call in data.calls:
        if not call.uid.strip():
            yield f"call {call.id} has an empty calendar identifier"
    for note in data.notes:
        if note.kind not in NOTE_KINDS:
            yield f"note {note.id} has an unknown kind ({note.kind})"
    actions = {a.value for a in Action}
    for e in data.live_events:
        if e.action not in actions:
            yield f"timer event {e.seq} of live run {e.run_id} has an unknown action ({e.action})"
        elif not _numbers(e.numbers):
            yield (
                f"timer event {e.seq} of live run {e.run_id} has numbers"
                " that are not a list of whole numbers"
            )


def _video_links(data: Archive) -> Iterator[str]:
    """A cohort's or a call's link is empty or one http(s) web address, as forms allow."""
    for what, rows in (("cohort", data.cohorts), ("call", data.calls)):
        for row in rows:
            problem = video_link_problem(row.video_link)
            if problem is not None:
                yield f"{what} {row.id} has a video link that {problem}"


def _numbers(text: str) -> bool:
    if not text:
        return True
    parts = text.split(",")
    return all(_whole(part) for part in parts)


def _whole(part: str) -> bool:
    digits = part[1:] if part.startswith("-") else part
    return 0 < len(digits) <= 10 and digits.isascii() and digits.isdigit()


def _instants(data: Archive) -> Iterator[tuple[str, datetime | date | None]]:
    for c in data.cohorts:
        row = f"cohort {c.id}"
        yield f"{row} has a start date", c.start_date
        yield f"{row} has an end date", c.end_date
        yield f"{row} has a creation time", c.created_at
        yield f"{row} has an update time", c.updated_at
    for p in data.participants:
        yield f"participant {p.id} has an interview date", p.interview_date
        yield f"participant {p.id} has a creation time", p.created_at
    for call in data.calls:
        yield f"call {call.id} has a start time", call.starts_at
        yield f"call {call.id} has an update time", call.updated_at
    for note in data.notes:
        yield f"note {note.id} has a creation time", note.created_at
    for agenda in data.agendas:
        yield f"the agenda of call {agenda.call_id} has an update time", agenda.updated_at
    for cycle in data.buddy_cycles:
        yield f"buddy cycle {cycle.id} has a creation time", cycle.created_at
    for run in data.live_runs:
        yield f"live run {run.id} has a scheduled start", run.scheduled_start
        yield f"live run {run.id} has a creation time", run.created_at
        yield f"live run {run.id} has a finish time", run.finished_at
    for e in data.live_events:
        yield f"timer event {e.seq} of live run {e.run_id} has a time", e.at
    for protocol in data.protocols:
        yield f"saved protocol {protocol.key} has a creation time", protocol.created_at
        yield f"saved protocol {protocol.key} has an update time", protocol.updated_at


def in_range(value: datetime | date) -> bool:
    if isinstance(value, datetime):
        return instant_in_range(value)
    return date_in_range(value)


def _times_in_range(data: Archive) -> Iterator[str]:
    for what, value in _instants(data):
        if value is not None and not in_range(value):
            yield f"{what} outside the years {YEARS_TEXT} ({value.isoformat()})"


def _dates_in_order(data: Archive) -> Iterator[str]:
    for c in data.cohorts:
        if c.end_date < c.start_date:
            yield f"cohort {c.id} ends before it starts"
        if c.day_end <= c.day_start:
            yield f"cohort {c.id} has reasonable hours that end before they start"


def _open_runs_of_calls_held(data: Archive) -> Iterator[str]:
    """A run started and never finished is offered for resume at every start; a cancelled
    call cannot be opened live, so such a run could never be resumed nor finished."""
    cancelled = {c.id for c in data.calls if c.cancelled}
    started = {e.run_id for e in data.live_events}
    for run in data.live_runs:
        if run.finished_at is None and run.id in started and run.call_id in cancelled:
            yield f"live run {run.id} was left open on call {run.call_id}, which is cancelled"


def _timer_replays(data: Archive) -> Iterator[str]:
    """Each run's log is one the timer could have written, and its finish is the log's."""
    by_run = _events_by_run(data)
    for run in data.live_runs:
        events = by_run.get(run.id, [])
        items = _agenda(run.items)
        if items is None or any(_out_of_order(events)) or not in_range(run.scheduled_start):
            continue  # told by the rules about documents and order
        if any(not in_range(e.at) or not _known_event(e) for e in events):
            continue  # told by the rules about times and values
        yield from _replay_problems(run, items, events)


def _known_event(event: LiveEventRecord) -> bool:
    return event.action in {a.value for a in Action} and _numbers(event.numbers)


def _replay_problems(
    run: LiveRunRecord, items: tuple[AgendaItem, ...], events: list[LiveEventRecord]
) -> Iterator[str]:
    row = f"live run {run.id}"
    if not items:
        # Not started: opening it live takes the call's agenda afresh.
        if events:
            yield f"{row} has timer events but no stages"
        return
    timer = _Replay(items, run.scheduled_start, run.call_minutes)
    for event in events:
        problem = timer.refusal(event)
        if problem is not None:
            yield f"{row} has timer event {event.seq} ({event.action}) that {problem}"
            return
        timer.feed(event)
    try:
        timer.snapshot(events[-1].at if events else run.scheduled_start)
        timer.record(events[-1].at if events else run.scheduled_start)
    except (ArithmeticError, ValueError, IndexError):
        yield f"{row} cannot be shown"
        return
    finished = timer.finished_at
    if finished is None and run.finished_at is not None:
        yield f"{row} is marked finished, but its timer never finished"
    elif finished is not None and run.finished_at is None:
        yield f"{row} finished, but is not marked finished"
    elif (
        finished is not None
        and run.finished_at is not None
        and abs(finished - run.finished_at) > FINISH_TOLERANCE
    ):
        yield f"{row} is marked finished at another time than its timer finished"


_REFUSED = {
    Action.ADJUST: "changes the time by more than an hour, or not at all",
    Action.RESHAPE: "holds a plan that does not fit the stages",
    Action.START: "has someone in the turn order twice",
    Action.ORDER: "has someone in the turn order twice",
}


class _Replay(LiveTimer):
    """A timer fed one stored event at a time, refusing those it would never write."""

    def refusal(self, record: LiveEventRecord) -> str | None:
        action = Action(record.action)
        values = record.values
        if action is Action.AUTO:
            if self.phase is not Phase.RUNNING:
                return "comes while the timer is not running"
        elif not self.can(action):
            return "the timer could not take at that point"
        else:
            try:
                self._check(action, record.amount, values)  # the timer's own refusals
            except TimerError:
                return _REFUSED.get(action, "the timer could not take at that point")
        return None

    def feed(self, record: LiveEventRecord) -> None:
        event = LiveEvent(record.at, Action(record.action), record.amount, record.values)
        self._apply(event)


RULES: tuple[Rule, ...] = (
    Rule("Identifiers are unique", _identifiers_unique),
    Rule("Every call's cohort exists", _calls_have_cohorts),
    Rule("Every person's cohort exists", _people_have_cohorts),
    Rule("Attendance is of the call's cohort", _attendance_in_cohort),
    Rule("Note owners are of the call's cohort", _notes_in_cohort),
    Rule("Buddy groups are of the cycle's cohort", _buddies_in_cohort),
    Rule("No one twice in a buddy cycle", _nobody_twice_in_a_cycle),
    Rule("Presenters are of the call's cohort", _presenters_in_cohort),
    Rule("Live timer records are in order", _timer_in_order),
    Rule("Agendas and protocols can be read", _documents_read),
    Rule("Stored values are known", _known_values),
    Rule("Video links are web addresses", _video_links),
    Rule("Dates and times are within the years the app shows", _times_in_range),
    Rule("Cohort dates and hours are in order", _dates_in_order),
    Rule("Live timer records replay", _timer_replays),
    Rule("Calls left running are not cancelled", _open_runs_of_calls_held),
)
