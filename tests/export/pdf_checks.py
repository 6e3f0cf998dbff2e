"""What the document tests read back from a PDF: its fonts, its text, how full its pages are."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _embedded(font: DictionaryObject) -> bool:
    """A font is embedded when its descriptor (or its descendant's) holds a font file.
    Type 3 fonts are drawn by the file itself and need none."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(_resolved(d)) for d in _resolved(font["/DescendantFonts"]))
    descriptor = _resolved(font.get("/FontDescriptor"))
    if descriptor is None:
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def fonts(data: bytes) -> dict[str, bool]:
    """Every font the file's pages (and their forms) use: its name, and whether embedded."""
    found: dict[str, bool] = {}
    seen: set[int] = set()

    def visit(resources: Any) -> None:
        resources = _resolved(resources)
        if resources is None or id(resources) in seen:
            return
        seen.add(id(resources))
        for font in _resolved(resources.get("/Font", DictionaryObject())).values():
            font = _resolved(font)
            name = str(font.get("/BaseFont", font.get("/Name", "?")))
            found[name] = found.get(name, True) and _embedded(font)
        for xobject in _resolved(resources.get("/XObject", DictionaryObject())).values():
            xobject = _resolved(xobject)
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        visit(page.get("/Resources"))
    return found


def page_texts(data: bytes) -> list[str]:
    """Each page's text, NFC, with runs of white space made one space."""
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text()).split())
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def body_lines(data: bytes) -> list[int]:
    """Lines of text on each page, not counting the header and footer (two lines each)."""
    counts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        counts.append(max(0, len(lines) - 4))
    return counts
