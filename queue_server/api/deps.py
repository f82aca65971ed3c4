"""Request-scoped helpers shared by the routes: the context, and who is calling with what right."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from .. import access
from ..services import identity
from ..services.context import Actor, Context
from ..services.errors import Unauthorized


async def ctx(request: Request) -> Context:
    # async: FastAPI would run a plain function in the thread pool, a thread hop for nothing.
    return request.app.state.ctx


def presented_token(request: Request) -> str | None:
    """`Authorization: Bearer …`; for GET also `?access_token=…` (EventSource cannot set headers)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if request.method in ("GET", "HEAD"):
        return request.query_params.get("access_token") or None
    return None


class Require:
    """Dependency of a route: resolve the caller and check the permission the route names.

    Routes with a `{hall}` in their path are also checked for the caller's halls here; the services
    check halls and windows again for what they derive themselves (a ticket's hall and window).
    """

    def __init__(self, permission: str) -> None:
        if permission not in access.PERMISSIONS:
            raise KeyError(f"unknown permission {permission!r}")
        self.permission = permission

    async def __call__(self, request: Request) -> Actor:
        token = presented_token(request)
        actor = Actor()
        if token:
            c: Context = request.app.state.ctx
            try:
                if c.engine.dialect.name == "sqlite":
                    # One indexed read of a local file, in microseconds: cheaper here than a trip to
                    # the thread pool. A PostgreSQL lookup crosses the network, so it goes there.
                    actor = identity.resolve(c, token)
                else:
                    actor = await run_in_threadpool(identity.resolve, c, token)
            except Unauthorized:
                # A stale token must not block what anyone may do (signing in again, public pages).
                if self.permission not in access.PUBLIC:
                    raise
        access.check(actor, self.permission, request.path_params.get("hall"))
        request.state.actor = actor
        return actor


def require(permission: str) -> Any:
    return Depends(Require(permission))


def base_url(request: Request) -> str:
    return str(request.base_url)


Ctx = Annotated[Context, Depends(ctx)]
