"""One settings object: defaults, a TOML file, the environment over it, clear errors, the README table."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from queue_server import settings as settings_module
from queue_server.runtime import open_context
from queue_server.settings import Settings, SettingsError, load, markdown_table
from tests.conftest import ROOT


def test_defaults() -> None:
    s = load({})
    assert s == Settings()
    assert (s.token_hours, s.login_max_failures, s.lockout_minutes, s.retention_days) == (12, 5, 15, 180)
    assert (s.argon2_time_cost, s.argon2_memory_kib, s.sse_heartbeat, s.stream_recheck) == (3, 65536, 15, 60)
    assert s.database_url() == f"sqlite:///{Path('data').resolve() / 'queue.sqlite3'}"
    assert s.database_url("postgresql://x@h/db") == "postgresql://x@h/db"  # --db wins


def test_file_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        'token_hours = 8\npublic_url = "https://q.example.cn"\nhash_workers = 2\n', encoding="utf-8"
    )
    s = load({"QUEUE_CONFIG": str(config), "QUEUE_TOKEN_HOURS": "4", "QUEUE_DATA_DIR": str(tmp_path)})
    assert (s.token_hours, s.public_url, s.hash_workers) == (4, "https://q.example.cn", 2)
    assert s.secret_path == tmp_path / "id-secret.key"
    assert s.database_url() == f"sqlite:///{tmp_path / 'queue.sqlite3'}"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"QUEUE_TOKEN_HOURS": "twelve"}, "token_hours (QUEUE_TOKEN_HOURS)"),
        ({"QUEUE_HASH_WORKERS": "0"}, "hash_workers (QUEUE_HASH_WORKERS)"),
        ({"QUEUE_SSE_HEARTBEAT": "nan"}, "sse_heartbeat (QUEUE_SSE_HEARTBEAT)"),
        ({"QUEUE_PUBLIC_URL": "http://a b"}, "public_url (QUEUE_PUBLIC_URL)"),
    ],
)
def test_invalid_values_are_named(environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load(environ)
    assert named in str(refused.value) and str(refused.value).startswith("设置有误")


def test_unknown_keys_and_broken_files_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text("token_hour = 8\n", encoding="utf-8")  # a typo must not pass unnoticed
    with pytest.raises(SettingsError, match="token_hour: Extra inputs"):
        load({"QUEUE_CONFIG": str(config)})
    config.write_text("token_hours = \n", encoding="utf-8")
    with pytest.raises(SettingsError, match="cannot be read"):
        load({"QUEUE_CONFIG": str(config)})
    with pytest.raises(SettingsError, match="cannot be read"):
        load({"QUEUE_CONFIG": str(tmp_path / "missing.toml")})


def test_the_context_carries_the_settings_read_at_start(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    monkeypatch.setenv("QUEUE_TOKEN_HOURS", "3")
    monkeypatch.setenv("QUEUE_ARGON2_MEMORY_KIB", "64")
    ctx = open_context(sqlite_url)
    monkeypatch.setenv("QUEUE_TOKEN_HOURS", "5")  # read once: later changes do not leak in
    assert ctx.settings.token_hours == 3
    assert ctx.passwords._hasher.memory_cost == 64
    with pytest.raises(ValueError):
        ctx.settings.token_hours = 0  # assignments are validated too
    ctx.engine.dispose()


def test_cli_reports_bad_settings_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "QUEUE_DATA_DIR": str(tmp_path), "QUEUE_LOCKOUT_MINUTES": "-1"}
    out = subprocess.run(
        [sys.executable, "-m", "queue_server", "serve", "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 2
    assert "lockout_minutes (QUEUE_LOCKOUT_MINUTES)" in out.stderr and "Traceback" not in out.stderr


def test_no_module_reads_the_environment_but_settings() -> None:
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "queue_server").rglob("*.py")
        if re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8"))
    )
    assert readers == ["queue_server/settings.py"]


def test_readme_table_is_generated_from_the_model() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, (
        "regenerate: python -c 'from queue_server.settings import *; print(markdown_table())'"
    )
    assert settings_module.CONFIG_ENV in readme
