"""Priority classes (优先) and missed calls (过号) on the staff pages: the clerk terminal gives a
waiting ticket priority with a reason and lets a missed ticket rejoin; the hall display marks a called
priority ticket. In a hall that lets a no-show rejoin within 15 minutes (behind the next 3).

The pages behave alike on both databases (the server is the same code): SQLite only, to stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import COMPANY, HALL, Server, Template, _template, shot
from .test_pages import T, live


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    """Overrides the conftest's: the example hall with reactivation allowed (on SQLite)."""
    base: Path = tmp_path_factory.mktemp("web-template-rejoin")
    yield _template(base, f"sqlite:///{base / 'queue.sqlite3'}", "reactivate_min = 15\nrejoin_behind = 3")


def clerk_at_01(new_page: Any) -> Any:
    page = new_page(f"/ui/clerk?hall={HALL}&window=01", width=1024, height=600, role="clerk")
    live(page)
    return page


def row(page: Any, number: str) -> Any:
    return page.locator(f'[data-testid="queue-ticket"][data-number="{number}"]')


def test_clerk_gives_priority_with_a_reason_and_the_ticket_moves_up_marked(
    server: Server, new_page: Any
) -> None:
    first, second, third = (server.issue(COMPANY) for _ in range(3))
    clerk = clerk_at_01(new_page)
    expect(row(clerk, third["number"])).to_be_visible(timeout=T)
    expect(clerk.get_by_test_id("queue-ticket").first).to_have_attribute("data-number", first["number"])
    expect(row(clerk, third["number"]).get_by_test_id("mark-priority")).to_have_count(0)

    row(clerk, third["number"]).get_by_test_id("give-priority").click()
    dialog = clerk.get_by_test_id("priority-dialog")
    expect(dialog).to_be_visible()
    # The hall's classes, from the server's hall view.
    expect(dialog.get_by_test_id("priority-classes")).to_contain_text("军人/消防救援人员")
    expect(dialog.get_by_test_id("priority-classes")).to_contain_text("孕妇")
    # Nothing chosen, then no reason: refused in Chinese by the page, the dialog stays, nothing sent.
    sent: list[str] = []
    clerk.on("request", lambda r: r.url.endswith("/priority") and sent.append(r.url))
    clerk.get_by_test_id("priority-submit").click()
    expect(dialog.locator(".result")).to_contain_text("请选择优先类别", timeout=T)
    clerk.get_by_test_id("priority-kind-disability").check()
    clerk.get_by_test_id("priority-reason").fill("   ")
    clerk.get_by_test_id("priority-submit").click()
    expect(dialog.locator(".result")).to_contain_text("请填写给予优先的原因", timeout=T)
    expect(dialog).to_be_visible()
    assert sent == []

    clerk.get_by_test_id("priority-reason").fill("出示残疾人证")
    shot(clerk, "clerk-priority-dialog")
    clerk.get_by_test_id("priority-submit").click()
    expect(dialog).to_be_hidden(timeout=T)
    expect(clerk.get_by_test_id("result")).to_contain_text("已设为优先", timeout=T)
    expect(row(clerk, third["number"]).get_by_test_id("mark-priority")).to_contain_text("优先", timeout=T)
    # The call order is the server's: the priority lane comes before the others.
    head = clerk.get_by_test_id("queue-ticket").first
    expect(head).to_have_attribute("data-number", third["number"], timeout=T)
    expect(row(clerk, third["number"]).get_by_test_id("give-priority")).to_have_count(0)
    shot(clerk, "clerk-priority-given")

    audit = server.api("GET", f"/api/v1/halls/{HALL}/audit", params={"ticket": third["id"]}).json()
    given = [a for a in audit if a["action"] == "ticket.priority"]
    assert len(given) == 1 and given[0]["actor"] == server.users["clerk"]
    assert given[0]["after"]["reason"] == "出示残疾人证"
    assert given[0]["after"]["priority_kind"] == "disability"
    assert second["id"] not in [a["object_id"] for a in given]


