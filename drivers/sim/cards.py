"""Cards for the virtual reader: readable dicts (see cards.example.json) to the card's real bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from drivers.idcard.tables import gender_code, nation_code
from drivers.idcard.textblock import encode_fields

EXAMPLE_CARDS = Path(__file__).with_name("cards.example.json")
PHOTO_LEN = 1024
# Real photo blocks start like this; the rest of ours is filler (no open decoder exists anyway).
PHOTO_MAGIC = bytes.fromhex("574c66007e003200")


def load_cards(path: str | Path | None = None) -> list[dict[str, Any]]:
    data = json.loads(Path(path or EXAMPLE_CARDS).read_text(encoding="utf-8"))
    cards = data["cards"] if isinstance(data, dict) else data
    if not isinstance(cards, list) or not all(isinstance(c, dict) for c in cards):
        raise ValueError("a cards file holds a list of objects (or {\"cards\": [...]})")
    return cards


def _date(value: str) -> str:
    return value.replace("-", "") if value else ""


def type_flag_of(card: dict[str, Any]) -> str:
    kind = card.get("type", "resident")
    if kind == "resident":
        return " "
    if kind == "hk_mo_tw":
        return "J"
    if kind == "foreign":
        return "Y" if str(card.get("version", "2023")) == "2023" else "I"
    raise ValueError(f"unknown card type {kind!r}")


def encode_card(card: dict[str, Any]) -> tuple[bytes, bytes]:
    """(256-byte text block, 1024-byte photo) as a reader's SAM would return them."""
    flag = type_flag_of(card)
    fields = {
        "name": card.get("name", ""),
        "name_en": card.get("name_en", ""),
        "gender": gender_code(card.get("gender", "")),
        "nation": nation_code(card.get("nation", "")),
        "birth": _date(card.get("birth_date", "")),
        "address": card.get("address", ""),
        "id_number": card.get("id_number", ""),
        "authority": card.get("authority", ""),
        "valid_from": _date(card.get("valid_from", "")),
        "valid_to": _date(card.get("valid_to", "")),
        "pass_number": card.get("pass_number", ""),
        "issue_count": card.get("issue_count", ""),
        "renewal_count": card.get("renewal_count", ""),
        "nationality": card.get("nationality", ""),
        "card_version": card.get("card_version", ""),
    }
    return encode_fields(flag, fields), fake_photo(card.get("id_number", ""))


def fake_photo(seed: str) -> bytes:
    out = bytearray(PHOTO_MAGIC)
    counter = 0
    while len(out) < PHOTO_LEN:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:PHOTO_LEN])
