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

# What the facilitators noted at each call, in the cohort's own words: every call has its
# own (kind, stage, text, themes, whose action). Calls 1 and 3 each miss one person (see
# create_sample), and their notes say so.
_Note = tuple[NoteKind, str, str, tuple[str, ...], str]
_CALL_NOTES: tuple[tuple[_Note, ...], ...] = (
    (  # Call 1: Zoë away
        (
            NoteKind.NOTE,
            "Check-in round",
            "First call. Aroha joined at six in the morning from Auckland; Zoë sent apologies "
            "from fieldwork on the estuary. Most of us named tiredness before anything else.",
            ("burnout",),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 1: Generative discussion",
            "Funders want outcomes on a grant cycle; the system moves on a generational one. "
            "Chloé's trust holds easements forever on two-year money.",
            ("funding", "time horizons"),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Round 1: What resonated",
            "“I came wanting to be told what to do, and what helped was hearing you all "
            "wonder aloud.”",
            ("peer input",),
            "",
        ),
        (
            NoteKind.ACTION,
            "Buddies and next steps",
            "Share the Water Circle's consent protocol with the group before the next call.",
            ("relationships",),
            "Jordan Whitehorse",
        ),
    ),
    (  # Call 2
        (
            NoteKind.NOTE,
            "Arrive: meditation",
            "Siobhán rang the bell today; the silence ran a minute long and nobody minded.",
            ("ritual",),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 1: Generative discussion",
            "Amélie's river committee has six agencies at the table and nobody who can say "
            "yes: the convening role carries the work but not the mandate.",
            ("governance", "power"),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Round 1: What resonated",
            "“I don't have to hold the whole watershed on my own shoulders.”",
            ("burnout",),
            "",
        ),
        (
            NoteKind.ACTION,
            "Buddies and next steps",
            "Compare seed-sharing agreements with Mere on the buddy call; bring one question "
            "back to the group.",
            ("seeds",),
            "Tewodros Bekele",
        ),
    ),
    (  # Call 3: Aroha away
        (
            NoteKind.NOTE,
            "Check-in round",
            "Aroha sent apologies: a tangi for her aunt, back home at the marae. Mere lit a "
            "candle for her before we began.",
            ("relationships",),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 2: Generative discussion",
            "Tewodros named the trap in plain words: every new partner is one more person "
            "who only trusts him. The network grows and he becomes its bottleneck.",
            ("leadership", "burnout"),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Round 1: What resonated",
            "“We keep calling it a capacity problem. It is a patience problem, and patience "
            "is in nobody's budget.”",
            ("time horizons", "funding"),
            "",
        ),
        (
            NoteKind.ACTION,
            "Buddies and next steps",
            "Share the draft learning agenda with the board before the next call.",
            ("governance",),
            "Siobhán O'Connell",
        ),
    ),
    (  # Call 4
        (
            NoteKind.NOTE,
            "Check-in round",
            "Energy low after the wildfire season; Zoë and Chloé both joined from the road, "
            "and Zoë had slept four hours.",
            ("burnout",),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 1: Generative discussion",
            "Jordan's board wants a five-year plan for a lake whose water takes a century to "
            "turn over; the group wondered what a plan at the lake's pace would ask of them.",
            ("time horizons", "governance"),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 2: Generative discussion",
            "Mere's alliance now asks the Traditional Owners what they need before asking "
            "them for anything. Indigenous-led stewardship keeps appearing as the missing "
            "partner, not the add-on.",
            ("relationships", "power"),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Closing round",
            "“Slow is smooth, smooth is fast.”",
            ("time horizons", "burnout"),
            "",
        ),
    ),
    (  # Call 5: Tewodros away
        (
            NoteKind.NOTE,
            "Check-in round",
            "Tewodros sent apologies: the network's harvest gathering in the highlands, with "
            "no signal. Mere is back from leave and glad of it.",
            ("seeds",),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 1: Generative discussion",
            "Chloé's steward role is really three roles (the land, the neighbours, the "
            "lawyers), and she has carried all three alone since spring.",
            ("leadership",),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Round 2: What resonated",
            "« Je pensais que c'était un problème de financement ; c'est un problème de "
            "confiance. » (I thought it was a funding problem; it is a trust problem.)",
            ("funding", "relationships"),
            "",
        ),
        (
            NoteKind.ACTION,
            "Buddies and next steps",
            "Write the steward role up as three roles and bring the draft to the buddy call.",
            ("leadership",),
            "Chloé Nguyễn",
        ),
    ),
    (  # Call 6
        (
            NoteKind.INSIGHT,
            "Round 1: Generative discussion",
            "Mere's alliance measures the river by the return of the eels; the funder counts "
            "events held. The group suggested reporting both, side by side.",
            ("funding", "measures"),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Round 1: What resonated",
            "“Nobody gave me a single piece of advice, and I know exactly what I'm doing on "
            "Monday.”",
            ("peer input",),
            "",
        ),
        (
            NoteKind.NOTE,
            "Buddies and next steps",
            "Siobhán and Amélie asked to stay buddies for another cycle: the same question, "
            "halfway through.",
            ("buddies",),
            "",
        ),
        (
            NoteKind.ACTION,
            "Buddies and next steps",
            "Draft the two-column report, eels beside events, and share it with the group.",
            ("measures",),
            "Mere Tūhoe-Walker",
        ),
    ),
    (  # Call 7: Amélie away
        (
            NoteKind.NOTE,
            "Check-in round",
            "Last call. Amélie sent a voice note from Montréal to be played at the close; "
            "the group asked to keep meeting after the cohort ends.",
            ("endings",),
            "",
        ),
        (
            NoteKind.INSIGHT,
            "Round 1: Generative discussion",
            "What changed over seven months was less the problems than who each of us calls "
            "about them.",
            ("relationships",),
            "",
        ),
        (
            NoteKind.QUOTE,
            "Closing round",
            "“Ka mua, ka muri: we walk backwards into the future, facing all we were given.”",
            ("endings", "time horizons"),
            "",
        ),
        (
            NoteKind.ACTION,
            "Buddies and next steps",
            "Host the first call the group runs on its own, in three months, at an hour that "
            "works from Auckland to Vancouver.",
            ("endings",),
            "Tewodros Bekele",
        ),
    ),
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
            video_link="https://meet.jit.si/tending-the-commons-peer-circle",
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
    ids = {person.name: person.id for person in people}
    for n, call in enumerate(c for c in series if c.starts_at < held_before):
        absent = {people[(n * 3 + 1) % len(people)].id} if n % 2 == 0 else set()
        present = {p.id for p in people} - absent
        records.record_attendance(db, call.id, present)
        for k, (kind, stage, text, tags, owner_name) in enumerate(_CALL_NOTES[n]):
            owner = ids[owner_name] if owner_name else None
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
