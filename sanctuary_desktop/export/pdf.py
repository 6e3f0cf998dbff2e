"""What every PDF the app writes shares: the font, the page, the header and footer.

reportlab ships only Latin-1 fonts, so DejaVu Sans is bundled, registered as a family
(so ``<b>`` and ``<i>`` work in paragraphs) and set as the initial font, so nothing in
the file falls back to Helvetica. Footers say "page N of M", which needs every page
laid out before any footer is drawn: ``_CountingCanvas`` holds the pages back and
draws the footers when it is saved.
"""

from __future__ import annotations

import importlib.resources
import io
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from sanctuary_desktop.export.files import write_atomically
from sanctuary_desktop.export.paper import PaperSize

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# reportlab's own standard fonts, which it names in a file without embedding them.
_STANDARD_FACES = {
    f"{family}{face}": ours
    for family, faces in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
    )
    for face, ours in zip(faces, (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC), strict=True)
}

INK = colors.HexColor("#202124")
MUTED = colors.HexColor("#5f6368")
ACCENT = colors.HexColor("#2f6f62")
ACCENT_LIGHT = colors.HexColor("#e3f0ec")
RULE = colors.HexColor("#d9d5cc")
WARN = colors.HexColor("#8a4b00")  # 4.5:1 or more on every fill here, night shading too
ZEBRA = colors.HexColor("#f7f6f2")
MARGIN: float = 18 * mm


@dataclass(frozen=True)
class DocumentHead:
    title: str  # the document: "Session notes", "Protocol card"...
    cohort: str  # in every page's header
    call: str = ""  # "Call 3 of 7", when the document is about one
    author: str = ""
    when: str = ""  # "Thu 5 Mar 2026": printed whole after the call, never cut


def register_fonts() -> None:
    """Register the bundled family once per process (reportlab keeps a global registry)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = importlib.resources.files("sanctuary_desktop.resources").joinpath("fonts")
    with ExitStack() as files:
        for name, file_name in _FONT_FILES.items():
            path = files.enter_context(importlib.resources.as_file(folder.joinpath(file_name)))
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    quote: ParagraphStyle


def styles(scale: float = 1.0) -> Styles:
    """The app's paragraph styles; ``scale`` enlarges them for large-type handouts."""
    register_fonts()

    def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
        extra.setdefault("fontName", FONT)
        extra.setdefault("textColor", INK)
        extra.setdefault("alignment", TA_LEFT)
        return ParagraphStyle(name, fontSize=size * scale, leading=size * scale * 1.3, **extra)

    return Styles(
        title=style("title", 20, fontName=FONT_BOLD, spaceAfter=4),
        heading=style(
            "heading", 13.5, fontName=FONT_BOLD, spaceBefore=10, spaceAfter=4, textColor=ACCENT
        ),
        subheading=style("subheading", 11, fontName=FONT_BOLD, spaceBefore=6, spaceAfter=2),
        body=style("body", 10, spaceAfter=3),
        small=style("small", 8.5),
        muted=style("muted", 9, textColor=MUTED, spaceAfter=3),
        cell=style("cell", 9),
        cell_bold=style("cell_bold", 9, fontName=FONT_BOLD),
        quote=style(
            "quote",
            10.5,
            fontName=FONT_ITALIC,
            leftIndent=12,
            borderPadding=(2, 0, 2, 8),
            spaceAfter=5,
        ),
    )


def contrast_ratio(foreground: colors.Color, background: colors.Color) -> float:
    """WCAG 2 contrast between two colours: 1 to 21; body text needs 4.5 or more."""

    def luminance(colour: colors.Color) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(float(v)) for v in colour.rgb())
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (which reads a little XML), line breaks kept."""
    return escape(value).replace("\n", "<br/>")


class Grid(Table):  # type: ignore[misc]  # reportlab has no types
    """A Table whose every cell starts in the app's font.

    reportlab's cells default to Helvetica, and a table draws each cell's font even
    when the cell holds only paragraphs, so a table without a FONTNAME command put a
    Helvetica that is never embedded into the file. Every table in a document is a Grid.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    *,
    header: bool = True,
    zebra: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
    orphans: int = 0,
) -> Table:
    """A table that splits across pages with its header row repeated on each.

    With ``orphans``, a page break leaves at least that many rows on each side (the
    whole table moves on when it is too short to split so).
    """
    grid = Grid(list(rows), colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header:
        commands += [
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, ACCENT),
        ]
    if zebra and len(rows) > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, ZEBRA]))
    body = len(rows) - (1 if header else 0)
    if orphans > 0 and body > 1:
        first = 1 if header else 0
        keep = min(orphans, body)
        commands += [
            ("NOSPLIT", (0, 0), (-1, first + keep - 1)),
            ("NOSPLIT", (0, len(rows) - keep), (-1, -1)),
        ]
    grid.setStyle(TableStyle([*commands, *extra]))
    return grid


