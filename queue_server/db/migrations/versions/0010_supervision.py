"""supervision: staff names and numbers, the clerk of a ticket, rectification cases of bad ratings,
window outcomes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import queue_server.db.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = queue_server.db.types.UTCDateTime


def upgrade() -> None:
    # Plain ADD COLUMN (nullable or with a default): no table rebuild on SQLite, the tickets stay put;
    # so clerk_id (a users.id) has no foreign key, which SQLite could add only by rebuilding.
    op.add_column("users", sa.Column("full_name", sa.String(40), nullable=False, server_default=""))
    op.add_column("users", sa.Column("staff_no", sa.String(20), nullable=False, server_default=""))
    op.add_column("tickets", sa.Column("clerk_id", sa.Integer(), nullable=True))
    op.add_column("evaluations", sa.Column("clerk_id", sa.Integer(), nullable=True))
    op.add_column(
        "evaluations", sa.Column("excluded", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "rectification_cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("halls.id"), nullable=False),
        sa.Column(
            "evaluation_id", sa.Integer(), sa.ForeignKey("evaluations.id"), nullable=False, unique=True
        ),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("opened_at", UTC(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("callback_reached", sa.Boolean(), nullable=True),
        sa.Column("callback_satisfied", sa.Boolean(), nullable=True),
        sa.Column("callback_note", sa.String(500), nullable=True),
        sa.Column("appeal_reason", sa.String(500), nullable=True),
        sa.Column("appeal_by", sa.String(80), nullable=True),
        sa.Column("decision_note", sa.String(500), nullable=True),
        sa.Column("closed_at", UTC(timezone=True), nullable=True),
    )
    op.create_index("ix_cases_hall_status", "rectification_cases", ["hall_id", "status", "due_on"])
    op.create_table(
        "ticket_outcomes",
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("halls.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("owed_by", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("at", UTC(timezone=True), nullable=False),
    )
    op.create_table(
        "report_daily",
        sa.Column("hall_id", sa.Integer(), primary_key=True),
        sa.Column("span", sa.String(5), primary_key=True),
        sa.Column("business_day", sa.Date(), primary_key=True),
        sa.Column("service_id", sa.Integer(), primary_key=True),
        sa.Column("window_id", sa.Integer(), primary_key=True),
        sa.Column("clerk_id", sa.Integer(), primary_key=True),
        sa.Column("counters", sa.JSON(), nullable=False),
    )
    op.create_table(
        "report_days",
        sa.Column("hall_id", sa.Integer(), primary_key=True),
        sa.Column("span", sa.String(5), primary_key=True),
        sa.Column("business_day", sa.Date(), primary_key=True),
        sa.Column("built_at", UTC(timezone=True), nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("halls.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(80), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("fired_at", UTC(timezone=True), nullable=False),
        sa.Column("cleared_at", UTC(timezone=True), nullable=True),
        sa.Column("acked_at", UTC(timezone=True), nullable=True),
        sa.Column("acked_by", sa.String(80), nullable=True),
        sa.Column("resolved_at", UTC(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(80), nullable=True),
        sa.Column("resolution", sa.String(500), nullable=True),
    )
    op.create_index("ix_alerts_hall_active", "alerts", ["hall_id", "cleared_at"])


def downgrade() -> None:
    op.drop_index("ix_alerts_hall_active", "alerts")
    op.drop_table("alerts")
    op.drop_table("report_days")
    op.drop_table("report_daily")
    op.drop_table("ticket_outcomes")
    op.drop_index("ix_cases_hall_status", "rectification_cases")
    op.drop_table("rectification_cases")
    with op.batch_alter_table("evaluations") as b:
        b.drop_column("excluded")
        b.drop_column("clerk_id")
    with op.batch_alter_table("tickets") as b:
        b.drop_column("clerk_id")
    with op.batch_alter_table("users") as b:
        b.drop_column("staff_no")
        b.drop_column("full_name")
