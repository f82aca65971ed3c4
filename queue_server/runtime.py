"""Assemble a running server: engine, migrations, secret, service context."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from . import privacy, settings
from .db.engine import make_engine, make_session_factory
from .db.migrate import upgrade
from .services.context import Context, utcnow


def secret_path() -> Path:
    return Path(os.environ.get("QUEUE_SECRET_FILE") or settings.data_dir() / "id-secret.key")


def access_settings() -> dict[str, int]:
    """Token lifetime, lockout and retention; each can be set by an environment variable."""
    defaults = {
        "token_hours": ("QUEUE_TOKEN_HOURS", 12),
        "login_max_failures": ("QUEUE_LOGIN_MAX_FAILURES", 5),
        "lockout_minutes": ("QUEUE_LOCKOUT_MINUTES", 15),
        "retention_days": ("QUEUE_RETENTION_DAYS", 180),
    }
    return {key: int(os.environ.get(env, default)) for key, (env, default) in defaults.items()}


def shifted_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that reads `start` now and runs on in real time (`--clock-start`)."""
    offset = start - utcnow()
    return lambda: utcnow() + offset


def open_context(db_url: str | None = None, *, migrate: bool = True, engine: Engine | None = None) -> Context:
    engine = engine or make_engine(settings.database_url(db_url))
    if migrate:
        upgrade(engine)
    return Context(
        sessions=make_session_factory(engine),
        settings={
            "id_secret": privacy.load_or_create_secret(secret_path()),
            "public_url": os.environ.get("QUEUE_PUBLIC_URL", ""),
            **access_settings(),
        },
    )
