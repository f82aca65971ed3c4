"""Every role × every endpoint: allowed, 401 (no credentials) or 403, as the table in access.py says.

The routes are taken from the application itself, so an endpoint added without a permission, or one
whose permission the table does not grant as the route behaves, fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from queue_server import access
from queue_server.api.deps import Require
from queue_server.services import accounts, posts
from queue_server.services.context import SYSTEM, Context
from queue_server.services.identity import actor_of_user

from .helpers import COMPANY, HALL, PASSWORD, PENSION, call_next, issue, sqlite_only

ID_CARD = {"id_number": "11010519491231002X", "name": "王小明"}
# The contract, checked line by line against the product's rules and kept apart from access.py, so
# that changing who may do what takes a change in both places. "everyone": no credentials needed.
CONTRACT: dict[tuple[str, str], str] = {
    ("GET", "/healthz"): "everyone",
    ("POST", "/api/v1/auth/login"): "everyone",
    ("POST", "/api/v1/auth/logout"): "kiosk display pad clerk manager maintenance admin",
    ("GET", "/api/v1/auth/me"): "kiosk display pad clerk manager maintenance admin",
    ("GET", "/api/v1/halls"): "everyone",
    ("GET", "/api/v1/halls/{hall}"): "everyone",
    ("GET", "/api/v1/halls/{hall}/zones"): "everyone",
    ("GET", "/api/v1/halls/{hall}/services"): "everyone",
    ("GET", "/api/v1/halls/{hall}/services/{code}"): "everyone",
    ("POST", "/api/v1/halls/{hall}/tickets"): "kiosk clerk manager admin",
    ("GET", "/api/v1/tickets/{ticket_id}"): "clerk manager admin",
    ("POST", "/api/v1/tickets/{ticket_id}/transfer"): "clerk manager admin",
    ("POST", "/api/v1/tickets/{ticket_id}/evaluation"): "pad manager admin",
    ("POST", "/api/v1/tickets/{ticket_id}/{action}"): "clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/windows"): "clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/windows/{window}"): "clerk manager admin",
    ("PATCH", "/api/v1/halls/{hall}/windows/{window}"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/windows/{window}/call-next"): "clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/snapshot"): "display pad clerk manager admin",
    ("POST", "/api/v1/halls/{hall}/windows/{window}/sign-in"): "clerk manager admin",
    ("POST", "/api/v1/halls/{hall}/windows/{window}/sign-out"): "clerk manager admin",
    ("POST", "/api/v1/halls/{hall}/windows/{window}/pause"): "clerk manager admin",
    ("POST", "/api/v1/halls/{hall}/windows/{window}/resume"): "clerk manager admin",
    ("POST", "/api/v1/public/tickets/{token}/evaluation"): "public kiosk",  # the holder's own phone or kiosk
    ("GET", "/api/v1/halls/{hall}/windows/{window}/clerk"): "display pad clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/cases"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/reports"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/alerts"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/alerts/{alert_id}/ack"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/alerts/{alert_id}/resolve"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/reports.csv"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/reports.xlsx"): "manager admin",
    ("POST", "/api/v1/tickets/{ticket_id}/finish"): "clerk manager admin",
    ("POST", "/api/v1/tickets/{ticket_id}/outcome"): "clerk manager admin",
    ("GET", "/api/v1/tickets/{ticket_id}/outcome"): "clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/cases/{case_id}"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/cases/{case_id}/respond"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/cases/{case_id}/callback"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/cases/{case_id}/close"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/cases/{case_id}/appeal"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/cases/{case_id}/approve"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/cases/{case_id}/reject"): "manager admin",
    ("GET", "/api/v1/public/tickets/{token}"): "everyone",
    ("GET", "/api/v1/halls/{hall}/public/tickets/by-number/{number}"): "everyone",
    ("GET", "/api/v1/halls/{hall}/events"): "display pad clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/calls/{ticket_id}/voice"): "display pad clerk manager admin",
    ("POST", "/api/v1/devices/heartbeat"): "kiosk display pad",
    ("GET", "/api/v1/devices"): "manager maintenance admin",
    ("GET", "/api/v1/halls/{hall}/devices"): "manager maintenance admin",
    ("POST", "/api/v1/devices"): "maintenance admin",
    ("POST", "/api/v1/devices/{name}/rotate"): "maintenance admin",
    ("POST", "/api/v1/devices/{name}/revoke"): "maintenance admin",
    ("POST", "/api/v1/pairing"): "everyone",
    ("POST", "/api/v1/pairing/claim"): "everyone",
    ("POST", "/api/v1/pairing/approve"): "manager maintenance admin",
    ("POST", "/api/v1/pairing/{name}/unpair"): "manager maintenance admin",
    ("GET", "/api/v1/users"): "admin",
    ("POST", "/api/v1/users"): "admin",
    ("POST", "/api/v1/users/{username}/disable"): "admin",
    ("POST", "/api/v1/users/{username}/reset-password"): "admin",
    ("GET", "/api/v1/halls/{hall}/audit"): "manager admin",
    ("GET", "/api/v1/audit"): "admin",
    ("POST", "/api/v1/halls/{hall}/what-if"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/closures"): "manager admin",
    ("POST", "/api/v1/halls/{hall}/closures"): "manager admin",
    ("DELETE", "/api/v1/halls/{hall}/closures/{closure_id}"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/notices"): "everyone",
    ("POST", "/api/v1/halls/{hall}/notices"): "manager admin",
    ("PUT", "/api/v1/halls/{hall}/notices/{notice_id}"): "manager admin",
    ("DELETE", "/api/v1/halls/{hall}/notices/{notice_id}"): "manager admin",
    ("GET", "/api/v1/halls/{hall}/booking"): "everyone",
    ("POST", "/api/v1/halls/{hall}/tickets/{ticket_id}/priority"): "clerk manager admin",
    ("POST", "/api/v1/halls/{hall}/reactivations"): "kiosk clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/windows/{window}/missed"): "clerk manager admin",
    ("GET", "/api/v1/halls/{hall}/services/{code}/slots"): "everyone",
    ("POST", "/api/v1/halls/{hall}/appointments"): "everyone",
    ("GET", "/api/v1/public/appointments/{token}"): "everyone",
    ("POST", "/api/v1/public/appointments/{token}/cancel"): "everyone",
    ("POST", "/api/v1/halls/{hall}/appointments/check-in"): "kiosk manager admin",
    ("GET", "/api/v1/halls/{hall}/appointments"): "manager admin",
    ("PUT", "/api/v1/halls/{hall}/services/{code}/slot-days/{day}"): "manager admin",
}
ROLES = ("public", "kiosk", "display", "pad", "clerk", "manager", "maintenance", "admin")


def route_permission(route: APIRoute) -> str | None:
    """The permission named by the route's `Require` dependency (searched through sub-dependencies)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Require):
            return dep.call.permission
        stack.extend(dep.dependencies)
    return None


