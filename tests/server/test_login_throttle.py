"""Sign-in under attack: no username enumeration, no lockout by strangers, bounded hashing and tables."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import extract_parameters
from fastapi.testclient import TestClient

from queue_server.credentials import Passwords
from queue_server.services import accounts, audit
from queue_server.services.context import SYSTEM, Context
from queue_server.services.throttle import LoginThrottle
from queue_server.settings import Settings
from tests.conftest import FakeClock

from .helpers import HALL, PASSWORD, sqlite_only

LOGIN = "/api/v1/auth/login"


@pytest.fixture(autouse=True)
def _refuse_at_once(ctx: Context) -> None:
    ctx.settings.login_refusal_delay = 0  # its own test below


def client_from(tc: TestClient, address: str) -> TestClient:
    """A client whose requests come from `address` (the server sees it as the source address)."""
    return TestClient(tc.app, client=(address, 40000))


def attempt(tc: TestClient, username: str, password: str) -> tuple[int, dict, str | None]:
    r = tc.post(LOGIN, json={"username": username, "password": password})
    return r.status_code, r.json(), r.headers.get("retry-after")


class CountingHasher:
    """Wraps the real argon2 hasher and counts verifications."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.verified = 0

    def hash(self, password: str) -> str:
        return self.inner.hash(password)  # type: ignore[attr-defined]

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return self.inner.verify(password_hash, password)  # type: ignore[attr-defined]


def test_unknown_and_known_users_get_the_same_answers(ctx: Context, app_client: TestClient) -> None:
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    hasher = ctx.passwords._hasher = CountingHasher(ctx.passwords._hasher)  # type: ignore[assignment]
    tries = ctx.settings.login_max_failures + 2
    known = [attempt(client_from(app_client, "10.0.0.1"), "clerk1", "guess-guess") for _ in range(tries)]
    unknown = [attempt(client_from(app_client, "10.0.0.2"), "nobody1", "guess-guess") for _ in range(tries)]
    assert [k[0] for k in known] == [401] * ctx.settings.login_max_failures + [429, 429]
    assert known == unknown  # status, body and Retry-After alike, before and during the wait
    assert known[-1][1]["code"] == "too_many_attempts" and "分钟后再试" in known[-1][1]["detail"]
    assert known[-1][2] == str(ctx.settings.lockout_minutes * 60)
    # Each refused guess cost one argon2 verification for both (a dummy hash for the unknown name);
    # the waits cost none.
    assert hasher.verified == 2 * ctx.settings.login_max_failures
    # Disabled accounts answer like unknown ones too.
    accounts.disable_user(ctx, SYSTEM, "clerk1")
    assert attempt(client_from(app_client, "10.0.0.3"), "clerk1", PASSWORD) == unknown[0]


def test_a_stranger_cannot_lock_a_clerk_out(ctx: Context, app_client: TestClient, clock: FakeClock) -> None:
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    stranger, clerk = client_from(app_client, "10.0.0.66"), client_from(app_client, "10.0.0.5")
    for _ in range(ctx.settings.login_max_failures * 3):
        attempt(stranger, "clerk1", "guess-guess")
    # The stranger's address waits, even with the right password ...
    assert attempt(stranger, "clerk1", PASSWORD)[0] == 429
    # ... while the clerk at the window signs in, with and after a typo.
    assert attempt(clerk, "clerk1", "typo-typo")[0] == 401
    status, body, _ = attempt(clerk, "clerk1", PASSWORD)
    assert status == 200 and body["user"]["username"] == "clerk1"
    clock.advance(minutes=ctx.settings.lockout_minutes)
    assert attempt(stranger, "clerk1", PASSWORD)[0] == 200  # the wait ends by itself
    trail = [e for e in audit.query(ctx, SYSTEM, None, limit=1000) if e["object_id"] == "clerk1"]
    locks = [e for e in trail if e["action"] == "user.lock"]
    assert len(locks) == 1 and locks[0]["after"]["address"] == "10.0.0.66"
    failed = [e for e in trail if e["action"] == "user.login_failed"]
    assert {e["after"]["address"] for e in failed} == {"10.0.0.66", "10.0.0.5"}


@sqlite_only
def test_a_success_and_a_reset_start_the_count_afresh(ctx: Context, app_client: TestClient) -> None:
    ctx.settings.login_max_failures = 3
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    clerk = client_from(app_client, "10.0.0.5")
    assert [attempt(clerk, "clerk1", "typo-typo")[0] for _ in range(2)] == [401, 401]
    assert attempt(clerk, "clerk1", PASSWORD)[0] == 200
    assert [attempt(clerk, "clerk1", "typo-typo")[0] for _ in range(4)] == [401, 401, 401, 429]
    accounts.reset_password(ctx, SYSTEM, "clerk1", "a new password")  # "ask an administrator"
    assert attempt(clerk, "clerk1", "a new password")[0] == 200


@sqlite_only
def test_one_address_guessing_many_names_waits(
    ctx: Context, app_client: TestClient, clock: FakeClock
) -> None:
    ctx.settings.login_failures_per_address = 4
    guesser, other = client_from(app_client, "10.0.0.9"), client_from(app_client, "10.0.0.10")
    answers = [attempt(guesser, f"name{i}", "guess-guess") for i in range(5)]
    assert [a[0] for a in answers] == [401] * 4 + [429]
    assert answers[-1][1]["code"] == "too_many_attempts" and answers[-1][2] == "60"
    assert "此地址" in answers[-1][1]["detail"] and "from this address" in answers[-1][1]["detail_en"]
    assert attempt(other, "name0", "guess-guess")[0] == 401  # other addresses are not concerned
    clock.advance(seconds=30)
    assert attempt(guesser, "name9", "guess-guess")[2] == "30"
    clock.advance(seconds=30)
    assert attempt(guesser, "name9", "guess-guess")[0] == 401  # a minute after the first failure


