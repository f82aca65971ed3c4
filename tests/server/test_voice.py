"""Calls spoken by the server (espeak-ng) for displays without a Chinese browser voice."""

from __future__ import annotations

import hashlib
import io
import os
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from queue_server.services import voice
from queue_server.services.context import Context

from .helpers import HALL, PENSION, call_next, issue, sqlite_only


def url(ticket_id: int, lang: str = "zh") -> str:
    return f"/api/v1/halls/{HALL}/calls/{ticket_id}/voice?lang={lang}"


def seconds(audio: bytes) -> float:
    with wave.open(io.BytesIO(audio)) as w:
        return w.getnframes() / w.getframerate()


@sqlite_only  # files and a subprocess; the ticket lookups are the API's usual ones
def test_a_called_ticket_is_spoken_and_cached_and_nothing_else_is(
    client: TestClient, device: Callable[..., TestClient], ctx: Context
) -> None:
    display = device("tv-social", "display")
    waiting = issue(client, PENSION)
    # Waiting, not called: nothing to announce.
    r = display.get(url(waiting["id"]))
    assert r.status_code == 404 and r.json()["code"] == "not_called"
    assert "没有被呼叫" in r.json()["detail"] and "not being called" in r.json()["detail_en"]

    called = call_next(client, "05")
    assert called is not None and called["id"] == waiting["id"]
    r = display.get(url(called["id"]))
    assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
    assert r.content[:4] == b"RIFF" and r.content[8:12] == b"WAVE"
    assert 1.0 < seconds(r.content) < 8.0  # a sentence, not silence
    # The text is the call as the server announces it, made from the ticket, never from the request.
    text = f"请{called['number']}号到5号窗口办理"
    key = hashlib.sha256(f"zh\n{text}".encode()).hexdigest()[:32]
    cache = ctx.settings.data_dir / "voice"
    assert (cache / f"{key}.wav").read_bytes() == r.content
    # A second display asking for the same call gets the cached file.
    before = (cache / f"{key}.wav").stat().st_mtime_ns
    again = device("tv-hall", "display").get(url(called["id"]))
    assert again.content == r.content and (cache / f"{key}.wav").stat().st_mtime_ns == before
    english = display.get(url(called["id"], "en"))
    assert english.status_code == 200 and english.content != r.content

    # Once served, the call is no longer spoken.
    assert client.post(f"/api/v1/tickets/{called['id']}/start").status_code == 200
    assert display.get(url(called["id"])).json()["code"] == "not_called"
    assert display.get(url(called["id"], "fr")).status_code == 422


@sqlite_only
def test_without_espeak_the_display_is_told_to_keep_to_the_chime(
    client: TestClient, device: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voice.shutil, "which", lambda _name: None)
    issue(client, PENSION)
    called = call_next(client, "05")
    assert called is not None
    r = device("tv", "display").get(url(called["id"]))
    assert r.status_code == 404 and r.json()["code"] == "voice_unavailable"
    assert "提示音" in r.json()["detail"] and "chime" in r.json()["detail_en"]


def test_the_cache_keeps_the_newest_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice, "CACHED", 3)
    for n in range(5):
        (tmp_path / f"{n}.wav").write_bytes(b"x")
        stamp = 1_700_000_000 + n
        os.utime(tmp_path / f"{n}.wav", (stamp, stamp))
    voice._trim(tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == ["2.wav", "3.wav", "4.wav"]
