"""Protocols as data: stage templates, the built-ins, and a file format for sharing.

A protocol is a named, ordered list of stage templates. The built-ins come from
``resources/protocols.json`` and are read-only; a facilitator duplicates one to
edit it. A protocol travels between facilitators as a small, versioned JSON file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import ClassVar, NoReturn, TypeVar

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import Collector, FieldError, ValidationError, saveable

DEFAULT_PROTOCOL_KEY = "peer-input-90"
FILE_FORMAT = "sanctuary-desktop/protocol"
FILE_VERSION = 2  # 2: a protocol may declare its own roles ("roles"); 1 when it keeps the four
FILE_FIELD = "Protocol file"
BUILTINS_FORMAT = "sanctuary-desktop/protocols"

MIN_MINUTES = 1
MAX_MINUTES = 240
MAX_STAGES = 100
MAX_PRESENTERS = 20
MAX_TOTAL_MINUTES = limits.MAX_CALL_MINUTES
MAX_ROLES = 12
MAX_ROLE_NAME = 60
MAX_KEY = limits.MAX_KEY
MAX_NAME = limits.MAX_NAME
MAX_CUE = 2_000
MAX_TEXT = limits.MAX_TEXT
MAX_FILE_BYTES = 1_000_000
# The timer changes colour when this share of a stage (or turn) is left.
DEFAULT_WARN_PERCENT = 20
DEFAULT_URGENT_PERCENT = 5
MAX_WARN_PERCENT = 90
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REQUIRED = object()  # marks a field a file must have
_E = TypeVar("_E", bound=StrEnum)


class _RoleKind(type):
    """Iterating over ``Role`` gives the four built-in roles, the default of a protocol."""

    def __iter__(cls) -> Iterator[Role]:
        return iter(DEFAULT_ROLES)


class Role(str, metaclass=_RoleKind):
    """A role in a call, named by the protocol: the built-in four are only the defaults.

    A role is its name as the protocol file writes it ("presenter", "coach", "Case giver");
    its label is that name with a capital first letter.
    """

    __slots__ = ()
    PRESENTER: ClassVar[Role]
    PEERS: ClassVar[Role]
    FACILITATOR: ClassVar[Role]
    TIMEKEEPER: ClassVar[Role]

    @property
    def value(self) -> str:
        return str.__str__(self)

    @property
    def label(self) -> str:
        return self[:1].upper() + self[1:]

    def __repr__(self) -> str:
        return f"Role({str.__repr__(self)})"


Role.PRESENTER = Role("presenter")
Role.PEERS = Role("peers")
Role.FACILITATOR = Role("facilitator")
Role.TIMEKEEPER = Role("timekeeper")
DEFAULT_ROLES: tuple[Role, ...] = (Role.PRESENTER, Role.PEERS, Role.FACILITATOR, Role.TIMEKEEPER)


def roles_in(cue_sets: Iterable[Mapping[Role, str]]) -> tuple[Role, ...]:
    """Every role with a cue in any of these stages: the built-in four first, in their
    order, then the others in the order they first appear."""
    seen: dict[Role, None] = {}
    for cues in cue_sets:
        for role, text in cues.items():
            if text:
                seen.setdefault(Role(role), None)
    return tuple(_in_order(seen, DEFAULT_ROLES))


def _in_order(roles: Iterable[Role], order: Iterable[Role]) -> list[Role]:
    position = {role: index for index, role in enumerate(order)}
    listed = list(roles)
    return sorted(listed, key=lambda role: position.get(role, len(position)))


class StopKind(StrEnum):
    SOFT = "soft"  # time runs on as visible overtime
    HARD = "hard"  # moves on at zero

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} stop"


class Bell(StrEnum):
    START = "start"
    INTERVAL = "interval"
    END = "end"


_BELL_ORDER = {bell: position for position, bell in enumerate(Bell)}
_BELL_NAMES = frozenset(bell.value for bell in Bell)


class Cues(Mapping[Role, str]):
    """Who does what in a stage: an immutable, hashable mapping, kept in the order of the
    roles given (the built-in four by default; roles not in that order follow, as given)."""

    __slots__ = ("_pairs",)

    def __init__(
        self,
        cues: Mapping[Role, str] | Iterable[tuple[Role, str]] = (),
        order: Iterable[Role] = DEFAULT_ROLES,
    ) -> None:
        pairs = cues.items() if isinstance(cues, Mapping) else cues
        merged = {Role(role): text for role, text in pairs}
        self._pairs: tuple[tuple[Role, str], ...] = tuple(
            (role, merged[role]) for role in _in_order(merged, order)
        )

    def __getitem__(self, role: Role) -> str:
        for known, text in self._pairs:
            if known == role:
                return text
        raise KeyError(role)

    def __iter__(self) -> Iterator[Role]:
        return (role for role, _ in self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __hash__(self) -> int:
        return hash(frozenset(self._pairs))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._pairs) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"Cues({dict(self._pairs)!r})"

    @property
    def pairs(self) -> tuple[tuple[Role, str], ...]:
        return self._pairs


NO_CUES = Cues()
NO_BELLS: frozenset[Bell] = frozenset()


def freeze_cues(cues: Mapping[Role, str] | Iterable[tuple[Role, str]]) -> Cues:
    return cues if isinstance(cues, Cues) else Cues(cues)


def freeze_bells(bells: Iterable[Bell]) -> frozenset[Bell]:
    return frozenset(Bell(bell) for bell in bells)


def ordered_bells(bells: Iterable[Bell]) -> list[Bell]:
    return sorted(bells, key=_BELL_ORDER.__getitem__)


def _check_text(errors: Collector, label: str, text: str, limit: int, *, required: bool) -> None:
    if required and not text:
        errors.add(label, "must not be empty")
    elif len(text) > limit:
        errors.add(label, f"must be at most {limit:,} characters")
    elif not saveable(text):
        errors.add(label, "contains a character that cannot be saved")


_ONE_LINE = "must be one line, without line breaks, tabs or control characters"


def _check_one_line(
    errors: Collector, label: str, text: str, limit: int, *, required: bool
) -> None:
    """A one-line field, already cleaned by ``limits.one_line``: what the archive importer
    and every table cell accept."""
    if text and not limits.single_line(text):
        errors.add(label, _ONE_LINE)
    else:
        _check_text(errors, label, text, limit, required=required)


def check_stage(
    errors: Collector,
    number: int,
    *,
    name: str,
    minutes: int,
    cues: Mapping[Role, str],
    prompt: str,
    bells: frozenset[Bell],
    bell_interval_minutes: int | None,
    interval_within_stage: bool = True,
    warn_percent: int = DEFAULT_WARN_PERCENT,
    urgent_percent: int = DEFAULT_URGENT_PERCENT,
) -> tuple[str, Cues, str, int | None]:
    """Check one stage's fields (shared by protocols and agendas); return the cleaned text.

    Returns ``(name, cues, prompt, bell_interval_minutes)``: names and texts stripped,
    empty cues dropped, the interval cleared when there is no interval bell.
    ``interval_within_stage`` asks that the interval be shorter than the stage: true
    for templates, false for a call's agenda, where a shortened stage may simply
    skip its interval bells.
    """
    prefix = f"Stage {number}"
    name = limits.one_line(name)
    prompt = prompt.strip()
    _check_one_line(errors, f"{prefix}: Name", name, MAX_NAME, required=True)
    minutes_ok = isinstance(minutes, int) and MIN_MINUTES <= minutes <= MAX_MINUTES
    if not minutes_ok:
        errors.add(f"{prefix}: Minutes", f"must be between {MIN_MINUTES} and {MAX_MINUTES} minutes")
    kept: list[tuple[Role, str]] = []
    for role, text in cues.items():
        text = text.strip()
        if text:
            _check_text(errors, f"{prefix}: {role.label} cue", text, MAX_CUE, required=False)
            kept.append((role, text))
    _check_text(errors, f"{prefix}: Prompt", prompt, MAX_TEXT, required=False)
    interval = bell_interval_minutes if Bell.INTERVAL in bells else None
    if Bell.INTERVAL in bells:
        if interval is None:
            errors.add(f"{prefix}: Bell interval", "must be set for bells in between")
        elif not MIN_MINUTES <= interval <= MAX_MINUTES:
            errors.add(
                f"{prefix}: Bell interval",
                f"must be between {MIN_MINUTES} and {MAX_MINUTES} minutes",
            )
        elif interval_within_stage and minutes_ok and interval >= minutes:
            errors.add(f"{prefix}: Bell interval", "must be shorter than the stage")
    _check_warnings(errors, prefix, warn_percent, urgent_percent)
    return name, Cues(kept), prompt, interval


def _check_warnings(errors: Collector, prefix: str, warn: int, urgent: int) -> None:
    for label, value in (("First warning", warn), ("Last warning", urgent)):
        if not (isinstance(value, int) and 0 <= value <= MAX_WARN_PERCENT):
            errors.add(f"{prefix}: {label}", f"must be between 0 and {MAX_WARN_PERCENT}% left")
            return
    if urgent > warn:
        errors.add(f"{prefix}: Last warning", "must come after the first warning")


@dataclass(frozen=True)
class StageTemplate:
    name: str
    minutes: int
    cues: Mapping[Role, str] = NO_CUES
    prompt: str = ""
    stop: StopKind = StopKind.SOFT
    fixed: bool = False  # never shortened when the call runs late
    turns: bool = False  # per-person turns sharing the minutes equally among those present
    bells: frozenset[Bell] = NO_BELLS
    bell_interval_minutes: int | None = None  # with Bell.INTERVAL
    per_presenter: bool = False  # part of the presenter round: repeated once per presenter
    warn_percent: int = DEFAULT_WARN_PERCENT  # first colour change, at this much time left
    urgent_percent: int = DEFAULT_URGENT_PERCENT  # second colour change

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", freeze_cues(self.cues))
        object.__setattr__(self, "bells", freeze_bells(self.bells))
        object.__setattr__(self, "stop", StopKind(self.stop))

    def validated(self, number: int = 1) -> StageTemplate:
        errors = Collector()
        stage = self._cleaned(errors, number)
        errors.raise_if_any()
        return stage

    def _cleaned(self, errors: Collector, number: int) -> StageTemplate:
        name, cues, prompt, interval = check_stage(
            errors,
            number,
            name=self.name,
            minutes=self.minutes,
            cues=self.cues,
            prompt=self.prompt,
            bells=self.bells,
            bell_interval_minutes=self.bell_interval_minutes,
            warn_percent=self.warn_percent,
            urgent_percent=self.urgent_percent,
        )
        return replace(self, name=name, cues=cues, prompt=prompt, bell_interval_minutes=interval)


@dataclass(frozen=True)
class Protocol:
    key: str
    name: str
    summary: str
    stages: tuple[StageTemplate, ...]
    presenters: int = 1  # presenter rounds per call by default
    built_in: bool = False
    source: str = ""  # attribution
    roles: tuple[Role, ...] = DEFAULT_ROLES  # the roles its stages give cues to, in order

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", tuple(self.stages))
        object.__setattr__(self, "roles", tuple(Role(role) for role in self.roles))

    def total_minutes(self, presenters: int | None = None) -> int:
        """Planned minutes, per-presenter stages counted once per presenter."""
        rounds = self.presenters if presenters is None else presenters
        return sum(s.minutes * (rounds if s.per_presenter else 1) for s in self.stages)

    @property
    def has_rounds(self) -> bool:
        return any(stage.per_presenter for stage in self.stages)

    def validated(self) -> Protocol:
        """Return a cleaned copy, or raise ValidationError naming every bad field."""
        errors = Collector()
        key = self.key.strip()
        name = limits.one_line(self.name)
        summary = self.summary.strip()
        source = limits.one_line(self.source)
        if not key:
            errors.add("Key", "must not be empty")
        elif len(key) > MAX_KEY or not _KEY.fullmatch(key):
            errors.add(
                "Key",
                f"must be up to {MAX_KEY} lowercase letters, digits and single hyphens",
            )
        _check_one_line(errors, "Name", name, MAX_NAME, required=True)
        _check_text(errors, "Summary", summary, MAX_TEXT, required=False)
        _check_one_line(errors, "Source", source, MAX_NAME, required=False)
        roles = _checked_roles(errors, self.roles)
        if not isinstance(self.presenters, int) or not 1 <= self.presenters <= MAX_PRESENTERS:
            errors.add("Presenters", f"must be between 1 and {MAX_PRESENTERS}")
        if not self.stages:
            errors.add("Stages", "must include at least one stage")
        elif len(self.stages) > MAX_STAGES:
            errors.add("Stages", f"must be at most {MAX_STAGES}")
        stages = tuple(
            stage._cleaned(errors, number) for number, stage in enumerate(self.stages, start=1)
        )
        known = {role.casefold(): role for role in roles}
        for number, stage in enumerate(stages, start=1):
            for role in stage.cues:
                if role.casefold() not in known:
                    errors.add(
                        f"Stage {number}: {role.label} cue",
                        "is for a role this protocol does not have (add it under Roles)",
                    )
        stages = tuple(
            replace(
                stage,
                cues=Cues(
                    ((known.get(role.casefold(), role), text) for role, text in stage.cues.items()),
                    order=roles,
                ),
            )
            for stage in stages
        )
        protocol = replace(
            self, key=key, name=name, summary=summary, source=source, stages=stages, roles=roles
        )
        countable = isinstance(self.presenters, int) and all(
            isinstance(stage.minutes, int) for stage in stages
        )
        if countable and protocol.total_minutes() > MAX_TOTAL_MINUTES:
            errors.add("Stages", f"must add up to at most {_duration(MAX_TOTAL_MINUTES)}")
        errors.raise_if_any()
        return protocol

    def duplicate(self, *, key: str, name: str) -> Protocol:
        """An editable copy under a new key and name."""
        return replace(self, key=key, name=name, built_in=False).validated()


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest:
        return f"{minutes} minutes"
    return f"{hours} hour" if hours == 1 else f"{hours} hours"


def _checked_roles(errors: Collector, roles: Iterable[Role]) -> tuple[Role, ...]:
    """The roles cleaned (one line each): named, each once (whatever the case), a few."""
    cleaned: list[Role] = []
    seen: set[str] = set()
    for number, role in enumerate(roles, start=1):
        name = Role(limits.one_line(role))
        problem = ""
        if not name:
            problem = "has no name"
        elif not limits.single_line(name):
            problem = _ONE_LINE
        elif len(name) > MAX_ROLE_NAME:
            problem = f"must be at most {MAX_ROLE_NAME} characters"
        elif not saveable(name):
            problem = "contains a character that cannot be saved"
        if problem:
            errors.add("Roles", f"role {number} {problem}")
            continue
        if name.casefold() in seen:
            errors.add("Roles", f"“{name.label}” is named twice")
            continue
        seen.add(name.casefold())
        cleaned.append(name)
    if len(cleaned) > MAX_ROLES:
        errors.add("Roles", f"must be at most {MAX_ROLES}")
    return tuple(cleaned)


# -- the built-ins ------------------------------------------------------------------------


@cache
def builtin_protocols() -> tuple[Protocol, ...]:
    """Every built-in protocol, read once from the package's resources."""
    path = resources.files("sanctuary_desktop.resources").joinpath("protocols.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != BUILTINS_FORMAT:
        raise RuntimeError("resources/protocols.json is not a built-in protocols file")
    return tuple(
        replace(_protocol_from_dict(entry), built_in=True).validated()
        for entry in document["protocols"]
    )


def builtin(key: str) -> Protocol:
    for protocol in builtin_protocols():
        if protocol.key == key:
            return protocol
    raise KeyError(f"no built-in protocol {key!r}")


# -- the shared file ----------------------------------------------------------------------


def protocol_to_json(protocol: Protocol) -> str:
    """A versioned, readable file to share with a peer facilitator."""
    clean = protocol.validated()
    document = {
        "format": FILE_FORMAT,
        # A protocol with the four built-in roles stays readable by the versions before 2.
        "version": FILE_VERSION if clean.roles != DEFAULT_ROLES else 1,
        "protocol": _protocol_to_dict(clean),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def protocol_from_json(text: str | bytes) -> Protocol:
    """Read a shared protocol file; anything wrong is a ValidationError on "Protocol file"."""
    try:
        document = _load_json(text)
        body = _unwrap(document)
        protocol = _protocol_from_dict(body)
    except FileProblem as problem:
        raise ValidationError.single(FILE_FIELD, str(problem)) from None
    try:
        return protocol.validated()
    except ValidationError as invalid:
        raise ValidationError(
            FieldError(FILE_FIELD, f"{e.field} {e.message}") for e in invalid.errors
        ) from None


class FileProblem(Exception):
    """What is wrong with a protocol file, as a plain predicate ("is not valid JSON")."""


def _damaged(detail: str) -> NoReturn:
    raise FileProblem(f"is damaged: {detail}")


def _load_json(text: str | bytes) -> object:
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_FILE_BYTES:
            raise FileProblem("is too large (over 1 MB)")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileProblem("is not a text file (it is not UTF-8)") from None
    elif len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FileProblem("is too large (over 1 MB)")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FileProblem("is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise FileProblem(f"is incomplete: it ends too early (line {exc.lineno})") from None
        raise FileProblem(f"is not valid JSON (line {exc.lineno})") from None
    except (ValueError, RecursionError):
        raise FileProblem("is not valid JSON") from None


def _unwrap(document: object) -> object:
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise FileProblem("is not a Sanctuary Desktop protocol")
    version = document.get("version")
    if "version" not in document:
        _damaged("its format version is missing")
    if type(version) is not int:
        _damaged("its format version is not a whole number")
    if version > FILE_VERSION:
        raise FileProblem(f"was made by a newer version (format {version})")
    if version < 1:
        _damaged(f"unknown format version {version}")
    if "protocol" not in document:
        _damaged("there is no protocol in it")
    return document["protocol"]


def _protocol_to_dict(protocol: Protocol) -> dict[str, object]:
    document: dict[str, object] = {
        "key": protocol.key,
        "name": protocol.name,
        "summary": protocol.summary,
        "source": protocol.source,
        "presenters": protocol.presenters,
    }
    if protocol.roles != DEFAULT_ROLES:
        document["roles"] = [role.value for role in protocol.roles]
    document["stages"] = [stage_to_dict(stage) for stage in protocol.stages]
    return document


def stage_to_dict(stage: StageTemplate) -> dict[str, object]:
    return {
        "name": stage.name,
        "minutes": stage.minutes,
        "per_presenter": stage.per_presenter,
        "stop": stage.stop.value,
        "fixed": stage.fixed,
        "turns": stage.turns,
        "bells": [bell.value for bell in ordered_bells(stage.bells)],
        "bell_interval_minutes": stage.bell_interval_minutes,
        "prompt": stage.prompt,
        "cues": {role.value: text for role, text in freeze_cues(stage.cues).pairs},
        "warn_percent": stage.warn_percent,
        "urgent_percent": stage.urgent_percent,
    }


class _Reader:
    """Typed access to one JSON object, naming where a problem is."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            _damaged(f"{where} is not a set of fields")
        self.value: dict[str, object] = value
        self.where = where

    def _get(self, key: str, kind: type | tuple[type, ...], what: str, default: object) -> object:
        if key not in self.value:
            if default is _REQUIRED:
                _damaged(f"{self.where} has no {key!r}")
            return default
        value = self.value[key]
        if isinstance(value, bool) and kind is int:
            _damaged(f"in {self.where}, {key!r} must be {what}")
        if not isinstance(value, kind):
            _damaged(f"in {self.where}, {key!r} must be {what}")
        return value

    def text(self, key: str, default: object = "") -> str:
        value = self._get(key, str, "text", default)
        assert isinstance(value, str)
        return value

    def whole(self, key: str, default: object) -> int:
        value = self._get(key, int, "a whole number", default)
        assert isinstance(value, int)
        return value

    def optional_whole(self, key: str) -> int | None:
        value = self.value.get(key)
        if value is None:
            return None
        return self.whole(key, None)

    def flag(self, key: str) -> bool:
        value = self._get(key, bool, "true or false", False)
        assert isinstance(value, bool)
        return value

    def items(self, key: str, default: object) -> list[object]:
        value = self._get(key, list, "a list", default)
        assert isinstance(value, list)
        return value

    def choice(self, key: str, kind: type[_E], default: _E) -> _E:
        value = self.text(key, default.value)
        try:
            return kind(value)
        except ValueError:
            _damaged(f"in {self.where}, {key!r} cannot be {value!r}")


def _protocol_from_dict(value: object) -> Protocol:
    reader = _Reader(value, "the protocol")
    stages = reader.items("stages", _REQUIRED)
    if len(stages) > MAX_STAGES:
        raise FileProblem(f"has more than {MAX_STAGES} stages")
    templates = tuple(
        stage_from_dict(stage, number) for number, stage in enumerate(stages, start=1)
    )
    declared = reader.items("roles", None) if "roles" in reader.value else None
    roles: tuple[Role, ...]
    if declared is None:
        # Before roles were data: the built-in four, and any other role a cue names.
        found = roles_in(stage.cues for stage in templates)
        roles = DEFAULT_ROLES + tuple(role for role in found if role not in DEFAULT_ROLES)
    else:
        if len(declared) > MAX_ROLES:
            raise FileProblem(f"has more than {MAX_ROLES} roles")
        for role in declared:
            if not isinstance(role, str):
                _damaged(f"in the protocol, 'roles' must be a list of names, not {role!r}")
        roles = tuple(Role(role) for role in declared if isinstance(role, str))
    return Protocol(
        key=reader.text("key", _REQUIRED),
        name=reader.text("name", _REQUIRED),
        summary=reader.text("summary"),
        source=reader.text("source"),
        presenters=reader.whole("presenters", 1),
        stages=templates,
        roles=roles,
    )


def stage_from_dict(value: object, number: int) -> StageTemplate:
    reader = _Reader(value, f"stage {number}")
    cues_reader = _Reader(reader.value.get("cues", {}), f"the cues of stage {number}")
    cues: list[tuple[Role, str]] = []
    for role_name in cues_reader.value:
        cues.append((Role(role_name), cues_reader.text(role_name)))
    bells: list[Bell] = []
    for bell_name in reader.items("bells", []):
        if not isinstance(bell_name, str) or bell_name not in _BELL_NAMES:
            _damaged(f"stage {number} has an unknown bell {bell_name!r}")
        bells.append(Bell(bell_name))
    return StageTemplate(
        name=reader.text("name", _REQUIRED),
        minutes=reader.whole("minutes", _REQUIRED),
        cues=Cues(cues),
        prompt=reader.text("prompt"),
        stop=reader.choice("stop", StopKind, StopKind.SOFT),
        fixed=reader.flag("fixed"),
        turns=reader.flag("turns"),
        bells=frozenset(bells),
        bell_interval_minutes=reader.optional_whole("bell_interval_minutes"),
        per_presenter=reader.flag("per_presenter"),
        warn_percent=reader.whole("warn_percent", DEFAULT_WARN_PERCENT),
        urgent_percent=reader.whole("urgent_percent", DEFAULT_URGENT_PERCENT),
    )
