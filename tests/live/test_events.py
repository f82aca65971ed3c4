"""The live event stream: ids, content, filters, resumption, commit-only publication."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from tests.support import ServerProcess, SseClient, staff_headers

HALL = "xiqu"
PENSION = "510403-GG-RS-004"  # windows 05 (level 1) and 06 (level 2), zone social
COMPANY = "510403-XK-SC-001"  # window 01, zone business


def issue(srv: ServerProcess, service: str) -> dict:
    r = httpx.post(
        f"{srv.url}/api/v1/halls/{HALL}/tickets",
        headers=srv.headers,
        json={"service": service, "idempotency_key": uuid.uuid4().hex, "channel": "counter"},
    )
    assert r.status_code == 201, r.text
    return r.json()


def call(srv: ServerProcess, window: str) -> dict:
    r = httpx.post(f"{srv.url}/api/v1/halls/{HALL}/windows/{window}/call-next", headers=srv.headers)
    assert r.status_code == 200, r.text
    return r.json()


def act(srv: ServerProcess, ticket_id: int, action: str) -> None:
    r = httpx.post(f"{srv.url}/api/v1/tickets/{ticket_id}/{action}", headers=srv.headers)
    assert r.status_code == 200


def events_url(srv: ServerProcess, **params: str) -> str:
    """As a browser's EventSource connects: it cannot set headers, so the token is in the query."""
    params["access_token"] = srv.headers["authorization"].removeprefix("Bearer ")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{srv.url}/api/v1/halls/{HALL}/events?{query}"


def test_call_event_carries_what_a_display_needs(server: ServerProcess) -> None:
    seq0 = httpx.get(f"{server.url}/api/v1/halls/{HALL}/snapshot", headers=server.headers).json()["event_seq"]
    client = SseClient(events_url(server), last_event_id=seq0).start()
    t = issue(server, PENSION)
    call(server, "05")
    act(server, t["id"], "recall")
    assert client.wait_for(lambda evs: any(e[1] == "ticket.recalled" for e in evs))
    client.stop()
    types = [e[1] for e in client.events]
    assert types[:2] == ["ticket.issued", "queue.changed"]
    called = next(e[2] for e in client.events if e[1] == "ticket.called")
    p = called["payload"]
    assert (p["number"], p["window"], called["zone"]) == (t["number"], "05", "social")
    assert p["announcement_zh"] == f"请{t['number']}号到5号窗口办理"
    assert p["announcement_en"] == f"Ticket {t['number']}, please go to window 5"
    recalled = next(e[2] for e in client.events if e[1] == "ticket.recalled")
    assert recalled["payload"]["recall_count"] == 1 and recalled["payload"]["announcement_zh"]
    ids = [e[0] for e in client.events]
    assert ids == list(range(seq0 + 1, seq0 + 1 + len(ids)))  # increasing, no gaps


def test_reconnect_with_last_event_id_gets_exactly_the_missed_events(server: ServerProcess) -> None:
    seq0 = httpx.get(f"{server.url}/api/v1/halls/{HALL}/snapshot", headers=server.headers).json()["event_seq"]
    full = SseClient(events_url(server), last_event_id=seq0).start()
    partial = SseClient(events_url(server), last_event_id=seq0).start()
    for _ in range(3):
        issue(server, PENSION)
    assert partial.wait_for(lambda evs: len(evs) >= 6)
    partial.stop()
    seen = [e[0] for e in partial.events]
    # Mid-day: the display is offline while the hall goes on.
    t = call(server, "05")
    act(server, t["id"], "start")
    act(server, t["id"], "finish")
    issue(server, COMPANY)
    resumed = SseClient(events_url(server), last_event_id=seen[-1]).start()
    issue(server, PENSION)
    # 3 issues (2 events each), call (2), start, finish, 2 more issues (2 each)
    assert full.wait_for(lambda evs: len(evs) == 6 + 2 + 1 + 1 + 2 + 2)
    total = full.events[-1][0]
    assert resumed.wait_for(lambda evs: evs and evs[-1][0] == total)
    resumed.stop()
    full.stop()
    assert [e[0] for e in resumed.events] == list(range(seen[-1] + 1, total + 1))
    assert [e[0] for e in full.events] == list(range(seq0 + 1, total + 1))
    assert seen + [e[0] for e in resumed.events] == [e[0] for e in full.events]
    assert [e[2] for e in resumed.events] == [e[2] for e in full.events[len(seen) :]]


