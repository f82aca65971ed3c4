"""indexes for the staff screens' hot queries: a window's current ticket, today's latest calls

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tickets_window_status", "tickets", ["window_id", "status"])
    op.create_index("ix_tickets_recent_calls", "tickets", ["hall_id", "business_day", "called_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_recent_calls", table_name="tickets")
    op.drop_index("ix_tickets_window_status", table_name="tickets")
