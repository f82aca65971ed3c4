"""systemd watchdog: READY=1 once, WATCHDOG=1 from the GUI thread; a frozen event loop stops the pings."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

from kiosk.watchdog import Watchdog, sd_notify


def notify_socket(tmp_path: Path) -> tuple[socket.socket, str]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    return sock, path


def drain(sock: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except BlockingIOError:
            return messages


def test_no_socket_means_no_notification() -> None:
    assert sd_notify("READY=1", env={}) is False


def test_pings_come_from_the_event_loop_and_stop_when_it_freezes(
    qapp: Any, qtbot: Any, tmp_path: Path
) -> None:
    sock, path = notify_socket(tmp_path)
    dog = Watchdog(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})  # systemd: WatchdogSec=0.2
    assert dog.interval_ms == 100
    dog.start()
    assert drain(sock)[0].startswith("READY=1")
    qtbot.wait(550)
    assert drain(sock).count("WATCHDOG=1") >= 4
    time.sleep(0.6)  # the GUI thread is stuck: no event loop, no pings
    assert drain(sock) == []
    qtbot.wait(250)
    assert "WATCHDOG=1" in drain(sock)
    dog.stop()
    assert drain(sock) == ["STOPPING=1"]
    sock.close()


def test_watchdog_for_another_pid_is_ignored(qapp: Any) -> None:
    env = {"NOTIFY_SOCKET": "/nonexistent", "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "999999999"}
    dog = Watchdog(env=env)
    assert dog.interval_ms == 0
