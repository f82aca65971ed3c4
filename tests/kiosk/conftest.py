"""Fixtures for the kiosk tests: a real queue server on loopback, the simulated devices of drivers.sim,
and the real kiosk app (QML and backends) built offscreen."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QGuiApplication exists

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import fresh_postgres
from tests.support import ServerProcess, hall_file, prepare_db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "kiosk"
CARDS_FILE = ROOT / "drivers" / "sim" / "cards.example.json"


class QueueServer:
    """`queue-server serve` in a subprocess (`tests.support.ServerProcess`), on a fresh database (an
    SQLite file, or PostgreSQL) with the example hall and a kiosk device."""

    def __init__(
        self,
        workdir: Path,
        lift_limits: bool = False,
        db: str | None = None,
        *,
        enforce_hours: bool = False,
        clock_start: str | None = None,
        reactivate_min: int = 0,
    ) -> None:
        self.workdir = workdir
        self.db = db or f"sqlite:///{workdir / 'queue.sqlite3'}"
        data = workdir / "server-data"
        # The tests run at any hour: the hall must not close its items at night, unless a test sets the
        # server's clock itself (`enforce_hours`, `clock_start`: after-hours tests). With `lift_limits`,
        # many tickets with few ID cards (a shared server or a benchmark).
        hall = hall_file(workdir, lift_limits=lift_limits)
        if enforce_hours:
            text = hall.read_text(encoding="utf-8")
            hall.write_text(text.replace("enforce_hours = false", "enforce_hours = true"), encoding="utf-8")
        if reactivate_min:  # 过号: missed tickets may rejoin (behind the next waiting one)
            text = hall.read_text(encoding="utf-8")
            rule = f"reactivate_min = {reactivate_min}\nrejoin_behind = 1\n\n[hall.hours]\n"
            hall.write_text(text.replace("\n[hall.hours]\n", "\n" + rule, 1), encoding="utf-8")
        extra = ("--clock-start", clock_start) if clock_start else ()
        self._process = ServerProcess(self.db, data, None, *extra, log=workdir / "server.log")
        self.port = self._process.port
        self.url = self._process.url
        self.env = self._process.env
        # The kiosk's device token: issuing and heartbeats need it.
        name = "kiosk-1"  # one name for all: the prepared database is copied, not made again
        self.kiosk_token = prepare_db(self.db, data, hall, devices={name: ("kiosk", None)})[name]

    @property
    def proc(self) -> subprocess.Popen[bytes] | None:
        return self._process.proc

    def start(self) -> None:
        self._process.start()

    def stop(self) -> None:
        self._process.stop()

    def restart_at(self, clock_start: str) -> None:
        """The same server (port, database) again, its clock set to another instant."""
        self._process.stop()
        self._process.extra = ("--clock-start", clock_start)
        self._process.start()

    def clerk(self, window: str) -> dict[str, str]:
        """The Authorization header of the clerk signed in at `window` (see tests.support.staff_db)."""
        resp = requests.post(
            self.url + "/api/v1/auth/login",
            timeout=30,
            json={"username": f"desk-{window}", "password": "desk-password"},
        )
        resp.raise_for_status()
        return {"Authorization": f"Bearer {resp.json()['token']}"}

    def get(self, path: str) -> Any:
        resp = requests.get(self.url + path, timeout=5)
        resp.raise_for_status()
        return resp.json()

    def waiting(self, service: str) -> int:
        services = self.get("/api/v1/halls/xiqu/services")
        return next(s["waiting"] for s in services if s["code"] == service)


@contextmanager
def _database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'queue.sqlite3'}"
    else:
        with fresh_postgres() as url:
            yield url


# The kiosk is a client of the HTTP API: its flows run against a server on SQLite, and the server's own
# tests run on both databases. Flows where the database's answer is what is tested (a retried issue
# gives one ticket) ask for both with `both_databases` (for `own_server`) or `both_databases_shared`.
both_databases = pytest.mark.parametrize("own_server", ["sqlite", "postgres"], indirect=True)
both_databases_shared = pytest.mark.parametrize("shared_server", ["sqlite", "postgres"], indirect=True)


@pytest.fixture(scope="session", params=["sqlite"])
def shared_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QueueServer]:
    """One server for the tests that only add tickets (limits lifted, so cards can be reused)."""
    workdir = tmp_path_factory.mktemp(f"shared-server-{request.param}")
    with _database(request.param, workdir) as db:
        server = QueueServer(workdir, lift_limits=True, db=db)
        server.start()
        yield server
        server.stop()


@pytest.fixture
def queue_server(shared_server: QueueServer) -> QueueServer:
    if shared_server.proc is None or shared_server.proc.poll() is not None:
        shared_server.start()
    return shared_server


@pytest.fixture(params=["sqlite"])
def own_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QueueServer]:
    """A server of the test's own, for tests that stop and restart it."""
    with _database(request.param, tmp_path) as db:
        server = QueueServer(tmp_path, db=db)
        server.start()
        yield server
        server.stop()


