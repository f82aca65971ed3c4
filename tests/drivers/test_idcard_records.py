"""Card records: text block layouts, check digits, tables, masking."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from drivers.idcard import IdCard, mask_id_number, mask_name, parse_text_block, validate_id_number
from drivers.idcard.codes import IdCardDataError
from drivers.idcard.reader import parse_read_reply
from drivers.idcard.tables import NATIONS, gender_name, nation_name
from drivers.idcard.textblock import decode_fields, encode_fields
from drivers.sim.cards import encode_card, load_cards


@pytest.mark.parametrize("number", ["11010519491231002X", "120103198806018241", "360426199101010071"])
def test_reference_numbers_are_valid(number):
    assert validate_id_number(number)
    assert ric.is_valid(number)  # python-stdnum agrees


@pytest.mark.parametrize(
    "number", ["110105194912310021", "12010319880601824", "36042619910101007A", "", "11010519491231002x1"]
)
def test_wrong_numbers_are_rejected(number):
    assert not validate_id_number(number)


def test_check_digit_agrees_with_stdnum_on_many_numbers():
    # stdnum also checks region codes; compare the check character alone.
    for i in range(3000):
        body = f"{110101 + i * 7919 % 700000:06d}19{i % 90 + 10:02d}0{i % 9 + 1}1{i % 9}{i % 1000:03d}"
        expected = ric.calc_check_digit(body + "?")  # stdnum expects a check slot it ignores
        for check in "0123456789X":
            assert validate_id_number(body + check) == (check == expected), body + check


def test_masking():
    assert mask_id_number("510402199001011234") == "5104**********1234"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修") == "欧**"
    assert mask_name("SMITH JOHN") == "S**** ****"
    assert mask_id_number("12") == "*2"


def test_tables():
    assert len(NATIONS) == 58
    assert nation_name("01") == "汉" and nation_name("56") == "基诺"
    assert nation_name("98").startswith("外国血统")
    assert gender_name("1") == "男" and gender_name("2") == "女" and gender_name("9") == "未说明"


def test_example_cards_parse_to_typed_records():
    cards = [parse_text_block(*encode_card(c)) for c in load_cards()]
    types = [c.card_type for c in cards]
    assert types.count("resident") == 3 and "hk_mo_tw" in types and types.count("foreign") == 2
    assert all(c.check_digit_ok for c in cards)
    li = cards[0]
    assert (li.name, li.gender, li.nation, li.birth_date) == ("李秀英", "女", "汉", date(1949, 12, 31))
    assert li.long_term and li.valid_to is None and li.is_expired() is False
    assert cards[1].nation == "回" and cards[1].valid_to == date(2038, 6, 1)
    assert cards[2].is_expired(date(2026, 1, 1)) is True
    hk = cards[3]
    assert (hk.type_flag, hk.pass_number, hk.issue_count) == ("J", "H12345678", "01")
    foreign = cards[4]
    assert (foreign.type_flag, foreign.name_en, foreign.nationality) == ("Y", "SMITH JOHN", "USA")
    old = cards[5]
    assert (old.type_flag, old.id_number, old.card_version) == ("I", "FRA110080022901", "01")
    assert old.name == "玛丽"
    assert len(li.photo) == 1024 and li.photo.startswith(b"WLf\x00")


def test_repr_and_masked_never_show_the_raw_number_or_name():
    card = parse_text_block(*encode_card(load_cards()[0]))
    for text in (repr(card), str(card), str(card.masked())):
        assert "11010519491231002X" not in text and "李秀英" not in text
    m = card.masked()
    assert m == {
        "type": "resident",
        "name": "李**",
        "id_number": "1101**********002X",
        "check_digit_ok": True,
        "birth_year": 1949,
        "expired": False,
    }


def test_wrong_check_digit_is_reported():
    card = dict(load_cards()[1], id_number="120103198806018242")
    assert parse_text_block(*encode_card(card)).check_digit_ok is False


def test_block_round_trip_and_truncation():
    fields = {
        "name": "买买提·艾力江阿不都热合曼热合曼",
        "gender": "1",
        "nation": "05",
        "birth": "20000229",
        "id_number": "650102200002290011",
    }
    flag, decoded = decode_fields(encode_fields(" ", fields))
    assert flag == " "
    assert decoded["name"] == fields["name"][:15]  # 30 bytes hold 15 characters
    assert decoded["id_number"] == fields["id_number"]


def test_unknown_type_flag_and_short_block_are_data_errors():
    block = bytearray(encode_card(load_cards()[0])[0])
    block[248:250] = "Q".encode("utf-16-le")
    with pytest.raises(IdCardDataError):
        parse_text_block(bytes(block))
    with pytest.raises(IdCardDataError):
        parse_text_block(b"\x20\x00" * 10)


def test_read_reply_lengths_checked():
    text, photo = encode_card(load_cards()[0])
    good = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + text + photo
    assert isinstance(parse_read_reply(good), IdCard)
    with pytest.raises(IdCardDataError):
        parse_read_reply(good[:-1])
    with pytest.raises(IdCardDataError):
        parse_read_reply(b"\x00")


def test_issue_payload_has_the_server_contract_fields():
    cards = [parse_text_block(*encode_card(c)) for c in load_cards()]
    assert cards[0].issue_payload() == {
        "id_number": "11010519491231002X",
        "name": "李秀英",
        "birth_date": "1949-12-31",
        "card_type": "resident",
    }
    assert cards[4].issue_payload()["card_type"] == "foreign"
