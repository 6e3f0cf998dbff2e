"""What the cohort and participant forms accept is what an archive of them holds: dates in
the years the app shows, one-line fields on one line, and every bound from domain/limits.py.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from sanctuary_desktop.domain import limits
from sanctuary_desktop.domain.cohort import CohortDraft, ParticipantDraft
from sanctuary_desktop.domain.errors import ValidationError

PACKAGE = Path(__file__).resolve().parents[2] / "sanctuary_desktop"


def cohort(**changes: object) -> CohortDraft:
    base: dict[str, object] = dict(
        name="Kōwhai circle",
        home_tz="Pacific/Auckland",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 7, 31),
    )
    base.update(changes)
    return CohortDraft(**base)  # type: ignore[arg-type]


def person(**changes: object) -> ParticipantDraft:
    base: dict[str, object] = dict(
        name="Aroha Ngātai", time_zone="Pacific/Auckland", email="aroha@example.nz"
    )
    base.update(changes)
    return ParticipantDraft(**base)  # type: ignore[arg-type]


def refused(draft: CohortDraft | ParticipantDraft, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        draft.validated()
    message = caught.value.for_field(field)
    assert message is not None, caught.value.errors
    return message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": date(1, 1, 1)}, "Start date"),
        ({"start_date": date(1899, 12, 31)}, "Start date"),
        ({"end_date": date(2200, 1, 1)}, "End date"),
        ({"end_date": date(9999, 12, 31)}, "End date"),
        (
            {"start_date": date(2200, 1, 1), "end_date": date(2200, 2, 1)},
            "Start date",
        ),
    ],
)
def test_cohort_dates_outside_the_years_are_refused(changes: dict[str, object], field: str) -> None:
    assert refused(cohort(**changes), field) == "must be " + limits.YEARS_TEXT


def test_cohort_dates_at_the_bounds_are_taken() -> None:
    draft = cohort(start_date=limits.EARLIEST_DATE, end_date=limits.LATEST_DATE).validated()
    assert (draft.start_date, draft.end_date) == (limits.EARLIEST_DATE, limits.LATEST_DATE)


@pytest.mark.parametrize("when", [date(1, 1, 1), date(1899, 12, 31), date(2200, 1, 1)])
def test_interview_dates_outside_the_years_are_refused(when: date) -> None:
    assert refused(person(interview_date=when), "Interview date") == "must be " + limits.YEARS_TEXT


def test_interview_dates_at_the_bounds_are_taken() -> None:
    for when in (limits.EARLIEST_DATE, limits.LATEST_DATE, None):
        assert person(interview_date=when).validated().interview_date == when


# Line breaks and tabs (a spreadsheet cell, a paste) become one space; other control
# characters are refused.
FOLDED = ["A\nB", "A\r\nB", "A \t B", "A\u2028B", "A\u2029B", "A\x85B", "A\x0bB"]
CONTROLS = ["A\x00B", "A\x1bB", "A\x07B", "A\x7fB"]


@pytest.mark.parametrize("text", CONTROLS)
def test_a_cohort_name_holds_one_line(text: str) -> None:
    assert "one line" in refused(cohort(name=text), "Name")


@pytest.mark.parametrize("text", FOLDED)
def test_line_breaks_in_a_cohort_name_become_a_space(text: str) -> None:
    assert cohort(name=text).validated().name == "A B"


@pytest.mark.parametrize("text", CONTROLS)
@pytest.mark.parametrize(
    ("field", "attribute"),
    [("Name", "name"), ("Organisation", "organisation"), ("Email", "email")],
)
def test_a_participants_one_line_fields_hold_one_line(
    text: str, field: str, attribute: str
) -> None:
    value = text.replace("A", "a@b", 1) + ".org" if attribute == "email" else text
    assert "one line" in refused(person(**{attribute: value}), field)


@pytest.mark.parametrize("text", FOLDED)
def test_line_breaks_in_a_participants_name_and_organisation_become_a_space(text: str) -> None:
    draft = person(name=text, organisation=text).validated()
    assert (draft.name, draft.organisation) == ("A B", "A B")
    assert limits.single_line(draft.name) and limits.single_line(draft.organisation)


@pytest.mark.parametrize("text", FOLDED)
def test_an_email_with_a_line_break_is_refused(text: str) -> None:
    refused(person(email=text.replace("A", "a@b", 1) + ".org"), "Email")


@pytest.mark.parametrize("text", FOLDED + CONTROLS)
def test_zones_hold_one_line(text: str) -> None:
    zone = text.replace("A", "Pacific/").replace("B", "Auckland")
    refused(cohort(home_tz=zone), "Home time zone")
    refused(person(time_zone=zone), "Time zone")


def test_many_line_fields_keep_their_lines() -> None:
    draft = cohort(focus="Climate\nand nature", notes="First line\n\tSecond").validated()
    assert draft.focus == "Climate\nand nature"
    assert person(notes="Met in Wellington.\nKeen.").validated().notes.count("\n") == 1


def test_bounds_come_from_the_limits_module() -> None:
    assert "at most 200 characters" in refused(cohort(name="x" * (limits.MAX_NAME + 1)), "Name")
    cohort(name="x" * limits.MAX_NAME).validated()
    refused(cohort(call_minutes=limits.MAX_CALL_MINUTES + 1), "Call length")
    cohort(call_minutes=limits.MAX_CALL_MINUTES).validated()
    refused(cohort(notes="x" * (limits.MAX_TEXT + 1)), "Notes")
    refused(person(organisation="x" * (limits.MAX_ORGANISATION + 1)), "Organisation")
    person(organisation="x" * limits.MAX_ORGANISATION).validated()
    long_email = "a" * (limits.MAX_EMAIL - len("@example.nz") + 1) + "@example.nz"
    refused(person(email=long_email), "Email")
    refused(person(years_in_practice=limits.MAX_YEARS_IN_PRACTICE + 1), "Years in practice")
    person(years_in_practice=limits.MAX_YEARS_IN_PRACTICE).validated()


# -- one definition of each limit ---------------------------------------------------------

# Modules that held their own copies of the limits, and the names they used.
OWNERS = (
    "domain/cohort.py",
    "services/calls.py",
    "services/records.py",
    "ui/cohort_dialogs.py",
    "ui/roster_tab.py",
    "ui/calls_tab.py",
    "ui/live_notes.py",
)
LIMIT_NAMES = {
    "MAX_NAME",
    "MAX_TEXT",
    "MAX_ORGANISATION",
    "MAX_EMAIL",
    "MAX_CALL_MINUTES",
    "MAX_TITLE",
    "MAX_NOTE",
    "MAX_TAGS",
}
LIMIT_VALUES = {
    limits.MAX_NAME,
    limits.MAX_TEXT,
    limits.MAX_ORGANISATION,
    limits.MAX_EMAIL,
    limits.MAX_CALL_MINUTES,
    limits.MAX_NOTE,
    limits.MAX_TAGS,
    limits.MAX_YEARS_IN_PRACTICE,
}


@pytest.mark.parametrize("module", OWNERS)
def test_no_module_keeps_its_own_copy_of_a_limit(module: str) -> None:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            names = {t.id for t in node.targets if isinstance(t, ast.Name)}
            assert not names & LIMIT_NAMES, f"{module} defines {names & LIMIT_NAMES}"
        # 24 * 60 or a column's size written out again, where a limit is meant
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            values = (node.left, node.right)
            if all(isinstance(v, ast.Constant) for v in values):
                product = {getattr(v, "value", None) for v in values}
                assert product != {24, 60}, f"{module} writes 24 * 60 at line {node.lineno}"
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
            "setRange",
            "setMaximum",
            "setMaxLength",
        ):
            for argument in node.args:
                if isinstance(argument, ast.Constant):
                    assert argument.value not in LIMIT_VALUES, (
                        f"{module} line {node.lineno} writes the limit {argument.value}"
                    )
