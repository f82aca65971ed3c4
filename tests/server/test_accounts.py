"""Staff accounts: argon2 hashes, token expiry and revocation, disable, reset; CLI and API."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from queue_server.cli import main
from queue_server.db.models import StaffToken, User
from queue_server.services import accounts
from queue_server.services.context import SYSTEM, Context
from tests.conftest import FakeClock

from .helpers import HALL, PASSWORD, sqlite_only

LOGIN = "/api/v1/auth/login"


def _login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    r = client.post(LOGIN, json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return TestClient(client.app, headers={"authorization": f"Bearer {r.json()['token']}"})


def test_login_contract_and_what_is_stored(ctx: Context, app_client: TestClient) -> None:
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    r = app_client.post(LOGIN, json={"username": "clerk1", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["user"] == {"username": "clerk1", "role": "clerk", "halls": [HALL]}
    assert body["expires_at"] and body["token"].startswith("hqs_")
    wrong = app_client.post(LOGIN, json={"username": "clerk1", "password": "not the password"})
    unknown = app_client.post(LOGIN, json={"username": "nobody", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()  # the same answer: no hint which usernames exist
    assert wrong.headers["www-authenticate"] == "Bearer"
    with ctx.read() as s:
        user = s.scalar(select(User).where(User.username == "clerk1"))
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        hashes = list(s.scalars(select(StaffToken.token_hash)))
    assert body["token"] not in hashes and len(hashes) == 1 and len(hashes[0]) == 64
    me = TestClient(app_client.app, headers={"authorization": f"Bearer {body['token']}"}).get(
        "/api/v1/auth/me"
    )
    assert me.json()["username"] == "clerk1" and me.json()["role"] == "clerk"


def accounts_audit(ctx: Context) -> list[dict]:
    from queue_server.services import audit

    return audit.query(ctx, SYSTEM, None, limit=1000)


@sqlite_only
def test_tokens_expire(ctx: Context, app_client: TestClient, clock: FakeClock) -> None:
    ctx.settings.token_hours = 12
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    me = _login(app_client, "clerk1")
    assert me.get("/api/v1/auth/me").status_code == 200
    clock.advance(hours=11, minutes=59)
    assert me.get("/api/v1/auth/me").status_code == 200
    clock.advance(minutes=1)
    r = me.get("/api/v1/auth/me")
    assert r.status_code == 401 and "expired" in r.json()["detail"]


@sqlite_only
def test_logout_revokes_only_that_token(ctx: Context, app_client: TestClient) -> None:
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    first, second = _login(app_client, "clerk1"), _login(app_client, "clerk1")
    assert first.post("/api/v1/auth/logout").status_code == 204
    assert first.get("/api/v1/auth/me").status_code == 401
    assert second.get("/api/v1/auth/me").status_code == 200


@sqlite_only
def test_query_token_only_for_get(ctx: Context, app_client: TestClient) -> None:
    accounts.create_user(ctx, SYSTEM, "clerk1", "clerk", PASSWORD, [HALL])
    token = app_client.post(LOGIN, json={"username": "clerk1", "password": PASSWORD}).json()["token"]
    assert app_client.get(f"/api/v1/halls/{HALL}/snapshot?access_token={token}").status_code == 200
    r = app_client.post(f"/api/v1/halls/{HALL}/windows/05/sign-in?access_token={token}")
    assert r.status_code == 401  # a token in a URL is accepted only where a header cannot be set


@sqlite_only
def test_disable_and_reset_password_by_api(
    ctx: Context, app_client: TestClient, login: Callable[..., TestClient]
) -> None:
    admin = login("admin1", "admin", [])
    r = admin.post(
        "/api/v1/users", json={"username": "clerk1", "role": "clerk", "password": PASSWORD, "halls": [HALL]}
    )
    assert r.status_code == 201 and r.json()["halls"] == [HALL]
    assert admin.post("/api/v1/users", json={**r.json(), "password": PASSWORD}).status_code in (409, 422)
    clerk = _login(app_client, "clerk1")
    clerk.post(f"/api/v1/halls/{HALL}/windows/05/sign-in")
    r = admin.post("/api/v1/users/clerk1/reset-password", json={"password": "a new password"})
    assert r.status_code == 200
    assert clerk.get("/api/v1/auth/me").status_code == 401  # old tokens die with the old password
    assert app_client.post(LOGIN, json={"username": "clerk1", "password": PASSWORD}).status_code == 401
    clerk = _login(app_client, "clerk1", "a new password")
    assert admin.post("/api/v1/users/clerk1/disable").json()["disabled"] is True
    assert clerk.get("/api/v1/auth/me").status_code == 401
    assert (
        app_client.post(LOGIN, json={"username": "clerk1", "password": "a new password"}).status_code == 401
    )
    windows = admin.get(f"/api/v1/halls/{HALL}/windows").json()
    assert all(w["clerk"] != "clerk1" for w in windows)  # a disabled clerk leaves its window
    users = {u["username"]: u for u in admin.get("/api/v1/users").json()}
    assert users["clerk1"]["disabled"] is True and "password_hash" not in users["clerk1"]
    assert (
        admin.post("/api/v1/users", json={"username": "x1", "role": "root", "password": PASSWORD}).status_code
        == 422
    )
    short = {"username": "x2", "role": "clerk", "password": "short"}
    assert admin.post("/api/v1/users", json=short).status_code == 422


def test_cli_user_commands(
    db_url: str,
    ctx: Context,
    app_client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """The command line in this process (a subprocess per call would cost seconds each)."""
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main([*args, "--db", db_url])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    r = cli(
        "user", "add", "mgr1", "--role", "manager", "--hall", HALL, "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in r.stdout + r.stderr
    assert _login(app_client, "mgr1").get("/api/v1/auth/me").json()["halls"] == [HALL]
    r = cli("user", "add", "mgr1", "--role", "manager", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 1 and "already exists" in r.stderr
    r = cli("user", "reset-password", "mgr1", "--password-stdin", stdin="brand new pass\n")
    assert r.returncode == 0, r.stderr
    _login(app_client, "mgr1", "brand new pass")
    assert cli("user", "disable", "mgr1").returncode == 0
    assert app_client.post(LOGIN, json={"username": "mgr1", "password": "brand new pass"}).status_code == 401
    trail = [e for e in accounts_audit(ctx) if e["object_id"] == "mgr1"]
    assert {e["action"] for e in trail} >= {"user.create", "user.reset_password", "user.disable"}
    assert all(
        e["actor"].startswith("cli:") and e["role"] == "admin" for e in trail if e["action"] != "user.login"
    )
