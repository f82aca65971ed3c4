"""`python -m drivers …` as maintenance staff run it, in a subprocess, against simulators."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from drivers.printer import commands as c
from drivers.sim import VirtualPrinter, VirtualScanner

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drivers", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


class PlainListener:
    """Any TCP listener: takes bytes, never answers (like `nc -l 9100`)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.data = bytearray()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while chunk := conn.recv(4096):
                self.data += chunk

    def close(self) -> bytes:
        self.thread.join(10)
        self.sock.close()
        return bytes(self.data)


def test_test_ticket_to_any_listener_is_complete_and_small():
    listener = PlainListener()
    result = run("printer", "test-ticket", "--printer", f"tcp://127.0.0.1:{listener.port}")
    data = listener.close()
    assert result.returncode == 0, result.stderr
    assert len(data) <= 400, len(data)
    assert c.CHINESE_ON in data and "示例区政务服务中心".encode("gb18030") in data
    assert b"\x1d(k" in data and data.endswith(c.cut())
    assert f"{len(data) - len(c.STATUS_PRINTER)} bytes" in result.stdout  # the one unanswered status query
    assert "reports no status" in result.stdout


def test_idcard_read_json_is_masked(id_sim):
    id_sim.present(0)
    result = run("idcard", "read", "--port", id_sim.port, "--json", "--timeout", "5")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["type"] == "resident" and card["name"] == "李**"
    assert card["id_number"] == "1101**********002X" and card["check_digit_ok"] is True
    assert "11010519491231002X" not in result.stdout + result.stderr
    assert "李秀英" not in result.stdout + result.stderr


def test_idcard_read_human_form(id_sim):
    id_sim.present(3)
    result = run("idcard", "read", "--port", id_sim.port, "--timeout", "5")
    assert result.returncode == 0
    assert (
        "8100**********0029" in result.stdout
        and "陈**" in result.stdout
        and "810000199508150029" not in (result.stdout)
    )


def test_idcard_read_without_card_times_out(id_sim):
    result = run("idcard", "read", "--port", id_sim.port, "--timeout", "0.5")
    assert result.returncode == 1 and "no card" in result.stderr


def test_idcard_probe(id_sim):
    result = run("idcard", "probe", "--port", id_sim.port)
    assert result.returncode == 0 and "05.01-20098709-0016192052-1234567890" in result.stdout


def test_idcard_probe_sam_failure(id_sim):
    id_sim.set_fault("sam_failure")
    result = run("idcard", "probe", "--port", id_sim.port)
    assert result.returncode == 1 and "SAM self-test failed" in result.stderr


def test_idcard_probe_silent_reader_tries_other_bauds(id_sim):
    id_sim.set_fault("silence")
    result = run("idcard", "probe", "--port", id_sim.port)
    assert result.returncode == 1 and "at any baud" in result.stderr and "9600" in result.stderr


def test_wrong_port(tmp_path):
    result = run("idcard", "read", "--port", str(tmp_path / "ttyUSB3"))
    assert result.returncode == 1 and "no such port" in result.stderr


@pytest.mark.parametrize(("state", "code"), [("ok", 0), ("out", 1), ("silent", 3)])
def test_printer_status_exit_codes(state, code):
    paper = "out" if state == "out" else "ok"
    vp = VirtualPrinter(transport="tcp", paper=paper, silent=state == "silent").start()
    try:
        timeout = "0.3" if state == "silent" else "3"  # generous where a reply is expected
        result = run("printer", "status", "--printer", vp.url, "--timeout", timeout, "--json")
    finally:
        vp.stop()
    assert result.returncode == code, result.stderr
    status = json.loads(result.stdout)
    assert status["ready"] == {"ok": True, "out": False, "silent": None}[state]


def test_printer_status_no_device():
    vp = VirtualPrinter(transport="tcp").start()
    url = vp.url
    vp.stop()
    result = run("printer", "status", "--printer", url)
    assert result.returncode == 1 and "cannot connect" in result.stderr


def test_printer_test_ticket_paper_out_fails():
    vp = VirtualPrinter(transport="tcp", paper="out").start()
    try:
        result = run("printer", "test-ticket", "--printer", vp.url)
    finally:
        vp.stop()
    assert result.returncode == 1 and "out of paper" in result.stderr and vp.jobs == []


def test_scanner_read():
    sim = VirtualScanner("CR").start()
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "drivers",
                "scanner",
                "read",
                "--port",
                sim.port,
                "--count",
                "1",
                "--timeout",
                "20",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert "scan a code" in proc.stdout.readline()  # the port is open now
        sim.scan("YY7318")
        out, err = proc.communicate(timeout=20)
    finally:
        sim.stop()
    assert proc.returncode == 0, err
    assert out.strip() == "YY7318"


def test_scanner_read_timeout(scanner_sim):
    result = run("scanner", "read", "--port", scanner_sim.port, "--timeout", "0.3")
    assert result.returncode == 1 and "no scan" in result.stderr


def test_ports_and_usage():
    assert run("ports").returncode == 0
    assert run("printer").returncode == 2
    result = run("printer", "status", "--printer", "dummy:", "--profile", "nope")
    assert result.returncode == 2 and "unknown printer profile" in result.stderr
    result = run("printer", "status", "--printer", "lpt:1")
    assert result.returncode == 1 and "invalid printer URL" in result.stderr


def test_simulator_command_lines_work_with_the_diagnostics():
    """`python -m drivers.sim idcard` prints its /dev/pts/N and takes commands on stdin."""
    sim = subprocess.Popen(
        [sys.executable, "-m", "drivers.sim", "idcard"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdin is not None and sim.stdout is not None
        port = sim.stdout.readline().strip()
        assert port.startswith("/dev/pts/")
        sim.stdin.write("present 4\n")
        sim.stdin.flush()
        assert sim.stdout.readline().strip() == "card 4 present"
        result = run("idcard", "read", "--port", port, "--json", "--timeout", "5")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["type"] == "foreign"
        sim.stdin.write("quit\n")
        sim.stdin.flush()
        assert sim.wait(10) == 0
    finally:
        if sim.poll() is None:
            sim.kill()


def test_printer_simulator_command_line(tmp_path):
    sim = subprocess.Popen(
        [sys.executable, "-m", "drivers.sim", "printer", "--tcp", "0", "--png-dir", str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdin is not None and sim.stdout is not None
        url = sim.stdout.readline().strip()
        assert url.startswith("tcp://127.0.0.1:")
        result = run("printer", "test-ticket", "--printer", url)
        assert result.returncode == 0, result.stderr
        assert "282 bytes" in result.stdout
        sim.stdin.write("quit\n")
        sim.stdin.flush()
        assert sim.wait(10) == 0
    finally:
        if sim.poll() is None:
            sim.kill()
    assert [p.name for p in tmp_path.glob("*.png")] == ["job-0001.png"]
