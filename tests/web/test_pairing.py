"""Pairing a display end to end: the screen shows a code, a manager enters it on the console's pairing
page and picks the zone, the screen gets its credential (no token in any address) and shows the
zone's calls; "pair again" ends that credential and the screen shows a new code."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import COMPANY, HALL, PASSWORD, Server

T = 15_000


def test_a_display_is_paired_from_the_console_and_paired_again(server: Server, new_page: Any) -> None:
    # An open event stream re-checks its credential every stream_recheck seconds (60 by default):
    # short here, so that the revoked screen notices at once.
    server.stop()
    server.process.env["QUEUE_STREAM_RECHECK"] = "0.5"
    server.start()
    # A new screen opened at some zone's address, with no credential.
    screen = new_page(f"/ui/display/{HALL}/social")
    addresses: list[str] = []
    screen.on("request", lambda r: addresses.append(r.url))
    code_el = screen.get_by_test_id("pairing-code")
    expect(code_el).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"), timeout=T)
    code = code_el.inner_text()
    screen.reload()  # a restart shows the same code (it is kept while it is valid)
    expect(screen.get_by_test_id("pairing-code")).to_have_text(code, timeout=T)

    # The manager signs in on the pairing page and pairs it for the business zone.
    console = new_page("/ui/pair")
    console.get_by_test_id("login-form").locator('[name="username"]').fill(server.users["manager"])
    console.get_by_test_id("login-form").locator('[name="password"]').fill(PASSWORD)
    console.get_by_test_id("login-form").locator("button").click()
    console.get_by_test_id("pair-code").fill("AAAA-BBBB")  # a wrong code first: said so, nothing paired
    console.get_by_test_id("pair-name").fill("tv-business-1")
    console.get_by_test_id("pair-zone").select_option("business")
    console.get_by_test_id("pair-submit").click()
    expect(console.get_by_test_id("pair-result")).to_contain_text("配对码无效或已过期", timeout=T)
    expect(console.get_by_test_id("pair-result")).to_contain_text("no such pairing code")
    console.get_by_test_id("pair-code").fill(code.lower().replace("-", " "))  # as someone might type it
    console.get_by_test_id("pair-submit").click()
    expect(console.get_by_test_id("pair-result")).to_contain_text("tv-business-1", timeout=T)
    expect(console.locator('tr[data-device="tv-business-1"]')).to_contain_text("active", timeout=T)

    # The screen collects its credential, moves to the zone it was paired for and shows its calls.
    expect(screen).to_have_url(re.compile(rf"/ui/display/{HALL}/business$"), timeout=T)
    expect(screen.locator("html")).to_have_attribute("data-live", "live", timeout=T)
    expect(screen.get_by_test_id("pairing")).to_have_count(0)
    ticket = server.issue(COMPANY)
    server.api("POST", f"/api/v1/halls/{HALL}/windows/01/sign-in", role="manager")
    assert server.call_next("01") is not None
    expect(screen.get_by_test_id("calls-now")).to_contain_text(ticket["number"], timeout=T)
    token = screen.evaluate("() => localStorage.getItem('hq.token')")
    assert token and token.startswith("hqd_")
    assert not [a for a in addresses if token in a or "secret" in a.lower()], "a credential in an address"
    devices = server.api("GET", f"/api/v1/halls/{HALL}/devices").json()
    assert {"name": "tv-business-1", "kind": "display", "active": True}.items() <= next(
        d for d in devices if d["name"] == "tv-business-1"
    ).items()

    # "Pair again" from the console: the old credential stops, the screen shows a new code.
    console.locator('tr[data-device="tv-business-1"] [data-action="revoke"]').click()
    expect(console.locator('tr[data-device="tv-business-1"]')).to_contain_text("revoked", timeout=T)
    r = server.http.get(f"/api/v1/halls/{HALL}/snapshot", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    new_code = screen.get_by_test_id("pairing-code")
    expect(new_code).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"), timeout=30_000)
    assert new_code.inner_text() != code
    # Paired again under the same name: a new credential, the same device.
    console.get_by_test_id("pair-code").fill(new_code.inner_text())
    console.get_by_test_id("pair-name").fill("tv-business-1")
    console.get_by_test_id("pair-zone").select_option("business")
    console.get_by_test_id("pair-submit").click()
    expect(screen.locator("html")).to_have_attribute("data-live", "live", timeout=T)
    expect(screen.get_by_test_id("pairing")).to_have_count(0, timeout=T)
    again = screen.evaluate("() => localStorage.getItem('hq.token')")
    assert again and again != token
    names = [d["name"] for d in server.api("GET", f"/api/v1/halls/{HALL}/devices").json()]
    assert names.count("tv-business-1") == 1
    server.devices["tv-business-1"] = again  # searched for in the server log by the fixture
    server.devices["tv-business-1-old"] = token


def test_a_clerk_cannot_pair_and_a_code_works_once(server: Server) -> None:
    started = server.http.post("/api/v1/pairing", json={"kind": "display"}).json()
    body = {"code": started["code"], "name": "tv-x", "hall": HALL}
    r = server.api("POST", "/api/v1/pairing/approve", role="clerk", json=body)
    assert r.status_code == 403 and r.json()["detail"] and r.json()["detail_en"]
    assert server.http.post("/api/v1/pairing/claim", json={"secret": started["secret"]}).status_code == 202
    assert server.api("POST", "/api/v1/pairing/approve", json=body).status_code == 200
    assert server.api("POST", "/api/v1/pairing/approve", json=body).status_code == 404  # used
    claimed = server.http.post("/api/v1/pairing/claim", json={"secret": started["secret"]})
    assert claimed.status_code == 200 and claimed.json()["device"]["name"] == "tv-x"
    again = server.http.post("/api/v1/pairing/claim", json={"secret": started["secret"]})
    assert again.status_code == 404 and again.json()["code"] == "pairing_expired"
    server.devices["tv-x"] = claimed.json()["token"]
