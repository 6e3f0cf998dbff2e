"""One search over notes, people and cohorts: safe with any input, highlighted, ranked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary_desktop.services import calls, records, search
from sanctuary_desktop.services.demo import SAMPLE_NAME, create_sample
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.services.search import SearchResults, search_all
from sanctuary_desktop.store.database import Database


@pytest.fixture
def sample(db: Database) -> Database:
    create_sample(db, today=date(2026, 11, 23))
    return db


def marked(snippet: str, marks: tuple[tuple[int, int], ...]) -> list[str]:
    return [snippet[start:end] for start, end in marks]


def first_call_id(db: Database) -> int:
    [cohort] = calls.list_calls_between(
        db, datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    )[:1]
    return cohort.id


def test_blank_text_finds_nothing(sample: Database) -> None:
    for blank in ("", "   ", "\n\t", "\u2003"):
        results = search_all(sample, blank)
        assert results.is_empty and results.notes_total == 0


def test_a_word_finds_notes_with_it_in_their_words_or_themes(sample: Database) -> None:
    results = search_all(sample, "burnout")
    assert results.notes, "the sample has notes themed burnout"
    assert {hit.cohort_name for hit in results.notes} == {SAMPLE_NAME}
    for hit in results.notes:
        assert "burnout" in hit.matched_tags or "burnout" in hit.snippet.lower()
        assert hit.call_label.startswith("Call ")
        assert hit.stage
    assert results.notes_total == len(results.notes)


def test_the_last_word_is_a_prefix(sample: Database) -> None:
    assert {h.note_id for h in search_all(sample, "burn").notes} == {
        h.note_id for h in search_all(sample, "burnout").notes
    }
    [hit, *_] = search_all(sample, "wildf").notes
    assert marked(hit.snippet, hit.marks) == ["wildfire"]
    assert not search_all(sample, "wildf season").notes, "earlier words must match whole"


def test_every_word_must_match_and_is_marked(sample: Database) -> None:
    hits = search_all(sample, "generational grant").notes
    assert hits
    for hit in hits:
        assert marked(hit.snippet, hit.marks) == ["grant", "generational"]
    assert not search_all(sample, "generational wildfire").notes


def test_accents_and_case_are_ignored(db: Database) -> None:
    create_sample(db, today=date(2026, 11, 23))
    call_id = first_call_id(db)
    records.add_note(db, call_id, "The WHĀNAU gathered; Côté spoke first.", kind=NoteKind.INSIGHT)
    [hit] = search_all(db, "whanau cote").notes
    assert marked(hit.snippet, hit.marks) == ["WHĀNAU", "Côté"]
    assert hit.kind is NoteKind.INSIGHT
    assert [h.note_id for h in search_all(db, "Whānau").notes] == [hit.note_id]


def test_actions_carry_their_owner(sample: Database) -> None:
    hits = search_all(sample, "learning agenda").notes
    assert hits and all(h.kind is NoteKind.ACTION for h in hits)
    assert all(h.owner_name for h in hits)


def test_a_long_note_shows_a_snippet_around_the_match(db: Database) -> None:
    create_sample(db, today=date(2026, 11, 23))
    words = "calm river stone " * 60
    records.add_note(db, first_call_id(db), words + "the kelp forest returned. " + words)
    [hit] = search_all(db, "kelp").notes
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) <= search.SNIPPET_LENGTH + 2
    assert marked(hit.snippet, hit.marks) == ["kelp"]
    assert "\n" not in hit.snippet


def test_best_match_first_then_newest(db: Database) -> None:
    create_sample(db, today=date(2026, 11, 23))
    call_id = first_call_id(db)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    same = [
        records.add_note(db, call_id, "Tidepool talk.", created_at=start + timedelta(days=n))
        for n in range(3)
    ]
    strong = records.add_note(
        db, call_id, "Tidepool tidepool tidepool.", created_at=start - timedelta(days=30)
    )
    ids = [h.note_id for h in search_all(db, "tidepool").notes]
    assert ids[0] == strong.value.id, "more of the word ranks higher (bm25)"
    assert ids[1:] == [o.value.id for o in reversed(same)], "equal matches: newest first"


def test_the_limit_holds_and_the_total_counts_them_all(db: Database) -> None:
    create_sample(db, today=date(2026, 11, 23))
    call_id = first_call_id(db)
    for n in range(12):
        records.add_note(db, call_id, f"Seagrass meadow {n}")
    results = search_all(db, "seagrass", limit=5)
    assert len(results.notes) == 5 and results.notes_total == 12
    assert search_all(db, "seagrass", limit=0).is_empty


@pytest.mark.parametrize("rank_at_most", [10_000, 5])
def test_pages_of_notes_follow_the_first_page_to_the_last(
    db: Database, monkeypatch: pytest.MonkeyPatch, rank_at_most: int
) -> None:
    """Loading as the list is scrolled: every match once, in the first page's order."""
    monkeypatch.setattr(search, "RANK_AT_MOST", rank_at_most)
    create_sample(db, today=date(2026, 11, 23))
    call_id = first_call_id(db)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(23):
        words = "Kelp forest " + "kelp " * (n % 4)
        records.add_note(db, call_id, words, created_at=start + timedelta(hours=n))
    first = search_all(db, "kelp", limit=10)
    assert first.notes_total == 23 and len(first.notes) == 10
    assert first.notes_ranked == (rank_at_most >= 23)
    pages = [first.notes]
    while sum(len(page) for page in pages) < first.notes_total:
        offset = sum(len(page) for page in pages)
        pages.append(
            search.more_notes(db, "kelp", offset=offset, ranked=first.notes_ranked, limit=10)
        )
    ids = [hit.note_id for page in pages for hit in page]
    assert [len(page) for page in pages] == [10, 10, 3]
    assert len(set(ids)) == 23
    everything = search_all(db, "kelp", limit=100)
    assert ids == [hit.note_id for hit in everything.notes]
    assert search.more_notes(db, "kelp", offset=23, ranked=first.notes_ranked) == ()
    assert search.more_notes(db, "   ", offset=0, ranked=True) == ()


