"""IdCardReader: the SAM protocol over a serial port (pyserial), one command at a time."""

from __future__ import annotations

import termios
import time

import serial

from drivers.idcard.codes import (
    SW3_FIND_OK,
    SW3_NO_CARD,
    SW3_OK,
    IdCardChecksumError,
    IdCardDataError,
    IdCardPortError,
    IdCardTimeout,
    error_for,
)
from drivers.idcard.frames import FrameDecoder, Reply, build_command, parse_reply
from drivers.idcard.record import IdCard, parse_text_block
from drivers.serial_device import SerialDevice

# (CMD, PARA, timeout in seconds) from the protocol's typical figures.
RESET_SAM = (0x10, 0xFF, 0.3)
SAM_STATUS = (0x11, 0xFF, 0.3)
SAM_ID = (0x12, 0xFF, 0.3)
FIND = (0x20, 0x01, 0.5)
SELECT = (0x20, 0x02, 0.5)
READ_TEXT_PHOTO = (0x30, 0x01, 3.5)

# A frame whose rest stops arriving for this long was a false preamble inside garbage.
STALL_GAP = 0.1


def format_sam_id(data: bytes) -> str:
    """The SAM id as readers' own tools print it: 05.01-20101218-0019662396-1234567890."""
    if len(data) < 16:
        raise IdCardDataError(f"SAM 编号长度错误 / SAM id has {len(data)} bytes, expected 16", "data")
    a = int.from_bytes(data[0:2], "little")
    b = int.from_bytes(data[2:4], "little")
    c = int.from_bytes(data[4:8], "little")
    d = int.from_bytes(data[8:12], "little")
    e = int.from_bytes(data[12:16], "little")
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"


def parse_read_reply(data: bytes) -> IdCard:
    """The data of a "read text + photo" reply: text length, photo length (big-endian), text, photo."""
    if len(data) < 4:
        raise IdCardDataError("读卡应答过短 / read reply too short", "data")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if 4 + text_len + photo_len > len(data) or text_len < 256:
        raise IdCardDataError(
            f"读卡应答长度不符 / read reply lengths {text_len}+{photo_len} "
            f"do not fit {len(data)} bytes", "data")
    return parse_text_block(data[4:4 + text_len], data[4 + text_len:4 + text_len + photo_len])


class IdCardReader(SerialDevice):
    """A second-generation ID card reader on a serial port.

    Every command clears stale input, sends one frame and waits up to its own timeout for a reply
    frame with a good checksum; garbage and frames with a bad checksum are skipped on the way.
    """

    error_class = IdCardPortError

    def __init__(self, port: str, baud: int = 115200, timeout_scale: float = 1.0) -> None:
        super().__init__(port, baud)
        self.timeout_scale = timeout_scale  # slow links (9600 baud) may need more than the defaults

    # -- port ---------------------------------------------------------------------------------------
    def open(self) -> None:
        self._open_port(timeout=0.05, write_timeout=1.0)

    # -- commands -----------------------------------------------------------------------------------
    def reset_sam(self) -> None:
        self._expect_ok(self.transact(*RESET_SAM))

    def sam_status(self) -> bool:
        """True when the SAM reports OK; a failing SAM raises its named error (e.g. SamSelfTestFailed)."""
        self._expect_ok(self.transact(*SAM_STATUS))
        return True

    def sam_id(self) -> str:
        reply = self._expect_ok(self.transact(*SAM_ID))
        return format_sam_id(reply.data)

    def find(self) -> bool:
        """True when a new card is in the field; False when none (or the one present was already read)."""
        reply = self.transact(*FIND)
        if reply.sw3 == SW3_FIND_OK:
            return True
        if reply.sw3 == SW3_NO_CARD:
            return False
        raise error_for(reply.sw3, "find")

    def select(self) -> None:
        self._expect_ok(self.transact(*SELECT))

    def read_card(self) -> IdCard:
        """Reads text and photo of the selected card (call find() and select() first)."""
        return parse_read_reply(self._expect_ok(self.transact(*READ_TEXT_PHOTO)).data)

    def read_once(self) -> IdCard | None:
        """find → select → read; None when no new card is present."""
        if not self.find():
            return None
        self.select()
        return self.read_card()

    # -- framing ------------------------------------------------------------------------------------
    def transact(self, cmd: int, para: int, timeout: float, data: bytes = b"") -> Reply:
        """Sends one command and returns the first well-formed reply frame."""
        port = self._port()
        try:
            port.reset_input_buffer()
            port.write(build_command(cmd, para, data))
            port.flush()
        except (serial.SerialException, OSError, termios.error) as exc:
            self.close()
            raise IdCardPortError(f"读卡器连接中断 / reader connection lost on {self.port}: {exc}",
                                  "lost") from exc
        return self._receive(port, timeout * self.timeout_scale)

    def _receive(self, port: serial.Serial, timeout: float) -> Reply:
        decoder = FrameDecoder()
        deadline = time.monotonic() + timeout
        last_data = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            try:
                chunk = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError, termios.error) as exc:
                self.close()
                raise IdCardPortError(f"读卡器连接中断 / reader connection lost on {self.port}: {exc}",
                                      "lost") from exc
            if chunk:
                last_data = time.monotonic()
                bodies = decoder.feed(chunk)
            elif decoder.pending and time.monotonic() - last_data > STALL_GAP:
                bodies = decoder.skip_pending()
            else:
                bodies = []
            for body in bodies:
                if len(body) >= 3:
                    return parse_reply(body)
        if decoder.bad_checksums:
            raise IdCardChecksumError(
                f"读卡器应答校验和错误 / only frames with a bad checksum from {self.port}", "checksum")
        raise IdCardTimeout(
            f"读卡器无应答（{timeout:.1f} 秒）：检查端口与波特率 {self.baud} / "
            f"no reply from the reader within {timeout:.1f} s: check the port and the baud rate "
            f"({self.baud})", "timeout")

    def _port(self) -> serial.Serial:
        if self._serial is None:
            self.open()
        assert self._serial is not None
        return self._serial

    @staticmethod
    def _expect_ok(reply: Reply) -> Reply:
        if reply.sw3 != SW3_OK:
            raise error_for(reply.sw3)
        return reply
