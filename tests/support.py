"""Real server processes and an SSE client for end-to-end tests."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_HALL = ROOT / "config" / "hall.example.toml"
HALL = "xiqu"  # the example hall's code

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 15, what: str = "", interval: float = 0.02) -> T:
    """Poll `predicate` until it returns something true, and return it; fail after `timeout` seconds.
    Only for states that announce themselves with no event one could wait on (a process becoming
    healthy, a page's variable): prefer waiting on the event itself."""
    deadline = time.monotonic() + timeout
    while True:
        got = predicate()
        if got:
            return got
        if time.monotonic() >= deadline:
            raise AssertionError(f"still not true after {timeout} s: {what or predicate}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hall_file(tmp: Path, *, lift_limits: bool = False) -> Path:
    """The example hall with opening hours not enforced, so tests pass at any time of day;
    `lift_limits`: no daily quotas or per-person limits (many tickets with few ID cards)."""
    text, n = re.subn(
        r"(?m)^enforce_hours\s*=\s*true", "enforce_hours = false", EXAMPLE_HALL.read_text(encoding="utf-8")
    )
    assert n == 1, "the example hall file changed: enforce_hours not found"
    if lift_limits:
        text = re.sub(r"daily_quota = \d+", "daily_quota = 1000000", text)
        text = re.sub(r"per_person_daily_limit = \d+", "per_person_daily_limit = 1000000", text)
    path = tmp / "hall.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def always_open_hall(tmp: Path) -> Path:
    """`hall_file(tmp)`; the older name, still imported by suites written before it."""
    return hall_file(tmp)


def server_env(data_dir: Path) -> dict[str, str]:
    """The environment of the server and its command line: its own data directory (and so its own
    ID secret), the database only from `--db`."""
    env = {**os.environ, "QUEUE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("QUEUE_DB_URL", None)
    # The live alerts' check writes alerts and events of its own: off (hourly) unless a test asks.
    env.setdefault("QUEUE_ALERT_INTERVAL", "3600")
    return env


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
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out


def prepare_db(
    db_url: str,
    data_dir: Path,
    hall: Path,
    *,
    users: dict[str, tuple[str, str]] | None = None,
    devices: dict[str, tuple[str, str | None]] | None = None,
    staff: bool = True,
) -> dict[str, str]:
    """Import the hall file, add staff accounts (name -> (role, password)) and devices (name -> (kind,
    window)) through the command line, as an installer would; returns each device's token.
    `staff`: a hall at work, a clerk signed in at every open window (walk-in tickets need one).

    The command line runs once per distinct set-up and test session (about 4 s of process starts);
    later calls copy the result: the SQLite file, or a PostgreSQL database made from it as a template,
    and the data directory (its ID secret)."""
    if not _empty(db_url):  # a database of the test's own making: import into it, copy nothing
        return _setup(db_url, data_dir, hall, users, devices, staff)
    calendars = sorted((hall.parent / "calendar").glob("*.toml"))
    key = hashlib.sha256(
        repr(
            (
                db_url.split(":", 1)[0],
                hall.read_bytes(),
                [c.read_bytes() for c in calendars],
                sorted((users or {}).items()),
                sorted((devices or {}).items()),
                staff,
            )
        ).encode()
    ).hexdigest()[:16]
    made = _TEMPLATES.get(key)
    if made is None:
        made = _TEMPLATES[key] = _make_template(key, db_url, hall, users, devices, staff)
    where, data, tokens = made
    shutil.copytree(data, data_dir, dirs_exist_ok=True)
    if db_url.startswith("sqlite"):
        target = db_url.removeprefix("sqlite:///")
        shutil.copyfile(where, target)
        if Path(where + "-wal").exists():  # normally checkpointed when the last process closed it
            shutil.copyfile(where + "-wal", target + "-wal")
    else:
        _copy_postgres(where, db_url)
    return dict(tokens)


_TEMPLATES: dict[str, tuple[str, Path, dict[str, str]]] = {}  # key -> (database, data dir, tokens)


def _make_template(
    key: str,
    db_url: str,
    hall: Path,
    users: dict[str, tuple[str, str]] | None,
    devices: dict[str, tuple[str, str | None]] | None,
    staff: bool,
) -> tuple[str, Path, dict[str, str]]:
    base = _template_dir() / key
    data = base / "data"
    base.mkdir(parents=True)
    if db_url.startswith("sqlite"):
        where = str(base / "queue.sqlite3")
        url = f"sqlite:///{where}"
    else:
        where = f"hq_tpl_{key}_{os.getpid()}"  # one per test process: parallel workers never share it
        url = db_url.rsplit("/", 1)[0] + f"/{where}"
        _pg_admin(db_url, f'DROP DATABASE IF EXISTS "{where}"', f'CREATE DATABASE "{where}"')
        atexit.register(_drop_postgres, db_url, where)
    return where, data, _setup(url, data, hall, users, devices, staff)


def _setup(
    url: str,
    data: Path,
    hall: Path,
    users: dict[str, tuple[str, str]] | None,
    devices: dict[str, tuple[str, str | None]] | None,
    staff: bool,
) -> dict[str, str]:
    env = server_env(data)
    run_cli("import-hall", str(hall), "--db", url, env=env)
    if staff:
        staff_db(url, env)
    for name, (role, password) in (users or {}).items():
        add = ("user", "add", name, "--role", role, "--hall", HALL, "--password-stdin")
        run_cli(*add, "--db", url, env=env, stdin=password + "\n")
    tokens = {}
    for name, (kind, window) in (devices or {}).items():
        where = ("--window", window) if window else ()
        out = run_cli("device", "add", name, "--kind", kind, "--hall", HALL, *where, "--db", url, env=env)
        tokens[name] = out.stdout.strip().splitlines()[-1].strip()
    return tokens


def _empty(db_url: str) -> bool:
    """A database nobody has written to yet (the suite's fresh SQLite path or PostgreSQL database)."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        return not path.exists() or path.stat().st_size == 0
    import psycopg

    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    return row is not None and row[0] == 0


_BASE: list[Path] = []


def _template_dir() -> Path:
    if not _BASE:
        _BASE.append(Path(tempfile.mkdtemp(prefix="hq-db-templates-")))
        atexit.register(shutil.rmtree, _BASE[0], True)
    return _BASE[0]


def _pg_admin(db_url: str, *statements: str) -> None:
    """Run statements on the server of `db_url` from its maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def _copy_postgres(template: str, db_url: str) -> None:
    """Replace the (new, unused) database of `db_url` by a copy of `template`."""
    name = db_url.rsplit("/", 1)[1]
    _pg_admin(
        db_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


def _drop_postgres(db_url: str, name: str) -> None:
    import psycopg

    with contextlib.suppress(psycopg.Error):  # the server is gone already: nothing to clean
        _pg_admin(db_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def staff_headers(base_url: str, db_url: str, role: str = "manager", hall: str = HALL) -> dict[str, str]:
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
    """`queue-server serve` in its own OS process, on a free port (kept across restarts): `start`
    returns once it answers /healthz, `stop` ends it with SIGTERM (`crash=True`: SIGKILL first).
    `extra`: more `serve` options. The log is appended to across restarts."""

    def __init__(
        self, db_url: str, data_dir: Path, port: int | None = None, *extra: str, log: Path | None = None
    ) -> None:
        self.db_url = db_url
        self.extra = extra
        self.port = port or free_port()
        self.env = server_env(data_dir)
        # Short heartbeats let test clients notice their own disconnection quickly.
        self.env["QUEUE_SSE_HEARTBEAT"] = "0.5"
        self.proc: subprocess.Popen[bytes] | None = None
        self.headers: dict[str, str] = {}  # a signed-in manager's, once the tests set it
        self.log = log or data_dir / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 30) -> ServerProcess:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [*SERVE, "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port), *self.extra],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._healthy, timeout, f"server on port {self.port} healthy")
        return self

    def _healthy(self) -> bool:
        if not self.running:
            raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-3000:]}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, crash: bool = False) -> None:
        if self.proc is not None:
            if crash:
                self.proc.kill()
            elif self.proc.poll() is None:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


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
        self._arrived = threading.Condition()  # notified on every event, and when the stream ends
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None
        self.ended = False  # the stream is over (closed by either side)
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
                            with self._arrived:
                                self.events.append((int(ev_id or 0), ev_type, json.loads(data)))
                                self._arrived.notify_all()
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
        finally:
            with self._arrived:
                self.ended = True
                self._arrived.notify_all()

    def stop(self) -> None:
        """Drop the connection, as a display losing its network would."""
        self._stop.set()
        if self._response is not None:
            self._response.close()
        self._thread.join(timeout=5)

    def wait_for(
        self, predicate: Callable[[list[tuple[int, str, dict[str, Any]]]], Any], timeout: float = 15
    ) -> bool:
        """Wait until `predicate(events)` holds, woken by each event as it arrives (not by a timer)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: bool(predicate(self.events)), timeout)

    def wait_for_end(self, timeout: float = 15) -> bool:
        """Wait until the stream is over (the server ended it, or `stop`)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self.ended, timeout)


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