def test_clerk_rejoins_a_missed_ticket_and_sees_the_servers_refusal(server: Server, new_page: Any) -> None:
    first, second = server.issue(COMPANY), server.issue(COMPANY)
    clerk = clerk_at_01(new_page)
    expect(clerk.get_by_test_id("btn-rejoin")).to_be_visible(timeout=T)  # the hall allows it
    expect(row(clerk, second["number"])).to_be_visible(timeout=T)  # the snapshot is in: keys act now
    for t in (first, second):
        clerk.keyboard.press("n")
        expect(clerk.get_by_test_id("current-number")).to_have_text(t["number"], timeout=T)
        clerk.keyboard.press("x")
        expect(clerk.get_by_test_id("current-number")).to_have_text("—", timeout=T)
    expect(clerk.get_by_test_id("queue-empty")).to_be_visible(timeout=T)

    clerk.get_by_test_id("btn-rejoin").click()
    dialog = clerk.get_by_test_id("rejoin-dialog")
    expect(dialog.get_by_test_id("rejoin-rule")).to_contain_text("15 分钟内")  # the hall's rule, its words
    expect(dialog.get_by_test_id("missed-ticket")).to_have_count(2, timeout=T)
    expect(dialog.get_by_test_id("missed-ticket").first).to_have_attribute("data-number", second["number"])
    # Someone else lets the second one rejoin meanwhile: the clerk's try is refused in the server's words.
    r = server.api("POST", f"/api/v1/halls/{HALL}/reactivations", json={"ticket_id": second["id"]})
    assert r.status_code == 200, r.text
    dialog.get_by_test_id(f"rejoin-{second['number']}").click()
    expect(dialog.locator(".result")).to_contain_text("已恢复过一次", timeout=T)
    expect(dialog.locator(".result")).to_contain_text("cannot be reactivated")
    shot(clerk, "clerk-rejoin-dialog")

    dialog.get_by_test_id(f"rejoin-{first['number']}").click()
    expect(dialog).to_be_hidden(timeout=T)
    expect(clerk.get_by_test_id("result")).to_contain_text("已恢复排队", timeout=T)
    expect(row(clerk, first["number"])).to_be_visible(timeout=T)  # back in this window's queue
    expect(row(clerk, second["number"])).to_be_visible(timeout=T)
    # Rejoined once: nothing left to offer.
    clerk.get_by_test_id("btn-rejoin").click()
    expect(dialog.get_by_test_id("rejoin-empty")).to_be_visible(timeout=T)


def test_display_marks_a_called_priority_ticket(server: Server, new_page: Any) -> None:
    plain, prio = server.issue(COMPANY), server.issue(COMPANY)
    given = {"kind": "pregnant", "reason": "孕检证明"}
    r = server.api("POST", f"/api/v1/halls/{HALL}/tickets/{prio['id']}/priority", json=given)
    assert r.status_code == 200, r.text
    display = new_page(f"/ui/display/{HALL}/business", width=1920, height=1080, device="tv-web")
    live(display)
    assert server.call_next("01")["id"] == prio["id"]  # type: ignore[index]  # the priority lane first
    assert server.call_next("02") is not None  # the other one, at the other window of the item
    call = display.locator(f'[data-testid="call"][data-number="{prio["number"]}"]')
    expect(call.get_by_test_id("priority-mark")).to_contain_text("优先", timeout=T)
    expect(call.get_by_test_id("priority-mark")).to_contain_text("Priority")
    other = display.locator(f'[data-testid="call"][data-number="{plain["number"]}"]')
    expect(other).to_be_visible(timeout=T)
    expect(other.get_by_test_id("priority-mark")).to_have_count(0)
    size = call.get_by_test_id("priority-mark").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40, size  # px on a 1920-wide screen: readable from 3–5 m
    shot(display, "display-priority-call")
    display.reload()  # from the snapshot, not only from the event
    live(display)
    expect(call.get_by_test_id("priority-mark")).to_contain_text("优先", timeout=T)
    # The recent-calls list marks it too (the snapshot's recent calls carry the class).
    recent = display.locator(f'[data-testid="recent"][data-number="{prio["number"]}"]')
    expect(recent.get_by_test_id("recent-priority")).to_contain_text("优先", timeout=T)
    plain_recent = display.locator(f'[data-testid="recent"][data-number="{plain["number"]}"]')
    expect(plain_recent).to_be_visible()
    expect(plain_recent.get_by_test_id("recent-priority")).to_have_count(0)
