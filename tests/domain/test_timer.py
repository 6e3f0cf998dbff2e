"""The live timer's state machine, driven by a clock moved by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain.agenda import AgendaItem
from sanctuary_desktop.domain.clock import ManualClock, SteadyClock
from sanctuary_desktop.domain.protocols import Bell, StopKind
from sanctuary_desktop.domain.timer import (
    Action,
    Level,
    LiveTimer,
    Mark,
    Phase,
    Signal,
    TimerError,
    clock_text,
    countdown_text,
)

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def agenda(*minutes: int, **changes: object) -> tuple[AgendaItem, ...]:
    return tuple(AgendaItem(name=f"Stage {n}", minutes=m) for n, m in enumerate(minutes, 1))


def item(name: str, minutes: int, **fields: object) -> AgendaItem:
    return AgendaItem(name=name, minutes=minutes, **fields)  # type: ignore[arg-type]


def started(
    items: tuple[AgendaItem, ...], people: tuple[int, ...] = ()
) -> tuple[LiveTimer, ManualClock]:
    clock = ManualClock(START)
    timer = LiveTimer(items, START, call_minutes=sum(i.minutes for i in items))
    timer.command(Action.START, clock(), values=people)
    return timer, clock


def test_counts_down_from_the_clock_and_pause_freezes_it() -> None:
    timer, clock = started(agenda(5, 10))
    clock.advance(90)
    snap = timer.tick(clock()).snapshot
    assert snap.phase is Phase.RUNNING
    assert snap.remaining == pytest.approx(210)
    timer.command(Action.PAUSE, clock())
    clock.advance(600)
    assert timer.tick(clock()).snapshot.remaining == pytest.approx(210)
    assert timer.tick(clock()).snapshot.phase is Phase.PAUSED
    timer.command(Action.RESUME, clock())
    clock.advance(10)
    snap = timer.tick(clock()).snapshot
    assert snap.remaining == pytest.approx(200)
    assert snap.call_elapsed == pytest.approx(700)  # the call's wall time includes the pause


def test_commands_before_the_start_or_after_the_finish_are_refused() -> None:
    clock = ManualClock(START)
    timer = LiveTimer(agenda(5), START, 5)
    for action in (Action.PAUSE, Action.NEXT, Action.BACK, Action.ADJUST):
        assert not timer.can(action)
        with pytest.raises(TimerError):
            timer.command(action, clock(), amount=60)
    timer.command(Action.START, clock())
    with pytest.raises(TimerError):
        timer.command(Action.START, clock())
    with pytest.raises(TimerError):
        timer.command(Action.BACK, clock())  # nothing before the first stage
    timer.command(Action.FINISH, clock())
    assert timer.phase is Phase.FINISHED
    assert not timer.can(Action.RESUME)


def test_next_back_and_skip_move_between_stages_and_keep_their_time() -> None:
    timer, clock = started(agenda(5, 10, 5))
    clock.advance(100)
    timer.command(Action.NEXT, clock())
    clock.advance(30)
    snap = timer.tick(clock()).snapshot
    assert (snap.index, snap.remaining) == (1, pytest.approx(570))
    assert snap.marks == (Mark.DONE, Mark.CURRENT, Mark.UPCOMING)
    timer.command(Action.BACK, clock())  # pressed next too soon: stage 1 carries on
    clock.advance(20)
    assert timer.tick(clock()).snapshot.remaining == pytest.approx(300 - 120)
    timer.command(Action.NEXT, clock())
    timer.command(Action.SKIP, clock())
    snap = timer.tick(clock()).snapshot
    assert snap.index == 2
    assert snap.marks == (Mark.DONE, Mark.SKIPPED, Mark.CURRENT)
    records = timer.record(clock())
    assert [round(r.actual_seconds) for r in records] == [120, 30, 0]
    assert records[1].skipped and not records[0].skipped


def test_next_on_the_last_stage_finishes_the_call() -> None:
    timer, clock = started(agenda(1, 1))
    timer.command(Action.NEXT, clock.advance(60))
    timer.command(Action.NEXT, clock.advance(60))
    snap = timer.tick(clock.advance(600)).snapshot
    assert snap.phase is Phase.FINISHED
    assert snap.marks == (Mark.DONE, Mark.DONE)
    assert timer.finished_at == START + timedelta(seconds=120)
    assert snap.call_elapsed == pytest.approx(120)  # the clock stops at the finish


def test_restart_starts_the_countdown_again_but_the_record_keeps_all_the_time() -> None:
    timer, clock = started(agenda(5))
    timer.command(Action.ADJUST, clock.advance(100), amount=60)
    timer.command(Action.RESTART, clock.advance(50))
    snap = timer.tick(clock.advance(10)).snapshot
    assert snap.remaining == pytest.approx(290)  # the minute added was for the old try
    assert timer.record(clock())[0].actual_seconds == pytest.approx(160)


def test_adding_and_removing_time_moves_the_countdown_and_the_projected_end() -> None:
    timer, clock = started(agenda(10, 20))
    before = timer.tick(clock.advance(60)).snapshot
    timer.command(Action.ADJUST, clock(), amount=300)
    after = timer.tick(clock()).snapshot
    assert after.remaining == pytest.approx(before.remaining + 300)
    assert after.projected_end == before.projected_end + timedelta(minutes=5)
    assert after.behind == pytest.approx(300)
    timer.command(Action.ADJUST, clock(), amount=-60)
    assert timer.tick(clock()).snapshot.remaining == pytest.approx(before.remaining + 240)
    with pytest.raises(TimerError):
        timer.command(Action.ADJUST, clock(), amount=0)


def test_levels_change_at_the_stages_own_thresholds() -> None:
    items = (item("Default", 10), item("Own", 10, warn_percent=50, urgent_percent=10))
    timer, clock = started(items)
    assert timer.tick(clock.advance(7 * 60)).snapshot.level is Level.CALM  # 30% left
    assert timer.tick(clock.advance(60)).snapshot.level is Level.WARNING  # 20% left
    assert timer.tick(clock.advance(89)).snapshot.level is Level.WARNING  # 31 s left
    assert timer.tick(clock.advance(1)).snapshot.level is Level.URGENT
    timer.command(Action.NEXT, clock())
    assert timer.tick(clock.advance(4 * 60)).snapshot.level is Level.CALM
    assert timer.tick(clock.advance(60)).snapshot.level is Level.WARNING  # 50% left
    assert timer.tick(clock.advance(4 * 60)).snapshot.level is Level.URGENT  # 10% left


def test_a_soft_stop_runs_into_overtime() -> None:
    timer, clock = started(agenda(1, 5))
    tick = timer.tick(clock.advance(105))
    assert tick.events == ()
    assert tick.snapshot.index == 0
    assert tick.snapshot.remaining == pytest.approx(-45)
    assert tick.snapshot.overtime and tick.snapshot.level is Level.OVERTIME
    assert tick.snapshot.behind == pytest.approx(45)


def test_a_hard_stop_moves_on_at_zero_stamped_with_the_exact_instant() -> None:
    items = (item("Hard", 2, stop=StopKind.HARD), item("Next", 5))
    timer, clock = started(items)
    assert timer.tick(clock.advance(119)).events == ()
    tick = timer.tick(clock.advance(1.5))
    assert [e.action for e in tick.events] == [Action.AUTO]
    assert tick.events[0].at == START + timedelta(seconds=120)
    assert tick.snapshot.index == 1
    assert tick.snapshot.remaining == pytest.approx(300 - 0.5)


def test_hard_stops_missed_while_the_app_was_closed_are_caught_up_in_order() -> None:
    hard = {"stop": StopKind.HARD}
    items = (item("A", 1, **hard), item("B", 2, **hard), item("C", 3))
    timer, clock = started(items)
    timer.command(Action.PAUSE, clock.advance(30))
    timer.command(Action.RESUME, clock.advance(30))
    tick = timer.tick(clock.advance(1000))
    assert [e.at - START for e in tick.events] == [timedelta(seconds=90), timedelta(seconds=210)]
    assert tick.snapshot.index == 2
    assert tick.snapshot.remaining == pytest.approx(180 - (1060 - 210))


def test_turns_each_have_their_own_countdown_in_the_given_order() -> None:
    items = (item("Check-in", 6, turns=True), item("Round", 10))
    timer, clock = started(items, people=(11, 12, 13))
    snap = timer.tick(clock.advance(30)).snapshot
    assert snap.turn is not None
    assert (snap.turn.person, snap.turn.index, snap.turn.count) == (11, 0, 3)
    assert snap.remaining == pytest.approx(90)  # 6 minutes shared by 3
    assert snap.stage_remaining == pytest.approx(330)
    timer.command(Action.NEXT, clock.advance(60))
    snap = timer.tick(clock.advance(150)).snapshot  # 30 s over
    assert snap.turn is not None and snap.turn.person == 12
    assert snap.remaining == pytest.approx(-30) and snap.level is Level.OVERTIME
    timer.command(Action.ADJUST, clock(), amount=60)
    assert timer.tick(clock()).snapshot.remaining == pytest.approx(30)
    timer.command(Action.BACK, clock())
    snap = timer.tick(clock()).snapshot
    assert snap.turn is not None and snap.turn.person == 11 and snap.remaining == pytest.approx(120)
    timer.command(Action.NEXT, clock())
    timer.command(Action.NEXT, clock())
    timer.command(Action.NEXT, clock())  # after the last turn: the next stage
    assert timer.tick(clock()).snapshot.index == 1


def test_hard_stop_turns_move_on_by_themselves() -> None:
    items = (item("Closing", 3, turns=True, stop=StopKind.HARD), item("After", 5))
    timer, clock = started(items, people=(1, 2, 3))
    tick = timer.tick(clock.advance(150))
    assert [e.values for e in tick.events] == [(0, 0), (0, 1)]
    assert tick.snapshot.turn is not None and tick.snapshot.turn.person == 3
    assert [s for s in tick.signals] == [Signal.END]
    tick = timer.tick(clock.advance(30))
    assert tick.snapshot.index == 1 and tick.events[0].values == (0, -1)


def test_a_stage_with_turns_but_nobody_present_is_a_plain_countdown() -> None:
    timer, clock = started((item("Check-in", 6, turns=True),), people=())
    assert timer.tick(clock.advance(60)).snapshot.turn is None


def test_pausing_during_a_warning_holds_the_level_and_the_time() -> None:
    timer, clock = started(agenda(10))
    snap = timer.tick(clock.advance(9 * 60)).snapshot
    assert snap.level is Level.WARNING
    timer.command(Action.PAUSE, clock())
    later = timer.tick(clock.advance(3600)).snapshot
    assert (later.level, later.remaining) == (Level.WARNING, pytest.approx(60))
    assert later.projected_end == clock() + timedelta(seconds=60)


def test_three_hours_of_ticks_do_not_drift() -> None:
    items = (item("Long", 180), item("After", 5))
    timer, clock = started(items)
    step = 0.25
    for n in range(1, 3 * 60 * 60 * 4 + 1):
        snap = timer.tick(clock.advance(step)).snapshot
        if n % 4000 == 0:
            assert snap.remaining == 180 * 60 - n * step
    assert snap.remaining == 0.0
    assert snap.call_elapsed == 3 * 60 * 60


def test_replaying_the_written_events_gives_the_same_state() -> None:
    items = (item("A", 5, turns=True), item("B", 3, stop=StopKind.HARD), item("C", 10))
    timer, clock = started(items, people=(4, 5))
    written = list(timer.events)
    for action, seconds, amount in [
        (Action.NEXT, 40, 0),
        (Action.PAUSE, 20, 0),
        (Action.RESUME, 300, 0),
        (Action.ADJUST, 10, -60),
        (Action.NEXT, 100, 0),
    ]:
        written.extend(timer.command(action, clock.advance(seconds), amount=amount).events)
    written.extend(timer.tick(clock.advance(400)).events)
    replayed = LiveTimer(items, START, 18, written)
    assert replayed.tick(clock()).snapshot == timer.tick(clock()).snapshot
    assert replayed.record(clock()) == timer.record(clock())


def test_the_target_is_the_scheduled_end_unless_started_far_from_schedule() -> None:
    items = agenda(45, 45)
    on_time = LiveTimer(items, START, 90)
    on_time.command(Action.START, START + timedelta(minutes=5))
    assert on_time.target_end(START) == START + timedelta(minutes=90)
    assert on_time.tick(START + timedelta(minutes=5)).snapshot.behind == pytest.approx(300)
    rehearsal = LiveTimer(items, START, 90)
    rehearsal.command(Action.START, START - timedelta(days=2))
    assert rehearsal.target_end(START) == START - timedelta(days=2) + timedelta(minutes=90)


def test_running_late_offers_to_shorten_the_later_flexible_stages_to_end_on_time() -> None:
    items = (
        item("Arrive", 10, fixed=True),
        item("Work", 40),
        item("Talk", 20),
        item("Close", 10, fixed=True),
    )
    timer, clock = started(items)
    assert timer.shortened_plan(clock.advance(5 * 60)) is None  # on time
    clock.advance(25 * 60)  # the arrival ran 20 minutes over
    plan = timer.shortened_plan(clock())
    assert plan == (10, 27, 13, 10)
    timer.command(Action.RESHAPE, clock(), values=plan)
    snap = timer.tick(clock()).snapshot
    assert snap.projected_end == snap.target_end
    assert timer.record(clock())[1].planned_minutes == 40
    assert timer.record(clock())[1].final_minutes == 27
    with pytest.raises(TimerError):
        timer.command(Action.RESHAPE, clock(), values=(10, 0, 10, 10))


def test_warning_and_end_chimes_sound_once_each() -> None:
    timer, clock = started(agenda(10, 10))
    heard = [s for _ in range(700) for s in timer.tick(clock.advance(1)).signals]
    assert heard == [Signal.WARNING, Signal.END]  # 2 minutes left, then zero


def test_meditation_bells_at_start_in_between_and_end() -> None:
    bells = frozenset({Bell.START, Bell.INTERVAL, Bell.END})
    items = (item("Check-in", 5), item("Arrive", 5, bells=bells, bell_interval_minutes=2))
    timer, clock = started(items)
    tick = timer.command(Action.NEXT, clock.advance(60))
    assert tick.signals == (Signal.BELL,)
    heard = [
        (round((clock() - START).total_seconds()), s)
        for _ in range(300)
        for s in timer.tick(clock.advance(1)).signals
    ]
    # Bells at 2 and 4 minutes in; the stage's end rings a bell, not a chime.
    assert [s for _, s in heard] == [Signal.BELL, Signal.WARNING, Signal.BELL, Signal.BELL]
    assert [t for t, s in heard if s is Signal.BELL] == [180, 300, 360]


def test_steady_clock_keeps_its_pace_and_takes_the_wall_clock_after_sleep() -> None:
    wall, mono = [1_000_000.0], [50.0]
    clock = SteadyClock(wall=lambda: wall[0], monotonic=lambda: mono[0])
    wall[0] += 1.5  # a small wall-clock correction is ignored
    mono[0] += 1.0
    assert clock.seconds() == pytest.approx(1_000_001.0)
    wall[0] += 3600  # the laptop slept for an hour: monotonic stood still
    assert clock.seconds() == pytest.approx(wall[0])
    assert clock.resyncs == 1
    mono[0] += 10
    wall[0] += 10
    assert clock().timestamp() == pytest.approx(wall[0])


ACTIONS = [
    Action.PAUSE,
    Action.RESUME,
    Action.NEXT,
    Action.BACK,
    Action.SKIP,
    Action.RESTART,
    Action.ADJUST,
]


@settings(max_examples=150, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.floats(0, 400), st.sampled_from([-60, 60, 300])),
        max_size=40,
    ),
    hard=st.lists(st.booleans(), min_size=4, max_size=4),
    people=st.lists(st.integers(1, 30), unique=True, max_size=6),
)
def test_any_sequence_of_commands_replays_to_the_same_state(
    steps: list[tuple[Action, float, int]], hard: list[bool], people: list[int]
) -> None:
    items = tuple(
        item(f"S{n}", minutes, stop=StopKind.HARD if h else StopKind.SOFT, turns=n == 0)
        for n, (minutes, h) in enumerate(zip((4, 7, 3, 9), hard, strict=True))
    )
    timer, clock = started(items, tuple(people))
    for action, seconds, amount in steps:
        timer.tick(clock.advance(seconds))  # as the display does before any key is pressed
        if timer.can(action):
            timer.command(action, clock(), amount=amount)
    times = [event.at for event in timer.events]
    assert times == sorted(times)
    replayed = LiveTimer(items, START, 23, timer.events)
    now = clock.advance(1)
    snap = timer.tick(now).snapshot
    assert replayed.tick(now).snapshot == snap
    if snap.phase is not Phase.FINISHED:
        assert snap.stage_remaining == pytest.approx(snap.stage_length - snap.stage_elapsed)
    run_time = sum(r.actual_seconds for r in timer.record(now))
    assert run_time <= snap.call_elapsed + 1e-6


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (600, "10:00"),
        (599.2, "10:00"),
        (0.4, "0:01"),
        (0, "0:00"),
        (-0.5, "+0:00"),
        (-45.9, "+0:45"),
        (3723, "1:02:03"),
        (-3600, "+1:00:00"),
    ],
)
def test_countdown_text(remaining: float, text: str) -> None:
    assert countdown_text(remaining) == text


def test_clock_text() -> None:
    assert clock_text(1390.7) == "0:23:10"
    assert clock_text(-5) == "0:00:00"


def test_a_late_arrival_joins_the_round_without_taking_the_current_turn() -> None:
    items = (item("Check-in", 10, turns=True, stop=StopKind.HARD), item("After", 5))
    timer, clock = started(items, people=(1, 2, 3, 4, 5))
    timer.command(Action.NEXT, clock.advance(100))
    timer.command(Action.NEXT, clock.advance(100))  # person 3 speaks
    clock.advance(10)
    timer.command(Action.ORDER, clock(), values=(0, 1, 2, 4, 5))  # 0 arrives, 3 stays on
    snap = timer.tick(clock()).snapshot
    assert snap.turn is not None
    assert (snap.turn.person, snap.turn.index, snap.turn.count) == (3, 2, 6)
    assert snap.remaining == pytest.approx(110)  # the turn keeps its two minutes
    timer.command(Action.NEXT, clock.advance(30))
    snap = timer.tick(clock()).snapshot
    assert snap.turn is not None and snap.turn.person == 0  # newcomers after the speaker
    assert snap.remaining == pytest.approx(80)  # the two turns' four minutes, shared by 3
    assert LiveTimer(items, START, 15, timer.events).tick(clock()).snapshot == snap


def test_going_back_to_a_hard_stop_that_ran_out_starts_it_again() -> None:
    items = (item("Arrive", 1, stop=StopKind.HARD), item("Check-in", 5), item("Round", 5))
    timer, clock = started(items)
    assert timer.tick(clock.advance(70)).snapshot.index == 1
    timer.command(Action.BACK, clock())
    tick = timer.tick(clock.advance(1))
    assert tick.events == () and tick.snapshot.index == 0
    assert tick.snapshot.remaining == pytest.approx(59)
    assert tick.snapshot.marks == (Mark.CURRENT, Mark.UPCOMING, Mark.UPCOMING)  # not "done"


def test_clock_events_survive_a_refused_command_and_the_log_replays() -> None:
    items = (item("Only", 1, stop=StopKind.HARD),)
    timer, clock = started(items)
    with pytest.raises(TimerError):
        timer.command(Action.PAUSE, clock.advance(61))  # the call finished at 60 s
    tick = timer.tick(clock())
    assert [e.action for e in tick.events] == [Action.AUTO]
    replayed = LiveTimer(items, START, 1, [timer.events[0], *tick.events])
    assert replayed.finished_at == START + timedelta(seconds=60)


def test_a_clock_set_back_never_writes_an_event_before_the_last() -> None:
    timer, clock = started(agenda(5, 5))
    timer.command(Action.PAUSE, clock.advance(100))
    clock.advance(-30)
    tick = timer.command(Action.RESUME, clock())
    assert tick.events[-1].at == START + timedelta(seconds=100)


def test_a_late_arrival_takes_from_the_turns_to_come_so_the_stage_keeps_its_length() -> None:
    items = (item("Check-in", 5, turns=True), item("After", 10))
    timer, clock = started(items, people=(1, 2, 3, 4))
    planned_end = START + timedelta(minutes=15)
    assert timer.tick(clock()).snapshot.projected_end == planned_end
    timer.command(Action.NEXT, clock.advance(75))  # person 1 kept to 75 s
    clock.advance(20)
    timer.command(Action.ORDER, clock(), values=(1, 2, 3, 4, 5))  # 5 arrives late
    snap = timer.tick(clock()).snapshot
    assert snap.projected_end == planned_end  # known in advance: the stage keeps its length
    assert snap.behind == pytest.approx(0)
    assert snap.turn is not None and snap.turn.remaining == pytest.approx(55)  # 2 keeps 75 s
    shares = []
    clock.advance(55)
    while timer.index == 0:  # everyone keeps exactly to their turn
        timer.command(Action.NEXT, clock())
        snap = timer.tick(clock()).snapshot
        if timer.index == 0:
            assert snap.turn is not None
            shares.append(snap.turn.length)
            assert snap.projected_end == planned_end
            clock.advance(snap.turn.length)
    assert shares == pytest.approx([50, 50, 50])  # two turns' 150 s shared by three
    record = timer.record(clock())[0]
    assert record.actual_seconds == pytest.approx(300)  # no overrun
    assert timer.tick(clock()).snapshot.projected_end == planned_end
    replayed = LiveTimer(items, START, 15, timer.events).tick(clock()).snapshot
    assert replayed == timer.tick(clock()).snapshot


def test_someone_leaving_gives_the_turns_to_come_their_time() -> None:
    items = (item("Check-in", 6, turns=True), item("After", 4))
    timer, clock = started(items, people=(1, 2, 3, 4))
    timer.command(Action.ORDER, clock.advance(30), values=(1, 2, 3))  # 4 has to leave
    timer.command(Action.NEXT, clock.advance(60))
    snap = timer.tick(clock()).snapshot
    assert snap.turn is not None and snap.turn.count == 3
    assert snap.turn.length == pytest.approx(135)  # 2 x 90 s of turns to come, shared by 2
    assert snap.projected_end == START + timedelta(minutes=10)


def test_an_arrival_in_the_last_turn_shows_the_overrun_in_the_projection_at_once() -> None:
    items = (item("Check-in", 4, turns=True), item("After", 6))
    timer, clock = started(items, people=(1, 2))
    timer.command(Action.NEXT, clock.advance(120))
    timer.command(Action.ORDER, clock.advance(10), values=(1, 2, 3))
    snap = timer.tick(clock()).snapshot
    assert snap.turn is not None and snap.turn.count == 3
    # Nothing was left to share: 3 gets an ordinary turn (80 s), and the end says so now.
    assert snap.projected_end == START + timedelta(minutes=10, seconds=80)
    assert snap.behind == pytest.approx(80)


def test_an_overrunning_turn_moves_the_projected_end_as_it_happens() -> None:
    items = (item("Check-in", 4, turns=True), item("After", 6))
    timer, clock = started(items, people=(1, 2, 3, 4))
    clock.advance(60 + 30)  # the first speaker is 30 s over
    snap = timer.tick(clock()).snapshot
    assert snap.projected_end == START + timedelta(minutes=10, seconds=30)
    assert snap.stage_to_go == pytest.approx(180)


def test_ahead_is_told_only_after_a_stage_and_behind_at_once() -> None:
    items = agenda(10, 20, 30)
    clock = ManualClock(START - timedelta(minutes=4))  # begun four minutes early
    timer = LiveTimer(items, START, call_minutes=60)
    timer.command(Action.START, clock())
    snap = timer.tick(clock.advance(1)).snapshot
    assert snap.behind == pytest.approx(-240)
    assert snap.pace == 0  # "on time": nothing has happened yet
    timer.command(Action.NEXT, clock.advance(10 * 60 - 1))
    snap = timer.tick(clock()).snapshot
    assert snap.pace == pytest.approx(-240)  # a stage is done: four minutes ahead is real
    late = LiveTimer(items, START, call_minutes=60)
    late.command(Action.START, START + timedelta(minutes=3))
    assert late.tick(START + timedelta(minutes=3, seconds=1)).snapshot.pace == pytest.approx(180)
    small = LiveTimer(items, START, call_minutes=60)
    small.command(Action.START, START)
    small.command(Action.NEXT, START + timedelta(seconds=10 * 60 - 30))
    assert small.tick(START + timedelta(minutes=10)).snapshot.pace == 0  # 30 s: not worth it


REFUSED_AFTER_A_HARD_STOP = [
    (Action.ADJUST, 0, ()),
    (Action.ADJUST, 60 * 60 + 1, ()),
    (Action.ADJUST, -(60 * 60 + 1), ()),
    (Action.RESHAPE, 0, (5,)),  # one stage too few
    (Action.RESHAPE, 0, (5, 0, 5)),
    (Action.RESHAPE, 0, (5, 24 * 60 + 1, 5)),  # longer than any call
    (Action.ORDER, 0, (7, 8, 7)),
]


@pytest.mark.parametrize(("action", "amount", "values"), REFUSED_AFTER_A_HARD_STOP)
def test_hard_stops_survive_a_refused_amount_plan_or_order(
    action: Action, amount: int, values: tuple[int, ...]
) -> None:
    items = (item("Check-in", 1, stop=StopKind.HARD), item("Work", 5), item("Close", 5))
    timer, clock = started(items, people=(7, 8))
    written = list(timer.events)
    with pytest.raises(TimerError):
        timer.command(action, clock.advance(90), amount=amount, values=values)
    assert timer.index == 1  # the hard stop at 60 s was applied before the refusal
    tick = timer.tick(clock.advance(1))
    assert [e.action for e in tick.events] == [Action.AUTO]
    assert tick.events[0].at == START + timedelta(seconds=60)
    written.extend(tick.events)
    assert timer.tick(clock.advance(1)).events == ()  # handed out once
    replayed = LiveTimer(items, START, 11, written)
    assert replayed.index == 1
    assert replayed.tick(clock()).snapshot == timer.tick(clock()).snapshot


def test_a_refused_command_then_an_accepted_one_writes_the_hard_stop_first() -> None:
    items = (item("Check-in", 1, stop=StopKind.HARD), item("Work", 5))
    timer, clock = started(items)
    with pytest.raises(TimerError):
        timer.command(Action.ADJUST, clock.advance(90), amount=0)
    tick = timer.command(Action.PAUSE, clock.advance(5))
    assert [e.action for e in tick.events] == [Action.AUTO, Action.PAUSE]
    replayed = LiveTimer(items, START, 6, [timer.events[0], *tick.events])
    assert replayed.events == timer.events


def test_a_plan_longer_than_any_call_is_refused_as_check_would() -> None:
    timer, clock = started(agenda(5, 5))
    with pytest.raises(TimerError):
        timer.command(Action.RESHAPE, clock(), values=(5, 24 * 60 + 1))
    timer.command(Action.RESHAPE, clock(), values=(5, 24 * 60))
    assert timer.minutes == (5, 24 * 60)


def test_history_says_where_the_timer_stood_after_each_event() -> None:
    items = [item("Opening", 5), item("Round", 10)]
    clock = ManualClock(START)
    timer = LiveTimer(items, START, 15)
    timer.command(Action.START, clock())
    clock.advance(60)
    timer.command(Action.PAUSE, clock())
    clock.advance(30)
    timer.command(Action.RESUME, clock())
    timer.command(Action.NEXT, clock())
    replayed = LiveTimer(items, START, 15, timer.events)
    assert [(phase, index) for _at, phase, index in replayed.history] == [
        (Phase.RUNNING, 0),
        (Phase.PAUSED, 0),
        (Phase.RUNNING, 0),
        (Phase.RUNNING, 1),
    ]
    assert [at for at, _phase, _index in replayed.history] == [e.at for e in timer.events]