class _CountingCanvas(Canvas):  # type: ignore[misc]  # reportlab has no types
    """Holds every page back until the end, so each footer can say "of M"."""

    def __init__(self, *args: Any, head: DocumentHead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head = head
        self._pages: list[dict[str, Any]] = []

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        # A reportlab default (Helvetica, Times, Courier) would be named in the file
        # without being embedded: draw it in the bundled face of the same weight.
        super().setFont(_STANDARD_FACES.get(psfontname, psfontname), size, leading)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        width, height = self._pagesize
        head = self._head
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, height - MARGIN + 4 * mm, width - MARGIN, height - MARGIN + 4 * mm)
        # The document and its date get the room they need (up to 60% of the line) and
        # the cohort's name the rest, so a long name never cuts the date.
        line = width - 2 * MARGIN
        gap = 6 * mm
        right = " · ".join(part for part in (head.title, head.call) if part)
        tail = f" · {head.when}" if head.when else ""
        # (half a point over, so a text measured in two parts still fits whole)
        right_room = min(pdfmetrics.stringWidth(right + tail, FONT, 8.5) + 0.5, line * 0.6)
        left_room = max(line - right_room - gap, line * 0.4 - gap)
        self.setFont(FONT_BOLD, 8.5)
        self.setFillColor(ACCENT)
        self.drawString(
            MARGIN, height - MARGIN + 6 * mm, _fit(head.cohort, FONT_BOLD, 8.5, left_room)
        )
        self.setFont(FONT, 8.5)
        self.setFillColor(MUTED)
        # A long call title is what gets cut, never the date after it.
        tail_width = pdfmetrics.stringWidth(tail, FONT, 8.5)
        right = _fit(right, FONT, 8.5, max(right_room - tail_width, line * 0.1)) + tail
        self.drawRightString(width - MARGIN, height - MARGIN + 6 * mm, right)
        self.line(MARGIN, MARGIN - 5 * mm, width - MARGIN, MARGIN - 5 * mm)
        self.drawString(MARGIN, MARGIN - 9 * mm, "Sanctuary Desktop · confidential to the cohort")
        self.drawRightString(width - MARGIN, MARGIN - 9 * mm, f"Page {number} of {total}")
        self.restoreState()


def _fit(value: str, font: str, size: float, width: float) -> str:
    """Cut a header text with an ellipsis so it never runs into the other half."""
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    while value and pdfmetrics.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def frame_width(paper: PaperSize, *, landscape: bool = False) -> float:
    width, height = paper.points
    return float((height if landscape else width) - 2 * MARGIN)


@dataclass(frozen=True)
class Layout:
    data: bytes
    pages: int
    last_fill: float  # how much of the last page's frame holds something, 0 to 1


LAST_PAGE_FILL = 0.25  # a last page filled less than this is worth pulling back
FIT_SCALES = (0.95, 0.9, 0.85)  # how far a document may tighten to save that page


def render(
    head: DocumentHead,
    story: Sequence[Flowable],
    paper: PaperSize = PaperSize.A4,
    *,
    landscape: bool = False,
    created: datetime | None = None,
) -> bytes:
    """Lay out ``story`` on pages with the header and footer; return the PDF's bytes."""
    return lay_out(head, story, paper, landscape=landscape).data


def render_fitted(
    head: DocumentHead,
    story_at: Callable[[float], Sequence[Flowable]],
    paper: PaperSize = PaperSize.A4,
    *,
    landscape: bool = False,
) -> bytes:
    """Like ``render``, but a document that would end on a page holding only a few lines
    is laid out again a little tighter (``story_at(scale)``), when that saves the page."""
    first = lay_out(head, story_at(1.0), paper, landscape=landscape)
    if first.pages == 1 or first.last_fill >= LAST_PAGE_FILL:
        return first.data
    for scale in FIT_SCALES:
        tighter = lay_out(head, story_at(scale), paper, landscape=landscape)
        if tighter.pages < first.pages:
            return tighter.data
    return first.data


def lay_out(
    head: DocumentHead,
    story: Sequence[Flowable],
    paper: PaperSize = PaperSize.A4,
    *,
    landscape: bool = False,
) -> Layout:
    """The PDF of ``story`` with the header and footer, and how full its pages are."""
    register_fonts()
    width, height = paper.points
    if landscape:
        width, height = height, width
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN,
        title=f"{head.title}: {head.cohort}"
        + "".join(f", {part}" for part in (head.call, head.when) if part),
        author=head.author,
        subject=head.cohort,
        creator="Sanctuary Desktop",
        lang="en",
        initialFontName=FONT,
        initialFontSize=10,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def canvas_maker(*args: Any, **kwargs: Any) -> _CountingCanvas:
        return _CountingCanvas(*args, head=head, **kwargs)

    doc.build(list(story), canvasmaker=canvas_maker)
    pages = doc.page
    last = doc.frame
    used = (last._y1 + last._height - last._y) / last._height
    return Layout(buffer.getvalue(), pages, min(1.0, max(0.0, used)))


def write_pdf(path: Path, data: bytes) -> None:
    write_atomically(path, data)


__all__ = [
    "DocumentHead",
    "Grid",
    "Layout",
    "PaperSize",
    "Paragraph",
    "lay_out",
    "render",
    "render_fitted",
    "styles",
    "table",
    "text",
]
