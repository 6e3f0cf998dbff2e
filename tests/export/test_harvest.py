"""The harvest PDF from plain values: every section, the empty cases, and steady bytes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from sanctuary_desktop.export.harvest import (
    ActionLine,
    CallAttendance,
    CallTiming,
    Harvest,
    PersonAttendance,
    QuoteLine,
    StageOverrun,
    ThemeCount,
    harvest_pdf,
)
from sanctuary_desktop.export.pdf import PaperSize

FIRST = datetime(2026, 3, 5, 17, tzinfo=UTC)


def harvest(**changes: Any) -> Harvest:
    base = Harvest(
        cohort="Te Awa Tupua — river leaders",
        focus="Leaders of river restoration in Aotearoa and Canada",
        facilitators="Maya Okafor, Léa Tremblay",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 9, 30),
        calls_held=3,
        calls_planned=7,
        participants=5,
        prepared=datetime(2026, 6, 1, 20, tzinfo=UTC),
        zone="Pacific/Auckland",
        notes=9,
        themes=(
            ThemeCount("funding", 4, 3),
            ThemeCount("kaitiakitanga — guardianship of the river and all it feeds", 2, 2),
        ),
        quotes=(QuoteLine("“Ka mua, ka muri.”", "Call 2", "Closing round", "Aroha Ngātai"),),
        actions=(ActionLine("Send the map to the iwi trust", "Mere Tūhoe-Walker", "Call 3"),),
        attendance=tuple(
            CallAttendance(n, f"Call {n} of 7", FIRST + timedelta(weeks=4 * (n - 1)), p, 5)
            for n, p in ((1, 5), (2, 4), (3, None))
        ),
        people=(PersonAttendance("Chloé Nguyễn", 2, 2), PersonAttendance("Zoë Fraser", 1, 2)),
        timings=(CallTiming(1, 90, 97.5, "Round 1: Generative discussion"),),
        long_stages=(StageOverrun("Generative discussion", 1, 2, 6.0),),
    )
    return replace(base, **changes)


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_every_section_prints_its_figures() -> None:
    reader, words = read(harvest_pdf(harvest()))
    assert reader.metadata is not None and "Te Awa Tupua" in (reader.metadata.title or "")
    for expected in (
        "LEARNING HARVEST",
        "3 of 7 planned",
        "Fri 6 Mar 2026",  # the first call, on the Auckland calendar
        "funding 4 3 of 3",
        "“Ka mua, ka muri.” Aroha Ngātai · Call 2 · Closing round",
        "Send the map to the iwi trust Mere Tūhoe-Walker Call 3",
        "5 of 5 100%",
        "4 of 5 80%",
        "not recorded",
        "1 held call had no attendance recorded",
        "Chloé Nguyễn 2 of 2 100%",
        "Call 1 90 min 98 min +8 min",
        "Generative discussion 1 of 2 6.0 min",
    ):
        assert expected in words, expected


def test_an_empty_harvest_says_what_is_missing() -> None:
    empty = harvest(
        calls_held=0, notes=0, themes=(), quotes=(), actions=(), attendance=(), people=(),
        timings=(), long_stages=(),
    )  # fmt: skip
    reader, words = read(harvest_pdf(empty, PaperSize.LETTER))
    assert len(reader.pages) == 1
    for expected in (
        "No notes from the held calls carry a theme tag yet.",
        "No quotes were noted",
        "No actions were noted",
        "No calls have been held yet.",
        "No call of this cohort was run with the live timer",
    ):
        assert expected in words


def test_only_the_bundled_fonts_are_used() -> None:
    reader, _ = read(harvest_pdf(harvest()))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
        for xobject in resources.get("/XObject", {}).values():
            inner = xobject.get_object().get("/Resources", {})
            for font in inner.get("/Font", {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts), fonts


def test_the_same_harvest_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    assert harvest_pdf(harvest()) == harvest_pdf(harvest())


def test_many_themes_are_charted_ten_and_listed_thirty() -> None:
    themes = tuple(ThemeCount(f"theme number {i}", 100 - i, 1) for i in range(45))
    _, words = read(harvest_pdf(harvest(themes=themes)))
    assert "theme number 29 71" in words and "theme number 30 70" not in words
    assert "15 further themes, each on 70 notes or fewer, are not listed." in words
