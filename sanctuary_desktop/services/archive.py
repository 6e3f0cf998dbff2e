"""Moving data: cohorts (or everything) to one archive file, and back in on another machine.

Export reads every row in one transaction and writes the file whole or not at all.
Import reads and checks the whole file before touching the store, then writes in one
unit of work with fresh identifiers, so a bad file or a failure half way changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sanctuary_desktop import __version__
from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.archive import (
    ARCHIVE_FIELD,
    MAX_FILE_BYTES,
    AgendaRecord,
    Archive,
    AttendanceRecord,
    BuddyCycleRecord,
    BuddyGroupRecord,
    BuddyMemberRecord,
    CallRecord,
    CohortRecord,
    LiveEventRecord,
    LiveRunRecord,
    NoteRecord,
    ParticipantRecord,
    PresenterSlotRecord,
    ProtocolRecord,
    archive_bytes,
    parse_archive,
    remap_agenda_presenters,
    remap_event_numbers,
)
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import (
    Protocol,
    builtin_protocols,
    protocol_from_json,
    protocol_to_json,
)
from sanctuary_desktop.export.files import write_atomically
from sanctuary_desktop.services.file_reading import read_limited
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import (
    Attendance,
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
    new_uid,
)

COPY_SUFFIX = " (imported)"
MAX_COHORT_NAME = limits.MAX_NAME


class ImportChoice(StrEnum):
    SKIP = "skip"  # leave it out
    COPY = "copy"  # a separate cohort beside the present one, " (imported)", new calendar ids
    REPLACE = "replace"  # delete the present one, then import


@dataclass(frozen=True)
class ArchiveSummary:
    path: Path
    cohorts: tuple[str, ...]
    participants: int
    calls: int
    notes: int
    protocols: int


@dataclass(frozen=True)
class ArchiveCohort:
    index: int  # the key for import choices
    name: str
    start_date: date
    end_date: date
    participants: int
    calls: int
    notes: int
    already_present: bool
    present_ids: tuple[int, ...]  # the cohorts here it matches (REPLACE deletes them)


@dataclass(frozen=True)
class ArchivePreview:
    app_version: str
    created_at: datetime
    format_version: int
    cohorts: tuple[ArchiveCohort, ...]
    protocols: tuple[str, ...]  # names of the saved protocols it holds


@dataclass(frozen=True)
class ImportedCohort:
    index: int
    id: int
    name: str
    choice: ImportChoice | None  # None: new here, imported as it is


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[ImportedCohort, ...]
    skipped: tuple[str, ...]
    replaced: int  # cohorts deleted to make way
    protocols_added: tuple[str, ...]  # keys, as stored here
    protocols_renamed: tuple[tuple[str, str], ...]  # (key in the file, key here)


# -- export -------------------------------------------------------------------------------


def export_archive(
    db: Database, path: Path, cohort_ids: Sequence[int] | None = None
) -> ArchiveSummary:
    """Write the chosen cohorts (None: everything) to ``path``, owner-only.

    Everything includes every saved protocol; chosen cohorts take the saved protocols
    their agendas were built from.
    """
    if cohort_ids is not None and not cohort_ids:
        raise ValidationError.single("Cohorts", "choose at least one cohort to export")
    with db.reading() as session:
        archive = _collect(session, cohort_ids)
    try:
        write_atomically(path, archive_bytes(archive))
    except OSError as problem:
        raise ValidationError.single("File", f"could not be written ({_reason(problem)})") from None
    return ArchiveSummary(
        path=path,
        cohorts=tuple(c.name for c in archive.cohorts),
        participants=len(archive.participants),
        calls=len(archive.calls),
        notes=len(archive.notes),
        protocols=len(archive.protocols),
    )


def _reason(problem: OSError) -> str:
    return problem.strerror or type(problem).__name__


def _collect(session: Session, cohort_ids: Sequence[int] | None) -> Archive:
    query = select(Cohort).order_by(Cohort.id)
    wanted = set(cohort_ids or ())
    if cohort_ids is not None:
        query = query.where(Cohort.id.in_(wanted))
    cohorts = list(session.scalars(query))
    if cohort_ids is not None:
        missing = sorted(wanted - {c.id for c in cohorts})
        if missing:
            raise ValidationError.single("Cohorts", f"no cohort with id {missing[0]}")
    ids = [c.id for c in cohorts]
    participants = list(
        session.scalars(
            select(Participant).where(Participant.cohort_id.in_(ids)).order_by(Participant.id)
        )
    )
    calls = list(session.scalars(select(Call).where(Call.cohort_id.in_(ids)).order_by(Call.id)))
    call_ids = [c.id for c in calls]
    cycles = list(
        session.scalars(
            select(BuddyCycle).where(BuddyCycle.cohort_id.in_(ids)).order_by(BuddyCycle.id)
        )
    )
    groups = list(
        session.scalars(
            select(BuddyGroup)
            .where(BuddyGroup.cycle_id.in_([c.id for c in cycles]))
            .order_by(BuddyGroup.id)
        )
    )
    runs = list(
        session.scalars(select(LiveRun).where(LiveRun.call_id.in_(call_ids)).order_by(LiveRun.id))
    )
    agendas = list(
        session.scalars(
            select(CallAgenda).where(CallAgenda.call_id.in_(call_ids)).order_by(CallAgenda.call_id)
        )
    )
    protocol_query = select(SavedProtocol).order_by(SavedProtocol.key)
    if cohort_ids is not None:
        protocol_query = protocol_query.where(
            SavedProtocol.key.in_({a.protocol_key for a in agendas})
        )
    return Archive(
        app_version=__version__,
        created_at=datetime.now(UTC),
        cohorts=tuple(_record(CohortRecord, row) for row in cohorts),
        participants=tuple(_record(ParticipantRecord, row) for row in participants),
        calls=tuple(_record(CallRecord, row) for row in calls),
        attendance=tuple(
            _record(AttendanceRecord, row)
            for row in session.scalars(
                select(Attendance)
                .where(Attendance.call_id.in_(call_ids))
                .order_by(Attendance.call_id, Attendance.participant_id)
            )
        ),
        notes=tuple(
            _record(NoteRecord, row)
            for row in session.scalars(
                select(Note).where(Note.call_id.in_(call_ids)).order_by(Note.id)
            )
        ),
        agendas=tuple(_record(AgendaRecord, row) for row in agendas),
        presenter_slots=tuple(
            _record(PresenterSlotRecord, row)
            for row in session.scalars(
                select(PresenterSlot)
                .where(PresenterSlot.call_id.in_(call_ids))
                .order_by(PresenterSlot.call_id, PresenterSlot.slot)
            )
        ),
        buddy_cycles=tuple(_record(BuddyCycleRecord, row) for row in cycles),
        buddy_groups=tuple(_record(BuddyGroupRecord, row) for row in groups),
        buddy_members=tuple(
            _record(BuddyMemberRecord, row)
            for row in session.scalars(
                select(BuddyMember)
                .where(BuddyMember.group_id.in_([g.id for g in groups]))
                .order_by(BuddyMember.group_id, BuddyMember.participant_id)
            )
        ),
        live_runs=tuple(_record(LiveRunRecord, row) for row in runs),
        live_events=tuple(
            _record(LiveEventRecord, row)
            for row in session.scalars(
                select(RunEvent)
                .where(RunEvent.run_id.in_([r.id for r in runs]))
                .order_by(RunEvent.run_id, RunEvent.seq)
            )
        ),
        protocols=tuple(_record(ProtocolRecord, row) for row in session.scalars(protocol_query)),
    )


def _record(kind: Any, row: object) -> Any:
    """A record made from the ORM row's columns of the same names."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})


