"""Frames of the SAM serial protocol: building commands and decoding a byte stream into replies.

Command: AA AA AA 96 69 | LEN_H LEN_L | CMD PARA DATA… | CHK
Reply:   AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 DATA… | CHK
LEN counts every byte after itself including CHK; CHK is the XOR of LEN_H … the byte before CHK.
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
# The largest real reply (text + photo + 1024-byte fingerprint) is 2327 bytes; anything much larger is a
# false preamble inside garbage, and waiting for it would stall the reader.
MAX_LEN = 4096


def xor(data: bytes) -> int:
    value = 0
    for b in data:
        value ^= b
    return value


def build_frame(body: bytes) -> bytes:
    """Frames a body (CMD PARA DATA for commands, SW1 SW2 SW3 DATA for replies)."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError("frame body too long")
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([xor(head)])


def build_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    return build_frame(bytes([cmd, para]) + data)


@dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes


@dataclass(frozen=True)
class Command:
    """A command frame as the simulator sees it."""

    cmd: int
    para: int
    data: bytes


class FrameDecoder:
    """Incremental decoder: feed any bytes, take complete frames whose checksum is right.

    It scans for the preamble, so stray bytes before a frame are skipped; a frame whose checksum is
    wrong (or whose length is impossible) is dropped one byte at a time, so a real frame that starts
    inside it is still found. It never raises: bad input only increments the counters.
    """

    def __init__(self, min_len: int = 4) -> None:
        self._buf = bytearray()
        self._min_len = min_len  # replies have SW1 SW2 SW3 CHK; commands CMD PARA CHK
        self.bad_checksums = 0
        self.skipped_bytes = 0

    def feed(self, data: bytes) -> list[bytes]:
        """Adds bytes and returns the bodies (without length and CHK) of the frames now complete."""
        self._buf += data
        bodies: list[bytes] = []
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # Keep a tail that could be the start of a preamble split across reads.
                keep = _partial_preamble_len(self._buf)
                self._drop(len(self._buf) - keep)
                return bodies
            self._drop(start)
            if len(self._buf) < HEADER_LEN:
                return bodies
            length = int.from_bytes(self._buf[5:7], "big")
            if length < self._min_len or length > MAX_LEN:
                self._drop(1)
                continue
            total = HEADER_LEN + length
            if len(self._buf) < total:
                return bodies
            frame = bytes(self._buf[:total])
            if xor(frame[5:-1]) != frame[-1]:
                self.bad_checksums += 1
                self._drop(1)
                continue
            bodies.append(frame[7:-1])
            del self._buf[:total]

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buf)

    def skip_pending(self) -> list[bytes]:
        """Gives up on a frame that stopped arriving (false preamble) and rescans after its start."""
        if not self._buf:
            return []
        self._drop(1)
        return self.feed(b"")

    def _drop(self, n: int) -> None:
        if n > 0:
            self.skipped_bytes += n
            del self._buf[:n]


def _partial_preamble_len(buf: bytearray) -> int:
    for n in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf.endswith(PREAMBLE[:n]):
            return n
    return 0


def parse_reply(body: bytes) -> Reply:
    return Reply(body[0], body[1], body[2], bytes(body[3:]))


def parse_command(body: bytes) -> Command:
    return Command(body[0], body[1], bytes(body[2:]))


def build_reply(sw3: int, data: bytes = b"") -> bytes:
    return build_frame(bytes([0, 0, sw3]) + data)
