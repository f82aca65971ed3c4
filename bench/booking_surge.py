"""The release surge (放号): N citizens' phones book at once for M places of one slot, while a kiosk
keeps issuing walk-in tickets.

    .venv/bin/python bench/booking_surge.py                      # 2,000 for 100, both databases
    .venv/bin/python bench/booking_surge.py --citizens 500 --places 50 --only sqlite

Real `queue-server serve --no-access-log` processes on loopback (one on SQLite, two on PostgreSQL,
as bench/load.py). Every citizen is a distinct invented resident; one in ten taps twice (the same
request, same idempotency key, sent again at once on another connection). The surge's requests come
from `--connections` keep-alive connections driven by asyncio, all started together. Checked after
the surge, from the database: exactly M live bookings, the slot's counter at M, no person with two.
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
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import PG_ADMIN, _Conn, percentile  # noqa: E402
from tests.id_cases import resident_number  # noqa: E402
from tests.support import ServerProcess, run_cli, staff_db  # noqa: E402

HALL = "surge"
ITEM = "SURGE-0001"


def surge_hall(path: Path, places: int) -> Path:
    """One item, booked by 30-minute slots of `places` places (no walk-in share: M is what is booked)."""
    path.write_text(
        f"""[hall]
code = "{HALL}"
name = "放号压测大厅"
name_en = "Surge hall"
enforce_hours = false
number_width = 5

[hall.hours]
mon = ["08:30-17:30"]

[hall.appointments]
walk_in_share = 0.0

[[zones]]
key = "main"
name = "综合区"
name_en = "Main"
kind = "window_service"

[[services]]
code = "{ITEM}"
name = "综合业务"
name_en = "General"
prefix = "A"
zone = "main"
approval = "single"
applicant_types = ["natural_person"]
statutory_days = 1
promised_days = 1
id_required = false

[services.appointment]
slot_min = 30
capacity = {places}

