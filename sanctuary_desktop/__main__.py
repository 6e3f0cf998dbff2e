"""Command line: the GUI by default, subcommands for headless work."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from sanctuary_desktop import APP_NAME, __version__

if TYPE_CHECKING:
    from sanctuary_desktop.store.database import Database
    from sanctuary_desktop.store.location import DataFolder


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanctuary-desktop", description=f"{APP_NAME}: plan and run peer-learning cohorts."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="use this data folder")
    parser.add_argument(
        "--database-url", metavar="URL", help="use a shared database server instead"
    )
    parser.add_argument("--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the app (the default)")
    demo_command = commands.add_parser("demo", help="add the sample cohort to the data folder")
    demo_command.add_argument(
        "--again", action="store_true", help="add another copy when the sample is already here"
    )

    listing = commands.add_parser("list", help="list cohorts or the calls of one cohort")
    what = listing.add_subparsers(dest="what", metavar="WHAT", required=True)
    what.add_parser("cohorts", help="every cohort")
    sessions = what.add_parser("sessions", help="the calls of one cohort")
    sessions.add_argument("--cohort", type=int, required=True, metavar="ID")

    export = commands.add_parser("export", help="write a file from the data")
    kinds = export.add_subparsers(dest="kind", metavar="KIND", required=True)
    ics = kinds.add_parser("ics", help="calendar file (.ics) of a cohort's calls")
    ics.add_argument("--cohort", type=int, required=True, metavar="ID")
    ics.add_argument("--session", type=int, metavar="ID", help="only this call")
    ics.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")

    archive = kinds.add_parser("archive", help="cohorts to one archive file, for another machine")
    archive.add_argument(
        "--cohort", type=int, action="append", metavar="ID", help="only this cohort (repeatable)"
    )
    archive.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")

    notes = kinds.add_parser("notes", help="session notes (PDF) of one call")
    notes.add_argument("--session", type=int, required=True, metavar="ID")
    _pdf_options(notes)
    handout = kinds.add_parser("handout", help="a printed handout (PDF) for a cohort")
    handout.add_argument("which", choices=HANDOUTS, metavar="|".join(HANDOUTS))
    handout.add_argument("--cohort", type=int, required=True, metavar="ID")
    _pdf_options(handout)
    importing = commands.add_parser("import", help="add the cohorts of an archive file")
    importing.add_argument("archive", type=Path, metavar="FILE")
    importing.add_argument(
        "--present",
        choices=("skip", "copy", "replace"),
        default="skip",
        help="what to do with a cohort that is already here (default: skip it)",
    )
    backup = commands.add_parser("backup", help="a consistent copy of the database")
    backup.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    restore = commands.add_parser(
        "restore", help="put a backup in place (the current data is kept as a backup first)"
    )
    restore.add_argument("backup", type=Path, metavar="FILE")
    restore.add_argument(
        "--to-server",
        action="store_true",
        help="with --database-url: put an archive's cohorts on the shared server, replacing "
        "those of the same name there (everyone using the server sees the change)",
    )
    commands.add_parser("check", help="check the database; reports, repairs nothing")
    return parser


HANDOUTS = ("protocol", "calendar", "roster", "schedule", "harvest")


def _pdf_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    command.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size (default: as set in the app, or A4)"
    )
    command.add_argument(
        "--zone", metavar="ZONE", help="your time zone (default: as set in the app)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        from sanctuary_desktop.app import run_gui

        return run_gui(args)
    return run_headless(args)


# Commands that only read the data: they open it read-only (no write lock, nothing
# written, a newer schema refused rather than migrated).
READING = ("list", "check", "export", "backup")


def run_headless(args: argparse.Namespace) -> int:
    """Run one command. Every trouble ends here in plain words and exit code 2: the same
    sentences as the app's trouble dialog, the traceback in the log (and on stderr with
    --verbose), never on the terminal otherwise."""
    import logging

    # Until the log file is open, nothing may reach the terminal through logging's
    # last-resort handler (it prints tracebacks).
    logging.getLogger().addHandler(logging.NullHandler())
    # A log that cannot be written (a full disk) is skipped, not reported with a traceback.
    logging.raiseExceptions = False
    context = _Context(args)
    try:
        return _run_headless(args, context)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped to a program that stopped reading
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # the one place a command's trouble is put into words
        return report_trouble(error, context, verbose=args.verbose)


class _Context:
    """What is known so far, for the trouble report: the folder, the log."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder: DataFolder | None = None
        self.log_path: Path | None = None
        self.server = False
        self.server_url: str | None = None


