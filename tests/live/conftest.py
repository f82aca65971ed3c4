"""A real server process on the test database, with the example hall (hours not enforced)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ServerProcess, always_open_hall, run_cli, staff_db, staff_headers


@pytest.fixture
def hall_db(db_url: str, tmp_path: Path) -> str:
    env_dir = tmp_path / "data"
    import os

    env = {**os.environ, "QUEUE_DATA_DIR": str(env_dir)}
    run_cli("import-hall", str(always_open_hall(tmp_path)), "--db", db_url, env=env)
    staff_db(db_url, env)  # a hall at work: a clerk at every open window
    return db_url


@pytest.fixture
def server(hall_db: str, tmp_path: Path) -> Iterator[ServerProcess]:
    srv = ServerProcess(hall_db, tmp_path / "data").start()
    srv.headers = staff_headers(srv.url, hall_db)
    yield srv
    srv.stop()
