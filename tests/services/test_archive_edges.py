"""Archives at the edges of what the importer accepts: whatever comes in, `check` passes
and every screen's service and every export works on it.

Generated archives hold instants at the first and last moments the app stores, dates
at the bounds, zones with odd offsets, names in many scripts and at their longest,
buddy cycles, presenter slots and timer logs made by driving the real timer (and, in
the second test, logs and groups broken on purpose, which must be refused or, if
accepted, must still pass `check` and open).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.agenda import agenda_to_json, build_agenda, presenter_slots
from sanctuary_desktop.domain.archive import (
    AgendaRecord,
    Archive,
    AttendanceRecord,
    BuddyCycleRecord,
    BuddyGroupRecord,
    BuddyMemberRecord,
    CallRecord,
    CohortRecord,
    LiveEventRecord,
    LiveRunRecord,
    NoteRecord,
    ParticipantRecord,
    PresenterSlotRecord,
    ProtocolRecord,
    archive_bytes,
)
from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import builtin, builtin_protocols, protocol_to_json
from sanctuary_desktop.domain.rules import NOTE_KINDS
from sanctuary_desktop.domain.timer import Action, LiveTimer, TimerError
from sanctuary_desktop.services import (
    agendas,
    buddies,
    calendar_export,
    calls,
    cohorts,
    handouts,
    integrity,
    live,
    notes_report,
    presenters,
)
from sanctuary_desktop.services.archive import import_archive
from sanctuary_desktop.services.handouts import Handout
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

EDGE_ZONES = (
    "UTC",
    "Pacific/Kiritimati",  # +14
    "Etc/GMT+12",  # -12
    "Pacific/Chatham",  # +12:45, with daylight saving
    "Asia/Kathmandu",  # +5:45
    "America/St_Johns",  # -3:30, with daylight saving
    "Australia/Lord_Howe",  # a half-hour daylight saving
    "Europe/Dublin",  # negative daylight saving in the rules
    "Africa/Monrovia",  # -0:44:30 until 1972
    "Europe/Amsterdam",  # +0:19:32 in the early 1900s
    "Antarctica/Troll",  # +2 daylight saving from 0
)
EDGE_INSTANTS = (
    limits.EARLIEST_INSTANT,
    limits.EARLIEST_INSTANT + timedelta(hours=13),
    limits.LATEST_INSTANT,
    limits.LATEST_INSTANT - timedelta(hours=1),
    limits.LATEST_INSTANT - timedelta(days=1),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # a daylight-saving change in Europe
)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# Few examples, each a whole import with every export; no shrinking (a failing example is
# printed as it was found: shrinking a whole archive takes minutes).
EDGE_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TEXT = st.characters(exclude_categories=("Cs",))  # any character UTF-8 can hold
LINE = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))  # nothing that breaks a line
SCRIPTS = st.sampled_from(
    ["Mātauranga", "佐藤 花子", "Ōtautahi", "Zoë Ñúñez", "Нина", "عائشة", "👩🏽‍🌾", "ʻAkau"]
)


def names(limit: int) -> st.SearchStrategy[str]:
    return st.one_of(
        SCRIPTS,
        st.text(LINE, min_size=1, max_size=24),
        st.text(LINE, min_size=limit, max_size=limit),  # as long as allowed
        st.builds(lambda s: (s * limit)[:limit], SCRIPTS),
    )


def instants() -> st.SearchStrategy[datetime]:
    return st.one_of(
        st.sampled_from(EDGE_INSTANTS),
        st.datetimes(
            min_value=limits.EARLIEST_INSTANT.replace(tzinfo=None),
            max_value=limits.LATEST_INSTANT.replace(tzinfo=None),
        ).map(lambda d: d.replace(tzinfo=UTC)),
    )


# Change times reach the last instant the app stores: the .ics SEQUENCE is capped at
# RFC 5545's 32-bit limit.
LAST_CHANGE = limits.LATEST_INSTANT


def changed_instants() -> st.SearchStrategy[datetime]:
    return instants().map(lambda moment: min(moment, LAST_CHANGE))


def dates() -> st.SearchStrategy[date]:
    return st.one_of(
        st.sampled_from([limits.EARLIEST_DATE, limits.LATEST_DATE]),
        st.dates(min_value=limits.EARLIEST_DATE, max_value=limits.LATEST_DATE),
    )


def timer_log(
    draw: st.DrawFn, items: Any, scheduled: datetime, call_minutes: int, people: list[int]
) -> tuple[list[tuple[datetime, str, int, str]], datetime | None]:
    """Events written by driving the real timer with commands at rising instants."""
    timer = LiveTimer(items, scheduled, call_minutes)
    at = draw(st.sampled_from([scheduled, scheduled - timedelta(hours=2), scheduled]))
    at = max(at, limits.EARLIEST_INSTANT)
    written: list[tuple[datetime, str, int, str]] = []
    commands = [a for a in Action if a is not Action.AUTO]
    for _ in range(draw(st.integers(0, 10))):
        later = at + timedelta(seconds=draw(st.sampled_from([0, 1, 59, 600, 3600, 86400])))
        if later > limits.LATEST_INSTANT:
            break
        at = later
        action = draw(st.sampled_from([Action.START, *commands]))
        amount = draw(st.sampled_from([60, -60, 3600, -3600])) if action is Action.ADJUST else 0
        values: tuple[int, ...] = ()
        if action in (Action.START, Action.ORDER):
            values = tuple(draw(st.permutations(people)))[: draw(st.integers(0, len(people)))]
        elif action is Action.RESHAPE:
            values = tuple(draw(st.integers(1, 240)) for _ in items)
        try:
            tick = timer.command(action, at, amount, values)
        except TimerError:
            continue
        for event in tick.events:
            written.append(
                (event.at, event.action.value, event.amount, ",".join(map(str, event.values)))
            )
    # Hard stops caught up while a command was refused are handed out by the next tick,
    # as the live window's next repaint would write them.
    for event in timer.tick(at).events:
        written.append(
            (event.at, event.action.value, event.amount, ",".join(map(str, event.values)))
        )
    return written, timer.finished_at


@st.composite
def archives(draw: st.DrawFn) -> Archive:
    """One or two cohorts, every table filled, values at their edges; every rule kept."""
    rows: dict[str, list[Any]] = {key: [] for key in _TABLES}
    own = builtin(draw(st.sampled_from([p.key for p in builtin_protocols()])))
    own = own.duplicate(key="our-circle", name=draw(st.sampled_from(["Our circle", "Cercle ō"])))
    protocols = [
        ProtocolRecord(own.key, own.name, protocol_to_json(own), NOW, limits.LATEST_INSTANT)
    ]
    next_id = iter(range(1, 10_000))
    for cohort_number in range(draw(st.integers(1, 2))):
        cohort_id = next(next_id)
        start, end = sorted([draw(dates()), draw(dates())])
        day_start = draw(st.sampled_from([time(0, 0), time(7, 0), time(23, 58)]))
        zone = draw(st.sampled_from(EDGE_ZONES))
        rows["cohorts"].append(
            CohortRecord(
                id=cohort_id,
                name=draw(names(limits.MAX_NAME)),
                focus=draw(st.text(TEXT, max_size=300)),
                facilitators=draw(names(60)),
                home_tz=zone,
                start_date=start,
                end_date=end,
                call_minutes=draw(st.sampled_from([1, 90, limits.MAX_CALL_MINUTES])),
                notes=draw(st.text(TEXT, max_size=200)),
                day_start=day_start,
                day_end=time(23, 59) if day_start >= time(23, 58) else time(22, 0),
                archived=draw(st.booleans()),
                created_at=draw(instants()),
                updated_at=draw(changed_instants()),
            )
        )
        people = []
        for n in range(draw(st.integers(0, 5))):
            person_id = next(next_id)
            people.append(person_id)
            rows["participants"].append(
                ParticipantRecord(
                    id=person_id,
                    cohort_id=cohort_id,
                    name=draw(names(limits.MAX_NAME)),
                    email=draw(st.sampled_from([None, f"p{n}.{cohort_number}@example.org"])),
                    organisation=draw(names(limits.MAX_ORGANISATION)),
                    time_zone=draw(st.sampled_from(EDGE_ZONES)),
                    years_in_practice=draw(st.sampled_from([None, 0, 80])),
                    status=draw(st.sampled_from([s.value for s in IntakeStatus])),
                    interview_date=draw(st.one_of(st.none(), dates())),
                    notes=draw(st.text(TEXT, max_size=100)),
                    created_at=draw(instants()),
                )
            )
        for _ in range(draw(st.integers(0, 3))):
            call_id = next(next_id)
            starts_at = draw(instants())
            minutes = draw(st.sampled_from([1, 90, limits.MAX_CALL_MINUTES]))
            cancelled = draw(st.booleans())
            starts_at = min(starts_at, limits.LATEST_INSTANT - timedelta(minutes=minutes))
            rows["calls"].append(
                CallRecord(
                    id=call_id,
                    cohort_id=cohort_id,
                    uid=f"call-{call_id}-{'x' * draw(st.integers(0, 40))}",
                    starts_at=starts_at,
                    minutes=minutes,
                    cancelled=cancelled,
                    title=draw(st.one_of(st.just(""), names(limits.MAX_TITLE))),
                    notes=draw(st.text(TEXT, max_size=100)),
                    revision=draw(st.sampled_from([0, 1, limits.MAX_REVISION])),
                    updated_at=draw(changed_instants()),
                )
            )
            for person in draw(st.lists(st.sampled_from(people), unique=True)) if people else []:
                rows["attendance"].append(AttendanceRecord(call_id, person, draw(st.booleans())))
            for _ in range(draw(st.integers(0, 2))):
                rows["notes"].append(
                    NoteRecord(
                        id=next(next_id),
                        call_id=call_id,
                        kind=draw(st.sampled_from(sorted(NOTE_KINDS))),
                        text=draw(st.one_of(names(80), st.text(TEXT, max_size=2000))),
                        stage=draw(st.one_of(st.just(""), names(limits.MAX_NAME))),
                        owner_id=draw(st.sampled_from([None, *people])),
                        tags=draw(st.sampled_from(["", "governance", "land,water", "x" * 500])),
                        created_at=draw(instants()),
                    )
                )
            protocol = draw(st.sampled_from([builtin("peer-input-90"), own]))
            rounds = draw(st.integers(0, 3))
            chosen = [draw(st.sampled_from([None, *people])) for _ in range(rounds)]
            items = build_agenda(protocol, chosen)
            if not items:
                items = build_agenda(protocol)
            if draw(st.booleans()):
                rows["call_agendas"].append(
                    AgendaRecord(call_id, protocol.key, agenda_to_json(items), draw(instants()))
                )
                for slot in range(1, presenter_slots(items) + 1):
                    rows["presenter_slots"].append(
                        PresenterSlotRecord(
                            call_id,
                            slot,
                            draw(st.sampled_from([None, *people])),
                            draw(st.booleans()),
                        )
                    )
            if draw(st.booleans()) and people:
                cycle_id = next(next_id)
                rows["buddy_cycles"].append(
                    BuddyCycleRecord(cycle_id, cohort_id, call_id, draw(instants()))
                )
                order = draw(st.permutations(people))
                for position, first in enumerate(range(0, len(order), 2)):
                    group_id = next(next_id)
                    rows["buddy_groups"].append(
                        BuddyGroupRecord(
                            group_id,
                            cycle_id,
                            position,
                            draw(st.sampled_from([None, True, False])),
                            draw(st.text(TEXT, max_size=40)),
                        )
                    )
                    for person in order[first : first + 2]:
                        rows["buddy_members"].append(BuddyMemberRecord(group_id, person))
            if draw(st.booleans()):
                run_id = next(next_id)
                scheduled = draw(st.sampled_from([starts_at, draw(instants())]))
                log, finished = timer_log(draw, items, scheduled, minutes, people)
                if cancelled and finished is None:
                    log = []  # a cancelled call cannot be opened live, so never left running
                rows["live_runs"].append(
                    LiveRunRecord(
                        run_id,
                        call_id,
                        agenda_to_json(items),
                        scheduled,
                        minutes,
                        draw(instants()),
                        finished,
                    )
                )
                for seq, (at, action, amount, numbers) in enumerate(log):
                    rows["live_events"].append(
                        LiveEventRecord(run_id, seq, at, action, amount, numbers)
                    )
    return Archive(
        app_version=draw(st.sampled_from(["0.1.0", "9" * 64])),
        created_at=draw(instants()),
        protocols=tuple(protocols),
        **{_TABLES[key]: tuple(value) for key, value in rows.items()},
    )


_TABLES = {
    "cohorts": "cohorts",
    "participants": "participants",
    "calls": "calls",
    "attendance": "attendance",
    "notes": "notes",
    "call_agendas": "agendas",
    "presenter_slots": "presenter_slots",
    "buddy_cycles": "buddy_cycles",
    "buddy_groups": "buddy_groups",
    "buddy_members": "buddy_members",
    "live_runs": "live_runs",
    "live_events": "live_events",
}


@st.composite
def broken_archives(draw: st.DrawFn) -> Archive:
    """A good archive with one thing bent: a timer log out of order or cut, a finish
    dropped or made up, someone twice in a cycle, an instant just past a bound..."""
    good = draw(archives())
    bend = draw(
        st.sampled_from(
            [
                "swap events",
                "drop event",
                "unfinish",
                "finish",
                "twice",
                "past",
                "raw log",
                "line break",
            ]
        )
    )
    if bend == "swap events" and len(good.live_events) >= 2:
        events = list(good.live_events)
        i = draw(st.integers(0, len(events) - 2))
        a, b = events[i], events[i + 1]
        events[i], events[i + 1] = replace(a, at=b.at), replace(b, at=a.at)
        events[i], events[i + 1] = replace(events[i], seq=b.seq), replace(events[i + 1], seq=a.seq)
        return replace(good, live_events=tuple(events))
    if bend == "drop event" and good.live_events:
        events = list(good.live_events)
        events.pop(draw(st.integers(0, len(events) - 1)))
        return replace(good, live_events=tuple(events))
    if bend in ("unfinish", "finish") and good.live_runs:
        runs = [
            replace(r, finished_at=None if bend == "unfinish" else draw(instants()))
            for r in good.live_runs
        ]
        return replace(good, live_runs=tuple(runs))
    if bend == "twice" and good.buddy_groups and good.buddy_members:
        member = draw(st.sampled_from(good.buddy_members))
        group = draw(st.sampled_from(good.buddy_groups))
        extra = BuddyMemberRecord(group.id, member.participant_id)
        return replace(good, buddy_members=(*good.buddy_members, extra))
    if bend == "past" and good.calls:
        just_past = draw(
            st.sampled_from(
                [
                    limits.EARLIEST_INSTANT - timedelta(microseconds=1),
                    limits.LATEST_INSTANT + timedelta(microseconds=1),
                    datetime(1, 1, 1, 14, tzinfo=UTC),
                    datetime(9999, 12, 31, 10, tzinfo=UTC),
                ]
            )
        )
        call = good.calls[0]
        return replace(good, calls=(replace(call, starts_at=just_past), *good.calls[1:]))
    if bend == "line break":
        cohort = good.cohorts[0]
        name = draw(st.sampled_from(["Two\nlines", "Tab\there", "Form\x0cfeed", "Line\u2028sep"]))
        return replace(good, cohorts=(replace(cohort, name=name), *good.cohorts[1:]))
    if bend == "raw log" and good.live_runs:
        run = good.live_runs[0]
        actions = [a.value for a in Action]
        raw = tuple(
            LiveEventRecord(
                run.id,
                seq,
                draw(instants()),
                draw(st.sampled_from(actions)),
                draw(st.sampled_from([0, 60, limits.MAX_INT, limits.MIN_INT])),
                draw(st.sampled_from(["", "1", "1,1", "5,-1", "0,0,0", "2147483647"])),
            )
            for seq in range(draw(st.integers(1, 6)))
        )
        kept = tuple(e for e in good.live_events if e.run_id != run.id)
        return replace(good, live_events=kept + raw, live_runs=good.live_runs)
    return good


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """An empty database at the app's schema, copied for each example."""
    where = Path(tempfile.mkdtemp(prefix="edges-"))
    folder = DataFolder(where / "template").prepare()
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    db.migrate()
    db.dispose()
    yield folder.database
    shutil.rmtree(where, ignore_errors=True)


