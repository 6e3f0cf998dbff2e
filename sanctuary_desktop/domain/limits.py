"""The limits of what the app stores: one place for every bound a value must keep.

Instants and dates are bounded to years every screen and export can show in every time
zone (a local time one day either side of a bound, a month further on, a calendar file's
time-zone rules), far from the ends of Python's dates. Text limits are the columns' sizes.
Forms, the archive importer and ``check`` all read them from here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

FIRST_YEAR = 1900
LAST_YEAR = 2199
EARLIEST_DATE = date(FIRST_YEAR, 1, 1)
LATEST_DATE = date(LAST_YEAR, 12, 31)
EARLIEST_INSTANT = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
YEARS_TEXT = f"between {FIRST_YEAR} and {LAST_YEAR}"

# Integer columns are 32-bit on PostgreSQL.
MIN_INT = -(2**31)
MAX_INT = 2**31 - 1

MAX_CALL_MINUTES = 24 * 60
MAX_YEARS_IN_PRACTICE = 80
# A call's revision goes up by one each time it moves: room to grow, far below MAX_INT.
MAX_REVISION = 1_000_000

# Text, in characters: the columns' sizes where a column has one.
MAX_NAME = 200  # cohort, participant, protocol names; call titles; note stages
MAX_TITLE = 200
MAX_EMAIL = 320
MAX_ORGANISATION = 300
MAX_ZONE = 64
MAX_KEY = 64  # protocol keys, calendar identifiers
MAX_STATUS = 20
MAX_KIND = 16  # note kinds and timer actions
MAX_TAGS = 500
MAX_NUMBERS = 4000  # a timer event's numbers, comma-separated
MAX_TEXT = 20_000  # notes of a cohort or a person
MAX_NOTE = 50_000
MAX_APP_VERSION = 64
MAX_LINK = 2000  # a video-call link (Zoom, Teams, Meet, Jitsi, Whereby); Teams links are long


def instant_in_range(value: datetime) -> bool:
    """Whether an aware instant lies in the years the app stores."""
    return EARLIEST_INSTANT <= value <= LATEST_INSTANT


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def single_line(text: str) -> bool:
    """Whether ``text`` fits a one-line field: no line break, tab or other control
    character (a calendar file's name line or a table cell would break on one)."""
    return not any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text)


# Line breaks and tabs, with the spaces around them: what a spreadsheet cell or a paste
# brings into a one-line field.
_BREAKS = re.compile(r"\s*[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+\s*")


def one_line(text: str) -> str:
    """``text`` with each run of line breaks and tabs made one space, and trimmed: how a
    form cleans a one-line field before ``single_line`` checks what is left (a NUL or an
    escape character is still refused)."""
    return _BREAKS.sub(" ", text).strip()
