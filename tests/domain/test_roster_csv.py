"""Reading rosters as Excel, LibreOffice, Numbers and Google Sheets write them."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctuary_desktop.domain import limits, roster_csv
from sanctuary_desktop.domain.cohort import IntakeStatus
from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.roster_csv import MAX_BYTES, RosterPreview, read_roster_csv

HOME = "America/Vancouver"
HEADER = ["Name", "Email", "Organisation", "Time zone", "Years in practice"]
PEOPLE = [
    ["Aroha Ngātai", "aroha@example.nz", "Te Rōpū Taiao", "Pacific/Auckland", "12"],
    ["Chloé Tremblay", "chloe@example.ca", "Québec Climat", "America/Toronto", "7"],
    ["山田 花子", "hanako@example.jp", "森の会", "Asia/Tokyo", ""],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def read(data: bytes, existing_emails: list[str] | None = None) -> RosterPreview:
    return read_roster_csv(data, default_zone=HOME, existing_emails=existing_emails or [])


def file_error(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        read(data)
    message = caught.value.for_field("CSV file")
    assert message is not None
    return message


def only_error(preview: RosterPreview, line: int) -> tuple[str, str]:
    (row,) = [row for row in preview.rows if row.line == line]
    assert row.draft is None
    assert len(row.errors) == 1, row.errors
    return row.errors[0].field, row.errors[0].message


# --- dialects ---------------------------------------------------------------------


def assert_people_read(preview: RosterPreview) -> None:
    assert not preview.bad
    assert [d.name for d in preview.good] == ["Aroha Ngātai", "Chloé Tremblay", "山田 花子"]
    assert [d.organisation for d in preview.good] == ["Te Rōpū Taiao", "Québec Climat", "森の会"]
    assert [d.time_zone for d in preview.good] == [
        "Pacific/Auckland",
        "America/Toronto",
        "Asia/Tokyo",
    ]
    assert [d.years_in_practice for d in preview.good] == [12, 7, None]
    assert [row.line for row in preview.rows] == [2, 3, 4]


def test_comma_utf8() -> None:
    preview = read(csv_text([HEADER, *PEOPLE]).encode("utf-8"))
    assert (preview.delimiter, preview.encoding) == (",", "utf-8")
    assert_people_read(preview)


def test_semicolon_utf8_with_bom_as_european_excel_writes_it() -> None:
    data = codecs.BOM_UTF8 + csv_text([HEADER, *PEOPLE], ";").encode("utf-8")
    preview = read(data)
    assert (preview.delimiter, preview.encoding) == (";", "utf-8-sig")
    assert preview.columns["name"] == "Name"  # no byte-order mark stuck to the header
    assert_people_read(preview)


def test_excel_separator_hint_line() -> None:
    data = ("sep=;\r\n" + csv_text([HEADER, *PEOPLE], ";")).encode("utf-8")
    preview = read(data)
    assert preview.delimiter == ";"
    assert_people_read(preview)


def test_tab_separated() -> None:
    preview = read(csv_text([HEADER, *PEOPLE], "\t").encode("utf-8"))
    assert preview.delimiter == "\t"
    assert_people_read(preview)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_from_excel(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + csv_text([HEADER, *PEOPLE], "\t").encode(codec)
    preview = read(data)
    assert (preview.delimiter, preview.encoding) == ("\t", "utf-16")
    assert_people_read(preview)


def test_cp1252_from_older_excel() -> None:
    rows = [HEADER, ["Chloé Tremblay", "chloe@example.ca", "Société Énergie", "Paris", "3"]]
    preview = read(csv_text(rows, ";").encode("cp1252"))
    assert preview.encoding == "cp1252"
    (draft,) = preview.good
    assert (draft.name, draft.organisation) == ("Chloé Tremblay", "Société Énergie")
    assert draft.time_zone == "Europe/Paris"


def test_bare_carriage_returns_and_missing_trailing_newline() -> None:
    data = b"Name,Email\rAna,ana@example.org\rBo,bo@example.org"
    assert [d.name for d in read(data).good] == ["Ana", "Bo"]


def test_quoted_fields_with_delimiters_quotes_and_newlines() -> None:
    rows = [
        HEADER,
        ["Smith, Jane", "jane@example.org", 'The "Green" Co; Ltd', "", ""],
        ["Aroha Ngātai", "aroha@example.nz", "Line one\nLine two", "", ""],
    ]
    for delimiter in (",", ";", "\t"):
        preview = read(csv_text(rows, delimiter).encode("utf-8"))
        assert preview.delimiter == delimiter
        assert [d.name for d in preview.good] == ["Smith, Jane", "Aroha Ngātai"]
        assert [d.organisation for d in preview.good] == [
            'The "Green" Co; Ltd',
            "Line one Line two",  # one line, as an archive holds it
        ]
        # A spreadsheet shows the two-line cell as one row.
        assert [row.line for row in preview.rows] == [2, 3]


def test_delimiters_inside_quoted_headers_do_not_count() -> None:
    preview = read(b'Name;Email;"Org, name, ""legal"""\nAna;ana@example.org;X\n')
    assert preview.delimiter == ";"
    assert preview.ignored_columns == ('Org, name, "legal"',)


