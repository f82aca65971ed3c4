"""queue speed: count the live queue from an index; recent service times by item; transfers;
the hall's layout version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE = [
    "hall_id",
    "business_day",
    "status",
    "service_id",
    "priority_class",
    "target_window_id",
    "wait_since",
]


def upgrade() -> None:
    with op.batch_alter_table("halls") as batch_op:
        batch_op.add_column(sa.Column("layout_seq", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index("ix_tickets_queue", QUEUE, unique=False)
        batch_op.create_index("ix_tickets_service_done", ["service_id", "status", "ended_at"], unique=False)
        batch_op.create_index("ix_tickets_target", ["target_window_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("halls") as batch_op:
        batch_op.drop_column("layout_seq")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_target")
        batch_op.drop_index("ix_tickets_service_done")
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index("ix_tickets_queue", ["hall_id", "business_day", "status"], unique=False)
