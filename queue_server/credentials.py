"""Secrets of staff and devices: argon2 password hashes and bearer tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

STAFF_PREFIX = "hqs_"  # prefixes tell a leaked token's kind at a glance, and let scanners find them
DEVICE_PREFIX = "hqd_"
MIN_PASSWORD = 8


@cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    """argon2id with the library's defaults unless the environment lowers them (tests do)."""
    return _hasher(
        int(os.environ.get("QUEUE_ARGON2_TIME_COST", "3")),
        int(os.environ.get("QUEUE_ARGON2_MEMORY_KIB", "65536")),
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the user does not exist, so that both failures take the same time.
_DUMMY: dict[str, str] = {}


def burn_time(password: str) -> None:
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = hash_password(secrets.token_hex(16))
    verify_password(_DUMMY["hash"], password)


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long random strings: a plain SHA-256 suffices (no dictionary to guess from)."""
    return hashlib.sha256(token.encode()).hexdigest()
