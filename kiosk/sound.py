"""The "take your ID card" chime: a short WAV written once into the data dir, played by Qt Multimedia
when the installed PySide6 has it, else by ALSA's `aplay` (PySide6-Essentials has no Qt Multimedia; the
kiosk package depends on alsa-utils); never an error when it cannot sound."""

from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QUrl

log = logging.getLogger(__name__)
RATE = 22050
# Two falling tones, 0.25 s each: noticeable, not alarming (like a lift's arrival chime).
TONES = ((880.0, 0.25), (660.0, 0.35))


def write_chime(path: Path) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    for freq, seconds in TONES:
        count = int(RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 400, (count - i) / 2000)  # no clicks at the edges
            frames += struct.pack("<h", int(0.5 * 32767 * fade * math.sin(2 * math.pi * freq * i / RATE)))
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    tmp.replace(path)
    return path


class Chime(QObject):
    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = write_chime(data_dir / "take-card.wav")
        self.requested = 0  # how often the kiosk asked for the chime (tests, log)
        self._effect = None
        self._player = shutil.which("aplay")
        try:
            from PySide6.QtMultimedia import QSoundEffect  # not in PySide6-Essentials
        except ImportError:
            if self._player is None:
                log.info("no Qt Multimedia, no aplay: the take-your-card reminder is shown without sound")
            return
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(self.path)))
        self._effect = effect

    @property
    def audible(self) -> bool:
        return self._effect is not None or self._player is not None

    def play(self) -> None:
        self.requested += 1
        if self._effect is not None:
            self._effect.play()
        elif self._player is not None:
            try:  # in the background: the screen never waits for the sound card
                subprocess.Popen(
                    [self._player, "-q", str(self.path)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            except OSError as exc:
                log.warning("the take-your-card chime could not play: %s", type(exc).__name__)