def fresh(template: Path) -> tuple[Database, Path]:
    where = Path(tempfile.mkdtemp(prefix="edge-"))
    folder = DataFolder(where / "data").prepare()
    shutil.copyfile(template, folder.database)
    return Database(folder.sqlite_url, backups_dir=folder.backups), where


def everything_works(db: Database, where: Path) -> None:
    """`check` passes, and each service a screen or an export uses answers."""
    report = integrity.check(db)
    assert report.ok, report.problems
    summaries = cohorts.list_cohorts(db)
    for summary in summaries:
        cohort_id = summary.id
        plan = cohorts.get_plan(db, cohort_id)
        calls.list_cohort_calls(db, cohort_id)
        presenters.presenter_plan(db, cohort_id, NOW)
        buddies.list_cycles(db, cohort_id)
        for call in plan.calls:
            agendas.get_agenda(db, call.id)
            live.stage_records(db, call.id, NOW)
            notes_report.session_notes_pdf(db, call.id, now=NOW)
        for kind in Handout:
            assert handouts.handout_pdf(db, cohort_id, kind, now=NOW).startswith(b"%PDF")
        if plan.calls:
            ics = where / f"cohort-{cohort_id}.ics"
            assert calendar_export.write_cohort_calendar(db, cohort_id, ics) == len(plan.calls)
            assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    for run in live.unfinished_runs(db):
        # Offered for resume at start-up: it opens, and its timer shows.
        opened = live.open_live(db, run.call_id).value
        opened.timer().snapshot(NOW)


