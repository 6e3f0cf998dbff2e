"""The command line against a real PostgreSQL server (tests/postgres_server.sh): every
trouble on the way to it in plain words naming the server, never a file path nor a
traceback; the password never written to the log; backup and restore that know the data
is on the server and never touch the local data file."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from sanctuary_desktop.services.opening import HEADLINES, Trouble
from sanctuary_desktop.store.database import Database

ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
ENV.pop("SANCTUARY_DATABASE_URL", None)


def cli(data: Path, *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = (
        f"import sys\n{prelude}\nfrom sanctuary_desktop.__main__ import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )


def password_of(url: str) -> str:
    password = make_url(url).password
    assert password, "the test server signs in with a password"
    return str(password)


def with_(url: str, **parts: object) -> str:
    return make_url(url).set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


def log_text(data: Path) -> str:
    return "".join(
        p.read_text(encoding="utf-8") for p in sorted((data / "logs").glob("sanctuary.log*"))
    )


def assert_server_trouble(
    result: subprocess.CompletedProcess[str], trouble: Trouble, url: str, data: Path
) -> None:
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "Traceback" not in said, said
    assert HEADLINES[trouble] in result.stderr, said
    parsed = make_url(url)
    assert f"Server: {parsed.render_as_string(hide_password=True)}" in result.stderr, said
    assert "sanctuary.db" not in said and "Data file" not in said, said
    assert "data file" not in HEADLINES[trouble].lower()
    if parsed.password:
        assert str(parsed.password) not in said
        assert str(parsed.password) not in log_text(data)


def test_a_wrong_password_is_a_refused_sign_in(tmp_path: Path, empty_server_database: str) -> None:
    data = tmp_path / "profile"
    wrong = with_(empty_server_database, password="not-" + password_of(empty_server_database))
    result = cli(data, "--database-url", wrong, "list", "cohorts")
    assert_server_trouble(result, Trouble.SIGN_IN_REFUSED, wrong, data)
    assert "password authentication failed" in result.stderr
    assert password_of(empty_server_database) not in log_text(data)
    assert "Traceback" in log_text(data), "the details are in the log"


def test_a_closed_port_is_an_unreachable_server(tmp_path: Path, empty_server_database: str) -> None:
    data = tmp_path / "profile"
    closed = with_(empty_server_database, port=1)
    result = cli(data, "--database-url", closed, "list", "cohorts")
    assert_server_trouble(result, Trouble.SERVER_UNREACHABLE, closed, data)
    assert "refused" in result.stderr.lower()


def test_a_missing_database_is_named(tmp_path: Path, empty_server_database: str) -> None:
    data = tmp_path / "profile"
    missing = with_(empty_server_database, database="no_such_sanctuary_database")
    result = cli(data, "--database-url", missing, "demo")
    assert_server_trouble(result, Trouble.DATABASE_MISSING, missing, data)
    assert "no_such_sanctuary_database" in result.stderr


def test_a_missing_driver_is_said_in_plain_words(
    tmp_path: Path, empty_server_database: str
) -> None:
    data = tmp_path / "profile"
    result = cli(
        data,
        "--database-url",
        empty_server_database,
        "list",
        "cohorts",
        prelude="sys.modules['psycopg'] = None  # as if the postgres extra were not installed",
    )
    assert_server_trouble(result, Trouble.NO_DRIVER, empty_server_database, data)


def test_a_postgresql_url_without_a_driver_name_uses_psycopg(
    tmp_path: Path, empty_server_database: str
) -> None:
    data = tmp_path / "profile"
    plain = with_(empty_server_database, drivername="postgresql")
    result = cli(data, "--database-url", plain, "list", "cohorts")
    assert result.returncode == 0, result.stderr
    assert "No cohorts yet" in result.stdout
    assert not (data / "sanctuary.db").exists()


def test_a_schema_newer_than_the_app_is_refused_and_left_alone(
    tmp_path: Path, empty_server_database: str
) -> None:
    db = Database(empty_server_database)
    try:
        db.migrate()
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        db.dispose()
    data = tmp_path / "profile"
    for command in (["list", "cohorts"], ["demo"]):
        result = cli(data, "--database-url", empty_server_database, *command)
        assert_server_trouble(result, Trouble.NEWER, empty_server_database, data)
    db = Database(empty_server_database)
    try:
        assert db.schema_version() == "9999"
    finally:
        db.dispose()


def test_the_password_is_never_logged_even_verbose(
    tmp_path: Path, empty_server_database: str
) -> None:
    data = tmp_path / "profile"
    for command in (["--verbose", "demo"], ["--verbose", "list", "cohorts"], ["check"]):
        result = cli(data, "--database-url", empty_server_database, *command)
        assert result.returncode == 0, result.stderr
    log = log_text(data)
    assert "database migrated" in log
    assert password_of(empty_server_database) not in log


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_and_restore_with_a_server_never_touch_the_local_file(
    tmp_path: Path, empty_server_database: str
) -> None:
    data = tmp_path / "profile"
    # The local file holds its own data, which must survive every step below.
    assert cli(data, "demo").returncode == 0
    local = data / "sanctuary.db"
    before = fingerprint(local)
    server = ["--database-url", empty_server_database]
    assert cli(data, *server, "demo").returncode == 0

    archive = tmp_path / "server-backup.zip"
    made = cli(data, *server, "backup", "-o", str(archive))
    assert made.returncode == 0, made.stderr
    assert "archive of everything on the server" in made.stdout
    with zipfile.ZipFile(archive) as opened:
        assert {"manifest.json", "data.json"} <= set(opened.namelist())
    kept = sorted((data / "backups").glob("server-*-manual.zip"))
    assert len(kept) == 1 and kept[0].read_bytes() == archive.read_bytes()
    assert fingerprint(local) == before

    # Without the confirmation: refused, nothing changed anywhere.
    refused = cli(data, *server, "restore", str(archive))
    assert refused.returncode == 2
    assert "--to-server" in refused.stderr and "Traceback" not in refused.stderr
    assert password_of(empty_server_database) not in refused.stderr
    assert fingerprint(local) == before
    assert not list((data / "backups").glob("*before-restore*"))

    # The server's cohort changed, then put back as the archive holds it.
    db = Database(empty_server_database)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE cohorts SET name = 'Renamed on the server'"))
    finally:
        db.dispose()
    restored = cli(data, *server, "restore", "--to-server", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert fingerprint(local) == before
    assert len(list((data / "backups").glob("server-*-before-restore.zip"))) == 1
    listed = cli(data, *server, "list", "cohorts").stdout
    assert "Tending the Commons" in listed and "Renamed" not in listed, listed
    assert len(listed.strip().splitlines()) == 1, "the cohort replaced, not copied"


def test_restore_to_server_without_a_server_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "profile"
    assert cli(data, "demo").returncode == 0
    before = fingerprint(data / "sanctuary.db")
    result = cli(data, "restore", "--to-server", str(tmp_path / "any.zip"))
    assert result.returncode == 2 and "--database-url" in result.stderr
    assert fingerprint(data / "sanctuary.db") == before


def test_the_startup_backup_on_a_server_is_an_archive_in_the_backups_folder(
    tmp_path: Path, empty_server_database: str
) -> None:
    from sanctuary_desktop.bootstrap import data_folder, database_for
    from sanctuary_desktop.services import backups, demo

    folder = data_folder(str(tmp_path / "profile"))
    db = database_for(folder, empty_server_database)
    try:
        db.migrate()
        demo.create_sample(db)
        infos = [backups.take(db, "startup", keep=2) for _ in range(3)]
    finally:
        db.dispose()
    assert all(info is not None and info.cohorts == 1 for info in infos)
    archives = sorted(p.name for p in folder.backups.iterdir())
    assert len(archives) == 2 and all(n.startswith("server-") for n in archives)
    assert not folder.database.exists(), "no local data file is made"


def test_another_programs_database_on_the_server_is_left_alone(
    tmp_path: Path, empty_server_database: str
) -> None:
    db = Database(empty_server_database)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE orders (id integer primary key)"))
    finally:
        db.dispose()
    data = tmp_path / "profile"
    result = cli(data, "--database-url", empty_server_database, "demo")
    assert_server_trouble(result, Trouble.SERVER_FOREIGN, empty_server_database, data)
    assert "orders" in result.stderr
    db = Database(empty_server_database)
    try:
        assert db.schema_version() is None, "no table of the app's was added"
    finally:
        db.dispose()
