"""Errors the service layer raises; each carries a bilingual, human-readable reason."""


class ServiceError(Exception):
    status = 400

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en

    @property
    def detail(self) -> str:
        return f"{self.zh} / {self.en}"


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class LimitReached(ServiceError):
    status = 429


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403
