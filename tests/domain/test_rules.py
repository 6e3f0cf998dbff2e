"""The rules between rows: an archive breaking any of them is refused, naming the row.

Each case here was accepted before the rules were shared with `check`, and then broke a
screen, an export or `check` itself.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.agenda import agenda_to_json, build_agenda
from sanctuary_desktop.domain.archive import (
    Archive,
    BuddyCycleRecord,
    BuddyGroupRecord,
    BuddyMemberRecord,
    CallRecord,
    CohortRecord,
    LiveEventRecord,
    LiveRunRecord,
    ParticipantRecord,
    archive_bytes,
    parse_archive,
)
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY, builtin
from sanctuary_desktop.domain.rules import RULES, broken
from sanctuary_desktop.domain.timer import Action, LiveTimer

WHEN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
ITEMS = build_agenda(builtin(DEFAULT_PROTOCOL_KEY), [None, None])


def cohort_archive(
    events: tuple[tuple[timedelta, Action, int, tuple[int, ...]], ...] = (),
) -> Archive:
    """A cohort of three with one call, a buddy cycle after it and a live run whose log
    is written by driving the real timer."""
    cohort = CohortRecord(
        id=1,
        name="Circle",
        focus="",
        facilitators="",
        home_tz="America/Vancouver",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 1),
        call_minutes=90,
        notes="",
        day_start=time(7),
        day_end=time(22),
        archived=False,
        created_at=WHEN,
        updated_at=WHEN,
    )
    people = tuple(
        ParticipantRecord(
            id=10 + n,
            cohort_id=1,
            name=name,
            email=None,
            organisation="",
            time_zone="Pacific/Auckland",
            years_in_practice=None,
            status="accepted",
            interview_date=None,
            notes="",
            created_at=WHEN,
        )
        for n, name in enumerate(["Aroha", "Léa", "佐藤"])
    )
    call = CallRecord(5, 1, "uid-5", WHEN, 90, False, "", "", 0, WHEN)
    timer = LiveTimer(ITEMS, WHEN, 90)
    written = []
    for offset, action, amount, values in events:
        written.extend(timer.command(action, WHEN + offset, amount, values).events)
    return Archive(
        app_version="0.1.0",
        created_at=WHEN,
        cohorts=(cohort,),
        participants=people,
        calls=(call,),
        buddy_cycles=(BuddyCycleRecord(7, 1, 5, WHEN),),
        buddy_groups=(BuddyGroupRecord(8, 7, 0, None, ""), BuddyGroupRecord(9, 7, 1, None, "")),
        buddy_members=(
            BuddyMemberRecord(8, 10),
            BuddyMemberRecord(8, 11),
            BuddyMemberRecord(9, 12),
        ),
        live_runs=(LiveRunRecord(3, 5, agenda_to_json(ITEMS), WHEN, 90, WHEN, timer.finished_at),),
        live_events=tuple(
            LiveEventRecord(3, seq, e.at, e.action.value, e.amount, ",".join(map(str, e.values)))
            for seq, e in enumerate(written)
        ),
    )


RUN = (
    (timedelta(0), Action.START, 0, (10, 11, 12)),
    (timedelta(minutes=5), Action.NEXT, 0, ()),
    (timedelta(minutes=6), Action.ADJUST, 60, ()),
    (timedelta(minutes=7), Action.PAUSE, 0, ()),
)
FINISHED = (*RUN, (timedelta(minutes=9), Action.FINISH, 0, ()))


def refusal(archive: Archive) -> str:
    with pytest.raises(ValidationError) as refused:
        parse_archive(archive_bytes(archive))
    return refused.value.for_field("Archive") or ""


def with_events(archive: Archive, change: Callable[[list[LiveEventRecord]], None]) -> Archive:
    events = list(archive.live_events)
    change(events)
    return replace(archive, live_events=tuple(events))


def test_the_examples_keep_every_rule() -> None:
    for events in ((), RUN, FINISHED):
        archive = cohort_archive(events)
        assert list(broken(archive)) == []
        assert parse_archive(archive_bytes(archive)) == archive


@pytest.mark.parametrize(
    "instant",
    [
        datetime(1, 1, 1, 12, tzinfo=UTC),
        datetime(9999, 12, 31, 10, tzinfo=UTC),
        limits.EARLIEST_INSTANT - timedelta(microseconds=1),
        limits.LATEST_INSTANT + timedelta(microseconds=1),
    ],
)
def test_an_instant_beyond_the_years_the_app_shows_is_refused(instant: datetime) -> None:
    good = cohort_archive(RUN)
    moved = replace(good, calls=(replace(good.calls[0], starts_at=instant),))
    assert refusal(moved) == (
        "is damaged: call 5 has a start time outside the years between 1900 and 2199"
        f" ({instant.isoformat()})"
    )
    late_note = replace(good, live_runs=(replace(good.live_runs[0], created_at=instant),))
    assert "live run 3 has a creation time outside the years" in refusal(late_note)


def test_instants_and_dates_at_the_bounds_are_accepted() -> None:
    good = cohort_archive()
    edges = replace(
        good,
        cohorts=(
            replace(
                good.cohorts[0],
                start_date=limits.EARLIEST_DATE,
                end_date=limits.LATEST_DATE,
                created_at=limits.EARLIEST_INSTANT,
                updated_at=limits.LATEST_INSTANT,
            ),
        ),
        calls=(replace(good.calls[0], starts_at=limits.LATEST_INSTANT - timedelta(hours=2)),),
    )
    assert parse_archive(archive_bytes(edges)) == edges


def test_a_date_beyond_the_years_is_refused() -> None:
    good = cohort_archive()
    far = replace(good, cohorts=(replace(good.cohorts[0], end_date=date(9999, 12, 31)),))
    assert refusal(far) == (
        "is damaged: cohort 1 has an end date outside the years between 1900 and 2199 (9999-12-31)"
    )


def test_a_manifest_date_beyond_the_years_is_refused() -> None:
    data = archive_bytes(cohort_archive())
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        content = zipped.read("data.json")
    manifest["created_at"] = "0001-01-01T00:00:00Z"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("manifest.json", json.dumps(manifest))
        out.writestr("data.json", content)
    with pytest.raises(ValidationError) as refused:
        parse_archive(buffer.getvalue())
    assert (
        refused.value.for_field("Archive") == "is damaged: the date in its manifest is not readable"
    )


def test_timer_events_out_of_time_order_are_refused() -> None:
    def backwards(events: list[LiveEventRecord]) -> None:
        events[2] = replace(events[2], at=events[0].at - timedelta(minutes=1))

    assert refusal(with_events(cohort_archive(RUN), backwards)) == (
        "is damaged: live run 3 has timer event 2 earlier than the one before"
    )


def test_a_gap_in_the_timer_events_is_refused() -> None:
    def gap(events: list[LiveEventRecord]) -> None:
        events[1] = replace(events[1], seq=7)

    assert refusal(with_events(cohort_archive(RUN), gap)) == (
        "is damaged: live run 3 has timer event 2 where 1 was due"
    )


def test_someone_twice_in_one_buddy_cycle_is_refused() -> None:
    good = cohort_archive()
    twice = replace(good, buddy_members=(*good.buddy_members, BuddyMemberRecord(9, 10)))
    assert refusal(twice) == ("is damaged: buddy cycle 7 has participant 10 in more than one group")


def test_a_run_whose_log_finished_must_be_marked_finished_and_the_reverse() -> None:
    done = cohort_archive(FINISHED)
    assert done.live_runs[0].finished_at is not None
    unmarked = replace(done, live_runs=(replace(done.live_runs[0], finished_at=None),))
    assert refusal(unmarked) == "is damaged: live run 3 finished, but is not marked finished"
    running = cohort_archive(RUN)
    marked = replace(running, live_runs=(replace(running.live_runs[0], finished_at=WHEN),))
    assert refusal(marked) == (
        "is damaged: live run 3 is marked finished, but its timer never finished"
    )
    moved = replace(
        done,
        live_runs=(replace(done.live_runs[0], finished_at=WHEN + timedelta(days=1)),),
    )
    assert refusal(moved) == (
        "is damaged: live run 3 is marked finished at another time than its timer finished"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: replace(e, action="resume"),
            "is damaged: live run 3 has timer event 0 (resume) that the timer could not take"
            " at that point",
        ),
        (
            lambda e: replace(e, numbers="10,10"),
            "is damaged: live run 3 has timer event 0 (start) that has someone in the turn"
            " order twice",
        ),
    ],
)
def test_a_first_event_the_timer_would_never_write_is_refused(change: Any, message: str) -> None:
    def bend(events: list[LiveEventRecord]) -> None:
        events[0] = change(events[0])

    assert refusal(with_events(cohort_archive(RUN), bend)) == message


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (("adjust", limits.MAX_INT, ""), "changes the time by more than an hour, or not at all"),
        (("adjust", 0, ""), "changes the time by more than an hour, or not at all"),
        (("reshape", 0, "5"), "holds a plan that does not fit the stages"),
        (("reshape", 0, ",".join(["99999"] * len(ITEMS))), "holds a plan that does not fit"),
        (("resume", 0, ""), "the timer could not take at that point"),
        (("auto", 0, "0,-1"), "comes while the timer is not running"),
        (("start", 0, "10"), "the timer could not take at that point"),
    ],
)
def test_a_later_event_the_timer_would_never_write_is_refused(
    event: tuple[str, int, str], message: str
) -> None:
    action, amount, numbers = event
    good = cohort_archive((*RUN[:1], (timedelta(minutes=1), Action.PAUSE, 0, ())))

    def add(events: list[LiveEventRecord]) -> None:
        at = WHEN + timedelta(minutes=2)
        events.append(LiveEventRecord(3, len(events), at, action, amount, numbers))

    if action == "auto":  # while paused
        assert message in refusal(with_events(good, add))
        return
    if action == "resume":  # resumed twice
        running = cohort_archive(RUN[:1])
        assert message in refusal(with_events(running, add))
        return
    assert message in refusal(with_events(good, add))


def test_a_run_left_open_on_a_cancelled_call_is_refused() -> None:
    good = cohort_archive(RUN)
    cancelled = replace(good, calls=(replace(good.calls[0], cancelled=True),))
    assert refusal(cancelled) == (
        "is damaged: live run 3 was left open on call 5, which is cancelled"
    )
    finished = cohort_archive(FINISHED)
    done = replace(finished, calls=(replace(finished.calls[0], cancelled=True),))
    assert parse_archive(archive_bytes(done)) == done


def test_every_rule_has_its_own_name() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))


def test_a_started_run_needs_stages_and_one_not_started_does_not() -> None:
    started = cohort_archive(RUN)
    empty = replace(started, live_runs=(replace(started.live_runs[0], items="[]"),))
    assert refusal(empty) == "is damaged: live run 3 has timer events but no stages"
    waiting = cohort_archive()
    unstarted = replace(waiting, live_runs=(replace(waiting.live_runs[0], items="[]"),))
    assert parse_archive(archive_bytes(unstarted)) == unstarted
