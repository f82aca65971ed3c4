"""The citizen's session: what is sent, what is shown (masked), and that it is wiped."""

from __future__ import annotations

from datetime import date

from drivers.idcard import IdCard
from kiosk.session import MANUAL_NAME, CitizenSession


def card(number: str = "11010519491231002X", name: str = "李秀英") -> IdCard:
    return IdCard(
        card_type="resident",
        name=name,
        gender="女",
        nation="汉",
        birth_date=date(1949, 12, 31),
        address="北京市朝阳区示例路1号",
        id_number=number,
        authority="北京市公安局",
        valid_from=None,
        valid_to=None,
        check_digit_ok=True,
        long_term=True,
    )


def test_card_payload_and_masked_view() -> None:
    s = CitizenSession(service_code="X")
    s.set_card(card())
    assert s.id_card_payload() == {
        "id_number": "11010519491231002X",
        "name": "李秀英",
        "card_type": "resident",
        "birth_date": "1949-12-31",
    }
    shown = s.masked()
    assert shown["source"] == "card" and "李秀英" not in shown["name"] and "1949" not in shown["idNumber"]


def test_typed_number_carries_its_birth_date() -> None:
    s = CitizenSession()
    s.set_manual_id("120103198806018241")
    assert s.id_card_payload() == {
        "id_number": "120103198806018241",
        "name": MANUAL_NAME,
        "card_type": "resident",
        "birth_date": "1988-06-01",
    }


def test_a_retry_key_never_passes_to_another_identity() -> None:
    s = CitizenSession(service_code="X")
    s.set_card(card())
    key = s.issue_key()
    assert s.issue_key() == key  # a retry of the same request
    s.set_card(card("120103198806018241", "马丽"))
    assert s.issue_key() != key


def test_wipe_forgets_everything() -> None:
    s = CitizenSession(service_code="X")
    s.set_card(card())
    s.issue_key()
    s.wipe()
    assert s == CitizenSession()
    assert s.id_card_payload() is None
