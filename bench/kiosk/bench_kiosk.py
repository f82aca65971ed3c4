"""Kiosk benchmark: confirm touch → ticket bytes handed to the printer, cold start, memory over time.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/kiosk/bench_kiosk.py [--tickets 2000] [--starts 5]

Runs the real kiosk backend (the same code the QML calls) against a real `queue-server` on loopback
and the simulated printer (TCP), ID reader and scanner of drivers.sim. The hall is the example hall
with its daily quotas and per-person limits lifted, so that thousands of tickets can be issued.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.kiosk.conftest import QueueServer  # noqa: E402 - after the path set-up

SERVICE = "510403-XK-SC-001"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def random_id_number(rng: random.Random) -> str:
    body = f"{rng.choice(['110105', '120103'])}{rng.randint(1940, 2005)}0101{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def issue_many(n: int, server_url: str, token: str,
               workdir: Path) -> tuple[list[float], list[float], dict[int, int]]:
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSize, QTimer
    from PySide6.QtGui import QGuiApplication

    from drivers.sim import VirtualIdCardReader, VirtualPrinter, VirtualScanner
    from kiosk import config as cfgmod
    from kiosk.app import KioskApp

    app = QGuiApplication.instance() or QGuiApplication([])
    printer, reader, scanner = VirtualPrinter(transport="tcp"), VirtualIdCardReader(), VirtualScanner()
    for device in (printer, reader, scanner):
        device.start()
    cfg = cfgmod.KioskConfig().with_values({
        "server.url": server_url, "server.token": token, "printer.url": printer.url,
        "reader.port": reader.port, "scanner.port": scanner.port,
        "paths.data_dir": str(workdir / "kiosk-data")})
    kiosk = KioskApp(app, cfg, workdir / "kiosk.toml", size=QSize(1080, 1920), fullscreen=False)
    kiosk.window.show()
    kiosk.start()
    b = kiosk.backend
    loop = QEventLoop()
    # One timer reused for every wait: QTimer.singleShot(ms, callable) leaks a little per call in
    # PySide6 6.12, which the benchmark would otherwise charge to the kiosk.
    tick = QTimer()
    tick.setSingleShot(True)
    tick.setInterval(5)
    tick.timeout.connect(loop.quit)

    def spin_until(condition, timeout_s: float = 30) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout_s
        while not condition():
            # What the kiosk's main loop does between events: run the deferred deletions (the QML
            # objects of the screens left behind). A nested QEventLoop started from outside the
            # main loop never runs them, which would look like a leak.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            if time.monotonic() > deadline:
                raise TimeoutError(f"kiosk did not get there in time: {b.screen} {b.issuing.refusal}")
            tick.start()
            loop.exec()

    spin_until(lambda: b.health.serverOnline and b.health.issuingEnabled and b.cache.has_catalogue())
    results: list[dict] = []  # only the last one is kept: the benchmark must not grow either

    def keep_last(r: dict) -> None:
        results[:] = [r]
        issued[0] += 1

    issued = [0]
    b.issuing.ticketIssued.connect(keep_last)
    rng = random.Random(7)
    to_printer: list[float] = []
    to_server: list[float] = []
    rss: dict[int, int] = {}
    for i in range(1, n + 1):
        b.openService(SERVICE)
        b.takeTicket()
        b.useKeypad()
        for ch in random_id_number(rng):
            b.identity.keypadPress(ch)
        b.keypadConfirm()
        assert b.screen == "confirm", b.screen
        b.confirm()  # the touch
        spin_until(lambda i=i: issued[0] >= i and b.screen == "ticket")
        r = results[-1]
        assert r["printed"], r
        to_printer.append(r["t_printed"] - r["t_confirm"])
        to_server.append(r["t_issued"] - r["t_confirm"])
        b.goHome()
        if i % 100 == 0:
            printer.clear()  # the simulated printer keeps every byte: test equipment, not the kiosk
        if i in (100, 500, 1000, 2000) or i == n:
            gc.collect()
            spin_until(lambda: True)
            rss[i] = rss_kib()
    kiosk.stop()
    for device in (scanner, reader, printer):
        device.stop()
    return to_printer, to_server, rss


def cold_starts(count: int, server_url: str, token: str, workdir: Path) -> list[float]:
    times = []
    for k in range(count):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--simulate", "--server", server_url, "--token", token,
             "--windowed", "--config", str(workdir / "none.toml"), "--data-dir", str(workdir / f"cold-{k}"),
             "--print-startup-time"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("home ready"):
                times.append(time.perf_counter() - started)
                break
        proc.terminate()
        proc.wait(10)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        workdir = Path(tmp)
        server = QueueServer(workdir, lift_limits=True)
        server.start()
        try:
            starts = cold_starts(args.starts, server.url, server.kiosk_token, workdir)
            to_printer, to_server, rss = issue_many(args.tickets, server.url, server.kiosk_token,
                                                    workdir)
        finally:
            server.stop()
    sample = to_printer[10:210]  # 200 tickets after a short warm-up
    server_sample = to_server[10:210]
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.platform()}")
    print(f"confirm → bytes handed to printer, {len(sample)} tickets: p50 {pct(sample, .5) * 1000:.1f} ms, "
          f"p95 {pct(sample, .95) * 1000:.1f} ms, max {max(sample) * 1000:.1f} ms")
    print(f"  of which confirm → server answered: p50 {pct(server_sample, .5) * 1000:.1f} ms, "
          f"p95 {pct(server_sample, .95) * 1000:.1f} ms")
    print(f"cold start to Home with live catalogue, {len(starts)} runs: "
          f"median {statistics.median(starts):.2f} s, max {max(starts):.2f} s")
    print("resident memory (VmRSS) after N tickets: "
          + ", ".join(f"{n}: {kib / 1024:.1f} MiB" for n, kib in sorted(rss.items())))
    first, last = min(rss), max(rss)
    print(f"growth {first} → {last} tickets: {(rss[last] - rss[first]) / 1024:+.1f} MiB")


if __name__ == "__main__":
    main()
