"""Zone search finds the cities people live in, the names and abbreviations they use, and
Windows' zone names, in English and French, with a slip of the keyboard forgiven."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain.zones import (
    is_valid_zone,
    search_zones,
    zone_choices,
    zone_for,
)

CITIES = {
    "Montreal": "America/Toronto",
    "Montréal": "America/Toronto",
    "Ottawa": "America/Toronto",
    "Québec": "America/Toronto",
    "Seattle": "America/Los_Angeles",
    "San Francisco": "America/Los_Angeles",
    "Boston": "America/New_York",
    "Wellington": "Pacific/Auckland",
    "Canberra": "Australia/Sydney",
    "Cape Town": "Africa/Johannesburg",
    "Accra": "Africa/Accra",
    "Munich": "Europe/Berlin",
    "Geneva": "Europe/Zurich",
    "Genève": "Europe/Zurich",
    "Addis Ababa": "Africa/Addis_Ababa",
    "Addis-Abeba": "Africa/Addis_Ababa",
    "Nairobi": "Africa/Nairobi",
    "Auckland": "Pacific/Auckland",
    "Tāmaki Makaurau": "Pacific/Auckland",
}

ABBREVIATIONS = {
    "PST": "America/Vancouver",
    "EST": "America/Toronto",
    "AEST": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "CET": "Europe/Paris",
    "EAT": "Africa/Addis_Ababa",
}

WINDOWS = {
    "New Zealand Standard Time": "Pacific/Auckland",
    "NZ Standard Time": "Pacific/Auckland",
    "E. Africa Standard Time": "Africa/Nairobi",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "Pacific Standard Time": "America/Los_Angeles",
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("typed", "expected"), sorted(CITIES.items()))
def test_cities_are_found_first(typed: str, expected: str, language: str) -> None:
    found = [choice.name for choice in search_zones(typed, language)]
    assert found[0] == expected


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("typed", "expected"), sorted(ABBREVIATIONS.items()))
def test_abbreviations_offer_their_zones_near_the_top(
    typed: str, expected: str, language: str
) -> None:
    found = [choice.name for choice in search_zones(typed, language)]
    assert expected in found[:5]


@pytest.mark.parametrize(("typed", "expected"), sorted(WINDOWS.items()))
def test_windows_names(typed: str, expected: str) -> None:
    found = [choice.name for choice in search_zones(typed)]
    assert expected in found[:3]


def test_zone_names_in_both_languages() -> None:
    assert search_zones("heure de l'Est")[0].name == "America/Toronto"
    assert search_zones("Eastern Time")[0].name == "America/Toronto"
    assert search_zones("heure de la Nouvelle-Zélande")[0].name == "Pacific/Auckland"
    assert "Australia/Melbourne" in [c.name for c in search_zones("Australian Eastern")]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Aukland", "Pacific/Auckland"),
        ("Vancuver", "America/Vancouver"),
        ("Wellingtn", "Pacific/Auckland"),
        ("Sydeny", "Australia/Sydney"),
        ("Nairboi", "Africa/Nairobi"),
    ],
)
def test_one_slip_is_forgiven(typed: str, expected: str) -> None:
    assert search_zones(typed, forgiving=True)[0].name == expected
    assert search_zones(typed) == [], "only when asked: a file's zone must be exact"


def test_exact_names_resolve_to_one_zone() -> None:
    assert zone_for("Pacific/Auckland") == "Pacific/Auckland"
    assert zone_for("New Zealand Standard Time") == "Pacific/Auckland"
    assert zone_for("Montréal") == "America/Toronto"
    assert zone_for("Asia/Calcutta") == "Asia/Calcutta"  # an old name zoneinfo knows
    assert zone_for("EST") is None, "an abbreviation of many zones names none"
    assert zone_for("Springfield") is None


def test_french_labels() -> None:
    [addis] = [c for c in zone_choices("fr") if c.name == "Africa/Addis_Ababa"]
    assert addis.label == "Addis-Abeba (Éthiopie) — Africa/Addis_Ababa"
    [auckland] = [c for c in zone_choices("en") if c.name == "Pacific/Auckland"]
    assert auckland.city == "Auckland" and "New Zealand" in auckland.countries


def test_every_choice_is_a_zone_and_blank_lists_them_all() -> None:
    choices = zone_choices()
    assert all(is_valid_zone(choice.name) for choice in choices)
    assert len(search_zones("  ")) == len(choices)
    assert search_zones("zzqxw") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_gives_a_list(text: str) -> None:
    found = search_zones(text, forgiving=True)
    assert all(is_valid_zone(choice.name) for choice in found)
