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
    return parser


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
    else:  # argparse already refuses anything else
        raise AssertionError(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
