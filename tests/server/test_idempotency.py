"""An idempotency key stands for one request: a replay gets its ticket, a different request a 409."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from queue_server.services import issuing
from queue_server.services.context import Actor, Context
from queue_server.services.errors import Conflict
from queue_server.services.group_commit import Job

from .helpers import COMPANY, FOOD, HALL, PENSION

CONSULTING = "510403-GG-ZW-001"  # 综合咨询: no ID card needed at the kiosk

URL = f"/api/v1/halls/{HALL}/tickets"
CARD = {"id_number": "110101199003070935", "name": "张三", "birth_date": "1990-03-07"}
OTHER_CARD = {"id_number": "110101198003070914", "name": "李四", "birth_date": "1980-03-07"}


def _refused_without_ticket(r: Any) -> None:
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "idempotency_mismatch"
    assert "请重新取号" in body["detail"] and "new key" in body["detail_en"]
    assert "token" not in body and "number" not in body and "id" not in body


def test_same_key_same_body_returns_the_first_ticket(client: TestClient) -> None:
    body = {"service": PENSION, "idempotency_key": uuid.uuid4().hex, "channel": "counter", "id_card": CARD}
    first, again = client.post(URL, json=body), client.post(URL, json=body)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["id"] == first.json()["id"] and again.json()["token"] == first.json()["token"]


@pytest.mark.parametrize(
    "change",
    [
        {"service": COMPANY},  # another item
        {"channel": "kiosk"},  # another channel
        {"id_card": OTHER_CARD},  # another person's card
        {"id_card": {**CARD, "name": "王五"}},  # the same number with another name
        {"id_card": None},  # the card left out
    ],
    ids=["item", "channel", "card", "name", "no-card"],
)
def test_same_key_with_another_body_is_refused(
    client: TestClient, device: Callable[..., TestClient], change: dict[str, Any]
) -> None:
    body = {"service": PENSION, "idempotency_key": uuid.uuid4().hex, "channel": "counter", "id_card": CARD}
    assert client.post(URL, json=body).status_code == 201
    caller = device("kiosk-idem", "kiosk") if change.get("channel") == "kiosk" else client
    _refused_without_ticket(caller.post(URL, json={**body, **change}))


def test_another_caller_never_gets_the_ticket(
    client: TestClient, login: Callable[..., TestClient], device: Callable[..., TestClient]
) -> None:
    body = {"service": CONSULTING, "idempotency_key": uuid.uuid4().hex, "channel": "kiosk"}
    kiosk = device("kiosk-a", "kiosk")
    assert kiosk.post(URL, json=body).status_code == 201
    _refused_without_ticket(device("kiosk-b", "kiosk").post(URL, json=body))
    counter = {**body, "channel": "counter"}
    assert client.post(URL, json=counter).status_code == 409
    other_manager = login("manager2", "manager")
    first = client.post(URL, json={**counter, "idempotency_key": "shared-key-0001"})
    assert first.status_code == 201
    _refused_without_ticket(other_manager.post(URL, json={**counter, "idempotency_key": "shared-key-0001"}))
    # The one who asked still gets it back.
    assert kiosk.post(URL, json=body).status_code == 200


def test_a_different_retry_inside_one_batch_is_refused(ctx: Context) -> None:
    manager = Actor(name="manager-a", role="manager", halls=(HALL,))
    kiosk = Actor(name="kiosk-7", role="kiosk", device="kiosk-7", halls=(HALL,))
    jobs = [
        Job(manager, HALL, issuing.IssueRequest(PENSION, "batch-key-1", None, "counter")),
        Job(manager, HALL, issuing.IssueRequest(PENSION, "batch-key-1", None, "counter")),
        Job(kiosk, HALL, issuing.IssueRequest(PENSION, "batch-key-1", None, "counter")),
        Job(manager, HALL, issuing.IssueRequest(FOOD, "batch-key-1", None, "counter")),
    ]
    issuing._write(ctx, jobs)
    first = jobs[0].result
    assert jobs[1].result == first.id
    assert isinstance(jobs[2].error, Conflict) and jobs[2].result is None
    assert isinstance(jobs[3].error, Conflict) and jobs[3].result is None
