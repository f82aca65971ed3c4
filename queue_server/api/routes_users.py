"""Staff accounts (administrators)."""

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field

from ..services import accounts
from ..services.context import Actor
from .deps import Ctx, require
from .problems import errors
from .responses import UserOut
from .schemas import Body

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=errors(401, 403))
Admin = Annotated[Actor, require("user.manage")]


class UserIn(Body):
    username: str = Field(min_length=2, max_length=40)
    role: str = Field(min_length=1, max_length=20)
    password: str = Field(min_length=8, max_length=200)
    halls: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=100)
    full_name: str = Field("", max_length=40, description="shown on the window's evaluation pad")
    staff_no: str = Field("", max_length=20, description="工号, shown on the evaluation pad")


class PasswordIn(Body):
    password: str = Field(min_length=8, max_length=200)


@router.get("", response_model=list[UserOut])
def list_users(c: Ctx, who: Admin) -> list[dict[str, Any]]:
    return accounts.list_users(c, who)


@router.post("", status_code=201, response_model=UserOut, responses=errors(404, 409))
def create_user(body: UserIn, c: Ctx, who: Admin) -> dict[str, Any]:
    return accounts.create_user(
        c, who, body.username, body.role, body.password, body.halls, body.full_name, body.staff_no
    )


@router.post("/{username}/disable", response_model=UserOut, responses=errors(404))
def disable_user(username: str, c: Ctx, who: Admin) -> dict[str, Any]:
    return accounts.disable_user(c, who, username)


@router.post("/{username}/reset-password", response_model=UserOut, responses=errors(404))
def reset_password(username: str, body: PasswordIn, c: Ctx, who: Admin) -> dict[str, Any]:
    return accounts.reset_password(c, who, username, body.password)
