"""SW3 result codes of the SAM protocol, each mapped to a named error class."""

from __future__ import annotations

from drivers.errors import DeviceError


class IdCardError(DeviceError):
    """Any failure of the ID card reader or its protocol."""

    sw3: int | None = None


class IdCardTimeout(IdCardError):
    """The reader sent no valid frame within the command's timeout."""


class IdCardChecksumError(IdCardError):
    """Only frames with a wrong checksum arrived within the timeout."""


class IdCardPortError(IdCardError):
    """The serial port could not be opened or went away (unplugged)."""


class IdCardDataError(IdCardError):
    """A reply was well framed but its content does not make sense."""


class Sw3Error(IdCardError):
    """The reader answered with a result code other than success."""

    message = "未知结果码 / unknown result code"

    def __init__(self, sw3: int, detail: str = "") -> None:
        text = f"SW3=0x{sw3:02X}: {self.message}" + (f" ({detail})" if detail else "")
        super().__init__(text, kind="sw3")
        self.sw3 = sw3


def _sw3(name: str, message: str) -> type[Sw3Error]:
    return type(name, (Sw3Error,), {"message": message, "__doc__": message})


FrameChecksumRejected = _sw3("FrameChecksumRejected", "命令校验和错误 / reader: command checksum error")
FrameLengthRejected = _sw3("FrameLengthRejected", "读卡器报告命令长度错误 / reader: command length error")
BadCommand = _sw3("BadCommand", "读卡器不支持该命令 / reader: bad command")
Unauthorised = _sw3("Unauthorised", "越权操作 / reader: unauthorised operation")
UnknownReaderError = _sw3("UnknownReaderError", "读卡器未知错误 / reader: unknown error")
CardAuthFailed = _sw3("CardAuthFailed", "证卡认证 SAM 失败 / card failed to authenticate the SAM")
SamAuthFailed = _sw3("SamAuthFailed", "SAM 认证证卡失败 / SAM failed to authenticate the card")
VerifyError = _sw3("VerifyError", "信息验证错误 / verification error")
UnknownCardType = _sw3("UnknownCardType", "卡类型不正确 / unknown card type")
ReadFailed = _sw3("ReadFailed", "读卡失败，请重新放卡 / read failed, place the card again")
RandomNumberFailed = _sw3("RandomNumberFailed", "取随机数失败 / random number failed")
SamSelfTestFailed = _sw3("SamSelfTestFailed", "SAM 自检失败 / SAM self-test failed")
SamNotAuthorised = _sw3("SamNotAuthorised", "SAM 未经授权 / SAM not authorised")
NoCard = _sw3("NoCard", "未找到证卡 / no card found")
SelectFailed = _sw3("SelectFailed", "选卡失败 / card select failed")
NoSuchItem = _sw3("NoSuchItem", "证卡无此项内容 / the card has no such item")

SW3_OK = 0x90
SW3_FIND_OK = 0x9F
SW3_NO_CARD = 0x80

SW3_ERRORS: dict[int, type[Sw3Error]] = {
    0x10: FrameChecksumRejected,
    0x11: FrameLengthRejected,
    0x21: BadCommand,
    0x23: Unauthorised,
    0x24: UnknownReaderError,
    0x31: CardAuthFailed,
    0x32: SamAuthFailed,
    0x33: VerifyError,
    0x40: UnknownCardType,
    0x41: ReadFailed,
    0x47: RandomNumberFailed,
    0x60: SamSelfTestFailed,
    0x66: SamNotAuthorised,
    0x80: NoCard,
    0x81: SelectFailed,
    0x91: NoSuchItem,
}


def error_for(sw3: int, detail: str = "") -> Sw3Error:
    """The named error for a non-success SW3 code (unknown codes get the base class)."""
    return SW3_ERRORS.get(sw3, Sw3Error)(sw3, detail)
