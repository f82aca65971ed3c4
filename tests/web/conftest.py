"""Fixtures of the web-page tests: a real queue server in a subprocess, Debian's Chromium, helpers.

Each test gets its own server process on a copy of one database into which the example hall was
imported once (with opening hours not enforced, so tickets can be taken at any hour of the day):
an SQLite file, and a PostgreSQL database (`CREATE DATABASE … TEMPLATE`). Every test runs on both.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PG_ADMIN_URL, fresh_postgres
from tests.support import ServerProcess, hall_file, prepare_db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HALL = "xiqu"
COMPANY = "510403-XK-SC-001"  # 营业执照（企业设立）: window 01 level 1, 02 level 2 (zone business)
FOOD = "510403-XK-SC-005"  # 食品经营许可（新办）: window 02 level 1, 01 level 2 (zone business)
PENSION = "510403-GG-RS-004"  # 养老待遇资格认证: window 05 level 1 (zone social)

# Replaces speechSynthesis.speak so tests can read what was said (and in which order); the fake
# "speaks" for 30 ms and then fires the utterance's end handler like a real voice would. The browser
# then has a Chinese voice (a display without one plays the server's voice: test_pages).
SPEECH_RECORDER = """
window.__spoken = [];
(() => {
  const voice = { lang: "zh-CN", name: "recorder", localService: true, default: true, voiceURI: "recorder" };
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  if (window.SpeechSynthesis) {
    Object.defineProperty(SpeechSynthesis.prototype, "getVoices", {
      value: () => [voice], configurable: true, writable: true,
    });
  }
  const fake = function (u) {
    const text = String(u.text || "");
    if (text.trim()) window.__spoken.push(text);
    setTimeout(() => { if (u.onstart) u.onstart(new Event("start")); }, 5);
    setTimeout(() => { if (u.onend) u.onend(new Event("end")); }, 30);
  };
  if (window.SpeechSynthesis) {
    Object.defineProperty(SpeechSynthesis.prototype, "speak", {
      value: fake, configurable: true, writable: true,
    });
  }
})();
"""


class Server:
    """A queue server process (`tests.support.ServerProcess`: start, stop, crash, restart on the same
    port and database), with the staff accounts and devices of the template and API helpers."""

    def __init__(self, db_url: str, data_dir: Path, log_path: Path, template: Template) -> None:
        self.process = ServerProcess(db_url, data_dir, log=log_path)
        self.log_path = log_path
        self.port, self.env = self.process.port, self.process.env  # the same port across restarts
        self.url = self.process.url
        self.users = template.users  # role → user name (password = PASSWORD)
        self.devices = template.devices  # device name → token
        self._tokens: dict[str, str] = {}
        self._markers = 0
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def start(self) -> None:
        self.process.start()

    def stop(self, crash: bool = False) -> None:
        self.process.stop(crash)

    def marker(self) -> int:
        """Send a live event that changes nothing in the queue (a device's status) and return the hall's
        sequence number after it: a page that has handled that number has handled all sent before."""
        self._markers += 1
        r = self.http.post(
            "/api/v1/devices/heartbeat",
            json={"version": "test", "status": {"marker": self._markers}},
            headers={"Authorization": f"Bearer {self.devices['marker']}"},
        )
        assert r.status_code == 204, r.text
        return int(self.snapshot()["event_seq"])

    # ---- API helpers (as staff) ----
    def token(self, role: str = "manager") -> str:
        if role not in self._tokens:
            body = {"username": self.users[role], "password": PASSWORD}
            r = self.http.post("/api/v1/auth/login", json=body)
            assert r.status_code == 200, r.text
            self._tokens[role] = r.json()["token"]
        return self._tokens[role]

    def headers(self, role: str = "manager") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role)}"}

    def api(self, method: str, path: str, role: str = "manager", **kw: Any) -> httpx.Response:
        return self.http.request(method, path, headers=self.headers(role), **kw)

    def issue(self, service: str = COMPANY, id_card: dict[str, str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"service": service, "idempotency_key": uuid.uuid4().hex, "channel": "counter"}
        if id_card:
            body["id_card"] = id_card
        r = self.api("POST", f"/api/v1/halls/{HALL}/tickets", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def call_next(self, window: str) -> dict[str, Any] | None:
        r = self.api("POST", f"/api/v1/halls/{HALL}/windows/{window}/call-next")
        assert r.status_code in (200, 204), r.text
        return r.json() if r.status_code == 200 else None

    def act(self, ticket_id: int, action: str, **body: Any) -> httpx.Response:
        return self.api("POST", f"/api/v1/tickets/{ticket_id}/{action}", json=body or None)

    def snapshot(self) -> dict[str, Any]:
        r = self.api("GET", f"/api/v1/halls/{HALL}/snapshot")
        assert r.status_code == 200, r.text
        return r.json()


PASSWORD = "web-test-password-1"


@dataclass
class Template:
    db_url: str
    data: Path
    users: dict[str, str]  # role → user name
    devices: dict[str, str]  # device name → token


# Pages run against a server on SQLite: what they show comes through the same HTTP and event stream
# whatever the database, and the server's own tests (tests/server, tests/live) run on both. Tests where
# the database's event delivery is part of what a page shows ask for both with `both_databases`.
both_databases = pytest.mark.parametrize("template_db", ["sqlite", "postgres"], indirect=True)


@pytest.fixture(scope="session", params=["sqlite"])
def template_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Template]:
    """The example hall imported once into an SQLite file or a PostgreSQL database (copied per test)."""
    base = tmp_path_factory.mktemp(f"web-template-{request.param}")
    if request.param == "sqlite":
        yield _template(base, f"sqlite:///{base / 'queue.sqlite3'}")
    else:
        with fresh_postgres() as url:
            yield _template(base, url)


def _template(base: Path, db_url: str, settings: str = "") -> Template:
    """`settings`: lines added to the example hall's [hall] section (e.g. "reactivate_min = 15")."""
    data = base / "data"
    users = {"manager": "web-manager", "clerk": "web-clerk"}
    hall = hall_file(base)
    if settings:
        text = hall.read_text(encoding="utf-8")
        assert "\n[hall.hours]\n" in text, "the example hall file changed: [hall.hours] not found"
        text = text.replace("\n[hall.hours]\n", f"\n{settings}\n\n[hall.hours]\n", 1)
        hall.write_text(text, encoding="utf-8")
    devices = prepare_db(
        db_url,
        data,
        hall,
        users={name: (role, PASSWORD) for role, name in users.items()},
        devices={"tv-web": ("display", None), "pad-05": ("pad", "05"), "marker": ("display", None)},
    )
    return Template(db_url, data, users, devices)


class _Copy:
    """The test's own copy of the template database, which can be put back as it was."""

    def __init__(self, template: Template, tmp_path: Path) -> None:
        self.template, self.tmp_path = template, tmp_path
        if template.db_url.startswith("sqlite:///"):
            self.source = Path(template.db_url.removeprefix("sqlite:///"))
            self.url = f"sqlite:///{tmp_path / self.source.name}"
        else:
            self.source_name = template.db_url.rsplit("/", 1)[1]
            self.url = template.db_url.rsplit("/", 1)[0] + f"/web_{uuid.uuid4().hex[:12]}"
        self.make()

    def make(self) -> None:
        if self.template.db_url.startswith("sqlite:///"):
            for f in self.tmp_path.glob(self.source.name + "*"):
                f.unlink()
            for f in self.source.parent.glob(self.source.name + "*"):
                shutil.copy(f, self.tmp_path / f.name)
        else:
            self.drop()
            self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.source_name}"')

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[1]

    def drop(self) -> None:
        if not self.template.db_url.startswith("sqlite:///"):
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture
def server(template_db: Template, tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(template_db.data, tmp_path / "data", dirs_exist_ok=True)
    copy = _Copy(template_db, tmp_path)
    srv = Server(copy.url, tmp_path / "data", tmp_path / "server.log", template_db)

    def restore_template() -> None:
        srv._tokens.clear()  # sessions lived in the replaced database
        copy.make()

    srv.restore_template = restore_template  # type: ignore[attr-defined]
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        srv.http.close()
        copy.drop()
    _assert_no_credential_in(tmp_path / "server.log", [*template_db.devices.values(), *srv._tokens.values()])


def _assert_no_credential_in(log: Path, credentials: list[str]) -> None:
    """No device or staff token, and no password, in any line the server logged during the test."""
    text = log.read_text(encoding="utf-8", errors="replace")
    leaked = [line for line in text.splitlines() if PASSWORD in line or any(c in line for c in credentials)]
    assert not leaked, f"credentials in the server log: {leaked[:3]}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def new_page(browser: Any, server: Server) -> Iterator[Any]:
    """Open a page of the server in a fresh browser context (own storage), speech recorded."""
    contexts = []

    def open_page(
        path: str,
        *,
        width: int = 1280,
        height: int = 800,
        role: str | None = None,
        device: str | None = None,
        mobile: bool = False,
        init_script: str = "",
        record_speech: bool = True,
    ) -> Any:
        ctx = browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
        )
        ctx.add_init_script((SPEECH_RECORDER if record_speech else "") + init_script)
        if role:  # a staff member already signed in
            ctx.add_init_script(f"localStorage.setItem('hq.token', {server.token(role)!r});")
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("console", lambda m: m.type == "error" and print("console:", m.text))
        if device:  # a device page is set up once with ?token=
            path += ("&" if "?" in path else "?") + "token=" + server.devices[device]
        page.goto(server.url + path)
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def spoken(page: Any) -> list[str]:
    return page.evaluate("() => window.__spoken.slice()")
