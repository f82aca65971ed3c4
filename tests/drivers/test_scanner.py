"""LineScanner and ScanPoller against the virtual scanner over a pty."""

from __future__ import annotations

import pytest

from drivers.scanner import LineScanner, ScannerError, ScanPoller
from drivers.sim import VirtualScanner
from tests.support import wait_until


@pytest.mark.parametrize("terminator", ["CR", "LF", "CRLF"])
def test_terminators(terminator):
    sim = VirtualScanner(terminator).start()
    try:
        with LineScanner(sim.port, 9600, terminator) as scanner:
            sim.scan("YY7318")
            sim.scan("https://hall.example.gov.cn/t/7QK2M9XD")
            assert scanner.read_line(2) == "YY7318"
            assert scanner.read_line(2) == "https://hall.example.gov.cn/t/7QK2M9XD"
            assert scanner.read_line(0.1) is None
    finally:
        sim.stop()


def test_line_breaks_inside_a_code_survive_with_cr_terminator(scanner_sim):
    with LineScanner(scanner_sim.port, terminator="CR") as scanner:
        scanner_sim.scan("第一行\n第二行")
        assert scanner.read_line(2) == "第一行\n第二行"


def test_idle_gap_ends_a_scan_without_terminator():
    sim = VirtualScanner(None).start()
    try:
        with LineScanner(sim.port, idle_gap=0.05) as scanner:
            sim.scan("NOTERM123")
            assert scanner.read_line(2) == "NOTERM123"
    finally:
        sim.stop()


def test_noread_and_gbk_scans(scanner_sim):
    with LineScanner(scanner_sim.port, encoding="gb18030") as scanner:
        scanner_sim.scan("%%NoRead")
        scanner_sim.send_raw("预约YY01\r".encode("gb18030"))
        assert scanner.read_line(0.3) is None  # the failed trigger is not a scan
        assert scanner.read_line(2) == "预约YY01"


def test_automatic_decoding(scanner_sim):
    with LineScanner(scanner_sim.port) as scanner:
        scanner_sim.scan("签到码 QD-0042")  # UTF-8
        scanner_sim.send_raw("政务服务\r".encode("gb18030"))  # not valid UTF-8: falls back to GB18030
        assert scanner.read_line(2) == "签到码 QD-0042"
        assert scanner.read_line(2) == "政务服务"


def test_unplug_is_an_error(tmp_path):
    sim = VirtualScanner(link=str(tmp_path / "scanner")).start()
    scanner = LineScanner(sim.port)
    scanner.open()
    sim.unplug()
    with pytest.raises(ScannerError):
        scanner.read_line(1)
    with pytest.raises(ScannerError) as exc:
        scanner.open()
    assert exc.value.kind == "not_found"
    sim.stop()


def test_poller_survives_replug(tmp_path):
    sim = VirtualScanner(link=str(tmp_path / "scanner")).start()
    scans: list[str] = []
    errors: list[Exception] = []
    poller = ScanPoller(sim.port, on_scan=scans.append, on_error=errors.append, interval=0.02)
    poller.start()
    try:
        assert wait_until(lambda: poller.connected)
        sim.scan("A1")
        assert wait_until(lambda: scans == ["A1"])
        sim.unplug()
        assert wait_until(lambda: len(errors) == 1)
        assert wait_until(lambda: not poller.connected)
        sim.replug()
        assert wait_until(lambda: poller.connected)
        sim.scan("B2")
        assert wait_until(lambda: scans == ["A1", "B2"])
    finally:
        poller.stop()
        sim.stop()
    assert not poller.running
