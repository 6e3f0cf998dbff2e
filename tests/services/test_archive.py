"""Archives: a round trip into an empty folder, cohorts already present, and bad files."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sanctuary_desktop.domain import archive as archive_format
from sanctuary_desktop.domain.agenda import agenda_to_json, build_agenda
from sanctuary_desktop.domain.cohort import CohortDraft, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.domain.timer import Action
from sanctuary_desktop.services import (
    buddies,
    calls,
    cohorts,
    demo,
    live,
    protocol_library,
    records,
    roster,
)
from sanctuary_desktop.services.archive import (
    ImportChoice,
    export_archive,
    import_archive,
    preview_archive,
)
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.services.views import Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder
from sanctuary_desktop.store.models import (
    Attendance,
    Base,
    BuddyCycle,
    BuddyGroup,
    BuddyMember,
    Call,
    CallAgenda,
    Cohort,
    LiveRun,
    Note,
    Participant,
    PresenterSlot,
    RunEvent,
    SavedProtocol,
)

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """A second, empty data folder: the other machine."""
    folder = DataFolder(tmp_path / "other").prepare()
    database = Database(folder.sqlite_url, backups_dir=folder.backups)
    database.migrate()
    yield database
    database.dispose()


def rich_sample(db: Database) -> int:
    """The sample cohort, with a call run live, an action note with an owner, a buddy
    cycle edited by hand and a saved protocol of the facilitator's own."""
    cohort_id = demo.create_sample(db, today=TODAY).id
    plan = cohorts.get_plan(db, cohort_id)
    held = [c for c in plan.calls if c.starts_at < NOW]
    coming = [c for c in plan.calls if c.starts_at > NOW]
    own = protocol_library.duplicate_protocol(db, DEFAULT_PROTOCOL_KEY, "Our circle").value
    # Straight to the store: agendas.apply_protocol with a saved protocol opens a second
    # session inside its unit of work, which SQLite's write lock refuses.
    with db.unit_of_work() as session:
        row = session.get(CallAgenda, coming[1].id)
        assert row is not None
        row.protocol_key = own.key
        row.items = agenda_to_json(build_agenda(own, [None] * own.presenters))

    run = live.open_live(db, held[-1].id).value
    timer = run.timer()
    at = run.call.starts_at + timedelta(minutes=1)
    for minutes, action, amount in [
        (0, Action.START, 0),
        (5, Action.NEXT, 0),
        (7, Action.ADJUST, 60),
    ]:
        tick = timer.command(action, at + timedelta(minutes=minutes), amount, run.turn_order())
        live.append_events(db, run.run_id, tick.events)
    live.append_events(
        db, run.run_id, timer.command(Action.FINISH, at + timedelta(minutes=80)).events
    )

    people = [p for p in plan.participants if p.is_active]
    records.add_note(
        db,
        held[-1].id,
        "Send the board paper to Jordan",
        kind=NoteKind.ACTION,
        stage="Closing round",
        owner_id=people[2].id,
        tags=("governance",),
        created_at=NOW - timedelta(days=1),
    )
    cycle = buddies.list_cycles(db, cohort_id)[0]
    ids = [p.id for p in people]
    edited = buddies.set_groups(db, cycle.id, [ids[:3], ids[3:5], ids[5:]]).value
    buddies.set_happened(db, edited.groups[0].id, True, "Met by the river")
    return cohort_id


def second_cohort(db: Database) -> int:
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Rivers and Reciprocity",
            home_tz="Europe/London",
            start_date=date(2027, 1, 4),
            end_date=date(2027, 6, 30),
        ),
    ).value
    person = roster.add_participant(
        db, cohort.id, ParticipantDraft(name="Ngaio Ōtaki", time_zone="Pacific/Auckland")
    ).value
    call = calls.add_call(db, cohort.id, datetime(2027, 1, 7, 19, tzinfo=UTC), 90).value
    records.add_note(db, call.id, "Who owns the river?", owner_id=None)
    records.record_attendance(db, call.id, {person.id})
    return cohort.id


# -- comparing two databases by natural keys ----------------------------------------------

MODELS: tuple[type[Base], ...] = (
    Cohort,
    Participant,
    Call,
    Attendance,
    Note,
    CallAgenda,
    PresenterSlot,
    BuddyCycle,
    BuddyGroup,
    BuddyMember,
    LiveRun,
    RunEvent,
    SavedProtocol,
)


