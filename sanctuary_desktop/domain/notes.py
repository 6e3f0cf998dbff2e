"""The kinds of note taken during a call: one definition for the forms, the store's rules
and the archive."""

from __future__ import annotations

from enum import StrEnum


class NoteKind(StrEnum):
    NOTE = "note"
    INSIGHT = "insight"
    QUOTE = "quote"
    ACTION = "action"
