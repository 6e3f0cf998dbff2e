from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctuary_desktop.domain.agenda import retime_item
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.services import agendas, calls, cohorts, demo, protocol_library
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import PresenterSlot


def test_builtins_are_listed_read_only_and_duplicable(db: Database) -> None:
    keys = [p.key for p in protocol_library.list_protocols(db)]
    assert keys[0] == DEFAULT_PROTOCOL_KEY and "case-clinic" in keys and "troika" in keys
    builtin = protocol_library.get_protocol(db, DEFAULT_PROTOCOL_KEY)
    with pytest.raises(ValidationError):
        protocol_library.save_protocol(db, builtin)
    with pytest.raises(ValidationError):
        protocol_library.delete_protocol(db, DEFAULT_PROTOCOL_KEY)
    copy = protocol_library.duplicate_protocol(db, DEFAULT_PROTOCOL_KEY, "Peer input, Māori").value
    assert not copy.built_in and copy.key == "peer-input-m-ori"
    assert copy.stages == builtin.stages
    again = protocol_library.duplicate_protocol(db, DEFAULT_PROTOCOL_KEY, "Peer input, Māori")
    assert again.value.key == "peer-input-m-ori-2"
    protocol_library.delete_protocol(db, again.value.key)
    assert [p.key for p in protocol_library.list_protocols(db)].count("peer-input-m-ori") == 1


def test_export_then_import_gives_a_second_copy(db: Database, tmp_path: Path) -> None:
    copy = protocol_library.duplicate_protocol(db, "case-clinic", "Our clinic").value
    target = protocol_library.export_protocol(db, copy.key, tmp_path / "clinic.json")
    imported = protocol_library.import_protocol(db, target.read_bytes()).value
    assert imported.key != copy.key and imported.stages == copy.stages
    before = protocol_library.list_protocols(db)
    with pytest.raises(ValidationError) as caught:
        protocol_library.import_protocol(db, b"name,minutes\nnot,json\n")
    assert caught.value.for_field("Protocol file")
    assert protocol_library.list_protocols(db) == before


def test_agenda_defaults_then_is_edited_for_one_call_only(db: Database) -> None:
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    first, second = calls.list_cohort_calls(db, cohort.id)[:2]
    view = agendas.get_agenda(db, second.id)
    assert view.timing.total_minutes == 90 and view.timing.fits
    edited = retime_item(view.items, 0, 20)
    saved = agendas.save_agenda(db, second.id, view.protocol_key, edited).value
    assert saved.saved and saved.timing.over_by == 15
    assert "15 minutes over" in saved.timing.warning()
    assert agendas.get_agenda(db, first.id).timing.total_minutes == 90
    assert protocol_library.get_protocol(db, DEFAULT_PROTOCOL_KEY).total_minutes() == 90


def test_presenters_come_from_their_slots(db: Database) -> None:
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    call = calls.list_cohort_calls(db, cohort.id)[5]
    with db.unit_of_work() as session:
        session.query(PresenterSlot).filter_by(call_id=call.id).delete()
    view = agendas.apply_protocol(db, call.id, "troika").value
    assert view.rounds == 3 and {i.presenter for i in view.items} == {None}
    assert agendas.rounds_per_call(db, cohort.id)[call.id] == 3


def test_an_agenda_from_an_own_protocol_reads_inside_one_session(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second session opened inside the first would wait for its lock and fail."""
    from sanctuary_desktop.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    call_id = cohorts.get_plan(db, cohort.id).calls[-1].id
    own = protocol_library.duplicate_protocol(db, DEFAULT_PROTOCOL_KEY, "Our circle").value
    applied = agendas.apply_protocol(db, call_id, own.key).value
    assert applied.protocol_name == "Our circle"
    assert agendas.get_agenda(db, call_id).protocol_name == "Our circle"
