"""Every error answer of the API has one shape, `ErrorOut`, whatever its status or origin.

Service refusals, request validation, unknown addresses and unexpected failures all answer
`{"detail": 中文, "detail_en": English, "code": "…", …facts}`; a 500 says nothing of what broke
(the traceback goes to the log).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from ..services.errors import ServiceError
from .edge import bad_request_text

log = logging.getLogger("queue_server.api")


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="where: path, query, header or body, then the field")
    msg: str
    type: str


class ErrorOut(BaseModel):
    """The one error shape; refusals may add facts a client acts on (e.g. `next_open`)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    detail: str = Field(description="为什么，以及现在可以做什么（中文）")
    detail_en: str = Field(description="the same in English")
    code: str = Field(description="for programs: not_found, conflict, invalid, closed, …")
    errors: list[FieldError] | None = Field(
        default=None, description="with code `invalid_request`: each field that is wrong"
    )


# What each status means when the route's own documentation says no more.
_MEANING = {
    400: "请求有误 / bad request",
    401: "需要登录，或登录凭证无效 / not signed in, or the token is invalid",
    403: "无权执行此操作 / not allowed",
    404: "没有找到 / not found",
    409: "与当前状态冲突 / conflicts with the current state",
    422: "请求内容有误 / invalid request",
    429: "次数超过限制 / limit reached",
    500: "服务器内部错误 / internal error",
    503: "暂不可用 / unavailable",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route or router: these statuses answer with `ErrorOut`."""
    return {s: {"model": ErrorOut, "description": _MEANING[s]} for s in statuses}


def problem(status: int, zh: str, en: str, code: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    body = {"detail": zh, "detail_en": en, "code": code, **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def _readable(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts)


# Starlette's own answers (no route, wrong method, unreadable body), in the one shape.
_HTTP_TEXTS = {
    400: ("请求格式有误，无法读取", "the request body cannot be read", "bad_request"),
    404: ("没有这个地址", "no such address", "not_found"),
    405: ("此地址不支持这种请求方法", "this address does not take this method", "method_not_allowed"),
}


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, exc: ServiceError) -> JSONResponse:
        response = problem(exc.status, exc.zh, exc.en, exc.code, **exc.extra)
        if "retry_after" in exc.extra:  # seconds; clients and proxies know this header
            response.headers["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Never the input itself: it may be an ID number or a password.
        errs = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        text = _readable(errs)
        zh, en = f"请求内容有误：{text}", f"invalid request: {text}"
        return problem(422, zh, en, "invalid_request", errors=errs)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        zh, en, code = _HTTP_TEXTS.get(exc.status_code, ("请求有误", "bad request", "bad_request"))
        response = problem(exc.status_code, zh, en, code)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        route = getattr(request.scope.get("route"), "path", "?")  # the template: no token from the URL
        log.error("unexpected error in %s %s", request.method, route, exc_info=exc)
        return problem(
            500, "服务器内部错误，请稍后重试；如果持续出现，请联系工作人员",
            "internal error: try again later; if it persists, ask the staff", "internal_error",
        )  # fmt: skip

    app.add_middleware(RefuseControlCharacters)


class RefuseControlCharacters:
    """API addresses, queries and the headers that reach the database hold no control characters."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            where = bad_request_text(scope)
            if where is not None:
                err = {"loc": [where], "msg": "must not contain control characters", "type": "control_char"}
                zh = f"请求地址或标头含有控制字符（{where}）"
                en = f"control characters in the request's {where}"
                response = problem(422, zh, en, "invalid_request", errors=[err])
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
