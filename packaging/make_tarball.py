"""Pack the frozen Linux app with what installs it for a user.

Usage: python packaging/make_tarball.py APP_DIR ICONS_DIR TARBALL

The tarball holds one folder, sanctuary-desktop-<version>/:

    app/                  the frozen app (PyInstaller's one folder)
    share/applications/   the .desktop file
    share/metainfo/       the AppStream metainfo
    share/icons/hicolor/  the icons, SVG and PNGs, under the .desktop file's icon name
    install.sh            puts all of it in the user's folders (no root)
    uninstall.sh
    LICENSE
"""

from __future__ import annotations

import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APP_ID = "org.systemsanctuary.SanctuaryDesktop"


def stage(app_dir: Path, icons_dir: Path, folder: Path) -> None:
    if not (app_dir / "sanctuary-desktop").is_file():
        raise SystemExit(f"{app_dir} holds no frozen app: run the PyInstaller build first")
    shutil.copytree(app_dir, folder / "app", symlinks=True)
    share = folder / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(HERE / f"{APP_ID}.desktop", share / "applications")
    shutil.copy2(HERE / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copytree(icons_dir / "hicolor", share / "icons" / "hicolor")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(HERE / "linux" / script, folder / script)
        (folder / script).chmod(0o755)
    shutil.copy2(ROOT / "LICENSE", folder / "LICENSE")


def make_tarball(app_dir: Path, icons_dir: Path, tarball: Path, version: str) -> Path:
    top = f"sanctuary-desktop-{version}"
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / top
        folder.mkdir()
        stage(app_dir, icons_dir, folder)
        tarball.parent.mkdir(parents=True, exist_ok=True)
        partial = tarball.with_name(tarball.name + ".part")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=top)
        partial.replace(tarball)
    return tarball


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    import sanctuary_desktop

    app_dir, icons_dir, tarball = (Path(a) for a in argv)
    made = make_tarball(app_dir, icons_dir, tarball, sanctuary_desktop.__version__)
    print(f"{made} ({made.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
