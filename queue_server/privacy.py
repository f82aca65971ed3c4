"""Personal data handling: keyed hashes and masks for ID numbers and names.

The server never stores an ID number or a full name; it keeps an HMAC of the number (for per-person
limits) under a secret generated on first run, and masked forms for staff screens.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from drivers.idcard.idnumber import check_id_number


def load_or_create_secret(path: Path) -> bytes:
    """The server's HMAC key, created with owner-only permissions on first use."""
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    return key


def id_hash(secret: bytes, id_number: str) -> str:
    return hmac.new(secret, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(id_number: str) -> str:
    """'510402199001011234' -> '5104**********1234'."""
    s = id_number.strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def mask_name(name: str) -> str:
    """'张三' -> '张*', '欧阳娜娜' -> '欧***'; Latin names keep their first letter."""
    s = name.strip()
    return s[:1] + "*" * max(len(s) - 1, 1) if s else ""


MOBILE = re.compile(r"^1[3-9]\d{9}$")  # mainland China mobile numbers (11 digits, 13x–19x)


def normalise_mobile(phone: str) -> str | None:
    """'+86 138-0013-8000' -> '13800138000'; None when it is not a mainland mobile number."""
    digits = re.sub(r"[\s-]", "", phone.strip())
    digits = digits.removeprefix("+86").removeprefix("0086")
    return digits if MOBILE.fullmatch(digits) else None


def mask_phone(phone: str) -> str:
    """'13800138000' -> '138****8000'."""
    return phone[:3] + "****" + phone[-4:]


def valid_resident_id(id_number: str) -> bool:
    """The one ID document rule of drivers/idcard/idnumber.py (check character, plausible birth date)."""
    return check_id_number(id_number).ok
