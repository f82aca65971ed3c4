"""What if: the last business day's tickets replayed with one window more or fewer (hall simulator)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ..services import whatif
from ..services.context import Actor
from .deps import Ctx, require
from .problems import errors

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["what-if"], responses=errors(401, 403, 404, 409))


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    add_like: str | None = Field(None, max_length=20, description="one more window with this window's skills")
    remove: str | None = Field(None, max_length=20, description="one window fewer: this one")


class Change(BaseModel):
    kind: Literal["add", "remove"]
    window: str


class Actual(BaseModel):
    tickets: int
    unserved: int = Field(description="never called that day (not counting those cancelled before a call)")
    mean_wait_min: float | None
    p90_wait_min: float | None
    max_wait_min: float | None
    over_threshold_share: float | None = Field(description="share of the called tickets that waited too long")


class Figures(BaseModel):
    windows: int
    tickets: int
    served: int
    unserved: int
    mean_wait_min: float | None
    p90_wait_min: float | None
    max_wait_min: float | None
    over_threshold_share: float | None
    utilisation: float | None


class WhatIfOut(BaseModel):
    day: str = Field(description="the business day replayed (ISO date)")
    change: Change
    actual: Actual = Field(description="what that day's tickets really waited")
    now: Figures = Field(description="simulated with the hall's windows as they are now")
    then: Figures = Field(description="simulated with the change")
    summary_zh: str
    summary_en: str


@router.post("/what-if", response_model=WhatIfOut)
def what_if(hall: str, body: WhatIfIn, c: Ctx, who: Annotated[Actor, require("sim.run")]) -> Any:
    """Replay the hall's last business day with tickets (issue times, items, real service times) through
    the simulator and the production routing rule, with the windows as they are now and with one
    window more (like `add_like`) or fewer (`remove`). Nothing is changed."""
    return whatif.what_if(c, who, hall, body.add_like, body.remove)
