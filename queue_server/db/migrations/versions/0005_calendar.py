"""business calendar: national holidays and adjusted working days; one-off closures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import queue_server.db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=120), nullable=False),
        sa.Column("reason_en", sa.String(length=200), nullable=False),
        sa.Column("created_at", queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("closures") as batch_op:
        batch_op.create_index("ix_closures_hall_end", ["hall_id", "ends_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("closures") as batch_op:
        batch_op.drop_index("ix_closures_hall_end")
    op.drop_table("closures")
    op.drop_table("calendar_days")