def test_index_follows_changes_and_deletes(db: Database) -> None:
    create_sample(db, today=date(2026, 11, 23))
    note = records.add_note(db, first_call_id(db), "Mangrove roots hold the shore").value
    assert [h.note_id for h in search_all(db, "mangrove").notes] == [note.id]
    records.update_note(db, note.id, "Saltmarsh edges", kind=NoteKind.NOTE)
    assert not search_all(db, "mangrove").notes
    assert [h.note_id for h in search_all(db, "saltmarsh").notes] == [note.id]
    records.delete_note(db, note.id)
    assert not search_all(db, "saltmarsh").notes


def test_people_by_name_organisation_or_email_ignoring_accents(sample: Database) -> None:
    [chloe] = search_all(sample, "chloe nguyen").participants
    assert chloe.name == "Chloé Nguyễn" and chloe.cohort_name == SAMPLE_NAME
    assert marked(chloe.name, chloe.name_marks) == ["Chloé", "Nguyễn"]
    [by_org] = search_all(sample, "coast carbon").participants
    assert by_org.name == "Zoë Fraser"
    assert marked(by_org.organisation, by_org.organisation_marks) == ["Coast", "Carbon"]
    [by_mail] = search_all(sample, "@awaora").participants
    assert marked(by_mail.email, by_mail.email_marks) == ["@awaora"]
    [hana] = search_all(sample, "佐藤").participants
    assert hana.name == "Hana Sato 佐藤花"


def test_cohorts_by_name_focus_or_facilitators(sample: Database) -> None:
    [by_name] = search_all(sample, "commons").cohorts
    assert marked(by_name.name, by_name.name_marks) == ["Commons"]
    [by_focus] = search_all(sample, "stewardship").cohorts
    assert marked(by_focus.focus, by_focus.focus_marks) == ["stewardship"]
    [by_facilitator] = search_all(sample, "lea tremblay").cohorts
    assert marked(by_facilitator.facilitators, by_facilitator.facilitators_marks) == [
        "Léa",
        "Tremblay",
    ]


HOSTILE = [
    '"',
    '""',
    '"burnout',
    "burnout*",
    "*",
    "NEAR(burnout season)",
    "burnout OR season",
    "burnout AND",
    "NOT burnout",
    "(burnout",
    "text:burnout",
    "^burnout",
    "{text tags}: burnout",
    "burn-out",
    "\x00burnout",
    "\ud800burnout",
    "🔥",
    "\u0301",
    "a" * 5000,
    " ".join(["word"] * 500),
]


def test_fts_syntax_in_the_box_is_only_words(sample: Database) -> None:
    for hostile in HOSTILE:
        results = search_all(sample, hostile)
        assert isinstance(results, SearchResults)
        assert results.query == hostile


def test_operators_are_searched_as_words(sample: Database) -> None:
    assert search_all(sample, "burnout*").notes == search_all(sample, "burnout").notes
    assert search_all(sample, '"burnout"').notes == search_all(sample, "burnout").notes
    assert not search_all(sample, "burnout OR wildfire").notes, "OR is a word, not an operator"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(
        alphabet=st.one_of(st.sampled_from(list("\"*():^-+{}., NEARORANDNOT\\'")), st.characters()),
        max_size=40,
    )
)
def test_any_text_returns_results_or_none(sample: Database, text: str) -> None:
    results = search_all(sample, text)
    for hit in results.notes:
        for start, end in hit.marks:
            assert 0 <= start < end <= len(hit.snippet)
    for person in results.participants:
        for start, end in person.name_marks:
            assert 0 <= start < end <= len(person.name)


def test_fts_query_quotes_every_word() -> None:
    assert search.fts_query(search.fts_words('say "hi" NEAR(x*')) == (
        '"say" AND "hi" AND "NEAR" AND "x"'
    )
    assert search.fts_query(search.fts_words("burn")) == '"burn"*'
    assert search.fts_query([]) == ""


def test_without_fts5_notes_are_found_with_ilike(sample: Database) -> None:
    """The PostgreSQL path, run here on SQLite: every word anywhere, newest first."""
    fts_ids = {h.note_id for h in search_all(sample, "burnout").notes}
    with sample.reading() as session:
        ids, total = search._like_note_ids(session, ["burn"], 50, 0)
        percent, _ = search._like_note_ids(session, ["100%"], 50, 0)
        first, first_total = search._like_note_ids(session, ["burn"], 1, 0)
        rest, rest_total = search._like_note_ids(session, ["burn"], 50, 1)
    assert set(ids) == fts_ids and total == len(fts_ids)
    assert percent == [], "% is a character, not a wildcard"
    assert first + rest == ids and first_total == rest_total == total
