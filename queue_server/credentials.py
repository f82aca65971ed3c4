"""Secrets of staff and devices: argon2 password hashes and bearer tokens stored only as hashes."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

STAFF_PREFIX = "hqs_"  # prefixes tell a leaked token's kind at a glance, and let scanners find them
DEVICE_PREFIX = "hqd_"
MIN_PASSWORD = 8

T = TypeVar("T")


class Busy(Exception):
    """Every hash worker is busy and the waiting line is full: refused at once, nothing computed."""


class Passwords:
    """argon2id under a bounded number of workers.

    Each hash takes `memory_kib` of memory and a core for a quarter of a second on purpose, so at most
    `workers` run at once and at most `queue` more callers wait; any further caller gets `Busy` at
    once. This bounds the memory and CPU a flood of sign-ins can take, whatever its size.
    """

    def __init__(self, time_cost: int, memory_kib: int, workers: int, queue: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._workers = threading.Semaphore(workers)
        self._admit = threading.Semaphore(workers + queue)  # running + waiting
        # Verified against when the user does not exist: costs what a real verification costs, and
        # needs no hashing to make (random salt and digest, in argon2's own format).
        salt, digest = _b64(secrets.token_bytes(16)), _b64(secrets.token_bytes(32))
        self._dummy = f"$argon2id$v=19$m={memory_kib},t={time_cost},p=1${salt}${digest}"

    def _bounded(self, work: Callable[[], T]) -> T:
        if not self._admit.acquire(blocking=False):
            raise Busy
        try:
            with self._workers:
                return work()
        finally:
            self._admit.release()

    def hash(self, password: str) -> str:
        return self._bounded(lambda: self._hasher.hash(password))

    def verify(self, password_hash: str, password: str) -> bool:
        return self._bounded(lambda: self._check(password_hash, password))

    def verify_unknown(self, password: str) -> None:
        """The same work as a verification, for a user that does not exist: both answers take as long."""
        self._bounded(lambda: self._check(self._dummy, password))

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long random strings: a plain SHA-256 suffices (no dictionary to guess from)."""
    return hashlib.sha256(token.encode()).hexdigest()
