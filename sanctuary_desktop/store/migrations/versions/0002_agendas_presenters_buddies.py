"""A facilitator's own protocols, call agendas, presenter slots and buddy cycles.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "protocols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocols")),
        sa.UniqueConstraint("key", name=op.f("uq_protocols_key")),
    )
    op.create_table(
        "buddy_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("after_call_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["after_call_id"],
            ["calls.id"],
            name=op.f("fk_buddy_cycles_after_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_buddy_cycles_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_cycles")),
        sa.UniqueConstraint("after_call_id", name=op.f("uq_buddy_cycles_after_call_id")),
    )
    with op.batch_alter_table("buddy_cycles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buddy_cycles_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "call_agendas",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("protocol_key", sa.String(length=64), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_agendas_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_agendas")),
    )
    op.create_table(
        "presenter_slots",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("fixed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_presenter_slots_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_presenter_slots_participant_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("call_id", "slot", name=op.f("pk_presenter_slots")),
    )
    with op.batch_alter_table("presenter_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_presenter_slots_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "buddy_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("happened", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["buddy_cycles.id"],
            name=op.f("fk_buddy_groups_cycle_id_buddy_cycles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_groups")),
    )
    with op.batch_alter_table("buddy_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buddy_groups_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "buddy_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["buddy_groups.id"],
            name=op.f("fk_buddy_members_group_id_buddy_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_buddy_members_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "participant_id", name=op.f("pk_buddy_members")),
    )
    with op.batch_alter_table("buddy_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_buddy_members_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("buddy_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buddy_members_participant_id"))

    op.drop_table("buddy_members")
    with op.batch_alter_table("buddy_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buddy_groups_cycle_id"))

    op.drop_table("buddy_groups")
    with op.batch_alter_table("presenter_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presenter_slots_participant_id"))

    op.drop_table("presenter_slots")
    op.drop_table("call_agendas")
    with op.batch_alter_table("buddy_cycles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buddy_cycles_cohort_id"))

    op.drop_table("buddy_cycles")
    op.drop_table("protocols")
