"""The migrations build exactly the model, on both databases; the demo command serves a hall."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from queue_server.db.engine import make_engine
from queue_server.db.migrate import upgrade
from queue_server.db.models import Base
from tests.support import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_match_the_model(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # running again is harmless
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def _post(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict | None]:
    data = json.dumps(body).encode() if body is not None else b""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        raw = r.read()
        return r.status, json.loads(raw) if raw else None


def test_demo_serves_the_example_hall(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "QUEUE_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "queue_server", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    printed = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the block of addresses and credentials comes before serving
            printed.append(line)
            if "call-next" in line:
                break
        block = "".join(printed)
        kiosk = re.search(r"kiosk-demo +\(kiosk\): +(hqd_\S+)", block)
        password = re.search(r"password (\S+) for all", block)
        assert kiosk and password and "demo-manager (manager)" in block and "clerk01 (clerk)" in block
        wait_until(lambda: _healthy(base), 30, "the demo server answers /healthz")
        status, t = _post(
            f"{base}/api/v1/halls/xiqu/tickets",
            {
                "service": "510403-GG-RS-004",  # needs an ID card at the kiosk
                "idempotency_key": "demo-test-1",
                "id_card": {"id_number": "11010519491231002X", "name": "王小明"},
            },
            kiosk.group(1),
        )
        assert status == 201 and t is not None
        assert t["number"] == "S001" and t["waiting_ahead"] == 0 and t["eta_max"] is not None
        status, session = _post(
            f"{base}/api/v1/auth/login", {"username": "clerk01", "password": password.group(1)}
        )
        assert status == 200 and session is not None and session["user"]["role"] == "clerk"
        status, window = _post(f"{base}/api/v1/halls/xiqu/windows/05/sign-in", token=session["token"])
        assert status == 200 and window is not None and window["clerk"] == "clerk01"
        status, called = _post(f"{base}/api/v1/halls/xiqu/windows/05/call-next", token=session["token"])
        assert status == 200 and called is not None and called["number"] == "S001"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"{base}/openapi.json" in block + out
    # Requests go to the request log file, not to the demo's output.
    log = Path(re.search(r"request log: +(\S+)", block).group(1))  # type: ignore[union-attr]
    assert "POST /api/v1/halls/xiqu/windows/05/call-next" in log.read_text()
    assert "call-next HTTP" not in out
