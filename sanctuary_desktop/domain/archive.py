"""The archive file: cohorts (or everything) packed to move to another machine.

A zip holding ``manifest.json`` (what the file is, which format version, which cohorts)
and ``data.json`` (the rows of every table, keyed by the identifiers they had where they
were written). Reading trusts nothing: sizes are bounded before unpacking, every value is
checked for type and range, and every reference must point inside the archive, so what
``parse_archive`` returns can be written to the store without a constraint failing.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any, Generic, NoReturn, TypeVar

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import ValidationError, saveable
from sanctuary_desktop.domain.limits import MAX_CALL_MINUTES, MAX_INT, MIN_INT
from sanctuary_desktop.domain.rules import broken, in_range
from sanctuary_desktop.domain.timer import Action

# 1: the first format. 2: cohorts and calls carry a video-call link ("video_link").
ARCHIVE_VERSION = 2
ARCHIVE_FORMAT = "sanctuary-desktop-archive"
ARCHIVE_FIELD = "Archive"
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
MAX_MEMBERS = 8
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_FILE_BYTES = MAX_MEMBERS * MAX_MEMBER_BYTES
ZIP_FIRST_YEAR = 1980
ZIP_LAST_YEAR = 2107
# Actions whose numbers are participant ids (the turn order); others carry minutes.
PEOPLE_ACTIONS = frozenset({Action.START, Action.ORDER})

_ZIP_MAGIC = b"PK\x03\x04"
_WALL_TIME = re.compile(r"\d\d:\d\d")


# -- the records --------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortRecord:
    id: int
    name: str
    focus: str
    facilitators: str
    home_tz: str
    start_date: date
    end_date: date
    call_minutes: int
    notes: str
    day_start: time
    day_end: time
    archived: bool
    created_at: datetime
    updated_at: datetime
    video_link: str = ""  # format 2


@dataclass(frozen=True)
class ParticipantRecord:
    id: int
    cohort_id: int
    name: str
    email: str | None
    organisation: str
    time_zone: str
    years_in_practice: int | None
    status: str
    interview_date: date | None
    notes: str
    created_at: datetime


@dataclass(frozen=True)
class CallRecord:
    id: int
    cohort_id: int
    uid: str
    starts_at: datetime
    minutes: int
    cancelled: bool
    title: str
    notes: str
    revision: int
    updated_at: datetime
    video_link: str = ""  # format 2; empty: the cohort's link


@dataclass(frozen=True)
class AttendanceRecord:
    call_id: int
    participant_id: int
    present: bool


@dataclass(frozen=True)
class NoteRecord:
    id: int
    call_id: int
    kind: str
    text: str
    stage: str
    owner_id: int | None
    tags: str
    created_at: datetime


@dataclass(frozen=True)
class AgendaRecord:
    call_id: int
    protocol_key: str
    items: str  # the agenda's JSON, as stored
    updated_at: datetime


@dataclass(frozen=True)
class PresenterSlotRecord:
    call_id: int
    slot: int
    participant_id: int | None
    fixed: bool


@dataclass(frozen=True)
class BuddyCycleRecord:
    id: int
    cohort_id: int
    after_call_id: int
    created_at: datetime


@dataclass(frozen=True)
class BuddyGroupRecord:
    id: int
    cycle_id: int
    position: int
    happened: bool | None
    note: str
    fixed: bool = False  # made by hand: replanning keeps it (absent from older files)


@dataclass(frozen=True)
class BuddyMemberRecord:
    group_id: int
    participant_id: int


@dataclass(frozen=True)
class LiveRunRecord:
    id: int
    call_id: int
    items: str  # the agenda's JSON as the run began
    scheduled_start: datetime
    call_minutes: int
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class LiveEventRecord:
    run_id: int
    seq: int
    at: datetime
    action: str
    amount: int
    numbers: str  # comma-separated, as stored

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self.numbers.split(",") if n)


@dataclass(frozen=True)
class ProtocolRecord:
    key: str
    name: str
    document: str  # the protocol in its sharing format
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Archive:
    app_version: str
    created_at: datetime
    cohorts: tuple[CohortRecord, ...] = ()
    participants: tuple[ParticipantRecord, ...] = ()
    calls: tuple[CallRecord, ...] = ()
    attendance: tuple[AttendanceRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()
    agendas: tuple[AgendaRecord, ...] = ()
    presenter_slots: tuple[PresenterSlotRecord, ...] = ()
    buddy_cycles: tuple[BuddyCycleRecord, ...] = ()
    buddy_groups: tuple[BuddyGroupRecord, ...] = ()
    buddy_members: tuple[BuddyMemberRecord, ...] = ()
    live_runs: tuple[LiveRunRecord, ...] = ()
    live_events: tuple[LiveEventRecord, ...] = ()
    protocols: tuple[ProtocolRecord, ...] = ()
    read_version: int = ARCHIVE_VERSION  # the format the file was written in

    def of_cohort(self, cohort_id: int) -> Archive:
        """Only what belongs to one cohort (and no protocols)."""
        calls = {c.id for c in self.calls if c.cohort_id == cohort_id}
        cycles = {c.id for c in self.buddy_cycles if c.cohort_id == cohort_id}
        groups = {g.id for g in self.buddy_groups if g.cycle_id in cycles}
        runs = {r.id for r in self.live_runs if r.call_id in calls}
        return Archive(
            app_version=self.app_version,
            created_at=self.created_at,
            cohorts=tuple(c for c in self.cohorts if c.id == cohort_id),
            participants=tuple(p for p in self.participants if p.cohort_id == cohort_id),
            calls=tuple(c for c in self.calls if c.id in calls),
            attendance=tuple(a for a in self.attendance if a.call_id in calls),
            notes=tuple(n for n in self.notes if n.call_id in calls),
            agendas=tuple(a for a in self.agendas if a.call_id in calls),
            presenter_slots=tuple(s for s in self.presenter_slots if s.call_id in calls),
            buddy_cycles=tuple(c for c in self.buddy_cycles if c.id in cycles),
            buddy_groups=tuple(g for g in self.buddy_groups if g.id in groups),
            buddy_members=tuple(m for m in self.buddy_members if m.group_id in groups),
            live_runs=tuple(r for r in self.live_runs if r.id in runs),
            live_events=tuple(e for e in self.live_events if e.run_id in runs),
            read_version=self.read_version,
        )

    def protocol_keys_used(self, cohort_ids: Iterable[int]) -> frozenset[str]:
        wanted = set(cohort_ids)
        calls = {c.id for c in self.calls if c.cohort_id in wanted}
        return frozenset(a.protocol_key for a in self.agendas if a.call_id in calls)


# -- the tables, column by column ---------------------------------------------------------


class Kind(Enum):
    INT = "a whole number"
    TEXT = "text"
    BOOL = "true or false"
    INSTANT = "a date and time with its time zone"
    DATE = "a date"
    WALL_TIME = "a time of day (HH:MM)"


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: Kind
    optional: bool = False
    max_length: int | None = None  # characters, for text
    default: object = None  # what an optional value missing from the file means
    minimum: int = MIN_INT
    maximum: int = MAX_INT


R = TypeVar("R")


@dataclass(frozen=True)
class Table(Generic[R]):
    key: str  # in data.json
    label: str  # one row, in messages
    record: Callable[..., R]
    columns: tuple[Column, ...]

    @property
    def numbered(self) -> bool:
        return self.columns[0].name == "id"


def _id(name: str = "id", label: str = "identifier", optional: bool = False) -> Column:
    return Column(name, label, Kind.INT, optional=optional, minimum=1)


def _text(name: str, label: str, max_length: int | None = None) -> Column:
    return Column(name, label, Kind.TEXT, max_length=max_length)


def _instant(name: str, label: str, optional: bool = False) -> Column:
    return Column(name, label, Kind.INSTANT, optional=optional)


COHORTS = Table(
    "cohorts",
    "cohort",
    CohortRecord,
    (
        _id(),
        _text("name", "name", limits.MAX_NAME),
        _text("focus", "focus"),
        _text("facilitators", "facilitators"),
        _text("home_tz", "home time zone", limits.MAX_ZONE),
        Column("start_date", "start date", Kind.DATE),
        Column("end_date", "end date", Kind.DATE),
        Column("call_minutes", "call length", Kind.INT, minimum=1, maximum=MAX_CALL_MINUTES),
        _text("notes", "notes"),
        Column("day_start", "earliest reasonable hour", Kind.WALL_TIME),
        Column("day_end", "latest reasonable hour", Kind.WALL_TIME),
        Column("archived", "archived mark", Kind.BOOL),
        _instant("created_at", "creation time"),
        _instant("updated_at", "update time"),
        _text("video_link", "video link", limits.MAX_LINK),
    ),
)
PARTICIPANTS = Table(
    "participants",
    "participant",
    ParticipantRecord,
    (
        _id(),
        _id("cohort_id", "cohort"),
        _text("name", "name", limits.MAX_NAME),
        Column("email", "email", Kind.TEXT, optional=True, max_length=limits.MAX_EMAIL),
        _text("organisation", "organisation", limits.MAX_ORGANISATION),
        _text("time_zone", "time zone", limits.MAX_ZONE),
        Column(
            "years_in_practice",
            "years in practice",
            Kind.INT,
            optional=True,
            minimum=0,
            maximum=limits.MAX_YEARS_IN_PRACTICE,
        ),
        _text("status", "intake status", limits.MAX_STATUS),
        Column("interview_date", "interview date", Kind.DATE, optional=True),
        _text("notes", "notes"),
        _instant("created_at", "creation time"),
    ),
)
CALLS = Table(
    "calls",
    "call",
    CallRecord,
    (
        _id(),
        _id("cohort_id", "cohort"),
        _text("uid", "calendar identifier", limits.MAX_KEY),
        _instant("starts_at", "start time"),
        Column("minutes", "length", Kind.INT, minimum=1, maximum=MAX_CALL_MINUTES),
        Column("cancelled", "cancelled mark", Kind.BOOL),
        _text("title", "title", limits.MAX_TITLE),
        _text("notes", "notes"),
        Column("revision", "revision", Kind.INT, minimum=0, maximum=limits.MAX_REVISION),
        _instant("updated_at", "update time"),
        _text("video_link", "video link", limits.MAX_LINK),
    ),
)
ATTENDANCE = Table(
    "attendance",
    "attendance record",
    AttendanceRecord,
    (
        _id("call_id", "call"),
        _id("participant_id", "participant"),
        Column("present", "presence", Kind.BOOL),
    ),
)
NOTES = Table(
    "notes",
    "note",
    NoteRecord,
    (
        _id(),
        _id("call_id", "call"),
        _text("kind", "kind", limits.MAX_KIND),
        _text("text", "text"),
        _text("stage", "stage", limits.MAX_NAME),
        _id("owner_id", "owner", optional=True),
        _text("tags", "tags", limits.MAX_TAGS),
        _instant("created_at", "creation time"),
    ),
)
AGENDAS = Table(
    "call_agendas",
    "agenda",
    AgendaRecord,
    (
        _id("call_id", "call"),
        _text("protocol_key", "protocol", limits.MAX_KEY),
        _text("items", "stages"),
        _instant("updated_at", "update time"),
    ),
)
PRESENTER_SLOTS = Table(
    "presenter_slots",
    "presenter slot",
    PresenterSlotRecord,
    (
        _id("call_id", "call"),
        Column("slot", "round", Kind.INT, minimum=1),
        _id("participant_id", "presenter", optional=True),
        Column("fixed", "fixed mark", Kind.BOOL),
    ),
)
BUDDY_CYCLES = Table(
    "buddy_cycles",
    "buddy cycle",
    BuddyCycleRecord,
    (
        _id(),
        _id("cohort_id", "cohort"),
        _id("after_call_id", "call"),
        _instant("created_at", "creation time"),
    ),
)
BUDDY_GROUPS = Table(
    "buddy_groups",
    "buddy group",
    BuddyGroupRecord,
    (
        _id(),
        _id("cycle_id", "cycle"),
        Column("position", "position", Kind.INT),
        Column("happened", "catch-up mark", Kind.BOOL, optional=True),
        _text("note", "note"),
        Column("fixed", "made-by-hand mark", Kind.BOOL, optional=True, default=False),
    ),
)
BUDDY_MEMBERS = Table(
    "buddy_members",
    "buddy group member",
    BuddyMemberRecord,
    (_id("group_id", "group"), _id("participant_id", "participant")),
)
LIVE_RUNS = Table(
    "live_runs",
    "live run",
    LiveRunRecord,
    (
        _id(),
        _id("call_id", "call"),
        _text("items", "stages"),
        _instant("scheduled_start", "scheduled start"),
        Column("call_minutes", "call length", Kind.INT, minimum=1, maximum=MAX_CALL_MINUTES),
        _instant("created_at", "creation time"),
        _instant("finished_at", "finish time", optional=True),
    ),
)
LIVE_EVENTS = Table(
    "live_events",
    "timer event",
    LiveEventRecord,
    (
        _id("run_id", "live run"),
        Column("seq", "sequence number", Kind.INT, minimum=0),
        _instant("at", "time"),
        _text("action", "action", limits.MAX_KIND),
        Column("amount", "amount", Kind.INT),
        _text("numbers", "numbers", limits.MAX_NUMBERS),
    ),
)
PROTOCOLS = Table(
    "protocols",
    "saved protocol",
    ProtocolRecord,
    (
        _text("key", "key", limits.MAX_KEY),
        _text("name", "name", limits.MAX_NAME),
        _text("document", "document"),
        _instant("created_at", "creation time"),
        _instant("updated_at", "update time"),
    ),
)

# In the order rows must be written: each table refers only to those before it.
TABLES: tuple[Table[Any], ...] = (
    COHORTS,
    PARTICIPANTS,
    CALLS,
    ATTENDANCE,
    NOTES,
    AGENDAS,
    PRESENTER_SLOTS,
    BUDDY_CYCLES,
    BUDDY_GROUPS,
    BUDDY_MEMBERS,
    LIVE_RUNS,
    LIVE_EVENTS,
    PROTOCOLS,
)
_ATTRIBUTE = {
    "cohorts": "cohorts",
    "participants": "participants",
    "calls": "calls",
    "attendance": "attendance",
    "notes": "notes",
    "call_agendas": "agendas",
    "presenter_slots": "presenter_slots",
    "buddy_cycles": "buddy_cycles",
    "buddy_groups": "buddy_groups",
    "buddy_members": "buddy_members",
    "live_runs": "live_runs",
    "live_events": "live_events",
    "protocols": "protocols",
}


# -- errors -------------------------------------------------------------------------------


def _fail(message: str) -> NoReturn:
    raise ValidationError.single(ARCHIVE_FIELD, message)


def _not_ours() -> NoReturn:
    _fail("is not a Sanctuary Desktop archive")


def _incomplete() -> NoReturn:
    _fail("is damaged or incomplete")


def _damaged(detail: str) -> NoReturn:
    _fail(f"is damaged: {detail}")


# -- writing ------------------------------------------------------------------------------


def _instant_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _encode_value(value: object, kind: Kind) -> object:
    if value is None:
        return None
    if kind is Kind.INSTANT:
        assert isinstance(value, datetime)
        return _instant_text(value)
    if kind is Kind.DATE:
        assert isinstance(value, date)
        return value.isoformat()
    if kind is Kind.WALL_TIME:
        assert isinstance(value, time)
        return value.strftime("%H:%M")
    return value


def _encode_rows(table: Table[Any], rows: Sequence[object]) -> list[dict[str, object]]:
    return [
        {c.name: _encode_value(getattr(row, c.name), c.kind) for c in table.columns} for row in rows
    ]


def archive_bytes(archive: Archive) -> bytes:
    """The archive file for ``archive``, in the current format."""
    manifest = {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "app_version": archive.app_version,
        "created_at": _instant_text(archive.created_at),
        "cohorts": [c.name for c in archive.cohorts],
    }
    data = {t.key: _encode_rows(t, getattr(archive, _ATTRIBUTE[t.key])) for t in TABLES}
    stamp = archive.created_at.astimezone(UTC)
    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    if not ZIP_FIRST_YEAR <= stamp.year <= ZIP_LAST_YEAR:  # what a zip's header can hold
        when = (ZIP_FIRST_YEAR, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, document in ((MANIFEST_NAME, manifest), (DATA_NAME, data)):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            text = json.dumps(document, ensure_ascii=False, indent=1)
            zipped.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# -- reading ------------------------------------------------------------------------------

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
# Steps that turn an older data.json into the next version: UPGRADES[n] reads version n
# and returns version n + 1.


def _add_video_links(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 to 2: cohorts and calls had no video-call link; they get an empty one.
    A list that is missing or not a list is left for the reading to name."""
    for key in ("cohorts", "calls"):
        rows = data.get(key)
        if isinstance(rows, list):
            for row in rows:
                if isinstance(row, dict):
                    row.setdefault("video_link", "")
    return data


