"""Security headers on every answer and the request-size limit, as one ASGI middleware.

The pages load only this server's own scripts, styles, images and sounds; they are never framed
(a display page in another site's frame could be clickjacked), and never tell another site their
address (device pages and ticket status pages carry tokens in it). The size limit stops a large
body before any route reads it; nginx has the same limit in front (packaging/nginx).
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..services.errors import ServiceError

# The pages build markup with style="…" attributes (style-src-attr); nothing else is inline.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class TooLarge(ServiceError):
    status = 413
    default_code = "too_large"


def _too_large(limit: int) -> TooLarge:
    mib = f"{limit / (1024 * 1024):g} MiB"
    return TooLarge(f"请求内容过大（上限 {mib}），请缩小后再发", f"request too large (limit {mib})")


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body  # settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        length = _content_length(scope)
        if length is not None and length > self.max_body:
            await self._refuse(send_with_headers)
            return
        received = 0

        async def counted_receive() -> Message:
            # Chunked bodies have no length up front: count them as they arrive. The route's body
            # reader turns other exceptions into a 400, so this one is an HTTPException.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, _too_large(self.max_body).detail)
            return message

        await self.app(scope, counted_receive, send_with_headers)

    async def _refuse(self, send: Send) -> None:
        err = _too_large(self.max_body)
        body = json.dumps(err.body(), ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": err.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
