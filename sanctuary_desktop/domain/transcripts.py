"""A call's transcript as Zoom, Microsoft Teams and Google Meet write it, placed in the
agenda stage that was running when each passage was said.

Reading (``parse_transcript``) takes the file's bytes and returns passages (start and end
as offsets from the start of the recording, the speaker as written, the text) and the
lines it could not use, each with its line number and why. The shapes read:

- **WebVTT** (.vtt). Teams writes ``<v Speaker Name>text</v>`` voice tags, with cue
  identifiers like ``0f1e…-7b2c/14-0`` (older Teams and Stream: no identifiers); Zoom's
  cloud recording writes numbered cues whose text begins ``Speaker Name: text``. Cue
  settings after the times, NOTE, STYLE and REGION blocks, other tags and character
  references are understood; a cue with more than one voice gives one passage each.
- **SubRip** (.srt), and cues with no WEBVTT header: the same timing lines with a comma.
- **Zoom's saved transcript** (.txt): a ``[Speaker Name] 11:02:09`` line, then the words,
  then a blank line. The times are the meeting's local time of day (an offset from the
  recording when they begin under ten minutes); ``Transcript.clock_start`` keeps the
  first one so the recording's start can be set from it (``recording_start``).
- **Google Meet's transcript** (the Google Doc saved as plain text): a title ending
  "- Transcript", perhaps "Attendees" and the names, then ``Speaker Name: text``
  paragraphs with a ``00:05:00`` line every few minutes and "Transcription ended after
  01:02:59" at the end. Passages between two time lines are spread over the interval by
  their length (``Passage.estimated``).

Text comes as UTF-8 with or without a byte-order mark, UTF-16 (Teams, Windows Notepad)
with or without one, or Windows-1252; Windows and old Mac line endings alike. A file in
which no passage can be read is refused with a ValidationError on "Transcript"; bad
cues in a good file are listed, and the rest is kept.

Placing (``align``): each passage's instant is the recording's start, plus the clock
offset the facilitator sets, plus the passage's own offset. The stage running then comes
from the live timer's event log (``timer_spans``: pauses stay with the paused stage,
skips and going back are followed) or, for a call not timed live, from the planned
agenda (``planned_spans``). Speakers are matched to participants by name
(``match_speakers``): accents, case, "(Organisation)" and "| …" suffixes and "Last,
First" do not matter, and a first name alone is enough when only one person has it.
``join_turns`` then joins the cues of one turn (Teams and Zoom cut a turn every few
seconds) within a stage, for reading and quoting.

Every bound is here: 8 MB, 200,000 lines, 100,000 passages; a file whose first 500
problems come before any good passage is refused at once. The service reads the file
with ``services.file_reading.read_limited(path, MAX_TRANSCRIPT_BYTES, FIELD, …)``.
"""

from __future__ import annotations

import bisect
import codecs
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sanctuary_desktop.domain.agenda import AgendaItem
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.limits import MAX_NAME, MAX_NOTE
from sanctuary_desktop.domain.timer import LiveEvent, LiveTimer, Phase

FIELD = "Transcript"
OFFSET_FIELD = "Clock offset"
MAX_TRANSCRIPT_BYTES = 8 * 1024 * 1024  # a 3-hour call is 250 to 500 KB; a day, 4 MB
MAX_LINES = 200_000  # a day of Teams cues is about 70,000 lines
MAX_PASSAGES = 100_000
MAX_PROBLEMS = 500  # kept one by one; ``Transcript.problem_count`` counts them all
MAX_SPEAKER = MAX_NAME
MAX_PASSAGE = MAX_NOTE
LATEST_OFFSET = timedelta(hours=24)
MAX_CLOCK_OFFSET = timedelta(hours=24)
JOIN_GAP = timedelta(seconds=3)  # cues of one turn lie closer than this
JOIN_LONGEST = 2_000  # characters: a joined turn stays a readable quote
CHARACTERS_PER_SECOND = 15.0  # about 150 words a minute: for times a file does not give
ELAPSED_BELOW = timedelta(minutes=10)  # Zoom text times this small are offsets, not clock

