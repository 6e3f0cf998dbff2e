"""Calendar files (.ics) of a cohort's calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.export.ics import CallEvent, write_calendar
from sanctuary_desktop.services import calls, cohorts
from sanctuary_desktop.services.views import CallView, CohortView
from sanctuary_desktop.store.database import Database

# SEQUENCE counts seconds from here to the cohort's latest change (plus the call's own
# revision), so it only grows, and stays above the revision alone that earlier files used.
_SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


MAX_SEQUENCE = 2**31 - 1


def sequence_of(call: CallView, cohort: CohortView, calls: Sequence[CallView]) -> int:
    """The event's SEQUENCE: raised by any change to the cohort or any of its calls.

    An event's title says "Call 7 of 7", so cancelling, moving or adding another call
    changes it; a calendar keeps the old title unless SEQUENCE goes up. The latest
    update of the cohort and of every call goes up with each such change."""
    stamps = [c.updated_at for c in calls]
    if cohort.updated_at is not None:
        stamps.append(cohort.updated_at)
    latest = max(stamps, default=_SEQUENCE_EPOCH).astimezone(UTC)
    seconds = max(0, int((latest - _SEQUENCE_EPOCH).total_seconds()))
    # RFC 5545 holds SEQUENCE in 32 bits: reached only by changes after 2092.
    return min(call.revision + seconds, MAX_SEQUENCE)


def call_event(cohort: CohortView, call: CallView, sequence: int | None = None) -> CallEvent:
    lines = [cohort.focus] if cohort.focus else []
    if cohort.facilitators:
        lines.append(f"Facilitators: {cohort.facilitators}")
    link = call.join_link
    if link:
        # Calendars show LOCATION; some open URL; the description carries it for the rest.
        lines.append(f"Join: {link}")
    if call.notes:
        lines.append(call.notes)
    return CallEvent(
        uid=f"{call.uid}@sanctuary-desktop",
        summary=f"{cohort.name} — {call.label}",
        start_utc=call.starts_at,
        minutes=call.minutes,
        zone=cohort.home_tz,
        description="\n".join(lines),
        location=link,
        url=link,
        cancelled=call.cancelled,
        sequence=call.revision if sequence is None else sequence,
        updated_utc=call.updated_at,
    )


def cohort_events(db: Database, cohort_id: int, call_id: int | None = None) -> list[CallEvent]:
    cohort = cohorts.get_cohort(db, cohort_id)
    everything = calls.list_cohort_calls(db, cohort_id)
    views = everything
    if call_id is not None:
        views = [v for v in views if v.id == call_id]
        if not views:
            raise ValidationError.single("Session", f"call {call_id} is not in this cohort")
    if not views:
        raise ValidationError.single("Calls", "this cohort has no calls to export yet")
    return [call_event(cohort, v, sequence_of(v, cohort, everything)) for v in views]


def write_cohort_calendar(
    db: Database, cohort_id: int, path: Path, *, call_id: int | None = None
) -> int:
    events = cohort_events(db, cohort_id, call_id)
    cohort = cohorts.get_cohort(db, cohort_id)
    write_calendar(path, events, calendar_name=cohort.name)
    return len(events)