@pytest.fixture
def sim() -> Iterator[Any]:
    from drivers.sim import VirtualIdCardReader, VirtualPrinter, VirtualScanner

    printer = VirtualPrinter(transport="tcp", paper="ok")
    reader = VirtualIdCardReader(cards_file=str(CARDS_FILE))
    scanner = VirtualScanner()
    for device in (printer, reader, scanner):
        device.start()

    class Devices:
        pass

    devices = Devices()
    devices.printer, devices.reader, devices.scanner = printer, reader, scanner
    yield devices
    for device in (scanner, reader, printer):
        device.stop()


def kiosk_config(tmp_path: Path, server: QueueServer, sim: Any, **ui: Any) -> Any:
    from kiosk import config as cfgmod
    from kiosk.pin import hash_pin

    cfg = cfgmod.KioskConfig().with_values(
        {
            "server.url": server.url,
            "server.hall": "xiqu",
            "server.token": server.kiosk_token,
            "printer.url": sim.printer.url if sim else "dummy:",
            "printer.profile": "80mm",
            "reader.port": sim.reader.port if sim else "",
            "scanner.port": sim.scanner.port if sim else "",
            "paths.data_dir": str(tmp_path / "kiosk-data"),
            "server.timeout_s": 2,
            "maintenance.pin_hash": hash_pin("2468"),
        }
    )
    if ui:
        cfg = replace(cfg, ui=replace(cfg.ui, **ui))
    cfgmod.validate(cfg)
    return cfg


FAST = {"refresh_ms": 500, "offline_retry_ms": 300, "printer_poll_ms": 300, "heartbeat_ms": 60000}


@pytest.fixture
def make_kiosk(qapp: Any, qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    """Builds the real kiosk app; stops every one built when the test ends."""
    from PySide6.QtCore import QSize

    from kiosk.app import KioskApp
    from kiosk.config import save
    from kiosk.logs import setup_logging

    built: list[Any] = []

    def make(cfg: Any, size: tuple[int, int] = (1080, 1920), **options: Any) -> Any:
        config_path = tmp_path / "kiosk.toml"
        save(cfg, config_path)
        setup_logging(cfg.log_dir())
        kiosk = KioskApp(qapp, cfg, config_path, size=QSize(*size), fullscreen=False, **(FAST | options))
        kiosk.window.show()
        kiosk.start()
        # The first tap must not race the window's first frame (it would be dropped, as on a real screen
        # that is still starting).
        qtbot.waitExposed(kiosk.window)
        qtbot.wait(200)
        built.append(kiosk)
        return kiosk

    yield make
    for kiosk in built:
        kiosk.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A QML binding error (TypeError, ReferenceError, "Unable to assign") fails the test that caused it.
    for item in items:
        if "tests/kiosk" in str(item.fspath):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(r"^(?!file://)"))  # only QML's own warnings