EXPECTED = (
    "expected a WebVTT (.vtt) or SubRip (.srt) file, or the text transcript "
    "Zoom or Google Meet saves"
)


class TranscriptFormat(StrEnum):
    WEBVTT = "webvtt"
    SUBRIP = "subrip"
    ZOOM_TEXT = "zoom-text"
    MEET_TEXT = "meet-text"


@dataclass(frozen=True)
class Passage:
    start: timedelta  # from the start of the recording
    end: timedelta
    speaker: str | None  # as the file writes it
    text: str
    line: int  # 1-based line of the file where it begins
    estimated: bool = False  # the file gives no time for it: spread between two times


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Transcript:
    format: TranscriptFormat
    encoding: str  # the codec the bytes were read with
    passages: tuple[Passage, ...]
    problems: tuple[Problem, ...]  # the first MAX_PROBLEMS of them
    problem_count: int
    clock_start: time | None = None  # Zoom text: the local time of day at offset zero

    @property
    def speakers(self) -> tuple[str, ...]:
        """Every speaker named, in order of first appearance."""
        return tuple(dict.fromkeys(p.speaker for p in self.passages if p.speaker))

    @property
    def length(self) -> timedelta:
        return max((p.end for p in self.passages), default=timedelta(0))


# -- reading ------------------------------------------------------------------------------

