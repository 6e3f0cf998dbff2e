"""Time taken to export PDFs: one call's session notes, and a 30-call cohort's harvest.

    python benchmarks/export_speed.py [--runs 5] [--keep DIR]

Builds, in a temporary data folder, a cohort of 12 people with 30 weekly calls, 20 notes
on each (one call holds about 200) and a third of the calls run with the live timer.
Prints a table: median milliseconds over several runs, pages and size of each file.
"""

from __future__ import annotations

import argparse
import importlib
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.domain.timer import Action, Phase
from sanctuary_desktop.services import agendas, calls, cohorts, harvest, live, records, roster
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.location import DataFolder

NOW = datetime(2026, 1, 10, tzinfo=UTC)
NAMES = (
    "Aroha Ngātai",
    "Mere Tūhoe-Walker",
    "Chloé Nguyễn",
    "Zoë Fraser",
    "Amélie Côté",
    "Siobhán O'Connell",
    "Tewodros Bekele",
    "Jordan Whitehorse",
    "Björn Løvås",
    "Ngozi Adébáyọ̀",
    "Paulo Tāufa",
    "Inés Muñoz",
)
ZONES = ("Pacific/Auckland", "Australia/Melbourne", "America/Vancouver", "Europe/London")
THEMES = (
    "funding",
    "burnout",
    "time horizons",
    "relationships",
    "power",
    "governance",
    "land back",
    "data and evidence",
    "succession",
    "storytelling",
    "policy windows",
    "rest",
    "partnerships with First Nations",
    "measurement",
)
STAGES = (
    "Check-in round",
    "Round 1: Generative discussion",
    "Round 1: What resonated",
    "Round 2: Generative discussion",
    "Buddies and next steps",
    "Closing round",
)
SENTENCES = (
    "Funders want outcomes on a grant cycle; the system moves on a generational one.",
    "“I don't have to hold the whole watershed on my own shoulders.”",
    "Write to the regional council about the monitoring data before the next call.",
    "Trust built in the kitchen, not the boardroom, is what carried the restoration.",
    "“Slow is smooth, smooth is fast.”",
    "Share the draft learning agenda with the board and ask what they would measure.",
)
KINDS = (NoteKind.INSIGHT, NoteKind.QUOTE, NoteKind.ACTION, NoteKind.NOTE)


def build_cohort(db: Database, *, calls_count: int = 30, notes_per_call: int = 20) -> int:
    """A year of weekly calls, all held by NOW; the first call has about 200 notes."""
    rng = random.Random(30)
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name="Rivers to Sea — leaders' circle 2025",
            focus="Leaders of river and coastal restoration across Aotearoa, Australia and Canada",
            facilitators="Maya Okafor, Léa Tremblay",
            home_tz="Pacific/Auckland",
            start_date=date(2025, 1, 6),
            end_date=date(2025, 12, 19),
            call_minutes=90,
        ),
    ).value
    people = roster.import_participants(
        db,
        cohort.id,
        [
            ParticipantDraft(
                name=name,
                time_zone=ZONES[i % len(ZONES)],
                email=f"person{i}@example.org",
                status=IntakeStatus.ACCEPTED,
            )
            for i, name in enumerate(NAMES)
        ],
    ).value
    series = calls.generate_series(
        db,
        cohort.id,
        Cadence(
            kind=CadenceKind.EVERY_N_WEEKS,
            first_date=date(2025, 1, 8),
            local_time=clock_time(8, 0),
            zone="Pacific/Auckland",
            count=calls_count,
            weekday=2,
            interval_weeks=1,
        ),
    ).value
    for n, call in enumerate(series):
        absent = set(rng.sample([p.id for p in people], rng.choice((0, 1, 1, 2, 3))))
        records.record_attendance(db, call.id, {p.id for p in people} - absent)
        count = 200 if n == 0 else notes_per_call
        for k in range(count):
            kind = KINDS[(n + k) % len(KINDS)]
            owner = rng.choice(people).id if kind is NoteKind.ACTION or k % 7 == 0 else None
            records.add_note(
                db,
                call.id,
                f"{SENTENCES[(n * 3 + k) % len(SENTENCES)]} ({n + 1}.{k + 1})",
                kind=kind,
                stage=STAGES[k % len(STAGES)],
                owner_id=owner,
                tags=rng.sample(THEMES[: 4 + n % 10], rng.choice((0, 1, 1, 2))),
                created_at=call.starts_at + timedelta(minutes=k * 80 / count),
            )
        if n % 3 == 1:
            agendas.apply_protocol(db, call.id, DEFAULT_PROTOCOL_KEY)
            run_live(db, call.id, {i: rng.choice((0, 0, 1, 3)) for i in range(14)})
    return cohort.id


def run_live(db: Database, call_id: int, extra_minutes: dict[int, int]) -> None:
    """Run a call's agenda on the live timer, each stage running ``extra_minutes`` long."""
    run = live.open_live(db, call_id).value
    timer = run.timer()
    at = run.call.starts_at
    live.append_events(db, run.run_id, timer.command(Action.START, at, 0, run.turn_order()).events)
    for index, item in enumerate(run.items):
        at += timedelta(minutes=item.minutes + extra_minutes.get(index, 0))
        while timer.phase is not Phase.FINISHED and timer.snapshot(at).index == index:
            live.append_events(db, run.run_id, timer.command(Action.NEXT, at).events)


def timed(make: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    samples = []
    data = b""
    for _ in range(runs):
        start = time.perf_counter()
        data = make()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the PDFs into this folder")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = DataFolder(Path(tmp)).prepare()
        db = Database(folder.sqlite_url, backups_dir=folder.backups)
        db.migrate()
        built = time.perf_counter()
        cohort_id = build_cohort(db)
        built = time.perf_counter() - built
        plan = cohorts.get_plan(db, cohort_id)
        busy, ordinary = plan.calls[0].id, plan.calls[5].id
        try:  # written alongside this script; absent in older checkouts
            notes_report = importlib.import_module("sanctuary_desktop.services.notes_report")
            notes_pdf = notes_report.session_notes_pdf
        except (ImportError, AttributeError):
            notes_pdf = None
        cases: list[tuple[str, Callable[[], bytes] | None]] = [
            ("session notes, 20 notes", (lambda: notes_pdf(db, ordinary)) if notes_pdf else None),
            ("session notes, 200 notes", (lambda: notes_pdf(db, busy)) if notes_pdf else None),
            ("harvest, 30 calls", lambda: harvest.harvest_pdf(db, cohort_id, now=NOW)),
        ]
        for name, make in cases:
            if make is None:
                rows.append((name, "n/a", "n/a", "n/a"))
                continue
            make()  # the first export registers fonts and warms caches
            median, data = timed(make, args.runs)
            pages = len(PdfReader(io.BytesIO(data)).pages)
            rows.append((name, f"{median:.0f}", str(pages), f"{len(data) / 1024:.0f}"))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / (name.replace(" ", "_").replace(",", "") + ".pdf")).write_bytes(data)
        db.dispose()

    print(f"(median of {args.runs} runs; cohort built in {built:.1f} s)")
    print(f"{'export':28} {'median ms':>10} {'pages':>6} {'KB':>6}")
    for name, ms, pages, kb in rows:
        print(f"{name:28} {ms:>10} {pages:>6} {kb:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
