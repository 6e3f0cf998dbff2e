"""Issue 13: a series "from today" starts at the next call still to come."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sanctuary_desktop.domain.schedule import Cadence, CadenceKind, generate_starts


def weekly(first: date, **kw: object) -> Cadence:
    return Cadence(
        kind=CadenceKind.WEEKLY,
        first_date=first,
        local_time=time(9, 0),
        zone="America/Vancouver",
        count=3,
        weekday=3,
        **kw,  # type: ignore[arg-type]
    )


def test_a_call_whose_time_passed_today_is_left_out_and_the_count_kept() -> None:
    # Thursday 3 Dec 2026, 10:00 in Vancouver: today's 09:00 has passed.
    now = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    starts = generate_starts(weekly(date(2026, 12, 3), not_before=now))
    assert [s.date() for s in starts] == [
        date(2026, 12, 10),
        date(2026, 12, 17),
        date(2026, 12, 24),
    ]
    assert all(s >= now for s in starts)


def test_without_not_before_the_past_is_kept_as_asked() -> None:
    starts = generate_starts(weekly(date(2026, 11, 26)))
    assert starts[0].date() == date(2026, 11, 26)
