"""The typed card record parsed from a reader's text block, with masking for display and logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from drivers.idcard.codes import IdCardDataError
from drivers.idcard.idnumber import check_id_number, mask_id_number, mask_name
from drivers.idcard.tables import gender_name, nation_name
from drivers.idcard.textblock import CARD_TYPES, decode_fields

CardType = Literal["resident", "hk_mo_tw", "foreign"]
LONG_TERM = "长期"


def parse_date(text: str) -> date | None:
    value = text.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


@dataclass(frozen=True, repr=False)
class IdCard:
    """One card as read. repr() and str() never show the full name or number: use masked()."""

    card_type: CardType
    name: str
    gender: str
    nation: str
    birth_date: date | None
    address: str
    id_number: str
    authority: str
    valid_from: date | None
    valid_to: date | None  # None with long_term=True for "长期"
    check_digit_ok: bool
    photo: bytes = field(default=b"")  # 1024 bytes in the reader's proprietary format, kept raw
    long_term: bool = False
    type_flag: str = " "
    name_en: str = ""
    nationality: str = ""  # GB/T 2659 three-letter code (foreign cards)
    pass_number: str = ""  # HK/MO/TW permit: number of the travel permit
    issue_count: str = ""
    renewal_count: str = ""
    card_version: str = ""

    def masked(self) -> dict[str, Any]:
        """The card as it may be shown on a screen or in a log: no full name, number or address."""
        return {
            "type": self.card_type,
            "name": mask_name(self.name or self.name_en),
            "id_number": mask_id_number(self.id_number),
            "check_digit_ok": self.check_digit_ok,
            "birth_year": self.birth_date.year if self.birth_date else None,
            "expired": self.is_expired(),
        }

    def issue_payload(self) -> dict[str, Any]:
        """The `id_card` object of the server's issue request (docs/design.md): full personal data, for
        sending to the server only, never for logs or screens."""
        return {
            "id_number": self.id_number,
            "name": self.name or self.name_en,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "card_type": self.card_type,
        }

    def is_expired(self, today: date | None = None) -> bool | None:
        if self.long_term:
            return False
        if self.valid_to is None:
            return None
        return self.valid_to < (today or date.today())

    def __repr__(self) -> str:
        m = self.masked()
        return (f"IdCard(type={m['type']}, name={m['name']!r}, id_number={m['id_number']!r}, "
                f"check_digit_ok={m['check_digit_ok']})")

    __str__ = __repr__


def parse_text_block(text: bytes, photo: bytes = b"") -> IdCard:
    """Parses the 256-byte UCS-2 block; raises IdCardDataError for a block that is not a card."""
    if len(text) < 256:
        raise IdCardDataError(f"文字信息长度错误 / text block has {len(text)} bytes, expected 256", "data")
    flag, f = decode_fields(text[:256])
    if flag == "?":
        raise IdCardDataError("无法识别的证件类型 / unknown card type flag", "data")
    card_type: CardType = CARD_TYPES[flag]  # type: ignore[assignment]
    number = f.get("id_number", "").upper()
    # The one rule for every document type (old foreign cards: their shape only, see idnumber.py).
    check_ok = check_id_number(number).ok
    valid_to_text = f.get("valid_to", "")
    return IdCard(
        card_type=card_type,
        name=f.get("name", ""),
        gender=gender_name(f.get("gender", "")),
        nation=nation_name(f.get("nation", "")) if flag == " " else "",
        birth_date=parse_date(f.get("birth", "")),
        address=f.get("address", ""),
        id_number=number,
        authority=f.get("authority", ""),
        valid_from=parse_date(f.get("valid_from", "")),
        valid_to=parse_date(valid_to_text),
        long_term=valid_to_text.startswith(LONG_TERM),
        check_digit_ok=check_ok,
        photo=bytes(photo),
        type_flag=flag,
        name_en=(f.get("name_en", "") + f.get("name_en_more", "")).strip(),
        nationality=f.get("nationality", ""),
        pass_number=f.get("pass_number", ""),
        issue_count=f.get("issue_count", ""),
        renewal_count=f.get("renewal_count", ""),
        card_version=f.get("card_version", ""),
    )


