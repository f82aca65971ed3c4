"""systemd notification (READY=1, WATCHDOG=1) from a GUI-thread timer.

Pinging from the GUI thread is the point: when the event loop freezes, the pings stop and systemd
(WatchdogSec=) kills and restarts the kiosk. The protocol is one datagram to $NOTIFY_SOCKET.
"""

from __future__ import annotations

import os
import socket

from PySide6.QtCore import QObject, QTimer


def sd_notify(message: str, env: dict[str, str] | None = None) -> bool:
    address = (env if env is not None else os.environ).get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # abstract namespace socket
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError:
        return False
    return True


class Watchdog(QObject):
    """Sends READY=1 once and then WATCHDOG=1 at half the interval systemd asked for."""

    def __init__(self, parent: QObject | None = None, env: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._env = dict(env if env is not None else os.environ)
        self.pings = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.ping)
        usec = self._env.get("WATCHDOG_USEC", "")
        pid = self._env.get("WATCHDOG_PID", "")
        # Under cage the watched main PID is the compositor, our parent (NotifyAccess=all).
        ours = not pid or pid in (str(os.getpid()), str(os.getppid()))
        self.interval_ms = int(usec) // 2000 if usec.isdigit() and ours else 0

    def start(self) -> None:
        sd_notify("READY=1\nSTATUS=kiosk running", self._env)
        if self.interval_ms > 0:
            self._timer.start(self.interval_ms)

    def ping(self) -> None:
        if sd_notify("WATCHDOG=1", self._env):
            self.pings += 1

    def stop(self) -> None:
        self._timer.stop()
        sd_notify("STOPPING=1", self._env)
