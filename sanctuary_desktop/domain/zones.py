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
    city: str  # "Auckland", in the language asked for
    countries: tuple[str, ...]  # ("New Zealand",)

    @property
    def keys(self) -> tuple[str, ...]:
        """Everything it may be looked up by, folded: other cities, the same city in
        English and French, zone names ("heure de l'Est", "Pacific Time"), abbreviations
        ("PST"), Windows names ("New Zealand Standard Time"), older IANA names. Built on
        the first search, not when a list of zones is shown."""
        return _search_keys().get(self.name, ())

    @property
    def label(self) -> str:
        where = ", ".join(self.countries)
        return f"{self.city} ({where}) — {self.name}" if where else self.name

    def matches(self, text: str) -> bool:
        return not text.strip() or _score(self, _fold(text)) > 0


def _read_tab(filename: str) -> list[list[str]]:
    import importlib.resources  # only for the zone picker's list, never at start-up

    path = importlib.resources.files("tzdata").joinpath("zoneinfo", filename)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


# Cities people live in that share a zone with a city the zone is named after. CLDR and
# tzdata name one city per zone; these are the others a facilitator in this app's regions
# is likely to type. Keys are folded (no accents, lower case).
CITY_ALIASES: dict[str, str] = {
    # Canada and the United States
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "quebec": "America/Toronto",
    "quebec city": "America/Toronto",
    "gatineau": "America/Toronto",
    "sherbrooke": "America/Toronto",
    "trois rivieres": "America/Toronto",
    "hamilton": "America/Toronto",
    "waterloo": "America/Toronto",
    "calgary": "America/Edmonton",
    "victoria": "America/Vancouver",
    "saskatoon": "America/Regina",
    "fredericton": "America/Moncton",
    "charlottetown": "America/Halifax",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "oakland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "sacramento": "America/Los_Angeles",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "philadelphia": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "pittsburgh": "America/New_York",
    "baltimore": "America/New_York",
    "minneapolis": "America/Chicago",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "new orleans": "America/Chicago",
    "salt lake city": "America/Denver",
    "albuquerque": "America/Denver",
    "honolulu": "Pacific/Honolulu",
    # Europe
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "cardiff": "Europe/London",
    "bristol": "Europe/London",
    "belfast": "Europe/London",
    "cork": "Europe/Dublin",
    "munich": "Europe/Berlin",
    "munchen": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "koln": "Europe/Berlin",
    "geneva": "Europe/Zurich",
    "geneve": "Europe/Zurich",
    "bern": "Europe/Zurich",
    "basel": "Europe/Zurich",
    "lausanne": "Europe/Zurich",
    "lyon": "Europe/Paris",
    "marseille": "Europe/Paris",
    "toulouse": "Europe/Paris",
    "bordeaux": "Europe/Paris",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "milano": "Europe/Rome",
    "the hague": "Europe/Amsterdam",
    "rotterdam": "Europe/Amsterdam",
    "porto": "Europe/Lisbon",
    "krakow": "Europe/Warsaw",
    "gothenburg": "Europe/Stockholm",
    # Africa
    "cape town": "Africa/Johannesburg",
    "durban": "Africa/Johannesburg",
    "pretoria": "Africa/Johannesburg",
    "mombasa": "Africa/Nairobi",
    "kisumu": "Africa/Nairobi",
    "nakuru": "Africa/Nairobi",
    "addis abeba": "Africa/Addis_Ababa",
    "mekelle": "Africa/Addis_Ababa",
    "bahir dar": "Africa/Addis_Ababa",
    "hawassa": "Africa/Addis_Ababa",
    "asmera": "Africa/Asmara",
    "arusha": "Africa/Dar_es_Salaam",
    "zanzibar": "Africa/Dar_es_Salaam",
    "abuja": "Africa/Lagos",
    "kumasi": "Africa/Accra",
    "rabat": "Africa/Casablanca",
    # Australia and Aotearoa New Zealand
    "canberra": "Australia/Sydney",
    "newcastle": "Australia/Sydney",
    "wollongong": "Australia/Sydney",
    "gold coast": "Australia/Brisbane",
    "cairns": "Australia/Brisbane",
    "townsville": "Australia/Brisbane",
    "geelong": "Australia/Melbourne",
    "alice springs": "Australia/Darwin",
    "wellington": "Pacific/Auckland",
    "te whanganui a tara": "Pacific/Auckland",
    "tamaki makaurau": "Pacific/Auckland",
    "christchurch": "Pacific/Auckland",
    "otautahi": "Pacific/Auckland",
    "dunedin": "Pacific/Auckland",
    "hamilton nz": "Pacific/Auckland",
    "kirikiriroa": "Pacific/Auckland",
    "tauranga": "Pacific/Auckland",
    "rotorua": "Pacific/Auckland",
    "nelson": "Pacific/Auckland",
    "aotearoa": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
}

