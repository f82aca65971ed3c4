"""Routes of the web pages and their static files.

Every page is one static HTML file; the page's script reads the hall, window, zone or token from the
address itself and asks the API for everything else (with the caller's token), so these routes only
hand out files and hold no data: they are plain routes, outside the API and its permission table.
Static files are sent with `Cache-Control: no-cache` (revalidated by ETag) so a screen picks up an
upgrade on its next reload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
STATIC = HERE / "static"
NO_CACHE = {"Cache-Control": "no-cache"}
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".wav": "audio/wav",
}

# path → page file (pages/<name>.html)
PAGE_ROUTES = {
    "/ui": "index",
    "/ui/": "index",
    "/ui/clerk": "clerk",
    "/ui/pad/{hall}/{window}": "pad",
    "/ui/counter/{hall}/{window}": "counter",
    "/ui/display/{hall}/{zone}": "display",
    "/ui/manager": "manager",
    "/ui/pair": "pair",
    "/ui/slip/{ticket}": "slip",
    "/ui/supervision": "supervision",
    "/t/{token}": "status",
    "/book/{hall}": "book",
    "/guide/{hall}/{code}": "guide",
    "/guide/{hall}": "guide",  # a cut-off QR address: the page says what to do, not a raw 404
}

router = APIRouter()


def _page_endpoint(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def page(_: Request) -> Response:
        return FileResponse(PAGES / f"{name}.html", media_type=MEDIA_TYPES[".html"], headers=NO_CACHE)

    page.__name__ = f"page_{name}"
    return page


for _path, _name in PAGE_ROUTES.items():
    router.add_route(_path, _page_endpoint(_name), methods=["GET"], include_in_schema=False)


def _no_such_file() -> Response:
    body = {"detail": "没有这个文件", "detail_en": "no such file", "code": "not_found"}
    return JSONResponse(body, status_code=404)


async def static(request: Request) -> Response:
    name = request.path_params["path"]
    if not name.isprintable():  # NUL and other control characters: no file is called that
        return _no_such_file()
    try:
        target = (STATIC / name).resolve()
        found = target.is_relative_to(STATIC) and target.is_file()
    except (OSError, ValueError):  # a name too long for the file system
        return _no_such_file()
    if not found:
        return _no_such_file()
    media = MEDIA_TYPES.get(target.suffix, "application/octet-stream")
    return FileResponse(target, media_type=media, headers=NO_CACHE)


router.add_route("/ui/static/{path:path}", static, methods=["GET"], include_in_schema=False)
