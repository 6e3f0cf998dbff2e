"""A protocol with its own roles is stored, planned, archived, moved and checked (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sanctuary_desktop.domain.protocols import FILE_FORMAT, Role
from sanctuary_desktop.services import agendas, cohorts, demo, integrity, protocol_library
from sanctuary_desktop.services.archive import export_archive, import_archive
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

CLINIC = {
    "format": FILE_FORMAT,
    "version": 2,
    "protocol": {
        "key": "our-clinic",
        "name": "Our clinic",
        "source": "Presencing Institute, adapted",
        "roles": ["case giver", "coach"],
        "stages": [
            {
                "name": "Mirroring",
                "minutes": 15,
                "cues": {"coach": "Offer an image", "case giver": "Listen"},
            }
        ],
    },
}


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    folder = DataFolder(tmp_path / "other").prepare()
    database = Database(folder.sqlite_url, backups_dir=folder.backups)
    database.migrate()
    yield database
    database.dispose()


def test_roles_survive_storage_agendas_archives_and_check(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    protocol = protocol_library.import_protocol(db, json.dumps(CLINIC).encode()).value
    assert protocol.roles == (Role("case giver"), Role("coach"))
    assert protocol_library.get_protocol(db, protocol.key) == protocol
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    call = cohorts.get_plan(db, cohort.id).calls[-1]
    agenda = agendas.apply_protocol(db, call.id, protocol.key).value
    assert agenda.items[0].cues == {Role("coach"): "Offer an image", Role("case giver"): "Listen"}
    assert integrity.check(db).ok

    path = tmp_path / "moving.sanctuary"
    export_archive(db, path)
    import_archive(other_db, path)
    assert protocol_library.get_protocol(other_db, protocol.key) == protocol
    [there] = cohorts.list_cohorts(other_db)
    moved = cohorts.get_plan(other_db, there.id).calls[-1]
    assert agendas.get_agenda(other_db, moved.id).items[0].cues == agenda.items[0].cues
    report = integrity.check(other_db)
    assert report.ok, report.problems


def test_the_printed_card_shows_every_role_and_the_source(db: Database) -> None:
    import io

    import pypdf

    from sanctuary_desktop.services import handouts

    protocol = protocol_library.import_protocol(db, json.dumps(CLINIC).encode()).value
    cohort = demo.create_sample(db, today=date(2026, 11, 23))
    upcoming = [
        c for c in cohorts.get_plan(db, cohort.id).calls if c.starts_at.date() > date(2026, 11, 23)
    ]
    agendas.apply_protocol(db, upcoming[0].id, protocol.key)
    data = handouts.protocol_card_data(db, cohort.id, now=upcoming[0].starts_at)
    assert "Coach" in data.roles and data.source == "Presencing Institute, adapted"
    pdf = handouts.handout_pdf(db, cohort.id, handouts.Handout.PROTOCOL, now=upcoming[0].starts_at)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Offer an image" in text and "Presencing Institute, adapted" in text
