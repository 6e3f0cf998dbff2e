"""The live call's stage timer: a state machine over a log of timed events.

Nothing here counts ticks. A stage's time is the sum of the intervals it ran, taken
from the event log and the instant asked about, so the figures are the same at any
repaint rate, never drift, and come back exactly when the log is replayed after a
crash. Each command becomes one ``LiveEvent`` (written to the store at once by the
caller); a hard stop reaching zero becomes an ``AUTO`` event stamped with the exact
instant of zero, even when the app was not running at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from sanctuary_desktop.domain.agenda import AgendaItem, shorten_to_fit
from sanctuary_desktop.domain.limits import MAX_CALL_MINUTES
from sanctuary_desktop.domain.protocols import Bell, StopKind

# A call started this close to its scheduled start aims at the scheduled end; one
# started further away (a rehearsal, a moved call) aims at its own start plus its length.
ON_SCHEDULE = timedelta(hours=1)
# Behind by less than this is not worth shortening the rest of the call for.
SHORTEN_THRESHOLD_SECONDS = 60.0
# Ahead by less than this is not worth a word; more only once a stage has finished, since
# before that "ahead" says only that the call began early or the agenda is shorter than
# the slot, which the facilitator knows.
AHEAD_THRESHOLD_SECONDS = 60.0
MAX_ADJUST_SECONDS = 60 * 60


class Action(StrEnum):
    START = "start"  # values: the turn order (participant ids)
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"  # the next turn, or the next stage after the last turn
    BACK = "back"  # the previous turn, or the previous stage
    SKIP = "skip"  # leave the stage, marked skipped
    RESTART = "restart"  # the current stage's countdown starts again
    ADJUST = "adjust"  # amount: seconds added (negative: taken away)
    AUTO = "auto"  # a hard stop reached zero
    RESHAPE = "reshape"  # values: new planned minutes for every stage
    ORDER = "order"  # values: a new turn order
    FINISH = "finish"


class Phase(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Level(IntEnum):
    CALM = 0
    WARNING = 1
    URGENT = 2
    OVERTIME = 3


class Mark(StrEnum):
    UPCOMING = "upcoming"
    CURRENT = "current"
    DONE = "done"
    SKIPPED = "skipped"


class Signal(StrEnum):
    WARNING = "warning"  # a gentle chime: the stage reached a warning threshold
    END = "end"  # a chime: the countdown reached zero
    BELL = "bell"  # a meditation bell


class TimerError(ValueError):
    """A command that cannot be carried out in the timer's present state."""


@dataclass(frozen=True)
class LiveEvent:
    at: datetime  # aware, UTC
    action: Action
    amount: int = 0
    values: tuple[int, ...] = ()


@dataclass(frozen=True)
class Turn:
    index: int
    count: int
    person: int  # participant id
    length: float  # seconds
    remaining: float


@dataclass(frozen=True)
class Snapshot:
    at: datetime
    phase: Phase
    index: int
    item: AgendaItem
    next_item: AgendaItem | None
    minutes: tuple[int, ...]  # the plan as it stands, after any reshaping
    marks: tuple[Mark, ...]
    stage_length: float  # seconds, with adjustments
    stage_elapsed: float
    stage_remaining: float  # negative in overtime
    turn: Turn | None
    remaining: float  # what the big countdown shows: the turn's when there are turns
    length: float
    level: Level
    call_elapsed: float  # wall seconds since the start, pauses included
    projected_end: datetime
    target_end: datetime
    behind: float  # seconds; negative when ahead
    stage_to_go: float = 0.0  # seconds the stage will still take if the turns keep time

    @property
    def progress(self) -> float:
        """Share of the countdown used, 0 to 1."""
        if self.length <= 0:
            return 1.0
        return min(1.0, max(0.0, 1.0 - self.remaining / self.length))

    @property
    def overtime(self) -> bool:
        return self.remaining < 0

    @property
    def pace(self) -> float:
        """Seconds behind (negative: ahead) worth telling the facilitator, else 0.

        Behind is told at once: a late start or a stage in overtime needs acting on.
        Ahead is told only once a stage has finished and by at least a minute, so a call
        that began a few minutes early does not read "4 min ahead" in its first second.
        """
        if self.phase not in (Phase.RUNNING, Phase.PAUSED):
            return 0.0
        if self.behind >= 0:
            return self.behind
        finished = any(mark in (Mark.DONE, Mark.SKIPPED) for mark in self.marks)
        return self.behind if finished and -self.behind >= AHEAD_THRESHOLD_SECONDS else 0.0


