"""`python -m drivers.sim printer|idcard|scanner`: run a simulated device until stdin closes or Ctrl-C.

printer [--tcp PORT | --pty] [--png-dir DIR] [--paper ok|near_end|out] [--silent]
    prints its URL; writes one PNG per cut job into DIR; stdin: paper ok|near_end|out, cover open|closed,
    silent on|off, png FILE, quit
idcard [--cards FILE]
    prints its /dev/pts/N; stdin: list, present N, remove, unplug, replug, quit,
    fault garbage|bad_checksum|silence|sam_failure|none
scanner [--terminator CR|LF|CRLF]
    prints its /dev/pts/N; every stdin line is sent as one scan; quit ends
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence

from drivers.idcard.idnumber import mask_id_number, mask_name
from drivers.sim.idcard import VirtualIdCardReader
from drivers.sim.printer import VirtualPrinter
from drivers.sim.scanner import VirtualScanner


def _loop(handle: Callable[[list[str]], str | None]) -> None:
    for raw in sys.stdin:
        words = raw.split()
        if not words:
            continue
        if words[0] in ("quit", "exit"):
            return
        try:
            answer = handle(words)
        except (ValueError, IndexError) as exc:
            answer = f"? {exc}"
        print(answer or "?", flush=True)


def run_printer(args: argparse.Namespace) -> None:
    transport = "tcp" if args.tcp is not None else "pty"
    vp = VirtualPrinter(transport=transport, port=args.tcp or 0, paper=args.paper, silent=args.silent,
                        png_dir=args.png_dir, dots=384 if args.width == 58 else 576,
                        encoding=args.encoding).start()
    print(vp.url, flush=True)

    def handle(w: list[str]) -> str | None:
        if w[0] == "paper":
            vp.set_paper(w[1])  # type: ignore[arg-type]
            return f"paper {w[1]}"
        if w[0] == "cover":
            vp.set_cover_open(w[1] == "open")
            return f"cover {w[1]}"
        if w[0] == "silent":
            vp.set_silent(w[1] == "on")
            return f"silent {w[1]}"
        if w[0] == "png":
            return str(vp.render_png(w[1]))
        if w[0] == "jobs":
            return " ".join(str(len(j)) for j in vp.jobs) or "none"
        return None

    try:
        _loop(handle)
    finally:
        vp.stop()


def run_idcard(args: argparse.Namespace) -> None:
    sim = VirtualIdCardReader(cards_file=args.cards).start()
    print(sim.port, flush=True)

    def handle(w: list[str]) -> str | None:
        if w[0] == "list":
            return "\n".join(f"{i}: {c.get('type')} {mask_name(c.get('name', ''))} "
                             f"{mask_id_number(c.get('id_number', ''))}" for i, c in enumerate(sim.cards))
        if w[0] == "present":
            sim.present(int(w[1]))
            return f"card {w[1]} present"
        if w[0] == "remove":
            sim.remove()
            return "card removed"
        if w[0] == "fault":
            sim.set_fault(None if w[1] == "none" else w[1])
            return f"fault {w[1]}"
        if w[0] == "unplug":
            sim.unplug()
            return "unplugged"
        if w[0] == "replug":
            sim.replug()
            return sim.port
        return None

    try:
        _loop(handle)
    finally:
        sim.stop()


def run_scanner(args: argparse.Namespace) -> None:
    sim = VirtualScanner(args.terminator).start()
    print(sim.port, flush=True)

    def handle(w: list[str]) -> str:
        text = " ".join(w)
        sim.scan(text)
        return f"scanned {text}"

    try:
        _loop(handle)
    finally:
        sim.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.sim", description="模拟设备 / simulated devices")
    sub = parser.add_subparsers(dest="device", required=True)
    p = sub.add_parser("printer")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--tcp", type=int, metavar="PORT", help="listen on 127.0.0.1:PORT (0: any free port)")
    where.add_argument("--pty", action="store_true", help="a pseudo-terminal (the default)")
    p.add_argument("--png-dir", help="write each cut job as a PNG here")
    p.add_argument("--paper", choices=("ok", "near_end", "out"), default="ok")
    p.add_argument("--silent", action="store_true", help="never answer status queries")
    p.add_argument("--width", type=int, choices=(58, 80), default=80)
    p.add_argument("--encoding", choices=("gb18030", "gbk", "big5", "utf-8"), default="gb18030",
                   help="how the printer's Chinese font reads text")
    p.set_defaults(func=run_printer)
    p = sub.add_parser("idcard")
    p.add_argument("--cards", help="cards file (default: drivers/sim/cards.example.json)")
    p.set_defaults(func=run_idcard)
    p = sub.add_parser("scanner")
    p.add_argument("--terminator", choices=("CR", "LF", "CRLF"), default="CR")
    p.set_defaults(func=run_scanner)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the normal way to stop a simulator
        args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
