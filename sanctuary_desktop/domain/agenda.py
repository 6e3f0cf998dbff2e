"""A call's agenda: built from a protocol, then edited for this call only.

Per-presenter stages are expanded into numbered rounds, one per presenter. Every
edit returns a new tuple and validates it, naming the stage ("Stage 3: Minutes").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import groupby

from sanctuary_desktop.domain.errors import Collector, ValidationError
from sanctuary_desktop.domain.protocols import (
    DEFAULT_URGENT_PERCENT,
    DEFAULT_WARN_PERCENT,
    MAX_TOTAL_MINUTES,
    NO_BELLS,
    NO_CUES,
    Bell,
    FileProblem,
    Protocol,
    Role,
    StageTemplate,
    StopKind,
    check_stage,
    freeze_bells,
    freeze_cues,
    stage_from_dict,
    stage_to_dict,
)

MAX_AGENDA_ITEMS = 500


@dataclass(frozen=True)
class AgendaItem:
    name: str
    minutes: int
    cues: Mapping[Role, str] = NO_CUES
    prompt: str = ""
    stop: StopKind = StopKind.SOFT
    fixed: bool = False
    turns: bool = False
    bells: frozenset[Bell] = NO_BELLS
    bell_interval_minutes: int | None = None
    round: int | None = None  # 1, 2, ... for per-presenter stages
    presenter: int | None = None  # participant key of the round's presenter, None if not chosen
    warn_percent: int = DEFAULT_WARN_PERCENT
    urgent_percent: int = DEFAULT_URGENT_PERCENT

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", freeze_cues(self.cues))
        object.__setattr__(self, "bells", freeze_bells(self.bells))
        object.__setattr__(self, "stop", StopKind(self.stop))

    @classmethod
    def from_stage(
        cls, stage: StageTemplate, round: int | None = None, presenter: int | None = None
    ) -> AgendaItem:
        return cls(
            name=stage.name,
            minutes=stage.minutes,
            cues=stage.cues,
            prompt=stage.prompt,
            stop=stage.stop,
            fixed=stage.fixed,
            turns=stage.turns,
            bells=stage.bells,
            bell_interval_minutes=stage.bell_interval_minutes,
            round=round,
            presenter=presenter,
            warn_percent=stage.warn_percent,
            urgent_percent=stage.urgent_percent,
        )

    @property
    def label(self) -> str:
        """ "Round 1: The challenge" for a round's stage, else the stage's name."""
        return self.name if self.round is None else f"Round {self.round}: {self.name}"


def build_agenda(
    protocol: Protocol, presenters: Sequence[int | None] | None = None
) -> tuple[AgendaItem, ...]:
    """The protocol's stages with each block of per-presenter stages repeated per round.

    ``presenters=None`` gives ``protocol.presenters`` rounds with no presenter chosen;
    an empty sequence gives no rounds at all.
    """
    chosen = [None] * protocol.presenters if presenters is None else list(presenters)
    items: list[AgendaItem] = []
    for per_presenter, block in groupby(protocol.stages, key=lambda s: s.per_presenter):
        stages = list(block)
        if not per_presenter:
            items.extend(AgendaItem.from_stage(stage) for stage in stages)
            continue
        for number, presenter in enumerate(chosen, start=1):
            items.extend(AgendaItem.from_stage(stage, number, presenter) for stage in stages)
    return validate_agenda(items)


def presenter_slots(items: Sequence[AgendaItem]) -> int:
    """How many presenter rounds the agenda holds."""
    return len(_rounds(items))


def assign_presenters(
    items: Sequence[AgendaItem], presenters: Sequence[int | None]
) -> tuple[AgendaItem, ...]:
    """Set each round's presenter, in round order; one entry per round."""
    rounds = _rounds(items)
    if len(presenters) != len(rounds):
        raise ValidationError.single(
            "Presenters", f"needs {len(rounds)} entries, one per round, not {len(presenters)}"
        )
    by_round = dict(zip(rounds, presenters, strict=True))
    return validate_agenda(
        item if item.round is None else replace(item, presenter=by_round[item.round])
        for item in items
    )


