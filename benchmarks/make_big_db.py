"""A big database for the scale benchmarks: years of cohorts, built fast with the real schema.

    python benchmarks/make_big_db.py --out big.db [--cohorts 200] [--calls 6000]
        [--participants 2000] [--notes 100000] [--seed 1]

The schema comes from the app's own migrations (`Database(url).migrate()`); the rows go in
with SQLAlchemy Core executemany, a few transactions in all, so the store's column types
(UTC instants, wall times) and any triggers it defines apply as they would in the app.

What it holds: cohorts from 2014 to 2027 with homes from Vancouver to Auckland (the
oldest third archived), people with accents and macrons in their names, a call every two
weeks per cohort, attendance for the calls that have happened, notes of every kind with
themes and several sentences each (a vocabulary of place names sized so that one, such as
SEARCH_WORD "Rangitoto", is found in a few hundred notes), and agendas on every third call.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from sanctuary_desktop.domain.agenda import agenda_to_json, build_agenda
from sanctuary_desktop.domain.protocols import builtin_protocols
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import Attendance, Call, CallAgenda, Cohort, Note, Participant

# A word every benchmark can search for: one of PLACE_NAMES, so it is in a few hundred notes.
SEARCH_WORD = "Rangitoto"

ZONES = (
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Toronto",
    "America/Halifax",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Addis_Ababa",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Melbourne",
    "Pacific/Auckland",
)
FIRST_NAMES = (
    "Aroha", "Mere", "Tāne", "Hēmi", "Chloé", "Zoë", "Amélie", "Siobhán", "Tewodros",
    "Jordan", "Björn", "Ngozi", "Paulo", "Inés", "José", "Mãe", "Łukasz", "Søren", "Anaïs",
    "Noémie", "Kōrero", "Whetū", "Rangi", "Māia", "François", "Renée", "Dvořák", "Zoltán",
    "Ayşe", "Çağla", "Niamh", "Eóin", "Sigrún", "Þóra", "Ümit", "Maya", "Léa", "Priya",
    "Ana", "Tomás", "Wiremu", "Kirra", "Jarrah", "Lowanna", "Kiah", "Aiyana", "Takoda",
)  # fmt: skip
LAST_NAMES = (
    "Ngātai", "Tūhoe-Walker", "Nguyễn", "Fraser", "Côté", "O'Connell", "Bekele",
    "Whitehorse", "Løvås", "Adébáyọ̀", "Tāufa", "Muñoz", "Tremblay", "Okafor", "Pōtae",
    "Te Whare", "Kūpapa", "Müller", "Šimková", "Gonçalves", "Ørsted", "Ó Briain",
    "Jóhannsdóttir", "Żeleński", "Ramírez", "Bélanger", "Wēti", "Hāpai", "Ōtaki",
    "Campbell", "Singh", "Tan", "Lim", "Walker", "Jackson", "Nakamura", "Kahananui",
)  # fmt: skip
PLACES = (
    "Salish Shore", "Coast Carbon", "Great Lakes Water", "Fleuve Vivant", "Common Ground",
    "Highland Seeds", "Yarra Flows", "Awa Ora", "Waikato River", "Murray–Darling",
    "Fraser Valley", "Tasman Bay", "Hauraki Gulf", "Cape York", "Kootenay", "Rift Valley",
)  # fmt: skip
KINDS_OF_BODY = ("Land Trust", "Collective", "Circle", "Alliance", "Catchment Trust", "Network")
COHORT_THEMES = (
    "Tending the Commons", "Rivers to Sea", "Roots and Canopy", "Stewards of the Coast",
    "Rewilding Leaders", "Tide and Shore", "Kaitiaki Circle", "Living Soils",
    "Cities in Bloom", "Fire and Renewal",
)  # fmt: skip
CIRCLE_KINDS = ("peer circle", "leaders' circle", "learning cohort", "fellowship", "intake")
THEMES = (
    "funding", "burnout", "time horizons", "relationships", "power", "governance",
    "land back", "data and evidence", "succession", "storytelling", "policy windows", "rest",
    "partnerships", "measurement", "whānau", "kaitiakitanga", "grief", "joy",
)  # fmt: skip
STAGES = (
    "Check-in round",
    "Round 1: Generative discussion",
    "Round 1: What resonated",
    "Round 2: Generative discussion",
    "Round 2: What resonated",
    "Buddies and next steps",
    "Closing round",
)
OPENINGS = (
    "We kept coming back to the {n}",
    "Trust built slowly around the {n}",
    "Funders want outcomes on the {n} within a grant cycle",
    "The board asked what changes if the {n} fails",
    "Nobody had named the {n} out loud before today",
    "Someone said the {n} is where the real work happens",
    "Three of us are stuck on the same {n}",
    "Write to the council about the {n} before the next call",
    "Share the draft on the {n} with the elders",
    "The {n} looked different from Auckland than from Toronto",
    "Slow is smooth around the {n}, smooth is fast",
    "“I don't have to hold the {n} on my own shoulders”",
    "Ask the buddy pair how the {n} went",
    "There is grief in letting the {n} go",
)  # fmt: skip
ENDINGS = (
    ".", ", and that felt like relief.", " — more next time.", ", said with a laugh.",
    "; the room went quiet.", ", which surprised everyone.", " after a long pause.",
)  # fmt: skip
NOUN_ROOTS = (
    "watershed", "estuary", "wetland", "catchment", "aquifer", "floodplain", "riverbank",
    "seedbank", "nursery", "orchard", "canopy", "understory", "hedgerow", "meadow",
    "kelp forest", "reef", "dune", "saltmarsh", "tussock", "peatland", "mangrove",
    "budget", "grant", "report", "strategy", "roadmap", "theory of change", "logframe",
    "covenant", "treaty", "partnership", "board", "committee", "volunteer roster",
    "succession plan", "handover", "fundraiser", "newsletter", "hui", "wānanga", "marae",
    "kōrero", "whakapapa", "mātauranga", "café meeting", "retreat", "field day", "permit",
    "monitoring data", "baseline", "dashboard", "survey", "census", "map", "archive",
)  # fmt: skip
SYLLABLES = (
    "wai", "ra", "ngi", "to", "ka", "hu", "mā", "ta", "ko", "rō", "pu", "ne", "whe", "nua",
    "ao", "te", "ri", "ki", "mo", "ā", "ha", "nui", "po", "ū",
)  # fmt: skip


def _places(count: int) -> tuple[str, ...]:
    """Real-looking place names, a vocabulary of ``count`` with SEARCH_WORD among them."""
    rng = random.Random(7)
    names = {SEARCH_WORD}
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        names.add(word.capitalize())
    return tuple(sorted(names))


# Half the sentences name a place: with ~3.4 sentences a note and 400 places, one place
# is in about 400 of 100,000 notes.
PLACE_NAMES = _places(400)
CALLS_PER_COHORT = 30


def build(
    path: Path,
    *,
    cohorts: int = 200,
    calls: int = 6000,
    participants: int = 2000,
    notes: int = 100_000,
    seed: int = 1,
) -> None:
    """Write a new database at ``path`` (which must not exist) with these many rows."""
    if path.exists():
        raise FileExistsError(path)
    rng = random.Random(seed)
    now = datetime.now(UTC)  # calls before now have been held: attendance and notes
    db = Database(f"sqlite:///{path}")
    try:
        db.migrate()
        cohort_rows = list(_cohorts(rng, cohorts))
        people = list(_participants(rng, cohort_rows, participants))
        call_rows = list(_calls(rng, cohort_rows, calls))
        held = [c for c in call_rows if c["starts_at"] < now and not c["cancelled"]]
        roster: dict[int, list[dict[str, Any]]] = {}
        for person in people:
            roster.setdefault(person["cohort_id"], []).append(person)
        attendance = list(_attendance(rng, held, roster))
        note_rows = list(_notes(rng, held, roster, notes))
        agendas = list(_agendas(rng, call_rows))
        with db.engine.begin() as conn:
            conn.execute(insert(Cohort), cohort_rows)
            conn.execute(insert(Participant), people)
            conn.execute(insert(Call), call_rows)
            conn.execute(insert(Attendance), attendance)
            conn.execute(insert(CallAgenda), agendas)
        for chunk in _chunks(note_rows, 25_000):
            with db.engine.begin() as conn:
                conn.execute(insert(Note), chunk)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        db.dispose()


def _chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _cohorts(rng: random.Random, count: int) -> Iterator[dict[str, Any]]:
    first, last = date(2014, 1, 6), date(2027, 3, 1)
    span = (last - first).days
    for n in range(count):
        start = first + timedelta(days=span * n // max(count - 1, 1))
        start -= timedelta(days=start.weekday())  # cohorts begin on a Monday
        end = start + timedelta(weeks=2 * CALLS_PER_COHORT)
        home = ZONES[rng.randrange(len(ZONES))]
        theme = COHORT_THEMES[n % len(COHORT_THEMES)]
        made = datetime.combine(start - timedelta(days=40), wall_time(9), UTC)
        yield {
            "id": n + 1,
            "name": f"{theme} — {rng.choice(CIRCLE_KINDS)} {start.year} #{n + 1}",
            "focus": f"Leaders of {rng.choice(THEMES)} work around {rng.choice(PLACES)}",
            "facilitators": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "home_tz": home,
            "start_date": start,
            "end_date": end,
            "call_minutes": rng.choice((60, 90, 90, 120)),
            "notes": "",
            "day_start": wall_time(7, 0),
            "day_end": wall_time(22, 0),
            "archived": end < date(2021, 1, 1),
            "created_at": made,
            "updated_at": made,
        }


def _participants(
    rng: random.Random, cohorts: list[dict[str, Any]], count: int
) -> Iterator[dict[str, Any]]:
    for n in range(count):
        cohort = cohorts[n % len(cohorts)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        status = rng.choices(
            ("accepted", "applied", "interviewed", "declined", "withdrawn"), (85, 4, 4, 3, 4)
        )[0]
        yield {
            "id": n + 1,
            "cohort_id": cohort["id"],
            "name": f"{first} {last}",
            "email": f"person{n + 1}@{rng.choice(PLACES).split()[0].lower()}.example",
            "organisation": f"{rng.choice(PLACES)} {rng.choice(KINDS_OF_BODY)}",
            "time_zone": ZONES[rng.randrange(len(ZONES))],
            "years_in_practice": rng.randint(1, 30),
            "status": status,
            "interview_date": cohort["start_date"] - timedelta(days=rng.randint(14, 60)),
            "notes": "",
            "created_at": cohort["created_at"],
        }


def _calls(
    rng: random.Random, cohorts: list[dict[str, Any]], count: int
) -> Iterator[dict[str, Any]]:
    per_cohort = -(-count // len(cohorts))
    made = 0
    for cohort in cohorts:
        home = ZoneInfo(cohort["home_tz"])
        first_day = cohort["start_date"] + timedelta(days=2)
        local = wall_time(rng.choice((7, 8, 9, 16, 17, 18)), rng.choice((0, 30)))
        for k in range(per_cohort):
            if made == count:
                return
            made += 1
            day = first_day + timedelta(weeks=2 * k)
            starts = datetime.combine(day, local, home).astimezone(UTC)
            yield {
                "id": made,
                "cohort_id": cohort["id"],
                "uid": f"{rng.getrandbits(128):032x}",
                "starts_at": starts,
                "minutes": cohort["call_minutes"],
                "cancelled": rng.random() < 0.03,
                "title": "Closing circle" if k == per_cohort - 1 else "",
                "notes": "",
                "revision": 0,
                "updated_at": cohort["created_at"],
            }


def _attendance(
    rng: random.Random, held: list[dict[str, Any]], roster: dict[int, list[dict[str, Any]]]
) -> Iterator[dict[str, Any]]:
    for call in held:
        for person in roster.get(call["cohort_id"], ()):
            if person["status"] == "accepted":
                yield {
                    "call_id": call["id"],
                    "participant_id": person["id"],
                    "present": rng.random() < 0.88,
                }


def _note_text(rng: random.Random) -> str:
    sentences = rng.choice((1, 2, 3, 3, 4, 4, 5, 6))
    return " ".join(
        rng.choice(OPENINGS).format(n=rng.choice(NOUN_ROOTS))
        + (f" at {rng.choice(PLACE_NAMES)}" if rng.random() < 0.5 else "")
        + rng.choice(ENDINGS)
        for _ in range(sentences)
    )


def _notes(
    rng: random.Random,
    held: list[dict[str, Any]],
    roster: dict[int, list[dict[str, Any]]],
    count: int,
) -> Iterator[dict[str, Any]]:
    """``count`` notes over the calls that have happened, a few calls far busier than most."""
    if not held:
        return
    weights = [rng.choice((1, 1, 1, 2, 2, 3, 8)) for _ in held]
    homes = rng.choices(range(len(held)), weights, k=count)
    for n, index in enumerate(sorted(homes)):
        call = held[index]
        kind = rng.choices(("note", "insight", "quote", "action"), (40, 25, 20, 15))[0]
        people = roster.get(call["cohort_id"]) or []
        owner = rng.choice(people)["id"] if people and (kind == "action" or n % 9 == 0) else None
        if kind == "action" and owner is None:
            kind = "note"
        tags = sorted(set(rng.sample(THEMES, rng.choice((0, 0, 1, 1, 2, 3)))))
        taken = call["starts_at"] + timedelta(seconds=rng.randrange(call["minutes"] * 60))
        yield {
            "id": n + 1,
            "call_id": call["id"],
            "kind": kind,
            "text": _note_text(rng),
            "stage": STAGES[n % len(STAGES)],
            "owner_id": owner,
            "tags": ",".join(tags),
            "created_at": taken,
        }


def _agendas(rng: random.Random, calls: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    stored = [(p.key, agenda_to_json(build_agenda(p))) for p in builtin_protocols()]
    for call in calls[::3]:
        key, items = rng.choice(stored)
        yield {
            "call_id": call["id"],
            "protocol_key": key,
            "items": items,
            "updated_at": call["updated_at"],
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    parser.add_argument("--cohorts", type=int, default=200)
    parser.add_argument("--calls", type=int, default=6000)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    build(
        args.out,
        cohorts=args.cohorts,
        calls=args.calls,
        participants=args.participants,
        notes=args.notes,
        seed=args.seed,
    )
    seconds = time.perf_counter() - started
    size = args.out.stat().st_size / 1024 / 1024
    print(f"built {args.out} in {seconds:.1f} s ({size:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
