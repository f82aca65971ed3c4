"""Does anything grow with history? Issue, call-next, public status and snapshot latency over a hall
whose database holds 0, 100,000 and 1,000,000 finished tickets, and then 2,000 waiting today.

    .venv/bin/python bench/history.py                       # SQLite file; writes bench/history.json
    .venv/bin/python bench/history.py --db postgres --sizes 0,100000
    HQ_CODE=/tmp/before .venv/bin/python bench/history.py  # the same bench on another tree's code

In process, through the service layer (no HTTP: the figures are the server's own work), on the
example hall with a clerk signed in at every open window and a fake clock fixed on a Tuesday at
10:00 in the hall. How the history is made: finished tickets (done or no-show, called and served at
a window) are bulk-inserted on past business days, 1,000 a day, with SQL INSERTs of plain rows (the
service layer would take hours for a million); today's 2,000 waiting are inserted the same way with
their wait start spread over the morning. Each measured round issues N tickets, reads the public
status of each, takes the snapshot N/2 times, and calls next N times (each call then
marked no-show, untimed) at window 05, so the queue is the same before and after a round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("HQ_CODE", str(ROOT)))

from sqlalchemy import insert, select  # noqa: E402

from queue_server.db.models import Hall, Service, Ticket, Window, WindowSkill  # noqa: E402
from queue_server.hall_config.load import load_hall_file  # noqa: E402
from queue_server.runtime import open_context  # noqa: E402
from queue_server.services import issuing, snapshot, tickets, windows  # noqa: E402
from queue_server.services.context import SYSTEM, Context  # noqa: E402
from queue_server.services.hall_import import import_hall  # noqa: E402
from tests.support import staff_windows  # noqa: E402

HALL = "xiqu"
ITEM = "510403-GG-RS-004"  # 养老待遇资格认证: no daily quota, window 05 level 1
WINDOW = "05"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tue 1 Dec 2026 10:00 in Asia/Shanghai
PER_DAY = 1000
CHUNK = 20_000


def _p50(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def _p90(values: list[float]) -> float:
    return round(sorted(values)[int(len(values) * 0.9)] * 1000, 2)


CPU: dict[str, list[float]] = {}  # CPU seconds of this process per operation (SQLite runs in it)


def _timed(fn: Callable[[], Any], name: str = "") -> tuple[float, Any]:
    """Wall time of fn; its CPU time is kept in CPU[name] (steady on a machine shared with others)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    CPU.setdefault(name, []).append(time.process_time() - cpu)
    return time.perf_counter() - start, out


@dataclass(frozen=True)
class Op:
    name: str
    timed: Callable[[], Any]
    after: Callable[[], Any] = lambda: None  # untimed follow-up


