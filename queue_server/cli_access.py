"""`queue-server user …`, `device …` and `retention`: accounts, device tokens, personal-data retention."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from . import access
from .services.context import Actor
from .services.errors import ServiceError


def cli_actor() -> Actor:
    """Whoever runs the command line on the server acts as an administrator, named in the audit trail."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(name=f"cli:{who}", role="admin")


def _password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise ServiceError(
            "请用 --password-stdin 从标准输入提供密码", "give the password on stdin (--password-stdin)"
        )
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user(args: argparse.Namespace) -> int:
    from .runtime import open_context
    from .services import accounts

    ctx, actor = open_context(args.db), cli_actor()
    if args.action == "add":
        view = accounts.create_user(
            ctx, actor, args.name, args.role, _password(args), args.hall or [], args.full_name, args.staff_no
        )
        print(
            f"已创建用户 / user created: {view['username']} ({view['role']}) halls={','.join(view['halls'])}"
        )
    elif args.action == "disable":
        accounts.disable_user(ctx, actor, args.name)
        print(f"已停用 / disabled: {args.name}")
    else:
        accounts.reset_password(ctx, actor, args.name, _password(args))
        print(f"已重置密码 / password reset: {args.name}")
    return 0


def cmd_device(args: argparse.Namespace) -> int:
    from .runtime import open_context
    from .services import devices

    ctx, actor = open_context(args.db), cli_actor()
    if args.action == "add":
        view, token = devices.add_device(ctx, actor, args.name, args.kind, args.hall, args.window)
        print(f"已登记设备 / device registered: {view['name']} ({view['kind']}) hall={view['hall']}")
        print(f"令牌只显示这一次 / token, shown this once only:\n{token}")
    elif args.action == "pair":
        from .services import pairing

        view = pairing.approve(ctx, actor, args.code, args.name, args.hall, args.window, args.zone)
        print(f"已配对 / paired: {view['name']} ({view['kind']}) hall={view['hall']}; "
              "设备将自动取得凭据 / the device collects its credential by itself")
    elif args.action == "rotate":
        _, token = devices.rotate(ctx, actor, args.name)
        print(f"新令牌，旧令牌已失效 / new token, the old one no longer works:\n{token}")
    elif args.action == "revoke":
        devices.revoke(ctx, actor, args.name)
        print(f"已吊销 / revoked: {args.name}")
    else:
        for d in devices.list_devices(ctx, actor):
            state = "active" if d["active"] else "revoked"
            cells = (d["name"], d["kind"], d["hall"], d["window"] or "-", state, d["last_seen"] or "-")
            print("\t".join(str(c) for c in cells))
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from .runtime import open_context
    from .services.retention import purge_personal_data

    count = purge_personal_data(open_context(args.db), cli_actor(), args.days)
    print(f"已清除 {count} 张号票的个人信息 / personal data removed from {count} tickets")
    return 0


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    add_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    user = sub.add_parser("user", help="staff accounts")
    usub = user.add_subparsers(dest="action", required=True)
    p = add_db(usub.add_parser("add", help="create an account"))
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=access.STAFF_ROLES)
    p.add_argument("--hall", action="append", help="a hall the user works in (repeat for several)")
    p.add_argument("--password-stdin", action="store_true")
    p.add_argument("--full-name", default="", help="the name shown on the window's evaluation pad")
    p.add_argument("--staff-no", default="", help="工号, shown on the evaluation pad")
    p = add_db(usub.add_parser("disable", help="disable an account and revoke its tokens"))
    p.add_argument("name")
    p = add_db(usub.add_parser("reset-password", help="set a new password"))
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true")
    user.set_defaults(func=cmd_user)

    device = sub.add_parser("device", help="kiosks, displays, evaluation pads")
    dsub = device.add_subparsers(dest="action", required=True)
    p = add_db(dsub.add_parser("add", help="register a device and print its token once"))
    p.add_argument("name")
    p.add_argument("--kind", required=True, choices=access.DEVICE_KINDS)
    p.add_argument("--hall")
    p.add_argument("--window", help="the window of an evaluation pad")
    p = add_db(dsub.add_parser("pair", help="pair the device that shows CODE (it receives its token itself)"))
    p.add_argument("code", help="the code on the device's screen, e.g. ABCD-EFGH")
    p.add_argument("--name", required=True, help="new device name, or an existing one for a new token")
    p.add_argument("--hall", required=True)
    p.add_argument("--window", help="the window of an evaluation pad")
    p.add_argument("--zone", help="the zone a display shows")
    for action, text in (("rotate", "print a new token"), ("revoke", "revoke the token")):
        add_db(dsub.add_parser(action, help=text)).add_argument("name")
    add_db(dsub.add_parser("list", help="devices with last status"))
    device.set_defaults(func=cmd_device)

    p = add_db(sub.add_parser("retention", help="delete personal data of old tickets"))
    p.add_argument(
        "--days", type=int, help="older than this many days (default: $QUEUE_RETENTION_DAYS or 180)"
    )
    p.set_defaults(func=cmd_retention)
