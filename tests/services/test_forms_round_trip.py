"""The converse of issue 12: whatever the app's own forms accept exports to an archive
that imports again and passes ``check``. Values at the edges of every form, then a round
trip into another data folder."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sanctuary_desktop.domain import limits, rules
from sanctuary_desktop.domain.agenda import AgendaItem
from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.notes import NoteKind as DomainNoteKind
from sanctuary_desktop.services import calls, cohorts, integrity, records, roster
from sanctuary_desktop.services.archive import export_archive, import_archive
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

PACKAGE = Path(__file__).resolve().parents[2] / "sanctuary_desktop"


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    folder = DataFolder(tmp_path / "other").prepare()
    database = Database(folder.sqlite_url, backups_dir=folder.backups)
    database.migrate()
    yield database
    database.dispose()


def edge_cohort(db: Database) -> tuple[int, int]:
    """A cohort typed at every form's edge; returns (cohort, call)."""
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Circle\nof " + "ō" * (limits.MAX_NAME - 10),
            home_tz="Pacific/Kiritimati",
            start_date=limits.EARLIEST_DATE,
            end_date=limits.LATEST_DATE,
            focus="Many\nlines\tare fine here",
            call_minutes=limits.MAX_CALL_MINUTES,
        ),
    ).value.id
    for n, when in enumerate((limits.EARLIEST_DATE, limits.LATEST_DATE)):
        roster.add_participant(
            db,
            cohort,
            ParticipantDraft(
                name=f"Aroha\r\nNgātai {n}",
                time_zone="Pacific/Chatham",
                email=f"aroha{n}@example.nz",
                organisation="Line one\nLine two" + "x" * (limits.MAX_ORGANISATION - 30),
                status=IntakeStatus.ACCEPTED,
                interview_date=when,
                years_in_practice=limits.MAX_YEARS_IN_PRACTICE,
            ),
        )
    calls.add_call(db, cohort, limits.EARLIEST_INSTANT, 60, title="First\nof all")
    last = calls.add_call(
        db, cohort, limits.LATEST_INSTANT - timedelta(minutes=limits.MAX_CALL_MINUTES), 1440
    ).value.id
    records.add_note(
        db,
        last,
        "A note\nover lines",
        kind=NoteKind.QUOTE,
        stage=AgendaItem(
            name="Clarifying\nquestions " + "q" * limits.MAX_NAME, minutes=5, round=2
        ).label,
        tags=["climate\njustice", " Whenua\t"],
        created_at=datetime(2199, 12, 30, tzinfo=UTC),
    )
    return cohort, last


def test_what_the_forms_take_at_their_edges_travels_and_passes_check(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    edge_cohort(db)
    assert integrity.check(db).ok, integrity.check(db).problems
    path = tmp_path / "edges.sanctuary"
    export_archive(db, path)
    imported = import_archive(other_db, path).value
    assert len(imported.imported) == 1
    assert integrity.check(other_db).ok, integrity.check(other_db).problems
    (note,) = records.list_notes(other_db, calls.list_cohort_calls(other_db, 1)[-1].id)
    assert note.stage.startswith("Round 2: Clarifying questions")
    assert len(note.stage) == limits.MAX_NAME
    assert note.tags == ("climate justice", "whenua")


def test_a_stage_label_is_kept_to_one_line_and_the_columns_size(db: Database) -> None:
    _, call = edge_cohort(db)
    note = records.add_note(db, call, "x", stage="Round 2:\n\x00Closing").value
    assert note.stage == "Round 2: Closing"
    short = records.add_note(db, call, "x", stage="  Opening  ").value
    assert short.stage == "Opening"


@pytest.mark.parametrize("tag", ["bad\x00tag", "esc\x1b"])
def test_a_theme_with_a_control_character_is_refused(db: Database, tag: str) -> None:
    _, call = edge_cohort(db)
    before = records.list_notes(db, call)
    with pytest.raises(ValidationError) as caught:
        records.add_note(db, call, "x", tags=[tag])
    assert caught.value.for_field("Themes")
    assert records.list_notes(db, call) == before


def test_note_kinds_have_one_definition() -> None:
    assert NoteKind is DomainNoteKind
    assert {kind.value for kind in NoteKind} == rules.NOTE_KINDS
    for path in PACKAGE.rglob("*.py"):
        if path.name == "notes.py" and path.parent.name == "domain":
            continue
        if path.parts[-2:] == ("export", "session_notes.py"):
            continue  # the PDF's own view of a note (export may not import services)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.ClassDef) and node.name == "NoteKind"), path
            if isinstance(node, ast.Set):
                values = {getattr(e, "value", None) for e in node.elts}
                assert values != rules.NOTE_KINDS, f"{path} spells out the note kinds"


def test_limits_module_dates_match_the_rules() -> None:
    assert rules.in_range(limits.EARLIEST_DATE) and rules.in_range(limits.LATEST_DATE)
    assert not rules.in_range(date(limits.LAST_YEAR + 1, 1, 1))
