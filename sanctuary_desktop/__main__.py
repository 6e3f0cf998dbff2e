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
    commands.add_parser("demo", help="add the sample cohort to the data folder")

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


def run_headless(args: argparse.Namespace) -> int:
    from sanctuary_desktop.bootstrap import configure_logging, data_folder, database_for
    from sanctuary_desktop.domain.errors import ValidationError

    folder = data_folder(args.data_dir)
    configure_logging(folder, verbose=args.verbose)
    if args.command == "restore":
        return _restore(folder, args.backup)
    db = database_for(folder, args.database_url)
    args.settings_file = folder.root / "settings.ini"
    try:
        db.migrate()
        return _dispatch(db, args)
    except ValidationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _restore(folder: DataFolder, backup: Path) -> int:
    from sanctuary_desktop.bootstrap import app_holding
    from sanctuary_desktop.store.backups import BackupProblem, inspect_backup, restore_backup
    from sanctuary_desktop.store.database import Database

    holder = app_holding(folder)
    if holder is not None:
        print(
            f"error: the app is open with this data folder (process {holder}); close it first",
            file=sys.stderr,
        )
        return 2
    try:
        info = inspect_backup(backup)
        kept = restore_backup(backup, folder.database, folder.backups)
    except (BackupProblem, OSError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    db = Database(folder.sqlite_url, backups_dir=folder.backups)
    try:
        db.migrate()  # an older backup is brought up to this version
    finally:
        db.dispose()
    print(f"Restored {backup} ({info.summary}).")
    if kept is not None:
        print(f"The data it replaced is kept as {kept}.")
    return 0


def _dispatch(db: Database, args: argparse.Namespace) -> int:
    from sanctuary_desktop.domain.zones import zone
    from sanctuary_desktop.services import calendar_export, calls, cohorts, demo

    if args.command == "demo":
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
            print("error: backups are for the local database file", file=sys.stderr)
            return 2
        write_atomically(args.output, info.path.read_bytes())
        print(f"Wrote {args.output}: {info.summary}")
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
            db, args.cohort, handouts.Handout(args.which), paper=paper, facilitator_zone=zone_name
        )
    write_pdf(args.output, data)
    print(f"Wrote {args.output} ({len(data) // 1024} KB)")


if __name__ == "__main__":
    sys.exit(main())