# -- reading a file -----------------------------------------------------------------------


def read_archive(path: Path) -> Archive:
    """The checked content of the file at ``path``; any trouble is a ValidationError.

    Only an ordinary file is read, and never more than the largest archive allowed, so
    a device or a pipe chosen by mistake is refused rather than read without end.
    """
    data = read_limited(path, MAX_FILE_BYTES, ARCHIVE_FIELD, "is too large to open")
    return parse_archive(data)


def _preview(session: Session, archive: Archive) -> ArchivePreview:
    by_uid = {
        uid: cohort_id for uid, cohort_id in session.execute(select(Call.uid, Call.cohort_id))
    }
    by_name: dict[tuple[str, date], list[int]] = {}
    for cohort_id, name, start in session.execute(
        select(Cohort.id, Cohort.name, Cohort.start_date)
    ):
        by_name.setdefault((name, start), []).append(cohort_id)
    cohorts = []
    for index, cohort in enumerate(archive.cohorts):
        part = archive.of_cohort(cohort.id)
        present = {by_uid[c.uid] for c in part.calls if c.uid in by_uid}
        present.update(by_name.get((cohort.name, cohort.start_date), ()))
        cohorts.append(
            ArchiveCohort(
                index=index,
                name=cohort.name,
                start_date=cohort.start_date,
                end_date=cohort.end_date,
                participants=len(part.participants),
                calls=len(part.calls),
                notes=len(part.notes),
                already_present=bool(present),
                present_ids=tuple(sorted(present)),
            )
        )
    return ArchivePreview(
        app_version=archive.app_version,
        created_at=archive.created_at,
        format_version=archive.read_version,
        cohorts=tuple(cohorts),
        protocols=tuple(p.name for p in archive.protocols),
    )


