"""Spoken calls made on the server, for hall displays whose browser has no Chinese voice.

Many TVs and set-top browsers speak no Chinese (`speechSynthesis` has no zh voice); rather than the
chime alone, such a display fetches the call as a WAV file: espeak-ng (Debian package `espeak-ng`,
offline), the Mandarin voice that reads latin letters as pinyin (`cmn-latn-pinyin`; the plain `cmn`
voice reads some syllables' tone digits in English). The text is the call's announcement, made here
from the ticket as it is now, never from the request: a display can ask for a ticket that is being
called and nothing else. Files are cached by their text (several zones' displays ask for the same
call) and the cache is kept small.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Literal

from .context import Context
from .errors import NotFound
from .lookup import hall as find_hall
from .lookup import ticket as find_ticket
from .tickets import announcement

Lang = Literal["zh", "en"]
VOICES: dict[Lang, str] = {"zh": "cmn-latn-pinyin", "en": "en"}
SPEED = 140  # words a minute: a little slower than espeak's default, for a hall
CACHED = 64  # newest files kept (about 250 KB each)
_SYNTHESIS = threading.BoundedSemaphore(2)  # at most two espeak-ng processes at once


@functools.cache
def available() -> bool:
    """Whether this server can speak (looked up once: every snapshot says it)."""
    return shutil.which("espeak-ng") is not None


def call_audio(ctx: Context, hall_code: str, ticket_id: int, lang: Lang) -> bytes:
    """The WAV of ticket `ticket_id`'s call to its window, while it is being called."""
    with ctx.read() as s:
        hall = find_hall(s, hall_code)
        t = find_ticket(s, ticket_id)
        if t.hall_id != hall.id:
            raise NotFound(f"没有编号为 {ticket_id} 的号票", f"unknown ticket: {ticket_id}")
        if t.status != "called" or t.window is None:
            raise NotFound(
                f"{t.number} 号现在没有被呼叫，无需播报",
                f"ticket {t.number} is not being called now: nothing to announce",
                code="not_called",
            )
        text = announcement(t)[f"announcement_{lang}"]
    return speak(ctx.settings.data_dir / "voice", text, lang)


def speak(cache: Path, text: str, lang: Lang) -> bytes:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise NotFound(
            "本服务器未安装语音合成（espeak-ng），显示屏只播放提示音",
            "no speech synthesiser (espeak-ng) on this server: displays play the chime only",
            code="voice_unavailable",
        )
    key = hashlib.sha256(f"{lang}\n{text}".encode()).hexdigest()[:32]
    path = cache / f"{key}.wav"
    if path.exists():
        return path.read_bytes()
    cache.mkdir(parents=True, exist_ok=True)
    with _SYNTHESIS:
        fd, tmp = tempfile.mkstemp(dir=cache, suffix=".part")
        os.close(fd)
        try:
            # Text on stdin, never as an argument; a few seconds at most.
            try:
                done = subprocess.run(
                    [exe, "-v", VOICES[lang], "-s", str(SPEED), "-w", tmp, "--stdin"],
                    input=text.encode(),
                    capture_output=True,
                    timeout=10,
                    check=False,
                ).returncode
            except (OSError, subprocess.TimeoutExpired):
                done = -1
            if done != 0 or os.path.getsize(tmp) == 0:
                raise NotFound(
                    "语音合成失败，显示屏只播放提示音",
                    "speech synthesis failed: the display plays the chime only",
                    code="voice_unavailable",
                )
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    _trim(cache)
    return path.read_bytes()


def _trim(cache: Path) -> None:
    files = sorted(cache.glob("*.wav"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[CACHED:]:
        old.unlink(missing_ok=True)
