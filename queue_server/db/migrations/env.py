"""Alembic environment: runs on the connection handed over by `queue_server.db.migrate`."""

from alembic import context

from queue_server.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `queue-server migrate`")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
