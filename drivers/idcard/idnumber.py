"""ID document numbers: the one rule for what a kiosk or the server accepts, and masking.

Accepted (facts: /work/shared/reference/id-documents.md):
- 居民身份证 (GB 11643): 18 characters, MOD 11-2 check character, a plausible birth date in
  characters 7–14. The division code is where the number was first given, not a place that must have
  existed at birth: it is never a reason to refuse (python-stdnum's `cn.ric` refuses a resident of a
  district created in 1983 who was born before, so it is not used).
- 港澳台居民居住证: the same structure with division code 810000, 820000 or 830000.
- 外国人永久居留身份证, 2023: 18 digits starting with 9, same check character, birth date also in
  characters 7–14. Older cards (2004/2017): 3 letters (nationality) + 12 digits; their check
  algorithm and field layout are not published, so only the shape is checked and the birth date is
  the card's own field.
Refused, with a reason naming the problem: any other shape, a wrong check character, 15-digit
first-generation numbers (invalid since 1 January 2013), impossible, future or pre-1900 birth dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
_FIRST_GENERATION = re.compile(r"^\d{15}$")
_OLD_FOREIGN = re.compile(r"^[A-Z]{3}\d{12}$")
_PERMITS = ("81", "82", "83")  # residence permits of Hong Kong, Macao and Taiwan residents
_CHECK_IT, _CHECK_IT_EN = "请核对号码", "please check the number"
EARLIEST_BIRTH = date(1900, 1, 1)

Kind = Literal["resident", "hk_mo_tw", "foreign"]


@dataclass(frozen=True, repr=False)
class IdCheck:
    """The verdict on one number. `reason`/`reason_en` say what is wrong (empty when `ok`)."""

    ok: bool
    number: str  # normalised: stripped, upper-case X
    kind: Kind | None = None
    birth_date: date | None = None  # from the number itself; None for old foreign cards
    reason: str = ""
    reason_en: str = ""

    def __repr__(self) -> str:  # never print the number by accident
        return f"IdCheck(ok={self.ok}, kind={self.kind}, reason_en={self.reason_en!r})"


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(s: str) -> str:
    return s.strip().upper()


def _refuse(number: str, zh: str, en: str) -> IdCheck:
    return IdCheck(False, number, reason=zh, reason_en=en)


def _birth_date(number: str, digits: str, today: date) -> IdCheck | date:
    """The birth date YYYYMMDD in `digits`, or a refusal saying why it is not plausible."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return _refuse(number, f"号码中的出生日期 {digits} 不存在，{_CHECK_IT}",
                       f"the birth date in the number ({digits}) does not exist; {_CHECK_IT_EN}")
    if born > today:
        return _refuse(number, f"号码中的出生日期 {born.isoformat()} 在今天之后，{_CHECK_IT}",
                       f"the birth date in the number ({born.isoformat()}) is in the future; {_CHECK_IT_EN}")
    if born < EARLIEST_BIRTH:
        return _refuse(number, f"号码中的出生日期 {born.isoformat()} 早于1900年，{_CHECK_IT}",
                       f"the birth date in the number ({born.isoformat()}) is before 1900; {_CHECK_IT_EN}")
    return born


def check_id_number(s: str, today: date | None = None) -> IdCheck:
    """Checks one ID document number: see the module's docstring for what is accepted."""
    number = normalise(s)
    today = today or date.today()
    if _OLD_FOREIGN.match(number):
        return IdCheck(True, number, "foreign")
    if _FIRST_GENERATION.match(number):
        return _refuse(number, "15位的第一代身份证号码自2013年1月1日起已停止使用，"
                               "请使用第二代身份证（18位号码）",
                       "15-digit first-generation ID numbers are no longer valid since 1 January 2013; "
                       "please use your second-generation card (18-digit number)")
    if not _EIGHTEEN.match(number):
        if not number:
            return _refuse(number, "没有输入证件号码", "no ID number was given")
        if re.fullmatch(r"[\dX]+", number) and len(number) != 18:
            return _refuse(number, f"证件号码应为18位，这个号码有{len(number)}位",
                           f"an ID number has 18 characters; this one has {len(number)}")
        return _refuse(number, "证件号码只能由数字组成，仅最后一位可以是X",
                       "an ID number has digits only, except an X as its last character")
    if number[0] == "0":
        return _refuse(number, f"证件号码不会以0开头，{_CHECK_IT}",
                       f"no ID number starts with 0; {_CHECK_IT_EN}")
    if check_character(number[:17]) != number[17]:
        return _refuse(number, f"证件号码的最后一位（校验位）不对，{_CHECK_IT}",
                       f"the check digit (last character) of the ID number is wrong; {_CHECK_IT_EN}")
    born = _birth_date(number, number[6:14], today)
    if isinstance(born, IdCheck):
        return born
    kind: Kind = "foreign" if number[0] == "9" else "hk_mo_tw" if number[:2] in _PERMITS else "resident"
    return IdCheck(True, number, kind, born)


def validate_id_number(s: str) -> bool:
    """True when `s` is an ID document number that `check_id_number` accepts."""
    return check_id_number(s).ok


def mask_id_number(s: str) -> str:
    """`510402199001011234` -> `5104**********1234`; short values keep only their last character."""
    value = s.strip()
    if len(value) > 8:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) > 1:
        return "*" * (len(value) - 1) + value[-1]
    return "*" * len(value)


def mask_name(s: str) -> str:
    """`张三` -> `张*`, `欧阳修` -> `欧**`; Latin names keep their first letter and their spaces."""
    value = s.strip()
    if not value:
        return ""
    return value[0] + "".join(" " if c == " " else "*" for c in value[1:])
