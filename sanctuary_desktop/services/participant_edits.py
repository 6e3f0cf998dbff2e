"""Saving an edited participant against the version the dialog read.

Participants have no update time, so the version is the record itself: the dialog hands
back the `ParticipantView` it was opened with, and the save is refused (`ChangedSince`)
when the stored participant no longer matches it. All services run on the one database
thread, so nothing can change between the check and the write.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sanctuary_desktop.domain.cohort import ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.services import roster
from sanctuary_desktop.services.views import Outcome, ParticipantView, check_unchanged
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Participant


def _current(session: Session, participant_id: int) -> ParticipantView:
    row = session.get(Participant, participant_id)
    if row is None:
        raise ValidationError.single("Participant", "was removed since you opened this window")
    return ParticipantView.of(row)


def get_participant(db: Database, participant_id: int) -> ParticipantView:
    with db.reading() as session:
        return _current(session, participant_id)


def update_participant_as_read(
    db: Database, participant_id: int, draft: ParticipantDraft, read: ParticipantView
) -> Outcome[ParticipantView]:
    """`roster.update_participant`, refused if the participant changed after `read`."""
    draft.validated()  # bad input is named first, as without a version
    with db.reading() as session:
        check_unchanged("Participant", _current(session, participant_id), read)
    return roster.update_participant(db, participant_id, draft)
