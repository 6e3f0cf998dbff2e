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

    notes = kinds.add_parser("notes", help="session notes (PDF) of one call")
    notes.add_argument("--session", type=int, required=True, metavar="ID")
    _pdf_options(notes)
    handout = kinds.add_parser("handout", help="a printed handout (PDF) for a cohort")
    handout.add_argument("which", choices=HANDOUTS, metavar="|".join(HANDOUTS))
    handout.add_argument("--cohort", type=int, required=True, metavar="ID")
    _pdf_options(handout)
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
    else:  # argparse already refuses anything else
        raise AssertionError(args)
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
