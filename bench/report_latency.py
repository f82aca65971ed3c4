"""Report latency on a year of history: a 1-million-ticket database of the example hall.

    .venv/bin/python bench/report_latency.py                  # SQLite file, 1,000,000 tickets
    .venv/bin/python bench/report_latency.py --db postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/report_latency.py --tickets 100000  # smaller, for a smoke run

The history is written by bulk inserts (executemany of plain rows), not through the service layer:
issuing a million tickets one by one through it would take hours on this machine. The rows look like
the service layer's: 365 business days, items and windows of the example hall with their skills,
the clerk signed in at the window, waits and service times, outcomes on finished tickets, a rating
on one ticket in three (one in twenty of them bad, with its case). Then it times:
  1. building the summary of the whole year (a one-off: each day is summarised once it has ended);
  2. reports over the year, a quarter, a month, a week and a day, by item, window, clerk, zone and
     period, each read from the built summary (`report` of services/reports.py, as the API calls it).
Writes bench/report_results.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from queue_server.db.models import (  # noqa: E402
    Evaluation,
    Hall,
    RectificationCase,
    Service,
    Ticket,
    TicketOutcome,
    Window,
    WindowSkill,
)
from queue_server.hall_config.load import load_hall_file  # noqa: E402
from queue_server.runtime import open_context  # noqa: E402
from queue_server.services import reports  # noqa: E402
from queue_server.services.context import SYSTEM  # noqa: E402
from queue_server.services.hall_import import import_hall  # noqa: E402

FIRST = date(2025, 12, 1)
DAYS = 365
OUTCOMES = ["accepted"] * 70 + ["notice"] * 12 + ["deferred"] * 5 + ["refused"] * 3 + ["consult"] * 10


def populate(ctx, total: int, seed: int = 14) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    with ctx.read() as s:
        hall = s.scalar(select(Hall).where(Hall.code == "xiqu"))
        assert hall is not None
        items = {
            sid: prefix
            for sid, prefix in s.execute(select(Service.id, Service.prefix).where(Service.hall_id == hall.id))
        }
        skills: dict[int, list[int]] = {}
        for wid, sid in s.execute(select(WindowSkill.window_id, WindowSkill.service_id).join(Window)):
            skills.setdefault(sid, []).append(wid)
        hall_id = hall.id
    served_items = [sid for sid in items if skills.get(sid)]
    clerk_of = {wid: 1000 + wid for ws in skills.values() for wid in ws}  # one clerk per window
    per_day = total // DAYS
    tid = 0
    eid = 0
    for d in range(DAYS):
        day = FIRST + timedelta(days=d)
        opening = datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
        tickets, outcomes, ratings, cases = [], [], [], []
        numbers: dict[str, int] = {}
        for _ in range(per_day if d < DAYS - 1 else total - per_day * (DAYS - 1)):
            tid += 1
            sid = rnd.choice(served_items)
            prefix = items[sid]
            numbers[prefix] = numbers.get(prefix, 0) + 1
            issued = opening + timedelta(seconds=rnd.randrange(0, 8 * 3600))
            r = rnd.random()
            status = (
                "done" if r < 0.86 else "no_show" if r < 0.92 else "cancelled" if r < 0.97 else "transferred"
            )
            wid = rnd.choice(skills[sid]) if status != "cancelled" else None
            called = issued + timedelta(seconds=rnd.randrange(30, 3600)) if wid else None
            started = (
                called + timedelta(seconds=rnd.randrange(10, 120)) if called and status != "no_show" else None
            )
            ended = started + timedelta(seconds=rnd.randrange(60, 1800)) if started else None
            tickets.append(
                {
                    "id": tid,
                    "hall_id": hall_id,
                    "service_id": sid,
                    "number": f"{prefix}{numbers[prefix]:03d}",
                    "business_day": day,
                    "status": status,
                    "priority_class": "normal",
                    "channel": "kiosk",
                    "window_id": wid,
                    "clerk_id": clerk_of.get(wid) if wid else None,
                    "recall_count": 0,
                    "issued_at": issued,
                    "wait_since": issued,
                    "called_at": called,
                    "started_at": started,
                    "ended_at": ended,
                    "token": uuid.UUID(int=rnd.getrandbits(128)).hex,
                    "idempotency_key": f"bench-{tid}",
                }
            )
            if status == "done":
                outcomes.append(
                    {
                        "ticket_id": tid,
                        "hall_id": hall_id,
                        "kind": rnd.choice(OUTCOMES),
                        "missing": [],
                        "at": ended,
                    }
                )
                if rnd.random() < 1 / 3:
                    eid += 1
                    level = rnd.choice([1, 2]) if rnd.random() < 0.05 else rnd.choice([3, 4, 5, 5, 5])
                    ratings.append(
                        {
                            "id": eid,
                            "ticket_id": tid,
                            "hall_id": hall_id,
                            "window_id": wid,
                            "service_id": sid,
                            "level": level,
                            "reasons": [],
                            "at": ended,
                            "follow_up": "open" if level <= 2 else None,
                            "clerk_id": clerk_of.get(wid),
                            "excluded": False,
                        }
                    )
                    if level <= 2:
                        cases.append(
                            {
                                "hall_id": hall_id,
                                "evaluation_id": eid,
                                "status": "closed",
                                "owner": "大厅管理员",
                                "opened_at": ended,
                                "due_on": day + timedelta(days=21),
                                "callback_reached": True,
                                "callback_satisfied": rnd.random() < 0.7,
                                "closed_at": ended + timedelta(days=5),
                            }
                        )
        with ctx.sessions() as s, s.begin():
            s.execute(insert(Ticket), tickets)
            if outcomes:
                s.execute(insert(TicketOutcome), outcomes)
            if ratings:
                s.execute(insert(Evaluation), ratings)
            if cases:
                s.execute(insert(RectificationCase), cases)
        if d % 30 == 0:
            print(f"  {day}: {tid} tickets", flush=True)


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="PostgreSQL admin URL (a database is created); default: an SQLite file")
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hq-report-bench-"))
    if args.db:
        name = f"hq_report_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.db, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = args.db.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    import os

    os.environ["QUEUE_DATA_DIR"] = str(tmp / "data")
    ctx = open_context(url)
    import_hall(ctx, SYSTEM, load_hall_file(ROOT / "config" / "hall.example.toml"))
    ctx.clock = lambda: datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # the day after the history's last day
    print(f"writing {args.tickets:,} tickets over {DAYS} days into {url.split('/')[0]} …", flush=True)
    t_fill, _ = timed(lambda: populate(ctx, args.tickets))
    last = FIRST + timedelta(days=DAYS - 1)
    hall_id = ctx_hall_id(ctx)
    t_days, _ = timed(lambda: reports.ensure_built(ctx, hall_id, FIRST, last, ("day",)))
    t_rollup, _ = timed(lambda: reports.ensure_built(ctx, hall_id, FIRST, last, ("month", "day")))
    t_weeks, _ = timed(lambda: reports.ensure_built(ctx, hall_id, FIRST, last, ("week", "day")))
    t_build = t_days + t_rollup + t_weeks
    print(
        f"history written in {t_fill:.0f} s; summary built in {t_build:.1f} s "
        f"(365 days {t_days:.1f} s, months {t_rollup:.1f} s, weeks {t_weeks:.1f} s)",
        flush=True,
    )
    cases = [
        ("year", FIRST, last, "item"),
        ("year", FIRST, last, "window"),
        ("year", FIRST, last, "clerk"),
        ("year", FIRST, last, "month"),
        ("year", FIRST, last, "zone"),
        ("quarter", last - timedelta(days=90), last, "week"),
        ("month", last - timedelta(days=29), last, "day"),
        ("week", last - timedelta(days=6), last, "clerk"),
        ("day", last, last, "item"),
    ]
    results = []
    for label, first, to, by in cases:
        runs = []
        for _ in range(3):
            secs, rep = timed(lambda f=first, t=to, b=by: reports.report(ctx, SYSTEM, "xiqu", f, t, b))
            runs.append(secs)
        results.append(
            {
                "range": label,
                "from": str(first),
                "to": str(to),
                "by": by,
                "rows": len(rep["rows"]),
                "issued": rep["total"]["issued"],
                "seconds_max": round(max(runs), 3),
                "seconds_min": round(min(runs), 3),
            }
        )
        print(
            f"  {label:8} by {by:7} {len(rep['rows']):4} rows  {max(runs) * 1000:7.0f} ms (max of 3)",
            flush=True,
        )
    out = {
        "database": "postgresql" if args.db else "sqlite",
        "tickets": args.tickets,
        "machine": f"{platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()}".strip(),
        "fill_seconds": round(t_fill, 1),
        "summary_build_seconds": round(t_build, 1),
        "summary_days_seconds": round(t_days, 1),
        "summary_months_seconds": round(t_rollup, 1),
        "summary_weeks_seconds": round(t_weeks, 1),
        "reports": results,
    }
    path = ROOT / "bench" / f"report_results_{out['database']}.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"written {path}")
    ctx.engine.dispose()
    if args.keep:
        print(f"kept: {url}")
    elif args.db:
        with psycopg.connect(args.db, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(r["seconds_max"] < 2 for r in results) else 1


def ctx_hall_id(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.read() as s:
        hall_id = s.scalar(select(Hall.id).where(Hall.code == "xiqu"))
        assert hall_id is not None
        return hall_id


if __name__ == "__main__":
    sys.exit(main())