[[windows]]
code = "01"
name = "1号窗口"
zone = "main"
skills = [{{ service = "{ITEM}", level = 1 }}]
""",
        encoding="utf-8",
    )
    return path


def slot_tomorrow() -> str:
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)
    return f"{day.isoformat()}T10:00:00+08:00"


async def surge(urls: list[str], kiosk: tuple[str, dict[str, str]], args: argparse.Namespace) -> dict:
    slot = slot_tomorrow()
    # (citizen, idempotency key): one in ten appears twice (a double tap), next to its twin.
    requests: list[tuple[int, str]] = []
    for i in range(args.citizens):
        key = uuid.uuid4().hex
        requests.extend([(i, key)] * (2 if i % 10 == 0 else 1))
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for r in requests:
        queue.put_nowait(r)
    latencies: list[float] = []
    outcomes: dict[int, int] = {}
    codes_by_key: dict[str, set[str]] = {}
    booked_at: list[float] = []  # seconds after the start, of every new booking
    done = asyncio.Event()

    async def phone(k: int) -> None:
        conn = _Conn(urls[k % len(urls)], {})
        await conn.open()
        try:
            while not queue.empty():
                person, key = queue.get_nowait()
                body = {
                    "service": ITEM,
                    "slot_start": slot,
                    "id_card": {"id_number": resident_number(person), "name": "压测"},
                    "phone": f"139{person:08d}",
                    "idempotency_key": key,
                }
                t0 = time.perf_counter()
                status, data = await conn.post(f"/api/v1/halls/{HALL}/appointments", body)
                latencies.append(time.perf_counter() - t0)
                outcomes[status] = outcomes.get(status, 0) + 1
                if status == 201:
                    booked_at.append(time.perf_counter() - start)
                if status in (200, 201):
                    codes_by_key.setdefault(key, set()).add(json.loads(data)["code"])
                elif status != 409:
                    raise RuntimeError(f"{status} {data[:200]!r}")
        finally:
            conn.close()

    async def kiosk_loop(samples: list[float]) -> None:
        conn = _Conn(kiosk[0], kiosk[1])
        await conn.open()
        try:
            while not done.is_set():
                body = {"service": ITEM, "idempotency_key": uuid.uuid4().hex, "channel": "kiosk"}
                t0 = time.perf_counter()
                status, data = await conn.post(f"/api/v1/halls/{HALL}/tickets", body)
                samples.append(time.perf_counter() - t0)
                if status != 201:
                    raise RuntimeError(f"kiosk: {status} {data[:200]!r}")
                await asyncio.sleep(args.kiosk_every)
        finally:
            conn.close()

    quiet: list[float] = []
    task = asyncio.create_task(kiosk_loop(quiet))
    await asyncio.sleep(args.kiosk_every * 40)  # the kiosk alone, for comparison
    done.set()
    await task
    done.clear()
    during: list[float] = []
    task = asyncio.create_task(kiosk_loop(during))
    start = time.perf_counter()  # read by phone() through the closure
    await asyncio.gather(*(phone(k) for k in range(args.connections)))
    elapsed = time.perf_counter() - start
    done.set()
    await task
    return {
        "citizens": args.citizens,
        "requests": len(requests),
        "connections": args.connections,
        "places": args.places,
        "answers": {str(k): v for k, v in sorted(outcomes.items())},
        "double_taps_with_two_codes": sum(1 for codes in codes_by_key.values() if len(codes) > 1),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(requests) / elapsed, 1),
        "filled_after_s": round(max(booked_at), 2) if booked_at else None,
        "bookings_per_second_until_filled": round(len(booked_at) / max(booked_at), 1) if booked_at else None,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "kiosk_quiet": {"samples": len(quiet), "p50_ms": ms(quiet, 50), "p99_ms": ms(quiet, 99)},
        "kiosk_during_surge": {
            "samples": len(during),
            "p50_ms": ms(during, 50),
            "p99_ms": ms(during, 99),
            "max_ms": round(max(during) * 1000, 1),
        },
    }


def ms(values: list[float], p: float) -> float:
    return round(percentile(values, p) * 1000, 1)


def check_database(db_url: str, data_dir: Path) -> dict:
    from queue_server.db.models import Appointment, SlotCount
    from queue_server.runtime import open_context

    os.environ["QUEUE_DATA_DIR"] = str(data_dir)
    ctx = open_context(db_url, migrate=False)
    try:
        with ctx.read() as s:
            live = s.scalar(
                select(func.count()).select_from(Appointment).where(Appointment.status == "booked")
            )
            counter = s.scalar(select(func.sum(SlotCount.booked)))
            most = s.scalar(
                select(func.count()).select_from(Appointment).group_by(Appointment.id_hash).order_by(
                    func.count().desc()
                ).limit(1)
            )  # fmt: skip
        return {"live_bookings": live, "slot_counter": counter, "most_bookings_of_one_person": most}
    finally:
        ctx.sessions.kw["bind"].dispose()


def scenario(name: str, db_url: str, processes: int, work: Path, args: argparse.Namespace) -> dict:
    env = {**os.environ, "QUEUE_DATA_DIR": str(work / "data")}
    run_cli("import-hall", str(surge_hall(work / "surge.toml", args.places)), "--db", db_url, env=env)
    staff_db(db_url, env, HALL)  # a clerk at the window: walk-in tickets need one
    out = run_cli("device", "add", "kiosk-surge", "--kind", "kiosk", "--hall", HALL, "--db", db_url, env=env)
    kiosk_token = out.stdout.strip().splitlines()[-1].strip()
    servers = [
        ServerProcess(db_url, work / "data", None, "--no-access-log").start() for _ in range(processes)
    ]
    try:
        urls = [s.url for s in servers]
        kiosk = (urls[-1], {"authorization": f"Bearer {kiosk_token}"})
        result = asyncio.run(surge(urls, kiosk, args))
    finally:
        for s in servers:
            s.stop()
    result = {"scenario": name, **result, "database": check_database(db_url, work / "data")}
    db = result["database"]
    result["exact"] = (
        db["live_bookings"] == db["slot_counter"] == args.places
        and db["most_bookings_of_one_person"] == 1
        and result["answers"].get("201") == args.places
        and result["double_taps_with_two_codes"] == 0
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--citizens", type=int, default=2000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--connections", type=int, default=200, help="surge connections open at once")
    parser.add_argument("--kiosk-every", type=float, default=0.05, help="seconds between kiosk tickets")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "booking_surge.json")
    args = parser.parse_args()
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
            name = f"surge_{uuid.uuid4().hex[:8]}"
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
    if not all(s["exact"] for s in results["scenarios"]):
        sys.exit("NOT EXACT: see the database figures above")


if __name__ == "__main__":
    main()
