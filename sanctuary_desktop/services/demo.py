"""A realistic sample cohort, made through the same services a facilitator uses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sanctuary_desktop.domain.cohort import CohortDraft, IntakeStatus, ParticipantDraft
from sanctuary_desktop.domain.protocols import DEFAULT_PROTOCOL_KEY
from sanctuary_desktop.domain.schedule import Cadence, CadenceKind
from sanctuary_desktop.services import agendas, buddies, calls, cohorts, presenters, records, roster
from sanctuary_desktop.services.records import NoteKind
from sanctuary_desktop.services.views import CohortView
from sanctuary_desktop.store.database import Database

SAMPLE_NAME = "Tending the Commons — peer circle"

_PEOPLE = (
    (
        "Chloé Nguyễn",
        "chloe@salishshore.example",
        "Salish Shore Land Trust",
        "America/Vancouver",
        6,
    ),
    ("Zoë Fraser", "zoe@coastcarbon.example", "Coast Carbon Collective", "America/Vancouver", 4),
    (
        "Jordan Whitehorse",
        "jordan@greatlakeswater.example",
        "Great Lakes Water Circle",
        "America/Toronto",
        9,
    ),
    ("Amélie Côté", "amelie@fleuvevivant.example", "Fleuve Vivant, Montréal", "America/Toronto", 3),
    (
        "Siobhán O'Connell",
        "siobhan@commonground.example",
        "Common Ground Trust",
        "Europe/London",
        12,
    ),
    (
        "Tewodros Bekele",
        "tewodros@highlandseeds.example",
        "Highland Seeds Network",
        "Africa/Addis_Ababa",
        7,
    ),
    (
        "Mere Tūhoe-Walker",
        "mere@yarraflows.example",
        "Yarra Flows Alliance",
        "Australia/Melbourne",
        5,
    ),
    ("Aroha Ngātai", "aroha@awaora.example", "Awa Ora Catchment Trust", "Pacific/Auckland", 8),
)

_NOTES = (
    (
        NoteKind.INSIGHT,
        "Round 1: generative discussion",
        "Funders want outcomes on a grant cycle; the system moves on a generational one.",
        ("funding", "time horizons"),
    ),
    (
        NoteKind.QUOTE,
        "Round 1: what resonated",
        "“I don't have to hold the whole watershed on my own shoulders.”",
        ("burnout",),
    ),
    (
        NoteKind.ACTION,
        "Buddies and next steps",
        "Share the draft learning agenda with the board before the next call.",
        ("governance",),
    ),
    (
        NoteKind.INSIGHT,
        "Round 2: generative discussion",
        "Indigenous-led stewardship keeps appearing as the missing partner, not the add-on.",
        ("relationships", "power"),
    ),
    (
        NoteKind.NOTE,
        "Check-in round",
        "Energy low after the wildfire season; two people joined from the road.",
        ("burnout",),
    ),
    (NoteKind.QUOTE, "Closing round", "“Slow is smooth, smooth is fast.”", ("time horizons",)),
)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def find_sample(db: Database) -> int | None:
    """The sample cohort already in this database (the newest, if copies were made)."""
    from sqlalchemy import select

    from sanctuary_desktop.store.models import Cohort

    with db.reading() as session:
        return session.scalar(
            select(Cohort.id)
            .where(Cohort.name == SAMPLE_NAME)
            .order_by(Cohort.archived, Cohort.id.desc())
            .limit(1)
        )


def create_sample(db: Database, today: date | None = None) -> CohortView:
    """Eight people from Vancouver to Auckland, seven monthly calls, the past ones held."""
    today = today or datetime.now(UTC).date()
    start = _months_before(today, 3)
    cohort = cohorts.create_cohort(
        db,
        CohortDraft(
            name=SAMPLE_NAME,
            focus="Leaders of land, water and climate stewardship work, two years in or more",
            facilitators="Maya Okafor, Léa Tremblay",
            home_tz="America/Vancouver",
            start_date=start,
            end_date=start + timedelta(days=215),
            call_minutes=90,
            notes="Sample cohort: explore freely, or delete it from the Cohort menu.",
        ),
    ).value
    drafts = [
        ParticipantDraft(
            name=name,
            email=email,
            organisation=org,
            time_zone=tz,
            years_in_practice=years,
            status=IntakeStatus.ACCEPTED,
            interview_date=start - timedelta(days=21 + 3 * i),
        )
        for i, (name, email, org, tz, years) in enumerate(_PEOPLE)
    ]
    people = roster.import_participants(db, cohort.id, drafts).value
    roster.add_participant(
        db,
        cohort.id,
        ParticipantDraft(
            name="Hana Sato 佐藤花",
            email="hana@satoyama.example",
            organisation="Satoyama Futures",
            time_zone="Asia/Tokyo",
            years_in_practice=2,
            status=IntakeStatus.WITHDRAWN,
            notes="Withdrew after the first call: new role, hopes to join the next intake.",
        ),
    )
    series = calls.generate_series(
        db,
        cohort.id,
        Cadence(
            kind=CadenceKind.MONTHLY_WEEKDAY,
            first_date=start,
            local_time=time(9, 0),
            zone="America/Vancouver",
            count=7,
            weekday=3,
            week_of_month=1,
        ),
    ).value
    for call in series:
        agendas.apply_protocol(db, call.id, DEFAULT_PROTOCOL_KEY)
    # Planned from the start, as the facilitators would have done before the first call.
    presenters.fill_presenters(db, cohort.id, now=datetime.combine(start, time(0), UTC))
    held_before = datetime.combine(today, time(0), UTC)
    for n, call in enumerate(c for c in series if c.starts_at < held_before):
        absent = {people[(n * 3 + 1) % len(people)].id} if n % 2 == 0 else set()
        present = {p.id for p in people} - absent
        records.record_attendance(db, call.id, present)
        for k in range(4):
            kind, stage, text, tags = _NOTES[(n + k) % len(_NOTES)]
            owner = people[(n + k) % len(people)].id if kind is NoteKind.ACTION else None
            records.add_note(
                db,
                call.id,
                text,
                kind=kind,
                stage=stage,
                owner_id=owner,
                tags=tags,
                created_at=call.starts_at + timedelta(minutes=10 + 18 * k),
            )
    buddies.generate_missing(db, cohort.id)
    return cohort
