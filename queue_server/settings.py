"""The server's settings: one typed, validated object, read once at start-up.

Each field can be set in an optional TOML file named by $QUEUE_CONFIG (keys as the field names) and
by an environment variable QUEUE_<FIELD IN CAPITALS>; the environment wins over the file, the file
over the defaults here. The README's settings table is generated from this model (`markdown_table`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "QUEUE_"
CONFIG_ENV = "QUEUE_CONFIG"


class SettingsError(Exception):
    """Settings that cannot be used; the message names each bad value, for people."""


class Settings(BaseModel):
    # Assignments are validated too: tests set values on this very object.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    data_dir: Path = Field(Path("data"), description="data directory (SQLite file, ID secret)")
    db_url: str = Field("", description="database URL; empty: an SQLite file in the data directory")
    secret_file: Path | None = Field(
        None, description="key of the ID-number hashes; default data_dir/id-secret.key"
    )
    public_url: str = Field(
        "", description="the server's address as citizens' phones reach it (ticket QR codes)"
    )
    token_hours: int = Field(12, ge=1, le=24 * 31, description="staff sign-in token lifetime, hours")
    retention_days: int = Field(180, ge=1, description="personal data of tickets kept this many days")
    login_max_failures: int = Field(
        5, ge=1, le=100, description="failed sign-ins of one username from one address before that pair waits"
    )
    lockout_minutes: int = Field(
        15, ge=1, le=24 * 60, description="how long a username-and-address pair waits after too many failures"
    )
    login_failures_per_address: int = Field(
        20, ge=1, le=10_000, description="failed sign-ins per minute from one address (any usernames)"
    )
    login_table_size: int = Field(
        10_000, ge=100, le=1_000_000, description="addresses and pairs the sign-in throttle remembers at most"
    )
    login_refusal_delay: float = Field(
        1, ge=0, le=60, description="seconds a refused (429) sign-in is held before its answer"
    )
    hash_workers: int = Field(
        1, ge=1, le=64, description="password hashes computed at once (each takes argon2_memory_kib)"
    )
    hash_queue: int = Field(
        8, ge=0, le=1000, description="sign-ins that may wait for a hash worker; more are refused (429)"
    )
    hash_reserved: int = Field(
        2,
        ge=0,
        le=100,
        description="waiting places, served first, for sign-ins from addresses with a success in 7 days",
    )
    argon2_time_cost: int = Field(3, ge=1, le=50, description="argon2id passes")
    argon2_memory_kib: int = Field(
        65536, ge=8, le=4 * 1024 * 1024, description="argon2id memory per hash, KiB"
    )
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="largest request body accepted (413 above)"
    )
    backup_dir: Path | None = Field(
        None, description="where `queue-server backup` writes; default data_dir/backups"
    )
    backup_keep: int = Field(
        14, ge=1, le=3650, description="automatic backups kept (`queue-server backup --auto`)"
    )
    case_due_working_days: int = Field(
        15, ge=1, le=120, description="working days to settle the rectification case of a bad rating"
    )
    alert_interval: float = Field(
        10, gt=0, le=3600, description="seconds between checks of the live alerts' conditions"
    )
    metrics_token: str = Field(
        "", description="bearer token of /metrics (Prometheus); empty: /metrics is off"
    )
    sse_heartbeat: float = Field(
        15, gt=0, le=3600, description="seconds between keep-alive lines on event streams"
    )
    stream_recheck: float = Field(
        60, gt=0, le=86400, description="seconds between re-checks of an event stream's token"
    )
    booking_workers: int = Field(
        4, ge=1, le=64, description="bookings worked on at once per process; more wait (kiosks keep the rest)"
    )

    @field_validator("db_url", "public_url")
    @classmethod
    def _no_spaces(cls, value: str) -> str:
        if value != value.strip() or any(c.isspace() for c in value):
            raise ValueError("no spaces allowed in a URL")
        return value

    @property
    def data_path(self) -> Path:
        """The data directory, created if missing."""
        path = self.data_dir.resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def secret_path(self) -> Path:
        return self.secret_file or self.data_path / "id-secret.key"

    @property
    def backup_path(self) -> Path:
        return self.backup_dir or self.data_path / "backups"

    def database_url(self, cli_value: str | None = None) -> str:
        """`--db URL`, else the setting, else an SQLite file in the data directory."""
        return cli_value or self.db_url or f"sqlite:///{self.data_path / 'queue.sqlite3'}"


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from $QUEUE_CONFIG's file and the environment; SettingsError if any is invalid."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if path := environ.get(CONFIG_ENV):
        try:
            values.update(tomllib.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(
                f"设置文件 {path} 无法读取 / settings file {path} cannot be read: {exc}"
            ) from None
    for field in Settings.model_fields:
        if (value := environ.get(env_name(field))) is not None:
            values[field] = value
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(_readable(exc)) from None


def _readable(exc: ValidationError) -> str:
    lines = ["设置有误，请修正后再启动 / invalid settings, correct them and start again:"]
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        where = f"{field} ({env_name(field)})" if field in Settings.model_fields else field
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def markdown_table() -> str:
    """The README's table of settings, generated from the model (a test keeps the README in step)."""
    rows = ["| Setting (file key) | Environment | Default | Meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "—" if field.default in (None, "") else f"`{field.default}`"
        rows.append(f"| `{name}` | `{env_name(name)}` | {default} | {field.description} |")
    return "\n".join(rows)
