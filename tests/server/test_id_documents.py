"""The one ID document rule through the issuing API, on both databases (table: tests/id_cases.py)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from tests.id_cases import REFUSED, VALID

from .helpers import HALL, PENSION


def _issue(client: TestClient, id_card: dict[str, Any]) -> Any:
    body = {"service": PENSION, "idempotency_key": uuid.uuid4().hex, "channel": "counter", "id_card": id_card}
    return client.post(f"/api/v1/halls/{HALL}/tickets", json=body)


def test_every_kind_of_valid_document_gets_a_ticket_and_every_bad_one_a_reason(client: TestClient) -> None:
    for case in VALID:
        card = {"id_number": case.number, "name": "测试", "birth_date": case.birth and case.birth.isoformat()}
        r = _issue(client, card)
        assert r.status_code == 201, (case.why, r.text)
        staff = client.get(f"/api/v1/tickets/{r.json()['id']}").json()
        assert staff["id_masked"].endswith(case.number[-4:].upper())
    for case in REFUSED:
        r = _issue(client, {"id_number": case.number, "name": "测试"})
        assert r.status_code == 422, (case.why, r.text)
        body = r.json()
        assert body["code"] == "id_number", case.why
        assert case.zh in body["detail"] and case.en in body["detail_en"], case.why
        assert case.number not in r.text  # a refusal never echoes the number


def test_the_priority_lane_takes_the_birth_date_from_the_number(client: TestClient) -> None:
    # Born 1950 in a district created in 1983: 76 on the test clock's date, so the priority lane.
    r = _issue(client, {"id_number": "510403195003121232", "name": "张三"})
    assert r.status_code == 201, r.text
    assert client.get(f"/api/v1/tickets/{r.json()['id']}").json()["priority_class"] == "priority"
    # A birth date that disagrees with the number is refused, whichever way it would move the person.
    for wrong in ("1990-03-12", "1930-03-12"):
        r = _issue(client, {"id_number": "510403195003121232", "name": "张三", "birth_date": wrong})
        assert r.status_code == 422 and r.json()["code"] == "birth_date_mismatch", r.text
        assert "出生日期" in r.json()["detail"] and "birth date" in r.json()["detail_en"]
    young = _issue(client, {"id_number": "810000199508150029", "name": "陈大文", "birth_date": "1995-08-15"})
    assert client.get(f"/api/v1/tickets/{young.json()['id']}").json()["priority_class"] == "normal"


def test_an_old_foreign_card_uses_its_own_birth_date_field(client: TestClient) -> None:
    r = _issue(client, {"id_number": "USA350068120101", "name": "SMITH JOHN", "birth_date": "1940-01-01",
                        "card_type": "foreign"})
    assert r.status_code == 201, r.text
    assert client.get(f"/api/v1/tickets/{r.json()['id']}").json()["priority_class"] == "priority"


def test_lower_case_x_is_the_same_person_for_the_daily_limits(client: TestClient) -> None:
    # The pension check allows one ticket a day per person: the second, typed with x, is the same person.
    upper = _issue(client, {"id_number": "11010519491231002X", "name": "王小明"})
    assert upper.status_code == 201, upper.text
    assert client.get(f"/api/v1/tickets/{upper.json()['id']}").json()["id_masked"] == "1101**********002X"
    lower = _issue(client, {"id_number": "11010519491231002x", "name": "王小明"})
    assert lower.status_code == 429, lower.text
    other = _issue(client, {"id_number": "110108194901010047", "name": "李四"})
    assert other.status_code == 201, other.text
