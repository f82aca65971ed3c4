"""Assemble a running server: settings, engine, migrations, secret, service context."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from . import privacy
from .db.engine import make_engine, make_session_factory
from .db.migrate import upgrade
from .services.context import Context, utcnow
from .settings import Settings, load


def shifted_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that reads `start` now and runs on in real time (`--clock-start`)."""
    offset = start - utcnow()
    return lambda: utcnow() + offset


def open_context(
    db_url: str | None = None,
    *,
    migrate: bool = True,
    engine: Engine | None = None,
    settings: Settings | None = None,
) -> Context:
    """The server's context; the settings are read here (environment and $QUEUE_CONFIG) unless given."""
    settings = settings or load()
    engine = engine or make_engine(settings.database_url(db_url))
    if migrate:
        upgrade(engine)
    return Context(
        sessions=make_session_factory(engine),
        settings=settings,
        id_secret=privacy.load_or_create_secret(settings.secret_path),
    )
