"""Troubles on the way to a server, named without one (the driver's errors as they come):
each has its own plain words, none speaks of a data file, and a backup in the local
folder is never offered as the way out. tests/postgres/ meets them on a real server."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from sanctuary_desktop.services.opening import (
    ADVICE,
    HEADLINES,
    SERVER_TROUBLES,
    OpeningProblem,
    Trouble,
    diagnose,
)
from sanctuary_desktop.store.database import (
    Database,
    NotOurDatabase,
    SchemaTooNew,
    server_url,
    shown_url,
)


class DriverError(Exception):
    """Stands in for psycopg's errors: a message and, for the server's own, a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def driver(message: str, sqlstate: str | None = None) -> OperationalError:
    return OperationalError("SELECT 1", {}, DriverError(message, sqlstate))


@pytest.mark.parametrize(
    ("error", "trouble"),
    [
        (
            driver(
                'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                'FATAL:  password authentication failed for user "me"',
                "28P01",
            ),
            Trouble.SIGN_IN_REFUSED,
        ),
        (
            driver('FATAL:  no pg_hba.conf entry for host "10.0.0.2", user "me"'),
            Trouble.SIGN_IN_REFUSED,
        ),
        (driver('FATAL:  database "cohorts" does not exist', "3D000"), Trouble.DATABASE_MISSING),
        (
            driver(
                'connection failed: connection to server at "127.0.0.1", port 1 failed: '
                "Connection refused"
            ),
            Trouble.SERVER_UNREACHABLE,
        ),
        (
            driver('could not translate host name "db.example" to address'),
            Trouble.SERVER_UNREACHABLE,
        ),
        (driver("connection failed: timeout expired"), Trouble.SERVER_UNREACHABLE),
        (ModuleNotFoundError("No module named 'psycopg'"), Trouble.NO_DRIVER),
        (ArgumentError("Could not parse SQLAlchemy URL"), Trouble.BAD_ADDRESS),
        (SchemaTooNew("9999"), Trouble.NEWER),
        (NotOurDatabase("it holds another program's tables (orders)"), Trouble.SERVER_FOREIGN),
        (
            ProgrammingError("SELECT", {}, DriverError("permission denied for table x", "42501")),
            Trouble.SERVER_ERROR,
        ),
        (RuntimeError("something else"), Trouble.SERVER_ERROR),
    ],
)
def test_each_server_trouble_has_its_words(error: BaseException, trouble: Trouble) -> None:
    problem = diagnose(error, None, server=True)
    assert problem.trouble is trouble
    assert "data file" not in problem.headline.lower()
    assert "data file" not in problem.advice.lower()
    assert not problem.restoring_helps, "a local backup is never the way out for a server"


def test_every_server_trouble_has_a_headline_and_advice() -> None:
    for trouble in SERVER_TROUBLES:
        assert HEADLINES[trouble] and ADVICE[trouble]
        assert "file" not in HEADLINES[trouble].lower()


def test_a_newer_schema_on_a_file_still_offers_a_backup() -> None:
    assert diagnose(SchemaTooNew("9999")).restoring_helps
    assert not OpeningProblem(Trouble.NEWER, "", server=True).restoring_helps


def test_postgresql_addresses_use_psycopg_and_never_show_the_password() -> None:
    assert server_url("postgresql://me:s3cret@127.0.0.1/cohorts") == (
        "postgresql+psycopg://me:s3cret@127.0.0.1/cohorts"
    )
    assert server_url("postgres://me@db/cohorts").startswith("postgresql+psycopg://")
    assert server_url("sqlite:///x.db") == "sqlite:///x.db"
    shown = shown_url("postgresql+psycopg://me:s3cret@127.0.0.1/cohorts")
    assert "s3cret" not in shown and "me:***@127.0.0.1" in shown
    with pytest.raises(ArgumentError):
        server_url("postgresql://me@127.0.0.1:notaport/cohorts")


def test_a_server_database_says_where_it_is_without_the_password() -> None:
    db = Database("postgresql://me:s3cret@127.0.0.1:5432/cohorts")
    try:
        assert db.engine.dialect.driver == "psycopg"
        assert db.is_server and db.sqlite_path is None
        assert "s3cret" not in db.where and "127.0.0.1:5432/cohorts" in db.where
    finally:
        db.dispose()
