"""Server fixtures: a service context on a database with the example hall, and an HTTP client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from queue_server.api.app import create_app
from queue_server.hall_config.load import load_hall_file
from queue_server.runtime import open_context
from queue_server.services.context import SYSTEM, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ctx(db_url: str, clock: FakeClock) -> Iterator[Context]:
    c = open_context(db_url)
    c.clock = clock
    import_hall(c, SYSTEM, load_hall_file(EXAMPLE_HALL))
    yield c
    c.sessions.kw["bind"].dispose()


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(ctx)) as tc:
        yield tc