def test_names_in_any_script_survive_untouched() -> None:
    names = ["Aroha Ngātai", "Québec Lévesque", "山田 花子", "Ngā\u0304tai", "Zoë Ó Briain", "محمد"]
    rows = [["Name"], *[[name] for name in names]]
    preview = read(csv_text(rows).encode("utf-8"))
    assert [d.name for d in preview.good] == names


def test_blank_lines_are_skipped_but_counted_like_spreadsheet_rows() -> None:
    data = b"Name,Email\r\n\r\nAna,ana@example.org\r\n,\r\n  \r\nBo,not-an-email\r\n\r\n"
    preview = read(data)
    assert [row.line for row in preview.rows] == [3, 6]
    assert only_error(preview, 6)[0] == "Email"


# --- headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "email", "organisation", "zone", "years"),
    [
        ("Full name", "E-mail", "Organization", "Timezone", "Years"),
        ("participant", "Email address", "Org", "TZ", "Years of practice"),
        ("  NAME ", "e_mail", "Company", "zone", "Experience (years)"),
        ("full_name", "EMAIL ADDRESS", "organisation", "time-zone", "years in practice"),
    ],
)
def test_header_synonyms(name: str, email: str, organisation: str, zone: str, years: str) -> None:
    header = [name, email, organisation, zone, years, "Dietary needs"]
    preview = read(
        csv_text([header, ["Ana", "ana@example.org", "X", "Europe/Lisbon", "4"]]).encode()
    )
    assert dict(preview.columns) == {
        "name": name.strip(),
        "email": email,
        "organisation": organisation,
        "time_zone": zone,
        "years_in_practice": years,
    }
    assert preview.ignored_columns == ("Dietary needs",)
    (draft,) = preview.good
    assert (draft.email, draft.organisation, draft.time_zone) == (
        "ana@example.org",
        "X",
        "Europe/Lisbon",
    )
    assert draft.years_in_practice == 4


def test_columns_in_any_order_and_missing_optional_columns() -> None:
    preview = read(b"Email,Name\nana@example.org,Ana\n")
    (draft,) = preview.good
    assert (draft.name, draft.email, draft.time_zone) == ("Ana", "ana@example.org", HOME)
    assert draft.organisation == ""


def test_short_rows_and_extra_cells() -> None:
    preview = read(b"Name,Email,Organisation\nAna\nBo,bo@example.org,X,extra,cells\n")
    assert [(d.name, d.email, d.organisation) for d in preview.good] == [
        ("Ana", "", ""),
        ("Bo", "bo@example.org", "X"),
    ]


def test_status_column() -> None:
    rows = [
        ["Name", "Status"],
        ["Ana", "Accepted"],
        ["Bo", ""],
        ["Cy", " WITHDRAWN "],
        ["Di", "maybe"],
    ]
    preview = read(csv_text(rows).encode())
    assert [d.status for d in preview.good] == [
        IntakeStatus.ACCEPTED,
        IntakeStatus.APPLIED,
        IntakeStatus.WITHDRAWN,
    ]
    field, message = only_error(preview, 5)
    assert field == "Status"
    assert "'maybe'" in message and "accepted" in message


