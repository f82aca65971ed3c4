"""Diagnostics for maintenance staff: `python -m drivers …` (see drivers/README.md).

Exit status: 0 success · 1 device failure (not found, permission, timeout, not ready, nothing read)
· 2 wrong usage · 3 printer status unknown (no reply) · 130 interrupted.
Personal data is shown masked only.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
from collections.abc import Sequence

from drivers.errors import DeviceError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_UNKNOWN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
PROBE_BAUDS = (115200, 57600, 38400, 19200, 9600)


def _say(text: str) -> None:
    print(text, flush=True)


def _fail(text: str, code: int = EXIT_FAIL) -> int:
    print(f"错误 / error: {text}", file=sys.stderr, flush=True)
    return code


# -- ports --------------------------------------------------------------------------------------------
def cmd_ports(args: argparse.Namespace) -> int:
    from serial.tools import list_ports

    ports = sorted(list_ports.comports(), key=lambda p: p.device)
    links = sorted(glob.glob("/dev/serial/by-id/*"))
    printers = sorted(glob.glob("/dev/usb/lp*"))
    if not ports and not printers:
        _say("未发现串口或 USB 打印机设备 / no serial ports or USB printer devices found")
        return EXIT_OK
    for p in ports:
        ok = os.access(p.device, os.R_OK | os.W_OK)
        access = "" if ok else "  (无权限 / no permission: dialout group?)"
        _say(f"{p.device}\t{p.description or '-'}\t{p.hwid or '-'}{access}")
    for link in links:
        _say(f"{link} -> {os.path.realpath(link)}")
    for lp in printers:
        _say(f"{lp}\t打印机 / printer (use --printer file://{lp})")
    return EXIT_OK


# -- printer ------------------------------------------------------------------------------------------
def cmd_printer_status(args: argparse.Namespace) -> int:
    from drivers.printer import open_printer

    printer = open_printer(args.printer, args.profile)
    try:
        printer.connect()
        st = printer.status(timeout=args.timeout)
    finally:
        printer.close()
    if args.json:
        _say(json.dumps(st.to_dict(), ensure_ascii=False))
    else:
        _say(f"打印机 / printer: {printer.address}  (profile {printer.profile.name})")
        _say(st.describe())
    if st.ready is None:
        return EXIT_UNKNOWN
    return EXIT_OK if st.ready else EXIT_FAIL


def cmd_printer_test_ticket(args: argparse.Namespace) -> int:
    from drivers.printer import example_ticket, open_printer

    printer = open_printer(args.printer, args.profile)
    try:
        sent = printer.print_document(example_ticket())
    finally:
        printer.close()
    _say(f"测试凭条已发送 {sent} 字节 / test ticket sent: {sent} bytes  ({printer.address}, "
         f"profile {printer.profile.name})")
    if printer.last_status.ready is None:
        _say("注意：打印机未报告状态，请查看是否出纸 / note: the printer reports no status; check the paper")
    return EXIT_OK


# -- ID card ------------------------------------------------------------------------------------------
def cmd_idcard_probe(args: argparse.Namespace) -> int:
    from drivers.idcard import IdCardReader, IdCardTimeout

    try:
        with IdCardReader(args.port, args.baud) as reader:
            reader.sam_status()
            sam = reader.sam_id()
    except IdCardTimeout:
        for baud in (b for b in PROBE_BAUDS if b != args.baud):
            try:
                with IdCardReader(args.port, baud) as reader:
                    reader.sam_status()
            except DeviceError:
                continue
            return _fail(f"读卡器在 {baud} 波特率应答，而不是 {args.baud} / the reader answers at "
                         f"{baud} baud, not {args.baud}: use --baud {baud}")
        tried = ", ".join(map(str, PROBE_BAUDS))
        return _fail(f"{args.port} 上没有读卡器应答（已试 {tried}）/ no reader answers on {args.port} "
                     "at any baud: check the cable, the port and the reader's power")
    _say(f"SAM 状态 / SAM status: 正常 / OK  ({args.port}, {args.baud} baud)")
    _say(f"SAM 编号 / SAM id: {sam}")
    return EXIT_OK


def cmd_idcard_read(args: argparse.Namespace) -> int:
    from drivers.idcard import IdCardReader

    with IdCardReader(args.port, args.baud) as reader:
        if not args.json:
            _say(f"请放置证件… / place a card on the reader… ({args.timeout:g} s)")
        deadline = time.monotonic() + args.timeout
        card = None
        while time.monotonic() < deadline:
            card = reader.read_once()
            if card is not None:
                break
            time.sleep(0.3)
    if card is None:
        return _fail(f"{args.timeout:g} 秒内未检测到证件 / no card within {args.timeout:g} s")
    m = card.masked()
    if args.json:
        _say(json.dumps(m, ensure_ascii=False))
        return EXIT_OK
    kinds = {"resident": "居民身份证 / resident ID", "hk_mo_tw": "港澳台居民居住证 / HK-MO-TW permit",
             "foreign": "外国人永久居留身份证 / foreign permanent resident ID"}
    _say(f"证件类型 / type:        {kinds[m['type']]}")
    _say(f"姓名 / name:            {m['name']}")
    _say(f"证件号码 / number:      {m['id_number']}")
    _say(f"校验位 / check digit:   {'正确 / ok' if m['check_digit_ok'] else '错误 / WRONG'}")
    _say(f"出生年份 / birth year:  {m['birth_year'] or '-'}")
    expired = {True: "已过期 / EXPIRED", False: "有效 / valid", None: "未知 / unknown"}[m["expired"]]
    _say(f"有效期 / validity:      {expired}")
    _say(f"照片 / photo:           {len(card.photo)} 字节 / bytes (原始格式 / raw)")
    return EXIT_OK


# -- scanner ------------------------------------------------------------------------------------------
def cmd_scanner_read(args: argparse.Namespace) -> int:
    from drivers.scanner.line_scanner import LineScanner, looks_garbled

    count = 0
    deadline = time.monotonic() + args.timeout
    with LineScanner(args.port, args.baud, args.terminator, args.idle_gap) as scanner:
        _say(f"请扫码… / scan a code… ({args.port}, {args.baud} baud, {args.timeout:g} s)")
        while time.monotonic() < deadline and (args.count == 0 or count < args.count):
            line = scanner.read_line(timeout=max(0.05, deadline - time.monotonic()))
            if line is None:
                continue
            count += 1
            _say(line)
            if looks_garbled(line):
                _say("（内容含乱码：波特率可能不对，试试 --baud 115200 或 9600 / garbled: wrong baud rate?）")
    if count == 0:
        return _fail(f"{args.timeout:g} 秒内未收到扫码 / no scan within {args.timeout:g} s")
    return EXIT_OK


# -- wiring -------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m drivers",
        description="设备诊断 / device diagnostics: printer, ID card reader, scanner")
    sub = parser.add_subparsers(dest="area", required=True)

    p = sub.add_parser("ports", help="列出串口 / list serial ports")
    p.set_defaults(func=cmd_ports)

    printer = sub.add_parser("printer", help="打印机 / printer").add_subparsers(dest="verb", required=True)
    verbs = (("status", cmd_printer_status, "查询状态 / query status"),
             ("test-ticket", cmd_printer_test_ticket, "打印测试凭条 / print a test ticket"))
    for verb, func, help_text in verbs:
        p = printer.add_parser(verb, help=help_text)
        p.add_argument("--printer", required=True,
                       help="usb://VID:PID | serial:///dev/ttyUSB0?baud=9600&flow=xonxoff "
                       "| tcp://host:9100 | file:///dev/usb/lp0 | dummy:")
        p.add_argument("--profile", default="80mm", help="80mm, 58mm, 58mm-nocut, 80mm-raster, …")
        if verb == "status":
            p.add_argument("--timeout", type=float, default=1.0)
            p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    idcard = sub.add_parser("idcard", help="身份证读卡器 / ID card reader").add_subparsers(
        dest="verb", required=True)
    p = idcard.add_parser("probe", help="SAM 状态与编号 / SAM status and id")
    p.add_argument("--port", required=True)
    p.add_argument("--baud", type=int, default=115200)
    p.set_defaults(func=cmd_idcard_probe)
    p = idcard.add_parser("read", help="读卡并显示（脱敏） / read a card, shown masked")
    p.add_argument("--port", required=True)
    p.add_argument("--baud", type=int, default=115200)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_idcard_read)

    scanner = sub.add_parser("scanner", help="扫码器 / QR scanner").add_subparsers(dest="verb", required=True)
    p = scanner.add_parser("read", help="读取扫码 / read scans")
    p.add_argument("--port", required=True)
    p.add_argument("--baud", type=int, default=9600)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--terminator", choices=("CR", "LF", "CRLF"), default="CR")
    p.add_argument("--idle-gap", type=float, default=0.1)
    p.add_argument("--count", type=int, default=0,
                   help="在读到 N 条后结束 / stop after N scans (0: until timeout)")
    p.set_defaults(func=cmd_scanner_read)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DeviceError as exc:
        return _fail(str(exc))
    except ValueError as exc:  # bad profile name or similar configuration mistakes
        return _fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
