"""Errors the service layer raises; each carries a bilingual, human-readable reason.

Every error answer of the API has one shape: `{"detail": 中文, "detail_en": English, "code": "…"}`
plus any facts a client can act on (e.g. `next_open`). `code` is for programs; people read the text.
"""

from typing import Any


class ServiceError(Exception):
    status = 400
    default_code = "bad_request"

    def __init__(self, zh: str, en: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        self.code = code or self.default_code
        self.extra = extra  # JSON-ready facts added to the answer's body

    @property
    def detail(self) -> str:
        """Both languages in one line, for the command line and logs."""
        return f"{self.zh} / {self.en}"

    def body(self) -> dict[str, Any]:
        return {"detail": self.zh, "detail_en": self.en, "code": self.code, **self.extra}


class NotFound(ServiceError):
    status = 404
    default_code = "not_found"


class Conflict(ServiceError):
    status = 409
    default_code = "conflict"


class Invalid(ServiceError):
    status = 422
    default_code = "invalid"


class LimitReached(ServiceError):
    status = 429
    default_code = "limit_reached"


class Unauthorized(ServiceError):
    status = 401
    default_code = "unauthorized"


class Forbidden(ServiceError):
    status = 403
    default_code = "forbidden"
