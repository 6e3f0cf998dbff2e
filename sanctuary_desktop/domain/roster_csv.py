"""Import a roster from CSV as spreadsheets really write it.

Excel, LibreOffice, Numbers and Google Sheets disagree on encoding (UTF-8 with or
without a byte-order mark, UTF-16 for Excel's "Unicode text", Windows-1252 for older
Excel) and on the delimiter (semicolon where the decimal separator is a comma). This
module reads all of them, matches headers forgivingly, and validates every row
through :class:`ParticipantDraft` so the user sees every problem at once.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import available_timezones

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.errors import FieldError, ValidationError
from sanctuary_desktop.domain.zones import city_of, is_valid_zone, search_zones, zone_for

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000
FILE_FIELD = "CSV file"
DELIMITERS = (",", ";", "\t")
HEADER_SEARCH_ROWS = 10  # title and notes rows tolerated above the header

# Our field keys and the header words people use for them, compared after
# folding case and dropping everything but letters and digits.
_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("Name", "Full name", "Participant", "Participant name"),
    "email": ("Email", "E-mail", "Email address", "E-mail address"),
    "organisation": ("Organisation", "Organization", "Org", "Company"),
    "time_zone": ("Time zone", "Timezone", "TZ", "Zone"),
    "years_in_practice": (
        "Years in practice",
        "Years",
        "Years of practice",
        "Experience (years)",
    ),
    "status": ("Status", "Intake status"),
}

# Field names as ParticipantDraft reports them, so row errors read the same everywhere.
EMAIL_FIELD = "Email"
TIME_ZONE_FIELD = "Time zone"
YEARS_FIELD = "Years in practice"
STATUS_FIELD = "Status"

_SEPARATOR_HINT = re.compile(r"sep=([,;\t])(?:\r\n|\r|\n|$)", re.IGNORECASE)
_YEARS = re.compile(r"(\d+)(?:[.,]0+)?(?:\s*(?:years?|yrs?))?", re.IGNORECASE)


@dataclass(frozen=True)
class RosterRow:
    line: int  # 1-based row number as a spreadsheet shows it (the header is usually 1)
    values: Mapping[str, str]  # raw cells by our field key
    draft: ParticipantDraft | None  # validated draft, None when the row has errors
    errors: tuple[FieldError, ...]


@dataclass(frozen=True)
class RosterPreview:
    rows: tuple[RosterRow, ...]
    delimiter: str
    encoding: str  # Python codec name: "utf-8", "utf-8-sig", "utf-16" or "cp1252"
    columns: Mapping[str, str]  # our field key -> header as written (trimmed)
    ignored_columns: tuple[str, ...]

    @property
    def good(self) -> tuple[ParticipantDraft, ...]:
        return tuple(row.draft for row in self.rows if row.draft is not None)

    @property
    def bad(self) -> tuple[RosterRow, ...]:
        return tuple(row for row in self.rows if row.errors)


def read_roster_csv(
    data: bytes, *, default_zone: str, existing_emails: Collection[str] = ()
) -> RosterPreview:
    """Read and validate a roster; raise ValidationError only for whole-file problems."""
    if not is_valid_zone(default_zone):
        raise ValueError(f"default_zone {default_zone!r} is not a known time zone")
    if len(data) > MAX_BYTES:
        raise _file_error("is larger than 5 MB; is this the right file?")
    text, encoding = _decode(data)
    text, delimiter = _split_off_delimiter(text)
    records = _records(text, delimiter)
    header, indexes, ignored = _find_header(records)

    reader = _RowReader(default_zone, existing_emails)
    rows: list[RosterRow] = []
    for line, record in records:
        if len(rows) == MAX_ROWS:
            raise _file_error(f"has more than {MAX_ROWS:,} rows; split it into smaller files")
        values = {
            key: record[index].replace("\r\n", "\n") if index < len(record) else ""
            for key, index in indexes.items()
        }
        rows.append(reader.read(line, values))

    return RosterPreview(
        rows=tuple(rows),
        delimiter=delimiter,
        encoding=encoding,
        columns=MappingProxyType({key: header[index].strip() for key, index in indexes.items()}),
        ignored_columns=tuple(ignored),
    )


def _file_error(message: str) -> ValidationError:
    return ValidationError.single(FILE_FIELD, message)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        # Anything that is not valid UTF-8 is most likely from an older Excel on Windows.
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # NUL never appears in a text roster; it means binary or UTF-16 without a BOM.
        if "\x00" in text:
            break
        # A second byte-order mark appears when an app re-saves a file it misread.
        return text.removeprefix("\ufeff"), encoding
    raise _file_error(
        "could not be read as text; save it from your spreadsheet as 'CSV UTF-8' and try again"
    )


def _split_off_delimiter(text: str) -> tuple[str, str]:
    """Honour Excel's "sep=;" first line, or detect the delimiter from the header."""
    hint = _SEPARATOR_HINT.match(text)
    if hint:
        return text[hint.end() :], hint.group(1)
    return text, _detect_delimiter(text)


