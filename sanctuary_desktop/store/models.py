"""The tables. A "session" in DESIGN.md is a `Call` here: SQLAlchemy already owns the word."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sanctuary_desktop.domain.limits import MAX_LINK
from sanctuary_desktop.store.types import UTCDateTime, WallTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    focus: Mapped[str] = mapped_column(Text, default="")
    facilitators: Mapped[str] = mapped_column(Text, default="")
    home_tz: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    call_minutes: Mapped[int] = mapped_column(Integer, default=90)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The cohort's video-call link (schema 0006); a call's own link overrides it.
    video_link: Mapped[str] = mapped_column(String(MAX_LINK), default="", server_default="")
    day_start: Mapped[time] = mapped_column(WallTime, default=time(7, 0))
    day_end: Mapped[time] = mapped_column(WallTime, default=time(22, 0))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    participants: Mapped[list[Participant]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )
    calls: Mapped[list[Call]] = relationship(
        back_populates="cohort",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Call.starts_at",
    )


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        # NULL emails never collide, so people without an address are allowed.
        UniqueConstraint("cohort_id", "email", name="uq_participants_cohort_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    time_zone: Mapped[str] = mapped_column(String(64))
    years_in_practice: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="applied")
    interview_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    cohort: Mapped[Cohort] = relationship(back_populates="participants")


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # This call's own video-call link (schema 0006); empty: the cohort's.
    video_link: Mapped[str] = mapped_column(String(MAX_LINK), default="", server_default="")
    # Bumped whenever the call moves, so calendars update the event they already have.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    cohort: Mapped[Cohort] = relationship(back_populates="calls")
    attendance: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    call_notes: Mapped[list[Note]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Note.created_at"
    )
    # Read only, loaded with the calls: a call whose live run is finished is held.
    live_run: Mapped[LiveRun | None] = relationship(viewonly=True, lazy="selectin")


class Attendance(Base):
    __tablename__ = "attendance"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    present: Mapped[bool] = mapped_column(Boolean, default=True)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="note")
    text: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True, index=True
    )
    tags: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class SavedProtocol(Base):
    """A facilitator's own protocol (a copy of a built-in, or imported). Built-ins are
    package data and are never stored."""

    __tablename__ = "protocols"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The protocol in its shareable file format, so export and storage cannot drift apart.
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class CallAgenda(Base):
    """A call's own agenda: built from a protocol, then edited for this call only."""

    __tablename__ = "call_agendas"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    protocol_key: Mapped[str] = mapped_column(String(64))
    items: Mapped[str] = mapped_column(Text)  # JSON list of agenda items
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class PresenterSlot(Base):
    __tablename__ = "presenter_slots"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)  # round number, from 1
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Chosen by the facilitator by hand: the planner keeps it.
    fixed: Mapped[bool] = mapped_column(Boolean, default=False)


class BuddyCycle(Base):
    """The catch-ups between one call and the next."""

    __tablename__ = "buddy_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    after_call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    groups: Mapped[list[BuddyGroup]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="BuddyGroup.position"
    )


class BuddyGroup(Base):
    __tablename__ = "buddy_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("buddy_cycles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    happened: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: not known yet
    note: Mapped[str] = mapped_column(Text, default="")
    # Made or changed by hand: re-planning keeps it (schema 0005).
    fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    members: Mapped[list[BuddyMember]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class BuddyMember(Base):
    __tablename__ = "buddy_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("buddy_groups.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LiveRun(Base):
    """One live run of a call: the agenda as it began, and the timer's event log."""

    __tablename__ = "live_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    items: Mapped[str] = mapped_column(Text)  # JSON agenda, as the run started
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime)
    call_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    events: Mapped[list[RunEvent]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="RunEvent.seq"
    )


class RunEvent(Base):
    """One transition of the live timer, written the moment it happens."""

    __tablename__ = "live_events"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("live_runs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Integer, default=0)
    numbers: Mapped[str] = mapped_column(String(4000), default="")  # comma-separated
