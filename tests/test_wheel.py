"""The wheel holds everything the app needs at run time: built from a copy of the
sources, installed (not editable) into an empty virtual environment, and run from there:
the command line (demo, list, exports, checked with pypdf) and the window, offscreen.

Slow (a wheel build and an install of the app's dependencies, about a minute with pip's
cache warm), so it builds once per session for all its tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import sanctuary_desktop
from tests.packaged_app import Command, check_command_line, offscreen_env

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "sanctuary_desktop", "resources")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def pip(python: Path, *args: str, timeout: float = 600) -> None:
    result = subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the sources, so nothing left in the checkout's build/ (an old
    module, say) can slip into it."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, source / name)
    pip(Path(sys.executable), "wheel", "--no-deps", "--quiet", "-w", str(work), str(source))
    (built,) = work.glob("sanctuary_desktop-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty virtual environment with the wheel and the dependencies it declares,
    pinned as constraints.txt pins them (pip's cache makes that quick)."""
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env, with_pip=True, symlinks=True)
    python = env / "bin" / "python"
    pip(
        python,
        "install",
        "--quiet",
        "--no-compile",
        "-c",
        str(ROOT / "constraints.txt"),
        str(wheel),
    )
    yield env


def test_the_wheel_holds_every_module_and_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "sanctuary_desktop").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    expected |= {
        "sanctuary_desktop/resources/" + path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel (list the package in pyproject.toml): {missing}"
    assert "sanctuary_desktop/store/migrations/script.py.mako" in names
    dist_info = f"sanctuary_desktop-{sanctuary_desktop.__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    assert not any(name.startswith(("tests/", "packaging/", "resources/")) for name in names)


def test_the_command_line_is_a_console_script_and_the_app_has_a_gui_launcher(
    wheel: Path,
) -> None:
    """On Windows a GUI script has no console: the command line's output would be lost."""
    dist_info = f"sanctuary_desktop-{sanctuary_desktop.__version__}.dist-info"
    entry_points = zipfile.ZipFile(wheel).read(f"{dist_info}/entry_points.txt").decode()
    sections: dict[str, dict[str, str]] = {}
    current = ""
    for line in entry_points.splitlines():
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = {}
        elif "=" in line:
            name, target = (part.strip() for part in line.split("=", 1))
            sections[current][name] = target
    assert sections["console_scripts"] == {"sanctuary-desktop": "sanctuary_desktop.__main__:main"}
    assert sections["gui_scripts"] == {"sanctuary-desktop-gui": "sanctuary_desktop.__main__:main"}


FIND_RESOURCES = """
import importlib.resources, sys
import sanctuary_desktop
files = importlib.resources.files("sanctuary_desktop.resources")
print(sanctuary_desktop.__file__)
print(files.joinpath("protocols.json").is_file(), (files / "fonts" / "DejaVuSans.ttf").is_file())
"""


def test_an_editable_install_maps_the_resources_into_the_package(tmp_path: Path) -> None:
    """What `make run` and `make test` make: resources/ is sanctuary_desktop.resources,
    from the checkout's folder (where the sources come first on sys.path) and from
    anywhere else. The package itself imports nothing, so no dependency is needed."""
    env = tmp_path / "env"
    venv.create(env, with_pip=True, symlinks=True)
    python = env / "bin" / "python"
    pip(python, "install", "--quiet", "--no-deps", "--no-compile", "-e", str(ROOT))
    for cwd in (ROOT, tmp_path):
        result = subprocess.run(
            [str(python), "-c", FIND_RESOURCES],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=offscreen_env(),
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        package, found = result.stdout.splitlines()
        assert Path(package).parent == ROOT / "sanctuary_desktop"
        assert found == "True True", cwd


def test_the_run_dependencies_hold_no_build_or_test_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    run = " ".join(project["dependencies"]).lower()
    for tool in ("pyinstaller", "pytest", "pypdf", "mypy", "ruff", "hypothesis"):
        assert tool not in run, tool
    assert any("pyinstaller" in d for d in project["optional-dependencies"]["dist"])


def test_the_installed_wheel_runs_the_command_line(installed: Path, tmp_path: Path) -> None:
    app = Command([str(installed / "bin" / "sanctuary-desktop")], cwd=tmp_path)
    check_command_line(app, tmp_path / "data", tmp_path, full=False)


WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import sanctuary_desktop
from sanctuary_desktop.ui import main_window

print("PACKAGE", sanctuary_desktop.__file__, flush=True)
finish = main_window.MainWindow.finish_building

def finish_then_quit(self):
    finish(self)
    def look():
        page = self.cohorts_page
        if not self.ctx.services.idle or page.model.rowCount() == 0:
            QTimer.singleShot(50, look)
            return
        print("ROWS", page.model.rows[0].name, flush=True)
        print("ICON", not QApplication.windowIcon().isNull(), flush=True)
        self.close()
        QApplication.instance().quit()
    QTimer.singleShot(0, look)

main_window.MainWindow.finish_building = finish_then_quit
from sanctuary_desktop.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_installed_wheel_opens_the_window(installed: Path, tmp_path: Path) -> None:
    """The window from the wheel, offscreen: the sample cohort listed, the icon found in
    the package's resources, a clean exit."""
    data = tmp_path / "data"
    app = Command([str(installed / "bin" / "sanctuary-desktop")], cwd=tmp_path)
    assert app.run("--data-dir", str(data), "demo").returncode == 0
    result = subprocess.run(
        [str(installed / "bin" / "python"), "-c", WINDOW, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=offscreen_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert Path(lines["PACKAGE"]).is_relative_to(installed)  # the wheel's, not the checkout's
    assert lines["ROWS"].startswith("Tending the Commons")
    assert lines["ICON"] == "True"
    log = (data / "logs" / "sanctuary.log").read_text(encoding="utf-8")
    assert "starting" in log and "closed" in log
