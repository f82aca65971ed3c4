"""The README shows the permission table as the code has it; every CLI command names a permission."""

from __future__ import annotations

import argparse
from pathlib import Path

from queue_server import access
from queue_server.cli import COMMAND_PERMISSIONS, build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_readme_table_is_the_code_table() -> None:
    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- access-table:start -->\n", "\n<!-- access-table:end -->"
    shown = readme[readme.index(start) + len(start) : readme.index(end)]
    assert shown == access.markdown_table(), "regenerate with: python -m queue_server.access"


def test_every_cli_command_names_a_permission() -> None:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMAND_PERMISSIONS)
    assert set(COMMAND_PERMISSIONS.values()) <= set(access.PERMISSIONS)


def test_the_table_is_consistent() -> None:
    for role, perms in access.ROLE_PERMISSIONS.items():
        assert perms <= set(access.PERMISSIONS), role
        # Everything an anonymous caller may, except rating by a ticket's token: that is the holder's
        # alone (their phone, or the kiosk they scan it at), never staff's who saw the token.
        holder_only = {"public.evaluate"} if role not in ("public", "kiosk", "system") else set()
        assert perms >= access.PUBLIC - holder_only, f"{role} may do less than an anonymous caller"
        assert not perms & holder_only, f"{role} may rate a ticket by its token"
        assert role in access.SCOPE and role in access.ROLE_ZH
    devices = {"kiosk", "display", "pad"}
    assert all("ticket.act" not in access.ROLE_PERMISSIONS[d] for d in devices)
    assert "ticket.act" not in access.ROLE_PERMISSIONS["maintenance"]
    assert access.ROLE_PERMISSIONS["public"] == access.PUBLIC
