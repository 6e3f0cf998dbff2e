"""Make the app's icons from the one SVG, at build time: PNGs in the sizes desktops ask
for, a Windows .ico and a macOS .icns.

Usage: python packaging/make_icons.py OUT_DIR

OUT_DIR gets `hicolor/<N>x<N>/apps/<APP_ID>.png` for every size, `hicolor/scalable/apps/
<APP_ID>.svg`, `<APP_ID>.ico` and `<APP_ID>.icns`. The PNGs are drawn by Qt's SVG
renderer (the one the app itself draws its window icon with); Pillow packs the .ico and
the .icns, on any platform.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "sanctuary.svg"
APP_ID = "org.systemsanctuary.SanctuaryDesktop"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render_png(svg: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"could not write {out}")


def make_icons(out_dir: Path, svg: Path = SVG) -> list[Path]:
    from PIL import Image

    written: list[Path] = []
    pngs: dict[int, Path] = {}
    for size in SIZES:
        png = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        render_png(svg, size, png)
        pngs[size] = png
        written.append(png)
    scalable = out_dir / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)

    largest = Image.open(pngs[max(SIZES)])
    ico = out_dir / f"{APP_ID}.ico"
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    written.append(ico)
    icns = out_dir / f"{APP_ID}.icns"
    largest.save(
        icns,
        format="ICNS",
        append_images=[Image.open(pngs[s]) for s in ICNS_SIZES if s != max(SIZES)],
    )
    written.append(icns)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for path in make_icons(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
