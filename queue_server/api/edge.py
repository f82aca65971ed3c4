"""Validation at the edge: what the database or the event stream cannot take never gets past here.

PostgreSQL refuses NUL in text and lone surrogates cannot be encoded; ids have the column's range;
an aware time far from now may not fit in UTC; JSON's NaN and Infinity are not JSON on the way out.
Each is a 422 here instead of a 500 deeper in.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Path
from pydantic import AfterValidator

INT32_MAX = 2**31 - 1  # ids and sequence numbers are INTEGER columns on PostgreSQL
INT64_MAX = 2**63 - 1
ALLOWED_IN_TEXT = frozenset("\t\n\r")  # in bodies (a reason may have several lines); never in addresses


def bad_char(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """A control character (NUL …) or a lone surrogate: text no database should store."""
    return any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text if not ch.isprintable()
    )


def clean_value(value: Any) -> Any:
    """Refuse bad text and non-finite numbers anywhere inside a body value (nested lists and dicts)."""
    if isinstance(value, str):
        if bad_char(value, ALLOWED_IN_TEXT):
            raise ValueError("不能包含控制字符 / must not contain control characters")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("数值必须是有限数 / numbers must be finite (no NaN or Infinity)")
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > INT64_MAX:
            raise ValueError("数值超出范围 / number out of range")
    elif isinstance(value, dict):
        for key, item in value.items():
            clean_value(key)
            clean_value(item)
    elif isinstance(value, list | tuple):
        for item in value:
            clean_value(item)
    return value


def bad_request_text(scope: dict[str, Any]) -> str | None:
    """The part of an API request's address or headers that holds a control character, if any."""
    if bad_char(scope.get("path", "")):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return "query"
    if any(bad_char(k) or bad_char(v) for k, v in pairs):
        return "query"
    for name, value in scope.get("headers", ()):
        if name in (b"authorization", b"last-event-id") and bad_char(value.decode("latin-1")):
            return "header"
    return None


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("时间需带时区，例如 2026-11-25T08:00:00+08:00 / a time needs a zone, e.g. +08:00")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("时间超出范围 / time out of range") from None


def _plausible(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2200:
        raise ValueError("时间超出范围（2000–2200 年）/ time out of range (years 2000-2200)")
    return value


# An aware time that fits in UTC (year 1 at +08:00 does not).
AwareTime = Annotated[datetime, AfterValidator(_utc)]
# A time in a hall's calendar: with an offset, or local time without one; within two centuries.
HallTime = Annotated[datetime, AfterValidator(_plausible)]
# A row id in the path: beyond the column's range nothing can exist.
RowId = Annotated[int, Path(ge=1, le=INT32_MAX)]