def import_into(template: Path, archive: Archive) -> tuple[str | None, Database, Path]:
    """The refusal (None: accepted), the database and its folder."""
    db, where = fresh(template)
    path = where / "edges.zip"
    path.write_bytes(archive_bytes(archive))
    try:
        import_archive(db, path)
    except ValidationError as refused:
        (error,) = refused.errors
        assert error.field == "Archive"
        return error.message, db, where
    return None, db, where


@EDGE_SETTINGS
@given(archives())
def test_archives_at_the_edges_come_in_and_everything_works(
    template: Path, archive: Archive
) -> None:
    refused, db, where = import_into(template, archive)
    try:
        assert refused is None, "an archive that keeps every rule is accepted"
        everything_works(db, where)
    finally:
        db.dispose()
        shutil.rmtree(where, ignore_errors=True)


@EDGE_SETTINGS
@given(broken_archives())
def test_bent_archives_are_refused_or_work(template: Path, archive: Archive) -> None:
    refused, db, where = import_into(template, archive)
    try:
        if refused is None:
            everything_works(db, where)
    finally:
        db.dispose()
        shutil.rmtree(where, ignore_errors=True)


def test_the_note_kinds_of_the_rules_are_the_apps() -> None:
    assert {k.value for k in NoteKind} == NOTE_KINDS


def test_a_calendar_of_a_cohort_changed_at_the_last_instant_is_written(
    template: Path, tmp_path: Path
) -> None:
    late = limits.LATEST_INSTANT
    cohort = CohortRecord(
        1,
        "Late",
        "",
        "",
        "UTC",
        date(2199, 1, 1),
        date(2199, 12, 1),
        90,
        "",
        time(7),
        time(22),
        False,
        late,
        late,
    )
    call = CallRecord(2, 1, "late-call", late - timedelta(hours=2), 90, False, "", "", 0, late)
    archive = Archive("0.1.0", NOW, cohorts=(cohort,), calls=(call,))
    refused, db, where = import_into(template, archive)
    try:
        assert refused is None
        cohort_id = cohorts.list_cohorts(db)[0].id
        calendar_export.write_cohort_calendar(db, cohort_id, tmp_path / "late.ics")
    finally:
        db.dispose()
        shutil.rmtree(where, ignore_errors=True)
