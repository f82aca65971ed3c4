"""The maintenance PIN: stored as a salted scrypt hash, with a lockout after repeated wrong tries.

The lockout state is kept in a small file in the data dir so that restarting the kiosk (or pulling
the plug) does not reset the counter.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    if not (4 <= len(pin) <= 12 and pin.isdigit()):
        raise ValueError("PIN 应为 4–12 位数字 / the PIN must be 4–12 digits")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))


@dataclass
class PinResult:
    ok: bool
    locked_until: float  # epoch seconds; 0 when not locked
    tries_left: int


class PinGuard:
    """Checks PINs against the stored hash and enforces the lockout."""

    def __init__(self, state_file: Path, max_tries: int, lockout_s: float,
                 clock: Callable[[], float] = time.time) -> None:
        self._file = state_file
        self._max = max_tries
        self._lockout_s = lockout_s
        self._clock = clock

    def _read(self) -> dict[str, float]:
        try:
            data = json.loads(self._file.read_text())
            return {"failures": int(data.get("failures", 0)),
                    "locked_until": float(data.get("locked_until", 0))}
        except (OSError, ValueError):
            return {"failures": 0, "locked_until": 0.0}

    def _write(self, failures: int, locked_until: float) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"failures": failures, "locked_until": locked_until}))
        os.replace(tmp, self._file)

    def locked_until(self) -> float:
        until = self._read()["locked_until"]
        return until if until > self._clock() else 0.0

    def check(self, pin: str, stored_hash: str) -> PinResult:
        state = self._read()
        now = self._clock()
        if state["locked_until"] > now:
            return PinResult(False, state["locked_until"], 0)
        if state["locked_until"]:
            state = {"failures": 0, "locked_until": 0.0}  # lockout over: a fresh set of tries
        if stored_hash and verify_pin(pin, stored_hash):
            self._write(0, 0.0)
            return PinResult(True, 0.0, self._max)
        failures = int(state["failures"]) + 1
        if failures >= self._max:
            until = now + self._lockout_s
            self._write(0, until)
            return PinResult(False, until, 0)
        self._write(failures, 0.0)
        return PinResult(False, 0.0, self._max - failures)
