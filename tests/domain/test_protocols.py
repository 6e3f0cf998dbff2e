"""Protocols as data: the built-ins match PROTOCOLS.md, validation, and the shared file."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import (
    DEFAULT_PROTOCOL_KEY,
    DEFAULT_ROLES,
    FILE_FORMAT,
    FILE_VERSION,
    MAX_MINUTES,
    MAX_TOTAL_MINUTES,
    Bell,
    Cues,
    Protocol,
    Role,
    StageTemplate,
    StopKind,
    builtin,
    builtin_protocols,
    protocol_from_json,
    protocol_to_json,
    stage_from_dict,
    stage_to_dict,
)

BUILTIN_KEYS = {
    "peer-input-90",
    "case-clinic",
    "case-clinic-short",
    "consultancy",
    "tuning",
    "troika",
    "wise-crowds",
    "action-learning",
}

# Minutes of each stage as PROTOCOLS.md gives them (the first figure of a range), the
# default number of presenters, and the total worked out by hand from the document.
DOCUMENTED = {
    # 5 + 10 + 2 x (7 + 5 + 12 + 4 + 2) + 5 + 10
    "peer-input-90": ([5, 10, 7, 5, 12, 4, 2, 5, 10], 2, 90),
    # 2 + 15 + 3 + 15 + 20 + 10
    "case-clinic": ([2, 15, 3, 15, 20, 10], 1, 65),
    # case-giving 5, clarifying 3, stillness 1, mirroring 3 coaches + 1, dialogue 12,
    # closing 1 + 4 people
    "case-clinic-short": ([5, 3, 1, 4, 12, 5], 1, 30),
    # 5 (of 5 to 10) + 5 + 10 + 15 + 5 + 5
    "consultancy": ([5, 5, 10, 15, 5, 5], 1, 45),
    # 10 + 20 + 5 + 2 (of 2 to 3) + 15 + 15 + 10
    "tuning": ([10, 20, 5, 2, 15, 15, 10], 1, 77),
    # a silent minute, then 3 rounds of 1 + 1 + 4 + 1
    "troika": ([1, 1, 1, 4, 1], 3, 22),
    # 2 + 3 + 8 + 2 per client
    "wise-crowds": ([2, 3, 8, 2], 1, 15),
    # 2 + 5 + 10 + 2 + 5 (resources, optional) + 2
    "action-learning": ([2, 5, 10, 2, 5, 2], 1, 26),
}


def stage(**changes: Any) -> StageTemplate:
    return replace(StageTemplate(name="Check-in", minutes=10), **changes)


def protocol(**changes: Any) -> Protocol:
    base = Protocol(
        key="my-check-in",
        name="My check-in",
        summary="",
        stages=(stage(), stage(name="Round", minutes=20, per_presenter=True)),
    )
    return replace(base, **changes)


def errors_of(make: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        make()
    return {e.field: e.message for e in caught.value.errors}


def file_error(text: str | bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        protocol_from_json(text)
    assert {e.field for e in caught.value.errors} == {"Protocol file"}
    message = caught.value.for_field("Protocol file")
    assert message is not None
    return message


def document(body: object, **envelope: object) -> str:
    return json.dumps({"format": FILE_FORMAT, "version": FILE_VERSION, "protocol": body} | envelope)


# -- the built-ins ---------------------------------------------------------------------------


def test_every_builtin_is_there_once() -> None:
    keys = [p.key for p in builtin_protocols()]
    assert sorted(keys) == sorted(BUILTIN_KEYS)
    assert builtin_protocols() is builtin_protocols()  # read once


@pytest.mark.parametrize("key", sorted(BUILTIN_KEYS))
def test_builtin_loads_validates_and_matches_the_document(key: str) -> None:
    p = builtin(key)
    minutes, presenters, total = DOCUMENTED[key]

    assert p.validated() == p
    assert p.built_in
    assert [s.minutes for s in p.stages] == minutes
    assert p.presenters == presenters
    assert p.total_minutes() == total
    assert p.name and p.summary
    for s in p.stages:
        assert list(s.cues) == list(Role), f"{key}: {s.name} needs a cue for each role"
        assert all(0 < len(text) <= 100 for text in s.cues.values()), "cues are short"


def test_the_default_is_the_90_minute_peer_input_process() -> None:
    p = builtin(DEFAULT_PROTOCOL_KEY)
    assert p.key == "peer-input-90"
    assert p.total_minutes() == 90
    assert p.total_minutes(presenters=2) == 90
    assert p.total_minutes(presenters=1) == 60
    assert p.total_minutes(presenters=0) == 30
    assert [(s.name, s.per_presenter) for s in p.stages] == [
        ("Arrive: meditation", False),
        ("Check-in round", False),
        ("The challenge", True),
        ("Clarifying questions", True),
        ("Generative discussion", True),
        ("What resonated", True),
        ("Appreciation", True),
        ("Buddies and next steps", False),
        ("Closing round", False),
    ]


def test_peer_input_stages_carry_the_ritual() -> None:
    meditation, check_in, _, _, generative, _, _, _, closing = builtin("peer-input-90").stages
    assert meditation.fixed
    assert meditation.bells == {Bell.START, Bell.END}
    assert check_in.turns and not check_in.fixed
    assert closing.turns and closing.fixed
    presenter_cue = generative.cues[Role.PRESENTER].lower()
    assert "camera off" in presenter_cue and "silence" in presenter_cue


def test_other_builtins_keep_their_particulars() -> None:
    troika = builtin("troika")
    assert troika.stages[0].name == "Silent reflection"
    assert not troika.stages[0].per_presenter
    assert all(s.per_presenter for s in troika.stages[1:])
    assert builtin("case-clinic").source == "Presencing Institute"
    assert builtin("case-clinic").stages[3].turns  # mirroring: each coach in turn
    assert any("Resources" in s.name for s in builtin("action-learning").stages)
    assert all(s.per_presenter for s in builtin("wise-crowds").stages)
    assert builtin("wise-crowds").stages[2].stop is StopKind.HARD


def test_an_unknown_builtin_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        builtin("no-such-protocol")


def test_builtins_are_read_only_and_duplicate_to_an_editable_copy() -> None:
    original = builtin("case-clinic")
    with pytest.raises(FrozenInstanceError):
        original.name = "Mine"  # type: ignore[misc]

    copy = original.duplicate(key="case-clinic-copy", name="  Case Clinic (ours)  ")

    assert not copy.built_in
    assert copy.key == "case-clinic-copy"
    assert copy.name == "Case Clinic (ours)"
    assert copy.stages == original.stages
    assert original.built_in and original.key == "case-clinic"
    assert errors_of(lambda: original.duplicate(key="Case Clinic!", name="x")).keys() == {"Key"}


def test_cues_are_frozen_hashable_and_in_role_order() -> None:
    s = stage(cues={Role.TIMEKEEPER: "Signal", Role.PRESENTER: "Speak", Role.PEERS: "Ask"})
    assert list(s.cues) == [Role.PRESENTER, Role.PEERS, Role.TIMEKEEPER]
    assert isinstance(s.cues, Cues)
    assert s.cues == {Role.PEERS: "Ask", Role.PRESENTER: "Speak", Role.TIMEKEEPER: "Signal"}
    assert hash(s) == hash(stage(cues=dict(reversed(list(s.cues.items())))))
    assert hash(builtin("tuning")) == hash(builtin("tuning"))
    with pytest.raises(TypeError):
        s.cues[Role.PEERS] = "Shout"  # type: ignore[index]


# -- validation ------------------------------------------------------------------------------


def test_validated_cleans_text() -> None:
    p = protocol(
        name="  Ours ",
        stages=(stage(name=" Check-in ", cues={Role.PEERS: " Listen ", Role.PRESENTER: "  "}),),
    ).validated()
    assert p.name == "Ours"
    assert p.stages[0].name == "Check-in"
    assert p.stages[0].cues == {Role.PEERS: "Listen"}


def test_validation_names_every_bad_field_at_once() -> None:
    bad = protocol(
        key="",
        name=" ",
        presenters=0,
        stages=(stage(name=""), stage(minutes=0), stage(minutes=MAX_MINUTES + 1)),
    )
    assert errors_of(bad.validated).keys() == {
        "Key",
        "Name",
        "Presenters",
        "Stage 1: Name",
        "Stage 2: Minutes",
        "Stage 3: Minutes",
    }


def test_a_protocol_needs_stages() -> None:
    assert errors_of(protocol(stages=()).validated) == {"Stages": "must include at least one stage"}


def test_interval_bells_need_an_interval_inside_the_stage() -> None:
    no_interval = protocol(stages=(stage(bells=frozenset({Bell.INTERVAL})),))
    too_long = protocol(stages=(stage(bells=frozenset({Bell.INTERVAL}), bell_interval_minutes=10),))
    fine = protocol(stages=(stage(bells=frozenset({Bell.INTERVAL}), bell_interval_minutes=3),))
    unused = protocol(stages=(stage(bells=frozenset({Bell.START}), bell_interval_minutes=3),))

    assert errors_of(no_interval.validated).keys() == {"Stage 1: Bell interval"}
    assert errors_of(too_long.validated).keys() == {"Stage 1: Bell interval"}
    assert fine.validated().stages[0].bell_interval_minutes == 3
    assert unused.validated().stages[0].bell_interval_minutes is None


def test_total_minutes_counts_round_stages_per_presenter() -> None:
    p = protocol(presenters=3)
    assert p.total_minutes() == 10 + 3 * 20
    assert p.total_minutes(presenters=1) == 30


# -- the shared file -------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(BUILTIN_KEYS))
def test_a_builtin_round_trips_as_an_editable_protocol(key: str) -> None:
    original = builtin(key)
    assert protocol_from_json(protocol_to_json(original)) == replace(original, built_in=False)


def test_the_file_is_versioned_and_readable() -> None:
    p = protocol(name="Kōrero: 話し合い", stages=(stage(cues={Role.PEERS: "Kia ora"}),))
    text = protocol_to_json(p)
    data = json.loads(text)

    assert data["format"] == FILE_FORMAT
    assert data["version"] == 1  # the four built-in roles: readable by every version
    assert "Kōrero: 話し合い" in text  # not \u-escaped
    assert '\n  "protocol": {' in text
    assert data["protocol"]["stages"][0]["cues"] == {"peers": "Kia ora"}
    assert protocol_from_json(text.encode("utf-8")) == p
    assert protocol_from_json("\ufeff" + text) == p


def test_an_imported_protocol_is_never_built_in() -> None:
    body = json.loads(protocol_to_json(protocol()))["protocol"] | {"built_in": True}
    assert not protocol_from_json(document(body)).built_in


def test_a_file_may_leave_out_optional_fields() -> None:
    p = protocol_from_json(
        document({"key": "short", "name": "Short", "stages": [{"name": "Talk", "minutes": 5}]})
    )
    assert p == Protocol(
        key="short", name="Short", summary="", stages=(stage(name="Talk", minutes=5),)
    )


GOOD = json.loads(document(json.loads(protocol_to_json(builtin("tuning")))["protocol"]))


def with_stage(**changes: object) -> str:
    body = dict(GOOD["protocol"])
    body["stages"] = [{**body["stages"][0], **changes}, *body["stages"][1:]]
    return document(body)


BAD_FILES: list[tuple[str, str | bytes, str]] = [
    ("not JSON", "name: Tuning\nstages: 7\n", "is not valid JSON (line 1)"),
    ("not JSON further down", '{\n  "format": 1,\n  oops\n}', "is not valid JSON (line 3)"),
    ("truncated", protocol_to_json(builtin("tuning"))[:500], "is incomplete"),
    ("empty", "  \n", "is empty"),
    ("not UTF-8", b"\xff\xfe\x00garbage", "is not a text file"),
    ("too large", b" " * 1_000_001, "is too large (over 1 MB)"),
    ("foreign JSON", '{"name": "Tuning", "stages": []}', "is not a Sanctuary Desktop protocol"),
    ("a list", "[1, 2, 3]", "is not a Sanctuary Desktop protocol"),
    ("another format", document({}, format="sanctuary-desktop/cohort"), "is not a Sanctuary"),
    (
        "newer",
        document({}, version=FILE_VERSION + 1),
        f"was made by a newer version (format {FILE_VERSION + 1})",
    ),
    ("no version", json.dumps({"format": FILE_FORMAT, "protocol": {}}), "is damaged"),
    ("version text", document({}, version="1"), "format version is not a whole number"),
    ("no protocol", json.dumps({"format": FILE_FORMAT, "version": 1}), "is damaged"),
    ("protocol not an object", document([]), "is damaged"),
    ("no stages", document({"key": "k", "name": "n"}), "has no 'stages'"),
    (
        "minutes as text",
        with_stage(minutes="seven"),
        "in stage 1, 'minutes' must be a whole number",
    ),
    ("minutes as true", with_stage(minutes=True), "'minutes' must be a whole number"),
    (
        "a cue for a role not declared",
        document(
            GOOD["protocol"]
            | {
                "roles": ["presenter"],
                "stages": [{"name": "x", "minutes": 1, "cues": {"coach": "Hi"}}],
            }
        ),
        "Stage 1: Coach cue is for a role this protocol does not have",
    ),
    ("roles not names", document(GOOD["protocol"] | {"roles": [1]}), "must be a list of names"),
    ("unknown bell", with_stage(bells=["gong"]), "unknown bell 'gong'"),
    ("unknown stop", with_stage(stop="maybe"), "'stop' cannot be 'maybe'"),
    ("zero minutes", with_stage(minutes=0), "Stage 1: Minutes must be between 1 and 240"),
    ("blank name", with_stage(name=" "), "Stage 1: Name must not be empty"),
    (
        "too many stages",
        document(GOOD["protocol"] | {"stages": [{"name": "x", "minutes": 1}] * 101}),
        "has more than 100 stages",
    ),
    ("deeply nested", "[" * 100_000 + "]" * 100_000, "is not"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in BAD_FILES], ids=[n for n, _, _ in BAD_FILES]
)
def test_a_bad_file_says_plainly_what_is_wrong(text: str | bytes, expected: str) -> None:
    assert expected in file_error(text)


keys = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
words = st.text(min_size=1, max_size=30).map(str.strip).filter(bool)
texts = st.text(max_size=60).map(str.strip)
# One-line fields (names, the source): what a form and the archive importer accept.
lines = st.text(min_size=1, max_size=30).map(limits.one_line).filter(limits.single_line)
line_words = lines.filter(bool)
ROLES = (*DEFAULT_ROLES, Role("coach"), Role("Case giver"))


@st.composite
def stages(draw: st.DrawFn, roles: tuple[Role, ...] = DEFAULT_ROLES) -> StageTemplate:
    minutes = draw(st.integers(1, 60) | st.just(MAX_MINUTES))
    bells = draw(st.frozensets(st.sampled_from(Bell)))
    if minutes == 1:
        bells -= {Bell.INTERVAL}
    interval = draw(st.integers(1, minutes - 1)) if Bell.INTERVAL in bells else None
    return StageTemplate(
        name=draw(line_words),
        minutes=minutes,
        cues=draw(st.dictionaries(st.sampled_from(roles), words, max_size=4)),
        prompt=draw(texts),
        stop=draw(st.sampled_from(StopKind)),
        fixed=draw(st.booleans()),
        turns=draw(st.booleans()),
        bells=bells,
        bell_interval_minutes=interval,
        per_presenter=draw(st.booleans()),
    )


protocols = (
    st.sampled_from([DEFAULT_ROLES, ROLES, (Role("coach"), Role.PRESENTER)])
    .flatmap(
        lambda roles: st.builds(
            Protocol,
            key=keys,
            name=line_words,
            summary=texts,
            stages=st.lists(stages(roles), min_size=1, max_size=6).map(tuple),
            presenters=st.integers(1, 4),
            source=lines | st.just(""),
            roles=st.just(roles),
        )
    )
    .filter(lambda p: p.total_minutes() <= MAX_TOTAL_MINUTES)
)


@settings(max_examples=200, deadline=None)
@given(protocols)
def test_any_valid_protocol_round_trips_exactly(p: Protocol) -> None:
    assert p.validated() == p
    assert protocol_from_json(protocol_to_json(p)) == p


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
stage_like = st.fixed_dictionaries(
    {},
    optional={
        "name": json_values | words,
        "minutes": json_values | st.integers(-5, 300),
        "cues": json_values | st.dictionaries(st.sampled_from([*Role, "x"]), json_values),
        "bells": json_values | st.lists(st.sampled_from([*Bell, "x"])),
        "stop": json_values | st.sampled_from([*StopKind, "x"]),
        "bell_interval_minutes": json_values,
        "fixed": json_values,
    },
)
protocol_like = st.fixed_dictionaries(
    {},
    optional={
        "key": json_values | keys,
        "name": json_values | words,
        "presenters": json_values,
        "stages": json_values | st.lists(stage_like | json_values, max_size=4),
    },
)
files = st.one_of(
    st.text(),
    st.binary(),
    json_values.map(json.dumps),
    st.tuples(json_values, st.integers(-2, 3)).map(lambda pair: document(pair[0], version=pair[1])),
    protocol_like.map(document),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
def test_any_file_gives_a_protocol_or_a_plain_error(text: str | bytes) -> None:
    try:
        p = protocol_from_json(text)
    except ValidationError as error:
        assert {e.field for e in error.errors} == {"Protocol file"}
    else:
        assert p == p.validated()
        assert not p.built_in


def test_warning_thresholds_are_checked_and_kept_in_files() -> None:
    stage = StageTemplate(name="Talk", minutes=10, warn_percent=30, urgent_percent=10)
    back = stage_from_dict(json.loads(json.dumps(stage_to_dict(stage))), 1)
    assert (back.warn_percent, back.urgent_percent) == (30, 10)
    older = stage_to_dict(StageTemplate(name="Talk", minutes=10))
    del older["warn_percent"], older["urgent_percent"]
    assert stage_from_dict(older, 1).warn_percent == 20  # files from before the thresholds
    with pytest.raises(ValidationError) as caught:
        StageTemplate(name="Talk", minutes=10, warn_percent=10, urgent_percent=30).validated(2)
    assert caught.value.for_field("Stage 2: Last warning")
    with pytest.raises(ValidationError) as caught:
        StageTemplate(name="Talk", minutes=10, warn_percent=95).validated(1)
    assert caught.value.for_field("Stage 1: First warning")
