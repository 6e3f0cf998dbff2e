"""One search over everything a facilitator writes down: notes (insights, quotes and
actions included), participants and cohorts.

Notes are found through the FTS5 index kept by the store (schema 0004), ranked by bm25.
The user's words never reach FTS5 as syntax: each word goes in as a quoted string, the
last one as a prefix, so quotes, NEAR, stars and brackets are only ever words. People and
cohorts are few enough to match in Python, ignoring case and accents.

Matched words come back as (start, end) offsets into the text shown, so the UI can
highlight them without parsing markup.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.services.views import call_label
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Call, Cohort, Note, Participant

Marks = tuple[tuple[int, int], ...]

MAX_QUERY_CHARS = 500
MAX_WORDS = 16  # more words than anyone types; keeps a pasted page from becoming a huge query
SNIPPET_BEFORE = 60  # characters of context shown before the first matched word
SNIPPET_LENGTH = 220
MAX_SCAN = 20_000  # notes can be long; matches further in are found, just not highlighted
ELLIPSIS = "…"
MIN_PREFIX = 2
# Ranking costs about a microsecond a match; past this many, relevance says little anyway
# and the newest come first (FTS5 walks its rowids backwards and stops at the limit).
RANK_AT_MOST = 10_000

# Runs of word characters in text already folded (no combining marks left).
_FOLDED_WORD = re.compile(r"[^\W_]+")
_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " "})


@dataclass(frozen=True)
class NoteHit:
    note_id: int
    call_id: int
    cohort_id: int
    cohort_name: str
    call_label: str
    kind: NoteKind
    stage: str
    created_at: datetime
    owner_name: str | None
    tags: tuple[str, ...]
    matched_tags: tuple[str, ...]
    snippet: str  # one line of the note around its first matched word
    marks: Marks  # matched words inside `snippet`


@dataclass(frozen=True)
class PersonHit:
    participant_id: int
    cohort_id: int
    cohort_name: str
    name: str
    email: str
    organisation: str
    status: IntakeStatus
    name_marks: Marks
    email_marks: Marks
    organisation_marks: Marks


@dataclass(frozen=True)
class CohortHit:
    cohort_id: int
    name: str
    focus: str
    facilitators: str
    archived: bool
    name_marks: Marks
    focus_marks: Marks
    facilitators_marks: Marks


@dataclass(frozen=True)
class SearchResults:
    query: str
    notes: tuple[NoteHit, ...] = ()
    participants: tuple[PersonHit, ...] = ()
    cohorts: tuple[CohortHit, ...] = ()
    notes_total: int = 0  # every matching note; more pages come from more_notes
    notes_ranked: bool = True  # best match first; False: newest first (very many matches)

    @property
    def is_empty(self) -> bool:
        return not (self.notes or self.participants or self.cohorts)


def search_all(db: Database, text: str, *, limit: int = 50) -> SearchResults:
    """Notes, people and cohorts matching every word typed; nothing for blank text."""
    query = _clean(text)
    if not query.strip() or limit <= 0:
        return SearchResults(query=text)
    words = fts_words(query)
    substrings = fold(query).split()[:MAX_WORDS]
    with db.reading() as session:
        notes, total, ranked = _find_notes(session, db, words, limit) if words else ((), 0, True)
        people = _find_people(session, substrings, limit)
        cohorts = _find_cohorts(session, substrings, limit)
    return SearchResults(
        query=text,
        notes=notes,
        participants=people,
        cohorts=cohorts,
        notes_total=total,
        notes_ranked=ranked,
    )


def more_notes(
    db: Database, text: str, *, offset: int, ranked: bool, limit: int = 50
) -> tuple[NoteHit, ...]:
    """The next page of search_all's notes, in the order its first page used, for a list
    that loads rows as they are scrolled to."""
    words = fts_words(_clean(text))
    if not words or offset < 0 or limit <= 0:
        return ()
    with db.reading() as session:
        notes, _total, _ranked = _find_notes(
            session, db, words, limit, offset=offset, ranked=ranked
        )
    return notes


# -- words ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop what cannot be stored or bound (lone surrogates) and bound the length."""
    return text[:MAX_QUERY_CHARS].encode("utf-8", "ignore").decode("utf-8")


def _is_word_char(char: str) -> bool:
    # FTS5's unicode61 tokenizer: letters, numbers and private-use characters make words;
    # with remove_diacritics, combining marks belong to the word they follow.
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


def fts_words(text: str) -> list[str]:
    """The words FTS5 would see in the text, in order, at most MAX_WORDS."""
    words: list[str] = []
    current: list[str] = []
    for char in _clean(text) + " ":
        if _is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
            if len(words) == MAX_WORDS:
                break
    return words


def fts_query(words: Sequence[str]) -> str:
    """Every word as an FTS5 string (quotes doubled), all required, the last as a prefix.

    A single letter stays a whole word: as a prefix it matches nearly every note."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    if quoted and _is_prefix(words[-1]):
        quoted[-1] += "*"
    return " AND ".join(quoted)


def _is_prefix(word: str) -> bool:
    return len(fold(word)) >= MIN_PREFIX


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=16_384)
def fold(text: str) -> str:
    """Case and accents away: 'Whānau CÔTÉ' -> 'whanau cote'. Cached: the same names and
    organisations are folded on every search."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower() if char.isascii() else _fold_char(char)
        parts.append(folded)
        origins.extend([index] * len(folded))
    return "".join(parts), origins


