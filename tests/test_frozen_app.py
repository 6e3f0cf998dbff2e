"""Smoke test of the frozen app in dist/ (`make dist` builds it): what it holds, the
command line from it, the window offscreen, and the tarball installed with its script
for a fresh user.

It runs when the build is there and newer than the sources, and is skipped with the
reason otherwise. CI builds it and runs this file with SANCTUARY_FROZEN_REQUIRED=1
(`make ci-frozen`), where a missing or stale build fails instead.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import sanctuary_desktop
from tests.packaged_app import Command, check_command_line, offscreen_env

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "dist" / "sanctuary-desktop"
PROGRAM = FROZEN / "sanctuary-desktop"
INTERNAL = FROZEN / "_internal"
APP_ID = sanctuary_desktop.APP_ID
START_TIMEOUT = 120  # seconds; a cold start on a busy 2-core machine takes ~20


def _why_not_ready() -> str | None:
    if not PROGRAM.is_file():
        return "no frozen build in dist/ (`make dist` builds it)"
    built = PROGRAM.stat().st_mtime
    for folder in (ROOT / "sanctuary_desktop", ROOT / "resources", ROOT / "packaging"):
        for path in folder.rglob("*"):
            if "__pycache__" not in path.parts and path.is_file() and path.stat().st_mtime > built:
                return f"the frozen build in dist/ is older than {path.relative_to(ROOT)}"
    return None


_REASON = _why_not_ready()
if _REASON is not None:
    if os.environ.get("SANCTUARY_FROZEN_REQUIRED") == "1":
        pytest.fail(_REASON, pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)


def tarball() -> Path:
    (made,) = (ROOT / "dist").glob(
        f"sanctuary-desktop-{sanctuary_desktop.__version__}-linux-*.tar.gz"
    )
    return made


def test_the_build_holds_the_resources_migrations_zones_and_translations() -> None:
    package = INTERNAL / "sanctuary_desktop"
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts:
            relative = path.relative_to(ROOT / "resources")
            assert (package / "resources" / relative).is_file(), relative
    versions = ROOT / "sanctuary_desktop" / "store" / "migrations" / "versions"
    for script in versions.glob("0*.py"):  # Alembic loads them from their files
        assert (package / "store" / "migrations" / "versions" / script.name).is_file()
    assert (package / "store" / "migrations" / "env.py").is_file()
    assert (INTERNAL / "tzdata" / "zoneinfo" / "Pacific" / "Auckland").is_file()
    translations = INTERNAL / "PySide6" / "Qt" / "translations"
    assert (translations / "qtbase_de.qm").is_file()
    assert (INTERNAL / "LICENSE").is_file()


def test_the_build_holds_only_the_qt_modules_the_app_uses() -> None:
    libraries = {p.name.split(".so")[0] for p in INTERNAL.rglob("libQt6*.so*")}
    for used in ("Core", "Gui", "Widgets", "Network", "Pdf", "PdfWidgets", "Multimedia", "Svg"):
        assert f"libQt6{used}" in libraries, used
    for unused in ("WebEngineCore", "Quick3D", "Charts", "Sql", "Test", "Designer", "Bluetooth"):
        assert f"libQt6{unused}" not in libraries, unused
    bindings = {p.name.split(".")[0] for p in (INTERNAL / "PySide6").glob("Qt*.abi3.so")}
    assert bindings <= {
        "QtCore",
        "QtGui",
        "QtWidgets",
        "QtNetwork",
        "QtPdf",
        "QtPdfWidgets",
        "QtPrintSupport",
        "QtMultimedia",
        "QtSvg",
        "QtDBus",
        "QtConcurrent",  # small; QtMultimedia's hook brings it
    }, bindings


def test_the_command_line_works_from_the_frozen_app(tmp_path: Path) -> None:
    app = Command([str(PROGRAM)], cwd=tmp_path)
    check_command_line(app, tmp_path / "fresh data", tmp_path, full=True)


def wait_for_log(log: Path, text: str, process: subprocess.Popen[str]) -> None:
    """Until the app's log says `text` (a real process: it is polled, not awaited)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if log.is_file() and text in log.read_text(encoding="utf-8"):
            return
        if process.poll() is not None:
            pytest.fail(f"the app ended early ({process.returncode}): {process.stderr}")
        time.sleep(0.2)
    pytest.fail(f"the app did not log {text!r} within {START_TIMEOUT} s")


@pytest.fixture
def window(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """The frozen app's window, offscreen, on the sample data in a fresh folder."""
    data = tmp_path / "data"
    done = Command([str(PROGRAM)], cwd=tmp_path).run("--data-dir", str(data), "demo")
    assert done.returncode == 0, done.stderr
    process = subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(data)],
        cwd=tmp_path,
        env=offscreen_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_log(data / "logs" / "sanctuary.log", "starting", process)
        yield process, data
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_the_window_starts_and_answers_a_second_launch(
    window: tuple[subprocess.Popen[str], Path], tmp_path: Path
) -> None:
    """The frozen app finds its Qt plugins (offscreen platform, SVG icon), opens the
    database (migrated by the frozen Alembic scripts) and answers a second launch on the
    same folder, which brings it forward and ends with 0."""
    process, data = window
    second = Command([str(PROGRAM)], cwd=tmp_path).run("--data-dir", str(data))
    assert second.returncode == 0, second.stderr
    assert "already open" in second.stdout
    assert process.poll() is None  # the first one is still running
    log = (data / "logs" / "sanctuary.log").read_text(encoding="utf-8")
    assert "ERROR" not in log and "Traceback" not in log, log


def test_the_window_quits_cleanly_when_asked_to_end(
    window: tuple[subprocess.Popen[str], Path],
) -> None:
    process, data = window
    # The start-up backup is taken from the running event loop: the app is fully up.
    wait_for_log(data / "logs" / "sanctuary.log", "backup written", process)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    log = (data / "logs" / "sanctuary.log").read_text(encoding="utf-8")
    assert log.splitlines()[-1].endswith("closed"), log[-2000:]
    assert not (data / "sanctuary.lock").exists()  # released: the next start is not "open"


def test_the_tarball_installs_for_a_fresh_user_and_starts_from_the_menu_entry(
    tmp_path: Path,
) -> None:
    with tarfile.open(tarball()) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (top,) = (tmp_path / "unpacked").iterdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    result = subprocess.run(
        [str(top / "install.sh")], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    entry = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    exec_line = next(
        line.split("=", 1)[1] for line in entry.read_text().splitlines() if line.startswith("Exec=")
    )
    command = shlex.split(exec_line)  # the desktop entry's command, as a launcher runs it
    data = tmp_path / "data"
    installed = Command(command, cwd=home)
    ran = installed.run("--data-dir", str(data), "demo")
    assert ran.returncode == 0, ran.stderr
    ran = Command([str(home / ".local" / "bin" / "sanctuary-desktop")], cwd=home).run(
        "--data-dir", str(data), "list", "cohorts"
    )
    assert ran.returncode == 0 and "Tending the Commons" in ran.stdout, ran.stderr
    process = subprocess.Popen(
        [*command, "--data-dir", str(data)],
        cwd=home,
        env=offscreen_env(HOME=str(home)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_log(data / "logs" / "sanctuary.log", "starting", process)
    finally:
        process.kill()
        process.communicate(timeout=30)
    for size in (16, 48, 512):
        icon = home / f".local/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        assert icon.is_file()
    assert (home / f".local/share/metainfo/{APP_ID}.metainfo.xml").is_file()