@dataclass(frozen=True)
class StageRecord:
    index: int
    label: str
    planned_minutes: int  # as the agenda had it when the call began
    final_minutes: int  # after any shortening during the call
    adjusted_seconds: float  # added (or, negative, taken away) with +/- minute
    actual_seconds: float  # time the stage ran, pauses excluded
    paused_seconds: float
    pauses: int
    skipped: bool
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def actual_minutes(self) -> float:
        return self.actual_seconds / 60.0

    @property
    def difference_seconds(self) -> float:
        """Actual against planned: positive when the stage ran long."""
        return self.actual_seconds - self.planned_minutes * 60.0


@dataclass(frozen=True)
class Tick:
    snapshot: Snapshot
    events: tuple[LiveEvent, ...]  # AUTO events the clock caused, to be written
    signals: tuple[Signal, ...]


@dataclass
class _StageLog:
    active: float = 0.0  # seconds run in closed intervals
    since: float | None = None  # running since (seconds from the origin)
    base: float = 0.0  # active seconds at the last restart: the countdown starts there
    adjust: float = 0.0  # seconds added since the last restart
    adjust_total: float = 0.0
    turn: int = 0
    turn_base: float = 0.0  # active seconds when the current turn began
    turn_adjust: float = 0.0
    turn_share: float | None = None  # the current turn's length, fixed when the order changed
    share: float | None = None  # each turn still to come, re-divided when the order changed
    first_start: float | None = None
    last_end: float | None = None
    pauses: int = 0
    paused: float = 0.0
    skipped: bool = False
    done: bool = False

    def active_at(self, t: float) -> float:
        return self.active + (t - self.since if self.since is not None else 0.0)

    def open(self, t: float) -> None:
        if self.since is None:
            self.since = t
        if self.first_start is None:
            self.first_start = t

    def close(self, t: float) -> None:
        if self.since is not None:
            self.active += t - self.since
            self.since = None
        self.last_end = t


@dataclass
class _State:
    phase: Phase = Phase.READY
    index: int = 0
    started: float | None = None
    finished: float | None = None
    paused_since: float | None = None
    order: tuple[int, ...] = ()
    target_end: datetime | None = None
    stages: list[_StageLog] = field(default_factory=list)