def _detect_delimiter(text: str) -> str:
    """Count each delimiter outside quotes on the header line.

    csv.Sniffer guesses from the whole sample and is easily fooled by commas in
    names and addresses; a header line is short and plain, so counting is reliable.
    The first line holding any delimiter counts, which skips a title line above it.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif char in counts:
            counts[char] += 1
        elif char in "\r\n" and any(counts.values()):
            break
    # On a tie (including none at all, a single column) the first listed wins: comma.
    return max(DELIMITERS, key=lambda d: counts[d])


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    line = 0
    try:
        for record in reader:
            line += 1
            if any(cell.strip() for cell in record):
                yield line, record
    except csv.Error as exc:
        raise _file_error(f"could not be read near line {line + 1}: {exc}") from exc


def _find_header(
    records: Iterator[tuple[int, list[str]]],
) -> tuple[list[str], dict[str, int], list[str]]:
    """The header row: the first row with a name column, past any one-cell title rows."""
    seen: list[str] | None = None
    for _, record in itertools.islice(records, HEADER_SEARCH_ROWS):
        seen = record
        indexes, ignored = _match_headers(record)
        if "name" in indexes:
            return record, indexes, ignored
        if sum(1 for cell in record if cell.strip()) > 1:
            break  # a header without a name column, or data: never skip past it
    if seen is None:
        raise _file_error("is empty")
    written = ", ".join(f"'{cell.strip()}'" for cell in seen if cell.strip())
    raise _file_error(f"no 'Name' column found; columns are: {written}")


def _normalised_header(title: str) -> str:
    return "".join(char for char in title.casefold() if char.isalnum())


@functools.cache
def _header_keys() -> dict[str, str]:
    return {
        _normalised_header(synonym): key
        for key, synonyms in _HEADER_SYNONYMS.items()
        for synonym in synonyms
    }


def _match_headers(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column index by field key (the first matching column wins), and the rest."""
    indexes: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        key = _header_keys().get(_normalised_header(title))
        if key is not None and key not in indexes:
            indexes[key] = index
        elif title.strip():
            ignored.append(title.strip())
    return indexes, ignored


