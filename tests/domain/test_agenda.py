"""A call's agenda: rounds from a protocol, edits that validate, timing and shortening."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain.agenda import (
    AgendaItem,
    assign_presenters,
    build_agenda,
    insert_item,
    move_item,
    presenter_slots,
    remove_item,
    retime_item,
    shorten_to_fit,
    time_agenda,
)
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import (
    DEFAULT_PROTOCOL_KEY,
    Bell,
    Protocol,
    Role,
    StageTemplate,
    builtin,
)

VANCOUVER = ZoneInfo("America/Vancouver")
ROUND_STAGES = [
    "The challenge",
    "Clarifying questions",
    "Generative discussion",
    "What resonated",
    "Appreciation",
]


def default_agenda(presenters: list[int | None] | None = None) -> tuple[AgendaItem, ...]:
    return build_agenda(builtin(DEFAULT_PROTOCOL_KEY), presenters)


def total(items: tuple[AgendaItem, ...]) -> int:
    return sum(item.minutes for item in items)


def fields_of(make: Any) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        make()
    return {e.field for e in caught.value.errors}


BREAK = AgendaItem(name="Stretch break", minutes=3, cues={Role.FACILITATOR: "Stand and stretch"})


# -- building ---------------------------------------------------------------------------------


def test_the_default_call_expands_two_rounds_in_place() -> None:
    items = default_agenda()

    assert [item.label for item in items] == [
        "Arrive: meditation",
        "Check-in round",
        *(f"Round 1: {name}" for name in ROUND_STAGES),
        *(f"Round 2: {name}" for name in ROUND_STAGES),
        "Buddies and next steps",
        "Closing round",
    ]
    assert [item.round for item in items] == [None, None, *[1] * 5, *[2] * 5, None, None]
    assert all(item.presenter is None for item in items)
    assert total(items) == 90
    assert presenter_slots(items) == 2


def test_items_carry_the_stage_template() -> None:
    meditation, check_in, challenge = default_agenda()[:3]
    assert meditation.fixed and meditation.bells == {Bell.START, Bell.END}
    assert check_in.turns
    assert challenge.name == "The challenge" and challenge.minutes == 7
    assert challenge.cues[Role.PRESENTER] == builtin("peer-input-90").stages[2].cues[Role.PRESENTER]
    assert challenge.prompt


def test_presenters_fill_the_rounds() -> None:
    items = default_agenda([7, 9])
    assert {(item.round, item.presenter) for item in items if item.round} == {(1, 7), (2, 9)}


def test_an_empty_presenter_list_gives_no_rounds_and_three_gives_three() -> None:
    none = default_agenda([])
    assert presenter_slots(none) == 0
    assert [item.name for item in none] == [
        "Arrive: meditation",
        "Check-in round",
        "Buddies and next steps",
        "Closing round",
    ]
    assert total(none) == 30
    three = default_agenda([1, None, 3])
    assert presenter_slots(three) == 3
    assert total(three) == 120


def test_the_round_block_sits_between_the_shared_stages() -> None:
    items = build_agenda(builtin("tuning"))
    assert items[0].label == "Introduction"
    assert items[1].label == "Round 1: Presentation of the work"
    assert items[-1].label == "Debrief"
    troika = build_agenda(builtin("troika"))
    assert len(troika) == 1 + 3 * 4
    assert troika[-1].label == "Round 3: What was most valuable"


def test_separate_blocks_of_round_stages_each_repeat() -> None:
    protocol = Protocol(
        key="split",
        name="Split",
        summary="",
        presenters=2,
        stages=(
            StageTemplate("Share", 5, per_presenter=True),
            StageTemplate("Silence", 1),
            StageTemplate("Respond", 5, per_presenter=True),
        ),
    )
    labels = [item.label for item in build_agenda(protocol)]
    assert labels == [
        "Round 1: Share",
        "Round 2: Share",
        "Silence",
        "Round 1: Respond",
        "Round 2: Respond",
    ]


def test_assign_presenters_sets_each_round() -> None:
    items = assign_presenters(default_agenda(), [11, 12])
    assert [item.presenter for item in items if item.round == 1] == [11] * 5
    assert [item.presenter for item in items if item.round == 2] == [12] * 5
    assert all(item.presenter is None for item in items if item.round is None)
    cleared = assign_presenters(items, [None, 12])
    assert [item.presenter for item in cleared if item.round == 1] == [None] * 5


def test_assign_presenters_needs_one_per_round() -> None:
    assert fields_of(lambda: assign_presenters(default_agenda(), [1])) == {"Presenters"}


# -- editing ----------------------------------------------------------------------------------


def test_insert_a_break_between_the_rounds() -> None:
    items = insert_item(default_agenda(), 7, BREAK)
    assert items[7] == BREAK
    assert items[6].label == "Round 1: Appreciation"
    assert items[8].label == "Round 2: The challenge"
    assert total(items) == 93


def test_an_inserted_item_is_validated_and_named_by_its_position() -> None:
    assert fields_of(lambda: insert_item(default_agenda(), 2, replace(BREAK, minutes=0))) == {
        "Stage 3: Minutes"
    }
    assert fields_of(lambda: insert_item(default_agenda(), 0, replace(BREAK, name="  "))) == {
        "Stage 1: Name"
    }
    with pytest.raises(IndexError):
        insert_item(default_agenda(), 15, BREAK)


def test_remove_an_item() -> None:
    items = remove_item(default_agenda(), 0)
    assert items[0].name == "Check-in round"
    assert total(items) == 85
    with pytest.raises(IndexError):
        remove_item(items, 13)


def test_removing_a_whole_round_renumbers_the_next() -> None:
    items = default_agenda([5, 6])
    for _ in ROUND_STAGES:
        items = remove_item(items, 2)
    assert presenter_slots(items) == 1
    assert items[2].label == "Round 1: The challenge"
    assert items[2].presenter == 6


def test_move_an_item() -> None:
    items = default_agenda([5, 6])
    moved = move_item(items, 12, 1)  # buddies before the check-in
    assert [item.name for item in moved[:3]] == [
        "Arrive: meditation",
        "Buddies and next steps",
        "Check-in round",
    ]
    back = move_item(moved, 1, 12)
    assert back == items
    assert move_item(items, 3, 3) == items
    with pytest.raises(IndexError):
        move_item(items, 0, 14)


def test_retime_an_item() -> None:
    items = retime_item(default_agenda(), 4, 15)
    assert items[4].label == "Round 1: Generative discussion"
    assert items[4].minutes == 15
    assert total(items) == 93
    assert fields_of(lambda: retime_item(items, 3, 0)) == {"Stage 4: Minutes"}
    assert fields_of(lambda: retime_item(items, 3, 241)) == {"Stage 4: Minutes"}


def test_edits_leave_the_original_alone() -> None:
    items = default_agenda()
    retime_item(items, 0, 9)
    remove_item(items, 0)
    assert items == default_agenda()


def test_a_shortened_stage_may_skip_its_interval_bells() -> None:
    bells = AgendaItem(
        name="Sit", minutes=10, bells=frozenset({Bell.INTERVAL}), bell_interval_minutes=5
    )
    items = retime_item((bells,), 0, 3)
    assert items[0].bell_interval_minutes == 5
    no_interval = replace(bells, bell_interval_minutes=None)
    assert fields_of(lambda: insert_item((), 0, no_interval)) == {"Stage 1: Bell interval"}


# -- timing -----------------------------------------------------------------------------------


def test_planned_times_are_instants_back_to_back() -> None:
    # 01:30 Pacific on the night the clocks go forward: the agenda counts real minutes.
    start = datetime(2026, 3, 8, 1, 30, tzinfo=VANCOUVER)
    timing = time_agenda(default_agenda(), start, 90)

    first, second = timing.items[:2]
    assert first.start == datetime(2026, 3, 8, 9, 30, tzinfo=UTC)
    assert first.start.tzinfo is UTC
    assert first.end == second.start == first.start + timedelta(minutes=5)
    assert second.offset_minutes == 5
    assert timing.items[2].offset_minutes == 15
    assert [t.index for t in timing.items] == list(range(14))
    for before, after in zip(timing.items, timing.items[1:], strict=False):
        assert before.end == after.start
    last = timing.items[-1]
    assert last.end - first.start == timedelta(minutes=90)
    assert last.end.astimezone(VANCOUVER).hour == 4  # 01:30 PST + 90 min = 04:00 PDT


def test_an_agenda_that_fits_has_no_warning() -> None:
    timing = time_agenda(default_agenda(), datetime(2026, 9, 3, 16, tzinfo=UTC), 90)
    assert (timing.total_minutes, timing.call_minutes) == (90, 90)
    assert timing.fits and timing.over_by == 0 and timing.spare == 0
    assert timing.warning() == ""
    shorter = time_agenda(default_agenda([5]), datetime(2026, 9, 3, 16, tzinfo=UTC), 90)
    assert shorter.spare == 30 and shorter.fits


def test_an_agenda_that_runs_over_says_by_how_much() -> None:
    start = datetime(2026, 9, 3, 16, tzinfo=UTC)
    items = insert_item(default_agenda(), 7, replace(BREAK, minutes=12))
    timing = time_agenda(items, start, 90)
    assert timing.total_minutes == 102
    assert not timing.fits and timing.over_by == 12 and timing.spare == 0
    assert timing.warning() == "The agenda runs 12 minutes over the 90-minute call."
    one = time_agenda(insert_item(default_agenda(), 0, replace(BREAK, minutes=1)), start, 90)
    assert one.warning() == "The agenda runs 1 minute over the 90-minute call."


def test_timing_needs_an_aware_start_and_a_call_length() -> None:
    with pytest.raises(ValueError, match="aware"):
        time_agenda(default_agenda(), datetime(2026, 9, 3, 16), 90)
    assert fields_of(lambda: time_agenda(default_agenda(), datetime.now(UTC), 0)) == {"Call length"}


# -- shortening -------------------------------------------------------------------------------


def test_shorten_the_default_call_to_an_hour_and_a_quarter() -> None:
    items = default_agenda()
    short = shorten_to_fit(items, 75)

    assert total(short) == 75
    assert short[0].minutes == 5 and short[-1].minutes == 10  # meditation, closing: fixed
    for before, after in zip(items, short, strict=True):
        assert 1 <= after.minutes <= before.minutes
        assert replace(after, minutes=before.minutes) == before


def test_shorten_leaves_an_agenda_that_fits_alone() -> None:
    items = default_agenda()
    assert shorten_to_fit(items, 90) == items
    assert shorten_to_fit(items, 120) == items


def test_shorten_cannot_go_below_a_minute_each() -> None:
    short = shorten_to_fit(default_agenda(), 20)
    assert [item.minutes for item in short] == [5, *[1] * 12, 10]


minutes = st.integers(1, 240)
agenda_items = st.lists(
    st.builds(AgendaItem, name=st.just("Stage"), minutes=minutes, fixed=st.booleans()),
    max_size=15,
).map(tuple)


@settings(max_examples=300, deadline=None)
@given(agenda_items, st.integers(-10, 3000))
def test_shorten_to_fit_property(items: tuple[AgendaItem, ...], target: int) -> None:
    short = shorten_to_fit(items, target)

    fixed = sum(item.minutes for item in items if item.fixed)
    flexible = sum(1 for item in items if not item.fixed)
    assert len(short) == len(items)
    for before, after in zip(items, short, strict=True):
        assert replace(after, minutes=before.minutes) == before
        if before.fixed:
            assert after.minutes == before.minutes
        else:
            assert 1 <= after.minutes <= before.minutes
    if total(items) <= target:
        assert short == items
    elif target >= fixed + flexible:
        assert total(short) == target  # exactly, whenever it can be done
    else:
        assert all(after.minutes == 1 for after in short if not after.fixed)
    # In proportion: a longer stage never ends up shorter than a shorter one.
    for a, a_short in zip(items, short, strict=True):
        for b, b_short in zip(items, short, strict=True):
            if not a.fixed and not b.fixed and a.minutes > b.minutes:
                assert a_short.minutes >= b_short.minutes


def test_an_agenda_survives_storage_with_its_rounds_and_presenters() -> None:
    from sanctuary_desktop.domain.agenda import agenda_from_json, agenda_to_json
    from sanctuary_desktop.domain.protocols import builtin

    items = build_agenda(builtin("peer-input-90"), [11, None])
    items = retime_item(items, 0, 3)
    assert agenda_from_json(agenda_to_json(items)) == items


def test_a_damaged_stored_agenda_is_a_clear_error() -> None:
    from sanctuary_desktop.domain.agenda import agenda_from_json
    from sanctuary_desktop.domain.errors import ValidationError

    for text in ("{", "{}", '[{"minutes": 5}]', '[{"name": "x", "minutes": 5, "round": "a"}]'):
        with pytest.raises(ValidationError) as caught:
            agenda_from_json(text)
        assert caught.value.for_field("Agenda")
