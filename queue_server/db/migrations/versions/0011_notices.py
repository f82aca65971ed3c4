"""notices: the hall displays' ticker (公告), written by managers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import queue_server.db.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = queue_server.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hall_id", sa.Integer(), sa.ForeignKey("halls.id"), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("text_en", sa.String(300), nullable=False),
        sa.Column("starts_at", UTC(timezone=True), nullable=True),
        sa.Column("ends_at", UTC(timezone=True), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
    )
    op.create_index("ix_notices_hall", "notices", ["hall_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_notices_hall", table_name="notices")
    op.drop_table("notices")
