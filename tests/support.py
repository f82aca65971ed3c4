"""Real server processes and an SSE client for end-to-end tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_HALL = ROOT / "config" / "hall.example.toml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def always_open_hall(tmp: Path) -> Path:
    """The example hall with opening hours not enforced, so tests pass at any time of day."""
    path = tmp / "hall.toml"
    path.write_text(
        EXAMPLE_HALL.read_text(encoding="utf-8").replace("enforce_hours = true", "enforce_hours = false", 1),
        encoding="utf-8",
    )
    return path


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [sys.executable, "-m", "queue_server", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
    )
    assert out.returncode == 0, out.stderr
    return out


def staff_headers(base_url: str, db_url: str, role: str = "manager", hall: str = "xiqu") -> dict[str, str]:
    """A new staff account of the hall, signed in through the server: its Authorization header."""
    import uuid

    from queue_server.runtime import open_context
    from queue_server.services import accounts
    from queue_server.services.context import SYSTEM

    ctx = open_context(db_url, migrate=False)
    name, password = f"live-{role}-{uuid.uuid4().hex[:8]}", "live-password"
    accounts.create_user(ctx, SYSTEM, name, role, password, [hall])
    ctx.sessions.kw["bind"].dispose()
    return login_headers(base_url, name, password)


def login_headers(base_url: str, username: str, password: str) -> dict[str, str]:
    r = httpx.post(
        f"{base_url}/api/v1/auth/login", json={"username": username, "password": password}, timeout=30
    )
    assert r.status_code == 200, r.text
    return {"authorization": f"Bearer {r.json()['token']}"}


SERVE = [sys.executable, "-m", "queue_server", "serve"]


class ServerProcess:
    """`queue-server serve` in its own OS process."""

    def __init__(self, db_url: str, data_dir: Path, port: int | None = None, *extra: str) -> None:
        self.db_url = db_url
        self.extra = extra  # more `serve` options
        self.port = port or free_port()
        # Short heartbeats let test clients notice their own disconnection quickly.
        self.env = {**os.environ, "QUEUE_DATA_DIR": str(data_dir), "QUEUE_SSE_HEARTBEAT": "0.5"}
        self.proc: subprocess.Popen[str] | None = None
        self.headers: dict[str, str] = {}  # a signed-in manager's, once the tests set it
        self.log = data_dir / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [*SERVE, "--db", self.db_url, "--port", str(self.port), *self.extra],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class SseClient:
    """Reads an event stream in a thread; `events` collects (id, type, data) as they arrive."""

    def __init__(
        self, url: str, last_event_id: int | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.url = url
        self.headers = dict(headers or {})
        if last_event_id is not None:
            self.headers["Last-Event-ID"] = str(last_event_id)
        self.events: list[tuple[int, str, dict[str, Any]]] = []
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None
        self._response: httpx.Response | None = None

    def start(self) -> SseClient:
        self._thread.start()
        assert self.connected.wait(10), f"could not connect: {self.error}"
        return self

    def _run(self) -> None:
        try:
            with httpx.stream("GET", self.url, headers=self.headers, timeout=httpx.Timeout(5, read=60)) as r:
                r.raise_for_status()
                self._response = r
                self.connected.set()
                ev_id, ev_type, data = None, "message", ""
                for line in r.iter_lines():
                    if self._stop.is_set():
                        return
                    if line == "":
                        if data:
                            self.events.append((int(ev_id or 0), ev_type, json.loads(data)))
                        ev_id, ev_type, data = None, "message", ""
                    elif line.startswith("id:"):
                        ev_id = line[3:].strip()
                    elif line.startswith("event:"):
                        ev_type = line[6:].strip()
                    elif line.startswith("data:"):
                        data += line[5:].strip()
        except BaseException as exc:  # reported to the test through .error
            if not self._stop.is_set():
                self.error = exc
            self.connected.set()

    def stop(self) -> None:
        """Drop the connection, as a display losing its network would."""
        self._stop.set()
        if self._response is not None:
            self._response.close()
        self._thread.join(timeout=5)

    def wait_for(self, predicate: Any, timeout: float = 15) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.events):
                return True
            time.sleep(0.02)
        return False


def staff_windows(ctx: Any, hall: str = "xiqu", windows: list[str] | None = None) -> list[str]:
    """Sign a clerk ("desk-<window>") in at each open window of the hall (or at `windows`), as a hall
    at work has: walk-in tickets are issued only for items that a staffed window serves."""
    from sqlalchemy import select

    from queue_server.db.models import Hall, Window
    from queue_server.services import accounts, posts
    from queue_server.services.context import SYSTEM

    with ctx.read() as s:
        hall_id = s.scalar(select(Hall.id).where(Hall.code == hall))
        codes = windows or list(
            s.scalars(select(Window.code).where(Window.hall_id == hall_id, Window.state == "open"))
        )
    for code in codes:
        accounts.create_user(ctx, SYSTEM, f"desk-{code}", "clerk", "desk-password", [hall])
        posts.sign_in_as(ctx, f"desk-{code}", hall, code)
    return codes


def staff_db(db_url: str, env: dict[str, str] | None = None, hall: str = "xiqu") -> list[str]:
    """`staff_windows` on a database a server process uses (it sees the change at its next read).
    `env`: the server's environment (its data directory holds the secret)."""
    from queue_server.runtime import open_context

    saved = os.environ.get("QUEUE_DATA_DIR")
    if env and env.get("QUEUE_DATA_DIR"):
        os.environ["QUEUE_DATA_DIR"] = env["QUEUE_DATA_DIR"]
    try:
        ctx = open_context(db_url, migrate=False)
    finally:
        if saved is None:
            os.environ.pop("QUEUE_DATA_DIR", None)
        else:
            os.environ["QUEUE_DATA_DIR"] = saved
    try:
        return staff_windows(ctx, hall)
    finally:
        ctx.sessions.kw["bind"].dispose()
