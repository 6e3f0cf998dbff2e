"""The server tests/postgres_server.sh starts is for this machine alone, and signs in
with a password over TCP (a wrong one is refused: tests/postgres/test_server_cli.py)."""

from __future__ import annotations

from sqlalchemy import text

from sanctuary_desktop.store.database import Database


def test_the_test_server_listens_on_the_loopback_address_only(
    empty_server_database: str,
) -> None:
    db = Database(empty_server_database)
    try:
        with db.engine.connect() as conn:
            listening = conn.execute(text("SHOW listen_addresses")).scalar()
            address = conn.execute(text("SELECT host(inet_server_addr())")).scalar()
    finally:
        db.dispose()
    assert listening == "127.0.0.1"
    assert address == "127.0.0.1"
