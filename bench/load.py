"""Throughput and latency of the queue server, and call-to-display latency across processes.

    .venv/bin/python bench/load.py            # everything; writes bench/results.json
    .venv/bin/python bench/load.py --quick    # fewer requests, for a smoke run

Runs real `queue-server serve` processes on loopback: one on SQLite, then two on PostgreSQL
(127.0.0.1:5432). A bench hall with 64 windows serving one item is generated, so that 64 clients
can call next concurrently. The load comes from keep-alive connections driven by asyncio in this
process; on a 2-core machine client and servers share the CPU, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import ServerProcess, SseClient, run_cli, staff_db, staff_headers  # noqa: E402

HALL = "bench"
ITEM = "BENCH-0001"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def bench_hall(path: Path, windows: int = 64) -> Path:
    lines = [
        '[hall]\ncode = "bench"\nname = "压测大厅"\nname_en = "Bench hall"\n'
        "enforce_hours = false\nnumber_width = 5",
        '[hall.hours]\nmon = ["00:00-24:00"]',
        '[[zones]]\nkey = "main"\nname = "综合区"\nname_en = "Main"\nkind = "window_service"',
        f'[[services]]\ncode = "{ITEM}"\nname = "综合业务"\nname_en = "General"\nprefix = "A"\n'
        'zone = "main"\n'
        'approval = "single"\napplicant_types = ["natural_person"]\nstatutory_days = 1\npromised_days = 1\n'
        "id_required = false",
    ]
    for w in range(1, windows + 1):
        lines.append(
            f'[[windows]]\ncode = "{w:02d}"\nname = "{w}号窗口"\nzone = "main"\n'
            f'skills = [{{ service = "{ITEM}", level = 1 }}]'
        )
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class _Conn:
    """One keep-alive HTTP/1.1 connection, written by hand: the load generator shares the two cores
    with the servers, and a light client leaves them more of the machine than httpx threads do."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else b""
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n{self.head}\r\n".encode()
            + data
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return int(head.split(b" ", 2)[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def run_load(
    urls: list[str], clients: int, per_client: int, op: str, headers: dict[str, str]
) -> dict[str, float]:
    """`clients` connections, each sending its requests one after another; latency per request."""

    async def client(k: int, latencies: list[float]) -> None:
        conn = _Conn(urls[k % len(urls)], headers)
        await conn.open()
        window = f"{k + 1:02d}"
        try:
            for _ in range(per_client):
                t0 = time.perf_counter()
                if op == "issue":
                    body = {"service": ITEM, "idempotency_key": uuid.uuid4().hex, "channel": "counter"}
                    status, data = await conn.post(f"/api/v1/halls/{HALL}/tickets", body)
                    ok = status == 201
                else:
                    status, data = await conn.post(f"/api/v1/halls/{HALL}/windows/{window}/call-next")
                    ok = status == 200
                latencies.append(time.perf_counter() - t0)
                if not ok:
                    raise RuntimeError(f"{status} {data[:200]!r}")
                if op == "call":  # free the window again (not timed)
                    await conn.post(f"/api/v1/tickets/{json.loads(data)['id']}/no-show")
        finally:
            conn.close()

    async def everyone() -> tuple[list[float], float]:
        latencies: list[float] = []
        start = time.perf_counter()
        await asyncio.gather(*(client(k, latencies) for k in range(clients)))
        return latencies, time.perf_counter() - start

    latencies, elapsed = asyncio.run(everyone())
    return {
        "clients": clients,
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }


def push_latency(a: str, b: str, samples: int, headers: dict[str, str]) -> dict[str, float]:
    """call-next on process A returns → the event arrives on a stream served by process B."""
    seq = httpx.get(f"{b}/api/v1/halls/{HALL}/snapshot", headers=headers).json()["event_seq"]
    arrivals: dict[int, float] = {}
    stream = SseClient(f"{b}/api/v1/halls/{HALL}/events", last_event_id=seq, headers=headers)
    original = stream.events

    class Stamped(list):  # type: ignore[type-arg]
        def append(self, item: object) -> None:
            _, kind, data = item  # type: ignore[misc]
            if kind == "ticket.called":
                arrivals[data["payload"]["ticket_id"]] = time.perf_counter()
            super().append(item)

    stream.events = Stamped(original)
    stream.start()
    gaps: list[float] = []
    with httpx.Client(base_url=a, timeout=30, headers=headers) as http:
        for _ in range(samples):
            http.post(
                f"/api/v1/halls/{HALL}/tickets",
                json={"service": ITEM, "idempotency_key": uuid.uuid4().hex, "channel": "counter"},
            )
            r = http.post(f"/api/v1/halls/{HALL}/windows/01/call-next")
            returned = time.perf_counter()
            tid = r.json()["id"]
            deadline = time.monotonic() + 5
            while tid not in arrivals and time.monotonic() < deadline:
                time.sleep(0.0005)
            gaps.append(arrivals[tid] - returned)
            http.post(f"/api/v1/tickets/{tid}/no-show")
            time.sleep(0.01)
    stream.stop()
    return {
        "samples": samples,
        "p50_ms": round(percentile(gaps, 50) * 1000, 1),
        "p95_ms": round(percentile(gaps, 95) * 1000, 1),
        "max_ms": round(max(gaps) * 1000, 1),
    }


def scenario(name: str, db_url: str, processes: int, work: Path, args: argparse.Namespace) -> dict:
    env = {**os.environ, "QUEUE_DATA_DIR": str(work / "data")}
    run_cli("import-hall", str(bench_hall(work / "bench.toml")), "--db", db_url, env=env)
    staff_db(db_url, env, HALL)  # a hall at work: walk-in tickets only for items a clerk serves
    # As deployed (packaging/): behind nginx, which keeps the access log.
    servers = [
        ServerProcess(db_url, work / "data", None, "--no-access-log").start() for _ in range(processes)
    ]
    urls = [s.url for s in servers]
    os.environ["QUEUE_DATA_DIR"] = str(work / "data")  # the servers' secret, for the account below
    headers = staff_headers(urls[0], db_url, "manager", HALL)
    try:
        out: dict = {"scenario": name, "issue": [], "call_next": []}
        waiting = 0  # the queue each run starts with: every issue run adds to it, call runs take from it
        for clients in (1, 16, 64):
            per_client = max(args.requests // clients, 5)
            row = {**run_load(urls, clients, per_client, "issue", headers), "waiting_at_start": waiting}
            waiting += row["requests"]
            out["issue"].append(row)
        for clients in (1, 16, 64):
            per_client = max(args.requests // 4 // clients, 3)
            row = {**run_load(urls, clients, per_client, "call", headers), "waiting_at_start": waiting}
            waiting -= row["requests"]
            out["call_next"].append(row)
        if processes >= 2:
            out["push_latency_cross_process"] = push_latency(urls[0], urls[1], args.samples, headers)
        return out
    finally:
        for s in servers:
            s.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="issues per concurrency level")
    parser.add_argument("--samples", type=int, default=200, help="call-to-display samples")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="run one scenario")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.samples = 300, 30
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "scenarios": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "sqlite"):
            (work / "sqlite").mkdir()
            db = f"sqlite:///{work / 'sqlite' / 'q.sqlite3'}"
            results["scenarios"].append(scenario("SQLite, 1 process", db, 1, work / "sqlite", args))
        if args.only in (None, "postgres"):
            name = f"bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                (work / "pg").mkdir()
                db = f"postgresql://postgres@127.0.0.1:5432/{name}"
                results["scenarios"].append(scenario("PostgreSQL, 2 processes", db, 2, work / "pg", args))
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
