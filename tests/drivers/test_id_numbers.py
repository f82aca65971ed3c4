"""The one ID document rule (drivers/idcard/idnumber.py) against a table of every kind of number."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from drivers.idcard import check_id_number, parse_text_block, validate_id_number
from drivers.sim.cards import encode_card
from tests.id_cases import REFUSED, VALID, Case

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("case", VALID, ids=lambda c: c.why)
def test_valid_numbers_are_accepted_with_their_kind_and_birth_date(case: Case) -> None:
    verdict = check_id_number(case.number, TODAY)
    assert verdict.ok, verdict.reason_en
    assert (verdict.kind, verdict.birth_date) == (case.kind, case.birth)
    assert verdict.number == case.number.upper() and verdict.reason == ""
    assert validate_id_number(case.number)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.why)
def test_refused_numbers_say_what_is_wrong(case: Case) -> None:
    verdict = check_id_number(case.number, TODAY)
    assert not verdict.ok and verdict.kind is None and verdict.birth_date is None
    assert case.zh in verdict.reason and case.en in verdict.reason_en
    assert not validate_id_number(case.number)


# A card's number field holds 18 characters: longer numbers cannot come from a reader.
@pytest.mark.parametrize("case", [c for c in VALID + REFUSED if len(c.number) <= 18], ids=lambda c: c.why)
def test_what_the_reader_returns_follows_the_same_rule(case: Case) -> None:
    # The card as a reader's SAM sends it (text block of its type) and as the drivers parse it.
    kind = case.kind or "resident"
    card = {"type": kind, "version": "2017" if case.number[:1].isalpha() else "2023", "name": "测试",
            "id_number": case.number, "birth_date": case.birth.isoformat() if case.birth else "1970-01-01"}
    parsed = parse_text_block(*encode_card(card))
    assert parsed.card_type == kind
    assert parsed.check_digit_ok is (case.kind is not None)


def test_the_table_has_correct_check_characters_by_an_independent_implementation() -> None:
    for case in VALID:
        if len(case.number) == 18:
            assert ric.calc_check_digit(case.number[:17] + "?") == case.number[17].upper(), case.why


def test_stdnum_refuses_people_the_rule_accepts() -> None:
    # Why stdnum's cn.ric is not used: a district's creation date is not a limit on its residents' birth.
    assert not ric.is_valid("510403195003121232")
    assert check_id_number("510403195003121232", TODAY).ok


def test_a_birth_date_of_today_is_accepted_and_tomorrow_is_not() -> None:
    assert check_id_number("510403202612010010"[:17] + _check("51040320261201001"), TODAY).ok
    tomorrow = "51040320261202001"
    assert "在今天之后" in check_id_number(tomorrow + _check(tomorrow), TODAY).reason


def test_repr_never_shows_the_number() -> None:
    assert "510403" not in repr(check_id_number("510403195003121232", TODAY))


def _check(first17: str) -> str:
    return ric.calc_check_digit(first17 + "?")
