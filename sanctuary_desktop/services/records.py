"""What happened in a call: attendance and notes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import Collector, ValidationError, saveable
from sanctuary_desktop.domain.notes import NoteKind
from sanctuary_desktop.services.cohorts import load_call
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Attendance, Note, Participant, utc_now

__all__ = [
    "NoteKind",
    "NoteView",
    "add_note",
    "attendance",
    "delete_note",
    "list_notes",
    "record_attendance",
    "update_note",
]


@dataclass(frozen=True)
class NoteView:
    id: int
    call_id: int
    kind: NoteKind
    text: str
    stage: str
    owner_id: int | None
    tags: tuple[str, ...]
    created_at: datetime


def record_attendance(db: Database, call_id: int, present: Collection[int]) -> Outcome[int]:
    """Replace a call's attendance: everyone on the roster is present or absent."""
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        roster = set(
            session.scalars(select(Participant.id).where(Participant.cohort_id == call.cohort_id))
        )
        strangers = set(present) - roster
        if strangers:
            raise ValidationError.single("Attendance", "lists people who are not in this cohort")
        session.execute(delete(Attendance).where(Attendance.call_id == call_id))
        session.add_all(
            Attendance(call_id=call_id, participant_id=pid, present=pid in present)
            for pid in sorted(roster)
        )
        return Outcome.of(call_id, Topic.CALLS)


def attendance(db: Database, call_id: int) -> dict[int, bool]:
    with db.reading() as session:
        rows = session.execute(
            select(Attendance.participant_id, Attendance.present).where(
                Attendance.call_id == call_id
            )
        )
        return {pid: present for pid, present in rows}


def add_note(
    db: Database,
    call_id: int,
    text: str,
    *,
    kind: NoteKind = NoteKind.NOTE,
    stage: str = "",
    owner_id: int | None = None,
    tags: Collection[str] = (),
    created_at: datetime | None = None,
) -> Outcome[NoteView]:
    text, clean_tags = _checked(text, kind, owner_id, tags)
    with db.unit_of_work() as session:
        load_call(session, call_id)
        _check_owner(session, call_id, owner_id)
        note = Note(
            call_id=call_id,
            kind=kind.value,
            text=text,
            stage=_stage_label(stage),
            owner_id=owner_id,
            tags=",".join(clean_tags),
            created_at=created_at or utc_now(),
        )
        session.add(note)
        session.flush()
        return Outcome.of(_note_view(note), Topic.NOTES)


def update_note(
    db: Database,
    note_id: int,
    text: str,
    *,
    kind: NoteKind,
    owner_id: int | None = None,
    tags: Collection[str] = (),
) -> Outcome[NoteView]:
    """Change a note's words, kind, owner or tags; its stage and time stay as taken."""
    text, clean_tags = _checked(text, kind, owner_id, tags)
    with db.unit_of_work() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise ValidationError.single("Note", "was deleted meanwhile")
        _check_owner(session, note.call_id, owner_id)
        note.text, note.kind, note.owner_id = text, kind.value, owner_id
        note.tags = ",".join(clean_tags)
        session.flush()
        return Outcome.of(_note_view(note), Topic.NOTES)


def delete_note(db: Database, note_id: int) -> Outcome[int]:
    with db.unit_of_work() as session:
        note = session.get(Note, note_id)
        if note is None:
            return Outcome(note_id, frozenset())
        session.delete(note)
        return Outcome.of(note_id, Topic.NOTES)


def list_notes(db: Database, call_id: int) -> list[NoteView]:
    with db.reading() as session:
        rows = session.scalars(
            select(Note).where(Note.call_id == call_id).order_by(Note.created_at, Note.id)
        )
        return [_note_view(n) for n in rows]


def _checked(
    text: str, kind: NoteKind, owner_id: int | None, tags: Collection[str]
) -> tuple[str, tuple[str, ...]]:
    errors = Collector()
    text = text.strip()
    clean_tags = tuple(sorted({limits.one_line(t).lower() for t in tags if t.strip()}))
    if not text:
        errors.add("Note", "must not be empty")
    elif len(text) > limits.MAX_NOTE:
        errors.add("Note", f"must be at most {limits.MAX_NOTE:,} characters")
    elif not saveable(text):
        errors.add("Note", "contains a character that cannot be saved")
    if len(",".join(clean_tags)) > limits.MAX_TAGS:
        errors.add("Themes", f"must be at most {limits.MAX_TAGS} characters together")
    elif not all(saveable(tag) for tag in clean_tags):
        errors.add("Themes", "contain a character that cannot be saved")
    elif not all(limits.single_line(tag) for tag in clean_tags):
        errors.add("Themes", "must be one line each, without control characters")
    if kind is NoteKind.ACTION and owner_id is None:
        errors.add("Owner", "an action needs someone who owns it")
    errors.raise_if_any()
    return text, clean_tags


def _stage_label(stage: str) -> str:
    """The stage a note is stamped with, as the column holds it: one line, and cut short
    (not refused: the note is what matters, typed mid-call) when a round's label is long."""
    label = "".join(c for c in limits.one_line(stage) if limits.single_line(c))
    if not saveable(label):
        label = label.encode("utf-8", "replace").decode("utf-8")
    if len(label) > limits.MAX_NAME:
        label = label[: limits.MAX_NAME - 1].rstrip() + "…"
    return label


def _check_owner(session: Session, call_id: int, owner_id: int | None) -> None:
    if owner_id is None:
        return
    call = load_call(session, call_id)
    owner = session.get(Participant, owner_id)
    if owner is None or owner.cohort_id != call.cohort_id:
        raise ValidationError.single("Owner", "is not in this cohort")


def _note_view(note: Note) -> NoteView:
    return NoteView(
        id=note.id,
        call_id=note.call_id,
        kind=NoteKind(note.kind),
        text=note.text,
        stage=note.stage,
        owner_id=note.owner_id,
        tags=tuple(t for t in note.tags.split(",") if t),
        created_at=note.created_at,
    )
