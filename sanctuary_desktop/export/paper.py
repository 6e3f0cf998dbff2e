"""Paper sizes, kept apart from the PDF code so settings can name one without loading reportlab."""

from __future__ import annotations

from enum import StrEnum

_MM = 72 / 25.4


class PaperSize(StrEnum):
    A4 = "a4"
    LETTER = "letter"

    @property
    def points(self) -> tuple[float, float]:
        """(width, height) in PostScript points, portrait."""
        if self is PaperSize.A4:
            return 210 * _MM, 297 * _MM
        return 612.0, 792.0

    @property
    def label(self) -> str:
        return "A4" if self is PaperSize.A4 else "US Letter"