def _run_headless(args: argparse.Namespace, context: _Context) -> int:
    from sanctuary_desktop.bootstrap import configure_logging, database_for, server_url
    from sanctuary_desktop.services.opening import NeedsWriting, open_database, open_for_reading
    from sanctuary_desktop.store.location import DataFolder, resolve_data_dir

    folder = context.folder = DataFolder(resolve_data_dir(args.data_dir))
    folder.prepare()
    context.log_path = configure_logging(folder, verbose=args.verbose)
    server = server_url(args.database_url)
    context.server = server is not None
    context.server_url = server
    if args.command == "restore":
        if server is not None:
            return _restore_to_server(folder, server, args.backup, confirmed=args.to_server)
        if args.to_server:
            print(
                "error: --to-server restores onto a database server: give its address with "
                "--database-url or SANCTUARY_DATABASE_URL. Nothing was changed.",
                file=sys.stderr,
            )
            return 2
        return _restore(folder, args.backup)
    args.settings_file = folder.root / "settings.ini"
    if args.command in READING:
        try:
            db = open_for_reading(
                lambda read_only: database_for(folder, server, read_only=read_only),
                upgrade=args.command != "check",  # check reports; it changes nothing
            )
        except NeedsWriting as needed:
            return _not_checked(needed.version)
    else:
        db = open_database(database_for(folder, server))
    try:
        return _dispatch(db, args)
    finally:
        db.dispose()


def _not_checked(version: str | None) -> int:
    """`check` on data it could only check by changing it first."""
    from sanctuary_desktop.store.schema_version import SCHEMA_HEAD

    if version is None:
        print("There is no data in this folder yet: nothing to check.")
        return 0
    print(
        f"FAIL  Schema is up to date: version {version}; this app's is {SCHEMA_HEAD}. "
        "Open the app, or run a command that changes data, to upgrade it (a backup is "
        "taken first)."
    )
    print("Problems found; nothing was changed.")
    return 1


def report_trouble(error: BaseException, context: _Context, *, verbose: bool) -> int:
    """Say what went wrong in plain words on stderr; exit code 2."""
    import logging
    import traceback

    from sanctuary_desktop.domain.errors import ValidationError

    log = logging.getLogger("sanctuary_desktop.cli")
    if isinstance(error, ValidationError):
        print(f"error: {error}", file=sys.stderr)
        return 2
    lines = _trouble_lines(error, context)
    log.error("%s", " ".join(lines), exc_info=error)
    print("error: " + "\n".join(lines), file=sys.stderr)
    if context.log_path is not None:
        print(f"The details are in the log: {context.log_path}", file=sys.stderr)
    if verbose:
        traceback.print_exception(error, file=sys.stderr)
    return 2


def _trouble_lines(error: BaseException, context: _Context) -> list[str]:
    from sqlalchemy.exc import SQLAlchemyError

    from sanctuary_desktop.services.opening import OpeningProblem, diagnose
    from sanctuary_desktop.store.backups import BackupProblem

    if isinstance(error, BackupProblem):
        return [str(error)]
    if not isinstance(error, (OpeningProblem, OSError, SQLAlchemyError, ImportError)):
        import sqlite3

        if not isinstance(error, sqlite3.Error):
            first = str(error).strip().splitlines()
            return [f"Something went wrong: {first[0] if first else type(error).__name__}."]
    folder = context.folder
    outside = _file_outside_the_data(error, folder, getattr(context.args, "output", None))
    if outside is not None:  # an output file or an archive, not the data: say which
        return [outside]
    problem = diagnose(
        error, folder.database if folder is not None else None, server=context.server
    )
    lines = [problem.headline, problem.advice]
    if context.server_url is not None:
        from sanctuary_desktop.store.database import shown_url

        lines.append(f"Server: {shown_url(context.server_url)}")
    elif folder is not None:
        lines.append(f"Data file: {folder.database}")
    if problem.detail:
        lines.append(f"What the system reported: {problem.detail}")
    if problem.restoring_helps and folder is not None and not context.server:
        lines.extend(_restore_offer(folder))
    return lines


