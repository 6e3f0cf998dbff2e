"""IANA time zones: validation and lookup by city or country."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def is_valid_zone(name: str) -> bool:
    if not name or name != name.strip() or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class ZoneChoice:
    """A zone as a person looks for it: by its city and its country."""

    name: str  # IANA name, e.g. "Pacific/Auckland"
    city: str  # "Auckland"
    countries: tuple[str, ...]  # ("New Zealand",)

    @property
    def label(self) -> str:
        where = ", ".join(self.countries)
        return f"{self.city} ({where}) — {self.name}" if where else self.name

    def matches(self, text: str) -> bool:
        needle = text.strip().casefold()
        if not needle:
            return True
        hay = " ".join((self.name.replace("_", " "), self.city, *self.countries)).casefold()
        return all(word in hay for word in needle.split())


def _read_tab(filename: str) -> list[list[str]]:
    import importlib.resources  # only for the zone picker's list, never at start-up

    path = importlib.resources.files("tzdata").joinpath("zoneinfo", filename)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@functools.cache
def zone_choices() -> tuple[ZoneChoice, ...]:
    """Every canonical zone with its countries, sorted by city."""
    country_names = {row[0]: row[1] for row in _read_tab("iso3166.tab")}
    found: dict[str, tuple[str, ...]] = {}
    for row in _read_tab("zone1970.tab"):
        codes, name = row[0], row[2]
        found[name] = tuple(country_names.get(code, code) for code in codes.split(","))
    found.setdefault("UTC", ())
    valid = available_timezones()
    choices = [
        ZoneChoice(name=name, city=name.rsplit("/", 1)[-1].replace("_", " "), countries=c)
        for name, c in found.items()
        if name in valid or name == "UTC"
    ]
    return tuple(sorted(choices, key=lambda z: (z.city.casefold(), z.name)))


def search_zones(text: str) -> list[ZoneChoice]:
    return [z for z in zone_choices() if z.matches(text)]


def city_of(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")