def test_zone_and_window_filters(server: ServerProcess) -> None:
    # From now on: the clerks signing in at their windows before the test are not counted.
    seq = httpx.get(f"{server.url}/api/v1/halls/{HALL}/snapshot", headers=server.headers).json()["event_seq"]
    social = SseClient(events_url(server, zone="social"), last_event_id=seq).start()
    w01 = SseClient(events_url(server, window="01"), last_event_id=seq).start()
    issue(server, COMPANY)
    issue(server, PENSION)
    call(server, "05")
    call(server, "01")
    httpx.patch(
        f"{server.url}/api/v1/halls/{HALL}/windows/12", json={"zone": "social"}, headers=server.headers
    )
    httpx.patch(
        f"{server.url}/api/v1/halls/{HALL}/windows/01", json={"state": "paused"}, headers=server.headers
    )
    assert social.wait_for(lambda evs: sum(e[1] == "window.changed" for e in evs) == 2)
    assert w01.wait_for(lambda evs: any(e[1] == "window.changed" for e in evs))
    social.stop()
    w01.stop()
    assert {e[2]["zone"] for e in social.events} <= {"social", None}
    assert [e[2]["payload"]["window"] for e in social.events if e[1] == "ticket.called"] == ["05"]
    assert [e[2]["payload"]["window"] for e in w01.events if e[1] == "ticket.called"] == ["01"]
    assert any(e[1] == "window.changed" and e[2]["payload"]["zone"] == "social" for e in social.events)
    assert [e[2]["window"] for e in w01.events if e[1] == "window.changed"] == ["01"]


def test_resync_when_resuming_from_unknown_id(server: ServerProcess) -> None:
    issue(server, PENSION)
    seq = httpx.get(f"{server.url}/api/v1/halls/{HALL}/snapshot", headers=server.headers).json()["event_seq"]
    client = SseClient(events_url(server), last_event_id=10_000).start()
    assert client.wait_for(lambda evs: len(evs) >= 1)
    issue(server, PENSION)
    assert client.wait_for(lambda evs: len(evs) >= 3)
    client.stop()
    assert client.events[0][1] == "resync" and client.events[0][2] == {"seq": seq}
    assert [e[0] for e in client.events[1:3]] == [seq + 1, seq + 2]  # and the stream goes on


def test_failed_action_publishes_nothing(server: ServerProcess) -> None:
    t = issue(server, PENSION)
    seq = httpx.get(f"{server.url}/api/v1/halls/{HALL}/snapshot", headers=server.headers).json()["event_seq"]
    assert (
        httpx.post(f"{server.url}/api/v1/tickets/{t['id']}/finish", headers=server.headers).status_code == 409
    )
    assert (
        httpx.post(
            f"{server.url}/api/v1/halls/{HALL}/windows/99/call-next", headers=server.headers
        ).status_code
        == 404
    )
    assert (
        httpx.get(f"{server.url}/api/v1/halls/{HALL}/snapshot", headers=server.headers).json()["event_seq"]
        == seq
    )


def test_a_stream_ends_when_its_token_is_revoked(hall_db: str, tmp_path: Path) -> None:
    srv = ServerProcess(hall_db, tmp_path / "data")
    srv.env["QUEUE_STREAM_RECHECK"] = "0.5"
    with srv:
        srv.headers = staff_headers(srv.url, hall_db)
        client = SseClient(events_url(srv), last_event_id=0).start()
        issue(srv, PENSION)
        assert client.wait_for(lambda evs: len(evs) >= 2)
        assert httpx.post(f"{srv.url}/api/v1/auth/logout", headers=srv.headers).status_code == 204
        assert client.wait_for_end(10)  # the server ends the stream within a heartbeat or two
        assert client.error is None
        assert httpx.get(events_url(srv)).status_code == 401  # and refuses to open it again
