"""Suggested file names: safe on every system whatever a title holds, and still readable."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary_desktop.export.files import safe_file_name

WINDOWS_REFUSES = set('<>:"/\\|?*')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10))}
RESERVED |= {f"LPT{n}" for n in range(1, 10)}


def is_safe(name: str, suffix: str) -> bool:
    stem = name.partition(".")[0].rstrip(" ").upper()
    return (
        name.endswith(suffix)
        and not name.startswith((".", " ", "-"))
        and not (WINDOWS_REFUSES & set(name))
        and not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name)
        and not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in name)
        and len(name.encode()) <= 255
        and stem not in RESERVED
        and Path("/folder", name).parent == Path("/folder")
        and name[: -len(suffix)].rstrip() == name[: -len(suffix)]
    )


def test_titles_that_point_outside_the_folder_stay_inside() -> None:
    for title in ("../../.bashrc", "..", "/etc/passwd", "..\\..\\boot.ini", "a/../../b", "~/x"):
        name = safe_file_name("Kōwhai circle", title, suffix=".ics")
        assert is_safe(name, ".ics"), name
        assert Path("/home/me", name).resolve().parent == Path("/home/me")


def test_accents_dashes_and_scripts_are_kept_as_typed() -> None:
    assert safe_file_name("Kōwhai / circle", "Call 3 of 7", "session notes", suffix=".pdf") == (
        "Kōwhai - circle Call 3 of 7 session notes.pdf"
    )
    assert safe_file_name("Cohort — Call 3 · Chloé Nguyễn", suffix=".pdf") == (
        "Cohort — Call 3 · Chloé Nguyễn.pdf"
    )
    assert safe_file_name("佐藤 العربية हिन्दी", suffix=".ics") == "佐藤 العربية हिन्दी.ics"
    assert " _ " not in safe_file_name("A — B", "Session notes: Call 1", suffix=".pdf")
    assert safe_file_name("Session notes: Call 1", suffix=".pdf") == "Session notes - Call 1.pdf"
    # A decomposed accent (as macOS file names arrive) comes out composed.
    assert safe_file_name("Chloe\u0301", suffix=".pdf") == "Chloé.pdf"


def test_control_characters_reserved_names_and_dots() -> None:
    assert safe_file_name("a\x00b\tc\nd\u2028e", suffix=".pdf") == "a b c d e.pdf"
    assert safe_file_name("invoice\u202efdp.exe", suffix=".pdf") == "invoicefdp.exe.pdf"
    assert safe_file_name("CON", suffix=".ics") == "CON_.ics"
    assert safe_file_name("nul.txt", suffix=".ics") == "nul_.txt.ics"
    assert safe_file_name("Com1", suffix=".pdf") == "Com1_.pdf"
    assert safe_file_name("COM10", suffix=".pdf") == "COM10.pdf"
    assert safe_file_name(".hidden", suffix=".json") == "hidden.json"
    assert safe_file_name("ends with dots...", suffix=".pdf") == "ends with dots.pdf"
    assert safe_file_name("", "  ", suffix=".pdf") == "document.pdf"
    assert safe_file_name("...", suffix=".ics", fallback="cohort") == "cohort.ics"
    assert safe_file_name("a:b*c?", suffix=".pdf") == "a - b c.pdf"


def test_long_names_are_cut_between_characters() -> None:
    name = safe_file_name("é" * 400, suffix=".sanctuary")
    assert name.endswith(".sanctuary") and len(name.encode()) <= 255
    assert set(name.removesuffix(".sanctuary")) == {"é"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=3), st.sampled_from([".pdf", ".ics", ".json"]))
def test_any_text_gives_a_safe_name(parts: list[str], suffix: str) -> None:
    assert is_safe(safe_file_name(*parts, suffix=suffix), suffix)
