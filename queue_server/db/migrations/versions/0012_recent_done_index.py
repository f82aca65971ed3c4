"""index for the wait estimate's recent service times of a whole hall (its latest finished tickets)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tickets_hall_done", "tickets", ["hall_id", "status", "ended_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_hall_done", table_name="tickets")
