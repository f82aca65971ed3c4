"""Printer URLs and the python-escpos connection objects made from them."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy, File, Network, Serial

from drivers.printer import PrinterError, parse_printer_url
from drivers.printer.connection import make_escpos


def test_serial_url():
    a = parse_printer_url("serial:///dev/ttyUSB0?baud=9600&flow=xonxoff")
    assert (a.scheme, a.path, a.baud, a.flow) == ("serial", "/dev/ttyUSB0", 9600, "xonxoff")
    conn = make_escpos(a)
    assert isinstance(conn, Serial) and conn.xonxoff and conn.baudrate == 9600 and not conn.rtscts


def test_serial_rtscts_and_defaults():
    a = parse_printer_url("serial:///dev/ttyS1?baud=115200&flow=rtscts")
    conn = make_escpos(a)
    assert conn.rtscts and not conn.xonxoff and conn.baudrate == 115200
    assert parse_printer_url("serial:///dev/ttyS1").baud == 9600


def test_tcp_url_has_a_timeout():
    a = parse_printer_url("tcp://192.168.1.50:9100")
    conn = make_escpos(a)
    assert isinstance(conn, Network) and conn.host == "192.168.1.50" and conn.port == 9100
    assert conn.timeout == 5.0  # never python-escpos's 60 s default
    assert parse_printer_url("tcp://printer.local?timeout=2").timeout == 2.0


def test_file_and_dummy():
    assert isinstance(make_escpos(parse_printer_url("file:///dev/usb/lp0")), File)
    assert isinstance(make_escpos(parse_printer_url("dummy:")), Dummy)


def test_usb_url_parsed_in_hex():
    a = parse_printer_url("usb://0416:5011?in_ep=0x81&out_ep=0x03")
    assert (a.vid, a.pid, a.options["in_ep"]) == (0x0416, 0x5011, "0x81")
    assert str(a) == "usb://0416:5011"


@pytest.mark.parametrize(
    "url",
    [
        "lpt://x",
        "usb://0416",
        "usb://zz:11",
        "serial://",
        "serial:///dev/x?baud=1234",
        "serial:///dev/x?flow=dsrdtr",
        "tcp://",
        "tcp://h:99999",
        "file://",
        "tcp://h?timeout=soon",
    ],
)
def test_bad_urls_are_clear_errors(url):
    with pytest.raises(PrinterError) as exc:
        parse_printer_url(url)
    assert exc.value.kind == "bad_url" and "usb://VID:PID" in str(exc.value)


def test_one_connection_class_per_transport() -> None:
    from drivers.printer.connection import LINKS, SCHEMES, Link

    assert set(LINKS) == set(SCHEMES) and len(set(LINKS.values())) == len(SCHEMES)
    assert all(issubclass(cls, Link) and cls is not Link for cls in LINKS.values())
    # Only the transports that can carry a reply say so; the others answer reads with nothing.
    assert {s for s, cls in LINKS.items() if cls.can_read} == {"usb", "serial", "tcp"}
    dummy = LINKS["dummy"](parse_printer_url("dummy:"))
    dummy.open()
    dummy.write(b"\x1b@")
    assert dummy.read(1, 0.01) == b"" and dummy.conn.output == b"\x1b@"
