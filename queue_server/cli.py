"""`queue-server` command line: serve, migrate, import-hall, demo."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

EXAMPLE_HALL = Path(__file__).resolve().parent.parent / "config" / "hall.example.toml"


def _serve(ctx_url: str | None, host: str, port: int) -> None:
    import uvicorn

    from .api.app import create_app
    from .runtime import open_context

    uvicorn.run(create_app(open_context(ctx_url)), host=host, port=port, log_level="info")


def cmd_migrate(args: argparse.Namespace) -> int:
    from .db.engine import make_engine
    from .db.migrate import upgrade
    from .settings import database_url

    upgrade(make_engine(database_url(args.db)))
    print("数据库已是最新结构 / database schema is up to date")
    return 0


def cmd_import_hall(args: argparse.Namespace) -> int:
    from .hall_config.load import ConfigError, load_hall_file
    from .runtime import open_context
    from .services.context import Actor
    from .services.hall_import import import_hall

    try:
        cfg = load_hall_file(args.file)
        summary = import_hall(open_context(args.db), Actor(name="cli", role="admin"), cfg)
    except ConfigError as exc:
        print(
            f"配置文件有 {len(exc.problems)} 处错误，未做任何更改 / "
            f"{len(exc.problems)} problem(s) in the file, nothing was changed:",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(("已导入 / imported: " if summary.changed else "没有变化 / no changes: ") + str(summary))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _serve(args.db, args.host, args.port)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .hall_config.load import load_hall_file
    from .runtime import open_context
    from .services.context import Actor
    from .services.hall_import import import_hall

    db = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='hall-queue-demo-')) / 'demo.sqlite3'}"
    cfg = load_hall_file(EXAMPLE_HALL)
    cfg.hall.enforce_hours = False  # a demo must issue tickets at any hour
    import_hall(open_context(db), Actor(name="demo", role="admin"), cfg)
    base = f"http://{args.host}:{args.port}"
    print(
        f"""
演示大厅 / demo hall: {cfg.hall.name} ({cfg.hall.code}), database {db}
  API 文档 / API docs:        {base}/docs
  事项目录 / catalogue:       {base}/api/v1/halls/{cfg.hall.code}/services
  大厅实时状态 / snapshot:    {base}/api/v1/halls/{cfg.hall.code}/snapshot
Try / 试一试:
  curl -s -X POST {base}/api/v1/halls/{cfg.hall.code}/tickets -H 'content-type: application/json' \\
       -d '{{"service": "{cfg.services[0].code}", "idempotency_key": "demo-0001", "channel": "counter"}}'
  curl -s -X POST {base}/api/v1/halls/{cfg.hall.code}/windows/{cfg.windows[0].code}/call-next
""",
        flush=True,
    )
    _serve(db, args.host, args.port)
    return 0


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

    p = with_db(sub.add_parser("serve", help="run the HTTP server"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    with_db(sub.add_parser("migrate", help="create or upgrade the database schema")).set_defaults(
        func=cmd_migrate
    )
    p = with_db(sub.add_parser("import-hall", help="validate a hall file and create or update the hall"))
    p.add_argument("file")
    p.set_defaults(func=cmd_import_hall)
    p = with_db(sub.add_parser("demo", help="fresh SQLite file, the example hall, serve"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
