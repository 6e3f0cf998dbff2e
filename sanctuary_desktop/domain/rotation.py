"""Who presents at which call: everyone once before anyone twice.

A call's agenda holds a number of presenter rounds (slots). The planner fills the
slots the facilitator has left open, call by call in time order, always with someone
who has presented the fewest times so far. Among those it prefers, in turn: whoever is
not booked by hand for a later call (their turn is coming); whoever presented longest
ago; whoever can make the fewest of the calls still to plan (someone about to be away
goes first); and then roster order, so the plan stays put when nothing changes.

The facilitator's own choices (``fixed``) stay where they are and count from their
call on. Calls already held are history and never change. Nobody is chosen for a call
they will miss, nor twice in one call; a slot stays empty (None) only when nobody is
left who could take it: a second turn for someone present beats an empty slot while a
first-timer is away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sanctuary_desktop.domain.errors import Collector, ValidationError

Plan = dict[int, tuple[int | None, ...]]


@dataclass(frozen=True)
class CallSlots:
    call: int  # call key; calls are given in time order
    slots: int  # presenters this call's agenda needs (0 or more)
    absent: frozenset[int] = frozenset()  # people known to be away
    fixed: tuple[int | None, ...] = ()  # manual choices per slot, None = let the app choose
    held: bool = False  # a past call: its fixed presenters are history, never changed


def plan_presenters(calls: Sequence[CallSlots], people: Sequence[int]) -> Plan:
    """Each call's presenters, one entry per slot, in the order the calls are given.

    ``people`` is the roster of accepted participants, in the order used to break ties.
    Raises ValidationError for a repeated person or call, a negative number of slots,
    or more manual choices than slots.
    """
    _check(calls, people)
    roster = list(people)
    position = {key: index for index, key in enumerate(roster)}
    booked: dict[int, list[int]] = {key: [] for key in roster}  # call indices chosen by hand
    for index, call in enumerate(calls):
        for key in call.fixed:
            if key is not None and key in booked:
                booked[key].append(index)
    open_calls = [index for index, call in enumerate(calls) if _has_open_slot(call)]

    done = dict.fromkeys(roster, 0)  # presentations at the calls planned so far
    last = dict.fromkeys(roster, -1)  # index of the call each last presented at
    plan: Plan = {}
    for index, call in enumerate(calls):
        chosen: list[int | None] = [*call.fixed, *([None] * (call.slots - len(call.fixed)))]
        if not call.held:
            later = [calls[i] for i in open_calls if i > index]

            def priority(
                key: int, index: int = index, later: list[CallSlots] = later
            ) -> tuple[int, ...]:
                booked_later = sum(1 for i in booked[key] if i > index)
                chances = sum(1 for c in later if key not in c.absent and key not in c.fixed)
                return (done[key], booked_later, last[key], chances, position[key])

            taken = {key for key in call.fixed if key is not None}
            for slot, key in enumerate(chosen):
                if key is not None:
                    continue
                candidates = [k for k in roster if k not in call.absent and k not in taken]
                if not candidates:
                    break
                pick = min(candidates, key=priority)
                chosen[slot] = pick
                taken.add(pick)
        for key in chosen:
            if key is not None and key in done:
                done[key] += 1
                last[key] = index
        plan[call.call] = tuple(chosen)
    return plan


def not_yet_presented(
    plan: Mapping[int, Sequence[int | None]],
    people: Sequence[int],
    up_to_call: int | None = None,
) -> list[int]:
    """People, in roster order, with no presentation in the plan up to and including a call.

    ``up_to_call=None`` looks at the whole plan.
    """
    if up_to_call is not None and up_to_call not in plan:
        raise ValidationError.single("Call", f"call {up_to_call} is not in the plan")
    presented: set[int] = set()
    for call, presenters in plan.items():
        presented.update(key for key in presenters if key is not None)
        if call == up_to_call:
            break
    return [key for key in people if key not in presented]


def presentation_counts(
    plan: Mapping[int, Sequence[int | None]], people: Sequence[int]
) -> dict[int, int]:
    """How many times each person presents in the plan, in roster order."""
    counts = dict.fromkeys(people, 0)
    for presenters in plan.values():
        for key in presenters:
            if key is not None and key in counts:
                counts[key] += 1
    return counts


def _has_open_slot(call: CallSlots) -> bool:
    return not call.held and (call.slots > len(call.fixed) or None in call.fixed)


def _check(calls: Sequence[CallSlots], people: Sequence[int]) -> None:
    errors = Collector()
    seen_people: set[int] = set()
    for key in people:
        if key in seen_people:
            errors.add("Presenters", f"participant {key} is listed twice")
        seen_people.add(key)
    seen_calls: set[int] = set()
    for call in calls:
        if call.call in seen_calls:
            errors.add("Presenters", f"call {call.call} is listed twice")
        seen_calls.add(call.call)
        if call.slots < 0:
            errors.add("Presenters", f"call {call.call} cannot need fewer than 0 presenters")
        elif len(call.fixed) > call.slots:
            errors.add(
                "Presenters",
                f"call {call.call} has {len(call.fixed)} presenters chosen for {call.slots} slots",
            )
    errors.raise_if_any()
