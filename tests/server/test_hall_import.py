"""Importing the hall file: validated whole, all or nothing, idempotent, codes immutable once used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.db.models import AuditEvent, Service, Window
from queue_server.hall_config.load import ConfigError, load_hall_file
from queue_server.runtime import open_context
from queue_server.services import issuing
from queue_server.services.context import SYSTEM, Actor, Context
from queue_server.services.hall_import import import_hall
from tests.conftest import EXAMPLE_HALL

from .helpers import HALL, PENSION

ROOT = Path(__file__).resolve().parents[2]


def _counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Service)),
            s.scalar(select(func.count()).select_from(Window)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_example_hall_is_realistic() -> None:
    cfg = load_hall_file(EXAMPLE_HALL)
    assert len(cfg.zones) >= 5 and len(cfg.windows) >= 12 and len(cfg.services) >= 20
    assert {z.kind for z in cfg.zones} == {
        "window_service",
        "consulting",
        "complaints",
        "self_service",
        "waiting",
        "public",
    }
    assert all(s.materials and s.name and s.name_en for s in cfg.services)
    assert any(m.requirement == "later" for s in cfg.services for m in s.materials)
    backups = {sk.service for w in cfg.windows for sk in w.skills if sk.level > 1}
    assert len(backups) >= 20  # most items have a backup post


def test_importing_twice_changes_nothing(ctx: Context) -> None:
    before = _counts(ctx)
    summary = import_hall(ctx, SYSTEM, load_hall_file(EXAMPLE_HALL))
    assert not summary.changed
    assert _counts(ctx) == before  # not even an audit event


def test_a_change_is_applied_and_audited(ctx: Context, tmp_path: Path) -> None:
    text = EXAMPLE_HALL.read_text(encoding="utf-8").replace(
        'name = "养老待遇资格认证"', 'name = "养老资格认证"', 1
    )
    changed = tmp_path / "hall.toml"
    changed.write_text(text, encoding="utf-8")
    summary = import_hall(ctx, SYSTEM, load_hall_file(changed))
    assert summary.counts["services.updated"] == 1
    with ctx.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "service.update")).one()
        assert event.before == {"name": "养老待遇资格认证"} and event.after == {"name": "养老资格认证"}


BROKEN_EDITS = [
    ('prefix = "S"', 'prefix = "s1"'),
    ('kind = "consulting"', 'kind = "chatting"'),
    ('requirement = "required"', 'requirement = "maybe"'),
    ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'),
    ('code = "510403-GG-RS-004"', 'code = "510403-GG-RS-001"'),
]


def test_broken_file_lists_every_problem_and_changes_nothing(ctx: Context, tmp_path: Path) -> None:
    text = EXAMPLE_HALL.read_text(encoding="utf-8")
    for old, new in BROKEN_EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    text = text.replace('zone = "business"', 'zone = "nowhere"', 1)
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    before = _counts(ctx)
    with pytest.raises(ConfigError) as err:
        load_hall_file(broken)
    problems = err.value.problems
    joined = "\n".join(problems)
    # Schema errors are all reported at once, each with its line and place.
    for needle in ("prefix", "kind", "requirement", "timezone"):
        assert needle in joined
    assert all(p.startswith(f"{broken}:") for p in problems)
    line_of = {p.split(":")[1] for p in problems}
    assert "?" not in line_of
    lines = text.splitlines()
    prefix_problem = next(p for p in problems if ".prefix" in p)
    assert "s1" in lines[int(prefix_problem.split(":")[1]) - 1]
    # CLI: exit status 2, every problem printed, database untouched.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "queue_server",
            "import-hall",
            str(broken),
            "--db",
            str(ctx.sessions.kw["bind"].url.render_as_string(hide_password=False)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.count(str(broken)) == len(problems)
    assert _counts(ctx) == before


def test_reference_errors_are_listed(tmp_path: Path) -> None:
    text = EXAMPLE_HALL.read_text(encoding="utf-8")
    text = text.replace('code = "510403-GG-RS-004"', 'code = "510403-GG-RS-001"', 1)  # duplicate code
    text = text.replace(
        '{ service = "510403-XK-SC-001", level = 1 }', '{ service = "510403-NOPE-001", level = 1 }', 1
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_hall_file(bad)
    joined = "\n".join(err.value.problems)
    assert "duplicate code '510403-GG-RS-001'" in joined
    assert "unknown service item '510403-NOPE-001'" in joined


def test_changing_a_used_code_is_refused(ctx: Context, tmp_path: Path) -> None:
    issuing.issue(
        ctx,
        Actor(role="manager", halls=(HALL,)),
        HALL,
        issuing.IssueRequest(PENSION, "k-used-0001", None, "counter"),
        "http://x/",
    )
    text = EXAMPLE_HALL.read_text(encoding="utf-8").replace(PENSION, "510403-GG-RS-104")
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(text, encoding="utf-8")
    before = _counts(ctx)
    with pytest.raises(ConfigError) as err:
        import_hall(ctx, SYSTEM, load_hall_file(renamed))
    assert PENSION in err.value.problems[0] and "never change" in err.value.problems[0]
    assert _counts(ctx) == before


def test_unused_item_can_be_removed(ctx: Context, tmp_path: Path) -> None:
    text = EXAMPLE_HALL.read_text(encoding="utf-8").replace("510403-GG-RS-004", "510403-GG-RS-104")
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(text, encoding="utf-8")
    summary = import_hall(ctx, SYSTEM, load_hall_file(renamed))
    assert summary.counts["services.created"] == 1 and summary.counts["services.deleted"] == 1


def test_unreadable_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_hall_file(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[hall\ncode = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_hall_file(bad)


def test_cli_import_and_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "queue_server", *args, "--db", url]
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)

    assert run("migrate").returncode == 0
    first = run("import-hall", str(EXAMPLE_HALL))
    assert first.returncode == 0 and "services.created=29" in first.stdout
    second = run("import-hall", str(EXAMPLE_HALL))
    assert second.returncode == 0 and "no changes" in second.stdout
    ctx = open_context(url)
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(Service)) == 29


def test_common_items_are_known_items_and_reach_the_halls_answer(ctx: Context, tmp_path: Path) -> None:
    from queue_server.services import catalogue

    cfg = load_hall_file(EXAMPLE_HALL)
    assert 0 < len(cfg.hall.common) <= 12
    hall = next(h for h in catalogue.halls(ctx) if h["code"] == "xiqu")
    assert hall["common"] == cfg.hall.common  # in the file's order
    text = EXAMPLE_HALL.read_text(encoding="utf-8").replace(
        '"510403-GG-ZW-001",   # 综合咨询', '"510403-GG-ZZ-999",', 1
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_hall_file(bad)
    assert "unknown service item '510403-GG-ZZ-999'" in "\n".join(err.value.problems)
    # A changed list is applied by a new import (and audited like any hall field).
    shorter = EXAMPLE_HALL.read_text(encoding="utf-8").replace('  "510403-GG-ZW-001",   # 综合咨询\n', "", 1)
    changed = tmp_path / "changed.toml"
    changed.write_text(shorter, encoding="utf-8")
    assert import_hall(ctx, SYSTEM, load_hall_file(changed)).changed
    hall = next(h for h in catalogue.halls(ctx) if h["code"] == "xiqu")
    assert hall["common"] == cfg.hall.common[:-1]
