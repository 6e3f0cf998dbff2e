"""Reading a file the user chose, with a bound: every importer reads through here.

A size from ``stat`` says nothing for a device or a pipe (it is 0 for /dev/zero and for a
FIFO), so the size is never trusted: only an ordinary file is read, and never more than
one byte past the limit. The file is opened without waiting, so a FIFO with no writer
does not hang the app; it is refused as not an ordinary file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sanctuary_desktop.domain.errors import ValidationError

_CHUNK = 1024 * 1024


def read_limited(path: Path, limit: int, field: str, too_large: str) -> bytes:
    """The bytes of the ordinary file at ``path``, at most ``limit`` of them.

    Any trouble is a ValidationError on ``field``: ``too_large`` when the file holds more
    than ``limit`` bytes, a plain sentence for a folder, a device, a pipe or an error.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise ValidationError.single(field, "is a folder, not a file") from None
    except OSError as problem:
        raise ValidationError.single(field, f"could not be read ({_reason(problem)})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ValidationError.single(field, "is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise ValidationError.single(
                field, "is not an ordinary file (it is a device, a pipe or a socket)"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as problem:
        raise ValidationError.single(field, f"could not be read ({_reason(problem)})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ValidationError.single(field, too_large)
    return b"".join(chunks)


def _reason(problem: OSError) -> str:
    return problem.strerror or type(problem).__name__
