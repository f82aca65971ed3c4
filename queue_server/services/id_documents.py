"""The server's side of the one ID document rule (drivers/idcard/idnumber.py): refusals as 422s.

The birth date decides the priority lane, so it comes from the number itself; a birth date sent
with the card must agree with it. Only old foreign permanent residence cards carry no readable birth
date in their number: for them the card's own field is used.
"""

from __future__ import annotations

from datetime import date

from drivers.idcard.idnumber import check_id_number

from .errors import Invalid


def check_card(id_number: str, birth_date: date | None, today: date | None = None) -> tuple[str, date | None]:
    """(normalised number, birth date) of a presented document, or Invalid saying what is wrong."""
    verdict = check_id_number(id_number, today)
    if not verdict.ok:
        raise Invalid(verdict.reason, verdict.reason_en, code="id_number")
    if verdict.birth_date is not None and birth_date is not None and birth_date != verdict.birth_date:
        raise Invalid(
            "证件上的出生日期与证件号码中的出生日期不一致，请重新读卡或核对号码",
            "the birth date sent with the card differs from the one in its number; "
            "please read the card again or check the number",
            code="birth_date_mismatch",
        )
    return verdict.number, verdict.birth_date or birth_date
