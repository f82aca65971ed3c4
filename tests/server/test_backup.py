"""Backup and restore (`queue-server backup` / `restore`) and SQLite giving space back."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from queue_server.db.backup import head_revision
from queue_server.db.engine import make_engine, make_session_factory
from queue_server.db.migrate import upgrade
from queue_server.live import store
from tests.support import HALL, ServerProcess, hall_file, prepare_db, run_cli, server_env, wait_until

COMPANY = "510403-XK-SC-001"  # 营业执照（企业设立）
PASSWORD = "backup-test-pw-1"
PAD = '{"pad": "' + "x" * 400 + '"}'


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _assert_consistent(path: Path) -> int:
    """The invariants every committed state keeps; returns the number of tickets."""
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(path, "PRAGMA foreign_key_check") == []
    tickets = _rows(path, "SELECT id, number FROM tickets")
    # Each ticket was written with its audit record and its live event, in one transaction.
    audit = "SELECT object_id FROM audit_events WHERE action = 'ticket.issue'"
    audited = {int(r[0]) for r in _rows(path, audit)}
    assert audited == {t[0] for t in tickets}
    issued_events = _rows(path, "SELECT count(*) FROM hall_events WHERE type = 'ticket.issued'")[0][0]
    assert issued_events == len(tickets)
    seqs = [r[0] for r in _rows(path, "SELECT seq FROM hall_events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)), "event numbers have a gap"
    # The counter was bumped with each ticket: the last number issued is the counter's value.
    for prefix, day, value in _rows(path, "SELECT prefix, business_day, value FROM number_counters"):
        numbers = [int(n[len(prefix):]) for (n,) in _rows(
            path, f"SELECT number FROM tickets WHERE number LIKE '{prefix}%' AND business_day = '{day}'")]
        assert numbers and max(numbers) == value and len(set(numbers)) == len(numbers)
    return len(tickets)


def test_a_backup_taken_while_tickets_are_issued_restores_to_a_consistent_database(tmp_path: Path) -> None:
    db = tmp_path / "queue.sqlite3"
    url = f"sqlite:///{db}"
    data = tmp_path / "data"
    prepare_db(url, data, hall_file(tmp_path, lift_limits=True), users={"mgr": ("manager", PASSWORD)})
    issued: list[str] = []
    stop = threading.Event()
    errors: list[str] = []
    with ServerProcess(url, data) as server:
        login = httpx.post(f"{server.url}/api/v1/auth/login",
                           json={"username": "mgr", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}

        def issue() -> None:
            with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
                while not stop.is_set():
                    body = {"service": COMPANY, "idempotency_key": uuid.uuid4().hex, "channel": "counter"}
                    r = client.post(f"/api/v1/halls/{HALL}/tickets", json=body)
                    if r.status_code != 201:
                        errors.append(r.text)
                        return
                    issued.append(r.json()["number"])

        threads = [threading.Thread(target=issue) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            wait_until(lambda: len(issued) >= 20, 60, "20 tickets issued")
            backup = tmp_path / "backup.sqlite3"
            run_cli("backup", str(backup), "--db", url, env=server_env(data))
            after_backup = len(issued)
            # Issuing goes on after the backup: the backup must hold fewer tickets than the database.
            wait_until(lambda: len(issued) >= after_backup + 10 or errors, 60, "10 more tickets")
        finally:
            stop.set()
            for t in threads:
                t.join(30)
    assert not errors, errors[:3]
    total = _assert_consistent(db)
    assert total == len(issued)

    restored = tmp_path / "restored.sqlite3"
    out = run_cli("restore", str(backup), "--db", f"sqlite:///{restored}", env=server_env(data))
    assert f"schema {head_revision()}" in out.stdout
    in_backup = _assert_consistent(restored)
    assert 20 <= in_backup < total
    # The backup is a snapshot of one moment: exactly the first tickets, as the live file has them.
    assert _rows(restored, "SELECT id, number, token FROM tickets ORDER BY id") == _rows(
        db, f"SELECT id, number, token FROM tickets ORDER BY id LIMIT {in_backup}")
    # And it serves: a server on the restored file issues the next number.
    with ServerProcess(f"sqlite:///{restored}", data) as again:
        r = httpx.post(f"{again.url}/api/v1/auth/login", json={"username": "mgr", "password": PASSWORD})
        assert r.status_code == 200


def test_restore_refuses_a_newer_schema_and_files_that_are_not_backups(tmp_path: Path) -> None:
    env = server_env(tmp_path / "data")
    db = tmp_path / "live.sqlite3"
    upgrade(make_engine(f"sqlite:///{db}"))
    newer = tmp_path / "newer.sqlite3"
    run_cli("backup", str(newer), "--db", f"sqlite:///{db}", env=env)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = db.read_bytes()
    missing = tmp_path / "missing.sqlite3"
    for bad, expected in ((newer, "newer version"), (missing, "not a hall-queue backup")):
        out = _cli_fails("restore", str(bad), "--db", f"sqlite:///{db}", env=env)
        assert expected in out and "/" in out  # Chinese and English
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("not a database")
    refused = _cli_fails("restore", str(not_sqlite), "--db", f"sqlite:///{db}", env=env)
    assert "not a hall-queue backup" in refused
    assert db.read_bytes() == before, "a refused restore changed the database"


def test_restoring_an_older_backup_migrates_it(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    upgrade(make_engine(f"sqlite:///{old}"), "0003")
    target = tmp_path / "queue.sqlite3"
    out = run_cli("restore", str(old), "--db", f"sqlite:///{target}", env=server_env(tmp_path / "data"))
    assert "0003" in out.stdout
    assert _rows(target, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def _cli_fails(*args: str, env: dict[str, str]) -> str:
    import subprocess
    import sys

    from tests.support import ROOT

    done = subprocess.run([sys.executable, "-m", "queue_server", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr


def test_pruned_events_give_their_space_back_to_the_disk(tmp_path: Path) -> None:
    db = tmp_path / "queue.sqlite3"
    # A file made before incremental auto-vacuum: the next start converts it once.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.close()
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    assert _rows(db, "PRAGMA auto_vacuum") == [(2,)]
    prepare_db(f"sqlite:///{db}", tmp_path / "data", hall_file(tmp_path))
    old = datetime.now(UTC) - timedelta(days=10)
    with engine.begin() as c:
        hall_id = c.execute(text("SELECT id FROM halls")).scalar_one()
        c.execute(
            text("INSERT INTO hall_events (hall_id, seq, at, type, payload) VALUES (:h, :s, :at, 'x', :p)"),
            [{"h": hall_id, "s": 10_000 + i, "at": old, "p": PAD} for i in range(20_000)],
        )
    engine.dispose()
    full = db.stat().st_size
    deleted = store.prune(make_session_factory(engine), datetime.now(UTC), timedelta(days=3))
    assert deleted == 20_000
    engine.dispose()
    checkpoint = sqlite3.connect(db)
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    assert _rows(db, "PRAGMA freelist_count") == [(0,)]
    assert db.stat().st_size < full / 4, (db.stat().st_size, full)


@pytest.mark.postgres
def test_postgres_backup_is_a_pg_dump_archive_and_restore_points_to_pg_restore(
    postgres_url: str, tmp_path: Path
) -> None:
    import subprocess

    env = server_env(tmp_path / "data")
    upgrade(make_engine(postgres_url))
    out = tmp_path / "hall.pgdump"
    run_cli("backup", str(out), "--db", postgres_url, env=env)
    listing = subprocess.run(["pg_restore", "--list", str(out)], capture_output=True, text=True, check=True)
    assert "TABLE public tickets" in listing.stdout
    assert out.stat().st_mode & 0o077 == 0
    assert "pg_restore" in _cli_fails("restore", str(out), "--db", postgres_url, env=env)
