"""The release surge in miniature: two server processes on one PostgreSQL database, many phones
racing for one slot, double taps sent to both processes at once."""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.id_cases import resident_number
from tests.support import HALL, ServerProcess, hall_file, prepare_db

PENSION = "510403-GG-RS-004"  # 3 bookable places per slot (4, a quarter kept for walk-ins)
COMPANY = "510403-XK-SC-001"  # the example hall's other bookable item
CLIENTS = 40


@pytest.fixture
def two_servers(postgres_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    data = tmp_path / "data"  # one data directory: both processes hash ID numbers with the same key
    prepare_db(postgres_url, data, hall_file(tmp_path))
    with ServerProcess(postgres_url, data) as a, ServerProcess(postgres_url, data) as b:
        yield a, b


def tomorrow_at(hhmm: str) -> str:
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)
    return f"{day.isoformat()}T{hhmm}:00+08:00"


def booking(person: int, slot: str, key: str | None = None, service: str = PENSION) -> dict[str, object]:
    return {
        "service": service,
        "slot_start": slot,
        "id_card": {"id_number": resident_number(person), "name": "赵六"},
        "phone": "13912345678",
        "idempotency_key": key or uuid.uuid4().hex,
    }


def race(calls: list[tuple[str, dict[str, object]]]) -> list[httpx.Response]:
    """Post every (url, body) at once: each thread waits at a barrier, then sends."""
    start = threading.Barrier(len(calls))
    out: list[httpx.Response | None] = [None] * len(calls)

    def one(i: int) -> None:
        url, body = calls[i]
        with httpx.Client(timeout=60) as c:
            start.wait()
            out[i] = c.post(url, json=body)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]


def test_capacity_never_exceeded_from_two_processes(two_servers: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = two_servers
    slot = tomorrow_at("10:00")
    urls = [f"{srv.url}/api/v1/halls/{HALL}/appointments" for srv in (a, b)]
    got = race([(urls[i % 2], booking(i, slot)) for i in range(CLIENTS)])
    codes = Counter(r.status_code for r in got)
    assert codes == {201: 3, 409: CLIENTS - 3}, codes
    assert {r.json()["code"] for r in got if r.status_code == 409} == {"full"}
    listed = httpx.get(f"{a.url}/api/v1/halls/{HALL}/services/{PENSION}/slots", params={"date": slot[:10]})
    ten = next(s for s in listed.json()["slots"] if s["start"] == slot)
    assert (ten["capacity"], ten["left"]) == (3, 0)


def test_double_taps_on_two_processes_make_one_booking(
    two_servers: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_servers
    urls = [f"{srv.url}/api/v1/halls/{HALL}/appointments" for srv in (a, b)]
    # The same request (same idempotency key) to both processes at once, ten people over.
    same_key = [
        booking(100 + i, tomorrow_at("11:00"), key=f"tap-{i:04d}-{uuid.uuid4().hex}") for i in range(3)
    ]
    got = race([(url, body) for body in same_key for url in urls])
    assert sorted(r.status_code for r in got) == [200, 200, 200, 201, 201, 201], [
        r.text[:300] for r in got if r.status_code != 201
    ]
    for i in range(3):
        pair = got[2 * i : 2 * i + 2]
        assert pair[0].json()["code"] == pair[1].json()["code"]
    # One person, two different keys, two slots, two processes: one live booking for the item.
    person = [(urls[0], booking(200, tomorrow_at("14:00"))), (urls[1], booking(200, tomorrow_at("15:00")))]
    got = race(person)
    assert sorted(r.status_code for r in got) == [201, 409], [r.text for r in got]
    assert next(r for r in got if r.status_code == 409).json()["code"] == "already_booked"


@pytest.fixture
def two_servers_one_a_day(postgres_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """As `two_servers`, with a cap of one booking per person and day."""
    path = hall_file(tmp_path)
    text, n = re.subn(
        r"(?m)^per_person_per_day = \d+", "per_person_per_day = 1", path.read_text(encoding="utf-8")
    )
    assert n == 1, "the example hall file changed: per_person_per_day not found"
    path.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    prepare_db(postgres_url, data, path)
    with ServerProcess(postgres_url, data) as a, ServerProcess(postgres_url, data) as b:
        yield a, b


def test_the_day_cap_holds_for_two_items_booked_at_once_on_two_processes(
    two_servers_one_a_day: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_servers_one_a_day
    urls = [f"{srv.url}/api/v1/halls/{HALL}/appointments" for srv in (a, b)]
    people = range(300, 309)
    # Each person books both items for the same day at the same instant, one on each process; three
    # people a slot pair, so that no slot is full (3 places each).
    pairs = [("09:00", "09:30"), ("10:00", "10:30"), ("15:00", "15:30")]
    calls = []
    for i, p in enumerate(people):
        first, second = pairs[i // 3]
        calls += [(urls[0], booking(p, tomorrow_at(first), service=PENSION)),
                  (urls[1], booking(p, tomorrow_at(second), service=COMPANY))]
    got = race(calls)
    for i, _p in enumerate(people):
        pair = got[2 * i : 2 * i + 2]
        assert sorted(r.status_code for r in pair) == [201, 429], [r.text[:200] for r in pair]
        assert next(r for r in pair if r.status_code == 429).json()["code"] == "day_limit"
