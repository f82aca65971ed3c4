"""Second-generation ID card readers on a serial port (the SAM protocol), and their card records."""

from drivers.idcard.codes import (
    SW3_ERRORS,
    IdCardChecksumError,
    IdCardDataError,
    IdCardError,
    IdCardPortError,
    IdCardTimeout,
    NoCard,
    ReadFailed,
    SamSelfTestFailed,
    SelectFailed,
    Sw3Error,
    error_for,
)
from drivers.idcard.idnumber import IdCheck, check_id_number, mask_id_number, mask_name, validate_id_number
from drivers.idcard.poller import CardPoller
from drivers.idcard.reader import IdCardReader
from drivers.idcard.record import IdCard, parse_text_block

__all__ = [
    "SW3_ERRORS",
    "CardPoller",
    "IdCard",
    "IdCardChecksumError",
    "IdCardDataError",
    "IdCardError",
    "IdCardPortError",
    "IdCardReader",
    "IdCardTimeout",
    "IdCheck",
    "NoCard",
    "ReadFailed",
    "SamSelfTestFailed",
    "SelectFailed",
    "Sw3Error",
    "check_id_number",
    "error_for",
    "mask_id_number",
    "mask_name",
    "parse_text_block",
    "validate_id_number",
]
