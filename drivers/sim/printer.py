"""VirtualPrinter: receives ESC/POS over a pty, a TCP port or a FIFO file, answers DLE EOT status
queries from configurable paper/cover states (or stays silent), and renders what it got to PNG.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from drivers.sim.escpos_interp import EscPosInterpreter
from drivers.sim.pngrender import save_png
from drivers.sim.ptydev import PtyDevice

Transport = Literal["pty", "tcp", "file"]
PaperState = Literal["ok", "near_end", "out"]


class _PrinterPty(PtyDevice):
    thread_name = "sim-printer-pty"

    def __init__(self, on_bytes: Callable[[bytes], None], link: str | None) -> None:
        super().__init__(link)
        self._on_bytes = on_bytes

    def on_data(self, data: bytes) -> None:
        self._on_bytes(data)


class _TcpServer:
    """Accepts connections one after another on 127.0.0.1:port, like a printer's port 9100."""

    def __init__(self, on_bytes: Callable[[bytes], None], port: int = 0) -> None:
        self._on_bytes = on_bytes
        self.port = port
        self._sock: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(4)
        sock.settimeout(0.1)
        self.port = sock.getsockname()[1]
        self._sock = sock
        self._stop.clear()
        t = threading.Thread(target=self._accept_loop, name="sim-printer-tcp", daemon=True)
        t.start()
        self._threads.append(t)

    def send(self, data: bytes) -> None:
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.sendall(data)

    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(0.1)
            with self._lock:
                self._conns.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), name="sim-printer-conn", daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn: socket.socket) -> None:
        try:
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                self._on_bytes(data)
        finally:
            with self._lock:
                if conn in self._conns:
                    self._conns.remove(conn)
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for t in self._threads:
            t.join(2)
        self._threads = []


class _FifoReader:
    """A FIFO standing in for /dev/usb/lp0: the driver writes, nothing can be read back."""

    def __init__(self, on_bytes: Callable[[bytes], None], path: str) -> None:
        self._on_bytes = on_bytes
        self.path = path
        self._fds: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not os.path.exists(self.path):
            os.mkfifo(self.path, 0o600)
        elif not stat.S_ISFIFO(os.stat(self.path).st_mode):
            raise ValueError(f"{self.path} exists and is not a FIFO")
        read_fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        keep_fd = os.open(self.path, os.O_WRONLY)  # our own writer: no EOF storm between driver opens
        self._fds = (read_fd, keep_fd)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sim-printer-file", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._fds is not None
        fd = self._fds[0]
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                with contextlib.suppress(BlockingIOError):
                    data = os.read(fd, 65536)
                    if data:
                        self._on_bytes(data)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
            self._fds = None


