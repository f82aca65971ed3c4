"""What if: yesterday's real tickets replayed through the simulator with a window more or fewer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.conftest import FakeClock

from .helpers import HALL, PENSION, call_next, issue

URL = f"/api/v1/halls/{HALL}/what-if"


def busy_morning(client: TestClient, clock: FakeClock) -> list[float]:
    """12 pension tickets a minute apart from 10:00, served one by one at window 05 in 8 minutes each,
    the fourth a no-show after 2 minutes. Returns the real waits (issue → call), in minutes."""
    issued = []
    for _ in range(12):
        issued.append((issue(client, PENSION)["id"], clock.now))
        clock.advance(minutes=1)
    waits = []
    for n in range(12):
        t = call_next(client, "05")
        assert t is not None and t["id"] == issued[n][0]
        waits.append((clock.now - issued[n][1]).total_seconds() / 60)
        if n == 3:
            clock.advance(minutes=2)
            assert client.post(f"/api/v1/tickets/{t['id']}/no-show").status_code == 200
            continue
        assert client.post(f"/api/v1/tickets/{t['id']}/start").status_code == 200
        clock.advance(minutes=8)
        assert client.post(f"/api/v1/tickets/{t['id']}/finish").status_code == 200
    return waits


def test_replays_yesterday_with_one_window_more_or_fewer(client: TestClient, clock: FakeClock) -> None:
    waits = busy_morning(client, clock)
    clock.advance(days=1)
    more = client.post(URL, json={"add_like": "05"})
    assert more.status_code == 200, more.text
    r = more.json()
    assert r["day"] == "2026-11-25" and r["change"] == {"kind": "add", "window": "05"}
    assert r["actual"]["tickets"] == 12
    assert abs(r["actual"]["mean_wait_min"] - sum(waits) / len(waits)) < 0.01
    assert abs(r["actual"]["max_wait_min"] - max(waits)) < 0.01
    # A pension waits too long past 20 min (the example hall's escalate_after_min for the item).
    threshold = 20
    assert r["actual"]["over_threshold_share"] == round(sum(w > threshold for w in waits) / len(waits), 3)
    assert r["actual"]["unserved"] == 0
    assert r["now"]["tickets"] == r["then"]["tickets"] == 12
    assert r["then"]["windows"] == r["now"]["windows"] + 1
    # Windows 05 and 06 (backup) hold pensions now: the replay waits less than window 05 alone did,
    # and a third such window helps further.
    assert r["now"]["mean_wait_min"] < r["actual"]["mean_wait_min"]
    assert r["then"]["mean_wait_min"] < r["now"]["mean_wait_min"]
    assert "平均等候由" in r["summary_zh"] and "mean wait goes from" in r["summary_en"]

    fewer = client.post(URL, json={"remove": "05"}).json()
    assert fewer["change"] == {"kind": "remove", "window": "05"}
    assert fewer["then"]["windows"] == fewer["now"]["windows"] - 1
    assert fewer["then"]["mean_wait_min"] > fewer["now"]["mean_wait_min"]  # only backup 06 is left
    assert fewer["now"] == r["now"]  # the same replay, deterministic


def test_refusals_say_why(client: TestClient, clock: FakeClock, login: Callable[..., TestClient]) -> None:
    none_yet = client.post(URL, json={"add_like": "05"})
    assert none_yet.status_code == 404 and none_yet.json()["code"] == "no_history"
    assert "无法推演" in none_yet.json()["detail"]
    both = client.post(URL, json={"add_like": "05", "remove": "06"})
    assert both.status_code == 422 and both.json()["code"] == "whatif_choice"
    neither = client.post(URL, json={})
    assert neither.status_code == 422
    unknown = client.post(URL, json={"remove": "99"})
    assert unknown.status_code == 404 and "99" in unknown.json()["detail"]
    assert login("clerk9", "clerk").post(URL, json={"add_like": "05"}).status_code == 403


def test_a_closed_window_is_not_in_the_replay(client: TestClient, clock: FakeClock) -> None:
    busy_morning(client, clock)
    clock.advance(days=1)
    assert client.patch(f"/api/v1/halls/{HALL}/windows/13", json={"state": "closed"}).status_code == 200
    r = client.post(URL, json={"remove": "13"})
    assert r.status_code == 422 and r.json()["code"] == "window_closed"
    fewer = client.post(URL, json={"remove": "12"}).json()
    assert fewer["now"]["windows"] == 13 and fewer["then"]["windows"] == 12
