"""Participants of a cohort: add, edit, remove, import from CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctuary_desktop.domain.cohort import ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.roster_csv import FILE_FIELD, MAX_BYTES
from sanctuary_desktop.services.cohorts import load_cohort
from sanctuary_desktop.services.file_reading import read_limited
from sanctuary_desktop.services.views import Outcome, ParticipantView, Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Participant


def _load(session: Session, participant_id: int) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise ValidationError.single("Participant", f"no participant with id {participant_id}")
    return participant


def _check_email_free(
    session: Session, cohort_id: int, email: str, *, except_id: int | None = None
) -> None:
    if not email:
        return
    query = select(Participant.id).where(
        Participant.cohort_id == cohort_id, func.lower(Participant.email) == email.lower()
    )
    if except_id is not None:
        query = query.where(Participant.id != except_id)
    if session.scalar(query) is not None:
        raise ValidationError.single("Email", f"{email} is already in this cohort")


def _apply(participant: Participant, draft: ParticipantDraft) -> None:
    participant.name = draft.name
    participant.email = draft.email or None
    participant.organisation = draft.organisation
    participant.time_zone = draft.time_zone
    participant.years_in_practice = draft.years_in_practice
    participant.status = draft.status.value
    participant.interview_date = draft.interview_date
    participant.notes = draft.notes


def list_participants(db: Database, cohort_id: int) -> list[ParticipantView]:
    with db.reading() as session:
        rows = session.scalars(
            select(Participant)
            .where(Participant.cohort_id == cohort_id)
            .order_by(func.lower(Participant.name))
        )
        return [ParticipantView.of(p) for p in rows]


def cohort_emails(db: Database, cohort_id: int) -> set[str]:
    with db.reading() as session:
        emails = session.scalars(
            select(Participant.email).where(
                Participant.cohort_id == cohort_id, Participant.email.is_not(None)
            )
        )
        return {e.lower() for e in emails if e}


def add_participant(
    db: Database, cohort_id: int, draft: ParticipantDraft
) -> Outcome[ParticipantView]:
    clean = draft.validated()
    with db.unit_of_work() as session:
        load_cohort(session, cohort_id)
        _check_email_free(session, cohort_id, clean.email)
        participant = Participant(cohort_id=cohort_id)
        _apply(participant, clean)
        session.add(participant)
        session.flush()
        return Outcome.of(ParticipantView.of(participant), Topic.PARTICIPANTS)


def update_participant(
    db: Database, participant_id: int, draft: ParticipantDraft
) -> Outcome[ParticipantView]:
    clean = draft.validated()
    with db.unit_of_work() as session:
        participant = _load(session, participant_id)
        _check_email_free(session, participant.cohort_id, clean.email, except_id=participant.id)
        _apply(participant, clean)
        session.flush()
        return Outcome.of(ParticipantView.of(participant), Topic.PARTICIPANTS)


def remove_participant(db: Database, participant_id: int) -> Outcome[int]:
    with db.unit_of_work() as session:
        session.delete(_load(session, participant_id))
        return Outcome.of(participant_id, Topic.PARTICIPANTS)


def import_participants(
    db: Database, cohort_id: int, drafts: Sequence[ParticipantDraft]
) -> Outcome[list[ParticipantView]]:
    """All or nothing: one bad draft and no one is added."""
    clean = [d.validated() for d in drafts]
    with db.unit_of_work() as session:
        load_cohort(session, cohort_id)
        seen: set[str] = set()
        added = []
        for draft in clean:
            if draft.email:
                if draft.email in seen:
                    raise ValidationError.single("Email", f"{draft.email} appears twice")
                seen.add(draft.email)
                _check_email_free(session, cohort_id, draft.email)
            participant = Participant(cohort_id=cohort_id)
            _apply(participant, draft)
            session.add(participant)
            added.append(participant)
        session.flush()
        return Outcome.of([ParticipantView.of(p) for p in added], Topic.PARTICIPANTS)


def read_roster_file(path: Path) -> bytes:
    """The bytes of a roster CSV the user chose, for ``read_roster_csv``.

    Only an ordinary file is read, and at most 5 MB of it: a device or a pipe is refused
    in plain words (field "CSV file") rather than read without end or waited on.
    """
    return read_limited(path, MAX_BYTES, FILE_FIELD, f"is larger than {MAX_BYTES // 2**20} MB")
