"""Throughput and latency of the queue server, and call-to-display latency across processes.

    .venv/bin/python bench/load.py            # everything; writes bench/results.json
    .venv/bin/python bench/load.py --quick    # fewer requests, for a smoke run

Runs real `queue-server serve` processes on loopback: one on SQLite, then two on PostgreSQL
(127.0.0.1:5432). A bench hall with 64 windows serving one item is generated, so that 64 clients
can call next concurrently. The load comes from threads in this process (httpx); on a 2-core machine
client and server share the CPU, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import ServerProcess, SseClient, run_cli, staff_headers  # noqa: E402

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


def run_load(
    urls: list[str], clients: int, per_client: int, op: str, headers: dict[str, str]
) -> dict[str, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def worker(k: int) -> None:
        mine: list[float] = []
        with httpx.Client(base_url=urls[k % len(urls)], timeout=60, headers=headers) as http:
            window = f"{k + 1:02d}"
            for _ in range(per_client):
                t0 = time.perf_counter()
                if op == "issue":
                    r = http.post(
                        f"/api/v1/halls/{HALL}/tickets",
                        json={"service": ITEM, "idempotency_key": uuid.uuid4().hex, "channel": "counter"},
                    )
                    ok = r.status_code == 201
                else:
                    r = http.post(f"/api/v1/halls/{HALL}/windows/{window}/call-next")
                    ok = r.status_code == 200
                mine.append(time.perf_counter() - t0)
                if not ok:
                    errors.append(f"{r.status_code} {r.text[:200]}")
                    return
                if op == "call":  # free the window again (not timed)
                    http.post(f"/api/v1/tickets/{r.json()['id']}/no-show")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(errors[0])
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
    servers = [ServerProcess(db_url, work / "data").start() for _ in range(processes)]
    urls = [s.url for s in servers]
    os.environ["QUEUE_DATA_DIR"] = str(work / "data")  # the servers' secret, for the account below
    headers = staff_headers(urls[0], db_url, "manager", HALL)
    try:
        out: dict = {"scenario": name, "issue": [], "call_next": []}
        for clients in (1, 16, 64):
            per_client = max(args.requests // clients, 5)
            out["issue"].append(run_load(urls, clients, per_client, "issue", headers))
        for clients in (1, 16, 64):
            per_client = max(args.requests // 4 // clients, 3)
            out["call_next"].append(run_load(urls, clients, per_client, "call", headers))
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
        (work / "sqlite").mkdir()
        results["scenarios"].append(
            scenario(
                "SQLite, 1 process", f"sqlite:///{work / 'sqlite' / 'q.sqlite3'}", 1, work / "sqlite", args
            )
        )
        name = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            (work / "pg").mkdir()
            results["scenarios"].append(
                scenario(
                    "PostgreSQL, 2 processes",
                    f"postgresql://postgres@127.0.0.1:5432/{name}",
                    2,
                    work / "pg",
                    args,
                )
            )
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