class _RowReader:
    """Turns raw cells into a validated draft, remembering emails seen so far."""

    def __init__(self, default_zone: str, existing_emails: Collection[str]) -> None:
        self._default_zone = default_zone
        self._existing = {email.strip().lower() for email in existing_emails}
        self._email_lines: dict[str, int] = {}

    def read(self, line: int, values: dict[str, str]) -> RosterRow:
        errors: list[FieldError] = []

        zone_text = values.get("time_zone", "").strip()
        time_zone, zone_error = _resolve_zone(zone_text) if zone_text else (self._default_zone, "")
        if zone_error:
            errors.append(FieldError(TIME_ZONE_FIELD, zone_error))

        years, years_error = _parse_years(values.get("years_in_practice", ""))
        if years_error:
            errors.append(FieldError(YEARS_FIELD, years_error))

        status, status_error = _parse_status(values.get("status", ""))
        if status_error:
            errors.append(FieldError(STATUS_FIELD, status_error))

        draft: ParticipantDraft | None = None
        try:
            draft = ParticipantDraft(
                name=values.get("name", ""),
                email=values.get("email", ""),
                organisation=values.get("organisation", ""),
                # A stand-in when the cell was already reported, so the draft checks the rest.
                time_zone=time_zone or self._default_zone,
                years_in_practice=years,
                status=status,
            ).validated()
        except ValidationError as exc:
            reported = {error.field for error in errors}
            errors.extend(error for error in exc.errors if error.field not in reported)

        email = values.get("email", "").strip().lower()
        duplicate = self._duplicate_email(email, line)
        if duplicate and not any(error.field == EMAIL_FIELD for error in errors):
            errors.append(FieldError(EMAIL_FIELD, duplicate))
        if errors:
            draft = None

        return RosterRow(
            line=line,
            values=MappingProxyType(values),
            draft=draft,
            errors=tuple(sorted(errors, key=_column_order)),
        )

    def _duplicate_email(self, email: str, line: int) -> str:
        if not email:
            return ""
        if email in self._existing:
            return f"'{email}' is already in this cohort"
        earlier = self._email_lines.setdefault(email, line)
        if earlier != line:
            return f"'{email}' is already used on line {earlier}"
        return ""


def _column_order(error: FieldError) -> int:
    """Errors in the order of the columns, so they read left to right."""
    order = ("Name", EMAIL_FIELD, "Organisation", TIME_ZONE_FIELD, YEARS_FIELD, STATUS_FIELD)
    return order.index(error.field) if error.field in order else len(order)


def _resolve_zone(text: str) -> tuple[str, str]:
    """An IANA name, or a city, country, Windows zone name ("New Zealand Standard Time",
    as Outlook exports write it) or zone name naming exactly one zone: (zone, error)."""
    if is_valid_zone(text):
        return text, ""
    exact = zone_for(text)
    if exact is not None:
        return exact, ""
    wanted = text.casefold()
    matches = search_zones(text)
    names = (
        [
            choice.name
            for choice in matches
            if wanted in (choice.name.casefold(), choice.city.casefold())
            or wanted in (country.casefold() for country in choice.countries)
        ]
        # Old names and cities such as Addis Ababa are aliases, absent from search_zones.
        or sorted(_alias_zones().get(wanted.replace("_", " "), ()))
        # Last, part of a name: "Auck" or "Zealand".
        or [choice.name for choice in matches]
    )
    if len(names) == 1:
        return names[0], ""
    if not names:
        return "", f"'{text}' is not a known time zone or city"
    shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    return "", f"'{text}' matches several time zones ({shown}); write one of them"


@functools.cache
def _alias_zones() -> dict[str, tuple[str, ...]]:
    """Every zone zoneinfo knows, by its full name and by its city, folded."""
    found: dict[str, set[str]] = {}
    for name in available_timezones():
        if is_valid_zone(name):
            for key in (name.casefold().replace("_", " "), city_of(name).casefold()):
                found.setdefault(key, set()).add(name)
    return {key: tuple(names) for key, names in found.items()}


def _parse_years(cell: str) -> tuple[int | None, str]:
    text = cell.strip()
    if not text:
        return None, ""
    match = _YEARS.fullmatch(text)
    if match is None:
        return None, f"'{text}' is not a whole number of years"
    digits = match.group(1)
    if len(digits) > 3:  # also keeps int() clear of its huge-number guard
        return None, f"must be between 0 and {limits.MAX_YEARS_IN_PRACTICE}"
    return int(digits), ""


def _parse_status(cell: str) -> tuple[IntakeStatus, str]:
    text = cell.strip().casefold()
    if not text:
        return IntakeStatus.APPLIED, ""
    try:
        return IntakeStatus(text), ""
    except ValueError:
        allowed = ", ".join(status.value for status in IntakeStatus)
        return IntakeStatus.APPLIED, f"'{cell.strip()}' is not one of {allowed}"
