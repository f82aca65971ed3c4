"""Routes of the web pages and their static files.

Every page is one static HTML file; the page's script reads the hall, window, zone or token from the
address itself, so the server only has to hand out files. Static files are sent with
`Cache-Control: no-cache` (revalidated by ETag) so a screen picks up an upgrade on its next reload.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

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

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(PAGES / f"{name}.html", media_type=MEDIA_TYPES[".html"], headers=NO_CACHE)


@router.get("/ui")
@router.get("/ui/")
def index() -> FileResponse:
    return _page("index")


@router.get("/ui/clerk")
def clerk() -> FileResponse:
    return _page("clerk")


@router.get("/ui/pad/{hall}/{window}")
def pad(hall: str, window: str) -> FileResponse:
    return _page("pad")


@router.get("/ui/counter/{hall}/{window}")
def counter(hall: str, window: str) -> FileResponse:
    return _page("counter")


@router.get("/ui/display/{hall}/{zone}")
def display(hall: str, zone: str) -> FileResponse:
    return _page("display")


@router.get("/ui/manager")
def manager() -> FileResponse:
    return _page("manager")


@router.get("/t/{token}")
def ticket_status(token: str) -> FileResponse:
    return _page("status")


@router.get("/ui/static/{path:path}")
def static(path: str) -> FileResponse:
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC) or not target.is_file():
        raise HTTPException(404, "没有这个文件 / no such file")
    media = MEDIA_TYPES.get(target.suffix, "application/octet-stream")
    return FileResponse(target, media_type=media, headers=NO_CACHE)
