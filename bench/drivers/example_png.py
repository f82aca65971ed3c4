"""Renders the example documents through the real path: render() → TicketPrinter → TCP → virtual
printer → PNG. Writes docs/images/example-ticket.png (referenced from drivers/README.md) and the
notice and appointment slips next to it.

    .venv/bin/python bench/drivers/example_png.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.printer import (  # noqa: E402 - after the path setup for running as a script
    example_appointment_slip,
    example_notice_slip,
    example_ticket,
    open_printer,
)
from drivers.sim import VirtualPrinter  # noqa: E402


def main() -> None:
    out = ROOT / "docs" / "images"
    docs = {"example-ticket.png": example_ticket(), "example-notice-slip.png": example_notice_slip(),
            "example-appointment-slip.png": example_appointment_slip()}
    vp = VirtualPrinter(transport="tcp").start()
    try:
        with open_printer(vp.url, "80mm") as printer:
            for doc in docs.values():
                printer.print_document(doc)
        deadline = time.monotonic() + 5
        while len(vp.jobs) < len(docs) and time.monotonic() < deadline:
            time.sleep(0.01)
        for (name, _), job in zip(docs.items(), vp.jobs, strict=True):
            path = vp.render_png(out / name, job)
            print(f"{path.relative_to(ROOT)}: {len(job)} bytes received")
    finally:
        vp.stop()


if __name__ == "__main__":
    main()