class LiveTimer:
    """One call's timer. Feed it the stored events, then commands and ticks."""

    def __init__(
        self,
        items: Sequence[AgendaItem],
        scheduled_start: datetime,
        call_minutes: int,
        events: Iterable[LiveEvent] = (),
    ) -> None:
        if not items:
            raise TimerError("the agenda has no stages")
        self.items = tuple(items)
        self.planned = tuple(item.minutes for item in self.items)
        self.minutes = self.planned
        self.scheduled_start = scheduled_start
        self.call_minutes = call_minutes
        self.origin = scheduled_start
        self.events: list[LiveEvent] = []
        self._state = _State(stages=[_StageLog() for _ in self.items])
        self._last: Snapshot | None = None
        self._unwritten: list[LiveEvent] = []  # caught up, but the command then failed
        self._history: list[tuple[datetime, Phase, int]] = []
        for event in events:
            self._apply(event)

    # -- reading ---------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._state.phase

    @property
    def index(self) -> int:
        return self._state.index

    @property
    def history(self) -> tuple[tuple[datetime, Phase, int], ...]:
        """Where the timer stood after each event of its log: (instant, phase, stage).
        What a transcript needs to know which stage was running when."""
        return tuple(self._history)

    @property
    def order(self) -> tuple[int, ...]:
        return self._state.order

    @property
    def started_at(self) -> datetime | None:
        return self._instant(self._state.started)

    @property
    def finished_at(self) -> datetime | None:
        return self._instant(self._state.finished)

    def target_end(self, now: datetime) -> datetime:
        if self._state.target_end is not None:
            return self._state.target_end
        return self._target_for(now)

    def _target_for(self, start: datetime) -> datetime:
        length = timedelta(minutes=self.call_minutes)
        if abs(start - self.scheduled_start) <= ON_SCHEDULE:
            return self.scheduled_start + length
        return start + length

    def _t(self, instant: datetime) -> float:
        return (instant - self.origin).total_seconds()

    def _instant(self, t: float | None) -> datetime | None:
        return None if t is None else self.origin + timedelta(seconds=t)

    def turn_count(self, index: int) -> int:
        return len(self._state.order) if self.items[index].turns else 0

    def _countdown(self, index: int, t: float) -> tuple[float, float, float]:
        """(length, elapsed, remaining) of a stage's countdown at ``t``, in seconds."""
        log = self._state.stages[index]
        length = self.minutes[index] * 60.0 + log.adjust
        elapsed = log.active_at(t) - log.base
        return length, elapsed, length - elapsed

    def _turn(self, index: int, t: float) -> Turn | None:
        count = self.turn_count(index)
        if count == 0:
            return None
        log = self._state.stages[index]
        turn = min(log.turn, count - 1)
        share = log.turn_share if log.turn_share is not None else self._share(index)
        length = share + log.turn_adjust
        remaining = length - (log.active_at(t) - log.turn_base)
        return Turn(turn, count, self._state.order[turn], length, remaining)

    def _share(self, index: int) -> float:
        """The length of each turn of the stage not yet begun, in seconds."""
        log = self._state.stages[index]
        if log.share is not None:
            return log.share
        return self.minutes[index] * 60.0 / max(1, self.turn_count(index))

    def _to_go(self, index: int, t: float) -> float:
        """Seconds the stage will still take at ``t`` if everyone keeps time: its own
        countdown, or for turns the current turn's and every turn still to come."""
        turn = self._turn(index, t)
        if turn is None:
            return max(self._countdown(index, t)[2], 0.0)
        return max(turn.remaining, 0.0) + self._share(index) * (turn.count - turn.index - 1)

    def snapshot(self, now: datetime) -> Snapshot:
        state = self._state
        t = self._t(now)
        if state.finished is not None:
            t = min(t, state.finished)
        index = state.index
        item = self.items[index]
        length, elapsed, remaining = self._countdown(index, t)
        turn = self._turn(index, t) if state.phase is not Phase.READY else None
        shown_length, shown_remaining = (
            (turn.length, turn.remaining) if turn is not None else (length, remaining)
        )
        later = sum(self.minutes[index + 1 :]) * 60.0
        to_go = max(remaining, 0.0)
        if state.phase is Phase.READY:
            projected = now + timedelta(seconds=sum(self.minutes) * 60.0)
        elif state.phase is Phase.FINISHED:
            projected = self._instant(state.finished) or now
            to_go = 0.0
        else:
            to_go = self._to_go(index, t)
            projected = now + timedelta(seconds=to_go + later)
        target = self.target_end(now)
        return Snapshot(
            at=now,
            phase=state.phase,
            index=index,
            item=item,
            next_item=self.items[index + 1] if index + 1 < len(self.items) else None,
            minutes=self.minutes,
            marks=self._marks(),
            stage_length=length,
            stage_elapsed=elapsed,
            stage_remaining=remaining,
            turn=turn,
            remaining=shown_remaining,
            length=shown_length,
            level=_level(item, shown_length, shown_remaining),
            call_elapsed=0.0 if state.started is None else t - state.started,
            projected_end=projected,
            target_end=target,
            behind=(projected - target).total_seconds(),
            stage_to_go=to_go,
        )

    def _marks(self) -> tuple[Mark, ...]:
        state = self._state
        marks = []
        for index, log in enumerate(state.stages):
            if index == state.index and state.phase is not Phase.FINISHED:
                marks.append(Mark.CURRENT)
            elif log.skipped:
                marks.append(Mark.SKIPPED)
            elif log.done:
                marks.append(Mark.DONE)
            else:
                marks.append(Mark.UPCOMING)
        return tuple(marks)

    def can(self, action: Action) -> bool:
        phase = self._state.phase
        if action is Action.START:
            return phase is Phase.READY
        if phase in (Phase.READY, Phase.FINISHED):
            return False
        if action is Action.PAUSE:
            return phase is Phase.RUNNING
        if action is Action.RESUME:
            return phase is Phase.PAUSED
        if action is Action.BACK:
            log = self._state.stages[self._state.index]
            return self._state.index > 0 or (
                self.turn_count(self._state.index) > 0 and log.turn > 0
            )
        return True

    def record(self, now: datetime) -> tuple[StageRecord, ...]:
        """Planned against actual for every stage, as far as the call has gone."""
        t = self._t(now)
        if self._state.finished is not None:
            t = min(t, self._state.finished)
        records = []
        for index, (item, log) in enumerate(zip(self.items, self._state.stages, strict=True)):
            paused = log.paused
            if self._state.paused_since is not None and index == self._state.index:
                paused += t - self._state.paused_since
            records.append(
                StageRecord(
                    index=index,
                    label=item.label,
                    planned_minutes=self.planned[index],
                    final_minutes=self.minutes[index],
                    adjusted_seconds=log.adjust_total,
                    actual_seconds=log.active_at(t),
                    paused_seconds=paused,
                    pauses=log.pauses,
                    skipped=log.skipped,
                    started_at=self._instant(log.first_start),
                    ended_at=self._instant(log.last_end if log.since is None else None),
                )
            )
        return tuple(records)

    def shortened_plan(self, now: datetime) -> tuple[int, ...] | None:
        """New minutes for the whole agenda that end the call on time, if any would help.

        Only the stages after the current one change, and only those not marked fixed,
        in proportion to their minutes (``shorten_to_fit``). None when the call is not
        behind by at least a minute, or nothing can be shortened.
        """
        if self._state.phase not in (Phase.RUNNING, Phase.PAUSED):
            return None
        snap = self.snapshot(now)
        if snap.behind < SHORTEN_THRESHOLD_SECONDS:
            return None
        index = snap.index
        budget = (snap.target_end - now).total_seconds() - snap.stage_to_go
        later = [
            replace(item, minutes=minutes)
            for item, minutes in zip(
                self.items[index + 1 :], self.minutes[index + 1 :], strict=True
            )
        ]
        if not later:
            return None
        fitted = shorten_to_fit(later, max(0, int(budget // 60)))
        new = self.minutes[: index + 1] + tuple(item.minutes for item in fitted)
        return None if new == self.minutes else new

    # -- changing --------------------------------------------------------------------

    def command(
        self, action: Action, now: datetime, amount: int = 0, values: Sequence[int] = ()
    ) -> Tick:
        """Carry out one facilitator's command; returns the events to write, in order.

        Hard stops that reached zero before ``now`` are applied first, so a command
        never acts on a stage the clock has already left.
        """
        if action is Action.AUTO:
            raise TimerError("only the clock moves on at a hard stop")
        now = self._not_before_last(now)
        before = self.tick(now)
        try:
            self._check(action, amount, values)
        except TimerError:
            # The hard stops the tick passed are applied: the next tick hands them out.
            self._unwritten.extend(before.events)
            raise
        event = LiveEvent(now, action, amount, tuple(values))
        previous = (self._state.index, self._state.phase)
        self._apply(event)
        after = self.snapshot(now)
        self._last = after
        signals: list[Signal] = list(before.signals)
        if after.phase is Phase.RUNNING and (after.index, after.phase) != previous:
            moved = after.index != previous[0] or action is Action.START
            if moved and Bell.START in after.item.bells:
                signals.append(Signal.BELL)
        return Tick(after, (*before.events, event), tuple(dict.fromkeys(signals)))

    def _check(self, action: Action, amount: int, values: Sequence[int]) -> None:
        """Refuse a command the timer cannot take now, or one it would never write."""
        if not self.can(action):
            raise TimerError(f"cannot {action.value} now")
        if action is Action.ADJUST and not (0 < abs(amount) <= MAX_ADJUST_SECONDS):
            raise TimerError("an adjustment must be a minute or more, and at most an hour")
        if action is Action.RESHAPE:
            _check_reshape(values, len(self.items))
        if action in (Action.START, Action.ORDER) and len(set(values)) != len(values):
            raise TimerError("someone is in the turn order twice")

    def tick(self, now: datetime) -> Tick:
        """What the display shows at ``now``, the clock's own events, and any sounds due."""
        before = self._last
        now = self._not_before_last(now)
        auto = (*self._unwritten, *self._catch_up(now))
        self._unwritten.clear()
        after = self.snapshot(now)
        self._last = after
        signals: list[Signal] = []
        for event in auto:
            left = self.items[event.values[0]]
            if event.values[1] == -1:  # the stage ended, not just a turn
                signals.append(Signal.BELL if Bell.END in left.bells else Signal.END)
                if after.phase is Phase.RUNNING and Bell.START in self.items[after.index].bells:
                    signals.append(Signal.BELL)
            else:
                signals.append(Signal.END)
        if not auto and before is not None:
            signals.extend(_signals_between(before, after))
        return Tick(after, auto, tuple(dict.fromkeys(signals)))

    def _not_before_last(self, now: datetime) -> datetime:
        """The log stays in time order even if the wall clock is set back mid-call."""
        return max(now, self.events[-1].at) if self.events else now

    def _catch_up(self, now: datetime) -> tuple[LiveEvent, ...]:
        """Move past every hard stop whose zero lies at or before ``now``."""
        events = []
        t = self._t(now)
        while self._state.phase is Phase.RUNNING:
            index = self._state.index
            if self.items[index].stop is not StopKind.HARD:
                break
            log = self._state.stages[index]
            assert log.since is not None
            turn = self._turn(index, log.since)
            if turn is not None:
                zero = log.since + turn.remaining
                values = (index, -1 if turn.index == turn.count - 1 else turn.index)
            else:
                zero = log.since + self._countdown(index, log.since)[2]
                values = (index, -1)
            # Never before the last written event: the log stays in time order.
            zero = max(zero, self._t(self.events[-1].at))
            if zero > t:
                break
            event = LiveEvent(self._instant(zero) or now, Action.AUTO, 0, values)
            self._apply(event)
            events.append(event)
        return tuple(events)

    def _apply(self, event: LiveEvent) -> None:
        self._step(event)
        self._history.append((event.at, self._state.phase, self._state.index))

    def _step(self, event: LiveEvent) -> None:
        state = self._state
        t = self._t(event.at)
        action = event.action
        log = state.stages[state.index]
        if action is Action.START:
            state.phase = Phase.RUNNING
            state.started = t
            state.order = event.values
            state.target_end = self._target_for(event.at)
            log.open(t)
        elif action is Action.ORDER:
            self._reorder(t, event.values)
        elif action is Action.PAUSE:
            log.close(t)
            log.pauses += 1
            state.phase = Phase.PAUSED
            state.paused_since = t
        elif action is Action.RESUME:
            if state.paused_since is not None:
                log.paused += t - state.paused_since
            state.paused_since = None
            state.phase = Phase.RUNNING
            log.open(t)
        elif action in (Action.NEXT, Action.AUTO):
            count = self.turn_count(state.index)
            if count and log.turn < count - 1:
                _begin_turn(log, log.turn + 1, t)
            else:
                self._move(t, state.index + 1, skipped=False)
        elif action is Action.SKIP:
            self._move(t, state.index + 1, skipped=True)
        elif action is Action.BACK:
            if self.turn_count(state.index) and log.turn > 0:
                _begin_turn(log, log.turn - 1, t)
            elif state.index > 0:
                self._move(t, state.index - 1, skipped=False)
        elif action is Action.RESTART:
            _restart(log, t)
        elif action is Action.ADJUST:
            log.adjust += event.amount
            log.adjust_total += event.amount
            if self.turn_count(state.index):
                log.turn_adjust += event.amount
        elif action is Action.RESHAPE:
            self.minutes = tuple(event.values)
        elif action is Action.FINISH:
            self._finish(t)
        self.events.append(event)

    def _reorder(self, t: float, present: tuple[int, ...]) -> None:
        """Attendance changed. In a round under way, those who have spoken keep their
        places and the current speaker keeps the turn and its length; newcomers join
        the part still to come, and those who left drop out of it.

        The stage keeps its planned length: the time the plan left for the turns still
        to come is shared again among those now to come, so a late arrival's turn is
        taken from them (and a departure gives them more). Joining during the last
        turn, there is nothing left to share: the newcomer gets an ordinary turn and
        the projected end shows the overrun at once."""
        state = self._state
        index = state.index
        log = state.stages[index]
        in_round = (
            state.phase in (Phase.RUNNING, Phase.PAUSED)
            and self.turn_count(index) > 0
            and log.first_start is not None
        )
        if not in_round:
            state.order = present
            return
        turn = self._turn(index, t)
        assert turn is not None
        budget = self._share(index) * (turn.count - turn.index - 1)
        spoken = state.order[: turn.index + 1]
        log.turn_share = turn.length - log.turn_adjust
        state.order = spoken + tuple(p for p in present if p not in spoken)
        to_come = len(state.order) - turn.index - 1
        if budget > 0 and to_come > 0:
            log.share = budget / to_come

    def _move(self, t: float, to: int, *, skipped: bool) -> None:
        state = self._state
        log = state.stages[state.index]
        running = state.phase is Phase.RUNNING
        if state.paused_since is not None:
            log.paused += t - state.paused_since
            state.paused_since = t
        log.close(t)
        forward = to > state.index
        if forward:
            log.skipped = skipped
            log.done = not skipped
        if to >= len(self.items):
            self._finish(t)
            return
        state.index = to
        arriving = state.stages[to]
        arriving.done = arriving.skipped = False
        spent = self.items[to].stop is StopKind.HARD and self._countdown(to, t)[2] <= 0
        if not forward and spent:
            _restart(arriving, t)  # a hard stop whose time is up would move on at once
        if running:
            arriving.open(t)

    def _finish(self, t: float) -> None:
        state = self._state
        log = state.stages[state.index]
        if state.paused_since is not None:
            log.paused += t - state.paused_since
            state.paused_since = None
        if log.since is not None or log.first_start is not None:
            log.close(t)
            if not log.skipped:
                log.done = True
        state.phase = Phase.FINISHED
        state.finished = t


def _begin_turn(log: _StageLog, turn: int, t: float) -> None:
    log.turn = turn
    log.turn_base = log.active_at(t)
    log.turn_adjust = 0.0
    log.turn_share = None


def _restart(log: _StageLog, t: float) -> None:
    log.base = log.active_at(t)
    log.adjust = 0.0
    log.turn_share = None
    log.share = None
    _begin_turn(log, 0, t)


def _check_reshape(values: Sequence[int], count: int) -> None:
    if len(values) != count or any(not 1 <= minutes <= MAX_CALL_MINUTES for minutes in values):
        raise TimerError("a new plan needs at least a minute, and at most a day, for every stage")


def _level(item: AgendaItem, length: float, remaining: float) -> Level:
    if remaining < 0:
        return Level.OVERTIME
    if remaining <= length * item.urgent_percent / 100:
        return Level.URGENT
    if remaining <= length * item.warn_percent / 100:
        return Level.WARNING
    return Level.CALM


def _signals_between(before: Snapshot, after: Snapshot) -> list[Signal]:
    """Sounds due between two readings of the same running stage."""
    same_turn = (before.turn.index if before.turn else None) == (
        after.turn.index if after.turn else None
    )
    if (
        before.index != after.index
        or not same_turn
        or after.phase is not Phase.RUNNING
        or after.at <= before.at
    ):
        return []
    signals = []
    item = after.item
    if before.remaining > 0 >= after.remaining:
        stage_end = after.turn is None
        signals.append(Signal.BELL if stage_end and Bell.END in item.bells else Signal.END)
    elif after.turn is None and before.level < Level.WARNING <= after.level < Level.OVERTIME:
        signals.append(Signal.WARNING)
    interval = item.bell_interval_minutes
    if Bell.INTERVAL in item.bells and interval and after.stage_remaining > 0:
        step = interval * 60.0
        if int(after.stage_elapsed // step) > int(max(before.stage_elapsed, 0.0) // step):
            signals.append(Signal.BELL)
    return signals


def countdown_text(remaining: float) -> str:
    """'12:05' counting down, '+0:45' in overtime, hours when needed ('1:02:03').

    Whole seconds round up while counting down, so the display reads 0:01 until the
    very end and 0:00 only at zero; overtime counts whole seconds past zero.
    """
    over = remaining < 0
    seconds = int(-remaining) if over else int(-(-remaining // 1))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"+{text}" if over else text


def clock_text(seconds: float) -> str:
    """Elapsed time, '0:23:10' style, whole seconds."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
