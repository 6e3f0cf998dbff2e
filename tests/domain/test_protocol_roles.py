"""Roles are data: a protocol names the roles its stages give cues to (issue 13)."""

from __future__ import annotations

import json

import pytest

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import (
    DEFAULT_ROLES,
    FILE_FORMAT,
    MAX_TOTAL_MINUTES,
    Protocol,
    Role,
    StageTemplate,
    builtin,
    protocol_from_json,
    protocol_to_json,
    roles_in,
)


def file_with(body: dict[str, object], version: int = 1) -> str:
    return json.dumps({"format": FILE_FORMAT, "version": version, "protocol": body})


CLINIC = {
    "key": "clinic",
    "name": "Our clinic",
    "stages": [
        {"name": "Intention", "minutes": 15, "cues": {"presenter": "Say it", "coach": "Listen"}},
        {"name": "Mirroring", "minutes": 15, "cues": {"coach": "An image or a gesture"}},
    ],
}


def test_a_file_with_a_coach_reads_as_before_roles_were_declared() -> None:
    protocol = protocol_from_json(file_with(CLINIC))

    assert protocol.roles == (*DEFAULT_ROLES, Role("coach"))
    assert protocol.stages[1].cues == {Role("coach"): "An image or a gesture"}
    assert Role("coach").label == "Coach"


def test_declared_roles_round_trip_in_their_order_and_the_file_says_version_2() -> None:
    protocol = Protocol(
        key="clinic",
        name="Our clinic",
        summary="",
        roles=(Role("case giver"), Role("coach")),
        stages=(StageTemplate("Mirroring", 15, cues={"coach": "Mirror", "case giver": "Listen"}),),
    ).validated()
    text = protocol_to_json(protocol)
    data = json.loads(text)

    assert data["version"] == 2
    assert data["protocol"]["roles"] == ["case giver", "coach"]
    assert list(data["protocol"]["stages"][0]["cues"]) == ["case giver", "coach"]
    again = protocol_from_json(text)
    assert again == protocol
    assert [role.label for role in again.stages[0].cues] == ["Case giver", "Coach"]


def test_the_four_built_in_roles_write_the_old_file_unchanged() -> None:
    data = json.loads(protocol_to_json(builtin("tuning")))

    assert data["version"] == 1
    assert "roles" not in data["protocol"]
    assert builtin("peer-input-90").roles == DEFAULT_ROLES
    assert list(Role) == list(DEFAULT_ROLES)


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ((Role("coach"), Role("Coach")), "“Coach” is named twice"),
        ((Role("  "),), "role 1 has no name"),
        ((Role("x" * 61),), "role 1 must be at most 60 characters"),
        ((Role("co\x00ach"),), "role 1 must be one line"),
    ],
)
def test_bad_roles_are_refused_by_name(roles: tuple[Role, ...], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Protocol("k", "n", "", (StageTemplate("s", 5),), roles=roles).validated()
    assert any(e.field == "Roles" and message in e.message for e in caught.value.errors)


def test_a_role_name_with_a_line_break_is_made_one_line() -> None:
    protocol = Protocol("k", "n", "", (StageTemplate("s", 5),), roles=(Role("case\ngiver"),))
    assert protocol.validated().roles == (Role("case giver"),)


def test_roles_in_lists_the_built_in_four_first_then_the_others_as_they_come() -> None:
    cues = [{Role("coach"): "a"}, {Role.PEERS: "b", Role("scribe"): "c"}, {Role.PRESENTER: ""}]
    assert roles_in(cues) == (Role.PEERS, Role("coach"), Role("scribe"))


# -- one-line names and the shared limits ------------------------------------------------


def test_the_longest_protocol_is_the_longest_call() -> None:
    assert MAX_TOTAL_MINUTES == limits.MAX_CALL_MINUTES


@pytest.mark.parametrize("field", ["name", "source"])
def test_name_and_source_are_one_line(field: str) -> None:
    base = Protocol("k", "Name", "", (StageTemplate("s", 5),), source="Someone")
    cleaned = base.__class__(**{**base.__dict__, field: "Two\r\n  lines\tand a tab"}).validated()
    assert getattr(cleaned, field) == "Two lines and a tab"
    with pytest.raises(ValidationError) as caught:
        base.__class__(**{**base.__dict__, field: "bell\x07"}).validated()
    assert caught.value.errors[0].field == field.capitalize()
    assert "one line" in caught.value.errors[0].message


def test_a_stage_name_is_one_line() -> None:
    stage = StageTemplate("Check\nin", 5).validated()
    assert stage.name == "Check in"


# -- where each built-in comes from (PROTOCOLS.md) -----------------------------------------

SOURCES = {
    "peer-input-90": "Sanctuary Desktop's own proposal",
    "case-clinic": "Presencing Institute",
    "case-clinic-short": "Presencing Institute",
    "consultancy": "Coalition of Essential Schools, National School Reform Faculty",
    "tuning": "Allen and McDonald, Coalition of Essential Schools",
    "troika": "Liberating Structures",
    "wise-crowds": "Liberating Structures",
    "action-learning": "no single published source",
}


@pytest.mark.parametrize(("key", "words"), sorted(SOURCES.items()))
def test_every_built_in_says_where_it_comes_from(key: str, words: str) -> None:
    assert words in builtin(key).source