def preview_archive(db: Database, path: Path) -> ArchivePreview:
    """What the file holds, per cohort, and which cohorts are here already."""
    archive = read_archive(path)
    with db.reading() as session:
        return _preview(session, archive)


# -- import -------------------------------------------------------------------------------


def _plan(
    preview: ArchivePreview, choices: Mapping[int, ImportChoice] | None
) -> list[tuple[ArchiveCohort, ImportChoice | None]]:
    """Each cohort to import with how (None: new here, as it is); skipped ones left out."""
    chosen = dict(choices or {})
    unknown = sorted(set(chosen) - {c.index for c in preview.cohorts})
    if unknown:
        raise ValidationError.single("Choices", f"the archive has no cohort {unknown[0]}")
    plan: list[tuple[ArchiveCohort, ImportChoice | None]] = []
    for cohort in preview.cohorts:
        default = ImportChoice.SKIP if cohort.already_present else None
        choice = ImportChoice(chosen[cohort.index]) if cohort.index in chosen else default
        if choice is ImportChoice.SKIP:
            continue
        # Nothing to copy beside or replace: a new cohort comes in as it is.
        plan.append((cohort, choice if cohort.already_present else None))
    return plan


def import_archive(
    db: Database, path: Path, choices: Mapping[int, ImportChoice] | None = None
) -> Outcome[ImportResult]:
    """Bring in an archive's cohorts. By default new ones come in and present ones are
    skipped; ``choices`` (by the preview's index) says otherwise. All or nothing."""
    archive = read_archive(path)
    if choices and ImportChoice.REPLACE in choices.values():
        db.backup(reason="before-archive-import")
    with db.unit_of_work() as session:
        preview = _preview(session, archive)
        plan = _plan(preview, choices)
        doomed = sorted(
            {i for cohort, how in plan if how is ImportChoice.REPLACE for i in cohort.present_ids}
        )
        if doomed:
            session.execute(delete(Cohort).where(Cohort.id.in_(doomed)))
        wanted = [archive.cohorts[cohort.index].id for cohort, _ in plan]
        protocols = _protocols_to_import(archive, wanted)
        keys, added, renamed = _merge_protocols(session, protocols)
        imported = []
        for cohort, how in plan:
            part = archive.of_cohort(archive.cohorts[cohort.index].id)
            new_id = _insert_cohort(session, part, keys, copy=how is ImportChoice.COPY)
            name = cohort.name if how is not ImportChoice.COPY else _copy_name(cohort.name)
            imported.append(ImportedCohort(cohort.index, new_id, name, how))
        skipped = {c.index for c, _ in plan}
        result = ImportResult(
            imported=tuple(imported),
            skipped=tuple(c.name for c in preview.cohorts if c.index not in skipped),
            replaced=len(doomed),
            protocols_added=tuple(added),
            protocols_renamed=tuple(renamed),
        )
    return Outcome(result, frozenset(Topic))


def _protocols_to_import(archive: Archive, cohort_ids: Sequence[int]) -> list[ProtocolRecord]:
    """Those the imported cohorts use, and those no cohort in the file uses (a library
    carried along); a skipped cohort's protocols stay out with it."""
    used_by_any = archive.protocol_keys_used(c.id for c in archive.cohorts)
    used = archive.protocol_keys_used(cohort_ids)
    return [p for p in archive.protocols if p.key in used or p.key not in used_by_any]


def _same(protocol: Protocol) -> Protocol:
    return replace(protocol, key="")


