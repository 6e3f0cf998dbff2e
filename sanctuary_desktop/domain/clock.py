"""Clocks for the live timer: one that is steady while the app runs, one moved by hand.

The live timer asks a clock for "now" as an aware UTC datetime. ``SteadyClock`` takes
its pace from ``time.monotonic`` (so a wall-clock correction in the middle of a call
does not make the countdown jump) and its meaning from the wall clock (so what is
written to the store is real UTC and survives a restart). When the two drift apart by
more than a few seconds, the laptop has slept (Linux and macOS stop the monotonic
clock during sleep) or the user set the clock: the steady clock takes the wall clock
again, so the time is right on waking.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

RESYNC_SECONDS = 2.0


class SteadyClock:
    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        resync_seconds: float = RESYNC_SECONDS,
    ) -> None:
        self._wall = wall
        self._monotonic = monotonic
        self._resync = resync_seconds
        self._anchor_wall = wall()
        self._anchor_mono = monotonic()
        self.resyncs = 0  # how often the wall clock was taken again (sleep, clock change)

    def seconds(self) -> float:
        """Seconds since the epoch, at the pace of the monotonic clock."""
        steady = self._anchor_wall + (self._monotonic() - self._anchor_mono)
        wall = self._wall()
        if abs(wall - steady) > self._resync:
            self._anchor_wall, self._anchor_mono = wall, self._monotonic()
            self.resyncs += 1
            return wall
        return steady

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self.seconds(), UTC)


class ManualClock:
    """A clock that moves only when told: for tests, demos and benchmarks."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the manual clock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)
