"""Cohorts and calls gain a video-call link (`video_link`), empty for rows already
stored. A call's own link overrides its cohort's. Columns are added, no table is
rebuilt, so foreign keys and the notes' full-text triggers (0004) are untouched.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# domain.limits.MAX_LINK when this migration was written; a migration never changes.
MAX_LINK = 2000


def upgrade() -> None:
    for table in ("cohorts", "calls"):
        op.add_column(
            table,
            sa.Column("video_link", sa.String(MAX_LINK), nullable=False, server_default=""),
        )


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+): no table is rebuilt, so no child row is lost
    # to a cascade.
    for table in ("calls", "cohorts"):
        op.drop_column(table, "video_link")