def _walk(routes: list[Any]) -> list[APIRoute]:
    """The app's API routes, through included routers (FastAPI keeps them as wrappers)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif (inner := getattr(route, "original_router", None)) is not None:
            found.extend(_walk(inner.routes))
    return found


def api_routes(client: TestClient) -> list[tuple[str, str, str | None]]:
    out = []
    for route in _walk(client.app.routes):  # type: ignore[attr-defined]
        for method in sorted(route.methods - {"HEAD"}):
            out.append((method, route.path, route_permission(route)))
    return out


@sqlite_only
def test_every_route_names_a_known_permission(app_client: TestClient) -> None:
    routes = api_routes(app_client)
    assert {(m, p) for m, p, _ in routes} == set(CONTRACT), "a new route needs its line in CONTRACT"
    missing = [f"{m} {p}" for m, p, perm in routes if perm is None]
    assert missing == [], f"routes without a permission: {missing}"
    assert {perm for _, _, perm in routes} <= set(access.PERMISSIONS)


@sqlite_only  # the rules do not depend on the database
def test_full_matrix(
    ctx: Context,
    app_client: TestClient,
    login: Callable[..., TestClient],
    device: Callable[..., TestClient],
) -> None:
    admin = login("admin1", "admin")
    # A finished ticket at window 05, for the ticket routes and evaluations.
    done = issue(admin, PENSION)
    call_next(admin, "05")
    for action in ("start", "finish"):
        assert admin.post(f"/api/v1/tickets/{done['id']}/{action}").status_code == 200
    accounts.create_user(ctx, SYSTEM, "matrix-target", "clerk", PASSWORD, [HALL])
    accounts.create_user(ctx, SYSTEM, "matrix-login", "clerk", PASSWORD, [HALL])
    device("matrix-device", "display")

    clients: dict[str, TestClient] = {
        "public": app_client,
        "kiosk": device("kiosk-1", "kiosk"),
        "display": device("display-1", "display"),
        "pad": device("pad-05", "pad", "05"),
        "clerk": login("clerk1", "clerk"),
        "manager": login("manager1", "manager"),
        "maintenance": login("maint1", "maintenance"),
        "admin": admin,
    }
    usernames = {"clerk": "clerk1", "manager": "manager1", "maintenance": "maint1", "admin": "admin1"}
    clerk_actor = actor_of_user(_user(ctx, "clerk1"))
    params = {
        "hall": HALL,
        "window": "05",
        "ticket_id": str(done["id"]),
        "action": "finish",
        "token": done["token"],
        "number": done["number"],
        "code": COMPANY,
        "username": "matrix-target",
        "name": "matrix-device",
        "closure_id": "1",
        "notice_id": "1",
        "day": "2027-01-11",
        "case_id": "1",
        "alert_id": "1",
    }

    def body(method: str, path: str, role: str) -> Any:
        bodies: dict[tuple[str, str], Any] = {
            ("POST", "/api/v1/auth/login"): {"username": "matrix-login", "password": PASSWORD},
            ("POST", "/api/v1/halls/{hall}/tickets"): {
                "service": PENSION,
                "idempotency_key": f"matrix-{role}",
                **({"id_card": ID_CARD} if role == "kiosk" else {"channel": "counter"}),
            },
            ("POST", "/api/v1/tickets/{ticket_id}/transfer"): {"service": COMPANY, "reason": "matrix"},
            ("POST", "/api/v1/tickets/{ticket_id}/evaluation"): {"level": 5},
            ("POST", "/api/v1/public/tickets/{token}/evaluation"): {"level": 4},
            ("PATCH", "/api/v1/halls/{hall}/windows/{window}"): {"state": "open"},
            ("POST", "/api/v1/devices/heartbeat"): {"version": "1.0", "status": {"paper": "ok"}},
            ("POST", "/api/v1/devices"): {"name": f"new-{role}", "kind": "display", "hall": HALL},
            ("POST", "/api/v1/pairing"): {"kind": "display"},
            ("POST", "/api/v1/pairing/claim"): {"secret": "not-a-pairing-secret-" + role},
            ("POST", "/api/v1/pairing/approve"): {"code": "AAAA-BBBB", "name": f"pair-{role}", "hall": HALL},
            ("POST", "/api/v1/users"): {
                "username": f"new-{role}",
                "role": "clerk",
                "password": PASSWORD,
                "halls": [HALL],
            },
            ("POST", "/api/v1/users/{username}/reset-password"): {"password": "another password"},
            ("POST", "/api/v1/halls/{hall}/what-if"): {"add_like": "05"},
            ("POST", "/api/v1/halls/{hall}/closures"): {
                "starts_at": "2027-01-10T08:00:00",
                "ends_at": "2027-01-10T18:00:00",
                "reason": "设备检修",
                "reason_en": "Maintenance",
                "zone": "construction",
            },
            ("POST", "/api/v1/halls/{hall}/notices"): {"text": "今日系统维护", "text_en": "Maintenance"},
            ("PUT", "/api/v1/halls/{hall}/notices/{notice_id}"): {"text": "请保管好随身物品"},
            ("POST", "/api/v1/halls/{hall}/appointments/check-in"): {"token": "no-such-booking"},
            ("POST", "/api/v1/halls/{hall}/tickets/{ticket_id}/priority"): {
                "kind": "pregnant",
                "reason": "x",
            },
            ("POST", "/api/v1/halls/{hall}/reactivations"): {"token": "no-such-ticket"},
            ("PUT", "/api/v1/halls/{hall}/services/{code}/slot-days/{day}"): {"capacity": 2},
        }
        return bodies.get((method, path))

    outcomes: list[str] = []
    for method, path, permission in api_routes(app_client):
        assert permission is not None
        url = re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path)
        if path.endswith("/events"):
            # An allowed caller would get an endless stream; an invalid resume id makes the route
            # answer 422 right after the permission check (401/403 come first).
            url += "?last_event_id=-1"
        if path.endswith("/sign-in") or path.endswith("/sign-out"):
            url = url.replace("/windows/05/", "/windows/07/")  # keep the clerk's own post at 05
        for role in ROLES:
            posts.sign_in(ctx, clerk_actor, HALL, "05")  # a takeover by another role may have moved it
            r = clients[role].request(method, url, json=body(method, path, role))
            admitted = CONTRACT[(method, path)]
            contract = admitted == "everyone" or role in admitted.split()
            if contract != access.allowed(role, permission):
                outcomes.append(
                    f"{role:12} {method:6} {path}: the table in access.py disagrees with CONTRACT"
                )
            if contract:
                ok = r.status_code not in (401, 403) and r.status_code < 500
                expected = "allowed"
            else:
                expected = "401" if role == "public" else "403"
                ok = str(r.status_code) == expected
            if not ok:
                outcomes.append(
                    f"{role:12} {method:6} {url} needs {permission}: {r.status_code} {r.text[:120]}"
                )
            if path == "/api/v1/auth/logout" and r.status_code == 204:
                again = clients[role].post(
                    "/api/v1/auth/login", json={"username": usernames[role], "password": PASSWORD}
                )
                clients[role].headers["authorization"] = f"Bearer {again.json()['token']}"
    assert outcomes == [], "\n".join(outcomes)


def _user(ctx: Context, username: str) -> Any:
    from sqlalchemy import select

    from queue_server.db.models import User

    with ctx.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        _ = list(user.halls)
        return user
