"""Video-call links: a cohort's, a call's overriding it; validated by field; carried by
archives, checked by `check`, and written to calendar files as LOCATION and URL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import update

from sanctuary_desktop.domain.cohort import CohortDraft, effective_video_link
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import calendar_export, calls, cohorts, integrity
from sanctuary_desktop.services.archive import export_archive, import_archive
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.models import Call

ZOOM = "https://us02web.zoom.us/j/81234567890?pwd=QWxhZ2FyY2hpYmFsZA"
JITSI = "https://meet.jit.si/kowhai-circle-march"
START = datetime(2027, 3, 4, 18, 0, tzinfo=UTC)


def draft(link: str = ZOOM) -> CohortDraft:
    return CohortDraft(
        name="Kōwhai circle",
        home_tz="Pacific/Auckland",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 7, 1),
        video_link=link,
    )


def a_cohort_with_two_calls(db: Database) -> tuple[int, int, int]:
    cohort = cohorts.create_cohort(db, draft()).value
    first = calls.add_call(db, cohort.id, START, 90).value
    second = calls.add_call(db, cohort.id, START.replace(month=4), 90, video_link=JITSI).value
    return cohort.id, first.id, second.id


def test_a_call_is_joined_by_its_own_link_else_its_cohorts(db: Database) -> None:
    cohort_id, first, second = a_cohort_with_two_calls(db)
    assert cohorts.get_cohort(db, cohort_id).video_link == ZOOM
    assert calls.get_call(db, first).join_link == ZOOM
    assert calls.get_call(db, second).join_link == JITSI
    # Clearing the call's own link falls back to the cohort's; None keeps it.
    view = calls.get_call(db, second)
    kept = calls.update_call(db, second, starts_at=view.starts_at, minutes=60).value
    assert kept.video_link == JITSI
    cleared = calls.update_call(
        db, second, starts_at=view.starts_at, minutes=60, video_link=" "
    ).value
    assert (cleared.video_link, cleared.join_link) == ("", ZOOM)
    # The cohort's change reaches every call that has no link of its own.
    cohort = cohorts.get_cohort(db, cohort_id)
    changed = cohorts.update_cohort(
        db, cohort_id, CohortDraft(**{**cohort.draft().__dict__, "video_link": ""})
    ).value
    assert changed.video_link == ""
    assert [c.join_link for c in calls.list_cohort_calls(db, cohort_id)] == ["", ""]
    assert effective_video_link("", "  ") == ""


def test_a_link_with_spaces_around_is_trimmed(db: Database) -> None:
    cohort = cohorts.create_cohort(db, draft(f"  {ZOOM}\n")).value
    assert cohort.video_link == ZOOM


BAD = [
    ("zoom.us/j/123", "must be a web address starting with https://"),
    ("ftp://files.example.org/x", "must be a web address starting with https://"),
    ("javascript:alert(1)", "must be a web address starting with https://"),
    ("https://", "must name a site"),
    ("https://zoom.us/j/1 pwd", "without spaces"),
    ("https://zoom.us/j/1\nhttps://other", "line breaks"),
    ("https://x.org/" + "a" * 2000, "at most 2,000 characters"),
]


@pytest.mark.parametrize(("link", "message"), BAD)
def test_a_bad_link_is_refused_by_name_and_nothing_is_written(
    db: Database, link: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        cohorts.create_cohort(db, draft(link))
    assert message in (refused.value.for_field("Video link") or "")
    assert cohorts.list_cohorts(db) == []

    cohort_id, first, _ = a_cohort_with_two_calls(db)
    with pytest.raises(ValidationError) as refused:
        calls.add_call(db, cohort_id, START.replace(month=5), 90, video_link=link)
    assert message in (refused.value.for_field("Video link") or "")
    assert len(calls.list_cohort_calls(db, cohort_id)) == 2
    with pytest.raises(ValidationError) as refused:
        calls.update_call(db, first, starts_at=START, minutes=90, video_link=link)
    assert message in (refused.value.for_field("Video link") or "")
    assert calls.get_call(db, first).video_link == ""


@pytest.mark.parametrize(
    "link",
    [
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d",
        "https://meet.google.com/abc-defg-hij",
        "https://whereby.com/kowhai",
        "http://192.168.1.20:8443/room",
        JITSI,
    ],
)
def test_the_usual_providers_links_are_taken(db: Database, link: str) -> None:
    assert cohorts.create_cohort(db, draft(link)).value.video_link == link


def test_the_calendar_file_has_the_link_as_location_and_url(db: Database, tmp_path: Path) -> None:
    cohort_id, first, second = a_cohort_with_two_calls(db)
    path = tmp_path / "calls.ics"
    assert calendar_export.write_cohort_calendar(db, cohort_id, path) == 2
    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    found = {str(e["LOCATION"]): str(e["URL"]) for e in events}
    assert found == {ZOOM: ZOOM, JITSI: JITSI}
    assert all("Join: https://" in str(e["DESCRIPTION"]) for e in events)

    # Without any link there is no LOCATION or URL at all (not an empty one).
    cohort = cohorts.get_cohort(db, cohort_id)
    before = {e["UID"]: int(e["SEQUENCE"]) for e in events}
    cohorts.update_cohort(
        db, cohort_id, CohortDraft(**{**cohort.draft().__dict__, "video_link": ""})
    )
    view = calls.get_call(db, second)
    calls.update_call(db, second, starts_at=view.starts_at, minutes=90, video_link="")
    calendar_export.write_cohort_calendar(db, cohort_id, path)
    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert all("LOCATION" not in e and "URL" not in e for e in events)
    # Calendars take the change: every event whose place changed has a higher SEQUENCE,
    # even within the same second (a revision, not a clock).
    for call_id in (first, second):
        changed = calls.get_call(db, call_id)
        [event] = [e for e in events if str(e["UID"]) == f"{changed.uid}@sanctuary-desktop"]
        assert int(event["SEQUENCE"]) > before[event["UID"]]


def test_links_travel_in_an_archive_and_check_passes(
    db: Database, tmp_path: Path, folder: DataFolder
) -> None:
    cohort_id, _, _ = a_cohort_with_two_calls(db)
    path = tmp_path / "moving.sanctuary"
    export_archive(db, path)
    other_folder = DataFolder(tmp_path / "other").prepare()
    other = Database(other_folder.sqlite_url, backups_dir=other_folder.backups)
    other.migrate()
    try:
        import_archive(other, path)
        [there] = cohorts.list_cohorts(other)
        assert cohorts.get_cohort(other, there.id).video_link == ZOOM
        assert sorted(c.join_link for c in calls.list_cohort_calls(other, there.id)) == [
            JITSI,
            ZOOM,
        ]
        assert integrity.check(other).ok
    finally:
        other.dispose()
    assert integrity.check(db).ok
    assert cohort_id


def test_check_names_a_stored_link_that_is_not_a_web_address(db: Database) -> None:
    _, first, _ = a_cohort_with_two_calls(db)
    with db.unit_of_work() as session:
        session.execute(update(Call).where(Call.id == first).values(video_link="zoom.us/j/1"))
    report = integrity.check(db)
    assert not report.ok
    [problem] = [p for p in report.problems if p[0] == "Video links are web addresses"]
    assert f"call {first} has a video link that must be a web address" in problem[2]
