"""Schemathesis against a live server, as each role: shared by the CI test and `bench/fuzz_api.py`.

A real `queue-server serve` process on a database holding the example hall (hours not enforced),
one account per staff role, one device per device kind, and a few tickets. Schemathesis reads the
server's own /openapi.json and fails a case on a 5xx, an undocumented status, a wrong content type
or a body that does not match the declared schema.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support import ServerProcess, always_open_hall, run_cli, staff_windows

HALL = "xiqu"
PASSWORD = "fuzz-password-1"
ROLES = ("public", "kiosk", "display", "pad", "clerk", "manager", "maintenance", "admin")
STAFF = ("clerk", "manager", "maintenance", "admin")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
SERVICES = ("510403-GG-RS-004", "510403-XK-SC-001", "510403-XK-SC-005", "510403-GG-ZW-001")
VICTIM_USER, VICTIM_DEVICE = "fuzz-victim", "fuzz-victim-device"  # what admins may disable or revoke


@dataclass
class Prepared:
    server: ServerProcess
    tokens: dict[str, str]  # role -> bearer token ("" for public)
    ticket_ids: list[int]
    ticket_tokens: list[str]
    numbers: list[str]


@dataclass
class Outcome:
    role: str
    cases: int
    failures: list[str] = field(default_factory=list)
    server_errors: int = 0
    mismatches: int = 0
    seconds: float = 0.0


def prepare(db_url: str, workdir: Path) -> Prepared:
    """Hall, accounts, devices and tickets on `db_url`, then a server process on it."""
    from queue_server.runtime import open_context
    from queue_server.services import accounts, devices, issuing
    from queue_server.services.context import SYSTEM

    workdir.mkdir(parents=True, exist_ok=True)
    run_cli("import-hall", str(always_open_hall(workdir)), "--db", db_url)
    ctx = open_context(db_url, migrate=False)
    tokens = {"public": ""}
    for role in STAFF:
        accounts.create_user(ctx, SYSTEM, f"fuzz-{role}", role, PASSWORD, [HALL])
    accounts.create_user(ctx, SYSTEM, VICTIM_USER, "clerk", PASSWORD, [HALL])
    for kind in ("kiosk", "display", "pad"):
        window = "05" if kind == "pad" else None
        tokens[kind] = devices.add_device(ctx, SYSTEM, f"fuzz-{kind}", kind, HALL, window)[1]
    devices.add_device(ctx, SYSTEM, VICTIM_DEVICE, "display", HALL)
    staff_windows(ctx, HALL)  # walk-in tickets are issued for items a staffed window serves
    issued = []
    for service in SERVICES * 2:
        req = issuing.IssueRequest(service, uuid.uuid4().hex, None, "counter")
        issued.append(issuing.issue(ctx, SYSTEM, HALL, req, "http://fuzz/")[0])
    ctx.sessions.kw["bind"].dispose()
    server = ServerProcess(db_url, workdir / "data", None, "--no-access-log").start()
    for role in STAFF:
        login = {"username": f"fuzz-{role}", "password": PASSWORD}
        r = httpx.post(f"{server.url}/api/v1/auth/login", json=login, timeout=30)
        r.raise_for_status()
        tokens[role] = r.json()["token"]
    return Prepared(
        server,
        tokens,
        [t["id"] for t in issued],
        [t["token"] for t in issued],
        [t["number"] for t in issued],
    )


def _config(prep: Prepared, path: Path) -> Path:
    """Known values for path parameters, most of the time: else nearly every case is a 404."""
    values = {
        "hall": [HALL],
        "window": ["01", "02", "05", "06"],
        "code": list(SERVICES),
        "ticket_id": prep.ticket_ids,
        "token": prep.ticket_tokens,
        "number": prep.numbers,
        "name": [VICTIM_DEVICE],
        "username": [VICTIM_USER],
    }
    lines = ["[dictionaries]"]
    lines += [f"{name} = {{ values = {json.dumps(v)} }}" for name, v in values.items()]
    lines += ["", "[parameters]"]
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.8 }}' for name in values]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fuzz(prep: Prepared, role: str, cases: int, seed: int, workdir: Path, phases: str) -> Outcome:
    """One schemathesis run as `role`; `cases` is its --max-examples per operation."""
    report = workdir / f"report-{role}.json"
    command = [
        sys.executable, "-m", "schemathesis.cli",
        "--config-file", str(_config(prep, workdir / "schemathesis.toml")),
        "run", f"{prep.server.url}/openapi.json",
        "--checks", CHECKS,
        "--exclude-path-regex", "/events$",  # a stream never ends: tested in tests/live
        "--max-examples", str(cases),
        "--seed", str(seed),
        "--phases", phases,
        "--workers", "1",
        "--no-shrink",
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--report", "json", "--report-json-path", str(report),
    ]  # fmt: skip
    if role != "public":
        # Signing out would end this role's run: its token is revoked.
        command += ["--exclude-path", "/api/v1/auth/logout"]
        command += ["--header", f"Authorization: Bearer {prep.tokens[role]}"]
    # In the work folder: schemathesis keeps a cache folder where it runs.
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False, cwd=workdir)
    (workdir / f"output-{role}.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    if not report.exists():
        raise RuntimeError(f"schemathesis did not report: {done.stdout[-3000:]}{done.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    outcome = Outcome(role, data["test_cases"]["generated"], seconds=data["running_time"])
    for failure in data["failures"]:
        text = json.dumps(failure, ensure_ascii=False)[:600]
        outcome.failures.append(text)
        if "not_a_server_error" in text:
            outcome.server_errors += 1
        else:
            outcome.mismatches += 1
    outcome.failures += [json.dumps(e, ensure_ascii=False)[:600] for e in data["errors"]]
    return outcome