# --- time zones and years ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "zone"),
    [
        ("Auckland", "Pacific/Auckland"),
        ("auckland", "Pacific/Auckland"),
        ("Vancouver", "America/Vancouver"),
        ("Tokyo", "Asia/Tokyo"),
        ("India", "Asia/Kolkata"),
        ("Mexico City", "America/Mexico_City"),
        ("Addis Ababa", "Africa/Addis_Ababa"),
        ("europe/berlin", "Europe/Berlin"),
        ("Asia/Calcutta", "Asia/Calcutta"),
        ("UTC", "UTC"),
        ("", HOME),
        ("   ", HOME),
    ],
)
def test_zone_by_iana_name_city_or_country(cell: str, zone: str) -> None:
    (draft,) = read(csv_text([["Name", "Time zone"], ["Ana", cell]]).encode()).good
    assert draft.time_zone == zone


@pytest.mark.parametrize(
    ("cell", "years"),
    [("5", 5), ("5 years", 5), ("5.0", 5), ("5,0", 5), ("1 year", 1), ("0", 0), ("", None)],
)
def test_years_written_loosely(cell: str, years: int | None) -> None:
    (draft,) = read(csv_text([["Name", "Years"], ["Ana", cell]]).encode()).good
    assert draft.years_in_practice == years


# --- row errors -------------------------------------------------------------------


def test_each_row_error_names_its_field_and_line_and_reading_goes_on() -> None:
    rows = [
        HEADER,
        ["Ana", "ana@example.org", "", "", ""],
        ["Bo", "bo at example", "", "", ""],
        ["Cy", "", "", "Atlantis", ""],
        ["Di", "", "", "", "lots"],
        ["", "nameless@example.org", "", "", ""],
        ["Ed", "ANA@example.org", "", "", ""],
        ["Flo", "", "", "", "95"],
        ["Gus", "", "", "New Zealand", ""],
        ["Hana", "hana@example.org", "", "", "5.5"],
    ]
    preview = read(csv_text(rows).encode())
    assert [row.line for row in preview.rows] == list(range(2, 11))
    assert [d.name for d in preview.good] == ["Ana"]
    assert len(preview.bad) == 8

    assert only_error(preview, 3) == ("Email", "'bo at example' is not an email address")
    assert only_error(preview, 4) == ("Time zone", "'Atlantis' is not a known time zone or city")
    assert only_error(preview, 5) == ("Years in practice", "'lots' is not a whole number of years")
    assert only_error(preview, 6) == ("Name", "must not be empty")
    assert only_error(preview, 7) == ("Email", "'ana@example.org' is already used on line 2")
    assert only_error(preview, 8) == ("Years in practice", "must be between 0 and 80")
    field, message = only_error(preview, 9)
    assert field == "Time zone"
    assert "Pacific/Auckland" in message and "Pacific/Chatham" in message
    assert only_error(preview, 10)[0] == "Years in practice"


def test_several_errors_on_one_row_are_all_reported_in_column_order() -> None:
    preview = read(csv_text([HEADER, ["", "bad", "", "Nowhere", "many"]]).encode())
    (row,) = preview.bad
    assert [e.field for e in row.errors] == ["Name", "Email", "Time zone", "Years in practice"]
    assert row.values["time_zone"] == "Nowhere"


def test_duplicate_against_existing_emails_is_case_insensitive() -> None:
    rows = [["Name", "Email"], ["Ana", " Ana@Example.org "], ["Bo", "bo@example.org"]]
    preview = read(csv_text(rows).encode(), existing_emails=["ANA@example.ORG"])
    assert only_error(preview, 2) == ("Email", "'ana@example.org' is already in this cohort")
    assert [d.email for d in preview.good] == ["bo@example.org"]


def test_empty_emails_are_not_duplicates() -> None:
    preview = read(b"Name,Email\nAna,\nBo,\n")
    assert len(preview.good) == 2


# --- whole-file errors ------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, b"\r\n\r\n  \n", codecs.BOM_UTF16_LE])
def test_empty_file(data: bytes) -> None:
    assert file_error(data) == "is empty"