def validate_agenda(items: Iterable[AgendaItem]) -> tuple[AgendaItem, ...]:
    """A cleaned copy with rounds numbered 1, 2, ... in order, or a ValidationError."""
    agenda = tuple(items)
    errors = Collector()
    if len(agenda) > MAX_AGENDA_ITEMS:
        errors.add("Agenda", f"must have at most {MAX_AGENDA_ITEMS} stages")
    cleaned: list[AgendaItem] = []
    for number, item in enumerate(agenda, start=1):
        if not isinstance(item, AgendaItem):
            raise TypeError(f"agenda entries must be AgendaItem, not {type(item).__name__}")
        name, cues, prompt, interval = check_stage(
            errors,
            number,
            name=item.name,
            minutes=item.minutes,
            cues=item.cues,
            prompt=item.prompt,
            bells=item.bells,
            bell_interval_minutes=item.bell_interval_minutes,
            interval_within_stage=False,
            warn_percent=item.warn_percent,
            urgent_percent=item.urgent_percent,
        )
        if item.round is not None and item.round < 1:
            errors.add(f"Stage {number}: Round", "must be 1 or more")
        cleaned.append(
            replace(item, name=name, cues=cues, prompt=prompt, bell_interval_minutes=interval)
        )
    if sum(item.minutes for item in cleaned) > MAX_TOTAL_MINUTES:
        errors.add("Agenda", "must add up to at most 24 hours")
    errors.raise_if_any()
    return _renumbered(cleaned)


def insert_item(
    items: Sequence[AgendaItem], index: int, item: AgendaItem
) -> tuple[AgendaItem, ...]:
    if not 0 <= index <= len(items):
        raise IndexError(f"cannot insert at {index} in an agenda of {len(items)}")
    changed = list(items)
    changed.insert(index, item)
    return validate_agenda(changed)


def remove_item(items: Sequence[AgendaItem], index: int) -> tuple[AgendaItem, ...]:
    _check_index(items, index)
    changed = list(items)
    del changed[index]
    return validate_agenda(changed)


def move_item(
    items: Sequence[AgendaItem], from_index: int, to_index: int
) -> tuple[AgendaItem, ...]:
    """Move one item so that it ends up at ``to_index``."""
    _check_index(items, from_index)
    _check_index(items, to_index)
    changed = list(items)
    changed.insert(to_index, changed.pop(from_index))
    return validate_agenda(changed)


def retime_item(items: Sequence[AgendaItem], index: int, minutes: int) -> tuple[AgendaItem, ...]:
    _check_index(items, index)
    changed = list(items)
    changed[index] = replace(changed[index], minutes=minutes)
    return validate_agenda(changed)


def _check_index(items: Sequence[AgendaItem], index: int) -> None:
    if not 0 <= index < len(items):
        raise IndexError(f"no stage {index} in an agenda of {len(items)}")


def _rounds(items: Sequence[AgendaItem]) -> list[int]:
    return sorted({item.round for item in items if item.round is not None})


def _renumbered(items: Sequence[AgendaItem]) -> tuple[AgendaItem, ...]:
    """Rounds numbered 1, 2, ... keeping their order, after a round lost all its stages."""
    numbers = {old: new for new, old in enumerate(_rounds(items), start=1)}
    return tuple(
        item
        if item.round is None or numbers[item.round] == item.round
        else replace(item, round=numbers[item.round])
        for item in items
    )


# -- timing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimedItem:
    item: AgendaItem
    index: int
    start: datetime  # aware, UTC
    end: datetime
    offset_minutes: int  # from the start of the call


@dataclass(frozen=True)
class AgendaTiming:
    items: tuple[TimedItem, ...]
    total_minutes: int
    call_minutes: int

    @property
    def over_by(self) -> int:
        """Minutes beyond the call's length; 0 when it fits."""
        return max(0, self.total_minutes - self.call_minutes)

    @property
    def spare(self) -> int:
        """Minutes left over in the call; 0 when it runs over."""
        return max(0, self.call_minutes - self.total_minutes)

    @property
    def fits(self) -> bool:
        return self.total_minutes <= self.call_minutes

    def warning(self) -> str:
        if self.fits:
            return ""
        unit = "minute" if self.over_by == 1 else "minutes"
        return f"The agenda runs {self.over_by} {unit} over the {self.call_minutes}-minute call."


