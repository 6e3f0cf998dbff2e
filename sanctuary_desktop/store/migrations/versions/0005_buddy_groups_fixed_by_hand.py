"""Buddy groups made by hand are marked, so re-planning keeps them.

Existing groups are taken as planned by the app (not fixed): re-planning may change
them, as "Plan pairs" could before. No table is rebuilt, so the notes' full-text
triggers (0004) are untouched.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "buddy_groups",
        sa.Column("fixed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("buddy_groups") as batch:
        batch.drop_column("fixed")
