"""Backup and restore of an SQLite database, and giving the space of deleted rows back to the disk.

A backup is `VACUUM INTO` a new file: one read transaction, so it is a consistent snapshot while the
server goes on writing (WAL readers do not block writers), and compact. A restore copies a backup
into the database file with SQLite's backup API (never a plain file copy under open connections),
refuses a file whose schema this version does not know (a backup from a newer version), and
migrates an older one. PostgreSQL is backed up with pg_dump (packaging/INSTALL.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ..services.errors import Conflict, Invalid
from .migrate import alembic_config


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL; None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def file_revision(path: Path) -> str | None:
    """The schema revision recorded in an SQLite file (None: not a hall-queue database)."""
    try:
        with _connect(path, readonly=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def backup(db: Path, out: Path) -> Path:
    """A consistent, compacted copy of `db` at `out` (written beside it, then renamed into place)."""
    if not db.is_file():
        raise Invalid(f"数据库文件不存在：{db}", f"no database file at {db}", code="no_database")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    with _connect(db) as conn:
        conn.execute("VACUUM INTO ?", (str(part),))
    with _connect(part) as check:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            part.unlink()
            raise Conflict("备份文件校验失败，未保存", "the backup failed its check and was not kept")
    part.chmod(0o600)  # it holds the same personal data as the database
    part.replace(out)
    return out


def default_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"queue-{stamp}.sqlite3"


def prune(directory: Path, keep: int) -> list[Path]:
    """Deletes all but the `keep` newest automatic backups; returns what was deleted."""
    old = sorted(directory.glob("queue-*.sqlite3"))[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def restore(src: Path, db: Path) -> str:
    """Copies backup `src` into database `db` (server stopped); returns the backup's revision."""
    revision = file_revision(src) if src.is_file() else None
    if revision is None:
        raise Invalid(f"{src} 不是本系统的备份文件", f"{src} is not a hall-queue backup", code="not_a_backup")
    if revision not in known_revisions():
        raise Conflict(
            f"备份来自更新的版本（数据库结构 {revision}），请先升级本系统再恢复",
            f"the backup comes from a newer version (schema {revision}); upgrade hall-queue, then restore",
            code="newer_schema",
            revision=revision,
        )
    db.parent.mkdir(parents=True, exist_ok=True)
    with _connect(src, readonly=True) as source, _connect(db) as target:
        source.backup(target)
    return revision


def use_incremental_vacuum(engine: Engine) -> None:
    """Switches an SQLite file to incremental auto-vacuum, once (a full VACUUM rebuilds it): then
    `give_back_space` returns the pages of deleted rows to the disk."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        if conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            conn.execute("VACUUM")
    finally:
        raw.close()


def give_back_space(engine: Engine) -> None:
    """Returns the free pages of an incremental auto-vacuum file to the disk."""
    raw = engine.raw_connection()
    try:
        # executescript runs the pragma to its end (execute would free a single page).
        raw.driver_connection.executescript("PRAGMA incremental_vacuum")
    finally:
        raw.close()


@contextmanager
def _connect(path: Path, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.resolve().as_uri()}?mode=ro" if readonly else path.resolve().as_uri()
    conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()
