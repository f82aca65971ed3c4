"""Who may do what: the one permission table of the server.

Every HTTP route names the permission it needs (`api.deps.require`), every CLI command too
(`cli.COMMAND_PERMISSIONS`), and the service layer checks the same table together with the scope of
the actor (its halls, its window). The README's "Access control" section is rendered from here
(`python -m queue_server.access`) and a test keeps the two equal.
"""

from __future__ import annotations

from typing import Protocol

from .services.errors import Forbidden, Unauthorized

# What each permission allows (the README lists them in this order).
PERMISSIONS: dict[str, str] = {
    "public.read": "health, halls, catalogue and service guides, a ticket's public status",
    "public.evaluate": "rate one's own finished ticket by its token",
    "public.book": "book, look up and cancel an appointment (网上预约) by its token",
    "auth.self": "see oneself (`/auth/me`), sign out (`/auth/logout`)",
    "ticket.issue": "issue tickets (each channel needs its own permission too)",
    "ticket.issue.kiosk": "issue a ticket with channel `kiosk`",
    "ticket.issue.counter": "issue a ticket with channel `counter`",
    "ticket.issue.online": "issue a ticket with channel `online`",
    "ticket.read": "read a ticket with its masked identity",
    "ticket.call": "call the next ticket to a window",
    "ticket.act": "recall, start, finish, no-show, cancel, transfer a ticket",
    "ticket.evaluate": "rate a finished ticket (好差评)",
    "ticket.priority": "give a waiting ticket a priority class (优先) with a reason",
    "ticket.reactivate": "reactivate a no-show ticket within the hall's minutes (kiosk by its token)",
    "report.read": "reports of a hall (counts, waits, outcomes, ratings) and their CSV/XLSX exports",
    "alert.read": "list the hall's live alerts and their resolution",
    "alert.handle": "acknowledge and resolve alerts",
    "case.read": "list the rectification cases of bad ratings (整改) and their history",
    "case.handle": "answer a case, record its call-back, close it, file an appeal",
    "case.decide": "approve or reject an appeal against a rating",
    "window.read": "list windows, with the signed-in clerk",
    "window.sign_in": "sign in to a window and out of it",
    "window.update": "reassign, open, pause, close a window",
    "window.pause": "pause or resume the window one is signed in to (its backup posts take over)",
    "hall.snapshot": "the hall's whole live state",
    "hall.events": "the hall's live event stream",
    "device.heartbeat": "report one's own status and version",
    "device.read": "list devices with their last status and when they were seen",
    "device.manage": "register devices, rotate and revoke their tokens",
    "device.pair": "pair a device that shows a pairing code: register it or give it a new token",
    "audit.read": "query the audit trail of a hall",
    "sim.run": "run the hall simulator: what if one window more or fewer on the last business day",
    "audit.read_all": "query the whole audit trail: all halls, accounts, retention",
    "user.manage": "create, disable staff accounts, reset passwords",
    "appointment.checkin": "check a booking in: issue its appointment ticket (kiosk, counter)",
    "appointment.manage": "list a day's bookings, close a day's slots or change their capacity",
    "hall.closures": "list, add and remove one-off closures of the hall, a zone or an item",
    "hall.notices": "add, change and remove the notices (公告) of the hall displays' ticker",
    "hall.import": "import or update a hall file (catalogue, windows) and the holiday calendar",
    "personal_data.retention": "delete personal fields of old tickets",
    "server.run": "run, migrate and demo the server (command line only)",
}

PUBLIC = frozenset({"public.read", "public.evaluate", "public.book"})
# Rating by a ticket's token is the holder's alone (their phone, or the kiosk they scan it at): staff
# and their devices see tokens (a counter ticket is printed by a clerk) and must not rate with them.
_STAFF = frozenset({"public.read", "public.book", "auth.self"})
_ISSUE = frozenset(p for p in PERMISSIONS if p.startswith("ticket.issue"))

