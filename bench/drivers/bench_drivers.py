"""Driver figures: bytes per document and profile, their time on the wire, and the time of a card
read and a print job against the simulators. Writes bench/drivers/RESULTS.md.

    .venv/bin/python bench/drivers/bench_drivers.py
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.idcard import IdCardReader  # noqa: E402 - after the path setup for running as a script
from drivers.idcard.frames import FrameDecoder, build_reply  # noqa: E402
from drivers.printer import (  # noqa: E402
    PROFILES,
    example_appointment_slip,
    example_notice_slip,
    example_ticket,
    open_printer,
    render,
)
from drivers.sim import VirtualIdCardReader, VirtualPrinter  # noqa: E402

BYTES_PER_SECOND = {9600: 960, 115200: 11520}  # 8N1: ten bits per byte


def document_table() -> list[str]:
    rows = ["| Profile | Queue ticket | Notice slip | Appointment slip | Ticket at 9600 baud | at 115200 |",
            "|---|---|---|---|---|---|"]
    for name in PROFILES:
        sizes = [len(render(d, name)) for d in (example_ticket(), example_notice_slip(),
                                                 example_appointment_slip())]
        t9600 = sizes[0] / BYTES_PER_SECOND[9600]
        t115 = sizes[0] / BYTES_PER_SECOND[115200]
        rows.append(f"| {name} | {sizes[0]:,} B | {sizes[1]:,} B | {sizes[2]:,} B | {t9600:.2f} s "
                    f"| {t115:.3f} s |")
    return rows


def time_card_reads(n: int = 30) -> list[float]:
    sim = VirtualIdCardReader().start()
    times = []
    try:
        with IdCardReader(sim.port) as reader:
            for i in range(n):
                sim.present(i % len(sim.cards))
                t = time.perf_counter()
                card = reader.read_once()
                times.append(time.perf_counter() - t)
                assert card is not None
    finally:
        sim.stop()
    return times


def time_print_jobs(n: int = 30) -> list[float]:
    vp = VirtualPrinter(transport="tcp").start()
    times = []
    try:
        with open_printer(vp.url) as printer:
            for _ in range(n):
                t = time.perf_counter()
                printer.print_document(example_ticket())
                times.append(time.perf_counter() - t)
    finally:
        vp.stop()
    return times


def decoder_throughput() -> float:
    stream = (b"\x00\xaa\x13" + build_reply(0x90, bytes(1291))) * 200
    t = time.perf_counter()
    decoder = FrameDecoder()
    for i in range(0, len(stream), 512):
        decoder.feed(stream[i:i + 512])
    return len(stream) / (time.perf_counter() - t) / 1e6


def ms(values: list[float]) -> str:
    median, worst = statistics.median(values) * 1000, max(values) * 1000
    return f"median {median:.2f} ms, max {worst:.2f} ms (n={len(values)})"


def main() -> None:
    reads = time_card_reads()
    jobs = time_print_jobs()
    lines = [
        "# Driver figures",
        "",
        f"Measured by `bench/drivers/bench_drivers.py` on {platform.machine()}, "
        f"Python {platform.python_version()}.",
        "Wire times are computed for 8N1 serial (10 bits per byte); the simulators run over pseudo-terminals",
        "and TCP on the same machine, so their times show driver overhead, not device speed.",
        "",
        "## Bytes per document (the standard examples in drivers/printer/documents.py)",
        "",
        *document_table(),
        "",
        "The standard ticket with the printer's font and native QR is asserted ≤ 400 bytes in",
        "tests/drivers/test_printer_render.py; raster profiles are tens of kilobytes.",
        "",
        "## Against the simulators",
        "",
        f"- ID card find → select → read (text + photo, 1295-byte reply) over a pty: {ms(reads)}",
        f"- Queue ticket print job over TCP including status checks before and after: {ms(jobs)}",
        f"- Frame decoder throughput, garbage between frames: {decoder_throughput():.1f} MB/s",
        "",
    ]
    out = Path(__file__).with_name("RESULTS.md")
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
