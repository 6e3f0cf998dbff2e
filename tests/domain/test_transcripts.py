"""Transcripts as Zoom, Teams and Meet write them, placed in the stages of the call.

The files under tests/data/transcripts are shaped as each service writes them: Teams'
WebVTT with GUID cue identifiers and voice tags (UTF-8 with a byte-order mark and CRLF,
and the same in UTF-16), the older Teams/Stream WebVTT with NOTE blocks, Zoom's cloud
recording WebVTT ("Name: text" cues), Zoom's saved transcript ("[Name] 11:02:09"),
Google Meet's transcript document saved as text (both the current shape with a time
line every minute or so and the 2023 shape with attendees and a time every five
minutes), and a SubRip file saved in Windows-1252.
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain.agenda import AgendaItem
from sanctuary_desktop.domain.clock import ManualClock
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import StopKind
from sanctuary_desktop.domain.timer import Action, LiveTimer
from sanctuary_desktop.domain.transcripts import (
    FIELD,
    JOIN_LONGEST,
    MAX_LINES,
    MAX_PASSAGES,
    MAX_PROBLEMS,
    MAX_TRANSCRIPT_BYTES,
    OFFSET_FIELD,
    Passage,
    SpeakerMatches,
    StageSpan,
    Transcript,
    TranscriptFormat,
    Where,
    align,
    join_turns,
    match_speakers,
    name_key,
    parse_transcript,
    planned_spans,
    recording_start,
    timer_spans,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "transcripts"
START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def read(name: str) -> Transcript:
    return parse_transcript((DATA / name).read_bytes())


def rows(transcript: Transcript) -> list[tuple[float, str | None, str]]:
    return [(p.start.total_seconds(), p.speaker, p.text) for p in transcript.passages]


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_transcript(data)
    message = caught.value.for_field(FIELD)
    assert message is not None, caught.value
    return message


# -- the files as each service writes them --------------------------------------------------


def test_teams_vtt_with_a_bom_crlf_guid_ids_and_a_blank_cue() -> None:
    raw = (DATA / "teams.vtt").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and b"\r\n" in raw
    transcript = read("teams.vtt")
    assert transcript.format is TranscriptFormat.WEBVTT
    assert transcript.encoding == "utf-8-sig"
    assert rows(transcript) == [
        (3.25, "Aroha Ngata", "Kia ora everyone, welcome back to the cohort."),
        (7.91, "Aroha Ngata", "Let's begin with a check-in round."),
        (12.02, "Martínez, José (Guest)", "Hola. I'm arriving from a long week & a longer flight."),
        # Mei Chen's empty cue at 00:00:19.100 said nothing and is left out, not a problem.
        (20.0, "Mei Chen", "I keep coming back to the question of who holds power in our network."),
        (
            580.0,
            "Siobhán O'Neill",
            "What would it look like if the funders were in the room with us?",
        ),
    ]
    assert transcript.passages[0].end == timedelta(seconds=7.91)
    assert transcript.passages[0].line == 4  # the timing line, under the GUID identifier
    assert transcript.problems == () and transcript.problem_count == 0
    assert transcript.speakers == (
        "Aroha Ngata",
        "Martínez, José (Guest)",
        "Mei Chen",
        "Siobhán O'Neill",
    )
    assert transcript.length == timedelta(seconds=587.5)


def test_utf16_with_or_without_a_bom_reads_the_same() -> None:
    raw = (DATA / "teams_utf16.vtt").read_bytes()
    assert raw.startswith(codecs.BOM_UTF16_LE)
    expected = rows(read("teams.vtt"))
    assert rows(read("teams_utf16.vtt")) == expected
    text = raw[2:].decode("utf-16-le")
    for encoding in ("utf-16-le", "utf-16-be"):
        transcript = parse_transcript(text.encode(encoding))
        assert transcript.encoding == encoding
        assert rows(transcript) == expected
    assert rows(parse_transcript(text.encode("utf-32"))) == expected


def test_old_teams_vtt_with_note_blocks_and_two_voices_in_one_cue() -> None:
    transcript = read("teams_stream.vtt")
    assert rows(transcript) == [
        (0.0, "Aroha Ngata", "Good morning, good afternoon, good evening."),
        (4.12, "Aroha Ngata", "Today Mei is presenting."),
        (4.12, "Mei Chen", "Thank you, I'm a bit nervous."),
        (9.0, "Priya Raman | Zoom", "Take your time."),
    ]
    assert transcript.problems == ()


def test_zoom_vtt_names_the_speaker_before_a_colon() -> None:
    transcript = read("zoom.vtt")
    assert rows(transcript) == [
        (2.12, "Aroha Ngata", "Hello everyone, can you all hear me?"),
        (
            6.48,
            "José Martínez",
            "Yes, loud and clear. Just give me one second to turn my camera on.",
        ),
        (11.88, "Mei Chen (Green Futures Trust)", "Same here."),
        (14.0, None, "Okay, great, let's start."),
    ]
    assert [p.line for p in transcript.passages] == [4, 8, 13, 17]


def test_cue_settings_style_region_note_tags_and_broken_cues() -> None:
    transcript = read("everything.vtt")
    assert rows(transcript) == [
        (1.0, None, "Welcome to the harvest call."),  # identifier "intro", settings after
        (5.0, "Aroha Ngata", "Let us pause for a breath."),  # <v.loud …>, a time tag inside
        (16.0, None, "<laughter> That's the spirit — truly."),  # character references
    ]
    assert [(p.line, p.message) for p in transcript.problems] == [
        (25, "ends before it starts"),
        (28, 'has a time that is not a time: "00:00:10.000 --> 00:00:61.000"'),
        (31, 'has a time line that could not be read: "00:00:12,000 --> soon"'),
        (34, "has text but no time (expected a line like 00:01:02.000 --> …)"),
    ]
    assert str(transcript.problems[0]) == "line 25: ends before it starts"


def test_subrip_in_windows_1252_with_windows_line_endings() -> None:
    raw = (DATA / "subrip_cp1252.srt").read_bytes()
    assert b"\r\n" in raw and b"\xe9" in raw  # "é" as Windows-1252 writes it
    transcript = read("subrip_cp1252.srt")
    assert transcript.format is TranscriptFormat.SUBRIP
    assert transcript.encoding == "cp1252"
    assert rows(transcript) == [
        (1.0, "Aroha Ngata", "Bienvenue à tous, café first?"),
        (4.5, "José Martínez", "Sí, por favor — and a croissant."),
        (10.0, None, "Everyone laughs."),
    ]
    assert [(p.line, p.message) for p in transcript.problems] == [
        (10, 'has a time line that could not be read: "00:00:07,000 -> 00:00:09,000"')
    ]


def test_old_mac_line_endings_and_cues_without_a_blank_line_between() -> None:
    text = "1\r00:00:01,000 --> 00:00:02,000\rFirst.\r2\r00:00:03,000 --> 00:00:04,000\rSecond.\r"
    transcript = parse_transcript(text.encode())
    assert rows(transcript) == [(1.0, None, "First."), (3.0, None, "Second.")]


def test_a_first_cue_right_under_the_webvtt_header_is_kept() -> None:
    transcript = parse_transcript(b"WEBVTT\nKind: captions\n00:00:01.000 --> 00:00:02.000\nHi.\n")
    assert rows(transcript) == [(1.0, None, "Hi.")]


def test_zoom_saved_transcript_keeps_the_time_of_day_of_its_first_line() -> None:
    transcript = read("zoom_transcript.txt")
    assert transcript.format is TranscriptFormat.ZOOM_TEXT
    assert transcript.clock_start == time(11, 2, 9)
    assert rows(transcript) == [
        (0.0, "Aroha Ngata", "Kia ora koutou, welcome to our fourth call."),
        (6.0, "José Martínez", "Hola, good to see everyone."),
        (12.0, "Mei Chen", "Hi all. I have a challenge I'd like to bring today."),
        (631.0, "Aroha Ngata", "Let's move into the clarifying questions."),
        (713.0, "Siobhán O'Neill", "What have you already tried?"),
    ]
    # A turn ends when its words would take, or when the next one begins if sooner.
    mei, aroha = transcript.passages[2], transcript.passages[3]
    assert mei.end == mei.start + timedelta(seconds=len(mei.text) / 15) < aroha.start
    # The recording began at 11:02:09 on the call's day in the zone of the computer.
    auckland = ZoneInfo("Pacific/Auckland")
    call_start = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)  # 11:00 on the 4th in Auckland
    began = recording_start(transcript, call_start, auckland)
    assert began == datetime(2026, 12, 4, 11, 2, 9, tzinfo=auckland)
    assert recording_start(read("teams.vtt"), call_start, auckland) == call_start


def test_zoom_saved_transcript_with_elapsed_times_and_past_midnight() -> None:
    elapsed = parse_transcript(b"[Mei Chen] 00:00:12\nHello.\n\n[Aroha Ngata] 00:01:02\nHi.\n")
    assert elapsed.clock_start is None
    assert rows(elapsed) == [(12.0, "Mei Chen", "Hello."), (62.0, "Aroha Ngata", "Hi.")]
    late = parse_transcript(
        "[Aroha Ngata] 11:58:50 PM\nStill here.\n\n[José Martínez] 12:00:30 AM\nPast midnight.\n"
        "\nA line with no speaker.\n".encode()
    )
    assert late.clock_start == time(23, 58, 50)
    assert rows(late) == [
        (0.0, "Aroha Ngata", "Still here."),
        (100.0, "José Martínez", "Past midnight."),
    ]
    assert [(p.line, p.message) for p in late.problems] == [
        (7, "has text but no [speaker] and time before it")
    ]


def test_meet_transcript_spreads_passages_between_its_time_lines() -> None:
    transcript = read("meet_transcript.txt")
    assert transcript.format is TranscriptFormat.MEET_TEXT
    assert [(p.speaker, p.text[:25]) for p in transcript.passages] == [
        ("Aroha Ngata", "Okay, welcome everyone. L"),
        ("José Martínez", "Good morning from Bogotá."),
        ("Aroha Ngata", "Mei, are you ready to sha"),
        ("Mei Chen", "Yes. The challenge I'm ho"),
        ("Siobhán O'Neill", "Can I ask a clarifying qu"),  # the empty line before it is dropped
        ("Mei Chen", "Of course."),
    ]
    starts = [p.start for p in transcript.passages]
    assert starts == sorted(starts)
    # A passage right under a time line starts there exactly; the others are estimated.
    assert [(p.start, p.estimated) for p in transcript.passages if not p.estimated] == [
        (timedelta(0), False),
        (timedelta(seconds=90), False),
        (timedelta(seconds=180), False),
    ]
    assert all(timedelta(0) < p.start < 90 * S for p in transcript.passages[1:3])
    assert transcript.passages[2].end == 90 * S  # the group ends at the next time line
    assert transcript.passages[-1].end == 200 * S  # "Transcription ended after 00:03:20"
    assert transcript.problems == ()  # title (with a colon), date, notice: all header


def test_meet_transcript_of_2023_with_attendees_and_a_time_every_five_minutes() -> None:
    transcript = read("meet_transcript_2023.txt")
    assert [(p.speaker, p.estimated) for p in transcript.passages] == [
        ("Aroha Ngata", True),
        ("Mei Chen", True),
        ("Aroha Ngata", False),
    ]
    first, second, third = transcript.passages
    assert first.start == timedelta(0)
    assert second.text.endswith("I'm glad to finally bring it to the group.")  # two lines
    assert second.end == third.start == timedelta(minutes=5)
    assert third.end == third.start + timedelta(seconds=len(third.text) / 15)
    assert transcript.problems == ()


@pytest.mark.parametrize("name", ["not_a_transcript.txt", "roster.csv"], ids=["notes", "roster"])
def test_a_file_that_is_not_a_transcript_is_refused(name: str) -> None:
    message = refused((DATA / name).read_bytes())
    assert message.startswith("is not a transcript")
    assert "WebVTT (.vtt) or SubRip (.srt)" in message


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"", "is empty"),
        (b"  \r\n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "is not a text file"),
        (b"WEBVTT\n\nNOTE nothing else\n", "is not a transcript"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nBackwards.\n", "is not a transcript"),
        (b"Meeting - Transcript\n00:00:00\nno speaker here\n", "is not a transcript"),
    ],
    ids=["empty", "blank", "binary", "header-only", "only-broken", "meet-without-speakers"],
)
def test_whole_file_refusals(data: bytes, start: str) -> None:
    assert refused(data).startswith(start)


def test_a_refusal_names_the_first_bad_line() -> None:
    message = refused(b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nBackwards.\n")
    assert "(line 3: ends before it starts)" in message


def test_too_large_is_refused_before_reading() -> None:
    assert refused(b" " * (MAX_TRANSCRIPT_BYTES + 1)).startswith("is larger than 8 MB")
    assert refused(b"\n" * MAX_LINES + b"x").startswith("has more than 200,000 lines")


def test_too_many_passages_or_voices_are_refused() -> None:
    cue = "00:00:01.000 --> 00:00:02.000\n<v a>w</v><v b>x</v>\n\n"  # two passages each
    assert refused(f"WEBVTT\n\n{cue * (MAX_PASSAGES // 2 + 1)}".encode()).startswith(
        "has more than 100,000 passages"
    )
    voices = "<v a>w<v b>x" * (MAX_PASSAGES // 2 + 1)
    assert refused(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{voices}\n".encode()).startswith(
        "has more than 100,000 passages"
    )


def test_a_file_of_bad_cues_is_refused_once_the_problems_fill_up() -> None:
    bad = "00:00:02.000 --> 00:00:01.000\nBackwards.\n\n" * (MAX_LINES // 4)
    good = "00:00:00.000 --> 00:00:01.000\nToo late to count.\n"
    message = refused(f"WEBVTT\n\n{bad}{good}".encode())
    assert message.startswith("is not a transcript (line 3: ends before it starts)")


def test_problems_are_kept_up_to_a_limit_and_all_counted() -> None:
    bad = "00:00:02.000 --> 00:00:01.000\nBackwards.\n\n" * (MAX_PROBLEMS + 100)
    transcript = parse_transcript(
        f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nFine.\n\n{bad}".encode()
    )
    assert len(transcript.passages) == 1
    assert len(transcript.problems) == MAX_PROBLEMS
    assert transcript.problem_count == MAX_PROBLEMS + 100


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("Aroha Ngata: Hello.", "Aroha Ngata"),
        ("Aroha Ngata ~: Hello.", "Aroha Ngata"),  # Meet marks some names with a tilde
        ("李明：你好。", "李明"),  # a full-width colon
        ("Note: bring the harvest.", "Note"),  # a name cannot be told from a label
        ("At 10:30 we start.", None),
        ("Is this the room? Yes: it is.", None),
        ("See https://example.org: the page.", None),
        ("2 things: first, second.", None),
        ("One two three four five six seven: too long for a name.", None),
    ],
)
def test_what_counts_as_a_speaker_before_a_colon(line: str, speaker: str | None) -> None:
    transcript = parse_transcript(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{line}\n".encode())
    assert transcript.passages[0].speaker == speaker


def test_control_characters_and_bidi_text_are_cleaned_not_refused() -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v سارا>سلام\x07 دنیا\u2028again\x0c</v>\n"
    transcript = parse_transcript(text.encode())
    assert rows(transcript) == [(1.0, "سارا", "سلام دنیا again")]


# -- arbitrary input ---------------------------------------------------------------------


FRAGMENTS = st.sampled_from(
    [
        "WEBVTT",
        "",
        "\r\n",
        "1",
        "00:00:01.000 --> 00:00:02.000",
        "00:00:61.000 --> 00:00:02.000 align:start",
        "99:59:59,999 --> 00:00:00,000",
        "<v Aroha>",
        "</v>",
        "<v>",
        "<c.x>",
        "&amp;",
        "&#99999999;",
        "NOTE",
        "STYLE",
        "[Mei] 11:02:09",
        "[Mei] 13:02:09 PM",
        "00:05:00",
        "999:59:59",
        "Transcription ended after 00:00:01",
        "Title - Transcript",
        "Aroha: hello",
        "Aroha:",
        "\ufeff",
        "\x00",
        "é",
        "-->",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40),
    st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1"]),
)
def test_transcript_like_text_never_raises_anything_but_validation_error(
    parts: list[str], encoding: str
) -> None:
    text = "\n".join(parts)
    try:
        data = text.encode(encoding, errors="replace")
    except UnicodeEncodeError:  # lone surrogates in utf-16
        data = text.encode("utf-8", errors="replace")
    check_any(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises_anything_but_validation_error(text: str) -> None:
    check_any(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_but_validation_error(data: bytes) -> None:
    check_any(data)


def check_any(data: bytes) -> None:
    try:
        transcript = parse_transcript(data)
    except ValidationError as error:
        assert error.for_field(FIELD)
        return
    assert transcript.passages
    for passage in transcript.passages:
        assert passage.text and passage.text == passage.text.strip()
        assert timedelta(0) <= passage.start <= passage.end
        passage.text.encode("utf-8")  # storable
        if passage.speaker is not None:
            passage.speaker.encode("utf-8")
    assert transcript.problem_count >= len(transcript.problems)


# -- speakers ---------------------------------------------------------------------------------

PEOPLE = [
    (1, "Aroha Ngata"),
    (2, "José Martínez"),
    (3, "Mei Chen"),
    (4, "Siobhán O'Neill"),
    (5, "Priya Raman"),
    (6, "Jane Doe"),
    (7, "Jane Smith"),
    (8, "李明"),
    (9, "Tui"),
]


def test_name_keys_ignore_accents_case_and_suffixes() -> None:
    assert name_key("José Martínez (Guest)") == "jose martinez"
    assert name_key("  jose   MARTINEZ | Zoom ") == "jose martinez"
    assert name_key("Siobhán O’Neill (she/her) [Host]") == "siobhan o'neill"
    assert name_key("Jean-Paul Sartre") == "jean paul sartre"
    assert name_key("李明") == "李明"
    assert name_key("Aroha 🌿 Ngata!") == "aroha ngata"


def test_speakers_match_participants_by_name() -> None:
    speakers = [
        "Aroha Ngata",
        "Martínez, José (Guest)",
        "mei chen (Green Futures Trust)",
        "Siobhan O'Neill",
        "Priya Raman | Zoom",
        "Aroha",  # first name alone, only one Aroha
        "Jane",  # two Janes: the facilitator decides
        "Jane Roe",  # a Jane, but not one we know
        "李明",
        "Tui Tamihana",  # the participant is known by a first name only
        "Zoom user",
        "Priya R.",  # initials that fit
        "Priya S.",  # initials that do not
        "🌻 Mei Chen 🌻",
        "Aroha Ngata",  # repeated: listed once
    ]
    matches = match_speakers(speakers, PEOPLE)
    assert dict(matches.matched) == {
        "Aroha Ngata": 1,
        "Martínez, José (Guest)": 2,
        "mei chen (Green Futures Trust)": 3,
        "Siobhan O'Neill": 4,
        "Priya Raman | Zoom": 5,
        "Aroha": 1,
        "李明": 8,
        "Tui Tamihana": 9,
        "Priya R.": 5,
        "🌻 Mei Chen 🌻": 3,
    }
    assert matches.unmatched == ("Jane", "Jane Roe", "Zoom user", "Priya S.")
    assert matches.participant("Aroha") == 1
    assert matches.participant(None) is None


def test_two_people_with_one_name_match_nobody_and_fixes_come_first() -> None:
    people = [(1, "Sam Lee"), (2, "Sam Lee"), (3, "Ana Silva")]
    matches = match_speakers(["Sam Lee", "Ana Silva", "Guest 1"], people)
    assert matches.unmatched == ("Sam Lee", "Guest 1")
    fixed = match_speakers(
        ["Sam Lee", "Ana Silva", "Guest 1"], people, {"Sam Lee": 2, "Guest 1": None, "Ana Silva": 1}
    )
    assert dict(fixed.matched) == {"Sam Lee": 2, "Ana Silva": 1}
    assert fixed.unmatched == ()  # "Guest 1" is nobody, by the facilitator's word


# -- stages ---------------------------------------------------------------------------------


def agenda(*minutes: int, hard: int | None = None) -> tuple[AgendaItem, ...]:
    return tuple(
        AgendaItem(
            name=f"Stage {n}",
            minutes=m,
            stop=StopKind.HARD if hard == n - 1 else StopKind.SOFT,
        )
        for n, m in enumerate(minutes, 1)
    )


def passage_at(seconds: float, speaker: str | None = None) -> Passage:
    offset = timedelta(seconds=seconds)
    return Passage(offset, offset + 5 * S, speaker, f"at {seconds}", 1)


def places(placed: tuple[object, ...]) -> list[tuple[str, int | None, bool]]:
    return [(p.where.value, p.stage, p.paused) for p in placed]  # type: ignore[attr-defined]


def live_call() -> tuple[tuple[AgendaItem, ...], LiveTimer]:
    """Four stages of 10 minutes, started 2 minutes late. Stage 1 runs 12 minutes;
    stage 2 is paused for 5 and given 3 more; stage 3 runs a minute before the
    facilitator goes back to stage 2 for 2 more, then skips stage 2 and stage 3 to
    reach stage 4, and finishes 10 minutes later."""
    items = agenda(10, 10, 10, 10)
    clock = ManualClock(START + 2 * 60 * S)
    timer = LiveTimer(items, START, 40)
    timer.command(Action.START, clock())  # 17:02
    timer.command(Action.NEXT, clock.advance(12 * 60))  # 17:14 stage 2
    timer.command(Action.PAUSE, clock.advance(4 * 60))  # 17:18
    timer.command(Action.RESUME, clock.advance(5 * 60))  # 17:23
    timer.command(Action.ADJUST, clock(), amount=3 * 60)
    timer.command(Action.NEXT, clock.advance(9 * 60))  # 17:32 stage 3
    timer.command(Action.BACK, clock.advance(60))  # 17:33 stage 2 again
    timer.command(Action.SKIP, clock.advance(2 * 60))  # 17:35 stage 3
    timer.command(Action.SKIP, clock.advance(30))  # 17:35:30 stage 4
    timer.command(Action.FINISH, clock.advance(10 * 60))  # 17:45:30
    return items, timer


def at(hours: int, minutes: int, seconds: int = 0) -> datetime:
    return datetime(2026, 12, 3, hours, minutes, seconds, tzinfo=UTC)


def test_timer_spans_follow_pauses_skips_going_back_and_added_minutes() -> None:
    items, timer = live_call()
    spans = timer_spans(items, START, 40, timer.events)
    assert spans == (
        StageSpan(0, at(17, 2), at(17, 14)),
        StageSpan(1, at(17, 14), at(17, 18)),
        StageSpan(1, at(17, 18), at(17, 23), paused=True),
        StageSpan(1, at(17, 23), at(17, 32)),
        StageSpan(2, at(17, 32), at(17, 33)),
        StageSpan(1, at(17, 33), at(17, 35)),
        StageSpan(2, at(17, 35), at(17, 35, 30)),
        StageSpan(3, at(17, 35, 30), at(17, 45, 30)),
    )


def test_passages_are_placed_in_the_stage_running_when_they_were_said() -> None:
    items, timer = live_call()
    spans = timer_spans(items, START, 40, timer.events)
    recording = at(17, 0, 30)  # the recording began 30 s after the scheduled start
    seconds = [
        60,  # 17:01:30 before the timer started: before the call
        100,  # 17:02:10 stage 1
        12 * 60 + 60,  # 17:13:30 stage 1, run over its 10 minutes
        20 * 60,  # 17:20:30 stage 2, paused
        28 * 60,  # 17:28:30 stage 2 with its added minutes, past its planned end
        32 * 60,  # 17:32:30 stage 3, before going back
        33 * 60 + 30,  # 17:34 stage 2 again
        35 * 60,  # 17:35:30 at the instant stage 4 begins
        45 * 60,  # 17:45:30 the instant the call finished: after the call
        50 * 60,  # after the call
    ]
    placed = align([passage_at(s) for s in seconds], spans, recording)
    assert places(placed) == [
        ("before", None, False),
        ("during", 0, False),
        ("during", 0, False),
        ("during", 1, True),
        ("during", 1, False),
        ("during", 2, False),
        ("during", 1, False),
        ("during", 3, False),
        ("after", None, False),
        ("after", None, False),
    ]
    assert placed[1].at == at(17, 2, 10)
    # The same passages by the plan alone: the plan knows nothing of the added minutes.
    by_plan = align([passage_at(s) for s in seconds], planned_spans(items, START), recording)
    assert [p.stage for p in by_plan] == [0, 0, 1, 2, 2, 3, 3, 3, None, None]
    assert by_plan[-1].where is Where.AFTER


def test_the_clock_offset_moves_every_passage() -> None:
    items = agenda(10, 10)
    spans = planned_spans(items, START)
    passages = [passage_at(9 * 60 + 30)]
    assert places(align(passages, spans, START)) == [("during", 0, False)]
    assert places(align(passages, spans, START, timedelta(seconds=45))) == [("during", 1, False)]
    assert places(align(passages, spans, START, timedelta(minutes=-10))) == [
        ("before", None, False)
    ]
    with pytest.raises(ValidationError) as caught:
        align(passages, spans, START, timedelta(hours=25))
    assert caught.value.for_field(OFFSET_FIELD) == "must be within 24 hours either way"


def test_a_log_still_running_is_carried_on_to_the_hard_stops_due() -> None:
    items = agenda(5, 5, 5, hard=1)  # the second stage stops hard at zero
    clock = ManualClock(START)
    timer = LiveTimer(items, START, 15)
    timer.command(Action.START, clock())
    timer.command(Action.NEXT, clock.advance(5 * 60))  # 17:05 stage 2, hard
    # The app closed here; the log ends with stage 2 running.
    open_ended = timer_spans(items, START, 15, timer.events)
    assert open_ended[-1] == StageSpan(1, at(17, 5), None)
    carried = timer_spans(items, START, 15, timer.events, until=at(17, 30))
    assert carried[-2:] == (
        StageSpan(1, at(17, 5), at(17, 10)),  # its hard stop moved the call on
        StageSpan(2, at(17, 10), None),  # a soft stop runs on until told
    )
    placed = align([passage_at(20 * 60)], open_ended, START)
    assert places(placed) == [("during", 1, False)]  # an open span takes everything after


def test_a_call_never_timed_has_no_spans_and_an_empty_agenda_places_nothing() -> None:
    items = agenda(10)
    assert timer_spans(items, START, 10, ()) == ()
    assert planned_spans((), START) == ()
    assert places(align([passage_at(5)], (), START)) == [("during", None, False)]


def test_a_teams_transcript_end_to_end() -> None:
    transcript = read("teams.vtt")
    items = agenda(1, 5, 10)
    matches = match_speakers(transcript.speakers, PEOPLE)
    assert isinstance(matches, SpeakerMatches) and matches.unmatched == ()
    placed = align(
        transcript.passages, planned_spans(items, START), START, timedelta(seconds=50), matches
    )
    assert [(p.passage.speaker, p.participant, p.stage) for p in placed] == [
        ("Aroha Ngata", 1, 0),
        ("Aroha Ngata", 1, 0),
        ("Martínez, José (Guest)", 2, 1),  # 00:00:12 + 50 s is past the first minute
        ("Mei Chen", 3, 1),
        ("Siobhán O'Neill", 4, 2),
    ]


def test_a_turn_cut_into_cues_is_joined_within_its_stage() -> None:
    cues = [
        Passage(0 * S, 4 * S, "Mei Chen", "it's really.", 1),
        Passage(5 * S, 7 * S, "Mei Chen", "it's really new, like.", 5),  # 1 s later
        Passage(7 * S, 9 * S, "Mei Chen", "I was shocked.", 9),  # the same instant
        Passage(9 * S, 10 * S, None, "Someone unnamed.", 13),  # no speaker: never joined
        Passage(10 * S, 12 * S, "Mei Chen", "Yes.", 17),
        Passage(16 * S, 18 * S, "Mei Chen", "A new thought.", 21),  # 4 s later: a new turn
        Passage(19 * S, 22 * S, "Mei Chen", "Into the next stage.", 25),
        Passage(22 * S, 23 * S, "Aroha Ngata", "Thank you.", 29),
    ]
    spans = (StageSpan(0, START, START + 19 * S), StageSpan(1, START + 19 * S, None))
    turns = join_turns(align(cues, spans, START))
    assert [(t.passage.line, t.stage, t.passage.text) for t in turns] == [
        (1, 0, "it's really. it's really new, like. I was shocked."),
        (13, 0, "Someone unnamed."),
        (17, 0, "Yes."),
        (21, 0, "A new thought."),
        (25, 1, "Into the next stage."),
        (29, 1, "Thank you."),
    ]
    assert turns[0].passage.start == 0 * S and turns[0].passage.end == 9 * S
    long = [Passage(i * S, (i + 1) * S, "Mei Chen", "x" * 900, i) for i in range(5)]
    joined = join_turns(align(long, spans, START))
    assert [len(t.passage.text) for t in joined] == [1801, 1801, 900]
    assert all(len(t.passage.text) <= JOIN_LONGEST for t in joined)
