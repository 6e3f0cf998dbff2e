"""What the wheel test and the frozen-app test both do with an installed app: the
command line as a user runs it (exit codes and output), a PDF export checked with pypdf,
and the window started offscreen."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE = "Tending the Commons"


def offscreen_env(**extra: str) -> dict[str, str]:
    """The user's environment on the offscreen platform, without the checkout's Python
    settings (so nothing can come from the sources instead of the install)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


@dataclass(frozen=True)
class Command:
    """An installed program: argv to start it, the folder to run it in."""

    argv: Sequence[str]
    cwd: Path

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.argv, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.cwd,
            env=offscreen_env(),
            check=False,
        )


def check_command_line(app: Command, data: Path, out: Path, *, full: bool = True) -> None:
    """version, demo, list, an export of session notes (PDF checked), and the exit codes
    and messages of a mistake and of bad input; `full` adds a handout, `check` and more
    mistakes (each command is a process start: seconds on a busy machine)."""
    import pypdf

    import sanctuary_desktop

    result = app.run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"sanctuary-desktop {sanctuary_desktop.__version__}"

    if full:
        result = app.run("--data-dir", str(data), "list", "cohorts")
        assert result.returncode == 0, result.stderr
        assert "No cohorts yet" in result.stdout

    result = app.run("--data-dir", str(data), "demo")
    assert result.returncode == 0, result.stderr
    assert "sample cohort" in result.stdout and result.stderr == ""

    result = app.run("--data-dir", str(data), "list", "cohorts")
    assert result.returncode == 0, result.stderr
    assert SAMPLE in result.stdout
    cohort = result.stdout.split()[0]
    result = app.run("--data-dir", str(data), "list", "sessions", "--cohort", cohort)
    assert result.returncode == 0, result.stderr
    first_call = result.stdout.split()[0]

    notes = out / "notes.pdf"
    result = app.run(
        "--data-dir", str(data), "export", "notes", "--session", first_call, "-o", str(notes)
    )
    assert result.returncode == 0, result.stderr
    assert f"Wrote {notes}" in result.stdout
    reader = pypdf.PdfReader(notes)
    text = "".join(page.extract_text() for page in reader.pages)
    assert SAMPLE in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in name for name in fonts), fonts  # the bundled fonts

    result = app.run("--data-dir", str(data), "no-such-command")
    assert result.returncode == 2 and "invalid choice" in result.stderr
    if not full:
        return

    handout = out / "calendar.pdf"
    result = app.run(
        "--data-dir", str(data), "export", "handout", "calendar", "--cohort", cohort,
        "-o", str(handout), "--zone", "Pacific/Auckland",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert SAMPLE in pypdf.PdfReader(handout).pages[0].extract_text()

    result = app.run("--data-dir", str(data), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found." in result.stdout

    # Bad input named by its field (exit code 2), and no traceback.
    result = app.run(
        "--data-dir", str(data), "export", "notes", "--session", first_call,
        "-o", str(out / "x.pdf"), "--zone", "Mars/Olympus",
    )  # fmt: skip
    assert result.returncode == 2 and "Zone" in result.stderr
    assert "Traceback" not in result.stderr
    result = app.run("--data-dir", str(data), "list", "sessions", "--cohort", "999")
    assert result.returncode == 2 and "Cohort" in result.stderr
    assert "Traceback" not in result.stderr
