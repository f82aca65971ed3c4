"""A login flood against a real server while a kiosk issues tickets: server memory and kiosk latency.

    .venv/bin/python bench/login_flood.py                  # 48 attackers, 60 s; prints JSON
    .venv/bin/python bench/login_flood.py --seconds 10     # a shorter run

One `queue-server serve --no-access-log` process on a fresh SQLite file, with the server's real
argon2 costs (any QUEUE_ARGON2_* of the caller's environment is dropped). `--attackers` asyncio
connections post sign-ins for made-up usernames as fast as the server answers, each from a made-up
source address (`X-Forwarded-For`, which uvicorn trusts from loopback: the worst case, where no
per-address limit helps). Meanwhile one kiosk issues a ticket every `--kiosk-every` seconds and a
clerk signs in with the right password every `--clerk-every` seconds from its own desk's address
(where it signed in once before the flood); their
answers, the kiosk's latencies and the server's resident memory (sampled from /proc, plus the
kernel's peak VmHWM) are reported. `--one-address`: all attackers from loopback, the case a
per-address limit stops. The attackers share the machine's cores with the server, as a real flood
would not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import HALL, ITEM, _Conn, bench_hall, percentile  # noqa: E402
from tests.support import ServerProcess, run_cli  # noqa: E402

CLERK, CLERK_PASSWORD = "clerk-bench", "bench-clerk-password"


def rss_kib(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process in KiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def attacker(url: str, stop: float, statuses: Counter[int], spread: bool) -> None:
    conn = _Conn(url, {})
    await conn.open()
    while time.monotonic() < stop:
        if spread:
            address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
            conn.head = f"X-Forwarded-For: {address}\r\n"
        try:
            status, _ = await conn.post(
                "/api/v1/auth/login", {"username": f"nobody{uuid.uuid4().hex[:8]}", "password": "guess-guess"}
            )
        except (ConnectionError, asyncio.IncompleteReadError):
            statuses[0] += 1
            await conn.open()
            continue
        statuses[status] += 1


async def kiosk(url: str, token: str, stop: float, every: float, out: dict) -> None:
    conn = _Conn(url, {"Authorization": f"Bearer {token}"})
    await conn.open()
    path = f"/api/v1/halls/{HALL}/tickets"
    while time.monotonic() < stop:
        began = time.perf_counter()
        try:  # the kiosk gives up after 5 s
            status, _ = await asyncio.wait_for(
                conn.post(path, {"service": ITEM, "idempotency_key": uuid.uuid4().hex}), 5
            )
        except TimeoutError:
            out["timeouts"] += 1
            await conn.open()
            continue
        took = time.perf_counter() - began
        out["latencies"].append(took)
        out["statuses"][status] += 1
        await asyncio.sleep(max(0.0, every - took))  # pacing of the load, not synchronisation


async def clerk(url: str, stop: float, every: float, out: dict) -> None:
    """The clerk at window 01 signs in with the right password now and then, from its own address."""
    conn = _Conn(url, {"X-Forwarded-For": "192.168.1.5"})
    await conn.open()
    while time.monotonic() < stop:
        began = time.perf_counter()
        status, _ = await conn.post("/api/v1/auth/login", {"username": CLERK, "password": CLERK_PASSWORD})
        out["statuses"][status] += 1
        if status == 200:
            out["signed_in_ms"].append(round((time.perf_counter() - began) * 1000))
        await asyncio.sleep(every)  # pacing of the load, not synchronisation


async def memory(pid: int, stop: float, samples: list[int]) -> None:
    while time.monotonic() < stop:
        samples.append(rss_kib(pid)[0])
        await asyncio.sleep(0.5)


async def flood(url: str, pid: int, token: str, args: argparse.Namespace) -> dict:
    # The clerk signed in from the same desk before (earlier that week), as in a hall.
    desk = _Conn(url, {"X-Forwarded-For": "192.168.1.5"})
    await desk.open()
    assert (await desk.post("/api/v1/auth/login", {"username": CLERK, "password": CLERK_PASSWORD}))[0] == 200
    stop = time.monotonic() + args.seconds
    statuses: Counter[int] = Counter()
    issued: dict = {"latencies": [], "statuses": Counter(), "timeouts": 0}
    rss: list[int] = []
    signins: dict = {"statuses": Counter(), "signed_in_ms": []}
    attackers = [attacker(url, stop, statuses, not args.one_address) for _ in range(args.attackers)]
    await asyncio.gather(
        kiosk(url, token, stop, args.kiosk_every, issued),
        memory(pid, stop, rss),
        clerk(url, stop, args.clerk_every, signins),
        *attackers,
    )
    lat = issued["latencies"]
    return {
        "login_answers": dict(sorted(statuses.items())),
        "logins_per_second": round(sum(statuses.values()) / args.seconds, 1),
        "kiosk_issues": len(lat),
        "kiosk_statuses": dict(issued["statuses"]),
        "kiosk_timeouts": issued["timeouts"],
        "kiosk_p50_ms": round(percentile(lat, 50) * 1000, 1) if lat else None,
        "kiosk_p99_ms": round(percentile(lat, 99) * 1000, 1) if lat else None,
        "kiosk_max_ms": round(max(lat) * 1000, 1) if lat else None,
        "clerk_sign_ins": dict(signins["statuses"]),
        "clerk_signed_in_ms": signins["signed_in_ms"],
        "rss_max_mb": round(max(rss) / 1024, 1),
        "rss_peak_vmhwm_mb": round(rss_kib(pid)[1] / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--attackers", type=int, default=48)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kiosk-every", type=float, default=0.1, help="seconds between kiosk issues")
    parser.add_argument("--clerk-every", type=float, default=2, help="seconds between the clerk's sign-ins")
    parser.add_argument(
        "--one-address", action="store_true", help="every attacker from 127.0.0.1 (no X-Forwarded-For)"
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUEUE_")}
        env["QUEUE_DATA_DIR"] = str(work / "data")
        db = f"sqlite:///{work / 'q.sqlite3'}"
        run_cli("import-hall", str(bench_hall(work / "bench.toml", windows=4)), "--db", db, env=env)
        out = run_cli("device", "add", "kiosk-bench", "--kind", "kiosk", "--hall", HALL, "--db", db, env=env)
        token = out.stdout.strip().splitlines()[-1]
        add_user = ["user", "add", CLERK, "--role", "clerk", "--hall", HALL, "--password-stdin", "--db", db]
        run_cli(*add_user, env=env, stdin=CLERK_PASSWORD + "\n")
        server = ServerProcess(db, work / "data", None, "--no-access-log")
        server.env = env
        server.start()
        try:
            assert server.proc is not None
            idle = rss_kib(server.proc.pid)[0]
            result = asyncio.run(flood(server.url, server.proc.pid, token, args))
        finally:
            server.stop()
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "attackers": args.attackers,
        "addresses": "one" if args.one_address else "a made-up one per attempt",
        "seconds": args.seconds,
        "rss_idle_mb": round(idle / 1024, 1),
        **result,
    }
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
