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
    once. This bounds the memory and CPU a flood of sign-ins can take, whatever its size. Callers
    `first` (staff from an address that signed in before; administrators setting passwords) have
    `reserved` waiting places of their own and go before the others, so a flood from elsewhere
    delays them by about one hash instead of refusing them.
    """

    def __init__(self, time_cost: int, memory_kib: int, workers: int, queue: int, reserved: int = 0) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._workers = workers
        self._places = {False: queue, True: reserved}  # waiting places: others, first
        self._running = 0
        self._waiting = {False: 0, True: 0}
        self._turn = threading.Condition()
        # Verified against when the user does not exist: costs what a real verification costs, and
        # needs no hashing to make (random salt and digest, in argon2's own format).
        salt, digest = _b64(secrets.token_bytes(16)), _b64(secrets.token_bytes(32))
        self._dummy = f"$argon2id$v=19$m={memory_kib},t={time_cost},p=1${salt}${digest}"

    def _bounded(self, work: Callable[[], T], first: bool = False) -> T:
        with self._turn:
            if self._running >= self._workers and self._waiting[first] >= self._places[first]:
                raise Busy
            self._waiting[first] += 1
            # The first go before the others: a flood queues behind them, never in front.
            while self._running >= self._workers or (not first and self._waiting[True]):
                self._turn.wait()
            self._waiting[first] -= 1
            self._running += 1
        try:
            return work()
        finally:
            with self._turn:
                self._running -= 1
                self._turn.notify_all()

    def hash(self, password: str) -> str:
        """For administrators setting a password: served first."""
        return self._bounded(lambda: self._hasher.hash(password), first=True)

    def verify(self, password_hash: str, password: str, first: bool = False) -> bool:
        return self._bounded(lambda: self._check(password_hash, password), first)

    def verify_unknown(self, password: str, first: bool = False) -> None:
        """The same work as a verification, for a user that does not exist: both answers take as long."""
        self._bounded(lambda: self._check(self._dummy, password), first)

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
