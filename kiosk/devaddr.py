"""Validation of the device address forms of docs/design.md, so a technician's typo is explained
before it is saved (the drivers would only fail later, at the first ticket)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)
FLOW_CONTROLS = ("none", "xonxoff", "rtscts")
_HEX4 = re.compile(r"^[0-9a-fA-F]{4}$")


def validate_printer_url(url: str) -> str | None:
    """None when `url` is a valid printer address, else a bilingual reason."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme
    if scheme == "dummy":
        return None
    if scheme == "usb":
        vid, _, pid = parts.netloc.partition(":")
        if not (_HEX4.match(vid) and _HEX4.match(pid)):
            return "USB 地址应为 usb://VID:PID（十六进制，如 usb://04b8:0e15）/ must be usb://VID:PID in hex"
        return None
    if scheme == "serial":
        if parts.netloc or not parts.path.startswith("/dev/"):
            return "串口地址应为 serial:///dev/ttyUSB0?baud=9600 / must be serial:///dev/…"
        query = parse_qs(parts.query)
        unknown = set(query) - {"baud", "flow", "timeout"}
        if unknown:
            return f"未知参数 / unknown parameter: {', '.join(sorted(unknown))}"
        if "baud" in query:
            problem = validate_baud(query["baud"][0])
            if problem:
                return problem
        if "flow" in query and query["flow"][0] not in FLOW_CONTROLS:
            return "flow 应为 none、xonxoff 或 rtscts / flow must be none, xonxoff or rtscts"
        return None
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            return "端口无效 / invalid port"
        if not parts.hostname or (port is not None and not 0 < port < 65536):
            return "网络地址应为 tcp://主机:9100 / must be tcp://host:port"
        return None
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            return "文件地址应为 file:///dev/usb/lp0 / must be file:///absolute/path"
        return None
    return ("打印机地址应以 usb://、serial://、tcp://、file:// 或 dummy: 开头 / "
            "must start with usb://, serial://, tcp://, file:// or dummy:")


def validate_port(port: str) -> str | None:
    """Serial port: empty (device absent) or an absolute device path."""
    if port == "":
        return None
    if not port.startswith("/") or any(c.isspace() for c in port):
        return ("串口应为设备路径，如 /dev/ttyUSB0（留空表示未安装）/ "
                "must be a device path such as /dev/ttyUSB0 (empty: not installed)")
    return None


def validate_baud(baud: object) -> str | None:
    try:
        value = int(str(baud))
    except ValueError:
        return "波特率应为数字 / baud must be a number"
    if value not in BAUD_RATES:
        return f"波特率应为 {', '.join(map(str, BAUD_RATES))} 之一 / baud must be a standard rate"
    return None
