"""The protocol library: the built-ins (read-only) and the facilitator's own."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctuary_desktop.domain.errors import ValidationError
from sanctuary_desktop.domain.protocols import (
    FILE_FIELD,
    MAX_FILE_BYTES,
    Protocol,
    builtin_protocols,
    protocol_from_json,
    protocol_to_json,
)
from sanctuary_desktop.services.file_reading import read_limited
from sanctuary_desktop.services.views import Outcome, Topic
from sanctuary_desktop.store.database import Database
from sanctuary_desktop.store.models import SavedProtocol


def _builtins() -> dict[str, Protocol]:
    return {p.key: p for p in builtin_protocols()}


def _saved(session: Session, key: str) -> SavedProtocol | None:
    return session.scalar(select(SavedProtocol).where(SavedProtocol.key == key))


def list_protocols(db: Database) -> list[Protocol]:
    """Built-ins first, in their published order, then the facilitator's own by name."""
    with db.reading() as session:
        own = [protocol_from_json(row.document) for row in session.scalars(select(SavedProtocol))]
    return [*builtin_protocols(), *sorted(own, key=lambda p: p.name.casefold())]


def get_protocol(db: Database, key: str) -> Protocol:
    found = _builtins().get(key)
    if found is not None:
        return found
    with db.reading() as session:
        return protocol_in(session, key)


def protocol_in(session: Session, key: str) -> Protocol:
    """The same, inside a session already open: a second one would wait on the first's lock."""
    found = _builtins().get(key)
    if found is not None:
        return found
    row = _saved(session, key)
    if row is None:
        raise ValidationError.single("Protocol", f"no protocol with key {key!r}")
    return protocol_from_json(row.document)


def _free_key(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:50] or "protocol"
    taken = set(_builtins()) | set(session.scalars(select(SavedProtocol.key)))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _store(session: Session, protocol: Protocol) -> Protocol:
    clean = protocol.validated()
    row = _saved(session, clean.key) or SavedProtocol(key=clean.key)
    row.name = clean.name
    row.document = protocol_to_json(clean)
    session.add(row)
    return clean


def duplicate_protocol(db: Database, key: str, name: str) -> Outcome[Protocol]:
    """An editable copy of any protocol, built-in or not."""
    source = get_protocol(db, key)
    with db.unit_of_work() as session:
        copy = source.duplicate(key=_free_key(session, name), name=name)
        return Outcome.of(_store(session, copy), Topic.PROTOCOLS)


def save_protocol(db: Database, protocol: Protocol) -> Outcome[Protocol]:
    """Save an edited protocol of the facilitator's own; built-ins stay as published."""
    if protocol.key in _builtins():
        raise ValidationError.single("Protocol", "built-in protocols are read-only: duplicate it")
    with db.unit_of_work() as session:
        if _saved(session, protocol.key) is None:
            raise ValidationError.single("Protocol", f"no protocol with key {protocol.key!r}")
        return Outcome.of(_store(session, protocol), Topic.PROTOCOLS)


def delete_protocol(db: Database, key: str) -> Outcome[str]:
    if key in _builtins():
        raise ValidationError.single("Protocol", "built-in protocols cannot be deleted")
    with db.unit_of_work() as session:
        row = _saved(session, key)
        if row is None:
            raise ValidationError.single("Protocol", f"no protocol with key {key!r}")
        session.delete(row)
        return Outcome.of(key, Topic.PROTOCOLS)


def import_protocol(db: Database, data: bytes) -> Outcome[Protocol]:
    """Add a protocol a peer shared. A bad or foreign file changes nothing."""
    incoming = protocol_from_json(data)
    with db.unit_of_work() as session:
        if incoming.key in _builtins() or _saved(session, incoming.key) is not None:
            incoming = incoming.duplicate(key=_free_key(session, incoming.name), name=incoming.name)
        return Outcome.of(_store(session, incoming), Topic.PROTOCOLS)


def import_protocol_file(db: Database, path: Path) -> Outcome[Protocol]:
    """Read a shared protocol file and add it. Only an ordinary file of at most 1 MB is
    read: a device or a pipe is refused in plain words (field "Protocol file")."""
    data = read_limited(
        path, MAX_FILE_BYTES, FILE_FIELD, f"is too large (over {MAX_FILE_BYTES // 10**6} MB)"
    )
    return import_protocol(db, data)


def export_protocol(db: Database, key: str, path: Path) -> Path:
    """Write the sharing file next to its destination, then rename it into place."""
    text = protocol_to_json(get_protocol(db, key))
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path
