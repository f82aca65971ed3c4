"""appointments (网上预约), slots, a manager's day changes; staff-given priority; missed-call reactivation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import queue_server.db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = queue_server.db.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("halls") as batch_op:
        batch_op.add_column(sa.Column("appointments", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("priority_classes", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("reactivate_min", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("rejoin_behind", sa.Integer(), server_default="3", nullable=False))
    op.execute("UPDATE halls SET priority_classes = '[]'")
    with op.batch_alter_table("halls") as batch_op:
        batch_op.alter_column("priority_classes", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("priority_kind", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("priority_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("reactivated_at", UTC(timezone=True), nullable=True))
    with op.batch_alter_table("services") as batch_op:
        batch_op.add_column(sa.Column("appointment", sa.JSON(), nullable=True))
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("slot_start", UTC(timezone=True), nullable=False),
        sa.Column("slot_end", UTC(timezone=True), nullable=False),
        sa.Column("checkin_from", UTC(timezone=True), nullable=False),
        sa.Column("checkin_until", UTC(timezone=True), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("changed_at", UTC(timezone=True), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_masked", sa.String(length=24), nullable=False),
        sa.Column("name_masked", sa.String(length=40), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("phone_masked", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("token"),
        sa.UniqueConstraint("hall_id", "idempotency_key"),
    )
    op.create_index(
        "ux_appointments_live",
        "appointments",
        ["service_id", "id_hash"],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )
    op.create_index("ix_appointments_person", "appointments", ["id_hash", "slot_start"])
    op.create_index("ix_appointments_due", "appointments", ["hall_id", "status", "checkin_until"])
    op.create_table(
        "slot_counts",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", UTC(timezone=True), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("service_id", "slot_start"),
    )
    op.create_table(
        "slot_days",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("changed_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.PrimaryKeyConstraint("service_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("slot_days")
    op.drop_table("slot_counts")
    op.drop_index("ix_appointments_due", table_name="appointments")
    op.drop_index("ix_appointments_person", table_name="appointments")
    op.drop_index("ux_appointments_live", table_name="appointments")
    op.drop_table("appointments")
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("appointment")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("reactivated_at")
        batch_op.drop_column("priority_reason")
        batch_op.drop_column("priority_kind")
    with op.batch_alter_table("halls") as batch_op:
        batch_op.drop_column("rejoin_behind")
        batch_op.drop_column("reactivate_min")
        batch_op.drop_column("priority_classes")
        batch_op.drop_column("appointments")
