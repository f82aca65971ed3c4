"""Every file a driver or kiosk message sends a technician to exists (in the repository, or in the
package that installs it)."""

from __future__ import annotations

import re

from tests.support import ROOT

REPO_PATH = re.compile(r"\b((?:packaging|docs|config)/[\w./-]*[\w/])")
BUILD = (ROOT / "packaging/build.sh").read_text()


def _sources() -> list[tuple[str, str]]:
    files = [*(ROOT / "drivers").rglob("*.py"), *(ROOT / "kiosk").rglob("*.py")]
    return [(str(f.relative_to(ROOT)), f.read_text(encoding="utf-8")) for f in files]


def test_repository_paths_in_messages_exist() -> None:
    named = {(name, m.group(1)) for name, text in _sources() for m in REPO_PATH.finditer(text)}
    assert any(p == "packaging/udev/61-hall-kiosk-devices.rules" for _, p in named)
    missing = [(name, p) for name, p in named if not (ROOT / p).exists()]
    assert missing == []


def test_installed_udev_rules_are_the_ones_the_package_installs() -> None:
    from drivers.errors import UDEV_HINT, UDEV_RULES

    rules = UDEV_RULES.rsplit("/", 1)[1]
    assert (ROOT / "packaging/udev" / rules).is_file()
    assert f'"$s/hall-kiosk{UDEV_RULES}"' in BUILD  # build.sh puts it exactly there
    assert UDEV_RULES in UDEV_HINT
