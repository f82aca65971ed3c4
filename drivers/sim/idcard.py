"""VirtualIdCardReader: a reader speaking the SAM protocol on a pseudo-terminal, with fault modes."""

from __future__ import annotations

import os
import threading
from typing import Any

from drivers.idcard.frames import FrameDecoder, build_reply, parse_command
from drivers.sim.cards import encode_card, load_cards
from drivers.sim.ptydev import PtyDevice

FAULTS = (None, "garbage", "bad_checksum", "silence", "sam_failure")
# Stray bytes as seen on real links, including a false start of the preamble.
GARBAGE = bytes.fromhex("00aa13aaaa96aa0069ff")
SAM_ID = bytes.fromhex("0500010095ae3201" "3412f700" "d2029649")


class VirtualIdCardReader(PtyDevice):
    """A card reader on /dev/pts/N.

    Like real readers, "find" succeeds once per presentation: after a card has been read it answers
    "no card" until the card is removed and presented again; "select" succeeds while a card is in
    the field.
    """

    thread_name = "sim-idcard"

    def __init__(self, cards: list[dict[str, Any]] | None = None, cards_file: str | None = None,
                 link: str | None = None) -> None:
        super().__init__(link)
        self.cards: list[dict[str, Any]] = list(cards) if cards is not None else load_cards(cards_file)
        self._lock = threading.Lock()
        self._card: tuple[bytes, bytes] | None = None
        self._found = False  # find already answered for this presentation
        self._selected = False
        self._read_done = False
        self.fault: str | None = None
        self.commands: list[tuple[int, int]] = []  # (CMD, PARA) received, for tests
        self._decoder = FrameDecoder(min_len=3)

    # -- the hall side ------------------------------------------------------------------------------
    def present(self, card: int | dict[str, Any]) -> None:
        encoded = encode_card(self.cards[card] if isinstance(card, int) else card)
        with self._lock:
            self._card = encoded
            self._found = self._selected = self._read_done = False

    def remove(self) -> None:
        with self._lock:
            self._card = None
            self._found = self._selected = self._read_done = False

    def set_fault(self, fault: str | None) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        self.fault = fault

    def start(self) -> VirtualIdCardReader:
        self._decoder = FrameDecoder(min_len=3)
        super().start()
        return self

    # -- the protocol -------------------------------------------------------------------------------
    def on_data(self, data: bytes) -> None:
        for body in self._decoder.feed(data):
            command = parse_command(body)
            self.commands.append((command.cmd, command.para))
            reply = self._answer(command.cmd, command.para)
            self._transmit(reply)

    def _answer(self, cmd: int, para: int) -> bytes:
        if self.fault == "sam_failure":
            return build_reply(0x60)
        with self._lock:
            card = self._card
            if (cmd, para) in ((0x10, 0xFF), (0x11, 0xFF)):
                return build_reply(0x90)
            if (cmd, para) == (0x12, 0xFF):
                return build_reply(0x90, SAM_ID)
            if (cmd, para) == (0x20, 0x01):
                if card is None or self._read_done or self._found:
                    return build_reply(0x80)
                self._found = True
                return build_reply(0x9F, bytes(4))
            if (cmd, para) == (0x20, 0x02):
                if card is None:
                    return build_reply(0x81)
                self._selected = True
                return build_reply(0x90, bytes(8))
            if (cmd, para) == (0x30, 0x01):
                if card is None or not self._selected:
                    return build_reply(0x41)
                self._read_done = True
                text, photo = card
                lengths = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
                return build_reply(0x90, lengths + text + photo)
            if (cmd, para) == (0x30, 0x03):
                return build_reply(0x91)
            if cmd == 0x61:
                return build_reply(0x90, b"\x50")
            return build_reply(0x21)

    def _transmit(self, reply: bytes) -> None:
        fault = self.fault
        if fault == "silence":
            return
        if fault == "garbage":
            self.send(GARBAGE + os.urandom(7) + reply)
        elif fault == "bad_checksum":
            broken = reply[:-1] + bytes([reply[-1] ^ 0x5A])
            self.send(broken + reply)
        else:
            self.send(reply)
