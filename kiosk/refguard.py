"""Keeps None, True and False alive under PySide6 6.12 on Python 3.11.

PySide6 6.12 returns Py_None from every void method (QTimer.start, QSize.setWidth, …) and Py_True
from Signal.emit without taking a new reference. Python 3.12+ makes these singletons immortal, so
there the missing reference is harmless; on 3.11 (Debian 12's Python) each call drops the count by
one and after a few thousand calls Python aborts with "none_dealloc: deallocating None". A kiosk
makes thousands of such calls an hour (timers, screens, signals), so it would crash within a day.

The fix does what Python 3.12 does: give the three singletons a reference count so large that no
number of lost references can bring it to zero (2**60: a million lost references a second would
take 36,000 years). It costs no memory and changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

BALLAST = 1 << 60
_done = False


def immortalize_singletons() -> bool:
    """Idempotent; returns True when the counts were raised (only needed before Python 3.12)."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return False
    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of PyObject
        refcnt.value += BALLAST
    _done = True
    return True