# English-speaking and French-speaking locales whose CLDR data holds the abbreviations
# people write (PST in the US, AEST in Australia, NZST, CET in Britain, EAT in Kenya).
_NAME_LOCALES = (
    "en",
    "en_AU",
    "en_NZ",
    "en_GB",
    "en_IE",
    "en_150",
    "en_KE",
    "en_ZA",
    "en_CA",
    "en_IN",
    "fr",
    "fr_CA",
)


def _fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: "Montréal" and "montreal" agree."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in plain)
    return " ".join(cleaned.split())


@functools.cache
def _zone_rows() -> dict[str, tuple[str, ...]]:
    """Every zone people choose, with its country codes: tzdata's zone1970 (one per
    region) and zone.tab (one per country, so Accra and Zurich are there too)."""
    found: dict[str, list[str]] = {}
    for filename in ("zone1970.tab", "zone.tab"):
        for row in _read_tab(filename):
            codes, name = row[0], row[2]
            for code in codes.split(","):
                if code not in found.setdefault(name, []):
                    found[name].append(code)
    valid = available_timezones()
    rows = {name: tuple(codes) for name, codes in found.items() if name in valid}
    rows["UTC"] = ()
    return rows


@functools.cache
def _search_keys() -> dict[str, tuple[str, ...]]:
    """Folded keys per zone, from CLDR (through Babel) and the tables above."""
    from babel import Locale
    from babel.core import get_global

    rows = _zone_rows()
    keys: dict[str, set[str]] = {name: {_fold(name), _fold(city_of(name))} for name in rows}
    keys["UTC"] |= {"utc", "gmt", "coordinated universal time", "temps universel coordonne"}
    canonical = {alias: target for alias, target in get_global("zone_aliases").items()}
    for alias, target in canonical.items():
        if target in keys:
            keys[target] |= {_fold(alias), _fold(city_of(alias))}
    for windows_name, target in get_global("windows_zone_mapping").items():
        target = canonical.get(target, target)
        if target in keys:
            keys[target].add(_fold(windows_name))
    metazone_of: dict[str, str] = dict(get_global("meta_zones"))
    locales = [Locale.parse(code) for code in _NAME_LOCALES]
    metazone_names: dict[str, set[str]] = {}
    for locale in locales:
        for zone_name, data in locale.time_zones.items():
            city = data.get("city")
            target = canonical.get(zone_name, zone_name)
            if city and target in keys:
                keys[target].add(_fold(str(city)))
        for metazone, data in locale.meta_zones.items():
            names = metazone_names.setdefault(metazone, set())
            for width in ("long", "short"):
                for value in dict(data.get(width, {})).values():
                    names.add(_fold(str(value)))
    for zone_name, metazone in metazone_of.items():
        target = canonical.get(zone_name, zone_name)
        if target in keys:
            keys[target] |= metazone_names.get(metazone, set())
    for alias, target in CITY_ALIASES.items():
        keys[target].add(alias)
    for name, codes in rows.items():
        for locale in (locales[0], Locale.parse("fr")):
            keys[name] |= {_fold(str(locale.territories.get(code, code))) for code in codes}
    return {name: tuple(sorted(k for k in found if k)) for name, found in keys.items()}


@functools.cache
def zone_choices(language: str = "en") -> tuple[ZoneChoice, ...]:
    """Every zone people choose, with its city and countries in ``language`` ("en" or
    "fr"), sorted by city. English comes from tzdata's own tables, without loading CLDR."""
    rows = _zone_rows()
    if language == "en":
        country_names = {row[0]: row[1] for row in _read_tab("iso3166.tab")}
        choices = [
            ZoneChoice(name, city_of(name), tuple(country_names.get(c, c) for c in codes))
            for name, codes in rows.items()
        ]
    else:
        from babel import Locale

        locale = Locale.parse(language)
        choices = [
            ZoneChoice(
                name,
                str(locale.time_zones.get(name, {}).get("city") or city_of(name)),
                tuple(str(locale.territories.get(code, code)) for code in codes),
            )
            for name, codes in rows.items()
        ]
    return tuple(sorted(choices, key=lambda z: (_fold(z.city), z.name)))


def _score(choice: ZoneChoice, query: str) -> int:
    """How well a folded query names a zone: 0 for not at all."""
    if not query:
        return 0
    words = query.split()
    best = 0
    for key in choice.keys:
        if key == query:
            return 100
        if key.startswith(query):
            best = max(best, 80)
        elif best < 60 and f" {query}" in f" {key}":
            best = 60
        elif best < 30 and query in key:
            best = 30
    if best < 40:
        # Each word found somewhere, perhaps in different names: "NZ standard time",
        # "Pacific Vancouver".
        known = _words_of(choice)
        if all(any(w.startswith(word) for w in known) for word in words):
            best = 40
    return best


