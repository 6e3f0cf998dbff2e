"""Desktop integration: the .desktop file, the AppStream metainfo, the icons under the
name the .desktop file uses, and the install script that puts them in a user's folders.

The validators (desktop-file-validate from desktop-file-utils, appstreamcli from
appstream) run when they are installed; in CI (CI=true) a missing one is a failure.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import sanctuary_desktop

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = sanctuary_desktop.APP_ID
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed; CI installs it (see .ci/run)")
        pytest.skip(f"{name} is not installed (apt-get install desktop-file-utils appstream)")
    return path


def desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_desktop_file_validates() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # not even a hint


def test_the_metainfo_validates_pedantic() -> None:
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--pedantic", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings and errors fail; what is left is the app id's capitals (the id is the
    # one Qt is given as the desktop file name, kept) and, on AppStream before 1.0, the
    # <developer> tag it does not know yet (<developer_name> beside it says the same).
    for line in result.stdout.splitlines():
        if re.match(r"^[A-Z]: ", line):
            assert line.split(":")[-1].strip() in (
                "cid-contains-uppercase-letter",
                "unknown-tag developer",
            ), result.stdout


def test_the_desktop_file_and_the_metainfo_name_the_app_the_same_way() -> None:
    entry = desktop_entry()
    assert DESKTOP.name == f"{APP_ID}.desktop"  # Qt's setDesktopFileName(APP_ID)
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "sanctuary-desktop"
    scripts = pyproject()["project"]["scripts"]  # type: ignore[index]
    assert "sanctuary-desktop" in scripts  # the command the entry runs, from a wheel too
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("name") == entry["Name"]
    assert root.findtext("provides/binary") == "sanctuary-desktop"


def test_the_metainfo_has_releases_screenshots_developer_and_licence() -> None:
    root = ET.parse(METAINFO).getroot()
    releases = [r.get("version") for r in root.iterfind("releases/release")]
    assert releases and releases[0] == sanctuary_desktop.__version__  # newest first
    assert pyproject()["project"]["version"] == sanctuary_desktop.__version__  # type: ignore[index]
    assert root.findtext("developer/name") == "Sanctuary Desktop contributors"
    assert root.findtext("project_license") == pyproject()["project"]["license"]  # type: ignore[index]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "Sanctuary Desktop contributors" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    images = [i.text or "" for i in root.iterfind("screenshots/screenshot/image")]
    assert len(images) >= 3
    for url in images:
        assert url.startswith("https://"), url
        shot = ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[-1]
        assert shot.is_file(), f"{url} names no file in docs/screenshots"


def make_icons(out: Path) -> None:
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), str(out)],
        check=True,
        capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )


def test_icons_in_every_size_under_the_name_the_desktop_file_uses(tmp_path: Path) -> None:
    from PIL import Image

    make_icons(tmp_path)
    name = desktop_entry()["Icon"]
    for size in ICON_SIZES:
        png = tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{name}.png"
        with Image.open(png) as image:
            assert image.size == (size, size)
            # Drawn, not blank: the middle of the icon is the app's green.
            assert image.convert("RGBA").getpixel((size // 2, size // 4))[3] == 255
    assert (tmp_path / "hicolor" / "scalable" / "apps" / f"{name}.svg").is_file()
    with Image.open(tmp_path / f"{name}.ico") as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    with Image.open(tmp_path / f"{name}.icns") as icns:
        assert icns.format == "ICNS"


FAKE_APP = """#!/bin/sh
echo "fake app $*"
"""


def test_install_script_puts_everything_in_a_fresh_users_folders(tmp_path: Path) -> None:
    """install.sh on a home folder with nothing in it; then uninstall.sh takes it away
    and leaves the user's data folder alone. The real frozen app is installed the same way
    by tests/test_frozen_app.py."""
    sys.path.insert(0, str(PACKAGING))
    try:
        import make_tarball
    finally:
        sys.path.remove(str(PACKAGING))
    app = tmp_path / "frozen"
    app.mkdir()
    (app / "sanctuary-desktop").write_text(FAKE_APP)
    (app / "sanctuary-desktop").chmod(0o755)
    icons = tmp_path / "icons"
    make_icons(icons)
    staged = tmp_path / "sanctuary-desktop-x"
    staged.mkdir()
    make_tarball.stage(app, icons, staged)

    home = tmp_path / "home user"  # a space in the path, as on some machines
    home.mkdir()
    data = home / ".local" / "share" / "SanctuaryDesktop"
    data.mkdir(parents=True)
    (data / "sanctuary.db").write_text("the user's cohorts")
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    result = subprocess.run(
        ["sh", str(staged / "install.sh")], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "is not on your PATH" in result.stdout

    share = home / ".local" / "share"
    installed = share / "applications" / f"{APP_ID}.desktop"
    entry = desktop_entry(installed)
    app_bin = home / ".local" / "lib" / "sanctuary-desktop" / "sanctuary-desktop"
    assert entry["Exec"] == f'"{app_bin}"'  # the full path, quoted: PATH may not have it
    assert entry["TryExec"] == str(app_bin)
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout

    # The menu entry's command and the one on PATH both run the app.
    ran = subprocess.run([str(app_bin), "--version"], capture_output=True, text=True)
    assert ran.stdout == "fake app --version\n"
    launcher = home / ".local" / "bin" / "sanctuary-desktop"
    ran = subprocess.run([str(launcher), "demo"], capture_output=True, text=True)
    assert ran.stdout == "fake app demo\n"

    # Installing again over it works (an update).
    again = subprocess.run(["sh", str(staged / "install.sh")], env=env, capture_output=True)
    assert again.returncode == 0, again.stderr

    gone = subprocess.run(
        ["sh", str(app_bin.parent / "uninstall.sh")], env=env, capture_output=True, text=True
    )
    assert gone.returncode == 0, gone.stderr
    assert not installed.exists() and not launcher.is_symlink() and not app_bin.exists()
    assert not list((share / "icons").rglob(f"{APP_ID}.*"))
    assert (data / "sanctuary.db").read_text() == "the user's cohorts"
