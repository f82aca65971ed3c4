"""Assemble a running server: engine, migrations, secret, service context."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine

from . import privacy, settings
from .db.engine import make_engine, make_session_factory
from .db.migrate import upgrade
from .services.context import Context


def secret_path() -> Path:
    return Path(os.environ.get("QUEUE_SECRET_FILE") or settings.data_dir() / "id-secret.key")


def open_context(db_url: str | None = None, *, migrate: bool = True, engine: Engine | None = None) -> Context:
    engine = engine or make_engine(settings.database_url(db_url))
    if migrate:
        upgrade(engine)
    return Context(
        sessions=make_session_factory(engine),
        settings={
            "id_secret": privacy.load_or_create_secret(secret_path()),
            "public_url": os.environ.get("QUEUE_PUBLIC_URL", ""),
        },
    )
