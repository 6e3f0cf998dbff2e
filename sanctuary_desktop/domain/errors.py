"""Validation errors that name the field and say what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ValueError):
    """One or more fields are wrong; nothing has been written."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        if not self.errors:
            raise ValueError("ValidationError needs at least one FieldError")
        super().__init__("; ".join(str(e) for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls([FieldError(field, message)])

    def for_field(self, field: str) -> str | None:
        """The first message about ``field``, for showing beside it."""
        return next((e.message for e in self.errors if e.field == field), None)


class Collector:
    """Gathers every problem of a form so the user sees them all at once."""

    def __init__(self) -> None:
        self._errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self._errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError(self._errors)


def saveable(text: str) -> bool:
    """Text with a lone surrogate (pasted from a broken source) cannot be stored as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_saveable(errors: Collector, fields: Iterable[tuple[str, str]]) -> None:
    for field, value in fields:
        if not saveable(value):
            errors.add(field, "contains a character that cannot be saved")
