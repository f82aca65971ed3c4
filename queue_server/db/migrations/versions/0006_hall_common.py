"""halls.common: the hall file's short list of common items (常办事项) a kiosk offers first

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 15:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("halls") as batch_op:
        batch_op.add_column(sa.Column("common", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("halls") as batch_op:
        batch_op.drop_column("common")