def substring_marks(text: str, needles: Iterable[str]) -> Marks:
    """Where the folded needles occur in the text, as merged (start, end) offsets."""
    needles = [n for n in needles if n]
    if not text or not needles:
        return ()
    folded, origins = _folded_with_origins(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        at = folded.find(needle)
        while at != -1:
            spans.append((origins[at], origins[at + len(needle) - 1] + 1))
            at = folded.find(needle, at + 1)
    return _merged(spans)


def word_marks(text: str, words: Sequence[str]) -> Marks:
    """Where the query's words occur in the text as whole words, the last also as a prefix."""
    if not words:
        return ()
    exact, prefix = _word_sets(words)
    folded, origins = _folded_with_origins(text)
    spans = [
        (origins[m.start()], origins[m.end() - 1] + 1)
        for m in _FOLDED_WORD.finditer(folded)
        if _word_matches(m.group(), exact, prefix)
    ]
    return _merged(spans)


def _word_sets(words: Sequence[str]) -> tuple[set[str], str | None]:
    """Folded whole words, and the folded prefix the last word is matched as (if any)."""
    exact = {fold(w) for w in words}
    last = fold(words[-1]) if words else ""
    return exact, last if len(last) >= MIN_PREFIX else None


def _word_matches(word: str, exact: set[str], prefix: str | None) -> bool:
    return word in exact or (prefix is not None and word.startswith(prefix))


def _merged(spans: list[tuple[int, int]]) -> Marks:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def snippet_of(text: str, words: Sequence[str]) -> tuple[str, Marks]:
    """One line of the text around its first matched word, and the marks inside it."""
    scanned = text[:MAX_SCAN].translate(_SPACES)
    marks = word_marks(scanned, words)
    first = marks[0][0] if marks else 0
    start = 0 if first <= SNIPPET_BEFORE else _word_start(scanned, first - SNIPPET_BEFORE)
    end = min(len(scanned), start + SNIPPET_LENGTH)
    if end < len(scanned):
        end = _word_end(scanned, end, at_least=marks[0][1] if marks else start + 1)
    piece = scanned[start:end]
    start += len(piece) - len(piece.lstrip(" "))
    body = piece.strip(" ")
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if start + len(body) < len(text) else ""
    shift = len(prefix) - start
    inside = tuple(
        (s + shift, e + shift) for s, e in marks if s >= start and e <= start + len(body)
    )
    return prefix + body + suffix, inside


def _word_start(text: str, at: int) -> int:
    """Move forward to the start of the next word, unless that passes a long stretch."""
    space = text.find(" ", at, at + 20)
    return at if space == -1 else space + 1


def _word_end(text: str, at: int, *, at_least: int) -> int:
    """Move back to the end of a word, so the snippet does not stop mid-word."""
    space = text.rfind(" ", at_least, at)
    return at if space == -1 else space


# -- notes ------------------------------------------------------------------------------

_COUNTED = text("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH :query")
_RANKED = text(
    "SELECT notes.id FROM notes_fts JOIN notes ON notes.id = notes_fts.rowid"
    " WHERE notes_fts MATCH :query"
    " ORDER BY bm25(notes_fts), notes.created_at DESC, notes.id DESC"
    " LIMIT :limit OFFSET :offset"
)
_NEWEST = text(
    "SELECT rowid FROM notes_fts WHERE notes_fts MATCH :query ORDER BY rowid DESC"
    " LIMIT :limit OFFSET :offset"
)


def _find_notes(
    session: Session,
    db: Database,
    words: list[str],
    limit: int,
    *,
    offset: int = 0,
    ranked: bool | None = None,
) -> tuple[tuple[NoteHit, ...], int, bool]:
    """A page of matching notes, how many match in all, and whether they are ranked.
    `ranked` None chooses by the count, as a first page does; later pages pass it on."""
    if db.is_sqlite:
        query = fts_query(words)
        total = 0  # a later page: the first one counted them
        if ranked is None:
            total = session.execute(_COUNTED, {"query": query}).scalar_one()
            if total == 0:
                return (), 0, True
            ranked = total <= RANK_AT_MOST
        ordered = _RANKED if ranked else _NEWEST
        ids = list(session.scalars(ordered, {"query": query, "limit": limit, "offset": offset}))
    else:
        ranked = False
        ids, total = _like_note_ids(session, words, limit, offset)
    if not ids:
        return (), total, ranked
    rows = {
        row.id: row
        for row in session.execute(
            select(
                Note.id,
                Note.call_id,
                Note.kind,
                Note.text,
                Note.stage,
                Note.tags,
                Note.created_at,
                Call.cohort_id,
                Cohort.name.label("cohort_name"),
                Participant.name.label("owner_name"),
            )
            .join(Call, Note.call_id == Call.id)
            .join(Cohort, Call.cohort_id == Cohort.id)
            .outerjoin(Participant, Note.owner_id == Participant.id)
            .where(Note.id.in_(ids))
        )
    }
    labels = _call_labels(session, {row.cohort_id for row in rows.values()})
    exact, prefix = _word_sets(words)
    hits: list[NoteHit] = []
    for note_id in ids:
        row = rows.get(note_id)
        if row is None:  # deleted between the two reads
            continue
        tags = tuple(t for t in row.tags.split(",") if t)
        snippet, marks = snippet_of(row.text, words)
        hits.append(
            NoteHit(
                note_id=row.id,
                call_id=row.call_id,
                cohort_id=row.cohort_id,
                cohort_name=row.cohort_name,
                call_label=labels.get(row.call_id, ""),
                kind=_kind(row.kind),
                stage=row.stage,
                created_at=row.created_at,
                owner_name=row.owner_name,
                tags=tags,
                matched_tags=tuple(
                    t
                    for t in tags
                    if any(_word_matches(w, exact, prefix) for w in _FOLDED_WORD.findall(fold(t)))
                ),
                snippet=snippet,
                marks=marks,
            )
        )
    return tuple(hits), max(total, offset + len(hits)), ranked


def _kind(value: str) -> NoteKind:
    try:
        return NoteKind(value)
    except ValueError:
        return NoteKind.NOTE


def _like_note_ids(
    session: Session, words: list[str], limit: int, offset: int
) -> tuple[list[int], int]:
    """Without FTS5 (PostgreSQL): every word somewhere in the text or themes, newest first."""
    conditions = [
        or_(Note.text.ilike(pattern, escape="\\"), Note.tags.ilike(pattern, escape="\\"))
        for pattern in (f"%{_escape_like(w)}%" for w in words)
    ]
    matching = select(Note.id).where(and_(*conditions))
    newest_first = matching.order_by(Note.created_at.desc(), Note.id.desc())
    ids = list(session.scalars(newest_first.offset(offset).limit(limit)))
    total = offset + len(ids)
    if len(ids) == limit or offset:
        total = session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
    return ids, total


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _call_labels(session: Session, cohort_ids: set[int]) -> dict[int, str]:
    """Each call's label, numbered in SQL for every call of the cohorts at once."""
    held = case((Call.cancelled, 0), else_=1)
    rows = session.execute(
        select(
            Call.id,
            Call.title,
            Call.cancelled,
            func.sum(held)
            .over(partition_by=Call.cohort_id, order_by=(Call.starts_at, Call.id))
            .label("number"),
            func.sum(held).over(partition_by=Call.cohort_id).label("total"),
        ).where(Call.cohort_id.in_(cohort_ids))
    )
    return {row.id: call_label(row.title, row.cancelled, row.number, row.total) for row in rows}


# -- people and cohorts -----------------------------------------------------------------


def _all_found(fields: Iterable[str], words: Sequence[str]) -> bool:
    haystack = "\n".join(fold(f) for f in fields)
    return all(word in haystack for word in words)


def _find_people(session: Session, words: list[str], limit: int) -> tuple[PersonHit, ...]:
    if not words:
        return ()
    rows = session.execute(
        select(
            Participant.id,
            Participant.cohort_id,
            Participant.name,
            Participant.email,
            Participant.organisation,
            Participant.status,
            Cohort.name.label("cohort_name"),
        ).join(Cohort, Participant.cohort_id == Cohort.id)
    )
    found = [r for r in rows if _all_found((r.name, r.email or "", r.organisation), words)]
    # People whose name matches come before those found by their organisation or address.
    found.sort(key=lambda r: (not _all_found((r.name,), words), fold(r.name), r.id))
    return tuple(
        PersonHit(
            participant_id=r.id,
            cohort_id=r.cohort_id,
            cohort_name=r.cohort_name,
            name=r.name,
            email=r.email or "",
            organisation=r.organisation,
            status=_status(r.status),
            name_marks=substring_marks(r.name, words),
            email_marks=substring_marks(r.email or "", words),
            organisation_marks=substring_marks(r.organisation, words),
        )
        for r in found[:limit]
    )


def _status(value: str) -> IntakeStatus:
    try:
        return IntakeStatus(value)
    except ValueError:
        return IntakeStatus.APPLIED


def _find_cohorts(session: Session, words: list[str], limit: int) -> tuple[CohortHit, ...]:
    if not words:
        return ()
    rows = session.execute(
        select(Cohort.id, Cohort.name, Cohort.focus, Cohort.facilitators, Cohort.archived)
    )
    found = [r for r in rows if _all_found((r.name, r.focus, r.facilitators), words)]
    # Current cohorts first, then by name.
    found.sort(key=lambda r: (r.archived, fold(r.name), r.id))
    return tuple(
        CohortHit(
            cohort_id=r.id,
            name=r.name,
            focus=r.focus,
            facilitators=r.facilitators,
            archived=r.archived,
            name_marks=substring_marks(r.name, words),
            focus_marks=substring_marks(r.focus, words),
            facilitators_marks=substring_marks(r.facilitators, words),
        )
        for r in found[:limit]
    )