def _file_outside_the_data(
    error: BaseException, folder: DataFolder | None, output: Path | None
) -> str | None:
    """A sentence for a file the command wrote or read outside the data folder (the
    output file rather than the temporary name it is written through)."""
    import errno
    import sqlite3

    if not isinstance(error, OSError) or isinstance(error, sqlite3.Error) or not error.filename:
        return None
    path = Path(str(error.filename)).absolute()
    if folder is not None and path.is_relative_to(folder.root):
        return None
    if output is not None and path.parent == output.absolute().parent:
        path = output.absolute()
    if error.errno == errno.ENOSPC:
        return f"The disk is full: {path} could not be written. Free some space, then try again."
    return f"{path} could not be written: {error.strerror or error}."


def _restore_offer(folder: DataFolder) -> list[str]:
    """The latest good backup with data, as the app's trouble dialog offers it."""
    try:
        from sanctuary_desktop.bootstrap import latest_backup_worth_restoring

        backup = latest_backup_worth_restoring(folder.backups)
    except Exception:  # the offer is a courtesy; the trouble itself is already said
        return []
    if backup is None:
        return []
    return [
        f"The latest good backup, of {backup.taken_at.astimezone():%d %b %Y, %H:%M}, "
        f"holds {backup.summary}. To put it back (whatever is in the data file's place is "
        "kept aside first, not deleted):",
        f'  sanctuary-desktop --data-dir "{folder.root}" restore "{backup.path}"',
    ]


def _restore(folder: DataFolder, backup: Path) -> int:
    from sanctuary_desktop.bootstrap import app_holding
    from sanctuary_desktop.services.backups import restore_into_folder

    holder = app_holding(folder)
    if holder is not None:
        print(
            f"error: the app is open with this data folder (process {holder}); close it first",
            file=sys.stderr,
        )
        return 2
    info, kept = restore_into_folder(folder, backup)
    print(f"Restored {backup} ({info.summary}).")
    if kept is not None:
        print(f"The data it replaced is kept as {kept}.")
    return 0


def _restore_to_server(folder: DataFolder, server: str, backup: Path, *, confirmed: bool) -> int:
    """Restore onto a shared server: only with --to-server, after a backup of what the
    server holds; the local data file is never touched."""
    from sanctuary_desktop.bootstrap import database_for
    from sanctuary_desktop.services import backups
    from sanctuary_desktop.services.opening import open_database
    from sanctuary_desktop.store.database import shown_url

    where = shown_url(server)
    if not confirmed:
        print(
            f"error: the data is on the database server {where}, shared with everyone who "
            "uses it. Restoring puts the archive's cohorts there in place of those of the "
            "same name. To go ahead, run the same command with --to-server. Nothing was "
            "changed, on the server or in the data folder.",
            file=sys.stderr,
        )
        return 2
    db = open_database(database_for(folder, server))
    try:
        kept = backups.take(db, "before-restore")
        brought = backups.restore_to_server(db, backup).value
    finally:
        db.dispose()
    print(f"Restored {backup} onto {where} ({brought} cohort(s)).")
    if kept is not None:
        print(f"What the server held before is kept as {kept.path}.")
    return 0


