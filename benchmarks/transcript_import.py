"""Reading and placing a 3-hour call's transcript, against reading the file alone.

    python benchmarks/transcript_import.py [--cues 2500] [--runs 7]

Writes a 3-hour transcript in each shape the services write (Teams WebVTT with GUID
identifiers and voice tags, Zoom WebVTT with "Name: text" cues, Zoom's saved text,
Google Meet's text), then times, as a median of several runs: reading the file through
the app's bounded reader (the baseline), parsing it, and parsing plus placing every
passage in its stage from a live timer's log (with pauses, a skip, going back and added
minutes), matching the speakers to the roster and joining each turn's cues. Target: under 1 second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sanctuary_desktop.domain.agenda import AgendaItem
from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.timer import Action, LiveEvent, LiveTimer
from sanctuary_desktop.domain.transcripts import (
    FIELD,
    MAX_TRANSCRIPT_BYTES,
    Transcript,
    align,
    join_turns,
    match_speakers,
    parse_transcript,
    timer_spans,
)
from sanctuary_desktop.services.file_reading import read_limited

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
LENGTH = timedelta(hours=3)
PEOPLE = [
    (1, "Aroha Ngata"),
    (2, "José Martínez"),
    (3, "Mei Chen"),
    (4, "Siobhán O'Neill"),
    (5, "Priya Raman"),
    (6, "Tomás Ó Briain"),
    (7, "Amara Okafor"),
    (8, "Léa Tremblay"),
    (9, "Kenji Watanabe"),
    (10, "Sofía Herrera"),
]
WORDS = (
    "we keep coming back to the question of power and who holds it in the network",
    "funders coalition trust listening equity systems change strategy next steps",
)


VOCABULARY = " ".join(WORDS).split()


def sentences(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    names = [name for _, name in PEOPLE] + ["Guest (Zoom)"]
    said = []
    for _ in range(count):
        text = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(6, 24))).capitalize()
        said.append((rng.choice(names), text + "."))
    return said


def stamp(offset: timedelta, comma: bool = False) -> str:
    millis = int(offset / timedelta(milliseconds=1))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{',' if comma else '.'}{millis:03d}"


def teams_vtt(said: list[tuple[str, str]]) -> bytes:
    step = LENGTH / len(said)
    guid = uuid.UUID(int=12345)
    lines = ["WEBVTT", ""]
    for number, (name, text) in enumerate(said):
        start = step * number
        lines += [
            f"{guid}/{number // 3 + 10}-{number % 3}",
            f"{stamp(start)} --> {stamp(start + step * 0.9)}",
            f"<v {name}>{text}</v>",
            "",
        ]
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")


def zoom_vtt(said: list[tuple[str, str]]) -> bytes:
    step = LENGTH / len(said)
    lines = ["WEBVTT", ""]
    for number, (name, text) in enumerate(said, start=1):
        start = step * (number - 1)
        lines += [
            str(number),
            f"{stamp(start)} --> {stamp(start + step * 0.9)}",
            f"{name}: {text}",
            "",
        ]
    return "\n".join(lines).encode("utf-8")


def zoom_text(said: list[tuple[str, str]]) -> bytes:
    step = LENGTH / len(said)
    lines = []
    for number, (name, text) in enumerate(said):
        at = datetime(2026, 12, 3, 10, 58, 0) + step * number
        lines += [f"[{name}] {at:%H:%M:%S}", text, ""]
    return "\n".join(lines).encode("utf-8")


def meet_text(said: list[tuple[str, str]]) -> bytes:
    step = LENGTH / len(said)
    lines = ["Dec 3, 2026", "Cohort call 4 - Transcript", "00:00:00", " "]
    mark = timedelta(0)
    for number, (name, text) in enumerate(said):
        at = step * number
        if at - mark >= timedelta(minutes=1, seconds=20):
            mark = at
            lines += [" ", " ", stamp(at)[:8], " "]
        lines.append(f"{name}: {text}")
    lines += [" ", f"Transcription ended after {stamp(LENGTH)[:8]}", ""]
    lines.append(
        "This editable transcript was computer generated and might contain errors. "
        "People can also change the text after it was created."
    )
    return "\n".join(lines).encode("utf-8")


def live_log() -> tuple[tuple[AgendaItem, ...], list[LiveEvent]]:
    """Two rounds of a peer-input protocol over 3 hours, run with pauses, a skip,
    going back and added minutes."""
    names = ["Arrive", "Challenge", "Clarifying questions", "Probing", "Reflection", "Close"]
    minutes = [10, 15, 15, 25, 15, 10]
    items = tuple(
        AgendaItem(name=n, minutes=m, round=r)
        for r in (1, 2)
        for n, m in zip(names, minutes, strict=True)
    )
    clock = ManualClock(START + timedelta(minutes=3))
    timer = LiveTimer(items, START, 180)
    timer.command(Action.START, clock())
    for index, item in enumerate(items):
        if index == 3:
            timer.command(Action.PAUSE, clock.advance(300))
            timer.command(Action.RESUME, clock.advance(240))
            timer.command(Action.ADJUST, clock(), amount=300)
        if index == 7:
            timer.command(Action.BACK, clock.advance(60))
            timer.command(Action.NEXT, clock.advance(120))
        if index == 10:
            timer.command(Action.SKIP, clock.advance(30))
            continue
        clock.advance(item.minutes * 60 - 30)
        if index < len(items) - 1:
            timer.command(Action.NEXT, clock())
    timer.command(Action.FINISH, clock.advance(60))
    return items, timer.events


def timed(work: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cues", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    said = sentences(args.cues)
    items, events = live_log()
    shapes = {
        "Teams WebVTT": ("teams.vtt", teams_vtt(said)),
        "Zoom WebVTT": ("zoom.vtt", zoom_vtt(said)),
        "Zoom saved text": ("zoom.txt", zoom_text(said)),
        "Google Meet text": ("meet.txt", meet_text(said)),
    }
    rows = []
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for label, (name, data) in shapes.items():
            path = Path(tmp) / name
            path.write_bytes(data)

            def read(path: Path = path) -> bytes:
                return read_limited(path, MAX_TRANSCRIPT_BYTES, FIELD, "is too large")

            def parse(path: Path = path) -> Transcript:
                return parse_transcript(read(path))

            def whole(path: Path = path) -> object:
                transcript = parse_transcript(read(path))
                spans = timer_spans(items, START, 180, events)
                matches = match_speakers(transcript.speakers, PEOPLE)
                placed = align(transcript.passages, spans, START, timedelta(seconds=40), matches)
                return join_turns(placed)

            passages = len(parse().passages)
            base, parsed, total = (timed(work, args.runs) for work in (read, parse, whole))
            worst = max(worst, total)
            rows.append((label, len(data) / 1024, passages, base, parsed, total))

    print(f"(3-hour call, {args.cues} cues, median of {args.runs} runs; target under 1000 ms)")
    header = (
        f"{'shape':18} {'KB':>6} {'passages':>9} {'read ms':>8} {'parse ms':>9} {'+place ms':>10}"
    )
    print(header)
    for label, kb, passages, base, parsed, total in rows:
        print(f"{label:18} {kb:>6.0f} {passages:>9} {base:>8.1f} {parsed:>9.1f} {total:>10.1f}")
    print(f"slowest import: {worst:.0f} ms ({'met' if worst < 1000 else 'NOT met'})")
    return 0 if worst < 1000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
