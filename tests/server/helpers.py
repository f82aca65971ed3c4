"""Small helpers for server tests."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

HALL = "xiqu"
PENSION = "510403-GG-RS-004"  # 养老待遇资格认证: no quota, window 05 level 1, 06 level 2
FOOD = "510403-XK-SC-005"  # 食品经营许可（新办）: window 02 level 1, window 01 level 2
COMPANY = "510403-XK-SC-001"  # 营业执照（企业设立）: window 01 level 1, window 02 level 2


def issue(client: TestClient, service: str, **extra: Any) -> dict[str, Any]:
    body = {"service": service, "idempotency_key": uuid.uuid4().hex, "channel": "counter", **extra}
    r = client.post(f"/api/v1/halls/{HALL}/tickets", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def call_next(client: TestClient, window: str) -> dict[str, Any] | None:
    r = client.post(f"/api/v1/halls/{HALL}/windows/{window}/call-next")
    assert r.status_code in (200, 204), r.text
    return r.json() if r.status_code == 200 else None


PASSWORD = "correct horse battery"

# For tests of rules that do not depend on the database (who may do what): SQLite only, to keep the
# suite fast; everything that touches SQL differences (locks, triggers, counting) runs on both.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
