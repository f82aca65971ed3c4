"""`queue-server` command line: serve, migrate, import-hall, demo; user, device, retention.

Every command names its permission in COMMAND_PERMISSIONS and is checked against the table in
`access.py` before it runs (the command line acts as an administrator of the machine it runs on).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from . import access, cli_backup, cli_report
from .cli_access import add_parsers, cli_actor
from .services.errors import ServiceError
from .settings import SettingsError

EXAMPLE_HALL = Path(__file__).resolve().parent.parent / "config" / "hall.example.toml"
COMMAND_PERMISSIONS: dict[str, str] = {
    "serve": "server.run",
    "migrate": "server.run",
    "demo": "server.run",
    "import-hall": "hall.import",
    "import-calendar": "hall.import",
    "user": "user.manage",
    "device": "device.manage",
    "retention": "personal_data.retention",
    "simulate": "sim.run",
    "backup": "server.run",
    "restore": "server.run",
    "report": "report.read",
}
DEMO_PASSWORD = "demo12345"  # printed with the demo's addresses; the demo is for trying things out


def clock_start(text: str) -> datetime:
    """`--clock-start`: an ISO 8601 instant with its offset (the hall's local time is shown from it)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from exc
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give the offset, e.g. {text}+08:00")
    return moment


def _serve(
    ctx_url: str | None,
    host: str,
    port: int,
    access_log: bool = True,
    start: datetime | None = None,
    public_url: str = "",
    request_log: Path | None = None,
) -> None:
    import logging

    import uvicorn

    from .api.app import create_app
    from .logsafe import install
    from .runtime import open_context, shifted_clock
    from .settings import load

    settings = load()
    if public_url and not settings.public_url:
        settings.public_url = public_url
    ctx = open_context(ctx_url, settings=settings)
    if start is not None:
        ctx.clock = shifted_clock(start)
    # Event streams never end by themselves: do not wait for them at shutdown.
    config = uvicorn.Config(
        create_app(ctx),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=1,
        access_log=access_log,
    )
    if request_log is not None:  # one line per request in a file, not among the demo's own output
        handler = logging.FileHandler(request_log, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logging.getLogger("uvicorn.access").handlers = [handler]
    install()  # after uvicorn configured its loggers: tokens in URLs never reach the log
    uvicorn.Server(config).run()


def cmd_migrate(args: argparse.Namespace) -> int:
    from .db.engine import make_engine
    from .db.migrate import upgrade
    from .settings import load

    upgrade(make_engine(load().database_url(args.db)))
    print("数据库已是最新结构 / database schema is up to date")
    return 0


def _config_problems(exc: Any) -> int:
    print(
        f"配置文件有 {len(exc.problems)} 处错误，未做任何更改 / "
        f"{len(exc.problems)} problem(s) in the file, nothing was changed:",
        file=sys.stderr,
    )
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def _import_calendars(ctx: Any, files: list[Path]) -> None:
    from .hall_config.calendar_file import load_calendar_file
    from .services.calendar_import import import_calendar

    for path in files:
        cal = load_calendar_file(path)
        n = import_calendar(ctx, cli_actor(), cal)
        print(f"节假日安排已导入 / calendar imported: {cal.year} ({n} days) from {path}")


def cmd_import_calendar(args: argparse.Namespace) -> int:
    from .hall_config.load import ConfigError
    from .runtime import open_context

    try:
        _import_calendars(open_context(args.db), [Path(f) for f in args.file])
    except ConfigError as exc:
        return _config_problems(exc)
    return 0


def cmd_import_hall(args: argparse.Namespace) -> int:
    from .hall_config.calendar_file import beside
    from .hall_config.load import ConfigError, load_hall_file
    from .runtime import open_context
    from .services.hall_import import import_hall

    try:
        cfg = load_hall_file(args.file)
        ctx = open_context(args.db)
        _import_calendars(ctx, beside(args.file))  # the calendar first: the hall opens knowing it
        summary = import_hall(ctx, cli_actor(), cfg)
    except ConfigError as exc:
        return _config_problems(exc)
    print(("已导入 / imported: " if summary.changed else "没有变化 / no changes: ") + str(summary))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _serve(args.db, args.host, args.port, access_log=not args.no_access_log, start=args.clock_start)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .hall_config.calendar_file import beside
    from .hall_config.load import load_hall_file
    from .runtime import open_context
    from .services import accounts, devices, posts
    from .services.hall_import import import_hall

    work = Path(tempfile.mkdtemp(prefix="hall-queue-demo-"))
    db = args.db or f"sqlite:///{work / 'demo.sqlite3'}"
    request_log = Path(args.request_log) if args.request_log else work / "requests.log"
    lan = _lan_address() if args.lan else None
    host = "0.0.0.0" if lan else args.host
    public_url = f"http://{lan}:{args.port}" if lan else ""
    cfg = load_hall_file(EXAMPLE_HALL)
    # A demo issues tickets at any hour, unless its clock is set to show the hall's hours at work.
    cfg.hall.enforce_hours = args.clock_start is not None
    ctx, actor, hall = open_context(db), cli_actor(), cfg.hall.code
    _import_calendars(ctx, beside(EXAMPLE_HALL))
    import_hall(ctx, actor, cfg)
    staff = [("demo-admin", "admin"), ("demo-manager", "manager"), ("demo-maint", "maintenance")]
    desks = [w.code for w in cfg.windows if w.state == "open"]
    staff += [(f"clerk{code}", "clerk") for code in desks]
    for name, role in staff:
        accounts.create_user(ctx, actor, name, role, DEMO_PASSWORD, [hall])
    # A hall at work: one demo clerk signed in at each open window, so that every item is staffed.
    for code in desks:
        posts.sign_in_as(ctx, f"clerk{code}", hall, code)
    kiosk = devices.add_device(ctx, actor, "kiosk-demo", "kiosk", hall)[1]
    display = devices.add_device(ctx, actor, "display-demo", "display", hall)[1]
    pad = devices.add_device(ctx, actor, "pad-05", "pad", hall, "05")[1]
    if args.tokens_file:
        tokens = json.dumps({"kiosk": kiosk, "display": display, "pad": pad, "hall": hall})
        fd = os.open(args.tokens_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(tokens)
    base = public_url or f"http://{args.host}:{args.port}"
    api = f"{base}/api/v1/halls/{hall}"
    if lan:
        reach = (
            f"  局域网地址 / LAN address: {base}（手机可打开二维码 / phones open the QR codes）\n"
            "  演示密码是公开的，勿在大厅网络上运行 / public demo passwords: not on a hall's network"
        )
    elif args.lan:
        reach = "  未找到局域网地址：二维码只能在本机打开 / no LAN address: QR codes open here only"
    else:
        reach = "  仅本机可访问（--lan：局域网内的手机也可访问）/ this machine only (--lan: phones too)"
    # A kiosk ticket without an ID card: an item that allows skipping identity (consulting).
    walk_in = next(s.code for s in cfg.services if not s.id_required)
    walk_in_window = next(
        w.code for w in cfg.windows if any(k.service == walk_in and k.level == 1 for k in w.skills)
    )
    print(
        f"""
演示大厅 / demo hall: {cfg.hall.name} ({hall}), database {db}
{reach}
  请求日志 / request log:     {request_log}
  API 说明 / API (OpenAPI):   {base}/openapi.json
  事项目录 / catalogue:       {api}/services
  大厅实时状态 / snapshot:    {api}/snapshot?access_token={display}
演示账号（密码均为 {DEMO_PASSWORD}）/ demo accounts (password {DEMO_PASSWORD} for all):
  {", ".join(f"{name} ({role})" for name, role in staff)}
  每个开放窗口都有一名演示窗口人员签到（clerkNN 在 NN 号窗口）/ a demo clerk is signed in at every
  open window (clerkNN at window NN): sign one out in the clerk terminal to see an unstaffed item
演示设备令牌 / demo device tokens:
  kiosk-demo   (kiosk):        {kiosk}
  display-demo (display):      {display}
  pad-05       (pad, window 05): {pad}
网页 / web pages ({base}/ui/ lists them all):
  窗口工作台 / clerk terminal:  {base}/ui/clerk        (clerk01)
  大厅管理 / manager console:   {base}/ui/manager      (demo-manager)
  设备配对 / pair devices:      {base}/ui/pair         (demo-manager; screens without ?token= show a code)
  综合屏 / hall display:        {base}/ui/display/{hall}/{cfg.windows[0].zone}?token={display}
  窗口屏 / counter display:     {base}/ui/counter/{hall}/{cfg.windows[0].code}?token={display}
  评价器 / evaluation pad:      {base}/ui/pad/{hall}/05?token={pad}
Try / 试一试:
  curl -s -X POST {api}/tickets -H 'authorization: Bearer {kiosk}' \\
       -H 'content-type: application/json' \\
       -d '{{"service": "{walk_in}", "idempotency_key": "demo-0001"}}'
  TOKEN=$(curl -s -X POST {base}/api/v1/auth/login -H 'content-type: application/json' \\
       -d '{{"username": "clerk{walk_in_window}", "password": "{DEMO_PASSWORD}"}}' \\
       | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  curl -s -X POST {api}/windows/{walk_in_window}/sign-in -H "authorization: Bearer $TOKEN"
  curl -s -X POST {api}/windows/{walk_in_window}/call-next -H "authorization: Bearer $TOKEN"
""",
        flush=True,
    )
    _serve(db, host, args.port, start=args.clock_start, public_url=public_url, request_log=request_log)
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from .hall_config.load import ConfigError
    from .sim.compare import compare_files, table

    try:
        result, _ = compare_files(args.hall, args.demand, args.seed, args.scale)
    except ConfigError as exc:
        print("文件有误 / problem(s) in the files:", *exc.problems, sep="\n  ", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0


def _lan_address() -> str | None:
    """This machine's address on its local network (no packet is sent), or None."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="queue-server", description="政务服务中心排队服务 / hall queue server"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--db", help="database URL (default: $QUEUE_DB_URL, else an SQLite file in the data dir)"
        )
        return p

    def with_clock(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--clock-start",
            type=clock_start,
            metavar="ISO8601",
            help="the server's clock starts at this instant (with offset) and runs on in real time "
            "(to try after hours, e.g. 2026-12-01T21:45:00+08:00)",
        )

    p = with_db(sub.add_parser("serve", help="run the HTTP server"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--no-access-log",
        action="store_true",
        help="do not log every request (behind nginx, which logs them already)",
    )
    with_clock(p)
    p.set_defaults(func=cmd_serve)
    with_db(sub.add_parser("migrate", help="create or upgrade the database schema")).set_defaults(
        func=cmd_migrate
    )
    p = with_db(sub.add_parser("import-hall", help="validate a hall file and create or update the hall"))
    p.add_argument("file")
    p.set_defaults(func=cmd_import_hall)
    p = with_db(
        sub.add_parser("import-calendar", help="load yearly holiday calendar files (config/calendar)")
    )
    p.add_argument("file", nargs="+")
    p.set_defaults(func=cmd_import_calendar)
    p = with_db(sub.add_parser("demo", help="fresh SQLite file, the example hall, serve"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--tokens-file", help="also write the demo device tokens to this file (JSON), for demo.sh")
    p.add_argument("--request-log", help="file for the request log (default: in the demo's directory)")
    p.add_argument("--lan", action="store_true",
                   help="listen on the local network and put its address in QR codes (phones can open them)")
    with_clock(p)
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("simulate", help="simulate a hall day under each routing policy (no database)")
    p.add_argument("--hall", default=str(EXAMPLE_HALL), help="hall file (default: the example hall)")
    p.add_argument("--demand", default=str(EXAMPLE_HALL.with_name("demand.example.toml")), help="demand file")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=int, default=1, help="a hall this many times bigger: demand and windows")
    p.add_argument("--json", action="store_true", help='print one JSON object {"policies": {…}}')
    p.set_defaults(func=cmd_simulate)
    add_parsers(sub, with_db)
    cli_backup.add_parsers(sub, with_db)
    cli_report.add_parser(sub, with_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        access.check(cli_actor(), COMMAND_PERMISSIONS[args.command])
        return args.func(args)
    except ServiceError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    except SettingsError as exc:  # a wrong setting is the operator's to fix: say which, no traceback
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
