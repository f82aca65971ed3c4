"""PySide6 6.12 loses a reference to None on every void call: without the guard Python 3.11 aborts."""

from __future__ import annotations

import subprocess
import sys

import pytest

LOOP = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
{guard}
app = QCoreApplication([])
class O(QObject):
    sig = Signal(dict)
o, timer = O(), QTimer()
for _ in range(30000):   # about a day of timer restarts and signals on a kiosk
    timer.start(1000)
    timer.stop()
    o.sig.emit({{}})
print("survived")
"""


def run(guard: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LOOP.format(guard=guard)], capture_output=True, text=True, timeout=120
    )


def test_with_the_guard_the_process_survives_many_void_calls() -> None:
    result = run("from kiosk.refguard import immortalize_singletons; immortalize_singletons()")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_without_the_guard_python_311_aborts() -> None:
    result = run("")
    assert result.returncode != 0
    assert "deallocating" in result.stderr
