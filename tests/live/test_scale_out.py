"""Two server processes on one PostgreSQL database: no double numbers, no double calls, and every call
made on one process reaches a stream served by the other, in order, with no gap in event ids."""

from __future__ import annotations

import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import ServerProcess, SseClient, hall_file, prepare_db, staff_headers

HALL = "xiqu"
ITEMS = ["510403-GG-RS-004", "510403-GG-YB-001"]  # prefixes S and Y, no daily quota
WINDOWS = ["01", "02", "03", "04", "05", "06", "07", "08"]
TICKETS_PER_KIOSK = 130  # 4 kiosks x 130 tickets x (issue + call + start + finish) = 2,080 operations


@pytest.fixture
def two_servers(postgres_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    data = tmp_path / "data"
    prepare_db(postgres_url, data, hall_file(tmp_path))
    a = ServerProcess(postgres_url, data).start()
    b = ServerProcess(postgres_url, data).start()
    a.headers = b.headers = staff_headers(a.url, postgres_url)
    yield a, b
    a.stop()
    b.stop()


def test_two_processes_many_windows_and_kiosks(two_servers: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = two_servers
    skills = [{"service": s, "level": 1} for s in ITEMS]
    for i, w in enumerate(WINDOWS):
        srv = (a, b)[i % 2]
        assert (
            httpx.patch(
                f"{srv.url}/api/v1/halls/{HALL}/windows/{w}", json={"skills": skills}, headers=srv.headers
            ).status_code
            == 200
        )
    seq0 = httpx.get(f"{b.url}/api/v1/halls/{HALL}/snapshot", headers=b.headers).json()["event_seq"]
    stream_b = SseClient(f"{b.url}/api/v1/halls/{HALL}/events", last_event_id=seq0, headers=b.headers).start()

    issued: list[dict] = []
    calls: dict[str, list[int]] = defaultdict(list)
    errors: list[str] = []
    kiosks_done = threading.Event()
    lock = threading.Condition()  # notified when a ticket is issued, and when the kiosks are done

    def kiosk(k: int) -> None:
        with httpx.Client(base_url=(a, b)[k % 2].url, timeout=30, headers=a.headers) as http:
            for n in range(TICKETS_PER_KIOSK):
                body = {"service": ITEMS[n % 2], "idempotency_key": uuid.uuid4().hex, "channel": "counter"}
                r = http.post(f"/api/v1/halls/{HALL}/tickets", json=body)
                if r.status_code != 201:
                    errors.append(f"issue: {r.status_code} {r.text}")
                    continue
                with lock:
                    issued.append(r.json())
                    lock.notify_all()

    def window(i: int, code: str) -> None:
        with httpx.Client(base_url=(a, b)[i % 2].url, timeout=30, headers=a.headers) as http:
            while True:
                with lock:
                    seen = len(issued)
                r = http.post(f"/api/v1/halls/{HALL}/windows/{code}/call-next")
                if r.status_code == 204:
                    if kiosks_done.is_set():
                        return
                    with lock:  # nothing for this window: wait for the next ticket, or the end
                        lock.wait_for(lambda n=seen: len(issued) > n or kiosks_done.is_set(), timeout=30)
                    continue
                if r.status_code != 200:
                    errors.append(f"call {code}: {r.status_code} {r.text}")
                    return
                tid = r.json()["id"]
                calls[code].append(tid)
                for action in ("start", "finish"):
                    rr = http.post(f"/api/v1/tickets/{tid}/{action}")
                    if rr.status_code != 200:
                        errors.append(f"{action} {tid}: {rr.status_code} {rr.text}")

    kiosk_threads = [threading.Thread(target=kiosk, args=(k,)) for k in range(4)]
    window_threads = [threading.Thread(target=window, args=(i, w)) for i, w in enumerate(WINDOWS)]
    for t in kiosk_threads + window_threads:
        t.start()
    for t in kiosk_threads:
        t.join(timeout=300)
    with lock:
        kiosks_done.set()
        lock.notify_all()
    for t in window_threads:
        t.join(timeout=300)
    assert errors == []

    # No number issued twice; every ticket called exactly once; every ticket accounted for.
    numbers = Counter(t["number"] for t in issued)
    assert len(issued) == 4 * TICKETS_PER_KIOSK and max(numbers.values()) == 1
    called = [tid for ids in calls.values() for tid in ids]
    assert len(called) == len(set(called)) == len(issued)
    assert set(called) == {t["id"] for t in issued}
    snap = httpx.get(f"{a.url}/api/v1/halls/{HALL}/snapshot", headers=a.headers).json()
    assert all(s["waiting"] == 0 for s in snap["services"])
    assert all(w["current"] is None and w["can_call"] == 0 for w in snap["windows"])
    operations = len(issued) + 3 * len(called)
    assert operations >= 2000

    # The stream on B saw every event with no gap, and every call made through A, in order.
    final_seq = snap["event_seq"]
    assert stream_b.wait_for(lambda evs: evs and evs[-1][0] == final_seq, timeout=30)
    stream_b.stop()
    ids = [e[0] for e in stream_b.events]
    assert ids == list(range(seq0 + 1, final_seq + 1))
    seen_calls: dict[str, list[int]] = defaultdict(list)
    for _, kind, event in stream_b.events:
        if kind == "ticket.called":
            seen_calls[event["payload"]["window"]].append(event["payload"]["ticket_id"])
    for i, code in enumerate(WINDOWS):
        if i % 2 == 0:  # windows served by process A
            assert seen_calls[code] == calls[code]
