"""The layer rules of DESIGN.md, checked on the source and by importing."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import sanctuary_desktop

PACKAGE = Path(sanctuary_desktop.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules_in(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def test_only_ui_and_app_import_qt() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.parent.name != "ui"
        and path.name != "app.py"
        and any(m.split(".")[0] in {"PySide6", "qasync"} for m in imported_modules(path))
    ]
    assert offenders == []


# The architecture's "never" rules: a layer never imports these.
NEVER = {
    "domain": (
        "sqlalchemy",
        "alembic",
        "sanctuary_desktop.store",
        "sanctuary_desktop.services",
        "sanctuary_desktop.export",
        "sanctuary_desktop.ui",
        "sanctuary_desktop.app",
        "sanctuary_desktop.bootstrap",
    ),
    "store": ("sanctuary_desktop.services", "sanctuary_desktop.export", "sanctuary_desktop.ui"),
    "services": ("sanctuary_desktop.ui", "sanctuary_desktop.app"),
    "export": ("sanctuary_desktop.store", "sanctuary_desktop.ui", "sqlalchemy"),
    "ui": ("sanctuary_desktop.store", "sqlalchemy", "alembic"),
}


def test_no_layer_imports_what_the_architecture_forbids() -> None:
    """Every import, at the top or inside a function or TYPE_CHECKING, is looked at."""
    offenders = [
        f"{layer}/{path.relative_to(PACKAGE / layer)} imports {module}"
        for layer, forbidden in NEVER.items()
        for path in modules_in(layer)
        for module in sorted(imported_modules(path))
        if module.startswith(forbidden)
    ]
    assert offenders == []


def test_domain_imports_neither_sqlalchemy_nor_upper_layers() -> None:
    forbidden = ("sqlalchemy", "alembic", "sanctuary_desktop.store", "sanctuary_desktop.services")
    for path in modules_in("domain"):
        bad = [m for m in imported_modules(path) if m.startswith(forbidden)]
        assert bad == [], f"{path.name} imports {bad}"


def test_lower_layers_never_import_the_ui() -> None:
    for layer in ("domain", "store", "services", "export"):
        for path in modules_in(layer):
            bad = [m for m in imported_modules(path) if m.startswith("sanctuary_desktop.ui")]
            assert bad == [], f"{layer}/{path.name} imports {bad}"


def test_domain_and_export_import_with_qt_unavailable() -> None:
    """Importing every domain and export module works when PySide6 cannot be imported."""
    modules = [
        f"sanctuary_desktop.{layer}.{path.stem}"
        for layer in ("domain", "export")
        for path in modules_in(layer)
        if path.stem != "__init__"
    ]
    script = (
        "import sys\n"
        "sys.modules['PySide6'] = None\n"
        "sys.modules['qasync'] = None\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "assert not any(m.startswith('PySide6.') for m in sys.modules)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
    assert len(modules) >= 5
