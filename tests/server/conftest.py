"""Server fixtures: a service context on a database with the example hall, and HTTP clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from queue_server.api.app import create_app
from queue_server.hall_config.load import load_hall_file
from queue_server.runtime import open_context
from queue_server.services import accounts, devices
from queue_server.services.context import SYSTEM, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL, FakeClock
from tests.support import staff_windows

from .helpers import HALL, PASSWORD


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, with the smallest cost: the tests check behaviour, not the hash's strength."""
    monkeypatch.setenv("QUEUE_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("QUEUE_ARGON2_MEMORY_KIB", "64")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ctx(
    db_url: str, clock: FakeClock, _cheap_argon2: None, request: pytest.FixtureRequest
) -> Iterator[Context]:
    """The example hall at work: every open window has a clerk signed in ("desk-<window>"), unless the
    test is marked `unstaffed` (then no window is staffed)."""
    c = open_context(db_url)
    c.clock = clock
    c.settings.token_hours = 72  # tests jump the clock by hours; token expiry has its own test
    c.settings.alert_interval = 3600  # alerts are swept by the tests themselves (test_alerts.py)
    import_hall(c, SYSTEM, load_hall_file(EXAMPLE_HALL))
    if request.node.get_closest_marker("unstaffed") is None:
        staff_windows(c)
    yield c
    c.sessions.kw["bind"].dispose()


@pytest.fixture
def app_client(ctx: Context) -> Iterator[TestClient]:
    """An HTTP client without credentials."""
    with TestClient(create_app(ctx)) as tc:
        yield tc


@pytest.fixture
def login(ctx: Context, app_client: TestClient) -> Callable[..., TestClient]:
    """login(username, role, halls=[HALL]) -> a client signed in as a new user of that role."""
    apps = app_client.app

    def make(username: str, role: str, halls: list[str] | None = None) -> TestClient:
        accounts.create_user(ctx, SYSTEM, username, role, PASSWORD, [HALL] if halls is None else halls)
        tc = TestClient(apps)
        r = tc.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        tc.headers["authorization"] = f"Bearer {r.json()['token']}"
        return tc

    return make


@pytest.fixture
def client(login: Callable[..., TestClient]) -> TestClient:
    """A hall manager of the example hall: may do everything there."""
    return login("manager1", "manager")


@pytest.fixture
def device(ctx: Context, app_client: TestClient) -> Callable[..., TestClient]:
    """device(name, kind, window=None) -> a client holding a new device token of the example hall."""

    def make(name: str, kind: str, window: str | None = None) -> TestClient:
        _, token = devices.add_device(ctx, SYSTEM, name, kind, HALL, window)
        return TestClient(app_client.app, headers={"authorization": f"Bearer {token}"})

    return make
