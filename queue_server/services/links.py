"""The addresses citizens' phones open from QR codes: ticket status (/t/{token}) and guides.

Every QR URL the server hands out is built here from one setting, `QUEUE_PUBLIC_URL` (e.g.
https://hall.example.gov.cn). Without it the address the caller used stands in, which a kiosk on the
server's own machine knows as 127.0.0.1: phones cannot open that, so start-up warns.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from .context import Context

log = logging.getLogger("queue_server.links")


def public_base(ctx: Context, request_base: str) -> str:
    return str(ctx.settings.public_url or request_base).rstrip("/")


def status_url(ctx: Context, request_base: str, token: str) -> str:
    return f"{public_base(ctx, request_base)}/t/{quote(token, safe='')}"


def guide_url(ctx: Context, request_base: str, hall: str, service: str) -> str:
    return f"{public_base(ctx, request_base)}/guide/{quote(hall, safe='')}/{quote(service, safe='')}"


def warn_if_unusable(ctx: Context) -> bool:
    """Logs a warning when phones could not open the QR codes' addresses; True when it did."""
    public = str(ctx.settings.public_url or "")
    if public.startswith(("https://", "http://")):
        return False
    if public:
        log.warning(
            "QUEUE_PUBLIC_URL 应以 https:// 或 http:// 开头，否则手机扫码后无法打开 / QUEUE_PUBLIC_URL must "
            "start with https:// or http://, or phones will not open the QR codes: %r",
            public,
        )
        return True
    log.warning(
        "QUEUE_PUBLIC_URL 未设置：号票和办事指南上的二维码将使用访问服务器时的地址（如 127.0.0.1），"
        "群众的手机无法打开。请设置为手机可访问的地址，例如 https://hall.example.gov.cn / "
        "QUEUE_PUBLIC_URL is not set: QR codes on tickets and guide slips will carry the address the "
        "server was reached at (such as 127.0.0.1), which phones cannot open. Set it to the address "
        "citizens' phones reach, e.g. https://hall.example.gov.cn"
    )
    return True


def booking_url(ctx: Context, request_base: str, hall: str, token: str) -> str:
    """The booking page showing one booking: the QR code a phone opens and a kiosk scans to check in."""
    return f"{public_base(ctx, request_base)}/book/{quote(hall, safe='')}?booking={quote(token, safe='')}"


def qr_svg(data: str) -> str:
    """A QR code as inline SVG (the booking page uses no network resources, no script library)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return img.to_string(encoding="unicode")