# The table: role -> permissions. "public" is a caller without credentials.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "public": PUBLIC,
    "kiosk": _STAFF
    | {
        "public.evaluate",
        "ticket.issue",
        "ticket.issue.kiosk",
        "device.heartbeat",
        "appointment.checkin",
        "ticket.reactivate",
    },
    "display": _STAFF | {"hall.snapshot", "hall.events", "device.heartbeat"},
    # A pad follows its hall's live state to offer the rating when its window finishes a ticket.
    "pad": _STAFF | {"ticket.evaluate", "device.heartbeat", "hall.snapshot", "hall.events"},
    "clerk": _STAFF
    | {
        "ticket.issue",
        "ticket.issue.counter",
        "ticket.read",
        "ticket.call",
        "ticket.act",
        "ticket.priority",
        "ticket.reactivate",
        "window.read",
        "window.sign_in",
        "window.pause",
        "hall.snapshot",
        "hall.events",
    },
    "manager": _STAFF
    | _ISSUE
    | {
        "ticket.read",
        "ticket.call",
        "ticket.act",
        "ticket.priority",
        "ticket.reactivate",
        "ticket.evaluate",
        "window.read",
        "window.sign_in",
        "window.update",
        "window.pause",
        "hall.snapshot",
        "hall.events",
        "device.read",
        "device.pair",
        "audit.read",
        "sim.run",
        "hall.closures",
        "hall.notices",
        "appointment.checkin",
        "appointment.manage",
        "report.read",
        "alert.read",
        "alert.handle",
        "case.read",
        "case.handle",
        "case.decide",
    },
    "maintenance": _STAFF | {"device.read", "device.manage", "device.pair"},
    "admin": frozenset(PERMISSIONS) - {"device.heartbeat", "public.evaluate"},
    # The server itself and its command line, run by whoever operates the machine.
    "system": frozenset(PERMISSIONS),
}

# Where a role's permissions apply.
SCOPE: dict[str, str] = {
    "public": "—",
    "kiosk": "its hall",
    "display": "its hall",
    "pad": "tickets finished at its window",
    "clerk": "its halls; tickets and calls only at the window it is signed in to",
    "manager": "its halls",
    "maintenance": "its halls",
    "admin": "all halls",
    "system": "all halls",
}
ROLE_ZH: dict[str, str] = {
    "public": "公众（无凭证）",
    "kiosk": "自助取号机",
    "display": "显示屏",
    "pad": "评价器",
    "clerk": "窗口工作人员",
    "manager": "大厅管理员",
    "maintenance": "运维人员",
    "admin": "系统管理员",
    "system": "服务器命令行",
}
STAFF_ROLES = ("clerk", "manager", "maintenance", "admin")
DEVICE_KINDS = ("kiosk", "display", "pad")
ALL_HALLS = ("admin", "system")


class Principal(Protocol):
    """What the checks need to know of an actor (services.context.Actor)."""

    @property
    def role(self) -> str: ...

    @property
    def halls(self) -> tuple[str, ...]: ...


# A refusal that people meet in the normal course of work says why in plain words.
REFUSALS: dict[str, tuple[str, str]] = {
    "public.evaluate": (
        "工作人员不能代替群众评价，请由办事群众本人扫码评价",
        "staff cannot rate for a citizen: the ticket holder rates it themselves",
    ),
}


def allowed(role: str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def check(actor: Principal, permission: str, hall: str | None = None) -> None:
    """Raise 401/403 unless the actor's role has the permission (and, given a hall, works there)."""
    if not allowed(actor.role, permission):
        if actor.role == "public":
            raise Unauthorized("请先登录", "sign in first: this needs credentials")
        if permission in REFUSALS:
            raise Forbidden(*REFUSALS[permission])
        raise Forbidden(
            f"{ROLE_ZH.get(actor.role, actor.role)}无权执行此操作（{permission}）",
            f"role {actor.role} may not do this ({permission})",
        )
    if hall is not None and permission not in PUBLIC:
        check_hall(actor, hall)


def check_hall(actor: Principal, hall: str) -> None:
    if actor.role not in ALL_HALLS and hall not in actor.halls:
        raise Forbidden(f"无权操作大厅 {hall}", f"not allowed in hall {hall}")


def markdown_table() -> str:
    """The README's table: one row per permission, one column per role."""
    roles = [r for r in ROLE_PERMISSIONS if r != "system"]
    head = "| Permission | What it allows | " + " | ".join(roles) + " |"
    rule = "|---|---|" + "---|" * len(roles)
    rows = [
        f"| `{p}` | {text} | " + " | ".join("✓" if p in ROLE_PERMISSIONS[r] else "" for r in roles) + " |"
        for p, text in PERMISSIONS.items()
    ]
    scope = ["", "| Role | 角色 | Scope |", "|---|---|---|"]
    scope += [f"| {r} | {ROLE_ZH[r]} | {SCOPE[r]} |" for r in roles]
    return "\n".join([head, rule, *rows, *scope])


if __name__ == "__main__":
    print(markdown_table())
