"""Numbers are never duplicated and a ticket is never called twice, under real concurrency.

On SQLite: 8 threads in this process plus 2 other OS processes, all on the same file.
On PostgreSQL: threads; several server processes are covered by the scale-out tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from queue_server.db.models import Ticket
from queue_server.hall_config.load import load_hall_file
from queue_server.runtime import open_context
from queue_server.services import issuing, tickets, windows
from queue_server.services.context import SYSTEM, Actor, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL, FakeClock
from tests.support import staff_windows

from .helpers import HALL, PENSION

ROOT = Path(__file__).resolve().parents[2]

# A worker process: issue N tickets from T threads and print the numbers as JSON.
WORKER = """
import json, sys, uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from queue_server.runtime import open_context
from queue_server.services import issuing
from queue_server.services.context import Actor
url, n, threads, service = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ctx = open_context(url, migrate=False)
ctx.clock = lambda: datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
def one(i):
    req = issuing.IssueRequest(service, uuid.uuid4().hex, None, "counter")
    return issuing.issue(ctx, Actor(name="proc", role="manager", halls=("xiqu",)), "xiqu", req, "http://x/")[0]["number"]
with ThreadPoolExecutor(threads) as pool:
    print(json.dumps(list(pool.map(one, range(n)))))
"""


def _issue_many(ctx: Context, n: int, threads: int, service: str) -> list[str]:
    def one(_: int) -> str:
        req = issuing.IssueRequest(service, uuid.uuid4().hex, None, "counter")
        return issuing.issue(
            ctx, Actor(name="thread", role="manager", halls=(HALL,)), HALL, req, "http://x/"
        )[0]["number"]

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(n)))


def _ctx(url: str) -> Context:
    ctx = open_context(url)
    ctx.clock = FakeClock()
    import_hall(ctx, SYSTEM, load_hall_file(EXAMPLE_HALL))
    staff_windows(ctx)
    return ctx


def test_500_tickets_from_threads_and_two_processes_on_one_sqlite_file(sqlite_url: str) -> None:
    ctx = _ctx(sqlite_url)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, sqlite_url, "150", "4", PENSION],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    mine = _issue_many(ctx, 200, 8, PENSION)
    numbers = list(mine)
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        numbers += json.loads(out)
    assert len(numbers) == 500
    dupes = [n for n, k in Counter(numbers).items() if k > 1]
    assert dupes == []
    # Contiguous from the configured start: no number lost either.
    assert sorted(numbers) == [f"S{i:03d}" for i in range(1, 501)]
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 500


def test_concurrent_issue_on_postgres(postgres_url: str) -> None:
    ctx = _ctx(postgres_url)
    numbers = _issue_many(ctx, 200, 12, PENSION)
    assert sorted(numbers) == [f"S{i:03d}" for i in range(1, 201)]


def _calls_race(ctx: Context) -> None:
    """Six windows that all serve PENSION call concurrently until the queue is empty."""
    for code in ("06", "07", "08", "10", "11"):
        windows.update_window(ctx, SYSTEM, HALL, code, skills=[(PENSION, 1)])
    _issue_many(ctx, 120, 4, PENSION)
    called: list[int] = []
    lock = threading.Lock()

    def window_loop(code: str) -> None:
        while True:
            t = windows.call_next(
                ctx, Actor(name=f"manager-{code}", role="manager", halls=(HALL,)), HALL, code
            )
            if t is None:
                return
            with lock:
                called.append(t["id"])
            tickets.act(ctx, Actor(name=f"manager-{code}", role="manager", halls=(HALL,)), t["id"], "no-show")

    threads = [threading.Thread(target=window_loop, args=(c,)) for c in ("05", "06", "07", "08", "10", "11")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert len(called) == 120
    assert len(set(called)) == 120  # no ticket called twice
    with ctx.read() as s:
        assert s.scalar(select(func.count()).where(Ticket.status == "waiting")) == 0


def test_concurrent_call_next_sqlite(sqlite_url: str) -> None:
    _calls_race(_ctx(sqlite_url))


def test_concurrent_call_next_postgres(postgres_url: str) -> None:
    _calls_race(_ctx(postgres_url))


def test_idempotency_key_race_returns_one_ticket(db_url: str) -> None:
    ctx = _ctx(db_url)
    req = issuing.IssueRequest(PENSION, "same-key-0001", None, "counter")
    with ThreadPoolExecutor(8) as pool:
        views = list(
            pool.map(
                lambda _: issuing.issue(ctx, Actor(role="manager", halls=(HALL,)), HALL, req, "http://x/")[0],
                range(16),
            )
        )
    assert len({v["id"] for v in views}) == 1