def time_agenda(
    items: Sequence[AgendaItem], call_start: datetime, call_minutes: int
) -> AgendaTiming:
    """Planned start and end of each item, back to back from the call's start."""
    if call_start.tzinfo is None or call_start.utcoffset() is None:
        raise ValueError("call_start must be time-zone aware")
    if call_minutes <= 0:
        raise ValidationError.single("Call length", "must be more than zero minutes")
    start = call_start.astimezone(UTC)
    timed: list[TimedItem] = []
    offset = 0
    for index, item in enumerate(items):
        begins = start + timedelta(minutes=offset)
        timed.append(
            TimedItem(
                item=item,
                index=index,
                start=begins,
                end=begins + timedelta(minutes=item.minutes),
                offset_minutes=offset,
            )
        )
        offset += item.minutes
    return AgendaTiming(items=tuple(timed), total_minutes=offset, call_minutes=call_minutes)


def shorten_to_fit(items: Sequence[AgendaItem], target_minutes: int) -> tuple[AgendaItem, ...]:
    """Shrink the non-fixed items in proportion so the agenda fits ``target_minutes``.

    Whole minutes, each at least 1, shared out by largest remainder, so the total hits
    the target exactly whenever the fixed items and a minute for each other item allow.
    Fixed items are never touched. When it cannot fit, every non-fixed item becomes 1
    minute and the caller shows the warning.
    """
    agenda = tuple(items)
    if sum(item.minutes for item in agenda) <= target_minutes:
        return agenda
    flexible = [index for index, item in enumerate(agenda) if not item.fixed]
    budget = target_minutes - sum(item.minutes for item in agenda if item.fixed)
    if not flexible:
        return agenda
    if budget <= len(flexible):
        new_minutes = dict.fromkeys(flexible, 1)
    else:
        new_minutes = _share(budget, {index: agenda[index].minutes for index in flexible})
    return tuple(
        replace(item, minutes=new_minutes[index]) if index in new_minutes else item
        for index, item in enumerate(agenda)
    )


def _share(budget: int, weights: dict[int, int]) -> dict[int, int]:
    """Split ``budget`` (less than the weights' sum, at least one each) in proportion."""
    shares: dict[int, int] = {}
    active = dict(weights)
    # Anything whose share would round below a minute is held at one minute.
    while True:
        total = sum(active.values())
        small = [index for index, weight in active.items() if weight * budget < total]
        if not small:
            break
        for index in small:
            shares[index] = 1
            budget -= 1
            del active[index]
    total = sum(active.values())
    floors = {index: weight * budget // total for index, weight in active.items()}
    left = budget - sum(floors.values())
    by_remainder = sorted(active, key=lambda index: (-(active[index] * budget % total), index))
    for index in by_remainder[:left]:
        floors[index] += 1
    shares.update(floors)
    return shares


# -- storage ------------------------------------------------------------------------------

AGENDA_FIELD = "Agenda"


def agenda_to_json(items: Sequence[AgendaItem]) -> str:
    """A call's agenda as JSON: each stage as a protocol file writes it, plus its round."""
    rows = []
    for item in items:
        row = stage_to_dict(
            StageTemplate(
                name=item.name,
                minutes=item.minutes,
                cues=item.cues,
                prompt=item.prompt,
                stop=item.stop,
                fixed=item.fixed,
                turns=item.turns,
                bells=item.bells,
                bell_interval_minutes=item.bell_interval_minutes,
                warn_percent=item.warn_percent,
                urgent_percent=item.urgent_percent,
            )
        )
        del row["per_presenter"]
        row["round"] = item.round
        row["presenter"] = item.presenter
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)


def agenda_from_json(text: str) -> tuple[AgendaItem, ...]:
    try:
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise TypeError("not a list")
        items = []
        for number, row in enumerate(rows, start=1):
            stage = stage_from_dict(row, number)
            round_number, presenter = row.get("round"), row.get("presenter")
            if not all(v is None or isinstance(v, int) for v in (round_number, presenter)):
                raise TypeError(f"stage {number} has a bad round")
            items.append(AgendaItem.from_stage(stage, round_number, presenter))
    except (ValueError, TypeError, AttributeError, FileProblem) as problem:
        raise ValidationError.single(AGENDA_FIELD, f"is damaged ({problem})") from None
    return validate_agenda(items)
