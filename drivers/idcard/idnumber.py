"""ID numbers and names: GB 11643 check digit, and masking for screens and logs."""

from __future__ import annotations

import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_RIC = re.compile(r"^\d{17}[\dX]$")


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(s: str) -> bool:
    """True when `s` is an 18-character GB 11643 number whose check character is right."""
    value = s.strip().upper()
    return bool(_RIC.match(value)) and check_character(value[:17]) == value[17]


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
