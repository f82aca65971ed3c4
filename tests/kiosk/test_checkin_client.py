"""The kiosk's API client for check-in, against a real server process: a booking's QR code as the
scanner reads it, and an ID number as the card reader gives it. (The check-in screens are not built:
the kiosk's flow is being restructured on another branch.)"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from kiosk.api import ApiClient, ApiError, booking_token
from tests.id_cases import resident_number
from tests.support import HALL, ServerProcess, hall_file, prepare_db

PENSION = "510403-GG-RS-004"


def test_booking_token_reads_only_booking_codes() -> None:
    assert booking_token("https://hall.example.gov.cn/book/xiqu?booking=abc-_1") == "abc-_1"
    assert booking_token("https://hall.example.gov.cn/t/abc") is None  # a ticket's code
    assert booking_token("hello") is None


def test_check_in_by_scanned_code_and_by_id_card(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    tokens = prepare_db(db, tmp_path / "data", hall_file(tmp_path), devices={"kiosk-ci": ("kiosk", None)})
    # The server's clock starts on a Wednesday at 10:05 (and runs on): the next slot is 10:30, whose
    # check-in is open from 10:00, at whatever hour the test runs.
    with ServerProcess(db, tmp_path / "data", None, "--clock-start", "2026-12-02T10:05:00+08:00") as srv:
        api = ApiClient(srv.url, HALL, tokens["kiosk-ci"])
        info = httpx.get(f"{srv.url}/api/v1/halls/{HALL}/booking").json()
        today, tomorrow = info["days"][0], info["days"][1]

        def book(person: int, day: str) -> dict:
            slots = httpx.get(f"{srv.url}/api/v1/halls/{HALL}/services/{PENSION}/slots", params={"date": day})
            body = {
                "service": PENSION,
                "slot_start": slots.json()["slots"][0]["start"],  # today: the next slot, open for check-in
                "id_card": {"id_number": resident_number(person), "name": "黄二"},
                "phone": "13512345678",
                "idempotency_key": uuid.uuid4().hex,
            }
            r = httpx.post(f"{srv.url}/api/v1/halls/{HALL}/appointments", json=body)
            assert r.status_code == 201, r.text
            return r.json()

        scanned = book(1, today)["booking_url"]  # what the QR code carries
        done = api.check_in(token=booking_token(scanned))
        assert done["outcome"] == "on_time" and done["ticket"]["priority_class"] == "appointment"
        book(2, today)
        by_card = api.check_in(id_number=resident_number(2))
        assert by_card["outcome"] == "on_time" and by_card["ticket"]["number"] != done["ticket"]["number"]
        later = book(3, tomorrow)
        with pytest.raises(ApiError) as refused:
            api.check_in(token=booking_token(later["booking_url"]))
        assert refused.value.status == 409 and "不是今天" in refused.value.detail
        with pytest.raises(ApiError) as none_today:
            api.check_in(id_number=resident_number(3))
        assert none_today.value.status == 404 and "今天" in none_today.value.detail