class GatedHasher(CountingHasher):
    """The real hasher, whose verifications wait until the test opens the gate."""

    def __init__(self, inner: object) -> None:
        super().__init__(inner)
        self.gate = threading.Event()
        self.entered = threading.Semaphore(0)

    def verify(self, password_hash: str, password: str) -> bool:
        self.entered.release()
        assert self.gate.wait(30)
        return super().verify(password_hash, password)


@pytest.fixture
def gated(ctx: Context) -> Iterator[GatedHasher]:
    """One hash worker, no waiting place for others, one for staff from a known address."""
    ctx.passwords = Passwords(1, 8, workers=1, queue=0, reserved=1)
    gated = ctx.passwords._hasher = GatedHasher(ctx.passwords._hasher)  # type: ignore[assignment]
    yield gated
    gated.gate.set()


@sqlite_only
def test_a_full_hashing_queue_refuses_at_once(
    ctx: Context, app_client: TestClient, gated: GatedHasher
) -> None:
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(attempt, client_from(app_client, "10.0.1.1"), "a1", "guess-guess")
        assert gated.entered.acquire(timeout=30)  # the one worker is busy, and no one may wait
        status, body, retry = attempt(client_from(app_client, "10.0.1.3"), "a3", "guess-guess")
        assert (status, body["code"], retry) == (429, "busy", "2")
        assert body["detail"].startswith("登录的人太多") and "busy" in body["detail_en"]
        # A refused attempt is no failure: it does not count against its address.
        assert ctx.throttle.sizes() == (0, 0, 0)
        gated.gate.set()
        assert running.result(30)[0] == 401
    assert attempt(client_from(app_client, "10.0.1.3"), "a3", "guess-guess")[0] == 401  # free again


@sqlite_only
def test_staff_from_a_known_address_get_in_during_a_flood(
    ctx: Context, app_client: TestClient, gated: GatedHasher
) -> None:
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    clerk, stranger = client_from(app_client, "10.0.2.5"), client_from(app_client, "10.0.9.9")
    gated.gate.set()
    assert attempt(clerk, "clerk1", PASSWORD)[0] == 200  # earlier that week, from the clerk's desk
    assert gated.entered.acquire(timeout=30)
    gated.gate.clear()
    with ThreadPoolExecutor(2) as pool:
        flood = pool.submit(attempt, client_from(app_client, "10.0.1.1"), "a1", "guess-guess")
        assert gated.entered.acquire(timeout=30)  # the one worker is busy
        assert attempt(stranger, "clerk1", PASSWORD)[1]["code"] == "busy"  # no place for others
        mine = pool.submit(attempt, clerk, "clerk1", PASSWORD)  # takes the reserved place and waits
        gated.gate.set()
        assert flood.result(30)[0] == 401 and mine.result(30)[0] == 200


@sqlite_only
def test_refusals_are_answered_late(ctx: Context, app_client: TestClient) -> None:
    ctx.settings.login_failures_per_address = 1
    ctx.settings.login_refusal_delay = 0.3
    assert attempt(app_client, "name1", "guess-guess")[0] == 401
    began = time.monotonic()
    assert attempt(app_client, "name2", "guess-guess")[0] == 429
    assert time.monotonic() - began >= 0.3


def test_throttle_tables_stay_bounded_and_expire() -> None:
    settings = Settings(login_table_size=100, login_failures_per_address=3, lockout_minutes=15)
    throttle, clock = LoginThrottle(settings), FakeClock()
    for i in range(5000):  # a flood of made-up names from made-up addresses
        throttle.failed(f"name{i}", f"10.{i // 256 % 256}.{i % 256}.1", clock())
    for i in range(5000):
        throttle.succeeded(f"name{i}", f"10.{i // 256 % 256}.{i % 256}.2", clock())
    assert throttle.sizes() == (100, 100, 100)
    for _ in range(3):
        throttle.failed("clerk1", "10.9.9.9", clock())
    with pytest.raises(Exception) as refused:
        throttle.check("clerk1", "10.9.9.9", clock())
    assert refused.value.status == 429  # type: ignore[attr-defined]
    clock.advance(minutes=15)
    throttle.check("clerk1", "10.9.9.9", clock())  # both waits are over: allowed again
    assert throttle.sizes() == (99, 99, 100)  # and the expired entries are gone
    newest, evicted = "10.19.135.2", "10.0.1.2"  # the 5000th and the 2nd
    assert throttle.trusted(newest, clock()) and not throttle.trusted(evicted, clock())
    clock.advance(days=7)
    assert not throttle.trusted(newest, clock()) and throttle.sizes()[2] == 99


def test_the_dummy_hash_costs_what_a_real_one_costs() -> None:
    passwords = Passwords(2, 256, workers=1, queue=0)
    real = passwords.hash("a password")
    assert extract_parameters(passwords._dummy) == extract_parameters(real)  # same work to verify
    assert passwords.verify(real, "a password") and not passwords.verify(passwords._dummy, "a password")