class Hallway:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        with ctx.read() as s:
            hall = s.scalar(select(Hall).where(Hall.code == HALL))
            assert hall is not None
            self.hall_id = hall.id
            # (item id, window id) pairs a finished ticket may have been served at
            self.posts = [
                (sid, wid)
                for sid, wid in s.execute(
                    select(WindowSkill.service_id, WindowSkill.window_id)
                    .join(Window, Window.id == WindowSkill.window_id)
                    .where(Window.hall_id == hall.id)
                )
            ]
            self.items = {code: sid for sid, code in s.execute(select(Service.id, Service.code))}
        self.stored = 0
        self.waiting = 0
        self.called = 0  # the ticket the last call-next called

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        with self.ctx.sessions() as s, s.begin():
            for n in range(0, len(rows), CHUNK):
                s.execute(insert(Ticket), rows[n : n + CHUNK])

    def add_history(self, count: int) -> float:
        """Finished tickets on past days (the newest day is yesterday), PER_DAY a day."""
        start = time.perf_counter()
        rows: list[dict[str, Any]] = []
        for k in range(self.stored, self.stored + count):
            day_back, n = divmod(k, PER_DAY)
            day = (NOW + timedelta(hours=8)).date() - timedelta(days=1 + day_back)
            issued = datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(seconds=20 * n)
            sid, wid = self.posts[k % len(self.posts)]
            rows.append(
                {
                    "hall_id": self.hall_id,
                    "service_id": sid,
                    "number": f"H{n:04d}",
                    "business_day": day,
                    "status": "no_show" if k % 17 == 0 else "done",
                    "priority_class": "normal",
                    "channel": "kiosk",
                    "window_id": wid,
                    "recall_count": 0,
                    "issued_at": issued,
                    "wait_since": issued,
                    "called_at": issued + timedelta(minutes=10),
                    "started_at": issued + timedelta(minutes=11),
                    "ended_at": issued + timedelta(minutes=20),
                    "token": f"h{k}",
                    "idempotency_key": f"history-{k}",
                }
            )
            if len(rows) >= 5 * CHUNK:
                self._insert(rows)
                rows = []
        self._insert(rows)
        self.stored += count
        return time.perf_counter() - start

    def add_waiting(self, count: int) -> None:
        """Today's queue: waiting tickets of every item, the oldest 100 minutes ago."""
        day = (NOW + timedelta(hours=8)).date()
        sids = sorted(self.items.values())
        rows = [
            {
                "hall_id": self.hall_id,
                "service_id": sids[k % len(sids)],
                "number": f"W{k:04d}",
                "business_day": day,
                "status": "waiting",
                "priority_class": "priority" if k % 23 == 0 else "normal",
                "channel": "kiosk",
                "recall_count": 0,
                "issued_at": NOW - timedelta(minutes=100) + timedelta(seconds=3 * k),
                "wait_since": NOW - timedelta(minutes=100) + timedelta(seconds=3 * k),
                "token": f"w{k}-{uuid.uuid4().hex[:8]}",
                "idempotency_key": f"waiting-{k}-{uuid.uuid4().hex[:8]}",
            }
            for k in range(count)
        ]
        self._insert(rows)
        self.waiting += count

    def round_ops(self, n: int) -> list[Op]:
        """One round's operations in order; the queue is the same after the round."""
        ctx = self.ctx
        ops: list[Op] = []
        tokens: list[str] = []

        def issue() -> None:
            req = issuing.IssueRequest(ITEM, uuid.uuid4().hex, channel="counter")
            view, _created = issuing.issue(ctx, SYSTEM, HALL, req, "http://bench")
            tokens.append(view["token"])

        def status(i: int) -> None:
            tickets.public_status(ctx, tokens[i])

        def call() -> None:
            called = windows.call_next(ctx, SYSTEM, HALL, WINDOW)
            assert called is not None
            self.called = called["id"]

        def no_show() -> None:
            tickets.act(ctx, SYSTEM, self.called, "no-show")

        ops += [Op("issue", issue)] * n
        ops += [Op("status", lambda i=i: status(i)) for i in range(n)]
        ops += [Op("snapshot", lambda: snapshot.snapshot(ctx, HALL))] * max(5, n // 2)
        ops += [Op("call", call, no_show)] * n  # each call then marked a no-show, untimed
        return ops

    def measure(self, n: int) -> dict[str, Any]:
        CPU.clear()
        wall: dict[str, list[float]] = {}
        for op in self.round_ops(n):
            wall.setdefault(op.name, []).append(_timed(op.timed, op.name)[0])
            op.after()
        return {
            "stored": self.stored,
            "waiting": self.waiting,
            **{f"{name}_{stat}_ms": f(values) for name, values in wall.items() for stat, f in _STATS},
            **{f"{name}_cpu_p50_ms": _p50(values) for name, values in CPU.items()},
        }


_STATS = (("p50", _p50), ("p90", _p90))


def paired(base: Hallway, other: Hallway, rounds: int, n: int) -> dict[str, Any]:
    """Each operation on `base` and then the same on `other` (which goes first swaps every round), so
    that a machine whose speed drifts slows both alike: CPU medians of each and the median of the
    per-pair ratios other/base."""
    cpu: dict[str, tuple[list[float], list[float]]] = {}
    for r in range(rounds):
        for op_a, op_b in zip(base.round_ops(n), other.round_ops(n), strict=True):
            got = cpu.setdefault(op_a.name, ([], []))
            order = ((op_a, got[0]), (op_b, got[1]))
            for op, into in order if r % 2 == 0 else order[::-1]:
                start = time.process_time()
                op.timed()
                into.append(time.process_time() - start)
                op.after()
    return {
        "stored": other.stored,
        "waiting": other.waiting,
        **{
            f"{name}_{key}": value
            for name, (a, b) in cpu.items()
            for key, value in (
                ("cpu_p50_ms_empty", _p50(a)),
                ("cpu_p50_ms", _p50(b)),
                ("ratio_p50", round(statistics.median(y / x for x, y in zip(a, b, strict=True)), 3)),
            )
        },
    }


def _hallway(url: str) -> Hallway:
    ctx = open_context(url)
    ctx.clock = lambda: NOW
    import_hall(ctx, SYSTEM, load_hall_file(ROOT / "config" / "hall.example.toml"))
    staff_windows(ctx, HALL)
    return Hallway(ctx)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--sizes", default="0,100000,1000000", help="stored tickets to measure at, ascending")
    ap.add_argument("--waiting", type=int, default=2000, help="then this many waiting today (0: skip)")
    ap.add_argument("--rounds", type=int, default=60, help="requests of each kind per measurement")
    ap.add_argument(
        "--paired",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="measure every size (and the waiting case) against an empty twin hall, operation by operation, "
        "order swapped every round (ROUNDS rounds of --rounds requests): ratios that hold on a noisy machine",
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "history.json"))
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hq-history-"))
    os.environ["QUEUE_DATA_DIR"] = str(tmp)
    h = _hallway(_database(args.db, tmp, "bench"))
    # --paired: every figure against an empty twin (no history, nobody waiting), operation by operation
    empty = _hallway(_database(args.db, tmp, "empty")) if args.paired else None
    results = []

    def measure() -> dict[str, Any]:
        return paired(empty, h, args.paired, args.rounds) if empty else h.measure(args.rounds)

    for size in [int(x) for x in args.sizes.split(",")]:
        took = h.add_history(size - h.stored)
        row = measure()
        row["history_insert_s"] = round(took, 1)
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.waiting:
        h.add_waiting(args.waiting)
        row = measure()
        results.append(row)
        print(json.dumps(row), flush=True)
    code = os.environ.get("HQ_CODE", "this tree")
    Path(args.out).write_text(
        json.dumps({"db": args.db, "code": code, "results": results}, indent=2) + "\n", encoding="utf-8"
    )


def _database(kind: str, tmp: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / (name + '.db')}"
    import psycopg

    db = f"hq_history_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    return f"postgresql://postgres@127.0.0.1:5432/{db}"


if __name__ == "__main__":
    main()
