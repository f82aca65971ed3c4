"""`queue-server backup` and `restore`: SQLite online backups; PostgreSQL through pg_dump."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .services.errors import Invalid


def cmd_backup(args: argparse.Namespace) -> int:
    from .db import backup
    from .settings import load

    settings = load()
    url = settings.database_url(args.db)
    directory = settings.backup_path
    name = backup.default_name()
    path = backup.sqlite_path(url)
    if path is None:
        out = Path(args.out) if args.out else directory / name.replace(".sqlite3", ".pgdump")
        _pg_dump(url, out)
    else:
        out = backup.backup(path, Path(args.out) if args.out else directory / name)
    print(f"已备份 / backed up: {out}")
    if args.auto and path is not None:
        for old in backup.prune(directory, settings.backup_keep):
            print(f"已删除旧备份 / removed old backup: {old}")
    return 0


def _pg_dump(url: str, out: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise Invalid(
            "未安装 pg_dump（apt install postgresql-client）",
            "pg_dump is not installed (apt install postgresql-client)",
            code="no_pg_dump",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    # libpq wants postgresql://, not SQLAlchemy's postgresql+psycopg://; the password, if any,
    # comes from ~/.pgpass, never from this command line.
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    done = subprocess.run(
        ["pg_dump", "--format=custom", f"--file={out}", f"--dbname={plain}"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise Invalid(
            "pg_dump 失败：" + done.stderr.strip(),
            "pg_dump failed: " + done.stderr.strip(),
            code="pg_dump_failed",
        )
    out.chmod(0o600)  # it holds the same personal data as the database


def cmd_restore(args: argparse.Namespace) -> int:
    from .db import backup
    from .db.engine import make_engine
    from .db.migrate import upgrade
    from .settings import load

    url = load().database_url(args.db)
    path = backup.sqlite_path(url)
    if path is None:
        raise Invalid(
            "PostgreSQL 请用 pg_restore 恢复（见 packaging/INSTALL.md“备份与恢复”）",
            "restore PostgreSQL with pg_restore (packaging/INSTALL.md, 'Backup and restore')",
            code="use_pg_restore",
        )
    revision = backup.restore(Path(args.file), path)
    upgrade(make_engine(url))  # a backup from an older version gets this version's schema
    print(f"已恢复 / restored {args.file} → {path} (schema {revision}, now up to date)")
    return 0


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    add_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    p = add_db(sub.add_parser("backup", help="online backup (SQLite: consistent copy; PostgreSQL: pg_dump)"))
    p.add_argument("out", nargs="?", help="file to write (default: $QUEUE_BACKUP_DIR/queue-<UTC>.sqlite3)")
    p.add_argument(
        "--auto",
        action="store_true",
        help="also delete all but the $QUEUE_BACKUP_KEEP (14) newest backups (the daily timer)",
    )
    p.set_defaults(func=cmd_backup)
    p = add_db(sub.add_parser("restore", help="restore an SQLite backup into the database (server stopped)"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
