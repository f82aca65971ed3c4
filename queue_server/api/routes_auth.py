"""Staff sign-in: bearer tokens that expire and can be revoked."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from ..services import accounts
from ..services.context import Actor
from ..services.errors import LimitReached
from .deps import Ctx, presented_token, require
from .schemas import Body

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginIn(Body):
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)

    def __repr__(self) -> str:  # never print a password by accident
        return f"LoginIn(username={self.username!r})"

    __str__ = __repr__


@router.post("/login", dependencies=[require("public.read")])
async def login(body: LoginIn, c: Ctx, request: Request) -> dict[str, Any]:
    """401 for a wrong username or password alike; 429 (with Retry-After) while this address or this
    username from this address must wait, or while the server is busy hashing."""
    address = request.client.host if request.client else ""
    try:
        return await run_in_threadpool(accounts.login, c, body.username, body.password, address)
    except LimitReached:
        # A refusal is answered late (costing a coroutine, no thread): a flood that retries at once
        # would otherwise spend the server's CPU on refusals, and the kiosks' tickets wait.
        await asyncio.sleep(c.settings.login_refusal_delay)
        raise


@router.post("/logout", status_code=204)
def logout(request: Request, c: Ctx, who: Annotated[Actor, require("auth.self")]) -> Response:
    accounts.logout(c, who, presented_token(request) or "")
    return Response(status_code=204)


@router.get("/me")
def me(c: Ctx, who: Annotated[Actor, require("auth.self")]) -> dict[str, Any]:
    return accounts.me(c, who)
