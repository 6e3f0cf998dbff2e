"""Files the app writes for the user: whole or not at all, readable by the owner only,
under names that are safe to suggest on every system."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """A temporary file beside ``path`` (mkstemp makes it 0o600), flushed, then renamed."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


# Characters no file name may hold on Windows, macOS or Linux, and what stands for them.
_SEPARATORS = frozenset("/\\|:")  # read as "between two things": " - "
_QUOTE = '"'  # becomes an apostrophe
_DROPPED = frozenset("<>?*")
_KEPT_FORMATS = frozenset("\u200c\u200d")  # zero-width (non-)joiner: part of how some scripts spell
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
_MAX_NAME_BYTES = 200  # well inside the 255 bytes every common file system allows


def safe_file_name(*parts: str, suffix: str, fallback: str = "document") -> str:
    """A file name to suggest, from text a user or an imported file chose.

    The parts are joined with spaces. Path separators and the characters Windows
    refuses become " - " (or an apostrophe for a double quote); control and
    direction-changing characters go; leading dots and spaces go (no hidden file, no
    ".."), and trailing ones (Windows drops them); a name Windows reserves (CON, NUL,
    COM1...) gets an underscore. Letters of every script, accents, dashes and "·" stay
    as typed. The name is cut to fit every common file system, never mid-character.
    """
    joined = unicodedata.normalize("NFC", " ".join(part for part in parts if part))
    pieces: list[str] = []
    for char in joined:
        category = unicodedata.category(char)
        if char in _SEPARATORS:
            pieces.append(" - ")
        elif char == _QUOTE:
            pieces.append("'")
        elif char in _DROPPED or category in ("Zl", "Zp") or char.isspace():
            pieces.append(" ")
        elif category.startswith("C") and char not in _KEPT_FORMATS:
            pieces.append(" " if category == "Cc" else "")
        else:
            pieces.append(char)
    name = " ".join("".join(pieces).split())
    name = re.sub(r"(?: -)+ ", " - ", name)  # "a: / b" reads "a - b", not "a - - b"
    name = _cut(name.strip(" .-"), _MAX_NAME_BYTES - len(suffix.encode())).rstrip(" .-")
    if not name:
        name = fallback
    stem, dot, rest = name.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:  # Windows reserves "NUL" and "NUL.txt" alike
        name = f"{stem.rstrip(' ')}_{dot}{rest}"
    return name + suffix


def _cut(name: str, limit: int) -> str:
    data = name.encode()
    if len(data) <= limit:
        return name
    return data[:limit].decode(errors="ignore")
