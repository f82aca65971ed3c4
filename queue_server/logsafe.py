"""Keep credentials out of the access log: `?access_token=…` (event streams), `?token=…` (device
pages set up before pairing) and the ticket status token in `/t/…` are logged redacted."""

from __future__ import annotations

import logging
import re

TOKEN_IN_QUERY = re.compile(r"([?&](?:access_)?token=)[^&\s\"]+")
STATUS_TOKEN = re.compile(r"(/t/)[^\s?\"/]+")


def redact(text: str) -> str:
    return STATUS_TOKEN.sub(r"\1***", TOKEN_IN_QUERY.sub(r"\1***", text))


class RedactTokens(logging.Filter):
    """uvicorn logs the request line with its query string; rewrite it before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
