"""Static checks of the pages' files (no browser): modules resolve, nothing loads from the network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "queue_server" / "web"
MODULES = sorted((WEB / "static" / "js").glob("*.js"))
PAGES = sorted((WEB / "pages").glob("*.html"))
EXPORT = re.compile(r"export\s+(?:async\s+)?(?:function|const|class|let)\s+(\w+)")
EXTRA_MODULES = {  # sections of a page kept in their own modules
    "manager": ["whatif.js", "appointments.js", "notices.js"],
    "clerk": ["outcome.js"],
}
IMPORT = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"\./([\w.]+)"')


def test_every_import_is_exported_and_used() -> None:
    exports = {m.name: set(EXPORT.findall(m.read_text(encoding="utf-8"))) for m in MODULES}
    problems = []
    for module in MODULES:
        text = module.read_text(encoding="utf-8")
        for found in IMPORT.finditer(text):
            names = [n.strip() for n in found.group(1).split(",") if n.strip()]
            target = found.group(2)
            rest = text[found.end() :]
            for name in names:
                if target not in exports:
                    problems.append(f"{module.name}: no module {target}")
                elif name not in exports[target]:
                    problems.append(f"{module.name}: {target} does not export {name}")
                elif not re.search(rf"\b{name}\b", rest):
                    problems.append(f"{module.name}: {name} imported but not used")
    assert problems == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_each_page_loads_its_own_module_and_the_stylesheet(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="module" src="/ui/static/js/([\w.]+)"', html)
    assert scripts == [page.stem + ".js", *EXTRA_MODULES.get(page.stem, [])]
    assert all((WEB / "static" / "js" / s).is_file() for s in scripts)
    assert 'href="/ui/static/css/app.css"' in html


def test_nothing_is_loaded_from_the_network() -> None:
    """The hall works offline: no CDN, no web font, no cloud speech."""
    for f in [*MODULES, *PAGES, *(WEB / "static" / "css").glob("*.css")]:
        # SVG's namespace is a name, never fetched.
        text = f.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http://" not in text and "https://" not in text, f"{f.name} refers to a network address"
        assert not re.search(r"[\"'(]//[\w-]+\.", text), f"{f.name} has a protocol-relative address"