UPGRADES: Mapping[int, Upgrade] = {1: _add_video_links}


def upgrade(
    data: dict[str, Any], version: int, steps: Mapping[int, Upgrade] = UPGRADES
) -> dict[str, Any]:
    """``data`` of format ``version`` brought to ARCHIVE_VERSION, one step at a time."""
    if version > ARCHIVE_VERSION:
        _newer(version)
    while version < ARCHIVE_VERSION:
        step = steps.get(version)
        if step is None:
            _damaged(f"its format version ({version}) is not one this app knows")
        try:
            data = step(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            _damaged(f"it could not be brought up to date from format {version}")
        if not isinstance(data, dict):
            _damaged(f"it could not be brought up to date from format {version}")
        version += 1
    return data


def _newer(version: int) -> NoReturn:
    _fail(
        f"was made by a newer version of Sanctuary Desktop (format {version}); "
        "update the app to open it"
    )


def _members(data: bytes) -> tuple[bytes, bytes]:
    """The manifest and the data, unpacked within the size limits."""
    if not data.startswith(_ZIP_MAGIC):
        # A zip cut short keeps its first header but loses the directory at its end.
        if data.startswith(b"PK"):
            _incomplete()
        _not_ours()
    if len(data) > MAX_FILE_BYTES:
        _fail("is too large to open")
    # zipfile meets hostile bytes with many kinds of error (BadZipFile, zlib.error,
    # EOFError, struct.error, NotImplementedError, ...): every one means a damaged file.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            infos = zipped.infolist()
            names = [info.filename for info in infos]
            if len(infos) > MAX_MEMBERS:
                _fail(f"holds more than {MAX_MEMBERS} files, so it is not one of ours")
            if len(set(names)) != len(names):
                _damaged("it holds the same file twice")
            if MANIFEST_NAME not in names:
                _not_ours()
            if DATA_NAME not in names:
                _damaged(f"{DATA_NAME} is missing")
            return _unpacked(zipped, MANIFEST_NAME), _unpacked(zipped, DATA_NAME)
    except ValidationError:
        raise
    except Exception:
        _incomplete()


def _unpacked(zipped: zipfile.ZipFile, name: str) -> bytes:
    info = zipped.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        _too_large(name)
    # The recorded size may lie: read at most one byte past the limit.
    with zipped.open(info) as member:
        content = member.read(MAX_MEMBER_BYTES + 1)
    if len(content) > MAX_MEMBER_BYTES:
        _too_large(name)
    return content


def _too_large(name: str) -> NoReturn:
    _fail(f"is too large to open safely ({name} unpacks to more than 200 MB)")


def _json(content: bytes, what: str) -> object:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        _damaged(f"{what} is not readable")


def _parse_instant(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            return None
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _value(raw: object, column: Column, row: str) -> object:
    """``raw`` checked against ``column``; ``row`` names the row in messages."""
    if raw is None:
        if column.optional:
            return column.default
        _damaged(f"{row} has no {column.label}")
    kind = column.kind
    wrong = f"{row} has a {column.label} that is not {kind.value}"
    if kind is Kind.INT:
        if type(raw) is not int:
            _damaged(wrong)
        if not column.minimum <= raw <= column.maximum:
            _damaged(f"{row} has a {column.label} out of range ({raw})")
        return raw
    if kind is Kind.BOOL:
        if type(raw) is not bool:
            _damaged(wrong)
        return raw
    if not isinstance(raw, str) or not saveable(raw):
        _damaged(wrong)
    if kind is Kind.TEXT:
        if column.max_length is not None and len(raw) > column.max_length:
            _damaged(f"{row} has a {column.label} longer than {column.max_length} characters")
        # A column with a size holds one line: a name, a title, a zone, a key.
        if column.max_length is not None and not limits.single_line(raw):
            _damaged(f"{row} has a {column.label} with a line break or a control character")
        return raw
    if kind is Kind.INSTANT:
        instant = _parse_instant(raw)
        if instant is None:
            _damaged(wrong)
        return instant
    if kind is Kind.DATE:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            _damaged(wrong)
    if not _WALL_TIME.fullmatch(raw):
        _damaged(wrong)
    try:
        return time(int(raw[:2]), int(raw[3:]))
    except ValueError:
        _damaged(wrong)


def _rows(data: Mapping[str, object], table: Table[R]) -> tuple[R, ...]:
    raw_rows = data.get(table.key)
    if not isinstance(raw_rows, list):
        _damaged(f"the list of {table.key.replace('_', ' ')} is missing")
    rows: list[R] = []
    for number, raw in enumerate(raw_rows, start=1):
        if not isinstance(raw, dict):
            _damaged(f"{table.label} {number} is not a record")
        name = f"{table.label} {number}"
        if table.numbered and type(raw.get("id")) is int:
            name = f"{table.label} {raw['id']}"
        values = {c.name: _value(raw.get(c.name), c, name) for c in table.columns}
        rows.append(table.record(**values))
    return tuple(rows)


def _check(archive: Archive) -> None:
    """Every rule between rows (the same ``check`` runs on stored data): the first broken."""
    for _, offender in broken(archive):
        _damaged(offender)


def _manifest(content: bytes) -> tuple[int, str, datetime]:
    manifest = _json(content, MANIFEST_NAME)
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        _not_ours()
    version = manifest.get("version")
    if type(version) is not int:
        _damaged("its format version is not a whole number")
    if version > ARCHIVE_VERSION:
        _newer(version)
    app_version = manifest.get("app_version")
    if (
        not isinstance(app_version, str)
        or not saveable(app_version)
        or len(app_version) > limits.MAX_APP_VERSION
    ):
        _damaged("the app version in its manifest is not readable")
    created = manifest.get("created_at")
    created_at = _parse_instant(created) if isinstance(created, str) else None
    if created_at is None or not in_range(created_at):
        _damaged("the date in its manifest is not readable")
    names = manifest.get("cohorts")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        _damaged("the list of cohorts in its manifest is not readable")
    return version, app_version, created_at


def parse_archive(data: bytes, *, upgrades: Mapping[int, Upgrade] = UPGRADES) -> Archive:
    """The checked content of an archive file, or a ValidationError saying what is wrong."""
    if not data:
        _fail("is empty")
    manifest, content = _members(data)
    version, app_version, created_at = _manifest(manifest)
    document = _json(content, DATA_NAME)
    if not isinstance(document, dict):
        _damaged(f"{DATA_NAME} is not readable")
    document = upgrade(document, version, upgrades)
    tables = {_ATTRIBUTE[t.key]: _rows(document, t) for t in TABLES}
    archive = Archive(
        app_version=app_version, created_at=created_at, read_version=version, **tables
    )
    _check(archive)
    return archive


# -- identifiers inside stored JSON -------------------------------------------------------


def remap_agenda_presenters(items: str, people: Mapping[int, int]) -> str:
    """The agenda JSON with each presenter's id replaced by its new one.

    A presenter no longer on the roster (the slots, not the JSON, are the record of who
    presents) becomes None rather than pointing at someone else.
    """
    rows = json.loads(items)
    for row in rows:
        presenter = row.get("presenter")
        if presenter is not None:
            row["presenter"] = people.get(presenter)
    return json.dumps(rows, ensure_ascii=False)


def remap_event_numbers(event: LiveEventRecord, people: Mapping[int, int]) -> str:
    """A turn order's participant ids replaced by their new ones.

    Someone since removed from the roster gets a distinct negative placeholder, so the
    number of turns (and so the replayed timer) stays the same without pointing at
    anybody real.
    """
    if event.action not in PEOPLE_ACTIONS:
        return event.numbers
    unknown: dict[int, int] = {}
    values = []
    for value in event.values:
        if value in people:
            values.append(people[value])
        else:
            values.append(unknown.setdefault(value, -1 - len(unknown)))
    return ",".join(str(v) for v in values)