def test_title_rows_above_the_header_are_passed_over() -> None:
    data = b"Climate cohort 2025;;\r\n;;\r\nName;Email;Years\r\nAna;ana@example.org;3\r\n"
    preview = read(data)
    assert preview.delimiter == ";"
    assert [(row.line, row.values["name"]) for row in preview.rows] == [(4, "Ana")]

    preview = read(b"Roster\r\nName\tEmail\r\nAna\tana@example.org\r\n")
    assert preview.delimiter == "\t"
    assert [(row.line, row.values["email"]) for row in preview.rows] == [(3, "ana@example.org")]


def test_data_rows_are_never_mistaken_for_titles() -> None:
    message = file_error(b"Ana,ana@example.org\nName,Email\nBo,bo@example.org\n")
    assert message == "no 'Name' column found; columns are: 'Ana', 'ana@example.org'"


def test_no_name_column_lists_the_columns_found() -> None:
    message = file_error(b"Email;Country\nana@example.org;Peru\n")
    assert message == "no 'Name' column found; columns are: 'Email', 'Country'"


def test_undecodable_file() -> None:
    assert "could not be read" in file_error(b"Name\n\x81\x8d\x8f\x90\x9d\n")
    assert "could not be read" in file_error("Name\nAna\n".encode("utf-16-le"))  # no BOM


def test_too_many_rows() -> None:
    rows = [["Name"], *[[f"Person {i}"] for i in range(2_001)]]
    assert "more than 2,000 rows" in file_error(csv_text(rows).encode())
    rows.pop()
    assert len(read(csv_text(rows).encode()).good) == 2_000


def test_file_larger_than_5_mb() -> None:
    data = b"Name\n" + b"x" * MAX_BYTES
    assert "larger than 5 MB" in file_error(data)


def test_header_only_gives_no_rows() -> None:
    preview = read(b"Name,Email\r\n")
    assert preview.rows == () and preview.good == () and preview.bad == ()


def test_unknown_default_zone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="default_zone"):
        read_roster_csv(b"Name\nAna\n", default_zone="Mars/Olympus")


# --- properties -------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda s: ("Name,Email\n" + s).encode()))
def test_any_bytes_give_a_preview_or_a_validation_error(data: bytes) -> None:
    try:
        preview = read(data, existing_emails=["ana@example.org"])
    except ValidationError as exc:
        assert {e.field for e in exc.errors} == {"CSV file"}
        return
    for row in preview.rows:
        assert (row.draft is None) != (not row.errors)
    assert len(preview.good) + len(preview.bad) == len(preview.rows)


names = st.text(
    st.characters(categories=["L", "M", "N", "Zs", "P"]),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip() != "")


@given(
    st.lists(st.tuples(names, names), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_what_a_spreadsheet_writes_reads_back(
    people: list[tuple[str, str]], delimiter: str, encoding: str
) -> None:
    rows = [["Participant", "Organisation"], *[list(person) for person in people]]
    preview = read(csv_text(rows, delimiter).encode(encoding))
    assert preview.delimiter == delimiter
    assert [(d.name, d.organisation) for d in preview.good] == people


def test_a_huge_number_of_years_names_the_limit_from_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bound comes from limits.MAX_YEARS_IN_PRACTICE, not a copy of it."""
    monkeypatch.setattr(limits, "MAX_YEARS_IN_PRACTICE", 60)
    _years, message = roster_csv._parse_years("12345")
    assert message == "must be between 0 and 60"


def test_windows_zone_names_and_other_cities_are_read() -> None:
    preview = read(
        "Name,Time zone\n"
        "Aroha,New Zealand Standard Time\n"
        "Amélie,Montréal\n"
        "Zoë,Pacific Standard Time\n"
        "Tewodros,E. Africa Standard Time\n".encode()
    )
    assert [d.time_zone for d in preview.good] == [
        "Pacific/Auckland",
        "America/Toronto",
        "America/Los_Angeles",  # the zone Windows means by it
        "Africa/Nairobi",
    ]
    assert not preview.bad
