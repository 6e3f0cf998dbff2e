"""Buddy pairs for the catch-ups between calls: new partners each cycle, a trio when odd.

With a stable roster and nobody away, cycles follow a fixed schedule in which no pair
meets twice, for as long as such a schedule exists (``repeat_free_cycles``):

* an even number n of people: the round robin (circle method), n - 1 cycles;
* an odd number with one trio per cycle: 1 cycle for 3 and 5 people, 3 for 7, and
  floor(n(n - 1) / (n + 3)) for 9 to 15 (6, 7, 9, 11), which is the most any schedule
  can give, as each cycle uses (n + 3) / 2 of the n(n - 1) / 2 pairs. For 5 and 7 that
  bound (2, 4) cannot be reached, which an exhaustive search shows. The circle method
  with a trio falls short from 9 on (at best 5 for 9 people, 5 for 11, 7 for 13, 9 for
  15), so the schedules for 7 to 15 come from a table found by search. Beyond 15, the
  round robin's first cycles, up to its first repeat.

Otherwise (someone away, the roster changed, a cycle edited by hand, or the schedule
used up) the next cycle is searched for exactly: repeat as few pairs as possible; among
those, repeat the pairs met longest ago; among those, pair people whose waking hours
overlap more. Up to ``EXACT_LIMIT`` people present this is an exact search over every
way to split them (dynamic programming over subsets); above it, a greedy split improved
by swaps.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from sanctuary_desktop.domain.errors import ValidationError

Group = tuple[int, ...]  # 2 people, or 3 (a trio), sorted keys
Pair = frozenset[int]

EXACT_LIMIT = 20  # the most people present for which the best cycle is searched exactly
_OVERLAP_STEPS = 1000  # waking-hours overlap is compared to a thousandth
_FIELD = "Buddy groups"

# Schedules with one trio per cycle and no pair meeting twice, as seats 0..n-1 of the
# roster sorted by key. Found by a randomised search; each reaches the bound above.
_ODD_SCHEDULES: dict[int, tuple[tuple[Group, ...], ...]] = {
    7: (
        ((0, 1, 2), (3, 6), (4, 5)),
        ((0, 3), (1, 5, 6), (2, 4)),
        ((0, 4, 6), (1, 3), (2, 5)),
    ),
    9: (
        ((0, 1, 3), (2, 7), (4, 5), (6, 8)),
        ((0, 2, 4), (1, 6), (3, 8), (5, 7)),
        ((0, 5), (1, 7, 8), (2, 6), (3, 4)),
        ((0, 6), (1, 4), (2, 5, 8), (3, 7)),
        ((0, 7), (1, 2), (3, 5, 6), (4, 8)),
        ((0, 8), (1, 5), (2, 3), (4, 6, 7)),
    ),
    11: (
        ((0, 1), (2, 4), (3, 6, 10), (5, 9), (7, 8)),
        ((0, 2), (1, 9), (3, 5), (4, 6, 7), (8, 10)),
        ((0, 3), (1, 2, 7), (4, 10), (5, 6), (8, 9)),
        ((0, 4, 5), (1, 10), (2, 9), (3, 7), (6, 8)),
        ((0, 6), (1, 4), (2, 5, 8), (3, 9), (7, 10)),
        ((0, 7), (1, 3, 8), (2, 6), (4, 9), (5, 10)),
        ((0, 9, 10), (1, 6), (2, 3), (4, 8), (5, 7)),
    ),
    13: (
        ((0, 1, 2), (3, 11), (4, 7), (5, 6), (8, 9), (10, 12)),
        ((0, 3), (1, 5), (2, 6, 12), (4, 9), (7, 10), (8, 11)),
        ((0, 4), (1, 12), (2, 10), (3, 7, 9), (5, 11), (6, 8)),
        ((0, 5, 8), (1, 10), (2, 11), (3, 4), (6, 9), (7, 12)),
        ((0, 6), (1, 3, 8), (2, 7), (4, 10), (5, 12), (9, 11)),
        ((0, 7), (1, 9), (2, 4), (3, 5, 10), (6, 11), (8, 12)),
        ((0, 9, 10), (1, 11), (2, 8), (3, 12), (4, 6), (5, 7)),
        ((0, 11), (1, 6, 7), (2, 3), (4, 5), (8, 10), (9, 12)),
        ((0, 12), (1, 4), (2, 5, 9), (3, 6), (7, 8), (10, 11)),
    ),
    15: (
        ((0, 1, 13), (2, 9), (3, 4), (5, 14), (6, 12), (7, 11), (8, 10)),
        ((0, 2, 6), (1, 7), (3, 9), (4, 5), (8, 14), (10, 12), (11, 13)),
        ((0, 3), (1, 9, 11), (2, 10), (4, 8), (5, 6), (7, 13), (12, 14)),
        ((0, 4), (1, 12), (2, 3), (5, 13), (6, 8), (7, 9, 10), (11, 14)),
        ((0, 5, 12), (1, 8), (2, 13), (3, 6), (4, 7), (9, 14), (10, 11)),
        ((0, 7), (1, 5, 10), (2, 11), (3, 8), (4, 13), (6, 14), (9, 12)),
        ((0, 8), (1, 6), (2, 7), (3, 13), (4, 11, 12), (5, 9), (10, 14)),
        ((0, 9), (1, 4), (2, 8, 12), (3, 5), (6, 11), (7, 14), (10, 13)),
        ((0, 10), (1, 14), (2, 5), (3, 11), (4, 6, 9), (7, 12), (8, 13)),
        ((0, 11), (1, 3), (2, 4, 14), (5, 7), (6, 10), (8, 9), (12, 13)),
        ((0, 14), (1, 2), (3, 12), (4, 10), (5, 8, 11), (6, 7), (9, 13)),
    ),
}


@dataclass(frozen=True)
class Cycle:
    """One cycle's catch-up groups, each sorted, in sorted order (so equal cycles compare equal)."""

    groups: tuple[Group, ...] = ()

    def __post_init__(self) -> None:
        groups = tuple(sorted(tuple(sorted(group)) for group in self.groups))
        seen: set[int] = set()
        for group in groups:
            if len(group) < 2:
                raise ValidationError.single(_FIELD, "a group needs at least two people")
            for key in group:
                if key in seen:
                    raise ValidationError.single(_FIELD, f"participant {key} is in two places")
                seen.add(key)
        object.__setattr__(self, "groups", groups)

    @property
    def members(self) -> frozenset[int]:
        return frozenset(key for group in self.groups for key in group)

    def pairs(self) -> set[Pair]:
        return {pair for group in self.groups for pair in pairs_of(group)}