def _merge_protocols(
    session: Session, incoming: Sequence[ProtocolRecord]
) -> tuple[dict[str, str], list[str], list[tuple[str, str]]]:
    """Add the file's protocols by key; a key here with other content gets the file's
    protocol under a new key (or the one here with the same content)."""
    builtin_keys = {p.key for p in builtin_protocols()}
    stored = {
        row.key: protocol_from_json(row.document) for row in session.scalars(select(SavedProtocol))
    }
    keys: dict[str, str] = {}
    added: list[str] = []
    renamed: list[tuple[str, str]] = []
    for record in incoming:
        protocol = protocol_from_json(record.document)
        here = stored.get(record.key)
        if here is not None and _same(here) == _same(protocol):
            keys[record.key] = record.key
            continue
        if here is None and record.key not in builtin_keys:
            key, document = record.key, record.document
        else:
            twin = next((k for k, p in stored.items() if _same(p) == _same(protocol)), None)
            if twin is not None:
                keys[record.key] = twin
                renamed.append((record.key, twin))
                continue
            key = _free_key(record.key, set(stored) | builtin_keys)
            protocol = protocol.duplicate(key=key, name=protocol.name)
            document = protocol_to_json(protocol)
            renamed.append((record.key, key))
        session.add(
            SavedProtocol(
                key=key,
                name=record.name,
                document=document,
                created_at=record.created_at,
                updated_at=record.updated_at,
            )
        )
        stored[key] = protocol
        keys[record.key] = key
        added.append(key)
    return keys, added, renamed


def _free_key(key: str, taken: set[str]) -> str:
    base = re.sub(r"-\d+$", "", key)[:58] or "protocol"
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _copy_name(name: str) -> str:
    return name[: MAX_COHORT_NAME - len(COPY_SUFFIX)] + COPY_SUFFIX


def _columns(record: Any, **changes: object) -> dict[str, Any]:
    """A record's values as ORM keyword arguments, without its old id."""
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    values.pop("id", None)
    values.update(changes)
    return values


def _insert_cohort(
    session: Session, part: Archive, protocol_keys: Mapping[str, str], *, copy: bool
) -> int:
    """One cohort's rows with new identifiers; returns the new cohort's id."""
    (cohort,) = part.cohorts
    name = _copy_name(cohort.name) if copy else cohort.name
    cohort_row = Cohort(**_columns(cohort, name=name))
    session.add(cohort_row)
    session.flush()
    people: dict[int, int] = {}
    rows = [(p.id, Participant(**_columns(p, cohort_id=cohort_row.id))) for p in part.participants]
    session.add_all(row for _, row in rows)
    session.flush()
    people.update((old, row.id) for old, row in rows)
    call_rows = [
        (c.id, Call(**_columns(c, cohort_id=cohort_row.id, uid=new_uid() if copy else c.uid)))
        for c in part.calls
    ]
    session.add_all(row for _, row in call_rows)
    session.flush()
    calls = {old: row.id for old, row in call_rows}
    session.add_all(
        Attendance(**_columns(a, call_id=calls[a.call_id], participant_id=people[a.participant_id]))
        for a in part.attendance
    )
    session.add_all(
        Note(
            **_columns(
                n,
                call_id=calls[n.call_id],
                owner_id=None if n.owner_id is None else people[n.owner_id],
            )
        )
        for n in part.notes
    )
    session.add_all(
        CallAgenda(
            **_columns(
                a,
                call_id=calls[a.call_id],
                protocol_key=protocol_keys.get(a.protocol_key, a.protocol_key),
                items=remap_agenda_presenters(a.items, people),
            )
        )
        for a in part.agendas
    )
    session.add_all(
        PresenterSlot(
            **_columns(
                s,
                call_id=calls[s.call_id],
                participant_id=None if s.participant_id is None else people[s.participant_id],
            )
        )
        for s in part.presenter_slots
    )
    cycle_rows = [
        (
            c.id,
            BuddyCycle(
                **_columns(c, cohort_id=cohort_row.id, after_call_id=calls[c.after_call_id])
            ),
        )
        for c in part.buddy_cycles
    ]
    session.add_all(row for _, row in cycle_rows)
    session.flush()
    cycles = {old: row.id for old, row in cycle_rows}
    group_rows = [
        (g.id, BuddyGroup(**_columns(g, cycle_id=cycles[g.cycle_id]))) for g in part.buddy_groups
    ]
    session.add_all(row for _, row in group_rows)
    session.flush()
    groups = {old: row.id for old, row in group_rows}
    session.add_all(
        BuddyMember(group_id=groups[m.group_id], participant_id=people[m.participant_id])
        for m in part.buddy_members
    )
    run_rows = [
        (
            r.id,
            LiveRun(
                **_columns(
                    r, call_id=calls[r.call_id], items=remap_agenda_presenters(r.items, people)
                )
            ),
        )
        for r in part.live_runs
    ]
    session.add_all(row for _, row in run_rows)
    session.flush()
    runs = {old: row.id for old, row in run_rows}
    session.add_all(
        RunEvent(**_columns(e, run_id=runs[e.run_id], numbers=remap_event_numbers(e, people)))
        for e in part.live_events
    )
    session.flush()
    return cohort_row.id
