"""the wait estimate's recent service times of a whole hall: an index on its latest finished tickets,
and `halls.served_seq` (bumped by every finish) so that each process reads them again only then

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tickets_hall_done", "tickets", ["hall_id", "status", "ended_at"])
    with op.batch_alter_table("halls") as batch:
        batch.add_column(sa.Column("served_seq", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("halls") as batch:
        batch.drop_column("served_seq")
    op.drop_index("ix_tickets_hall_done", table_name="tickets")
