"""Failed sign-ins remembered per source address and per username-and-address, in bounded tables.

Two limits, both checked before any password is hashed, and both blind to whether the username
exists (the tables hold the typed username, known or not, so the answers cannot tell them apart):

- an address with too many failures in the last minute waits (any usernames): a guesser from one
  machine gets a few tries a minute;
- a username-and-address pair with `login_max_failures` failures waits `lockout_minutes`. A
  stranger elsewhere never locks the clerk out: the clerk's own address has its own, clean pair.

An address where a sign-in succeeded is remembered for a week: its sign-ins go first to the password
hashing (`Passwords`), so a flood from elsewhere does not keep the hall's own staff out.

The tables live in this process's memory, bounded by `login_table_size` entries each (the oldest
forgotten first) and expired by time, so a flood of made-up names or addresses cannot grow them.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta

from ..settings import Settings
from .errors import LimitReached

WINDOW = timedelta(minutes=1)  # the per-address limit counts failures of the last minute
TRUST = timedelta(days=7)  # an address where a sign-in succeeded goes first this long (Passwords)


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


class LoginThrottle:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings  # read at each use: tests change limits on the same object
        self._lock = threading.Lock()
        self._addresses: OrderedDict[str, deque[datetime]] = OrderedDict()  # failure times, newest last
        self._pairs: OrderedDict[tuple[str, str], tuple[int, datetime]] = OrderedDict()  # (count, last)
        self._trusted: OrderedDict[str, datetime] = OrderedDict()  # address -> last successful sign-in

    def check(self, username: str, address: str, now: datetime) -> None:
        """Refuse (429 with Retry-After) while the address or the pair must wait."""
        with self._lock:
            failures = self._recent(address, now)
            if failures is not None and len(failures) >= self.settings.login_failures_per_address:
                wait = _seconds(failures[0] + WINDOW - now)
                raise LimitReached(
                    f"此地址登录失败次数过多，请 {wait} 秒后再试",
                    f"too many failed sign-ins from this address: try again in {wait} s",
                    code="too_many_attempts",
                    retry_after=wait,
                )
            pair = self._pairs.get((username, address))
            if pair is None:
                return
            count, last = pair
            until = last + timedelta(minutes=self.settings.lockout_minutes)
            if until <= now:
                del self._pairs[(username, address)]
            elif count >= self.settings.login_max_failures:
                wait = _seconds(until - now)
                minutes = math.ceil(wait / 60)
                raise LimitReached(
                    f"登录失败次数过多，请 {minutes} 分钟后再试；忘记密码请联系管理员重置",
                    f"too many failed sign-ins: try again in {minutes} min, "
                    "or ask an administrator to reset the password",
                    code="too_many_attempts",
                    retry_after=wait,
                )

    def failed(self, username: str, address: str, now: datetime) -> int:
        """Count a failure; the pair's failures within `lockout_minutes`, this one included."""
        with self._lock:
            failures = self._recent(address, now)
            if failures is None:
                failures = self._addresses[address] = deque(maxlen=self.settings.login_failures_per_address)
            failures.append(now)
            self._addresses.move_to_end(address)
            count, last = self._pairs.pop((username, address), (0, now))
            if last + timedelta(minutes=self.settings.lockout_minutes) <= now:
                count = 0  # the earlier failures have expired
            self._pairs[(username, address)] = (count + 1, now)
            self._trim()
            return count + 1

    def succeeded(self, username: str, address: str, now: datetime) -> None:
        with self._lock:
            self._pairs.pop((username, address), None)
            self._trusted[address] = now
            self._trusted.move_to_end(address)
            self._trim()

    def trusted(self, address: str, now: datetime) -> bool:
        """A sign-in succeeded from this address lately: its next ones go first (any username, so
        that the answer's timing does not depend on whether the username exists)."""
        with self._lock:
            last = self._trusted.get(address)
            if last is not None and last + TRUST <= now:
                del self._trusted[address]
                last = None
            return last is not None

    def forget(self, username: str) -> None:
        """A new password: the username's pairs start afresh everywhere."""
        with self._lock:
            for key in [k for k in self._pairs if k[0] == username]:
                del self._pairs[key]

    def sizes(self) -> tuple[int, int, int]:
        """(addresses with failures, pairs, trusted addresses) remembered now."""
        return len(self._addresses), len(self._pairs), len(self._trusted)

    def _recent(self, address: str, now: datetime) -> deque[datetime] | None:
        failures = self._addresses.get(address)
        if failures is None:
            return None
        while failures and failures[0] + WINDOW <= now:
            failures.popleft()
        if not failures:
            del self._addresses[address]
            return None
        return failures

    def _trim(self) -> None:
        size = self.settings.login_table_size
        for table in (self._addresses, self._pairs, self._trusted):
            while len(table) > size:
                table.popitem(last=False)  # the least recently failed: the oldest news
