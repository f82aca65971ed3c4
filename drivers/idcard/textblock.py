"""The 256-byte UCS-2 LE text block of a card: field layouts per card type, decode and encode.

Encoding is here too (not only in the simulator) so the two directions are tested against each other.
"""

from __future__ import annotations

TEXT_LEN = 256
TYPE_OFFSET = 248  # the card type character: space, J, I or Y

# (field, byte offset, byte length). Y card: the 158–241 region is not verified against a real card.
LAYOUTS: dict[str, tuple[tuple[str, int, int], ...]] = {
    " ": (("name", 0, 30), ("gender", 30, 2), ("nation", 32, 4), ("birth", 36, 16), ("address", 52, 70),
          ("id_number", 122, 36), ("authority", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16)),
    "J": (("name", 0, 30), ("gender", 30, 2), ("birth", 36, 16), ("address", 52, 70), ("id_number", 122, 36),
          ("authority", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16), ("pass_number", 220, 18),
          ("issue_count", 238, 4)),
    "I": (("name_en", 0, 120), ("gender", 120, 2), ("id_number", 122, 30), ("nationality", 152, 6),
          ("name", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16), ("birth", 220, 16),
          ("card_version", 236, 4), ("authority", 240, 8)),
    "Y": (("name", 0, 30), ("gender", 30, 2), ("renewal_count", 32, 4), ("birth", 36, 16),
          ("name_en", 52, 70), ("id_number", 122, 36), ("name_en_more", 158, 30),
          ("valid_from", 188, 16), ("valid_to", 204, 16),
          ("nationality", 242, 6)),
}

CARD_TYPES = {" ": "resident", "J": "hk_mo_tw", "I": "foreign", "Y": "foreign"}


def type_flag(block: bytes) -> str:
    """The card type character, or "?" when the block is too short or the flag unknown."""
    if len(block) < TYPE_OFFSET + 2:
        return "?"
    flag = block[TYPE_OFFSET:TYPE_OFFSET + 2].decode("utf-16-le", errors="replace")
    return flag if flag in LAYOUTS else "?"


def decode_fields(block: bytes) -> tuple[str, dict[str, str]]:
    """(type flag, {field: text}) with padding spaces and NULs stripped."""
    flag = type_flag(block)
    fields: dict[str, str] = {}
    for name, offset, length in LAYOUTS.get(flag, ()):
        raw = block[offset:offset + length]
        fields[name] = raw.decode("utf-16-le", errors="replace").strip(" \x00")
    return flag, fields


def encode_fields(flag: str, fields: dict[str, str]) -> bytes:
    """Builds a text block; values longer than their field are cut (as a card would hold them)."""
    if flag not in LAYOUTS:
        raise ValueError(f"unknown card type flag {flag!r}")
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    for name, offset, length in LAYOUTS[flag]:
        value = fields.get(name, "")
        data = value.encode("utf-16-le")[: length - length % 2]
        # Never split a surrogate pair: drop a dangling high surrogate at the cut.
        if len(data) >= 2 and 0xD800 <= int.from_bytes(data[-2:], "little") <= 0xDBFF:
            data = data[:-2]
        block[offset:offset + len(data)] = data
    block[TYPE_OFFSET:TYPE_OFFSET + 2] = flag.encode("utf-16-le")
    return bytes(block)