def _dispatch(db: Database, args: argparse.Namespace) -> int:
    from sanctuary_desktop.domain.zones import zone
    from sanctuary_desktop.services import calendar_export, calls, cohorts, demo

    if args.command == "demo":
        present = demo.find_sample(db)
        if present is not None and not args.again:
            print(
                f"The sample cohort is already here (id {present}); "
                "add another copy with: sanctuary-desktop demo --again"
            )
            return 0
        cohort = demo.create_sample(db)
        print(f"Added the sample cohort {cohort.name!r} (id {cohort.id}).")
    elif args.command == "list" and args.what == "cohorts":
        rows = cohorts.list_cohorts(db)
        if not rows:
            print("No cohorts yet. Try: sanctuary-desktop demo")
        for c in rows:
            flag = " (archived)" if c.archived else ""
            print(
                f"{c.id:>4}  {c.name}{flag}  |  {c.home_tz}  |  {c.start_date} to {c.end_date}"
                f"  |  {c.participant_count} people, {c.call_count} calls"
            )
    elif args.command == "list" and args.what == "sessions":
        cohort = cohorts.get_cohort(db, args.cohort)
        home = zone(cohort.home_tz)
        for call in calls.list_cohort_calls(db, args.cohort):
            local = call.starts_at.astimezone(home)
            state = "cancelled" if call.cancelled else f"{call.minutes} min"
            print(
                f"{call.id:>5}  {local:%a %d %b %Y %H:%M} {local.tzname()}"
                f"  |  {call.starts_at.astimezone(UTC):%H:%M} UTC  |  {call.label}  |  {state}"
            )
    elif args.command == "export" and args.kind == "ics":
        count = calendar_export.write_cohort_calendar(
            db, args.cohort, args.output, call_id=args.session
        )
        print(f"Wrote {count} call(s) to {args.output}")
    elif args.command == "export" and args.kind in ("notes", "handout"):
        _export_pdf(db, args)
    elif args.command == "export" and args.kind == "archive":
        from sanctuary_desktop.services import archive

        summary = archive.export_archive(db, args.output, args.cohort)
        print(
            f"Wrote {args.output}: {', '.join(summary.cohorts)} ({summary.participants} people, "
            f"{summary.calls} calls, {summary.notes} notes)"
        )
    elif args.command == "import":
        return _import_archive(db, args)
    elif args.command == "backup":
        from sanctuary_desktop.export.files import write_atomically
        from sanctuary_desktop.services import backups

        info = backups.take(db, "manual")
        if info is None:
            print("error: there is no data to back up yet", file=sys.stderr)
            return 2
        write_atomically(args.output, info.path.read_bytes())
        kind = " (an archive of everything on the server)" if db.is_server else ""
        print(f"Wrote {args.output}{kind}: {info.summary}")
    elif args.command == "check":
        from sanctuary_desktop.services import integrity

        report = integrity.check(db)
        for name, passed, detail in report.checks:
            print(f"{'ok  ' if passed else 'FAIL'}  {name}" + (f": {detail}" if detail else ""))
        print("No problems found." if report.ok else "Problems found; nothing was changed.")
        return 0 if report.ok else 1
    else:  # argparse already refuses anything else
        raise AssertionError(args)
    return 0


def _import_archive(db: Database, args: argparse.Namespace) -> int:
    from sanctuary_desktop.services import archive

    preview = archive.preview_archive(db, args.archive)
    choice = archive.ImportChoice(args.present)
    choices = {
        index: (choice if cohort.already_present else archive.ImportChoice.COPY)
        for index, cohort in enumerate(preview.cohorts)
    }
    result = archive.import_archive(db, args.archive, choices).value
    if result.imported:
        print("Imported " + ", ".join(f"{c.name} (id {c.id})" for c in result.imported))
    if result.skipped:
        print("Skipped, kept the ones already here: " + ", ".join(result.skipped))
    return 0


def _export_pdf(db: Database, args: argparse.Namespace) -> None:
    """The same code the app runs, without a window: build the document, write it whole."""
    from sanctuary_desktop.bootstrap import pdf_preferences
    from sanctuary_desktop.domain.errors import ValidationError
    from sanctuary_desktop.domain.zones import is_valid_zone
    from sanctuary_desktop.export.pdf import PaperSize, write_pdf

    paper_name, zone_name = pdf_preferences(args.settings_file)
    paper = PaperSize(args.paper or paper_name)
    zone_name = args.zone or zone_name
    if not is_valid_zone(zone_name):
        raise ValidationError.single("Zone", f"{zone_name!r} is not a time zone")
    if args.kind == "notes":
        from sanctuary_desktop.services import notes_report

        data = notes_report.session_notes_pdf(
            db, args.session, paper=paper, facilitator_zone=zone_name
        )
    else:
        from sanctuary_desktop.services import handouts

        data = handouts.handout_pdf(
            db,
            args.cohort,
            handouts.Handout(args.which),
            paper=paper,
            facilitator_zone=zone_name,
            zone=args.zone,  # the participants' handouts follow --zone only when it is given
        )
    write_pdf(args.output, data)
    print(f"Wrote {args.output} ({len(data) // 1024} KB)")


if __name__ == "__main__":
    sys.exit(main())