def counts(db: Database) -> dict[str, int]:
    with db.reading() as session:
        return {
            m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
            for m in MODELS
        }


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ids replaced by what identifies the row anywhere."""
    with db.reading() as session:
        cohort_keys = {c.id: (c.name, c.start_date) for c in session.scalars(select(Cohort))}
        people = {
            p.id: (cohort_keys[p.cohort_id], p.name, p.email)
            for p in session.scalars(select(Participant))
        }
        call_keys = {c.id: c.uid for c in session.scalars(select(Call))}
        cycle_keys = {c.id: call_keys[c.after_call_id] for c in session.scalars(select(BuddyCycle))}
        group_keys = {
            g.id: (cycle_keys[g.cycle_id], g.position) for g in session.scalars(select(BuddyGroup))
        }
        run_keys = {r.id: call_keys[r.call_id] for r in session.scalars(select(LiveRun))}
        references = {
            "cohort_id": cohort_keys,
            "participant_id": people,
            "owner_id": people,
            "call_id": call_keys,
            "after_call_id": call_keys,
            "cycle_id": cycle_keys,
            "group_id": group_keys,
            "run_id": run_keys,
        }

        def agenda(items: str) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = json.loads(items)
            for row in rows:
                row["presenter"] = people.get(row["presenter"])
            return rows

        tables: dict[str, list[tuple[Any, ...]]] = {}
        for model in MODELS:
            rows = []
            for row in session.scalars(select(model)):
                values = []
                for column in model.__table__.columns:
                    value = getattr(row, column.name)
                    if column.name == "id":
                        continue
                    if column.name in references and value is not None:
                        value = references[column.name][value]
                    elif column.name == "items":
                        value = agenda(value)
                    elif column.name == "numbers" and row.action in ("start", "order"):
                        value = [people[int(n)] for n in value.split(",") if n]
                    values.append((column.name, repr(value)))
                rows.append(tuple(values))
            tables[model.__tablename__] = sorted(rows)
    return tables


# -- round trips --------------------------------------------------------------------------


def test_round_trip_into_an_empty_folder_gives_back_every_row(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    rich_sample(db)
    path = tmp_path / "moving.sanctuary"
    summary = export_archive(db, path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert summary.cohorts == (demo.SAMPLE_NAME,)
    assert (summary.participants, summary.calls) == (9, 7)
    assert summary.notes == counts(db)["notes"] and summary.protocols == 1

    preview = preview_archive(other_db, path)
    assert [(c.name, c.already_present) for c in preview.cohorts] == [(demo.SAMPLE_NAME, False)]
    outcome = import_archive(other_db, path)
    assert outcome.changed == frozenset(Topic)
    assert [c.name for c in outcome.value.imported] == [demo.SAMPLE_NAME]
    assert outcome.value.protocols_added == ("our-circle",)

    source, copy = counts(db), counts(other_db)
    assert source == copy and all(source.values())  # every table holds rows
    assert snapshot(other_db) == snapshot(db)
    # Through the services, the copy reads as the original did.
    [there] = cohorts.list_cohorts(other_db)
    [here] = cohorts.list_cohorts(db)
    assert (
        cohorts.get_plan(other_db, there.id).cohort.draft()
        == cohorts.get_plan(db, here.id).cohort.draft()
    )
    held_here = live.unfinished_runs(db), live.unfinished_runs(other_db)
    assert held_here[0] == [] and held_here[1] == []


def test_export_everything_or_one_of_two_cohorts(db: Database, tmp_path: Path) -> None:
    sample = rich_sample(db)
    other = second_cohort(db)
    everything = export_archive(db, tmp_path / "all.zip")
    assert everything.cohorts == (demo.SAMPLE_NAME, "Rivers and Reciprocity")
    assert everything.participants == 10 and everything.calls == 8
    one = export_archive(db, tmp_path / "one.zip", [other])
    assert one.cohorts == ("Rivers and Reciprocity",)
    assert (one.participants, one.calls, one.notes, one.protocols) == (1, 1, 1, 0)
    first = export_archive(db, tmp_path / "first.zip", [sample])
    assert first.protocols == 1  # the saved protocol one of its calls was built from
    with pytest.raises(ValidationError) as missing:
        export_archive(db, tmp_path / "none.zip", [sample, 999])
    assert missing.value.for_field("Cohorts") == "no cohort with id 999"
    assert not (tmp_path / "none.zip").exists()


def test_both_cohorts_come_back_from_one_file(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    rich_sample(db)
    second_cohort(db)
    export_archive(db, tmp_path / "all.zip")
    result = import_archive(other_db, tmp_path / "all.zip").value
    assert len(result.imported) == 2
    assert snapshot(other_db) == snapshot(db)


def test_importing_twice_is_noticed_and_the_user_chooses(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    rich_sample(db)
    path = tmp_path / "moving.zip"
    export_archive(db, path)
    import_archive(other_db, path)
    before = snapshot(other_db)

    [again] = preview_archive(other_db, path).cohorts
    assert again.already_present and len(again.present_ids) == 1
    skipped = import_archive(other_db, path).value  # present ones are skipped by default
    assert skipped.imported == () and skipped.skipped == (demo.SAMPLE_NAME,)
    assert import_archive(other_db, path, {0: ImportChoice.SKIP}).value.imported == ()
    assert snapshot(other_db) == before

    copied = import_archive(other_db, path, {0: ImportChoice.COPY}).value
    [copy] = copied.imported
    assert copy.name == demo.SAMPLE_NAME + " (imported)"
    names = sorted(c.name for c in cohorts.list_cohorts(other_db))
    assert names == [demo.SAMPLE_NAME, demo.SAMPLE_NAME + " (imported)"]
    uids = {c.uid for c in calls.list_cohort_calls(other_db, copy.id)}
    original = {c.uid for c in calls.list_cohort_calls(db, cohorts.list_cohorts(db)[0].id)}
    assert len(uids) == 7 and not uids & original  # fresh calendar identifiers
    assert protocol_library.list_protocols(other_db)[-1].key == "our-circle"  # merged, once
    assert counts(other_db)["protocols"] == 1


def test_replace_keeps_one_cohort(db: Database, other_db: Database, tmp_path: Path) -> None:
    rich_sample(db)
    path = tmp_path / "moving.zip"
    export_archive(db, path)
    import_archive(other_db, path)
    [there] = cohorts.list_cohorts(other_db)
    cohorts.update_cohort(other_db, there.id, replace_name(other_db, there.id, "Renamed here"))
    records.add_note(other_db, calls.list_cohort_calls(other_db, there.id)[0].id, "Only here")
    result = import_archive(other_db, path, {0: ImportChoice.REPLACE}).value
    assert result.replaced == 1 and result.imported[0].choice is ImportChoice.REPLACE
    assert [c.name for c in cohorts.list_cohorts(other_db)] == [demo.SAMPLE_NAME]
    assert snapshot(other_db) == snapshot(db)
    backups = list((other_db.backups_dir or Path()).glob("*before-archive-import*"))
    assert backups  # the replaced cohort can still be recovered


def replace_name(db: Database, cohort_id: int, name: str) -> CohortDraft:
    draft = cohorts.get_cohort(db, cohort_id).draft()
    return CohortDraft(**{**draft.__dict__, "name": name})


def test_a_protocol_with_the_same_key_and_other_stages_comes_in_beside_it(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    rich_sample(db)
    export_archive(db, tmp_path / "moving.zip")
    theirs = protocol_library.duplicate_protocol(other_db, "troika", "Our circle").value
    assert theirs.key == "our-circle"
    result = import_archive(other_db, tmp_path / "moving.zip").value
    assert result.protocols_renamed == (("our-circle", "our-circle-2"),)
    with other_db.reading() as session:  # agendas.get_agenda locks itself out here
        used = set(session.scalars(select(CallAgenda.protocol_key)))
    assert "our-circle-2" in used and "our-circle" not in used
    assert protocol_library.get_protocol(other_db, "our-circle") == theirs  # left alone


def test_choices_for_cohorts_not_in_the_file_are_refused(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    second_cohort(db)
    export_archive(db, tmp_path / "one.zip")
    with pytest.raises(ValidationError) as refused:
        import_archive(other_db, tmp_path / "one.zip", {3: ImportChoice.COPY})
    assert refused.value.for_field("Choices") == "the archive has no cohort 3"
    assert sum(counts(other_db).values()) == 0


# -- bad files ----------------------------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def members_of(data: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("manifest.json")), json.loads(archive.read("data.json"))


def rezipped(manifest: dict[str, Any], data: dict[str, Any]) -> bytes:
    return zipped(
        {
            "manifest.json": json.dumps(manifest).encode(),
            "data.json": json.dumps(data).encode(),  # \ud800 escapes survive
        }
    )


def altered(good: bytes, how: str) -> bytes:
    manifest, data = members_of(good)
    if how == "newer":
        manifest["version"] = 99
    elif how == "call without start":
        del data["calls"][2]["starts_at"]
    elif how == "participant of no cohort":
        data["participants"][0]["cohort_id"] = 4242
    elif how == "call in year 1":
        data["calls"][2]["starts_at"] = "0001-01-01T12:00:00Z"
    elif how == "call in year 9999":
        data["calls"][2]["starts_at"] = "9999-12-31T10:00:00Z"
    elif how == "someone twice in a cycle":
        member = data["buddy_members"][0]
        group = data["buddy_groups"][0]
        other = next(
            g
            for g in data["buddy_groups"]
            if g["cycle_id"] == group["cycle_id"] and g["id"] != member["group_id"]
        )
        data["buddy_members"].append(
            {"group_id": other["id"], "participant_id": member["participant_id"]}
        )
    elif how == "timer events out of order":
        run = data["live_events"][0]["run_id"]
        events = {e["seq"]: e for e in data["live_events"] if e["run_id"] == run}
        events[2]["at"], events[3]["at"] = events[3]["at"], events[2]["at"]
    return rezipped(manifest, data)


BAD_FILES = {
    "empty": (lambda good: b"", "is empty"),
    "random bytes": (lambda good: os.urandom(4096), "is not a Sanctuary Desktop archive"),
    "a text file": (
        lambda good: b"Dear facilitators,\nhere are the notes.\n",
        "is not a Sanctuary Desktop archive",
    ),
    "a zip without manifest": (
        lambda good: zipped({"notes.txt": b"hello", "data.json": b"{}"}),
        "is not a Sanctuary Desktop archive",
    ),
    "cut in half": (lambda good: good[: len(good) // 2], "is damaged or incomplete"),
    "newer": (
        lambda good: altered(good, "newer"),
        "was made by a newer version of Sanctuary Desktop (format 99); update the app to open it",
    ),
    "call without start": (
        lambda good: altered(good, "call without start"),
        "is damaged: call {call} has no start time",
    ),
    "participant of no cohort": (
        lambda good: altered(good, "participant of no cohort"),
        "is damaged: participant {person} belongs to cohort 4242, which is missing",
    ),
    "call in year 1": (
        lambda good: altered(good, "call in year 1"),
        "is damaged: call {call} has a start time outside the years between 1900 and 2199"
        " (0001-01-01T12:00:00+00:00)",
    ),
    "call in year 9999": (
        lambda good: altered(good, "call in year 9999"),
        "is damaged: call {call} has a start time outside the years between 1900 and 2199"
        " (9999-12-31T10:00:00+00:00)",
    ),
    "someone twice in a cycle": (
        lambda good: altered(good, "someone twice in a cycle"),
        "is damaged: buddy cycle {cycle} has participant {member} in more than one group",
    ),
    "timer events out of order": (
        lambda good: altered(good, "timer events out of order"),
        "is damaged: live run {run} has timer event 3 earlier than the one before",
    ),
    "zip bomb": (
        lambda good: zipped({"manifest.json": b"{}", "data.json": b"\0" * (3 * 1024 * 1024)}),
        "is too large to open safely (data.json unpacks to more than 200 MB)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_named_and_changes_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    # A small limit stands in for 200 MB, so the bomb stays quick to build.
    monkeypatch.setattr(archive_format, "MAX_MEMBER_BYTES", 1024 * 1024)
    cohort_id = rich_sample(db)
    good_path = tmp_path / "good.zip"
    export_archive(db, good_path)
    make, message = BAD_FILES[case]
    path = tmp_path / "bad.zip"
    path.write_bytes(make(good_path.read_bytes()))
    _, data = members_of(good_path.read_bytes())
    first_group = next(
        g for g in data["buddy_groups"] if g["id"] == data["buddy_members"][0]["group_id"]
    )
    expected = message.format(
        call=data["calls"][2]["id"],
        person=data["participants"][0]["id"],
        cycle=first_group["cycle_id"],
        member=data["buddy_members"][0]["participant_id"],
        run=data["live_events"][0]["run_id"],
    )
    cohorts.delete_cohort(db, cohort_id)  # so a good file would be imported, not skipped
    before = counts(db)
    for attempt in (
        lambda: preview_archive(db, path),
        lambda: import_archive(db, path, {0: ImportChoice.COPY}),
    ):
        with pytest.raises(ValidationError) as bad:
            attempt()
        assert bad.value.for_field("Archive") == expected
    assert counts(db) == before


def test_a_missing_file_is_a_validation_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as missing:
        preview_archive(db, tmp_path / "nowhere.zip")
    assert (missing.value.for_field("Archive") or "").startswith("could not be read")


# -- hostile input ------------------------------------------------------------------------


@pytest.fixture
def good_archive(tmp_path: Path) -> bytes:
    folder = DataFolder(tmp_path / "source").prepare()
    source = Database(folder.sqlite_url)
    source.migrate()
    rich_sample(source)
    path = tmp_path / "good.zip"
    export_archive(source, path)
    source.dispose()
    return path.read_bytes()


def import_or_refuse(db: Database, path: Path, data: bytes) -> None:
    """Either the whole archive comes in as a copy, or nothing is written."""
    path.write_bytes(data)
    before = counts(db)
    try:
        outcome = import_archive(db, path, {0: ImportChoice.COPY})
    except ValidationError as refused:
        assert refused.for_field("Archive")
        assert counts(db) == before
        return
    after = counts(db)
    if outcome.value.imported:
        assert after["cohorts"] == before["cohorts"] + 1
    else:
        assert after == before


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(noise=st.binary(max_size=2048))
def test_random_bytes_are_refused(db: Database, tmp_path: Path, noise: bytes) -> None:
    import_or_refuse(db, tmp_path / "noise.zip", noise)
    assert sum(counts(db).values()) == 0


@SETTINGS
@given(data=st.data())
def test_mutated_bytes_never_write_partially(
    db: Database, tmp_path: Path, good_archive: bytes, data: st.DataObject
) -> None:
    damaged = bytearray(good_archive)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(damaged) - 1))
        damaged[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    import_or_refuse(db, tmp_path / "mutated.zip", bytes(damaged[:cut]))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-11-23T10:00:00Z", "2026-11-23", "09:30", "a", "", "\ud800"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_rows_never_write_partially(
    db: Database, tmp_path: Path, good_archive: bytes, data: st.DataObject
) -> None:
    manifest, content = members_of(good_archive)
    for _ in range(data.draw(st.integers(1, 3))):
        table = data.draw(st.sampled_from(sorted(k for k, rows in content.items() if rows)))
        row = data.draw(st.sampled_from(content[table]))
        column = data.draw(st.sampled_from(sorted(row)))
        if data.draw(st.booleans()):
            row[column] = data.draw(JSON_VALUES)
        else:  # a plausible value from elsewhere: an id, a time, a key of another row
            other = data.draw(st.sampled_from(content[table]))
            row[column] = other.get(column)
    if data.draw(st.booleans()):
        manifest[data.draw(st.sampled_from(sorted(manifest)))] = data.draw(JSON_VALUES)
    import_or_refuse(db, tmp_path / "mutated.zip", rezipped(manifest, content))


def test_wall_times_and_instants_survive_exactly(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    cohort_id = second_cohort(db)
    draft = cohorts.get_cohort(db, cohort_id).draft()
    odd = CohortDraft(
        **{**draft.__dict__, "waking_hours": type(draft.waking_hours)(time(6, 45), time(21, 15))}
    )
    cohorts.update_cohort(db, cohort_id, odd)
    call = calls.list_cohort_calls(db, cohort_id)[0]
    calls.update_call(
        db, call.id, starts_at=call.starts_at + timedelta(microseconds=123456), minutes=75
    )
    export_archive(db, tmp_path / "one.zip")
    import_archive(other_db, tmp_path / "one.zip")
    assert snapshot(other_db) == snapshot(db)
