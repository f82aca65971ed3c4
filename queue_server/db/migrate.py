"""Apply the Alembic migrations to a database (the same migrations on SQLite and PostgreSQL)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    if engine.dialect.name == "sqlite":
        from .backup import use_incremental_vacuum

        use_incremental_vacuum(engine)  # before the schema: a new file needs no rebuild
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
