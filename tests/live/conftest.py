"""A real server process on the test database, with the example hall (hours not enforced)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ServerProcess, hall_file, prepare_db, staff_headers


@pytest.fixture
def hall_db(db_url: str, tmp_path: Path) -> str:
    prepare_db(db_url, tmp_path / "data", hall_file(tmp_path))
    return db_url


@pytest.fixture
def server(hall_db: str, tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(hall_db, tmp_path / "data") as srv:
        srv.headers = staff_headers(srv.url, hall_db)
        yield srv
