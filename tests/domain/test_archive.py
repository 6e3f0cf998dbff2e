"""The archive format: built, read back, upgraded, and refused in plain words."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain import archive as fmt
from sanctuary_desktop.domain.archive import (
    ARCHIVE_VERSION,
    Archive,
    CallRecord,
    CohortRecord,
    LiveEventRecord,
    ParticipantRecord,
    archive_bytes,
    parse_archive,
    remap_event_numbers,
    upgrade,
)
from sanctuary_desktop.domain.errors import ValidationError

WHEN = datetime(2026, 11, 23, 17, 30, 5, 123456, tzinfo=UTC)


def small() -> Archive:
    cohort = CohortRecord(
        id=4,
        name="Mātauranga circle — 佐藤",
        focus="",
        facilitators="Léa",
        home_tz="Pacific/Auckland",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 7, 5),
        call_minutes=90,
        notes="",
        day_start=time(6, 45),
        day_end=time(21, 15),
        archived=False,
        created_at=WHEN,
        updated_at=WHEN,
    )
    person = ParticipantRecord(
        id=9,
        cohort_id=4,
        name="Aroha",
        email=None,
        organisation="",
        time_zone="Pacific/Auckland",
        years_in_practice=None,
        status="accepted",
        interview_date=None,
        notes="",
        created_at=WHEN,
    )
    call = CallRecord(
        id=3,
        cohort_id=4,
        uid="abc",
        starts_at=WHEN,
        minutes=90,
        cancelled=False,
        title="",
        notes="",
        revision=2,
        updated_at=WHEN,
    )
    return Archive(
        app_version="0.1.0",
        created_at=WHEN,
        cohorts=(cohort,),
        participants=(person,),
        calls=(call,),
    )


def members(data: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return json.loads(zipped.read("manifest.json")), json.loads(zipped.read("data.json"))


def zipped(manifest: object, data: object) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.json", json.dumps(manifest))
        out.writestr("data.json", json.dumps(data))
    return buffer.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        parse_archive(data)
    return refused.value.for_field("Archive") or ""


def test_an_archive_reads_back_as_it_was_written() -> None:
    data = archive_bytes(small())
    assert parse_archive(data) == small()
    manifest, content = members(data)
    assert manifest == {
        "format": "sanctuary-desktop-archive",
        "version": ARCHIVE_VERSION,
        "app_version": "0.1.0",
        "created_at": "2026-11-23T17:30:05.123456Z",
        "cohorts": ["Mātauranga circle — 佐藤"],
    }
    assert content["calls"][0]["starts_at"] == "2026-11-23T17:30:05.123456Z"
    assert content["cohorts"][0]["start_date"] == "2026-01-05"
    assert content["cohorts"][0]["day_start"] == "06:45"
    with zipfile.ZipFile(io.BytesIO(data)) as zipped_file:
        assert {i.compress_type for i in zipped_file.infolist()} == {zipfile.ZIP_DEFLATED}


def test_this_version_is_read_and_a_newer_one_refused() -> None:
    manifest, content = members(archive_bytes(small()))
    assert parse_archive(zipped(manifest, content)).read_version == ARCHIVE_VERSION == 2
    manifest["version"] = 3
    assert refusal(zipped(manifest, content)) == (
        "was made by a newer version of Sanctuary Desktop (format 3); update the app to open it"
    )


def test_an_older_version_comes_up_through_its_upgrade_step() -> None:
    """A hand-made "version 0", where calls said "start" for "starts_at"."""
    manifest, content = members(archive_bytes(small()))
    for call in content["calls"]:
        call["start"] = call.pop("starts_at")
    manifest["version"] = 0
    old = zipped(manifest, content)

    def rename_start(data: dict[str, Any]) -> dict[str, Any]:
        for call in data["calls"]:
            call["starts_at"] = call.pop("start")
        return data

    upgraded = parse_archive(old, upgrades={**fmt.UPGRADES, 0: rename_start})
    assert upgraded == replace(small(), read_version=0)
    assert refusal(old) == "is damaged: its format version (0) is not one this app knows"
    assert upgrade({"x": 1}, ARCHIVE_VERSION) == {"x": 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01garbage" * 50, "is not a Sanctuary Desktop archive"),
        (b"Some notes\nfrom the call", "is not a Sanctuary Desktop archive"),
        (zipped({"format": "something-else"}, {}), "is not a Sanctuary Desktop archive"),
        (archive_bytes(small())[:200], "is damaged or incomplete"),
        (
            zipped({"format": "sanctuary-desktop-archive", "version": "1"}, {}),
            "is damaged: its format version is not a whole number",
        ),
    ],
)
def test_bad_files_are_named(data: bytes, message: str) -> None:
    assert refusal(data) == message


def changed(change: Any) -> str:
    manifest, content = members(archive_bytes(small()))
    change(content)
    return refusal(zipped(manifest, content))


def test_bad_rows_say_which_row_and_what() -> None:
    assert (
        changed(lambda d: d["calls"][0].pop("starts_at")) == "is damaged: call 3 has no start time"
    )
    assert changed(lambda d: d["calls"][0].update(starts_at="2026-11-23T10:00:00")) == (
        "is damaged: call 3 has a start time that is not a date and time with its time zone"
    )
    assert changed(lambda d: d["calls"][0].update(minutes=True)) == (
        "is damaged: call 3 has a length that is not a whole number"
    )
    assert changed(lambda d: d["participants"][0].update(cohort_id=77)) == (
        "is damaged: participant 9 belongs to cohort 77, which is missing"
    )
    assert changed(lambda d: d["participants"][0].update(time_zone="Mars/Olympus")) == (
        "is damaged: participant 9 has an unknown time zone (Mars/Olympus)"
    )
    assert changed(lambda d: d["calls"].append(dict(d["calls"][0], id=5))) == (
        "is damaged: calendar identifier abc appears more than once"
    )
    assert changed(lambda d: d.pop("notes")) == "is damaged: the list of notes is missing"
    assert changed(lambda d: d["cohorts"][0].update(name="x" * 201)) == (
        "is damaged: cohort 4 has a name longer than 200 characters"
    )
    for broken_line in ("Two\nlines", "Tab\there", "Bell\x07", "Line\u2028separator"):
        assert changed(lambda d, name=broken_line: d["calls"][0].update(title=name)) == (
            "is damaged: call 3 has a title with a line break or a control character"
        )
    # Notes hold many lines: accepted as they are.
    manifest, content = members(archive_bytes(small()))
    content["cohorts"][0]["notes"] = "Two\nlines\tand a tab"
    assert parse_archive(zipped(manifest, content)).cohorts[0].notes == "Two\nlines\tand a tab"


def test_too_many_members_or_a_bomb_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for n in range(9):
            out.writestr(f"{n}.txt", "x")
    assert refusal(buffer.getvalue()).startswith("holds more than 8 files")
    monkeypatch.setattr(fmt, "MAX_MEMBER_BYTES", 1000)
    manifest, content = members(archive_bytes(small()))
    content["padding"] = " " * 5000
    assert refusal(zipped(manifest, content)) == (
        "is too large to open safely (data.json unpacks to more than 200 MB)"
    )


def test_turn_orders_follow_their_people() -> None:
    event = LiveEventRecord(run_id=1, seq=0, at=WHEN, action="start", amount=0, numbers="9,4,12")
    assert remap_event_numbers(event, {9: 101, 12: 102}) == "101,-1,102"
    reshape = LiveEventRecord(run_id=1, seq=1, at=WHEN, action="reshape", amount=0, numbers="9")
    assert remap_event_numbers(reshape, {9: 101}) == "9"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=1024))
def test_random_bytes_only_ever_give_a_validation_error(noise: bytes) -> None:
    with pytest.raises(ValidationError):
        parse_archive(noise)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_archives_only_ever_give_a_validation_error(data: st.DataObject) -> None:
    damaged = bytearray(archive_bytes(small()))
    for _ in range(data.draw(st.integers(1, 3))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(ValidationError):
        parse_archive(bytes(damaged))


def with_links(cohort_link: str, call_link: str) -> Archive:
    archive = small()
    return replace(
        archive,
        cohorts=(replace(archive.cohorts[0], video_link=cohort_link),),
        calls=(replace(archive.calls[0], video_link=call_link),),
    )


def test_video_links_are_carried_by_the_archive() -> None:
    archive = with_links("https://zoom.us/j/123456789?pwd=abc", "https://meet.jit.si/kowhai-3")
    data = archive_bytes(archive)
    _, content = members(data)
    assert content["cohorts"][0]["video_link"] == "https://zoom.us/j/123456789?pwd=abc"
    assert content["calls"][0]["video_link"] == "https://meet.jit.si/kowhai-3"
    assert parse_archive(data) == archive


def test_a_format_1_archive_without_links_still_imports_with_empty_links() -> None:
    manifest, content = members(archive_bytes(with_links("https://zoom.us/j/1", "")))
    for key in ("cohorts", "calls"):
        for row in content[key]:
            del row["video_link"]
    manifest["version"] = 1
    read = parse_archive(zipped(manifest, content))
    assert read == replace(small(), read_version=1)
    assert read.cohorts[0].video_link == read.calls[0].video_link == ""


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("zoom.us/j/1", "a video link that must be a web address starting with https://"),
        ("javascript:alert(1)", "must be a web address starting with https://"),
        ("https://", "must name a site after https://"),
        ("https://a b", "without spaces"),
        ("https://a\nb", "line break"),
        ("https://x.org/" + "a" * 2000, "longer than 2000 characters"),
    ],
)
def test_an_archive_with_a_bad_video_link_is_refused(link: str, message: str) -> None:
    for archive in (with_links(link, ""), with_links("", link)):
        assert message in refusal(archive_bytes(archive))
