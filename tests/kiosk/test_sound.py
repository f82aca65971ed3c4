"""The take-your-card chime sounds through ALSA's `aplay` where Qt Multimedia is missing (the kiosk
package's PySide6-Essentials has none), in the background, and never breaks the kiosk without one."""

from __future__ import annotations

import os
import stat
import wave
from pathlib import Path

import pytest

from kiosk.sound import Chime
from tests.support import wait_until


def _fake_player(bin_dir: Path, log: Path) -> None:
    bin_dir.mkdir()
    player = bin_dir / "aplay"
    player.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n', encoding="utf-8")
    player.chmod(player.stat().st_mode | stat.S_IXUSR)


def test_the_chime_is_played_by_aplay_with_the_wav(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "played.txt"
    _fake_player(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    chime = Chime(tmp_path / "data")
    assert chime.audible
    with wave.open(str(chime.path)) as w:  # a real sound: mono 16-bit, over half a second
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2) and w.getnframes() / w.getframerate() > 0.5
    chime.play()
    wait_until(lambda: log.exists() and log.read_text(encoding="utf-8").count("\n") == 2, 10, "aplay called")
    assert log.read_text(encoding="utf-8").split() == ["-q", str(chime.path)]


def test_without_any_player_the_chime_is_silent_and_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    chime = Chime(tmp_path / "data")
    assert chime.audible == (chime._effect is not None)  # only a PySide6 with Qt Multimedia sounds here
    chime.play()  # no exception, nothing to wait for
    assert chime.requested == 1