def pairs_of(group: Group) -> set[Pair]:
    """Everyone who meets in a group, two by two: one pair, or three for a trio."""
    return {frozenset(pair) for pair in combinations(group, 2)}


def repeats(cycle: Cycle, history: Sequence[Cycle]) -> int:
    """How many of the cycle's pairs (a trio has three) have met in an earlier cycle."""
    met: set[Pair] = set()
    for past in history:
        met |= past.pairs()
    return len(cycle.pairs() & met)


def round_robin(people: Sequence[int]) -> list[Cycle]:
    """The circle method: fix the first person, rotate the rest one seat per round.

    An even number n gives n - 1 rounds in which every pair meets exactly once. An odd
    number gets an empty seat; whoever would sit out joins one of the round's pairs, the
    one whose trio repeats least so far (and otherwise repeats latest), giving n rounds.
    Fewer than two people give none.
    """
    roster = _unique(people)
    if len(roster) < 2:
        return []
    seats: list[int | None] = [*roster, None] if len(roster) % 2 else list(roster)
    size = len(seats)
    head, rest = seats[0], seats[1:]
    rounds: list[list[tuple[int | None, int | None]]] = []
    for turn in range(size - 1):
        circle = [head, *rest[-turn:], *rest[:-turn]] if turn else [head, *rest]
        rounds.append([(circle[i], circle[size - 1 - i]) for i in range(size // 2)])

    round_of: dict[Pair, int] = {}
    for number, pairs in enumerate(rounds):
        for a, b in pairs:
            if a is not None and b is not None:
                round_of[frozenset((a, b))] = number

    cycles: list[Cycle] = []
    met: set[Pair] = set()
    for number, pairs in enumerate(rounds):
        groups: list[Group] = [(a, b) for a, b in pairs if a is not None and b is not None]
        alone = next((a if b is None else b for a, b in pairs if None in (a, b)), None)
        if alone is not None:
            # Whoever would sit out joins the pair whose trio repeats least so far; among
            # those, the one whose new pairs the circle brings back latest.
            costs = []
            for group in groups:
                extra = [frozenset((alone, key)) for key in group]
                again = sum(1 for pair in extra if pair in met)
                soonest = min(round_of[p] if round_of[p] > number else size for p in extra)
                costs.append((again, -soonest))
            target = costs.index(min(costs))
            groups[target] = (*groups[target], alone)
        cycle = Cycle(tuple(groups))
        met |= cycle.pairs()
        cycles.append(cycle)
    return cycles


def repeat_free_schedule(people: Sequence[int]) -> list[Cycle]:
    """The longest known run of cycles for this roster in which no pair meets twice.

    Seats go to people in order of key, so the schedule does not depend on roster order.
    """
    roster = sorted(_unique(people))
    table = _ODD_SCHEDULES.get(len(roster))
    if table is not None:
        return [Cycle(tuple(tuple(roster[i] for i in g) for g in groups)) for groups in table]
    schedule: list[Cycle] = []
    for cycle in round_robin(roster):
        if repeats(cycle, schedule):
            break
        schedule.append(cycle)
    return schedule


@cache
def repeat_free_cycles(count: int) -> int:
    """How many cycles a stable roster of ``count`` people gets before any pair meets twice."""
    return len(repeat_free_schedule(range(count)))


def next_cycle(
    people: Sequence[int],
    history: Sequence[Cycle],
    *,
    absent: Collection[int] = (),
    awake_overlap: Callable[[int, int], float] | None = None,
) -> Cycle:
    """The next cycle's groups for everyone in ``people`` not ``absent``.

    Pairs everyone present, with exactly one trio when their number is odd (3 or more);
    a single person present gets no group. ``history`` is every earlier cycle, oldest
    first. ``awake_overlap(a, b)`` (called with a < b) says from 0 to 1 how much two
    people's waking hours overlap; higher is better; None treats every pair alike.
    The same inputs always give the same cycle.
    """
    roster = _unique(people)
    away = set(absent)
    present = sorted(key for key in roster if key not in away)
    if len(present) < 2:
        return Cycle()
    closeness = _closeness(present, awake_overlap)
    if len(present) == len(roster):
        scheduled = _follow_schedule(present, history, closeness)
        if scheduled is not None:
            return scheduled
    cost = _costs(present, history, closeness)
    split = _exact(cost) if len(present) <= EXACT_LIMIT else _greedy(cost)
    return Cycle(tuple(tuple(present[i] for i in group) for group in split))


def _unique(people: Sequence[int]) -> list[int]:
    roster: list[int] = []
    seen: set[int] = set()
    for key in people:
        if key in seen:
            raise ValidationError.single(_FIELD, f"participant {key} is listed twice")
        seen.add(key)
        roster.append(key)
    return roster


def _closeness(
    present: list[int], awake_overlap: Callable[[int, int], float] | None
) -> dict[Pair, int]:
    """Each pair's waking-hours overlap in thousandths."""
    closeness: dict[Pair, int] = {}
    for a, b in combinations(present, 2):
        share = 1.0 if awake_overlap is None else awake_overlap(a, b)
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"awake_overlap({a}, {b}) gave {share!r}, not a share from 0 to 1")
        closeness[frozenset((a, b))] = round(share * _OVERLAP_STEPS)
    return closeness


def _follow_schedule(
    present: list[int], history: Sequence[Cycle], closeness: dict[Pair, int]
) -> Cycle | None:
    """The schedule's best unused cycle, if every past cycle is a distinct one of its cycles."""
    schedule = repeat_free_schedule(present)
    seat = {cycle: number for number, cycle in enumerate(schedule)}
    used: set[Cycle] = set()
    for past in history:
        if past not in seat or past in used:
            return None
        used.add(past)
    unused = [cycle for cycle in schedule if cycle not in used]
    if not unused:
        return None
    return min(unused, key=lambda c: (-sum(closeness[p] for p in c.pairs()), seat[c]))


def _costs(
    present: list[int], history: Sequence[Cycle], closeness: dict[Pair, int]
) -> list[list[int]]:
    """Each pair's cost, so that comparing sums over a whole cycle compares, in turn:
    the number of pairs met before; how recently the repeated pairs met (the count met in
    the last cycle, then in the one before, ...); and the waking-hours overlap given up.
    """
    count = len(present)
    pairs_per_cycle = count // 2 if count % 2 == 0 else (count + 3) // 2
    base = pairs_per_cycle + 1  # a cycle holds fewer pairs than this, so no digit carries
    recency: dict[Pair, int] = {}
    for age, past in enumerate(history):
        weight = base**age
        for pair in past.pairs():
            recency[pair] = recency.get(pair, 0) + weight
    overlap_scale = pairs_per_cycle * _OVERLAP_STEPS + 1
    repeat_scale = base ** len(history) * overlap_scale
    cost = [[0] * count for _ in range(count)]
    for i, j in combinations(range(count), 2):
        pair = frozenset((present[i], present[j]))
        met = recency.get(pair, 0)
        value = (repeat_scale if met else 0) + met * overlap_scale
        cost[i][j] = cost[j][i] = value + _OVERLAP_STEPS - closeness[pair]
    return cost


def _exact(cost: list[list[int]]) -> list[Group]:
    """The cheapest split of seats 0..n-1 into pairs and, for odd n, one trio.

    Dynamic programming over the set of seats still to place: the lowest one goes with
    one other, or two others while a trio is still owed. Because the lowest seat always
    goes next, few sets are ever reached: under 2,600 up to 16 people, under 18,000 up to 20.
    """
    size = len(cost)
    best: dict[int, tuple[int, Group]] = {0: (0, ())}

    def solve(mask: int) -> int:
        known = best.get(mask)
        if known is not None:
            return known[0]
        low = mask & -mask
        first = low.bit_length() - 1
        rest = mask ^ low
        others = [i for i in range(size) if rest >> i & 1]
        row = cost[first]
        choice: tuple[int, Group] | None = None
        trio_owed = len(others) % 2 == 0
        if not trio_owed or len(others) >= 4:
            for other in others:
                value = row[other] + solve(rest ^ (1 << other))
                if choice is None or value < choice[0]:
                    choice = (value, (first, other))
        if trio_owed:
            for a, b in combinations(others, 2):
                value = row[a] + row[b] + cost[a][b] + solve(rest ^ (1 << a) ^ (1 << b))
                if choice is None or value < choice[0]:
                    choice = (value, (first, a, b))
        if choice is None:  # a lone seat: never reached from a whole roster of 2 or more
            raise AssertionError("no way to split one person")
        best[mask] = choice
        return choice[0]

    mask = (1 << size) - 1
    solve(mask)
    groups: list[Group] = []
    while mask:
        group = best[mask][1]
        groups.append(group)
        for seat in group:
            mask ^= 1 << seat
    return groups


def _greedy(cost: list[list[int]]) -> list[Group]:
    """A good split for a large roster: cheapest pairs first, then swaps while they help."""
    size = len(cost)
    order = sorted(combinations(range(size), 2), key=lambda p: (cost[p[0]][p[1]], p))
    placed: set[int] = set()
    groups: list[list[int]] = []
    for a, b in order:
        if a not in placed and b not in placed:
            groups.append([a, b])
            placed |= {a, b}
    leftover = [seat for seat in range(size) if seat not in placed]
    if leftover:
        (alone,) = leftover
        target = min(range(len(groups)), key=lambda i: (sum(cost[alone][s] for s in groups[i]), i))
        groups[target].append(alone)

    def group_cost(group: Sequence[int]) -> int:
        return sum(cost[a][b] for a, b in combinations(group, 2))

    improved = True
    while improved:
        improved = False
        for i, j in combinations(range(len(groups)), 2):
            now = group_cost(groups[i]) + group_cost(groups[j])
            joined = groups[i] + groups[j]
            for first in combinations(joined, len(groups[i])):
                second = [seat for seat in joined if seat not in first]
                if group_cost(first) + group_cost(second) < now:
                    groups[i], groups[j] = list(first), second
                    now = group_cost(first) + group_cost(second)
                    improved = True
    return [tuple(sorted(group)) for group in groups]
