"""A call's agenda: chosen protocol, expanded rounds, edits for this call only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctuary_desktop.domain.agenda import (
    AgendaItem,
    AgendaTiming,
    agenda_from_json,
    agenda_to_json,
    assign_presenters,
    build_agenda,
    presenter_slots,
    time_agenda,
    validate_agenda,
)
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.services import protocol_library
from sanctuary_desktop.services.cohorts import load_call
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Call, CallAgenda, PresenterSlot


@dataclass(frozen=True)
class AgendaView:
    call_id: int
    protocol_key: str
    protocol_name: str
    items: tuple[AgendaItem, ...]
    timing: AgendaTiming
    saved: bool  # False: the default protocol, not yet chosen for this call

    @property
    def rounds(self) -> int:
        return presenter_slots(self.items)


def _presenters(session: Session, call_id: int, rounds: int) -> list[int | None]:
    chosen = {
        slot.slot: slot.participant_id
        for slot in session.scalars(select(PresenterSlot).where(PresenterSlot.call_id == call_id))
    }
    return [chosen.get(n) for n in range(1, rounds + 1)]


def _view(db: Database, session: Session, call: Call, row: CallAgenda | None) -> AgendaView:
    """The stored agenda (or the default protocol's), with presenters from their slots:
    the slots are the one record of who presents."""
    if row is None:
        protocol = protocol_library.protocol_in(session, DEFAULT_PROTOCOL_KEY)
        items, key, saved = build_agenda(protocol), protocol.key, False
    else:
        items, key, saved = agenda_from_json(row.items), row.protocol_key, True
    items = assign_presenters(items, _presenters(session, call.id, presenter_slots(items)))
    try:
        name = protocol_library.protocol_in(session, key).name
    except ValidationError:
        name = "a protocol no longer in the library"
    return AgendaView(
        call_id=call.id,
        protocol_key=key,
        protocol_name=name,
        items=items,
        timing=time_agenda(items, call.starts_at, call.minutes),
        saved=saved,
    )


def get_agenda(db: Database, call_id: int) -> AgendaView:
    with db.reading() as session:
        call = load_call(session, call_id)
        return _view(db, session, call, session.get(CallAgenda, call_id))


def apply_protocol(
    db: Database, call_id: int, protocol_key: str, rounds: int | None = None
) -> Outcome[AgendaView]:
    """Build the call's agenda from a protocol; presenters already chosen keep their rounds."""
    protocol = protocol_library.get_protocol(db, protocol_key)
    count = protocol.presenters if rounds is None else rounds
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        items = build_agenda(protocol, [None] * count if protocol.has_rounds else None)
        row = session.get(CallAgenda, call_id) or CallAgenda(call_id=call_id)
        row.protocol_key = protocol.key
        row.items = agenda_to_json(items)
        session.add(row)
        session.flush()
        return Outcome.of(_view(db, session, call, row), Topic.AGENDAS)


def save_agenda(
    db: Database, call_id: int, protocol_key: str, items: Sequence[AgendaItem]
) -> Outcome[AgendaView]:
    """Store this call's own edits (inserted, removed, moved or re-timed stages)."""
    clean = validate_agenda(items)
    with db.unit_of_work() as session:
        call = load_call(session, call_id)
        row = session.get(CallAgenda, call_id) or CallAgenda(call_id=call_id)
        row.protocol_key = protocol_key
        row.items = agenda_to_json(clean)
        session.add(row)
        session.flush()
        return Outcome.of(_view(db, session, call, row), Topic.AGENDAS)


def rounds_per_call(db: Database, cohort_id: int) -> dict[int, int]:
    """How many presenters each call's agenda asks for (the default protocol's if unset)."""
    default = protocol_library.get_protocol(db, DEFAULT_PROTOCOL_KEY).presenters
    with db.reading() as session:
        calls = session.scalars(select(Call.id).where(Call.cohort_id == cohort_id)).all()
        rows = {
            row.call_id: row
            for row in session.scalars(select(CallAgenda).where(CallAgenda.call_id.in_(calls)))
        }
        return {
            call_id: presenter_slots(agenda_from_json(rows[call_id].items))
            if call_id in rows
            else default
            for call_id in calls
        }