def _words_of(choice: ZoneChoice) -> frozenset[str]:
    return _zone_words().get(choice.name, frozenset())


@functools.cache
def _zone_words() -> dict[str, frozenset[str]]:
    return {
        name: frozenset(word for key in keys for word in key.split())
        for name, keys in _search_keys().items()
    }


# The countries this app's cohorts meet across come first among equal matches, so "EST"
# offers Toronto and New York before Cancún.
_HOME_COUNTRIES = ("CA", "US", "GB", "IE", "FR", "DE", "CH", "ET", "KE", "ZA", "AU", "NZ")


@functools.cache
def _home_rank() -> dict[str, tuple[int, int]]:
    """(country rank, minus how many other cities people name it by): among the zones
    an abbreviation stands for, Toronto and New York before Atikokan."""
    aliases: dict[str, int] = {}
    for target in CITY_ALIASES.values():
        aliases[target] = aliases.get(target, 0) + 1
    ranks: dict[str, tuple[int, int]] = {}
    for name, codes in _zone_rows().items():
        country = min(
            (_HOME_COUNTRIES.index(c) for c in codes if c in _HOME_COUNTRIES),
            default=len(_HOME_COUNTRIES),
        )
        ranks[name] = (country, -aliases.get(name, 0))
    return ranks


def _near(query: str, key: str) -> bool:
    """One slip (two in a long word): a letter missing, extra, changed or swapped."""
    allowed = 1 if len(query) < 8 else 2
    if abs(len(query) - len(key)) > allowed:
        return False
    previous = list(range(len(key) + 1))
    before: list[int] = []
    for i, a in enumerate(query, 1):
        current = [i]
        for j, b in enumerate(key, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == key[j - 2] and query[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > allowed:
            return False
        before, previous = previous, current
    return previous[-1] <= allowed


def search_zones(text: str, language: str = "en", *, forgiving: bool = False) -> list[ZoneChoice]:
    """Zones matching what a person typed, best first: a city (in English or French, or
    another city in the same zone), a country, a zone's name ("Eastern Time", "heure de
    l'Est"), an abbreviation ("NZST"), a Windows name or an IANA name. ``forgiving``
    (for a person typing, not for a file being read) also takes a slip of the keyboard
    when nothing matches as typed."""
    query = _fold(text)
    choices = zone_choices(language)
    if not query:
        return list(choices)
    scored = [(score, choice) for choice in choices if (score := _score(choice, query))]
    if not scored and forgiving and len(query) >= 4:
        close = _close_words(query)
        scored = [(20, choice) for choice in choices if close & _words_of(choice)]
    ranks = _home_rank()
    # Stable: ties keep the order by city.
    scored.sort(key=lambda pair: (-pair[0], ranks.get(pair[1].name, (len(_HOME_COUNTRIES), 0))))
    return [choice for _score_, choice in scored]


def _close_words(query: str) -> set[str]:
    """The words of any zone's names within a slip of the query (each query word)."""
    found: set[str] = set()
    for word in query.split():
        if len(word) < 4:
            continue
        letters = set(word)
        allowed = 1 if len(word) < 8 else 2
        for candidate, candidate_letters in _all_words().items():
            if (
                abs(len(candidate) - len(word)) <= allowed
                and len(letters ^ candidate_letters) <= 2 * allowed
                and _near(word, candidate)
            ):
                found.add(candidate)
    return found


@functools.cache
def _all_words() -> dict[str, frozenset[str]]:
    return {
        word: frozenset(word)
        for choice in zone_choices()
        for word in _words_of(choice)
        if len(word) >= 3
    }


def zone_for(text: str) -> str | None:
    """The one IANA zone a name stands for (an IANA name or an older one, a Windows
    name, a city, an abbreviation); None when it names none, or several equally (EST
    is Toronto's and Iqaluit's). Of several, the one in the country people here live in
    wins: NZST is Auckland's, not McMurdo's."""
    if is_valid_zone(text.strip()):
        return text.strip()
    query = _fold(text)
    windows = _windows_zones().get(query)
    if windows is not None:  # Windows' own name says which zone it means
        return windows
    exact = [choice.name for choice in zone_choices() if query and query in choice.keys]
    if len(exact) <= 1:
        return exact[0] if exact else None
    ranks = _home_rank()
    best = min(ranks[name][0] for name in exact)
    leaders = [name for name in exact if ranks[name][0] == best]
    return leaders[0] if len(leaders) == 1 and best < len(_HOME_COUNTRIES) else None


@functools.cache
def _windows_zones() -> dict[str, str]:
    """Windows' zone names (as Outlook and Windows exports write them), folded, to the
    IANA zone CLDR maps each to."""
    from babel.core import get_global

    canonical = dict(get_global("zone_aliases"))
    return {
        _fold(name): canonical.get(target, target)
        for name, target in get_global("windows_zone_mapping").items()
    }


def city_of(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")