# Hours, minutes, seconds and a fraction; hours optional as WebVTT allows, a comma as SRT
# writes it. Digits are bounded so no number is ever large.
_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,:](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")
# Tags end at the first "<" or ">" after their own, so text full of "<" stays linear.
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:[ \t]+([^<>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_TIME_LIKE = re.compile(r"^\s*\d{1,3}:\d{2}[:.,]\d")
_ZOOM_HEAD = re.compile(
    r"^\[(?P<name>[^\]]{1,300})\]\s+(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:\s*(?P<half>[AaPp]\.?[Mm]\.?))?\s*$"
)
_MEET_TIME = re.compile(r"^\(?(\d{1,3}):(\d{2}):(\d{2})\)?$")
_MEET_ENDED = re.compile(r"^transcription ended after (\d{1,3}):(\d{2}):(\d{2})$", re.IGNORECASE)
_MEET_NOTICE = ("this editable transcript was computer generated",)
_MEET_TITLE = re.compile(r"\s-\s*transcript$", re.IGNORECASE)
# "Name: text", or "名前：text" (a full-width colon needs no space after it).
_SPEAKER = re.compile(
    r"^(?P<name>[^:：]{1,80}?)(?:\s*~)?\s*(?::(?:\s+|$)|：\s*)(?P<text>.*)$", re.DOTALL
)
_NOT_IN_NAMES = frozenset('?!;"“”<>{}=/\\@#*')
_TEAMS_ID = re.compile(r"^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}/\d+-\d+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class _Collector:
    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.voices = 0  # voice tags read: each can be a passage, so they count as one

    def problem(self, line: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, message))
        elif not self.passages:
            raise _not_a_transcript(self.problems)  # that many bad lines and no good one

    def add(self, passage: Passage) -> None:
        """Keep a passage that passes the limits, or say why not."""
        if not passage.text:
            return  # a blank cue or an empty paragraph: nothing was said
        if len(self.passages) >= MAX_PASSAGES:
            raise _too_many()
        if passage.start > LATEST_OFFSET:
            self.problem(passage.line, "starts more than a day into the recording")
        elif passage.end < passage.start:
            self.problem(passage.line, "ends before it starts")
        elif len(passage.text) > MAX_PASSAGE:
            self.problem(passage.line, f"is longer than {MAX_PASSAGE:,} characters")
        elif passage.speaker is not None and len(passage.speaker) > MAX_SPEAKER:
            self.problem(passage.line, f"names a speaker longer than {MAX_SPEAKER} characters")
        else:
            self.passages.append(passage)


def parse_transcript(data: bytes) -> Transcript:
    """Read a transcript file's bytes; ValidationError on "Transcript" if it is not one."""
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise ValidationError.single(FIELD, f"is larger than {_megabytes()}; is this one call?")
    text, encoding = _decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_LINES:
        raise ValidationError.single(FIELD, f"has more than {MAX_LINES:,} lines; is this one call?")
    if not any(line.strip() for line in lines):
        raise ValidationError.single(FIELD, f"is empty; {EXPECTED}")
    kind = _detect(lines)
    out = _Collector()
    clock: time | None = None
    if kind in (TranscriptFormat.WEBVTT, TranscriptFormat.SUBRIP):
        _read_cues(lines, kind is TranscriptFormat.WEBVTT, out)
    elif kind is TranscriptFormat.ZOOM_TEXT:
        clock = _read_zoom_text(lines, out)
    elif kind is TranscriptFormat.MEET_TEXT:
        _read_meet_text(lines, out)
    if kind is None or not out.passages:
        raise _not_a_transcript(out.problems)
    return Transcript(
        format=kind,
        encoding=encoding,
        passages=tuple(out.passages),
        problems=tuple(out.problems),
        problem_count=out.problem_count,
        clock_start=clock,
    )


def _too_many() -> ValidationError:
    return ValidationError.single(
        FIELD, f"has more than {MAX_PASSAGES:,} passages; is this one call?"
    )


def _not_a_transcript(problems: Sequence[Problem]) -> ValidationError:
    first = f" ({problems[0]})" if problems else ""
    return ValidationError.single(FIELD, f"is not a transcript{first}; {EXPECTED}")


def _megabytes() -> str:
    return f"{MAX_TRANSCRIPT_BYTES // 2**20} MB"


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the codec it was read with. Byte-order marks first, then UTF-16
    without one (every other byte NUL), then UTF-8, then Windows-1252."""
    text: str | None = None
    encoding = ""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    if encoding:
        text = data.decode(encoding, errors="replace")
    else:
        for candidate in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(candidate)
            except UnicodeDecodeError:
                continue
            encoding = candidate
            break
    if text is None or "\x00" in text:
        raise ValidationError.single(FIELD, f"is not a text file; {EXPECTED}")
    return text.removeprefix("\ufeff"), encoding


def _utf16_without_bom(data: bytes) -> str:
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return ""
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return ""


def _detect(lines: Sequence[str]) -> TranscriptFormat | None:
    first = next(line.strip() for line in lines if line.strip())
    if re.match(r"^WEBVTT(?:[ \t].*)?$", first, re.IGNORECASE):
        return TranscriptFormat.WEBVTT
    cues = zoom = meet = 0
    for line in lines[:2000]:
        stripped = _strip(line)
        if "-->" in stripped and (_TIMING.match(stripped) or _TIME_LIKE.match(stripped)):
            cues += 1
        elif _ZOOM_HEAD.match(stripped):
            zoom += 1
        elif (
            _MEET_TIME.match(stripped)
            or _MEET_ENDED.match(stripped)
            or _MEET_TITLE.search(stripped)
            or stripped.lower().startswith(_MEET_NOTICE)
        ):
            meet += 1
    counts = [
        (cues, TranscriptFormat.SUBRIP),
        (zoom, TranscriptFormat.ZOOM_TEXT),
        (meet, TranscriptFormat.MEET_TEXT),
    ]
    count, kind = max(counts, key=lambda pair: pair[0])  # the first of equals wins
    return kind if count else None


def _strip(line: str) -> str:
    """The line without surrounding white space, no-break spaces included."""
    return line.strip().strip("\u00a0\u200b\ufeff").strip()


def _clean(text: str) -> str:
    """Text as a reader sees it: control characters out, white space single."""
    if not text.isprintable():
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


# -- WebVTT and SubRip -------------------------------------------------------------------------


def _read_cues(lines: Sequence[str], webvtt: bool, out: _Collector) -> None:
    count = len(lines)
    i = 0
    if webvtt:  # the header block: WEBVTT, then Kind:, Language:, X-TIMESTAMP-MAP...
        while i < count and not lines[i].strip():
            i += 1
        i += 1
        while i < count and lines[i].strip() and "-->" not in lines[i]:
            i += 1  # a first cue right under the header, with no blank line, is kept
    while i < count:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if webvtt and re.match(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)", line):
            i = _block_end(lines, i)
            continue
        if "-->" in line:
            i = _read_cue(lines, i, None, out)
            continue
        if i + 1 < count and "-->" in lines[i + 1]:
            i = _read_cue(lines, i + 1, line, out)  # this line is the cue's identifier
            continue
        end = _block_end(lines, i)
        timeish = next((n for n in range(i, end) if _TIME_LIKE.match(lines[n])), None)
        if timeish is not None:
            out.problem(
                timeish + 1, f"has a time line that could not be read: {_excerpt(lines[timeish])}"
            )
        else:
            out.problem(i + 1, "has text but no time (expected a line like 00:01:02.000 --> …)")
        i = end


def _block_end(lines: Sequence[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _read_cue(lines: Sequence[str], at: int, identifier: str | None, out: _Collector) -> int:
    """Read the cue whose timing line is ``lines[at]``; return the index after it."""
    timing = _TIMING.match(lines[at])
    text: list[str] = []
    i = at + 1
    while i < len(lines) and lines[i].strip() and "-->" not in lines[i]:
        text.append(lines[i])
        i += 1
    if i < len(lines) and "-->" in lines[i] and text and _is_identifier(text[-1]):
        text.pop()  # the next cue's identifier, with the blank line before it missing
        i -= 1
    if timing is None:
        out.problem(at + 1, f"has a time line that could not be read: {_excerpt(lines[at])}")
        return i
    start = _cue_time(timing.groups()[:4])
    end = _cue_time(timing.groups()[4:])
    if start is None or end is None:
        out.problem(at + 1, f"has a time that is not a time: {_excerpt(lines[at])}")
        return i
    raw = " \n".join(text)
    out.voices += raw.count("<v") + raw.count("<V")
    if out.voices > MAX_PASSAGES:
        raise _too_many()
    for speaker, words in _voices(raw):
        out.add(Passage(start, end, speaker, words, at + 1))
    return i


def _is_identifier(line: str) -> bool:
    stripped = line.strip()
    return stripped.isdigit() or bool(_TEAMS_ID.match(stripped))


def _cue_time(parts: Sequence[str | None]) -> timedelta | None:
    hours, minutes, seconds, fraction = parts
    if minutes is None or seconds is None:
        return None
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    millis = int(fraction.ljust(3, "0")) if fraction else 0
    whole = (int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)
    return timedelta(milliseconds=whole * 1000 + millis)


def _voices(raw: str) -> Iterator[tuple[str | None, str]]:
    """(speaker, text) for each voice in a cue's text: ``<v Name>`` tags, else a
    ``Name: text`` beginning as Zoom writes it, else no speaker."""
    marks = list(_VOICE.finditer(raw))
    if not marks:
        text = _plain(raw)
        speaker, words = _split_speaker(text)
        yield (speaker, words) if speaker else (None, text)
        return
    runs: list[tuple[str | None, list[str]]] = []  # one per change of speaker
    names: dict[str, str | None] = {}
    pieces: list[tuple[str | None, str]] = [(None, raw[: marks[0].start()])]
    for number, mark in enumerate(marks):
        stop = marks[number + 1].start() if number + 1 < len(marks) else len(raw)
        tag = mark.group(1) or ""
        if tag not in names:
            names[tag] = _clean(html.unescape(tag)) or None
        pieces.append((names[tag], raw[mark.end() : stop]))
    for speaker, piece in pieces:
        words = _plain(piece) if piece.strip() else ""
        if not words:
            continue
        if runs and runs[-1][0] == speaker:
            runs[-1][1].append(words)
        else:
            runs.append((speaker, [words]))
    for speaker, said in runs:
        yield speaker, " ".join(said)


def _plain(raw: str) -> str:
    if "<" in raw:
        raw = _TAG.sub("", raw)
    return _clean(html.unescape(raw))


def _split_speaker(text: str) -> tuple[str | None, str]:
    """``Jane Doe: words`` -> ("Jane Doe", "words"); text that does not begin with a
    name and a colon -> (None, text). A name is short, has a letter, does not begin
    with a digit and has none of the marks of a sentence."""
    match = _SPEAKER.match(text)
    if match is None:
        return None, text
    name = match.group("name").strip()
    if (
        not name
        or len(name.split()) > 6
        or name[0].isdigit()
        or not any(ch.isalpha() for ch in name)
        or any(ch in _NOT_IN_NAMES for ch in name)
        or "http" in name.lower()
    ):
        return None, text
    return name, (match.group("text") or "").strip()


def _excerpt(line: str) -> str:
    text = _clean(line)
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


# -- Zoom's saved transcript --------------------------------------------------------------------


def _read_zoom_text(lines: Sequence[str], out: _Collector) -> time | None:
    """``[Name] HH:MM:SS`` then the words until a blank line or the next such line."""
    heads: list[tuple[int, str, int, list[str]]] = []  # line, speaker, seconds, words
    stray: int | None = None
    for number, line in enumerate(lines, start=1):
        stripped = _strip(line)
        head = _ZOOM_HEAD.match(stripped)
        if head:
            seconds = _zoom_seconds(head)
            if seconds is None:
                out.problem(number, f"has a time that is not a time: {_excerpt(line)}")
                heads.append((number, "", -1, []))  # its words go nowhere
            else:
                heads.append((number, _clean(head.group("name")), seconds, []))
            stray = None
        elif not stripped:
            if heads:
                heads[-1][3].append("")
        elif heads and (not heads[-1][3] or heads[-1][3][-1] != ""):
            heads[-1][3].append(stripped)
        elif stray is None:
            stray = number
            out.problem(number, "has text but no [speaker] and time before it")
    timed = [head for head in heads if head[2] >= 0]
    if not timed:
        return None
    # Times of day: a call past midnight keeps counting up.
    day = 0
    previous = timed[0][2]
    absolute: list[int] = []
    for _, _, seconds, _ in timed:
        if seconds + day * 86400 < previous - 12 * 3600:
            day += 1
        previous = seconds + day * 86400
        absolute.append(previous)
    first = absolute[0]
    clock: time | None = None
    if timedelta(seconds=first) >= ELAPSED_BELOW:
        clock = time(first // 3600 % 24, first // 60 % 60, first % 60)
        origin = first
    else:
        origin = 0
    for index, (number, name, _, words) in enumerate(timed):
        text = _clean(" ".join(w for w in words if w))
        start = timedelta(seconds=absolute[index] - origin)
        following = (
            timedelta(seconds=absolute[index + 1] - origin) if index + 1 < len(timed) else None
        )
        # Zoom gives when each turn began; it ended when the words would take, or sooner.
        end = start + _speaking(text)
        if following is not None and start < following < end:
            end = following
        out.add(Passage(start, end, name or None, text, number))
    return clock


def _zoom_seconds(head: re.Match[str]) -> int | None:
    hours, minutes, seconds = int(head.group("h")), int(head.group("m")), int(head.group("s"))
    half = head.group("half")
    if minutes > 59 or seconds > 59:
        return None
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half[0] in "Pp" else 0)
    elif hours > 23:
        return None
    return hours * 3600 + minutes * 60 + seconds


def _speaking(text: str) -> timedelta:
    return timedelta(seconds=max(1.0, len(text) / CHARACTERS_PER_SECOND))


# -- Google Meet's transcript ------------------------------------------------------------------


@dataclass
class _MeetPassage:
    line: int
    speaker: str
    words: list[str]


def _read_meet_text(lines: Sequence[str], out: _Collector) -> None:
    """Paragraphs ``Name: text`` grouped under ``HH:MM:SS`` lines; the header above the
    first of either (title, date, attendees, the notice) is not part of the talk."""
    groups: list[tuple[timedelta | None, list[_MeetPassage]]] = [(None, [])]
    ended: timedelta | None = None
    last_mark = timedelta(-1)
    started = False
    for number, line in enumerate(lines, start=1):
        stripped = _strip(line)
        if not stripped or stripped.lower().startswith(_MEET_NOTICE):
            continue
        if not started and _MEET_TITLE.search(stripped):
            continue  # "Weekly call (2025-10-02 14:00 GMT-4) - Transcript"
        mark = _MEET_TIME.match(stripped)
        if mark:
            at = _hms(mark.groups())
            if at is None or at < last_mark:
                out.problem(number, f"is a time out of order or not a time: {_excerpt(line)}")
                continue
            last_mark = at
            groups.append((at, []))
            started = True
            continue
        finish = _MEET_ENDED.match(stripped)
        if finish:
            ended = _hms(finish.groups())
            continue
        speaker, words = _split_speaker(_clean(stripped))
        current = groups[-1][1]
        if speaker is not None:
            current.append(_MeetPassage(number, speaker, [words] if words else []))
            started = True
        elif current:
            current[-1].words.append(_clean(stripped))
        elif started:
            out.problem(number, "has text but no speaker before it")
        # else: the header (title, date, "Attendees" and their names)
    for index, (at, passages) in enumerate(groups):
        if not passages:
            continue
        texts = [" ".join(p.words) for p in passages]
        begin = at or timedelta(0)
        # Every group after the first begins at a time line.
        following = groups[index + 1][0] if index + 1 < len(groups) else None
        if following is None and ended is not None and ended > begin:
            following = ended
        total = sum(max(1, len(t)) for t in texts)
        span = following - begin if following is not None else None
        done = 0
        for number, (passage, text) in enumerate(zip(passages, texts, strict=True)):
            weight = max(1, len(text))
            if span is not None:
                start = begin + span * done / total
                end = begin + span * (done + weight) / total
            else:
                start = begin + timedelta(seconds=done / CHARACTERS_PER_SECOND)
                end = start + _speaking(text)
            done += weight
            exact = number == 0 and at is not None
            out.add(
                Passage(
                    start=_whole_ms(start),
                    end=_whole_ms(end),
                    speaker=passage.speaker,
                    text=_clean(text),
                    line=passage.line,
                    estimated=not exact,
                )
            )


def _hms(parts: Sequence[str]) -> timedelta | None:
    hours, minutes, seconds = (int(p) for p in parts)
    if minutes > 59 or seconds > 59:
        return None
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _whole_ms(value: timedelta) -> timedelta:
    return timedelta(milliseconds=round(value / timedelta(milliseconds=1)))


# -- when the recording began -----------------------------------------------------------------


def recording_start(transcript: Transcript, call_start: datetime, zone: ZoneInfo) -> datetime:
    """Where offset zero most likely lies: for a Zoom text transcript, its first time of
    day on the day (in ``zone``, the zone of the computer that saved it) nearest the
    call's start; otherwise the call's start. The facilitator adjusts from there."""
    if transcript.clock_start is None:
        return call_start
    local = call_start.astimezone(zone)
    candidates = [
        datetime.combine(local.date() + timedelta(days=shift), transcript.clock_start, zone)
        for shift in (-1, 0, 1)
    ]
    best = min(candidates, key=lambda c: abs(c - call_start))
    return best.astimezone(call_start.tzinfo)


# -- the stages, as run or as planned -----------------------------------------------------------


@dataclass(frozen=True)
class StageSpan:
    index: int  # the stage's place in the agenda
    start: datetime
    end: datetime | None  # None: still current where the log ends
    paused: bool = False


def timer_spans(
    items: Sequence[AgendaItem],
    scheduled_start: datetime,
    call_minutes: int,
    events: Iterable[LiveEvent],
    *,
    until: datetime | None = None,
) -> tuple[StageSpan, ...]:
    """When each stage was the current one, replayed from the live timer's log.

    A stage is current from the moment the timer arrives at it (start, next, skip, back,
    a hard stop) until it leaves it or the call finishes; a pause splits its time into a
    span marked ``paused`` but keeps it with that stage. A log that ends with the call
    still running is first carried to ``until`` (hard stops that fell due are applied);
    its last span then stays open.
    """
    recorder = LiveTimer(items, scheduled_start, call_minutes, events)
    if until is not None and recorder.phase in (Phase.RUNNING, Phase.PAUSED):
        recorder.tick(until)
    spans: list[StageSpan] = []
    current: tuple[datetime, int, bool] | None = None
    for at, phase, index in recorder.history:
        state = None if phase in (Phase.READY, Phase.FINISHED) else (index, phase is Phase.PAUSED)
        if current is not None and (state is None or state != current[1:]):
            if at > current[0]:
                spans.append(StageSpan(current[1], current[0], at, current[2]))
            current = None
        if state is not None and current is None:
            current = (at, *state)
    if current is not None:
        spans.append(StageSpan(current[1], current[0], None, current[2]))
    return tuple(spans)


def planned_spans(items: Sequence[AgendaItem], start: datetime) -> tuple[StageSpan, ...]:
    """Each stage's planned minutes laid end to end from the call's start."""
    spans = []
    at = start
    for index, item in enumerate(items):
        end = at + timedelta(minutes=item.minutes)
        if end > at:
            spans.append(StageSpan(index, at, end))
        at = end
    return tuple(spans)


# -- speakers and participants ---------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerMatches:
    matched: Mapping[str, int]  # speaker as written -> participant id
    unmatched: tuple[str, ...]  # in the order given, for the facilitator to fix

    def participant(self, speaker: str | None) -> int | None:
        return None if speaker is None else self.matched.get(speaker)


_SUFFIX = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|~)\s*$")


def name_key(name: str) -> str:
    """A name folded for matching: no suffixes, accents, case, emoji or punctuation
    between words. "José Martínez (Acme)", "jose martinez | Zoom" -> "jose martinez"."""
    text = unicodedata.normalize("NFKC", name)
    text = text.split("|")[0]
    previous = None
    while previous != text:
        previous = text
        text = _SUFFIX.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.casefold().replace("’", "'").replace("ʼ", "'")
    kept = "".join(ch if ch.isalnum() or ch in "'," else " " for ch in bare)
    return " ".join(kept.split()).strip(" ,")


def _keys(name: str) -> list[str]:
    """The name's keys, the usual order first: "Doe, Jane" as Outlook directories write
    it gives "jane doe", then "doe jane"."""
    key = name_key(name)
    if key.count(",") == 1:
        last, first = (part.strip() for part in key.split(","))
        if last and first:
            return [f"{first} {last}", f"{last} {first}"]
    key = " ".join(key.replace(",", " ").split())
    return [key] if key else []


class _Roster:
    def __init__(self, participants: Iterable[tuple[int, str]]) -> None:
        self.full: dict[str, set[int]] = {}
        self.first: dict[str, set[int]] = {}
        self.words: dict[int, list[str]] = {}
        for person, name in participants:
            keys = _keys(name)
            for key in keys:
                self.full.setdefault(key, set()).add(person)
            if keys:
                self.words[person] = keys[0].split()
                self.first.setdefault(self.words[person][0], set()).add(person)

    def find(self, speaker: str) -> int | None:
        keys = _keys(speaker)
        for key in keys:
            people = self.full.get(key, set())
            if len(people) == 1:
                return next(iter(people))
            if len(people) > 1:
                return None  # two people share the name: the facilitator decides
        for key in keys:
            words = key.split()
            people = self.first.get(words[0], set())
            if len(people) != 1:
                continue
            (person,) = people
            known = self.words[person]
            # "Aroha" for "Aroha Ngata"; "Tui Tamihana" for a participant known as
            # "Tui"; "Aroha N." for "Aroha Ngata".
            if len(words) == 1 or len(known) == 1 or _initials_fit(words[1:], known[1:]):
                return person
        return None


def _initials_fit(given: Sequence[str], known: Sequence[str]) -> bool:
    return (
        len(given) == len(known)
        and all(len(word) == 1 for word in given)
        and all(word == name[0] for word, name in zip(given, known, strict=True))
    )


def match_speakers(
    speakers: Iterable[str],
    participants: Iterable[tuple[int, str]],
    fixes: Mapping[str, int | None] = MappingProxyType({}),
) -> SpeakerMatches:
    """Each speaker's participant: the facilitator's fix first, then the whole name,
    then a first name only one participant has (with nothing after it, initials that
    fit, or against a participant known by the first name alone). A name two
    participants share matches nobody; a fix of None says the speaker is no
    participant (a guest), so it is neither matched nor listed."""
    roster = _Roster(participants)
    matched: dict[str, int] = {}
    unmatched: list[str] = []
    for speaker in dict.fromkeys(speakers):
        if speaker in fixes:
            fixed = fixes[speaker]
            if fixed is not None:
                matched[speaker] = fixed
            continue
        found = roster.find(speaker)
        if found is None:
            unmatched.append(speaker)
        else:
            matched[speaker] = found
    return SpeakerMatches(MappingProxyType(matched), tuple(unmatched))


# -- placing passages -----------------------------------------------------------------------


class Where(StrEnum):
    BEFORE = "before"  # before the call's first stage
    DURING = "during"
    AFTER = "after"  # after the call ended


@dataclass(frozen=True)
class PlacedPassage:
    passage: Passage
    at: datetime  # the instant it was said, offset applied
    where: Where
    stage: int | None  # agenda index when DURING (None when the agenda is empty)
    paused: bool  # said while the timer was paused
    participant: int | None


def check_offset(offset: timedelta) -> None:
    if abs(offset) > MAX_CLOCK_OFFSET:
        raise ValidationError.single(OFFSET_FIELD, "must be within 24 hours either way")


def align(
    passages: Iterable[Passage],
    spans: Sequence[StageSpan],
    recording_start: datetime,
    offset: timedelta = timedelta(0),
    speakers: SpeakerMatches | None = None,
) -> tuple[PlacedPassage, ...]:
    """Place every passage in the stage current when it began (its start, offset
    applied): before the first stage is "before the call", at or after the end of the
    last is "after the call". ``spans`` are in time order, as both span functions give."""
    check_offset(offset)
    starts = [span.start for span in spans]
    base = recording_start + offset
    placed = []
    for passage in passages:
        at = base + passage.start
        where, stage, paused = _place(at, spans, starts)
        person = speakers.participant(passage.speaker) if speakers is not None else None
        placed.append(PlacedPassage(passage, at, where, stage, paused, person))
    return tuple(placed)


def _place(
    at: datetime, spans: Sequence[StageSpan], starts: Sequence[datetime]
) -> tuple[Where, int | None, bool]:
    if not spans:
        return Where.DURING, None, False
    found = bisect.bisect_right(starts, at) - 1
    if found < 0:
        return Where.BEFORE, None, False
    span = spans[found]
    if span.end is not None and at >= span.end and found == len(spans) - 1:
        return Where.AFTER, None, False
    return Where.DURING, span.index, span.paused


def join_turns(
    placed: Sequence[PlacedPassage], gap: timedelta = JOIN_GAP, longest: int = JOIN_LONGEST
) -> tuple[PlacedPassage, ...]:
    """One passage per turn, for reading and quoting: Teams and Zoom cut a turn into
    cues of a few seconds. Consecutive passages of one named speaker are joined when
    they lie in the same stage (and the same side of a pause), no more than ``gap``
    apart, while the text stays within ``longest`` characters."""
    joined: list[PlacedPassage] = []
    for item in placed:
        last = joined[-1] if joined else None
        if (
            last is not None
            and item.passage.speaker is not None
            and item.passage.speaker == last.passage.speaker
            and (item.where, item.stage, item.paused) == (last.where, last.stage, last.paused)
            and last.passage.start <= item.passage.start <= last.passage.end + gap
            and len(last.passage.text) + 1 + len(item.passage.text) <= longest
        ):
            passage = replace(
                last.passage,
                end=max(last.passage.end, item.passage.end),
                text=f"{last.passage.text} {item.passage.text}",
                estimated=last.passage.estimated or item.passage.estimated,
            )
            joined[-1] = replace(last, passage=passage)
        else:
            joined.append(item)
    return tuple(joined)
