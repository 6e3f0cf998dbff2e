"""What a video-call link may be: empty, or one http(s) web address within the limit;
and the link a call is joined by."""

from __future__ import annotations

import pytest

from sanctuary_desktop.domain.cohort import (
    CohortDraft,
    effective_video_link,
    video_link_problem,
)
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.limits import MAX_LINK


@pytest.mark.parametrize(
    "link",
    [
        "",
        "https://zoom.us/j/81234567890?pwd=QWxhZ2FyY2hpYmFsZA",
        "HTTPS://Meet.Google.com/abc-defg-hij",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting%40thread.v2/0?context=%7b%7d",
        "https://meet.jit.si/Kōwhai-circle",  # a room name in any script
        "http://[2001:db8::1]:8443/room",
        "https://x.org/" + "a" * (MAX_LINK - len("https://x.org/")),
    ],
)
def test_links_taken(link: str) -> None:
    assert video_link_problem(link) is None


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("zoom.us/j/1", "starting with https://"),
        ("mailto:someone@example.org", "starting with https://"),
        ("file:///etc/passwd", "starting with https://"),
        ("http://[::1", "starting with https://"),
        ("https://", "must name a site"),
        ("https:///path", "must name a site"),
        ("https://zoom.us/j/1\tx", "without spaces"),
        ("https://zoom.us/j/1\u2028", "line breaks"),
        ("https://zoom.us/j/\x00", "control characters"),
        ("https://x.org/" + "a" * MAX_LINK, f"at most {MAX_LINK:,} characters"),
    ],
)
def test_links_refused_in_words(link: str, words: str) -> None:
    problem = video_link_problem(link)
    assert problem is not None and words in problem


def test_the_draft_names_the_field_and_trims() -> None:
    from datetime import date

    draft = CohortDraft("Circle", "UTC", date(2027, 1, 1), date(2027, 2, 1), video_link=" x ")
    with pytest.raises(ValidationError) as refused:
        draft.validated()
    assert refused.value.for_field("Video link")
    good = CohortDraft(
        "Circle", "UTC", date(2027, 1, 1), date(2027, 2, 1), video_link=" https://a.org/r\n"
    )
    assert good.validated().video_link == "https://a.org/r"


def test_a_calls_own_link_wins_over_its_cohorts() -> None:
    assert effective_video_link("https://a.org", "https://b.org") == "https://a.org"
    assert effective_video_link(" ", "https://b.org") == "https://b.org"
    assert effective_video_link("", "") == ""
