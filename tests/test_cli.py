"""The headless commands share the GUI's services."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from sanctuary_desktop.__main__ import main


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_list_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    code, out, _ = run(capsys, data, "list", "cohorts")
    assert code == 0 and "No cohorts yet" in out
    code, out, _ = run(capsys, data, "demo")
    assert code == 0 and "sample cohort" in out
    code, out, _ = run(capsys, data, "demo")
    assert code == 0 and "already here" in out and "--again" in out
    code, out, _ = run(capsys, data, "list", "cohorts")
    assert "Tending the Commons" in out and "9 people, 7 calls" in out
    assert out.count("Tending the Commons") == 1, "a second demo adds no copy unasked"
    cohort_id = out.split()[0]
    code, out, _ = run(capsys, data, "list", "sessions", "--cohort", cohort_id)
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 7
    assert all("09:00" in line for line in lines)
    target = tmp_path / "calls.ics"
    code, out, _ = run(capsys, data, "export", "ics", "--cohort", cohort_id, "-o", str(target))
    assert code == 0 and "7 call" in out
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 7
    assert all(e.decoded("DTSTART").hour == 9 for e in events)
    one_id = lines[2].split()[0]
    code, _, _ = run(
        capsys,
        data,
        "export",
        "ics",
        "--cohort",
        cohort_id,
        "--session",
        one_id,
        "-o",
        str(target),
    )
    single = icalendar.Calendar.from_ical(target.read_bytes())
    assert code == 0 and len(list(single.walk("VEVENT"))) == 1


def test_unknown_cohort_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, tmp_path / "d", "list", "sessions", "--cohort", "999")
    assert code == 2 and "Cohort: no cohort with id 999" in err


def test_pdf_exports_headless(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import stat

    import pypdf

    data = tmp_path / "data"
    run(capsys, data, "demo")
    _, out, _ = run(capsys, data, "list", "cohorts")
    cohort_id = out.split()[0]
    _, out, _ = run(capsys, data, "list", "sessions", "--cohort", cohort_id)
    first_call = out.split()[0]
    target = tmp_path / "notes.pdf"
    code, out, err = run(
        capsys,
        data,
        "export",
        "notes",
        "--session",
        first_call,
        "-o",
        str(target),
        "--paper",
        "letter",
        "--zone",
        "Pacific/Auckland",
    )
    assert code == 0, err
    reader = pypdf.PdfReader(target)
    assert "Tending the Commons" in reader.pages[0].extract_text()
    assert round(float(reader.pages[0].mediabox.width)) == 612  # US Letter
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for which in ("protocol", "calendar", "roster", "schedule", "harvest"):
        target = tmp_path / f"{which}.pdf"
        code, _, err = run(
            capsys, data, "export", "handout", which, "--cohort", cohort_id, "-o", str(target)
        )
        assert code == 0, (which, err)
        text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
        assert "Tending the Commons" in text, which
    # --zone is honoured by the handouts that print times (it was silently ignored).
    for which in ("protocol", "calendar", "schedule"):
        texts = []
        for extra in ((), ("--zone", "Pacific/Auckland")):
            target = tmp_path / f"{which}-zoned.pdf"
            code, _, err = run(
                capsys,
                data,
                "export",
                "handout",
                which,
                "--cohort",
                cohort_id,
                "-o",
                str(target),
                *extra,
            )
            assert code == 0, (which, err)
            texts.append("".join(p.extract_text() for p in pypdf.PdfReader(target).pages))
        assert texts[0] != texts[1], f"{which} ignores --zone"
    code, _, err = run(
        capsys, data, "export", "handout", "roster", "--cohort", "999", "-o", str(target)
    )
    assert code == 2 and "Cohort" in err
    code, _, err = run(
        capsys,
        data,
        "export",
        "notes",
        "--session",
        first_call,
        "-o",
        str(target),
        "--zone",
        "Mars/Olympus",
    )
    assert code == 2 and "Zone" in err


def test_pdf_preferences_come_from_the_apps_settings(tmp_path: Path) -> None:
    from sanctuary_desktop.bootstrap import pdf_preferences

    settings = tmp_path / "settings.ini"
    assert pdf_preferences(settings) == ("a4", "UTC")  # no file yet
    settings.write_text("[v1]\nfacilitator_zone=Europe/London\npaper=letter\n", encoding="utf-8")
    assert pdf_preferences(settings) == ("letter", "Europe/London")
    settings.write_text("[v1]\nfacilitator_zone=Nowhere/Else\npaper=A3\n", encoding="utf-8")
    assert pdf_preferences(settings) == ("a4", "UTC")
    settings.write_bytes(b"\xff\xfe garbage [[[")
    assert pdf_preferences(settings) == ("a4", "UTC")


def test_backup_restore_check_and_archives_headless(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    data = tmp_path / "data"
    run(capsys, data, "demo")
    copy = tmp_path / "copy.db"
    code, out, err = run(capsys, data, "backup", "-o", str(copy))
    assert code == 0, err
    assert "1 cohort" in out and stat.S_IMODE(copy.stat().st_mode) == 0o600
    code, out, _ = run(capsys, data, "check")
    assert code == 0 and "No problems found" in out

    archive = tmp_path / "all.sanctuary"
    code, out, err = run(capsys, data, "export", "archive", "-o", str(archive))
    assert code == 0, err
    elsewhere = tmp_path / "elsewhere"
    code, out, err = run(capsys, elsewhere, "import", str(archive))
    assert code == 0 and "Tending the Commons" in out, err
    code, out, _ = run(capsys, elsewhere, "import", str(archive))
    assert code == 0 and "kept the ones already here" in out
    code, out, _ = run(capsys, elsewhere, "list", "cohorts")
    assert out.count("Tending the Commons") == 1

    run(capsys, data, "demo", "--again")  # a second cohort, then back to the copy with one
    code, out, err = run(capsys, data, "restore", str(copy))
    assert code == 0, err
    assert "kept as" in out
    code, out, _ = run(capsys, data, "list", "cohorts")
    assert out.count("Tending the Commons") == 1

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00" * 5000)
    code, _, err = run(capsys, data, "restore", str(garbage))
    assert code == 2 and "not a Sanctuary Desktop backup" in err
    code, _, err = run(capsys, data, "import", str(garbage))
    assert code == 2 and "Archive" in err
