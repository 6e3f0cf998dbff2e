"""Calendar files (.ics) of a cohort's calls."""

from __future__ import annotations

from pathlib import Path

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.export.ics import CallEvent, write_calendar
from sanctuary_desktop.services import calls, cohorts
from sanctuary_desktop.services.views import CallView, CohortView
from sanctuary_desktop.store.database import Database

# An event's SEQUENCE is its call's revision: raised when the call moves, is cancelled or
# gets a new link, and when another call's change numbers it again ("Call 7 of 7" becomes
# "Call 6 of 6"; services/calls._retitling), so calendars take every new title.


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
    views = calls.list_cohort_calls(db, cohort_id)
    if call_id is not None:
        views = [v for v in views if v.id == call_id]
        if not views:
            raise ValidationError.single("Session", f"call {call_id} is not in this cohort")
    if not views:
        raise ValidationError.single("Calls", "this cohort has no calls to export yet")
    return [call_event(cohort, v) for v in views]


def write_cohort_calendar(
    db: Database, cohort_id: int, path: Path, *, call_id: int | None = None
) -> int:
    events = cohort_events(db, cohort_id, call_id)
    cohort = cohorts.get_cohort(db, cohort_id)
    write_calendar(path, events, calendar_name=cohort.name)
    return len(events)
