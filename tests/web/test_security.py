"""Security headers on every page and file, and pages that work under their own Content-Security-Policy."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import COMPANY, HALL, Server

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _check_headers(headers: dict[str, str], what: str) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (what, name, headers.get(name))
    csp = headers.get("content-security-policy", "")
    wanted = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
    for directive in wanted:
        assert directive in csp, (what, directive)
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp


def test_every_page_has_the_security_headers_and_breaks_no_policy(server: Server, new_page: Any) -> None:
    ticket = server.issue(COMPANY)
    pages = {
        "/ui/": "[data-testid]",
        "/ui/clerk": "[data-testid]",
        "/ui/manager": "[data-testid]",
        f"/ui/display/{HALL}/business": "[data-testid]",
        f"/ui/counter/{HALL}/01": "[data-testid]",
        f"/ui/pad/{HALL}/05": "[data-testid]",
        f"/t/{ticket['token']}": "[data-testid]",
        f"/guide/{HALL}/{COMPANY}": "[data-testid]",
    }
    for path, ready in pages.items():
        violations: list[str] = []
        device = {"/ui/d": "tv-web", "/ui/c": "tv-web", "/ui/p": "pad-05"}.get(path[:5])
        role = "manager" if path in ("/ui/clerk", "/ui/manager") else None
        page = new_page(path, role=role, device=device)
        page.on("console", lambda m, v=violations: "Content Security Policy" in m.text and v.append(m.text))
        response = page.reload()  # the listener sees this load from its start
        _check_headers(dict(response.headers), path)
        page.wait_for_selector(ready, state="attached", timeout=15_000)
        page.wait_for_load_state("networkidle") if path.startswith(("/t/", "/guide/")) else None
        assert violations == [], (path, violations)
        # Every file the page loaded (scripts, styles) carries them too.
        for url in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"):
            if url.startswith(server.url + "/ui/static/"):
                _check_headers(dict(server.http.get(url).headers), url)
        page.context.close()


def test_api_answers_and_errors_carry_the_headers_too(server: Server) -> None:
    answers = (("GET", "/healthz"), ("GET", "/openapi.json"), ("GET", "/api/v1/halls/nope/services"),
               ("POST", "/api/v1/auth/login"))
    for method, path in answers:
        r = server.http.request(method, path)
        _check_headers(dict(r.headers), f"{method} {path} {r.status_code}")
    assert server.http.get("/docs").status_code == 404  # no page that loads scripts from a CDN
    big = server.http.post("/api/v1/auth/login", content=b"{" + b" " * (1024 * 1024 + 1) + b"}",
                           headers={"content-type": "application/json"})
    assert big.status_code == 413 and big.json()["code"] == "too_large" and "1 MiB" in big.json()["detail"]