class VirtualPrinter:
    """A thermal printer for tests and `kiosk --simulate`.

    .received holds every byte that arrived (status queries included); .jobs the printable stream
    split after each cut. Paper "out" or an open cover make the printer report offline, as real
    ones do; it still keeps what it receives (a real printer buffers it and prints it later).
    """

    def __init__(self, transport: Transport = "pty", paper: PaperState = "ok", cover_open: bool = False,
                 silent: bool = False, path: str | None = None, port: int = 0, dots: int = 576,
                 encoding: str = "gb18030", baud: int = 115200, png_dir: str | None = None) -> None:
        if transport not in ("pty", "tcp", "file"):
            raise ValueError("transport must be pty, tcp or file")
        self.transport = transport
        self.paper: PaperState = paper
        self.cover_open = cover_open
        self.silent = silent
        self.error = False
        # Simulates a printer that loses power right after a job: it answers before, not after.
        self.silent_after_cut = False
        self.dots = dots
        self.encoding = encoding
        self.baud = baud
        self.png_dir = png_dir
        self.status_queries: list[int] = []
        self._lock = threading.Lock()
        self._received = bytearray()
        self._interp = EscPosInterpreter(encoding=encoding, on_status=self._status_reply)
        self._pngs_written = 0
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        if transport == "file" and path is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="vprinter-")
            path = os.path.join(self._tmpdir.name, "lp0")
        self.path = path
        self._pty: _PrinterPty | None = None
        self._tcp: _TcpServer | None = None
        self._fifo: _FifoReader | None = None
        if transport == "pty":
            self._pty = _PrinterPty(self._on_bytes, link=path)
        elif transport == "tcp":
            self._tcp = _TcpServer(self._on_bytes, port)
        else:
            assert path is not None
            self._fifo = _FifoReader(self._on_bytes, path)

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> VirtualPrinter:
        if self._pty is not None:
            self._pty.start()
        elif self._tcp is not None:
            self._tcp.start()
        elif self._fifo is not None:
            self._fifo.start()
        return self

    def stop(self) -> None:
        if self._pty is not None:
            self._pty.stop()
        if self._tcp is not None:
            self._tcp.stop()
        if self._fifo is not None:
            self._fifo.stop()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def unplug(self) -> None:
        """Power off / cable pulled: connections break (the TCP port is closed, the pty vanishes)."""
        if self._pty is not None:
            self._pty.unplug()
        elif self._tcp is not None:
            self._tcp.stop()

    def replug(self) -> None:
        if self._pty is not None:
            self._pty.replug()
        elif self._tcp is not None:
            self._tcp.start()  # the same port again

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._pty is not None:
            return f"serial://{self._pty.port}?baud={self.baud}"
        if self._tcp is not None:
            return f"tcp://127.0.0.1:{self._tcp.port}"
        return f"file://{self.path}"

    # -- state --------------------------------------------------------------------------------------
    def set_paper(self, state: PaperState) -> None:
        if state not in ("ok", "near_end", "out"):
            raise ValueError("paper must be ok, near_end or out")
        self.paper = state

    def set_cover_open(self, value: bool) -> None:
        self.cover_open = value

    def set_silent(self, value: bool) -> None:
        self.silent = value

    def set_error(self, value: bool) -> None:
        self.error = value

    @property
    def received(self) -> bytes:
        with self._lock:
            return bytes(self._received)

    @property
    def jobs(self) -> list[bytes]:
        with self._lock:
            return self._interp.jobs()

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self._interp = EscPosInterpreter(encoding=self.encoding, on_status=self._status_reply)

    def render_png(self, path: str | os.PathLike[str], data: bytes | None = None) -> Path:
        """Draws `data` (default: everything received) as the printed paper."""
        return save_png(path, self.received if data is None else data, self.dots, self.encoding)

    # -- the device ---------------------------------------------------------------------------------
    def _on_bytes(self, data: bytes) -> None:
        with self._lock:
            self._received += data
            cuts_before = len(self._interp.cut_offsets)
            self._interp.feed(data)
            new_jobs = self._interp.jobs()[cuts_before:len(self._interp.cut_offsets)]
        if self.png_dir:
            for job in new_jobs:
                self._pngs_written += 1
                name = Path(self.png_dir) / f"job-{self._pngs_written:04d}.png"
                save_png(name, job, self.dots, self.encoding)

    def status_byte(self, n: int) -> int | None:
        """The reply to DLE EOT n in the current state (None for unknown n)."""
        paper_out = self.paper == "out"
        if n == 1:
            return 0x12 | (0x08 if paper_out or self.cover_open or self.error else 0)
        if n == 2:
            return (0x12 | (0x04 if self.cover_open else 0) | (0x20 if paper_out else 0)
                    | (0x40 if self.error else 0))
        if n == 3:
            return 0x12
        if n == 4:
            return 0x12 | (0x60 if paper_out else 0) | (0x0C if self.paper == "near_end" else 0)
        return None

    def _status_reply(self, n: int) -> None:
        self.status_queries.append(n)
        if self.silent_after_cut and self._interp.cut_offsets:
            self.silent = True
        if self.silent:
            return
        reply = self.status_byte(n)
        if reply is None:
            return
        if self._pty is not None:
            self._pty.send(bytes([reply]))
        elif self._tcp is not None:
            self._tcp.send(bytes([reply]))
