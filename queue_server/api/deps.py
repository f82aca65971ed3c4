"""Request-scoped helpers shared by the routes."""

from typing import Annotated

from fastapi import Depends, Request

from ..services.context import Actor, Context


def ctx(request: Request) -> Context:
    return request.app.state.ctx


def actor(request: Request) -> Actor:
    """Who is calling. Anonymous until authentication is configured (see access control)."""
    return getattr(request.state, "actor", Actor())


def base_url(request: Request) -> str:
    return str(request.base_url)


Ctx = Annotated[Context, Depends(ctx)]
Who = Annotated[Actor, Depends(actor)]
